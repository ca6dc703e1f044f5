// Where the app's built-in backbone file is: assets/ of the checkout (running from the sources or
// from build/), or the packaged app's copy, which electron-builder unpacks from the asar archive.
// No TensorFlow.js here: the core resolves the path and the ML host converts the file.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLED_BACKBONE } from '../../shared/domain/bundled-backbone';
import { unpackedPath } from './asar-path';

/**
 * The built-in backbone's TFLite file, looked for in `assets/` of every folder above `from`
 * (src/main/platform when run from the sources, build/ when bundled, app.asar/build when
 * packaged; the asar.unpacked twin first), or null when the app was shipped without it.
 */
export function bundledBackboneFile(from: string = __dirname): string | null {
  let dir = from;
  for (let depth = 0; depth < 8; depth++) {
    const file = join(dir, 'assets', BUNDLED_BACKBONE.file);
    for (const candidate of [unpackedPath(file), file]) if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
