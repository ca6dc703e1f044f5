import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'littleplanet-studio';

export type AppPackage = {
  /** The folder holding the app's package.json: the checkout, or the packaged app's root. */
  root: string;
  version: string;
};

let cached: AppPackage | null = null;

/**
 * Finds the app's package.json by walking up from this file. The same code runs from the TypeScript
 * source (src/main/…), from a bundle (build/*.cjs) and from a packaged app (app.asar/build), and the
 * walk finds the right root in each without a build-time constant.
 */
export function appPackage(from: string = __dirname): AppPackage {
  if (cached !== null && from === __dirname) return cached;
  for (let dir = from; ; dir = dirname(dir)) {
    const found = readPackage(join(dir, 'package.json'));
    if (found !== null) {
      const result = { root: dir, version: found };
      if (from === __dirname) cached = result;
      return result;
    }
    if (dirname(dir) === dir) {
      throw new Error(`Cannot find the ${PACKAGE_NAME} package.json above ${from}.`);
    }
  }
}

function readPackage(path: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
    return parsed.name === PACKAGE_NAME && typeof parsed.version === 'string'
      ? parsed.version
      : null;
  } catch {
    return null;
  }
}
