// "Probably mislabelled": confident learning (Northcutt et al.) on out-of-fold probabilities.
// Every labelled photo is judged by a head trained on the other folds only, so no photo vouches
// for its own label. A class's threshold is the mean probability its own photos get for it; a
// photo is suspect when another city clears that city's threshold and beats the photo's label
// (an off-diagonal entry of the confident joint).
import { AppError } from '../../../shared/contract/errors';
import { mulberry32, shuffleInPlace } from '../../../shared/domain/random';
import {
  headProbabilitiesPlain,
  trainSoftmaxHead,
  type FeatureMatrix,
  type SoftmaxOptions,
} from './softmax-head';

export type Suspect = {
  /** Row of the input. */
  index: number;
  label: number;
  /** The city the out-of-fold head believes instead. */
  suggested: number;
  /** p(suggested) − p(label), out of fold: in (0, 1], larger = more suspect. */
  score: number;
  labelProbability: number;
};

export type SuspectsResult = {
  /** Most suspect first. */
  suspects: Suspect[];
  /** Per class: the mean out-of-fold probability its own photos give it. */
  thresholds: Float64Array;
  /** [n, k] out-of-fold probabilities. */
  outOfFold: Float32Array;
};

/** Seeded, class-stratified fold of each row: every class spread evenly over the folds. */
export function stratifiedFolds(
  labels: Int32Array,
  k: number,
  folds: number,
  seed: number,
): Int32Array {
  const fold = new Int32Array(labels.length);
  const random = mulberry32(seed);
  for (let c = 0; c < k; c++) {
    const rows: number[] = [];
    labels.forEach((l, i) => {
      if (l === c) rows.push(i);
    });
    shuffleInPlace(rows, random);
    // Start each class where the previous one stopped, so small classes do not all fill fold 0.
    rows.forEach((r, i) => (fold[r] = (i + c) % folds));
  }
  return fold;
}

/** Out-of-fold probabilities [n, k]: row i predicted by a head trained without i's fold. */
export function outOfFoldProbabilities(
  data: FeatureMatrix,
  labels: Int32Array,
  k: number,
  folds: number,
  options: Partial<SoftmaxOptions> & { onFold?: (done: number) => void; signal?: AbortSignal } = {},
): Float32Array {
  const seed = options.seed ?? 1;
  const fold = stratifiedFolds(labels, k, folds, seed);
  const out = new Float32Array(data.n * k);
  for (let f = 0; f < folds; f++) {
    if (options.signal?.aborted === true) throw new AppError('CANCELLED', 'Cancelled.');
    const trainRows: number[] = [];
    const testRows: number[] = [];
    fold.forEach((g, i) => (g === f ? testRows : trainRows).push(i));
    if (testRows.length === 0) continue;
    const rows = Int32Array.from(trainRows);
    const head = trainSoftmaxHead(
      data,
      rows,
      Int32Array.from(trainRows, (r) => labels[r] as number),
      k,
      { ...options, seed: seed + f },
    );
    const test = new Float32Array(testRows.length * data.dim);
    testRows.forEach((r, i) =>
      test.set(data.x.subarray(r * data.dim, (r + 1) * data.dim), i * data.dim),
    );
    const probs = headProbabilitiesPlain(head, { x: test, n: testRows.length, dim: data.dim });
    testRows.forEach((r, i) => out.set(probs.subarray(i * k, (i + 1) * k), r * k));
    options.onFold?.(f + 1);
  }
  return out;
}

/** Confident-learning suspects from out-of-fold probabilities [n, k] and the given labels. */
export function confidentSuspects(
  probs: Float32Array,
  labels: Int32Array,
  k: number,
): SuspectsResult {
  const n = labels.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    sums[y] = (sums[y] as number) + (probs[i * k + y] as number);
    counts[y] = (counts[y] as number) + 1;
  }
  // A class without photos can never clear its threshold (Infinity): nothing is blamed on it.
  const thresholds = Float64Array.from(sums, (s, c) =>
    (counts[c] as number) > 0 ? s / (counts[c] as number) : Infinity,
  );
  const suspects: Suspect[] = [];
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    let best = -1;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      if (p >= (thresholds[c] as number) && (best < 0 || p > (probs[i * k + best] as number)))
        best = c;
    }
    if (best < 0 || best === y) continue;
    const pLabel = probs[i * k + y] as number;
    suspects.push({
      index: i,
      label: y,
      suggested: best,
      score: (probs[i * k + best] as number) - pLabel,
      labelProbability: pLabel,
    });
  }
  suspects.sort((a, b) => b.score - a.score || a.index - b.index);
  return { suspects, thresholds, outOfFold: probs };
}
