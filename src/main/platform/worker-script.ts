import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/contract/errors';

/**
 * Starts a worker thread from a module of src/main given without extension (e.g.
 * 'core/import/import-worker'). From TypeScript sources (tests, `npm run bench`, dev) the worker loads
 * tsx's require hook first, because Node 20 workers do not inherit the parent's `--import tsx`.
 * A bundled build must emit the worker next to the bundle as `<name>.js` or `<name>.cjs`
 * (scripts/build.mjs lists each one).
 */
export function startWorker(module: string, workerData: unknown): Worker {
  if (__filename.endsWith('.ts')) {
    const source = join(__dirname, '..', `${module}.ts`);
    const hook = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(source)});`, {
      eval: true,
      workerData,
    });
  }
  // Compiled beside the sources, or bundled flat into one folder.
  const candidates = [join(__dirname, '..', module), join(__dirname, basename(module))].flatMap(
    (m) => ['.js', '.cjs'].map((ext) => `${m}${ext}`),
  );
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) {
    throw new AppError('INTERNAL', `Worker script missing; looked for ${candidates.join(', ')}.`);
  }
  return new Worker(file, { workerData });
}
