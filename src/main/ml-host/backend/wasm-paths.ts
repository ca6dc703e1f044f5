// Where the WebAssembly backend's .wasm binaries live. Emscripten looks next to the JS file that
// loaded it (its __dirname), which breaks in two cases this app meets: a bundle (build/*.cjs has
// no .wasm beside it) and a packaged Electron app, where node_modules sits inside app.asar. Files
// inside an asar archive are only readable through Electron's patched fs, so electron-builder must
// unpack them (asarUnpack: node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm) and we point
// setWasmPaths() at the real directory in app.asar.unpacked.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { unpackedPath } from '../../platform/asar-path';

export const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
export const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

export type WasmDirResult = { dir: string; found: true } | { dir: string | null; found: false };

/**
 * Finds the folder holding the .wasm binaries: an explicit folder first (a setting or a bundler's
 * output), then the installed package's dist/ (its asar.unpacked twin preferred). A folder counts
 * only when the plain binary (the one every CPU can run) is there.
 */
export function resolveWasmDir(explicit?: string | null): WasmDirResult {
  const has = (dir: string): boolean => existsSync(join(dir, 'tfjs-backend-wasm.wasm'));
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  try {
    const resolved = createRequire(__filename).resolve(WASM_PACKAGE);
    const dist = dirname(resolved);
    candidates.push(unpackedPath(dist), dist);
  } catch {
    // Not installed: reported by the caller.
  }
  for (const dir of candidates) if (has(dir)) return { dir, found: true };
  return { dir: candidates[0] ?? null, found: false };
}

/** setWasmPaths() takes a prefix that is concatenated with the file name: end it with a separator. */
export function asPrefix(dir: string): string {
  return dir.endsWith('/') || dir.endsWith(sep) ? dir : `${dir}${sep}`;
}
