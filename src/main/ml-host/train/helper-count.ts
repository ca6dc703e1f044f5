// How many threads share stage 2's training steps. tfjs-backend-wasm computes on one thread in
// Node (its threaded build needs browser workers), so on a multi-core machine the step is split
// by rows across helper threads (train/grad-worker.ts). Other backends are parallel already.

/** The environment variable that sets the total thread count (1 turns the helpers off). */
export const TRAIN_THREADS_ENV = 'LITTLEPLANET_TRAIN_THREADS';

/** More threads than this gain little at the default batch of 32 rows. */
const MAX_THREADS = 4;
/** Below this many rows per thread, a shard's fixed costs outweigh the split. */
const MIN_ROWS_PER_THREAD = 8;

export type HelperCount = { helpers: number; why: string; warning: string | null };

export function stage2HelperCount(options: {
  backend: string;
  batchSize: number;
  cores: number;
  env: Record<string, string | undefined>;
}): HelperCount {
  const { backend, batchSize, cores } = options;
  const raw = options.env[TRAIN_THREADS_ENV];
  let warning: string | null = null;
  let asked: number | null = null;
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 1) asked = n;
    else warning = `${TRAIN_THREADS_ENV}=${raw} is not a whole number of threads ≥ 1; ignored.`;
  }
  if (backend !== 'wasm') {
    return { helpers: 0, why: `the ${backend} backend computes in parallel itself`, warning };
  }
  if (asked !== null) {
    return { helpers: asked - 1, why: `${TRAIN_THREADS_ENV}=${asked}`, warning };
  }
  const byRows = Math.floor(batchSize / MIN_ROWS_PER_THREAD);
  const threads = Math.max(1, Math.min(cores, MAX_THREADS, byRows));
  const why =
    threads === cores
      ? `${cores} core${cores === 1 ? '' : 's'}`
      : threads === MAX_THREADS
        ? `at most ${MAX_THREADS} threads`
        : `batches of ${batchSize} rows, at least ${MIN_ROWS_PER_THREAD} per thread`;
  return { helpers: threads - 1, why, warning };
}
