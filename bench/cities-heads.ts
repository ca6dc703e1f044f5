/**
 * Heads tried on each candidate feature vector. The app's own stage-1 trainer (trainHead: SGD with
 * momentum, L2, class weights, rate drops, early stopping on validation accuracy) for the default
 * head, a hidden layer with dropout and a longer schedule; a small trainer of the same recipe here
 * for what trainHead has no option for (label smoothing, mixup on features).
 * Every head keeps its best epoch by validation accuracy (centre crop), as the app does.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveHyperParams } from '../src/shared/contract/ml-methods';
import { headProbabilities, trainHead, type HeadState } from '../src/main/ml-host/train';
import { mulberry32 } from '../src/shared/domain/random';

export type HeadSpec = {
  name: string;
  kind: 'app' | 'bench';
  epochs: number;
  hidden?: number;
  dropout?: number;
  earlyStop?: number | null;
  labelSmoothing?: number;
  mixupAlpha?: number;
};

export const HEADS: readonly HeadSpec[] = [
  { name: 'softmax (app default: SGD, 30 epochs max)', kind: 'app', epochs: 30 },
  { name: 'softmax, 120 epochs (longer schedule)', kind: 'app', epochs: 120, earlyStop: 30 },
  { name: 'hidden 512 + dropout 0.5', kind: 'app', epochs: 60, hidden: 512, dropout: 0.5 },
  { name: 'softmax + label smoothing 0.1', kind: 'bench', epochs: 30, labelSmoothing: 0.1 },
  { name: 'softmax + mixup (alpha 0.2)', kind: 'bench', epochs: 30, mixupAlpha: 0.2 },
];

export type Split = { x: Float32Array; labels: Int32Array; dim: number };

/** Probabilities [N * K] of `rows` under a trained head. */
/** Class probabilities [n, K] for feature rows [n, D] (asynchronous: the app's head reads with data()). */
export type Scorer = (rows: Float32Array) => Promise<Float32Array>;

export type TrainedHead = { score: Scorer; epochs: number; dispose: () => void };

/** Trains one head; returns a scorer of feature rows and the epochs it ran. */
export async function trainOne(
  spec: HeadSpec,
  train: Split,
  val: Split,
  k: number,
  seed: number,
): Promise<TrainedHead> {
  if (spec.kind === 'app') {
    const hyper = resolveHyperParams({
      epochs: spec.epochs,
      hidden: spec.hidden ?? null,
      dropout: spec.dropout ?? 0,
      seed,
      ...(spec.earlyStop === undefined ? {} : { earlyStopPatience: spec.earlyStop }),
    });
    const result = await trainHead({
      train: { x: train.x, rowShape: [train.dim], labels: train.labels },
      val: { x: val.x, rowShape: [val.dim], labels: val.labels },
      numClasses: k,
      hyper,
    });
    const head: HeadState = result.head;
    return {
      score: (rows) => headProbabilities(head, rows),
      epochs: result.history.length,
      dispose: () => undefined,
    };
  }
  return benchSoftmax(spec, train, val, k, seed);
}

/** A Beta(a, a) draw (Jöhnk's method), for mixup's mixing weight. */
function betaDraw(a: number, rnd: () => number): number {
  for (;;) {
    const x = rnd() ** (1 / a);
    const y = rnd() ** (1 / a);
    if (x + y <= 1 && x + y > 0) return x / (x + y);
  }
}

function accuracy(p: Float32Array, labels: Int32Array, k: number): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + best]!) best = j;
    if (best === labels[i]) hits++;
  }
  return labels.length === 0 ? 0 : hits / labels.length;
}

/** Softmax regression with the app's recipe (SGD 0.01, momentum 0.9, L2 1e-4, batch 256). */
async function benchSoftmax(
  spec: HeadSpec,
  train: Split,
  val: Split,
  k: number,
  seed: number,
): Promise<TrainedHead> {
  const d = train.dim;
  const n = train.labels.length;
  const rnd = mulberry32(seed);
  const limit = Math.sqrt(6 / (d + k));
  const w = tf.variable(tf.randomUniform([d, k], -limit, limit, 'float32', seed));
  const b = tf.variable(tf.zeros([k]));
  const optimizer = tf.train.momentum(0.01, 0.9);
  const predict = (rows: Float32Array): Float32Array =>
    tf.tidy(() =>
      tf.softmax(tf.add(tf.matMul(tf.tensor2d(rows, [rows.length / d, d]), w), b)).dataSync(),
    ) as Float32Array;
  let best = { acc: -1, w: new Float32Array(0), b: new Float32Array(0) };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start < n; start += 256) {
      const idx = order.slice(start, start + 256);
      const xs = new Float32Array(idx.length * d);
      const ys = new Float32Array(idx.length * k);
      const smooth = spec.labelSmoothing ?? 0;
      idx.forEach((r, i) => {
        xs.set(train.x.subarray(r * d, (r + 1) * d), i * d);
        for (let j = 0; j < k; j++) ys[i * k + j] = smooth / k;
        ys[i * k + train.labels[r]!]! += 1 - smooth;
      });
      if (spec.mixupAlpha !== undefined) {
        // Mix each row with a random partner of the batch: features and targets alike.
        const lam = betaDraw(spec.mixupAlpha, rnd);
        const x2 = xs.slice();
        const y2 = ys.slice();
        idx.forEach((_, i) => {
          const p = Math.floor(rnd() * idx.length);
          for (let j = 0; j < d; j++)
            xs[i * d + j] = lam * x2[i * d + j]! + (1 - lam) * x2[p * d + j]!;
          for (let j = 0; j < k; j++)
            ys[i * k + j] = lam * y2[i * k + j]! + (1 - lam) * y2[p * k + j]!;
        });
      }
      tf.tidy(() => {
        const x = tf.tensor2d(xs, [idx.length, d]);
        const y = tf.tensor2d(ys, [idx.length, k]);
        optimizer.minimize(() =>
          tf.add<tf.Scalar>(
            tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(x, w), b)),
            tf.mul(1e-4, tf.sum(tf.square(w))),
          ),
        );
      });
    }
    const acc = accuracy(predict(val.x), val.labels, k);
    if (acc > best.acc) {
      best = { acc, w: Float32Array.from(w.dataSync()), b: Float32Array.from(b.dataSync()) };
    }
    await new Promise((r) => setImmediate(r));
  }
  tf.tidy(() => {
    w.assign(tf.tensor2d(best.w, [d, k]));
    b.assign(tf.tensor1d(best.b));
  });
  return {
    score: (rows) => Promise.resolve(predict(rows)),
    epochs: spec.epochs,
    dispose: () => {
      w.dispose();
      b.dispose();
      optimizer.dispose();
    },
  };
}
