import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { minimatch } from 'minimatch';

/**
 * electron-builder.yml checked offline, the way `electron-builder` itself checks it before building
 * (app-builder-lib's schema validator), plus what this app needs from it: the installers per platform,
 * native modules outside the asar archive, and an Electron version that matches the one we develop
 * with. Packaging itself needs downloads, so CI stops here.
 */

const root = resolve(__dirname, '../..');
// js-yaml comes with electron-builder and ships no types: the one function used is typed here.
const yaml = createRequire(__filename)('js-yaml') as { load(text: string): unknown };

function loadConfig(): Configuration {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;
}

const validate = (config: Configuration): Promise<void> =>
  validateConfiguration(config, new DebugLogger(false));

/** A platform's `target` as a list of names, whichever of the schema's shapes it uses. */
function targetNames(target: unknown): string[] {
  const list: unknown[] = Array.isArray(target) ? target : target == null ? [] : [target];
  return list.map((t) =>
    typeof t === 'string' ? t : String((t as { target?: unknown } | null)?.target),
  );
}

/** `^X.Y.Z` as npm reads it (X > 0): same major, not older. */
function satisfiesCaret(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map((part) => Number.parseInt(part, 10));
  assert.match(range, /^\^\d+\.\d+\.\d+$/, `a caret range is expected, not ${range}`);
  const [major, minor, patch] = parse(version);
  const [rMajor, rMinor, rPatch] = parse(range.slice(1));
  if (major !== rMajor) return false;
  return (minor ?? 0) * 1e6 + (patch ?? 0) >= (rMinor ?? 0) * 1e6 + (rPatch ?? 0);
}

describe('electron-builder.yml', () => {
  test('passes electron-builder’s own configuration validator', async () => {
    await validate(loadConfig());
  });

  test('the validator does reject a wrong configuration', async () => {
    const broken = { ...loadConfig(), linux: { target: ['AppImage'], notAnOption: true } };
    await assert.rejects(validate(broken), /configuration\.linux should be/);
  });

  test('installers: Linux AppImage and deb, Windows NSIS, macOS dmg', () => {
    const config = loadConfig();
    assert.deepEqual(targetNames(config.linux?.target).sort(), ['AppImage', 'deb']);
    assert.deepEqual(targetNames(config.win?.target), ['nsis']);
    assert.deepEqual(targetNames(config.mac?.target), ['dmg']);
  });

  test('native modules are unpacked from asar: better-sqlite3, sharp, @tensorflow, webgpu (Dawn)', () => {
    const patterns = loadConfig().asarUnpack;
    const list = Array.isArray(patterns) ? patterns : patterns == null ? [] : [patterns];
    const unpacked = (file: string): boolean =>
      list.some((pattern) => minimatch(file, pattern, { dot: true }));
    for (const file of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/sharp/lib/sharp.js',
      'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so.2',
      // dawn.node is loaded by path (src/main/ml-host/backend/webgpu.ts dawnModulePath); on Windows the
      // DirectX shader compilers beside it must be real files too.
      'node_modules/webgpu/dist/linux-x64/dawn.node',
      'node_modules/webgpu/dist/darwin-universal/dawn.node',
      'node_modules/webgpu/dist/win32-x64/dawn.node',
      'node_modules/webgpu/dist/win32-x64/dxcompiler.dll',
    ]) {
      assert.ok(unpacked(file), `${file} stays outside the asar archive`);
    }
    assert.equal(unpacked('node_modules/react/index.js'), false, 'plain JavaScript stays packed');
    assert.equal(unpacked('node_modules/webgpu/index.js'), false, 'only the binaries are unpacked');
  });

  test('electronVersion is the locked version of the optional electron dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string } | undefined>;
    };
    const range = pkg.optionalDependencies?.electron ?? assert.fail('electron is not optional');
    const locked = lock.packages['node_modules/electron']?.version ?? assert.fail('not locked');
    const pinned = loadConfig().electronVersion;
    assert.equal(pinned, locked);
    assert.ok(satisfiesCaret(locked, range), `${locked} satisfies ${range}`);
  });

  test('Electron fuses are set at packaging: no RunAsNode, no NODE_OPTIONS, asar only (#14)', async () => {
    const config = loadConfig();
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Names electron-builder does not know would be dropped silently by @electron/fuses; the
    // validator knows them.
    await assert.rejects(
      validate({
        ...config,
        electronFuses: { ...config.electronFuses, runAsNodee: false } as never,
      }),
      /electronFuses/,
    );
  });

  test('Electron is on a supported major', () => {
    // Electron supports its latest three stable majors; 45 was the newest in December 2026, so
    // 43 is the oldest still getting security fixes. Raise this as Electron moves on.
    const OLDEST_SUPPORTED_MAJOR = 43;
    const major = Number((loadConfig().electronVersion ?? '0').split('.')[0]);
    assert.ok(major >= OLDEST_SUPPORTED_MAJOR, `Electron ${major} is out of support`);
  });
});
