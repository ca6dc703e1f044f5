// One training epoch (shuffled or balanced mini-batches, one optimizer step each) and the
// evaluation of a set, for the training loop.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { TrainHyperParams } from '../../../shared/contract/ml-types';
import { takeFloats } from '../backend/read';
import { epochOrder, gatherLabels, gatherRows } from './examples';
import type { TrainOptimizer } from './optimizer';
import { dropoutMask, type Prng } from './prng';
import type { TrainableModel } from './trainable';
import type { ExampleSet } from './types';

export type EpochStep = {
  model: TrainableModel;
  train: ExampleSet;
  numClasses: number;
  hyper: TrainHyperParams;
  optimizer: TrainOptimizer;
  /** Per-class loss weights [K]. */
  classWeights: tf.Tensor1D;
  /** Shuffles and dropout masks draw from it, so a resumed run continues the same sequence. */
  prng: Prng;
  signal: AbortSignal | undefined;
  /** After every batch (1-based). */
  onBatch(batch: number, batches: number): void;
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Batches of at most hyper.batchSize examples (and never more than the training set). */
function batchSizeOf(step: Pick<EpochStep, 'train' | 'hyper'>): number {
  return Math.max(1, Math.min(step.hyper.batchSize, step.train.labels.length));
}

/**
 * One pass over the training set: weighted softmax cross-entropy + L2, one optimizer step per
 * batch inside tf.tidy. Returns the mean training loss and accuracy, or null when cancelled
 * between batches. Throws INTERNAL when the loss is no longer finite.
 */
export async function trainEpoch(
  step: EpochStep,
  epoch: number,
): Promise<{ loss: number; accuracy: number } | null> {
  const { model, train, numClasses, hyper, optimizer, prng } = step;
  const n = train.labels.length;
  const batchSize = batchSizeOf(step);
  const batches = Math.ceil(n / batchSize);
  const order = epochOrder(train.labels, numClasses, hyper.imbalance, prng);
  let lossSum = tf.scalar(0);
  let hitSum = tf.scalar(0);
  try {
    for (let b = 0; b < batches; b++) {
      if (step.signal?.aborted) return null;
      const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const rows = gatherRows(train, idx, epoch);
      const labels = gatherLabels(train, idx);
      const mask =
        hyper.dropout > 0
          ? dropoutMask(prng, idx.length * model.dropoutWidth, hyper.dropout)
          : null;
      const [nextLoss, nextHits] = tf.tidy(() => {
        const x = tf.tensor(rows, [idx.length, ...train.rowShape]);
        const y = tf.tensor1d(labels, 'int32');
        const w = tf.gather(step.classWeights, y);
        const m = mask === null ? null : tf.tensor2d(mask, [idx.length, model.dropoutWidth]);
        // Side results of the loss closure, kept out of the gradient tape's scope.
        const side: { hits?: tf.Tensor; ce?: tf.Tensor } = {};
        optimizer.minimize(() => {
          const logits = model.logits(x, m);
          side.hits = tf.keep(tf.equal(tf.argMax(logits, 1), y).cast('float32').sum());
          const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(y, numClasses), tf.logSoftmax(logits)), 1));
          const dataLoss: tf.Scalar = tf.mean(tf.mul(ce, w));
          side.ce = tf.keep(dataLoss);
          let total = dataLoss;
          if (hyper.l2 > 0) {
            for (const k of model.kernels) total = total.add(tf.sum(tf.square(k)).mul(hyper.l2));
          }
          return total;
        });
        const { hits, ce } = side as { hits: tf.Tensor; ce: tf.Tensor };
        const out = [lossSum.add(ce.mul(idx.length)), hitSum.add(hits)];
        tf.dispose([hits, ce]);
        return out;
      });
      lossSum.dispose();
      hitSum.dispose();
      lossSum = nextLoss as tf.Scalar;
      hitSum = nextHits as tf.Scalar;
      step.onBatch(b + 1, batches);
      await yieldToEventLoop();
    }
    const loss = (await lossSum.data())[0]! / n;
    const accuracy = (await hitSum.data())[0]! / n;
    if (!Number.isFinite(loss)) {
      throw new AppError(
        'INTERNAL',
        `Training diverged at epoch ${epoch} (loss is ${loss}); lower the learning rate.`,
      );
    }
    return { loss, accuracy };
  } finally {
    lossSum.dispose();
    hitSum.dispose();
  }
}

/** Mean cross-entropy and accuracy of the model on a set, in batches, without dropout. */
export async function evaluateSet(
  model: TrainableModel,
  set: ExampleSet,
  numClasses: number,
  batchSize: number,
): Promise<{ loss: number; accuracy: number }> {
  const n = set.labels.length;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = new Int32Array(Math.min(batchSize, n - start)).map((_, i) => start + i);
    const rows = gatherRows(set, idx);
    const labels = gatherLabels(set, idx);
    const sums = tf.tidy(() => {
      const x = tf.tensor(rows, [idx.length, ...set.rowShape]);
      const y = tf.tensor1d(labels, 'int32');
      const logits = model.logits(x, null);
      const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(y, numClasses), tf.logSoftmax(logits)), 1));
      const hit = tf.equal(tf.argMax(logits, 1), y).cast('float32');
      return tf.stack([ce.sum(), hit.sum()]);
    });
    const [l, c] = await takeFloats(sums);
    lossSum += l as number;
    correct += c as number;
  }
  return { loss: n === 0 ? 0 : lossSum / n, accuracy: n === 0 ? 0 : correct / n };
}
