/**
 * Open-set numbers: how well an out-of-distribution score separates photos like the training
 * photos (negatives) from photos of none of the model's cities (positives), and what a threshold
 * on it keeps. Pure TypeScript so the ML host, the core, the bench and the renderer agree.
 * Scores are oriented "higher = less like the training photos".
 */
import type { CoveragePoint } from '../contract/ml-types';

/**
 * Area under the ROC curve: the probability that a random outside photo scores above a random
 * in-distribution one, ties counting half (the Mann-Whitney U statistic). Null without both kinds.
 */
export function auroc(inside: ArrayLike<number>, outside: ArrayLike<number>): number | null {
  const n0 = inside.length;
  const n1 = outside.length;
  if (n0 === 0 || n1 === 0) return null;
  const all: { v: number; positive: boolean }[] = [];
  for (let i = 0; i < n0; i++) all.push({ v: inside[i]!, positive: false });
  for (let i = 0; i < n1; i++) all.push({ v: outside[i]!, positive: true });
  all.sort((a, b) => a.v - b.v);
  // Sum of the positives' mid-ranks (1-based), ties sharing their average rank.
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const midRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (all[t]!.positive) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n0 * n1);
}

/**
 * The threshold that keeps the share `keep` of `scores` (a score above it is "unknown"): the
 * smallest observed score with at least that share at or below it. Infinity for no scores.
 */
export function keepThreshold(scores: ArrayLike<number>, keep: number): number {
  const sorted = Float64Array.from(scores).sort();
  if (sorted.length === 0) return Infinity;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(keep * sorted.length) - 1));
  return sorted[index]!;
}

/** Share of `scores` strictly above `threshold` (flagged unknown); null for none. */
export function flaggedShare(scores: ArrayLike<number>, threshold: number): number | null {
  if (scores.length === 0) return null;
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > threshold) above++;
  return above / scores.length;
}

/**
 * False-positive rate at 95% true-positive rate, as the OOD literature reports it: the threshold
 * keeps 95% of the in-distribution photos, and this is the share of outside photos it keeps too
 * (wrongly answered with a city). Null without both kinds.
 */
export function fprAt95(inside: ArrayLike<number>, outside: ArrayLike<number>): number | null {
  if (inside.length === 0 || outside.length === 0) return null;
  const t = keepThreshold(inside, 0.95);
  return 1 - flaggedShare(outside, t)!;
}

/**
 * Selective accuracy: for each share of photos kept (most in-distribution first), the accuracy
 * on those kept. `points` evenly spaced coverages from 1/points to 1.
 */
export function coverageCurve(
  scores: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  points = 20,
): CoveragePoint[] {
  const n = scores.length;
  if (n === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const out: CoveragePoint[] = [];
  let right = 0;
  let taken = 0;
  for (let p = 1; p <= points; p++) {
    const want = Math.max(1, Math.round((p * n) / points));
    while (taken < want) {
      if (correct[order[taken]!]) right++;
      taken++;
    }
    out.push({
      threshold: scores[order[taken - 1]!]!,
      coverage: taken / n,
      accuracy: right / taken,
    });
  }
  return out;
}

/**
 * The threshold that keeps the share `keepRate` of the fitting photos, interpolated in the stored
 * score quantiles (`quantiles[q]` = the score at quantile q / (length - 1), ascending).
 */
export function thresholdForKeepRate(quantiles: readonly number[], keepRate: number): number {
  const pos = Math.min(1, Math.max(0, keepRate)) * (quantiles.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(quantiles.length - 1, lo + 1);
  return quantiles[lo]! + (quantiles[hi]! - quantiles[lo]!) * (pos - lo);
}

/** The inverse: the share of the fitting photos scoring at or below `threshold` (0-1). */
export function keepRateForThreshold(quantiles: readonly number[], threshold: number): number {
  const last = quantiles.length - 1;
  if (last < 1 || threshold < quantiles[0]!) return 0;
  if (threshold >= quantiles[last]!) return 1;
  let i = 0;
  while (i < last && quantiles[i + 1]! <= threshold) i++;
  const lo = quantiles[i]!;
  const hi = quantiles[i + 1]!;
  const frac = hi > lo ? (threshold - lo) / (hi - lo) : 0;
  return (i + frac) / last;
}

/** Whether a photo with this score is answered "unknown" (never without a score or threshold). */
export function isUnknown(oodScore: number | null, threshold: number | null): boolean {
  return oodScore !== null && threshold !== null && oodScore > threshold;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9),
 * for p in (0, 1).
 */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p <= 0 || p >= 1) throw new RangeError(`normalQuantile needs 0 < p < 1, not ${p}`);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Below this many fitting photos the empirical quantile alone is too noisy to trust. */
export const SMALL_FIT_SET = 100;

/**
 * The default "unknown" threshold from the fitting photos' scores: the empirical quantile that
 * keeps `keep` of them, raised for small sets towards a one-sided normal tolerance bound (the
 * bound that keeps `keep` of all such photos with 95% confidence, Natrella's approximation), at
 * most to a quarter above the largest score seen. With five validation photos the plain quantile is simply
 * their largest score, and about one new photo in six of the very same kind would be answered
 * "unknown"; the bound widens the threshold by what so few photos cannot tell, and meets the
 * quantile as sets grow. (On log scores the bound exploded: near-duplicates of training photos
 * score close to 0 and stretch the log scale, so it stays on the scores themselves.)
 */
export function defaultThreshold(scores: ArrayLike<number>, keep: number): number {
  const empirical = keepThreshold(scores, keep);
  const n = scores.length;
  if (n >= SMALL_FIT_SET || keep >= 1) return empirical;
  const values = Array.from(scores);
  const cap = 1.25 * Math.max(...values);
  if (n < 4) return Math.max(empirical, cap);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const zp = normalQuantile(keep);
  const zc = normalQuantile(0.95);
  const a = 1 - (zc * zc) / (2 * (n - 1));
  const b = zp * zp - (zc * zc) / n;
  const k = (zp + Math.sqrt(Math.max(0, zp * zp - a * b))) / a;
  return Math.max(empirical, Math.min(cap, mean + k * sd));
}
