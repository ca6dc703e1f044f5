// Builds everything `npm start` and electron-builder need into build/:
//   electron-main.cjs, preload.cjs, cli.cjs, server.cjs, import-worker.cjs, grad-worker.cjs,
//   ml-host.cjs
//   renderer/ (index.html + assets, by scripts/build-renderer.mjs)
// Usage: node scripts/build.mjs [--out-dir build] [--no-renderer] [--minify] [--only cli,server]
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from './build-renderer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** THE LIST OF MAIN-PROCESS ENTRIES. `out` is the file name in build/ (`.cjs` added). */
export const ENTRIES = [
  { in: 'src/main/electron/main.ts', out: 'electron-main' },
  { in: 'src/main/preload/preload.ts', out: 'preload' },
  { in: 'src/main/cli/main.ts', out: 'cli' },
  { in: 'src/main/server/main.ts', out: 'server' },
  // Worker threads are started by file name; src/main/platform/worker-script.ts looks next to the
  // bundle.
  { in: 'src/main/core/import/import-worker.ts', out: 'import-worker' },
  // Stage 2's data-parallel helper threads, started by the ML host.
  { in: 'src/main/ml-host/train/grad-worker.ts', out: 'grad-worker' },
  // The ML host process (child_process.fork / Electron utilityProcess).
  { in: 'src/main/ml-host/host/host-main.ts', out: 'ml-host' },
];

/**
 * Loaded from node_modules at run time, never bundled: native addons (and their platform packages),
 * Electron itself, TensorFlow.js (native bindings, wasm files found next to its own module) and the
 * HEIC decoder (a wasm blob). electron-builder ships them in node_modules, unpacked from the asar.
 */
export const EXTERNALS = [
  'better-sqlite3',
  'sharp',
  'electron',
  '@tensorflow/*',
  'webgpu',
  'heic-decode',
  'libheif-js',
  'tsx',
];

/** Bundles the main-process entries; returns the files written. */
export async function buildMain({ outDir = 'build', minify = false, only = null } = {}) {
  const out = resolve(root, outDir);
  const entries = ENTRIES.filter((e) => only === null || only.includes(e.out));
  if (entries.length === 0) return [];
  await build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => ({ in: e.in, out: e.out })),
    outdir: out,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNALS,
    sourcemap: 'linked',
    minify,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return entries.map((e) => resolve(out, `${e.out}.cjs`));
}

/** Builds the UI with scripts/build-renderer.mjs (owned by the renderer). */
export async function buildUi({ outDir = 'build', minify = true } = {}) {
  return buildRenderer({ outDir: resolve(root, outDir, 'renderer'), minify });
}

export async function buildAll({
  outDir = 'build',
  minify = false,
  renderer = true,
  only = null,
} = {}) {
  const started = Date.now();
  const files = await buildMain({ outDir, minify, only });
  const ui = renderer ? await buildUi({ outDir, minify: true }) : null;
  const names = files.map((f) => f.slice(resolve(root, outDir).length + 1)).join(', ');
  console.error(
    `build: ${names || 'no main entries'}${ui === null ? '' : ', renderer/'} → ${outDir}/ in ${Date.now() - started} ms`,
  );
  return { files, renderer: ui };
}

function parseArgs(argv) {
  const options = { outDir: 'build', minify: false, renderer: true, only: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--no-renderer') options.renderer = false;
    else if (arg === '--minify') options.minify = true;
    else if (arg === '--out-dir' && argv[i + 1] !== undefined) options.outDir = argv[++i];
    else if (arg === '--only' && argv[i + 1] !== undefined) options.only = argv[++i].split(',');
    else throw new Error(`build: unknown argument ${arg}`);
  }
  return options;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAll(parseArgs(process.argv.slice(2))).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
