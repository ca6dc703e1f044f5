// Scoring a large pool of candidates chunk by chunk with the current head, so a 100,000-photo
// library never needs all its 1280-float feature rows in memory at once.
import { headProbabilitiesPlain, type FeatureMatrix } from './softmax-head';
import type { HeadState } from '../train/types';

export const SCORE_CHUNK = 2048;

/** Rows in chunks: `read(start, count)` gives rows start..start+count-1 ([count, dim]). */
export type RowChunks = {
  n: number;
  dim: number;
  read(start: number, count: number): FeatureMatrix;
};

/** Class probabilities [n, k] of a head for features [n, dim] (plain loops, or tfjs in the host). */
export type Probabilities = (
  head: HeadState,
  data: FeatureMatrix,
) => Float32Array | Promise<Float32Array>;

export type ScoredPool = {
  /** [rows, k] probabilities. */
  probs: Float32Array;
  /** Rows actually read (a chunk may come back shorter when some rows had no features). */
  rows: number;
};

/**
 * Class probabilities of every row of `source`, read `chunk` rows at a time, with `probabilities`
 * (the host passes its tfjs scorer, which reads with data(): hence asynchronous). `onChunk` runs
 * after each chunk (progress, cancellation).
 */
export async function scorePoolWith(
  head: HeadState,
  source: RowChunks,
  probabilities: Probabilities,
  onChunk: (done: number) => void = () => undefined,
  chunk = SCORE_CHUNK,
): Promise<ScoredPool> {
  const k = head.config.numClasses;
  const probs = new Float32Array(source.n * k);
  let rows = 0;
  for (let start = 0; start < source.n; start += chunk) {
    const data = source.read(start, Math.min(chunk, source.n - start));
    probs.set(await probabilities(head, data), rows * k);
    rows += data.n;
    onChunk(Math.min(source.n, start + chunk));
  }
  return { probs: probs.subarray(0, rows * k), rows };
}

/** The same in plain loops, synchronously (tests, the simulated labeler). */
export function scorePool(
  head: HeadState,
  source: RowChunks,
  onChunk: (done: number) => void = () => undefined,
  chunk = SCORE_CHUNK,
): ScoredPool {
  const k = head.config.numClasses;
  const probs = new Float32Array(source.n * k);
  let rows = 0;
  for (let start = 0; start < source.n; start += chunk) {
    const data = source.read(start, Math.min(chunk, source.n - start));
    probs.set(headProbabilitiesPlain(head, data), rows * k);
    rows += data.n;
    onChunk(Math.min(source.n, start + chunk));
  }
  return { probs: probs.subarray(0, rows * k), rows };
}

/** A matrix as chunks (tests, bench). */
export function chunksOf(data: FeatureMatrix): RowChunks {
  return {
    n: data.n,
    dim: data.dim,
    read: (start, count) => ({
      x: data.x.subarray(start * data.dim, (start + count) * data.dim),
      n: count,
      dim: data.dim,
    }),
  };
}
