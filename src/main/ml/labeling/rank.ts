// The label-next queue's ranking: which unlabelled photos to ask about first, from the current
// head's probabilities and the cached features. Pure functions over typed arrays.
import type { LabelStrategy } from '../../../shared/contract/label-queue-types';
import { mulberry32 } from '../../../shared/domain/random';
import { kCenterGreedy, MAX_CENTRES, projectForDistance } from './k-center';
import type { FeatureMatrix } from './softmax-head';

/** Hybrid: the most uncertain HYBRID_POOL x n candidates, then spread by k-center greedy. */
export const HYBRID_POOL = 5;

export type Ranked = { index: number; score: number };

/** 1 − (top probability − second): 1 when the head cannot choose between two cities, 0 when sure. */
export function marginScores(probs: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let first = -1;
    let second = -1;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) second = p;
    }
    out[i] = 1 - (first - Math.max(second, 0));
  }
  return out;
}

/** Entropy of the probabilities over ln k: 1 when all cities are equally likely, 0 when sure. */
export function entropyScores(probs: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n);
  const norm = Math.log(k);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h / norm;
  }
  return out;
}

/** The `n` highest scores, highest first (ties: lower index first, so the order is stable). */
export function topByScore(scores: Float32Array, n: number): Ranked[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  return order.slice(0, n).map((index) => ({ index, score: scores[index] as number }));
}

/** A seeded sample of at most `max` row indices of `rows` rows (all of them when fewer). */
export function sampleRows(rows: number, max: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  if (rows <= max) return all;
  const random = mulberry32(seed);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const t = all[i] as number;
    all[i] = all[j] as number;
    all[j] = t;
  }
  return all.slice(0, max).sort();
}

export function pickRows(data: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const out = new Float32Array(rows.length * data.dim);
  rows.forEach((r, i) => out.set(data.x.subarray(r * data.dim, (r + 1) * data.dim), i * data.dim));
  return { x: out, n: rows.length, dim: data.dim };
}

export type RankInput = {
  strategy: LabelStrategy;
  n: number;
  seed: number;
  /** The candidates' class probabilities [candidates.n, k] (not read by random / diverse). */
  probs: Float32Array;
  k: number;
  /** The candidates' features in the distance space (see projectForDistance). */
  candidates: FeatureMatrix;
  /**
   * Photos already labelled, in the same space: the centres diversity measures distance from
   * (at most MAX_CENTRES of them; see centresFor).
   */
  centres: FeatureMatrix;
};

/**
 * The labelled photos diversity measures from: a seeded sample of at most MAX_CENTRES rows of
 * `labelled` (raw features), projected like the candidates.
 */
export function centresFor(labelled: FeatureMatrix, seed: number): FeatureMatrix {
  return projectForDistance(pickRows(labelled, sampleRows(labelled.n, MAX_CENTRES, seed)), seed);
}

/**
 * The queue's order: the `n` candidates (indices) to label first with their scores, most useful
 * first. Scores are in [0, 1] for margin / entropy / hybrid (uncertainty), a uniform draw for
 * random, and the distance to the nearest labelled (or already picked) photo for diverse.
 */
export function rankCandidates(input: RankInput): Ranked[] {
  const { candidates, n, k, probs, seed } = input;
  const count = Math.min(n, candidates.n);
  switch (input.strategy) {
    case 'margin':
      return topByScore(marginScores(probs, candidates.n, k), count);
    case 'entropy':
      return topByScore(entropyScores(probs, candidates.n, k), count);
    case 'random': {
      const random = mulberry32(seed);
      const scores = Float32Array.from({ length: candidates.n }, () => random());
      return topByScore(scores, count);
    }
    case 'diverse':
    case 'hybrid': {
      const { centres } = input;
      if (input.strategy === 'diverse') {
        return kCenterGreedy(candidates, centres, count).map((p) => ({
          index: p.index,
          score: p.distance,
        }));
      }
      const margins = marginScores(probs, candidates.n, k);
      const uncertain = topByScore(margins, Math.min(candidates.n, count * HYBRID_POOL));
      const among = Int32Array.from(uncertain, (r) => r.index);
      return kCenterGreedy(candidates, centres, count, among).map((p) => ({
        index: p.index,
        score: margins[p.index] as number,
      }));
    }
  }
}
