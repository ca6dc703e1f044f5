// Runs every test/**/*.test.ts (or those under the folders/files given) with Node's own test runner,
// TypeScript loaded through tsx. Node 20's --test takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const files = (roots.length > 0 ? roots : ['test']).flatMap((r) => collect(r, []));
if (files.length === 0) {
  console.error('run-tests: no test files found under', roots.join(', ') || 'test');
  process.exit(1);
}
console.error(`run-tests: ${files.length} files`);
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    ...passThrough,
    ...files.map((f) => relative('.', f)),
  ],
  { stdio: 'inherit', env: { ...process.env, LP_TEST: '1' } },
);
process.exit(result.status ?? 1);
