import type Database from 'better-sqlite3';
import type { ImportReport } from '../../../shared/contract/library-types';
import { Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import { readSettings } from '../repo/settings';
import { CacheWriter } from './cache-files';
import { describeFsError } from '../../platform/fs-errors';
import { ContentClaims } from './import-claims';
import { importFile, type FileImport } from './import-file';
import { ImportTally } from './import-tally';
import { ImportWriter } from './import-writer';
import { shrinkScratch, type Scratch } from './read-scratch';
import { scanInputs, type Candidate } from './scan';

export type ImportOptions = {
  libraryDir: string;
  cacheDir: string;
  tmpDir: string;
  runId: number;
  paths: string[];
  csv: string | null;
  /** Files decoded at once. */
  concurrency: number;
};

export type ImportHooks = {
  isCancelled(): boolean;
  progress(done: number, total: number, message: string | null): void;
  /** Called after each commit that added images (so the UI can refresh). */
  committed(count: number): void;
};

const YIELD_EVERY = 64;

/**
 * The whole import over one database connection (the worker's): scan the inputs, then import
 * each file (see importFile) with `concurrency` in flight, committing in batches. Stops taking
 * new files once cancelled and commits what is done.
 */
export async function runImport(
  db: Database.Database,
  options: ImportOptions,
  hooks: ImportHooks,
): Promise<ImportReport> {
  const started = Date.now();
  const sql = new Sql(db);
  const cities = listCities(sql);
  const tally = new ImportTally((count) => hooks.committed(count));
  const run: FileImport = {
    settings: readSettings(sql),
    cities,
    writer: new ImportWriter(sql, options.runId),
    cache: new CacheWriter(options.cacheDir, options.tmpDir),
    tally,
    claims: new ContentClaims(),
  };

  hooks.progress(0, 0, 'Looking for photos…');
  const scan = await scanInputs({
    paths: options.paths,
    csv: options.csv,
    cityNames: cities.map((c) => c.name),
    excludeDirs: [options.libraryDir],
    isCancelled: () => hooks.isCancelled(),
    onFound: (n) => hooks.progress(0, 0, `Looking for photos… ${n} found`),
  });
  for (const error of scan.errors) tally.fail(error);

  const done = await inLanes(scan.candidates, options.concurrency, hooks, tally, (c, scratch) =>
    importFile(run, c, scratch),
  );
  tally.settle(run.writer.flush());
  const report = tally.finish(started);
  hooks.progress(done, scan.candidates.length, progressLine(report));
  return report;
}

const progressLine = (r: ImportReport): string => `Imported ${r.imported}, skipped ${r.skipped}`;

/**
 * Runs `work` over the candidates with `concurrency` lanes, each with its own read buffer, until
 * all are done or the import is cancelled; returns how many were handled.
 */
async function inLanes(
  candidates: readonly Candidate[],
  concurrency: number,
  hooks: ImportHooks,
  tally: ImportTally,
  work: (c: Candidate, scratch: Scratch) => Promise<void>,
): Promise<number> {
  const total = candidates.length;
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    const scratch: Scratch = { buffer: Buffer.alloc(0) };
    while (!hooks.isCancelled() && next < total) {
      const candidate = candidates[next++] as Candidate;
      try {
        await work(candidate, scratch);
      } catch (error) {
        // Unexpected (e.g. the disk is full writing the cache): this file is skipped, not lost.
        tally.fail({ path: candidate.path, reason: `import failed: ${describeFsError(error)}` });
      }
      shrinkScratch(scratch);
      done++;
      hooks.progress(done, total, progressLine(tally.report));
      // Files already in the library are handled without awaiting anything; yield now and then so
      // a cancel message can still get through.
      if (done % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return done;
}
