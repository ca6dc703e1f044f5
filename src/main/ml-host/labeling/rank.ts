// The label-next queue's ranking: which unlabelled photos to ask about first, from the current
// head's probabilities and the cached features. Pure functions over typed arrays.
import type { LabelStrategy } from '../../../shared/contract/label-queue-types';
import { mulberry32 } from '../../../shared/domain/random';
import { kCenterGreedy, MAX_CENTRES, projectForDistance } from './k-center';
import type { FeatureMatrix } from './softmax-head';

/** Hybrid: the most uncertain HYBRID_POOL x n candidates, then spread by k-center greedy. */
export const HYBRID_POOL = 5;
/**
 * Diverse: k-center greedy over a seeded sample of at most this many candidates. Projecting all of
 * 100,000 1280-float rows would cost four times the scoring itself; a 20,000 sample covers the
 * feature space as well for a batch of tens.
 */
export const DIVERSE_SAMPLE = 20_000;

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
  /** How many candidates there are. */
  count: number;
  /** The candidates' class probabilities [count, k] (not read by random / diverse). */
  probs: Float32Array;
  k: number;
  /**
   * The features of some candidates (indices into them) in the distance space (see
   * projectForDistance), one row per index in that order. Only diverse and hybrid ask, and only
   * for the rows they spread.
   */
  project: (indices: Int32Array) => FeatureMatrix;
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
  const { n, k, probs, seed } = input;
  const total = input.count;
  const count = Math.min(n, total);
  const spread = (among: Int32Array, score: (index: number, distance: number) => number) =>
    kCenterGreedy(input.project(among), input.centres, count).map((p) => {
      const index = among[p.index] as number;
      return { index, score: score(index, p.distance) };
    });
  switch (input.strategy) {
    case 'margin':
      return topByScore(marginScores(probs, total, k), count);
    case 'entropy':
      return topByScore(entropyScores(probs, total, k), count);
    case 'random': {
      const random = mulberry32(seed);
      const scores = Float32Array.from({ length: total }, () => random());
      return topByScore(scores, count);
    }
    case 'diverse':
      return spread(sampleRows(total, DIVERSE_SAMPLE, seed), (_, distance) => distance);
    case 'hybrid': {
      const margins = marginScores(probs, total, k);
      const uncertain = topByScore(margins, Math.min(total, count * HYBRID_POOL));
      return spread(
        Int32Array.from(uncertain, (r) => r.index),
        (index) => margins[index] as number,
      );
    }
  }
}

/** `project` for candidates held in memory (tests, bench): rows picked, then projected. */
export function projectorOf(
  candidates: FeatureMatrix,
  seed: number,
): (indices: Int32Array) => FeatureMatrix {
  return (indices) => projectForDistance(pickRows(candidates, indices), seed);
}
