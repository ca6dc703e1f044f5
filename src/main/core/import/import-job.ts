import { availableParallelism } from 'node:os';
import { AppError } from '../../../shared/contract/errors';
import type { ImportReport } from '../../../shared/contract/library-types';
import type { JobContext } from '../jobs/job-manager';
import type { Library } from '../library';
import { startWorker } from '../../platform/worker-script';
import type { ImportOptions } from './importer';
import type { ImportWorkerMessage, ImportWorkerRequest } from './import-messages';

export type ImportParams = { paths: string[]; csv: string | null };

/**
 * Files in flight at once. sharp decodes each file on one thread of libuv's pool (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise), while the worker's own thread hashes, reads and writes; one
 * file more than there are cores keeps the pool busy during that bookkeeping. More files than
 * pool threads would only queue. bench/library.bench.ts measures 1-4.
 * LP_IMPORT_CONCURRENCY (1-16) overrides it, e.g. to leave cores free for other work.
 */
export const IMPORT_CONCURRENCY = concurrencyFrom(process.env.LP_IMPORT_CONCURRENCY);

function concurrencyFrom(setting: string | undefined): number {
  const n = Number(setting);
  if (setting !== undefined && Number.isInteger(n) && n >= 1 && n <= 16) return n;
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(2, Math.min(availableParallelism() + 1, pool));
}

/** After a cancel, how long the worker may take to commit and stop before it is terminated. */
const CANCEL_GRACE_MS = 30_000;

/**
 * Runs one import in a worker thread and turns its messages into job progress. The run and its
 * final report are recorded in `import_runs`. Resolves with the report, also when cancelled (the
 * job manager records that as a cancelled job that keeps the partial report).
 */
export async function runImportJob(
  library: Library,
  params: ImportParams,
  ctx: JobContext,
  onCommitted: (count: number) => void,
  concurrency = IMPORT_CONCURRENCY,
): Promise<ImportReport> {
  const { sql, paths } = library;
  const runId = Number(
    sql.run(
      `INSERT INTO import_runs (job_id, params_json, status, started_at) VALUES (?, ?, 'running', ?)`,
      [ctx.jobId, JSON.stringify(params), new Date().toISOString()],
    ).lastInsertRowid,
  );
  const options: ImportOptions & { dbPath: string } = {
    dbPath: paths.dbPath,
    libraryDir: paths.dir,
    cacheDir: paths.cacheDir,
    tmpDir: paths.tmpDir,
    runId,
    paths: params.paths,
    csv: params.csv,
    concurrency,
  };

  let status = 'failed';
  let report: ImportReport | null = null;
  try {
    report = await new Promise<ImportReport>((resolve, reject) => {
      const worker = startWorker('core/import/import-worker', options);
      let settled = false;
      let killTimer: NodeJS.Timeout | null = null;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        ctx.signal.removeEventListener('abort', onAbort);
        if (killTimer !== null) clearTimeout(killTimer);
        fn();
      };
      const onAbort = (): void => {
        worker.postMessage({ type: 'cancel' } satisfies ImportWorkerRequest);
        killTimer = setTimeout(() => {
          void worker.terminate();
          settle(() => reject(new AppError('CANCELLED', 'The import was stopped.')));
        }, CANCEL_GRACE_MS);
      };
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });

      worker.on('message', (message: ImportWorkerMessage) => {
        switch (message.type) {
          case 'progress':
            ctx.progress(message.done, message.total, message.message);
            break;
          case 'committed':
            onCommitted(message.count);
            break;
          case 'done':
            settle(() => resolve(message.report));
            break;
          case 'failed':
            settle(() => reject(AppError.fromData(message.error)));
            break;
        }
      });
      worker.on('error', (error) =>
        settle(() =>
          reject(new AppError('INTERNAL', `The import worker crashed: ${error.message}`)),
        ),
      );
      worker.on('exit', (code) =>
        settle(() =>
          reject(
            new AppError('INTERNAL', `The import worker stopped unexpectedly (exit code ${code}).`),
          ),
        ),
      );
    });
    status = ctx.signal.aborted ? 'cancelled' : 'done';
    return report;
  } catch (error) {
    if (error instanceof AppError && error.code === 'CANCELLED') status = 'cancelled';
    throw error;
  } finally {
    sql.run(`UPDATE import_runs SET status = ?, finished_at = ?, report_json = ? WHERE id = ?`, [
      status,
      new Date().toISOString(),
      report === null ? null : JSON.stringify(report),
      runId,
    ]);
  }
}
