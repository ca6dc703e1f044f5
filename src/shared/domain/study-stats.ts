// Statistics of a human-vs-model study (the paper's 27.2% vs 75.3% comparison, done properly):
// confidence intervals for accuracies, an exact paired test, and agreement beyond chance. Pure
// functions over counts, so the results page, the CLI and the tests share one implementation.
import { haversineKm, type LatLon } from './geo';

/** Two-sided 95% normal quantile. */
const Z95 = 1.959963984540054;

export type Interval = [low: number, high: number];

/**
 * Wilson score interval for k successes in n trials (95% by default). Unlike the normal
 * approximation it stays inside [0, 1] and behaves at 0/n and n/n, which small studies hit.
 */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || k < 0 || k > n) {
    throw new RangeError(`wilsonInterval needs 0 <= k <= n integers, got k=${k}, n=${n}`);
  }
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** ln C(n, k), exact enough for n in the thousands (sums of logs, no overflow). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * Exact two-sided McNemar test on paired outcomes: b = pairs where only the human was right,
 * c = pairs where only the model was right. Under the null each discordant pair is a fair coin,
 * so p = min(1, 2 · P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2). No discordant pairs: p = 1.
 */
export function mcnemarExactP(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`mcnemarExactP needs non-negative integer counts, got ${b}, ${c}`);
  }
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/**
 * Cohen's kappa between two raters' labels of the same items (any label values): observed
 * agreement corrected for the agreement expected from each rater's label frequencies. 1 = perfect,
 * 0 = chance level, negative = worse than chance. Null when there are no items; when both raters
 * always give one and the same label, expected agreement is 1 and kappa is defined as 1.
 */
export function cohensKappa<T>(a: readonly T[], b: readonly T[]): number | null {
  if (a.length !== b.length) throw new RangeError('cohensKappa needs two equally long lists');
  const n = a.length;
  if (n === 0) return null;
  const countA = new Map<T, number>();
  const countB = new Map<T, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as T;
    const y = b[i] as T;
    if (x === y) agree++;
    countA.set(x, (countA.get(x) ?? 0) + 1);
    countB.set(y, (countB.get(y) ?? 0) + 1);
  }
  const observed = agree / n;
  let expected = 0;
  for (const [label, ca] of countA) expected += (ca / n) * ((countB.get(label) ?? 0) / n);
  if (expected >= 1) return observed >= 1 ? 1 : 0;
  return (observed - expected) / (1 - expected);
}

/** GeoGuessr-style score of a guess: 5000 at the right place, falling by e every 1492.7 km. */
export function distanceScore(guess: LatLon, truth: LatLon): number {
  return 5000 * Math.exp(-haversineKm(guess, truth) / 1492.7);
}

export type PairedTrial = { truth: string; human: string; model: string };

export type PairedSummary = {
  n: number;
  humanCorrect: number;
  modelCorrect: number;
  humanAccuracy: number | null;
  modelAccuracy: number | null;
  humanCI: Interval;
  modelCI: Interval;
  /** Only the human right / only the model right. */
  onlyHuman: number;
  onlyModel: number;
  mcnemarP: number;
  /** Agreement of the human's and the model's answers (not of their correctness). */
  kappa: number | null;
};

/** Everything the results page and `study results` report about paired trials. */
export function summarisePaired(trials: readonly PairedTrial[]): PairedSummary {
  let humanCorrect = 0;
  let modelCorrect = 0;
  let onlyHuman = 0;
  let onlyModel = 0;
  for (const t of trials) {
    const h = t.human === t.truth;
    const m = t.model === t.truth;
    if (h) humanCorrect++;
    if (m) modelCorrect++;
    if (h && !m) onlyHuman++;
    if (m && !h) onlyModel++;
  }
  const n = trials.length;
  return {
    n,
    humanCorrect,
    modelCorrect,
    humanAccuracy: n === 0 ? null : humanCorrect / n,
    modelAccuracy: n === 0 ? null : modelCorrect / n,
    humanCI: wilsonInterval(humanCorrect, n),
    modelCI: wilsonInterval(modelCorrect, n),
    onlyHuman,
    onlyModel,
    mcnemarP: mcnemarExactP(onlyHuman, onlyModel),
    kappa: cohensKappa(
      trials.map((t) => t.human),
      trials.map((t) => t.model),
    ),
  };
}
