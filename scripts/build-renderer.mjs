// Bundles the React renderer (src/renderer/main.tsx and its CSS) into one static folder that both the
// Electron window and the HTTP bridge serve: index.html, app.js, app.css, plotly.css, icon.svg.
// Usage: node scripts/build-renderer.mjs [--out-dir build/renderer] [--no-minify]
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The <meta> Content-Security-Policy: the directives the HTTP bridge and Electron also send as a
 * header, read from their one source (src/main/server/ui-policy.json; see content-security.ts).
 */
export const CONTENT_SECURITY_POLICY = JSON.parse(
  await readFile(join(root, 'src/main/server/ui-policy.json'), 'utf8'),
).join('; ');

/** Builds the renderer into `outDir` (relative to the repository root unless absolute). */
export async function buildRenderer({ outDir = 'build/renderer', minify = true } = {}) {
  const started = Date.now();
  const out = resolve(root, outDir);
  await mkdir(out, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'src/renderer/main.tsx' },
    outdir: out,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Electron 38 ships Chromium 140; the HTTP bridge is opened in a current browser.
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    minify,
    sourcemap: minify ? false : 'linked',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': JSON.stringify(minify ? 'production' : 'development') },
    logLevel: 'warning',
    metafile: true,
  });
  const template = await readFile(join(root, 'src/renderer/index.html'), 'utf8');
  await writeFile(join(out, 'index.html'), template.replace('%CSP%', CONTENT_SECURITY_POLICY));
  await copyFile(join(root, 'node_modules/plotly.js/dist/plotly.css'), join(out, 'plotly.css'));
  await copyFile(join(root, 'assets/icon.svg'), join(out, 'icon.svg'));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outDir: out, bytes, ms: Date.now() - started };
}

function parseArgs(argv) {
  const options = { outDir: 'build/renderer', minify: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--no-minify') options.minify = false;
    else if (arg === '--out-dir' && argv[i + 1] !== undefined) options.outDir = argv[++i];
    else if (arg.startsWith('--out-dir=')) options.outDir = arg.slice('--out-dir='.length);
    else throw new Error(`build-renderer: unknown argument ${arg}`);
  }
  return options;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildRenderer(parseArgs(process.argv.slice(2))).then(
    ({ outDir, bytes, ms }) => {
      console.log(`renderer: ${(bytes / 1e6).toFixed(2)} MB into ${outDir} in ${ms} ms`);
    },
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
