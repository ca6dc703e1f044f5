/**
 * Classification metrics from true labels and predicted probability rows. Pure TypeScript (no tfjs)
 * so the renderer, the core and the ML host compute identical numbers. Undefined quantities (a
 * class with no images, a class never predicted) are null, never NaN, so reports stay valid JSON.
 */
import { AppError } from '../contract/errors';
import type {
  Calibration,
  ClassMetrics,
  EvaluationReport,
  MacroAverage,
  Proportion,
  ReliabilityBin,
} from '../contract/ml-types';

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;
const CALIBRATION_BINS = 10;
const ROW_SUM_TOLERANCE = 1e-3;
const LOG_CLIP = 1e-15;

/**
 * Wilson score interval for `successes / trials` (95%). Unlike the normal approximation it stays
 * inside [0, 1] and behaves at 0 and 1 successes, which matters for small per-city test sets.
 */
export function wilson(successes: number, trials: number, z = Z95): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 0) {
    throw new AppError('BAD_ARGUMENT', 'wilson() needs integer counts with trials >= 0.', {
      successes,
      trials,
    });
  }
  if (successes < 0 || successes > trials) {
    throw new AppError('BAD_ARGUMENT', 'wilson() needs 0 <= successes <= trials.', {
      successes,
      trials,
    });
  }
  if (trials === 0) return { successes, trials, value: null, lo: null, hi: null };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    successes,
    trials,
    value: p,
    lo: Math.max(0, centre - half),
    hi: Math.min(1, centre + half),
  };
}

export type EvaluateInput = {
  classes: readonly string[];
  /** True class index of each image, integers in [0, classes.length). */
  labels: ArrayLike<number>;
  /**
   * Predicted probabilities: either one flat row-major array of n * K values or n rows of K
   * values. Each row must be a distribution (non-negative, summing to 1 within 1e-3).
   */
  probabilities: ArrayLike<number> | readonly ArrayLike<number>[];
  /** Which top-k accuracies to report (values above K are dropped). Default [1, 3, 5]. */
  topK?: readonly number[];
  /** Class counts of the training data, to pick the majority-class baseline as a model would. */
  priorCounts?: readonly number[];
};

/**
 * Index of the largest value (first one on ties) among the `k` values from `offset` of a flat
 * n x K array (offset 0, k = length: a single row).
 */
export function argmaxRow(p: ArrayLike<number>, offset = 0, k = p.length): number {
  let best = 0;
  let bestValue = p[offset] as number;
  for (let j = 1; j < k; j++) {
    const v = p[offset + j] as number;
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/** 1-based rank of class `label` in its row: how many classes beat it (ties favour lower index). */
function rankOf(p: ArrayLike<number>, offset: number, k: number, label: number): number {
  const target = p[offset + label] as number;
  let rank = 1;
  for (let j = 0; j < k; j++) {
    const v = p[offset + j] as number;
    if (v > target || (v === target && j < label)) rank++;
  }
  return rank;
}

function flatten(
  probabilities: EvaluateInput['probabilities'],
  n: number,
  k: number,
): ArrayLike<number> {
  const first = (probabilities as ArrayLike<unknown>)[0];
  if (n > 0 && typeof first === 'object' && first !== null) {
    const rows = probabilities as readonly ArrayLike<number>[];
    if (rows.length !== n) {
      throw new AppError('BAD_ARGUMENT', `Expected ${n} probability rows, got ${rows.length}.`);
    }
    const flat = new Float64Array(n * k);
    rows.forEach((row, i) => {
      if (row.length !== k) {
        throw new AppError(
          'BAD_ARGUMENT',
          `Probability row ${i} has ${row.length} values, not ${k}.`,
        );
      }
      for (let j = 0; j < k; j++) flat[i * k + j] = row[j] as number;
    });
    return flat;
  }
  const flat = probabilities as ArrayLike<number>;
  if (flat.length !== n * k) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Expected ${n} x ${k} = ${n * k} probabilities, got ${flat.length}.`,
    );
  }
  return flat;
}

function validate(labels: ArrayLike<number>, p: ArrayLike<number>, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Label ${i} is ${y}; labels must be integers in [0, ${k}).`,
      );
    }
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = p[i * k + j] as number;
      if (!Number.isFinite(v) || v < 0) {
        throw new AppError('BAD_ARGUMENT', `Probability [${i}, ${j}] is ${v}; expected >= 0.`);
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Probability row ${i} sums to ${sum}, not 1: pass softmax outputs, not logits.`,
      );
    }
  }
}

export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  k: number,
): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < labels.length; i++) {
    (m[labels[i] as number] as number[])[predicted[i] as number]! += 1;
  }
  return m;
}

function mean(values: (number | null)[]): MacroAverage {
  const defined = values.filter((v): v is number => v !== null);
  return {
    value: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length,
    classes: defined.length,
  };
}

/**
 * Reliability diagram and expected calibration error over `bins` equal-width confidence bins.
 * `confidence[i]` in [0, 1] is the top-1 probability, `correct[i]` whether top-1 was right.
 */
export function calibration(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  bins = CALIBRATION_BINS,
): Calibration {
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    count[b]! += 1;
    confSum[b]! += c;
    if (correct[i]) hits[b]! += 1;
  }
  const n = confidence.length;
  let ece = 0;
  let mce = 0;
  const out: ReliabilityBin[] = count.map((c, b) => {
    const conf = c === 0 ? null : (confSum[b] as number) / c;
    const acc = c === 0 ? null : (hits[b] as number) / c;
    if (conf !== null && acc !== null) {
      const gap = Math.abs(acc - conf);
      ece += (c / n) * gap;
      mce = Math.max(mce, gap);
    }
    return { lo: b / bins, hi: (b + 1) / bins, count: c, confidence: conf, accuracy: acc };
  });
  return { ece, mce, bins: out };
}

/** Everything the Evaluate screen, the CLI and the model bundle show about one prediction run. */
export function evaluate(input: EvaluateInput): EvaluationReport {
  const classes = [...input.classes];
  const k = classes.length;
  if (k < 2) throw new AppError('BAD_ARGUMENT', 'Evaluation needs at least two classes.');
  const n = input.labels.length;
  const p = flatten(input.probabilities, n, k);
  validate(input.labels, p, n, k);
  if (input.priorCounts !== undefined && input.priorCounts.length !== k) {
    throw new AppError('BAD_ARGUMENT', `priorCounts needs ${k} values.`);
  }

  const predicted = new Int32Array(n);
  const confidence = new Float64Array(n);
  const correct = new Array<boolean>(n);
  const ks = [...new Set(input.topK ?? [1, 3, 5])]
    .filter((v) => Number.isInteger(v) && v >= 1 && v <= k)
    .sort((a, b) => a - b);
  const topHits = new Array<number>(ks.length).fill(0);
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const off = i * k;
    const y = input.labels[i] as number;
    const top = argmaxRow(p, off, k);
    predicted[i] = top;
    confidence[i] = p[off + top] as number;
    correct[i] = top === y;
    const rank = rankOf(p, off, k, y);
    ks.forEach((kk, idx) => {
      if (rank <= kk) topHits[idx]! += 1;
    });
    logLoss -= Math.log(Math.max(p[off + y] as number, LOG_CLIP));
    for (let j = 0; j < k; j++) {
      const d = (p[off + j] as number) - (j === y ? 1 : 0);
      brier += d * d;
    }
  }

  const confusion = confusionMatrix(input.labels, predicted, k);
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predictedCount = classes.map((_, j) => confusion.reduce((a, row) => a + row[j]!, 0));
  const correctTotal = confusion.reduce((a, row, i) => a + row[i]!, 0);

  const perClass: ClassMetrics[] = classes.map((name, c) => {
    const tp = confusion[c]![c]!;
    const fn = support[c]! - tp;
    const fp = predictedCount[c]! - tp;
    const f1Denom = 2 * tp + fp + fn;
    return {
      class: name,
      support: support[c]!,
      predicted: predictedCount[c]!,
      truePositives: tp,
      precision: wilson(tp, predictedCount[c]!),
      recall: wilson(tp, support[c]!),
      f1: f1Denom === 0 ? null : (2 * tp) / f1Denom,
      binaryAccuracy: wilson(n - fp - fn, n),
    };
  });

  const topConfusions: EvaluationReport['topConfusions'] = [];
  confusion.forEach((row, t) =>
    row.forEach((count, q) => {
      if (t !== q && count > 0) {
        topConfusions.push({ true: classes[t]!, predicted: classes[q]!, count });
      }
    }),
  );
  topConfusions.sort((a, b) => b.count - a.count);

  const prior = input.priorCounts ?? support;
  const majorityIndex = argmaxRow(prior, 0, k);

  return {
    classes,
    n,
    confusion,
    accuracy: wilson(correctTotal, n),
    topK: ks.map((kk, idx) => ({ k: kk, ...wilson(topHits[idx]!, n) })),
    perClass,
    macro: {
      precision: mean(perClass.map((c) => c.precision.value)),
      recall: mean(perClass.map((c) => c.recall.value)),
      f1: mean(perClass.map((c) => c.f1)),
    },
    topConfusions: topConfusions.slice(0, 10),
    calibration: calibration(confidence, correct),
    logLoss: n === 0 ? 0 : logLoss / n,
    brier: n === 0 ? 0 : brier / n,
    chance: {
      uniform: 1 / k,
      majority: {
        class: classes[majorityIndex]!,
        accuracy: wilson(support[majorityIndex]!, n),
        source: input.priorCounts === undefined ? 'evaluated' : 'prior',
      },
    },
  };
}
