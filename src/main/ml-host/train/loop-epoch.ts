// One training epoch (shuffled or balanced mini-batches, one optimizer step each) and the
// evaluation of a set, for the training loop.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { TrainHyperParams } from '../../../shared/contract/ml-types';
import { copyFloats, takeFloats } from '../backend/read';
import { crossEntropy, hitCount, shardGradients, withL2, type ShardGradients } from './batch-loss';
import { epochOrder, gatherLabels, gatherRows } from './examples';
import type { ShardHelpers } from './grad-helpers';
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
  /** Threads that compute shards of each batch (stage 2 on wasm); dropped if one fails. */
  helpers?: ShardHelpers | undefined;
  /** Told once when the helpers failed and the run went on in this thread. */
  onHelpersFailed?: (error: unknown) => void;
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Batches of at most hyper.batchSize examples (and never more than the training set). */
function batchSizeOf(step: Pick<EpochStep, 'train' | 'hyper'>): number {
  return Math.max(1, Math.min(step.hyper.batchSize, step.train.labels.length));
}

/** One mini-batch as the loop draws it: rows [size, ...rowShape], labels, dropout mask. */
type Batch = {
  rows: Float32Array;
  labels: Int32Array;
  mask: Float32Array | null;
  size: number;
};

/** Σ ce·w and the hits of a batch, as two scalars the caller disposes. */
type BatchSums = [tf.Scalar, tf.Scalar];

/** One optimizer step on `batch` in this thread. */
function localStep(step: EpochStep, batch: Batch): BatchSums {
  const { model, train, numClasses, hyper, optimizer } = step;
  return tf.tidy(() => {
    const x = tf.tensor(batch.rows, [batch.size, ...train.rowShape]);
    const y = tf.tensor1d(batch.labels, 'int32');
    const w = tf.gather(step.classWeights, y);
    const m =
      batch.mask === null ? null : tf.tensor2d(batch.mask, [batch.size, model.dropoutWidth]);
    // Side results of the loss closure, kept out of the gradient tape's scope.
    const side: { hits?: tf.Scalar; ce?: tf.Scalar } = {};
    optimizer.minimize(() => {
      const logits = model.logits(x, m);
      side.hits = tf.keep(hitCount(logits, y));
      const dataLoss: tf.Scalar = tf.mean(tf.mul(crossEntropy(logits, y, numClasses), w));
      side.ce = tf.keep(dataLoss);
      return withL2(dataLoss, model.kernels, hyper.l2);
    });
    const { hits, ce } = side as { hits: tf.Scalar; ce: tf.Scalar };
    const lossSum = ce.mul<tf.Scalar>(batch.size);
    ce.dispose();
    // hits was kept inside the loss closure; returned, it goes to the caller.
    return [lossSum, hits];
  });
}

/** Row ranges [start, end) of `parts` near-equal shards of `size` rows, larger ones first. */
export function shardRanges(size: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const end = start + Math.floor(size / parts) + (p < size % parts ? 1 : 0);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/**
 * One optimizer step on `batch` split across this thread and the helper threads: each computes
 * the gradient of its shard's part of the batch loss at the same weights, this thread adds them
 * up (plus the L2 term, once) and applies the update. The same update as localStep, up to the
 * order of float additions.
 */
async function shardedStep(
  step: EpochStep,
  helpers: ShardHelpers,
  batch: Batch,
): Promise<BatchSums> {
  const { model, train, numClasses, hyper, optimizer } = step;
  const rowSize = train.rowShape.reduce((a, b) => a * b, 1);
  const width = model.dropoutWidth;
  const [mine, ...theirs] = shardRanges(batch.size, helpers.count + 1) as [
    [number, number],
    ...[number, number][],
  ];
  const weights = await Promise.all(model.variables.map((v) => copyFloats(v)));
  const remote = helpers.gradients(
    weights,
    theirs.map(([a, b]) => ({
      rows: batch.rows.slice(a * rowSize, b * rowSize),
      rowShape: [...train.rowShape],
      labels: batch.labels.slice(a, b),
      mask: batch.mask === null ? null : batch.mask.slice(a * width, b * width),
    })),
    batch.size,
  );
  // Handled here too, so that a failure of this thread's shard cannot leave it unobserved.
  remote.catch(() => undefined);
  // This thread's shard runs while the helpers compute theirs; it alone adds the L2 term.
  const [from, to] = mine;
  let local: ShardGradients | null = null;
  try {
    local = shardGradients(
      model,
      {
        rows: batch.rows.subarray(from * rowSize, to * rowSize),
        labels: batch.labels.subarray(from, to),
        mask: batch.mask === null ? null : batch.mask.subarray(from * width, to * width),
      },
      {
        rowShape: train.rowShape,
        classWeights: step.classWeights,
        numClasses,
        batchRows: batch.size,
        l2: hyper.l2,
      },
    );
    const results = await remote.catch((error: unknown) => {
      throw new HelperFailure(error);
    });
    const { grads, dataLoss, hits } = local;
    tf.tidy(() => {
      const total = grads.map((g, i) => {
        const parts = results.map((r) => r.grads[i] ?? null);
        if (g === null || parts.some((p) => p === null)) return g;
        return parts.reduce<tf.Tensor>((sum, p) => sum.add(tf.tensor(p!, g.shape)), g);
      });
      optimizer.apply(total);
    });
    const remoteLoss = results.reduce((s, r) => s + r.weightedLoss, 0);
    const remoteHits = results.reduce((s, r) => s + r.hits, 0);
    return tf.tidy((): BatchSums => [
      tf.add(tf.mul(dataLoss, batch.size), remoteLoss),
      tf.add(hits, remoteHits),
    ]);
  } finally {
    local?.dispose();
  }
}

/** A helper's failure, told apart from one of this thread's (which ends the run as before). */
class HelperFailure extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * One optimizer step, on the helper threads when there are some. When a helper fails, the step
 * is taken again in this thread (no weight has changed yet) and the rest of the run stays here.
 */
async function batchStep(step: EpochStep, batch: Batch): Promise<BatchSums> {
  const helpers = step.helpers;
  if (helpers === undefined || batch.size <= helpers.count) return localStep(step, batch);
  try {
    return await shardedStep(step, helpers, batch);
  } catch (error) {
    if (!(error instanceof HelperFailure)) throw error;
    step.helpers = undefined;
    void helpers.close().catch(() => undefined);
    step.onHelpersFailed?.(error.reason);
    return localStep(step, batch);
  }
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
  const { model, train, numClasses, hyper, prng } = step;
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
      const batch: Batch = { rows, labels, mask, size: idx.length };
      const sums = await batchStep(step, batch);
      const [nextLoss, nextHits] = tf.tidy((): BatchSums => [
        lossSum.add(sums[0]),
        hitSum.add(sums[1]),
      ]);
      tf.dispose(sums);
      lossSum.dispose();
      hitSum.dispose();
      lossSum = nextLoss;
      hitSum = nextHits;
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
