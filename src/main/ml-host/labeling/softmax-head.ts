// The labeling queues' small dense math in plain typed arrays: a softmax head (the app's head
// format, without a hidden layer) trained on cached features, and class probabilities of any head.
// No TensorFlow.js: a retrain on a few thousand cached feature rows takes about a second in plain
// loops, costs no tensors and gives the same numbers on every backend (measured in the labeling
// bench), so the queues run the same in the ML host, in tests and in the bench.
import { AppError } from '../../../shared/contract/errors';
import { mulberry32, shuffleInPlace } from '../../../shared/domain/random';
import type { HeadState } from '../train/types';

/** Features: `n` rows of `dim` floats, row-major. */
export type FeatureMatrix = { x: Float32Array; n: number; dim: number };

export type SoftmaxOptions = {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the kernel (per example, as in the app's stage 1). */
  l2: number;
  batchSize: number;
  seed: number;
  /** Checked after every epoch: a retrain replaced by a newer one stops within an epoch. */
  signal?: AbortSignal;
};

export const DEFAULT_SOFTMAX: SoftmaxOptions = {
  epochs: 30,
  learningRate: 0.02,
  // Strong on purpose: the queues train on few labels (tens to hundreds) of wide features, where a
  // weak penalty lets the head memorise the odd wrong label (measured in the labeling bench).
  l2: 1e-2,
  batchSize: 32,
  seed: 1,
};

/** Softmax of `logits[offset .. offset+k)` in place (max-shifted, so large logits stay finite). */
function softmaxInPlace(logits: Float32Array | Float64Array, offset: number, k: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, logits[offset + c] as number);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((logits[offset + c] as number) - max);
    logits[offset + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) logits[offset + c] = (logits[offset + c] as number) / sum;
}

/** Column means and standard deviations (a zero deviation counts as 1: a constant feature). */
function standardisation(
  data: FeatureMatrix,
  rows: Int32Array,
): { mean: Float64Array; scale: Float64Array } {
  const { x, dim } = data;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (const r of rows) {
    const o = r * dim;
    for (let j = 0; j < dim; j++) {
      const v = x[o + j] as number;
      mean[j] = (mean[j] as number) + v;
      sq[j] = (sq[j] as number) + v * v;
    }
  }
  const scale = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    const m = (mean[j] as number) / rows.length;
    mean[j] = m;
    const variance = (sq[j] as number) / rows.length - m * m;
    scale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
  }
  return { mean, scale };
}

/**
 * Trains a softmax head on `rows` of `data` with labels in [0, k): mini-batch Adam on standardised
 * features (the standardisation is folded into the returned weights, so the head takes raw
 * features like any head of the app). Seeded: the same inputs give the same weights.
 * Returns logits/kernel [dim, k] and logits/bias [k].
 */
export function trainSoftmaxHead(
  data: FeatureMatrix,
  rows: Int32Array,
  labels: Int32Array,
  k: number,
  options: Partial<SoftmaxOptions> = {},
): HeadState {
  const o = { ...DEFAULT_SOFTMAX, ...options };
  const { x, dim } = data;
  const n = rows.length;
  // Class-major weights: one contiguous row of `dim` per class makes the dot products tight.
  const w = new Float64Array(k * dim);
  const b = new Float64Array(k);
  if (n > 0) {
    const { mean, scale } = standardisation(data, rows);
    const mW = new Float64Array(k * dim);
    const vW = new Float64Array(k * dim);
    const mB = new Float64Array(k);
    const vB = new Float64Array(k);
    const gW = new Float64Array(k * dim);
    const gB = new Float64Array(k);
    const z = new Float64Array(dim);
    const p = new Float64Array(k);
    const order = Array.from({ length: n }, (_, i) => i);
    const random = mulberry32(o.seed);
    const beta1 = 0.9;
    const beta2 = 0.999;
    let step = 0;
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      if (o.signal?.aborted === true) throw new AppError('CANCELLED', 'Cancelled.');
      shuffleInPlace(order, random);
      for (let start = 0; start < n; start += o.batchSize) {
        const end = Math.min(n, start + o.batchSize);
        gW.fill(0);
        gB.fill(0);
        for (let t = start; t < end; t++) {
          const i = order[t] as number;
          const base = (rows[i] as number) * dim;
          for (let j = 0; j < dim; j++) {
            z[j] = ((x[base + j] as number) - (mean[j] as number)) * (scale[j] as number);
          }
          for (let c = 0; c < k; c++) {
            let s = b[c] as number;
            const wo = c * dim;
            for (let j = 0; j < dim; j++) s += (w[wo + j] as number) * (z[j] as number);
            p[c] = s;
          }
          softmaxInPlace(p, 0, k);
          p[labels[i] as number] = (p[labels[i] as number] as number) - 1;
          for (let c = 0; c < k; c++) {
            const g = p[c] as number;
            gB[c] = (gB[c] as number) + g;
            const wo = c * dim;
            for (let j = 0; j < dim; j++)
              gW[wo + j] = (gW[wo + j] as number) + g * (z[j] as number);
          }
        }
        step++;
        const size = end - start;
        const lr = (o.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
        for (let q = 0; q < w.length; q++) {
          const g = (gW[q] as number) / size + o.l2 * (w[q] as number);
          mW[q] = beta1 * (mW[q] as number) + (1 - beta1) * g;
          vW[q] = beta2 * (vW[q] as number) + (1 - beta2) * g * g;
          w[q] = (w[q] as number) - (lr * (mW[q] as number)) / (Math.sqrt(vW[q] as number) + 1e-8);
        }
        for (let c = 0; c < k; c++) {
          const g = (gB[c] as number) / size;
          mB[c] = beta1 * (mB[c] as number) + (1 - beta1) * g;
          vB[c] = beta2 * (vB[c] as number) + (1 - beta2) * g * g;
          b[c] = (b[c] as number) - (lr * (mB[c] as number)) / (Math.sqrt(vB[c] as number) + 1e-8);
        }
      }
    }
    // Fold the standardisation in: w·((x − mean)·scale) + b = (w·scale)·x + (b − Σ w·scale·mean).
    for (let c = 0; c < k; c++) {
      let shift = 0;
      for (let j = 0; j < dim; j++) {
        const q = c * dim + j;
        w[q] = (w[q] as number) * (scale[j] as number);
        shift += w[q] * (mean[j] as number);
      }
      b[c] = (b[c] as number) - shift;
    }
  }
  const kernel = new Float32Array(dim * k);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < dim; j++) kernel[j * k + c] = w[c * dim + j] as number;
  }
  return {
    config: { inputDim: dim, numClasses: k, hidden: null, dropout: 0 },
    weights: [
      { name: 'logits/kernel', shape: [dim, k], values: kernel },
      { name: 'logits/bias', shape: [k], values: Float32Array.from(b) },
    ],
  };
}

/** One dense layer: out[n, m] = x[n, d] · kernel[d, m] + bias, optionally ReLU. */
function dense(
  x: Float32Array,
  n: number,
  d: number,
  kernel: Float32Array,
  bias: Float32Array,
  m: number,
  relu: boolean,
): Float32Array {
  const out = new Float32Array(n * m);
  const acc = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    acc.set(bias);
    const xo = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[xo + j] as number;
      if (v === 0) continue;
      const ko = j * m;
      for (let c = 0; c < m; c++) acc[c] = (acc[c] as number) + v * (kernel[ko + c] as number);
    }
    for (let c = 0; c < m; c++) {
      const v = acc[c] as number;
      out[i * m + c] = relu && v < 0 ? 0 : v;
    }
  }
  return out;
}

/**
 * Class probabilities [n, k] (rows sum to 1) of any head of the app (with or without its hidden
 * ReLU layer; dropout is a training-time thing) for features [n, inputDim].
 */
export function headProbabilitiesPlain(head: HeadState, data: FeatureMatrix): Float32Array {
  const { inputDim, numClasses: k, hidden } = head.config;
  if (data.dim !== inputDim) {
    throw new Error(`head takes ${inputDim} features, got rows of ${data.dim}`);
  }
  const find = (name: string): Float32Array => {
    const w = head.weights.find((a) => a.name === name);
    if (w === undefined) throw new Error(`head has no ${name}`);
    return w.values;
  };
  let x = data.x.subarray(0, data.n * inputDim);
  let width = inputDim;
  if (hidden !== null) {
    x = dense(x, data.n, inputDim, find('hidden/kernel'), find('hidden/bias'), hidden, true);
    width = hidden;
  }
  const logits = dense(x, data.n, width, find('logits/kernel'), find('logits/bias'), k, false);
  for (let i = 0; i < data.n; i++) softmaxInPlace(logits, i * k, k);
  return logits;
}

/** Share of `rows` whose most probable class is their label (null for no rows). */
export function accuracyOf(probs: Float32Array, k: number, labels: Int32Array): number | null {
  const n = labels.length;
  if (n === 0) return null;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++)
      if ((probs[i * k + c] as number) > (probs[i * k + best] as number)) best = c;
    if (best === labels[i]) right++;
  }
  return right / n;
}
