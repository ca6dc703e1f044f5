// Temperature scaling (Guo et al. 2017): one scalar T divides the logits so that the softmax's
// confidence matches the accuracy on held-out photos. It never changes which city ranks first.

/** Softmax of `logits` [n, K] at temperature t, row by row (stable: max subtracted). */
export function softmaxRows(logits: ArrayLike<number>, k: number, t = 1): Float32Array {
  const n = logits.length / k;
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]! / t);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[r * k + j]! / t - max);
      out[r * k + j] = e;
      sum += e;
    }
    for (let j = 0; j < k; j++) out[r * k + j]! /= sum;
  }
  return out;
}

/** Mean negative log-likelihood of `labels` under softmax(logits / t). */
export function meanNll(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  t: number,
): number {
  const n = labels.length;
  let total = 0;
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]! / t);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[r * k + j]! / t - max);
    total += Math.log(sum) + max - logits[r * k + labels[r]!]! / t;
  }
  return n > 0 ? total / n : 0;
}

/**
 * Temperatures are searched in [MIN_T, MAX_T]: beyond them a validation set is telling more about
 * its own size than about the model.
 */
export const MIN_T = 0.25;
export const MAX_T = 10;

function errorCount(logits: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  let errors = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits[r * k + j]! > logits[r * k + best]!) best = j;
    if (best !== labels[r]) errors++;
  }
  return errors;
}

/**
 * The temperature minimising the validation NLL: golden-section search on log T (the NLL is
 * convex in 1/T, so unimodal here). 1 when there is nothing to fit on, and when every validation
 * photo is right: the NLL then only falls as T shrinks, which would make every answer,
 * outside photos' included, look certain.
 */
export function fitTemperature(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
): number {
  if (labels.length === 0 || errorCount(logits, labels, k) === 0) return 1;
  let lo = Math.log(MIN_T);
  let hi = Math.log(MAX_T);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = meanNll(logits, labels, k, Math.exp(a));
  let fb = meanNll(logits, labels, k, Math.exp(b));
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = meanNll(logits, labels, k, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = meanNll(logits, labels, k, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}
