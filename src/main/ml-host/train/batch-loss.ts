// The training loss of one batch, or of one thread's shard of a batch, in one place: the single-
// thread step and the data-parallel step (train/grad-worker.ts) must minimise the same function.
import * as tf from '@tensorflow/tfjs';
import type { TrainableModel } from './trainable';

/** Per-row softmax cross-entropy of `logits` [B, K] against class indices `y` [B]. */
export function crossEntropy(logits: tf.Tensor2D, y: tf.Tensor1D, numClasses: number): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(tf.oneHot(y, numClasses), tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** How many rows of `logits` [B, K] put their largest score on `y`, as a float scalar. */
export function hitCount(logits: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.equal(tf.argMax(logits, 1), y).cast('float32').sum();
}

/** The L2 penalty l2 · Σ‖k‖² over `kernels` added to `loss` (unchanged when l2 is 0). */
export function withL2(loss: tf.Scalar, kernels: readonly tf.Tensor[], l2: number): tf.Scalar {
  let total = loss;
  if (l2 > 0) for (const k of kernels) total = total.add(tf.sum(tf.square(k)).mul(l2));
  return total;
}

/**
 * One shard's part of a batch's weighted data loss: Σ ce·w over the shard's rows divided by the
 * whole batch's row count, so the shards' gradients add up to the gradient of the batch mean.
 */
export function shardDataLoss(
  logits: tf.Tensor2D,
  y: tf.Tensor1D,
  rowWeights: tf.Tensor1D,
  numClasses: number,
  batchRows: number,
): tf.Scalar {
  return tf.div(tf.sum(tf.mul(crossEntropy(logits, y, numClasses), rowWeights)), batchRows);
}

/** One shard of a batch as typed arrays: rows [n, ...rowShape], labels [n], mask [n, width]. */
export type ShardArrays = {
  rows: Float32Array;
  labels: Int32Array;
  /** The dropout mask [n, model.dropoutWidth], or null without dropout. */
  mask: Float32Array | null;
};

/** A shard's gradients, data loss (Σ ce·w / batch rows) and hits, alive until dispose(). */
export type ShardGradients = {
  /** One per model variable, in order; null where the loss does not reach it. */
  grads: (tf.Tensor | null)[];
  dataLoss: tf.Scalar;
  hits: tf.Scalar;
  dispose(): void;
};

/**
 * The gradients of one shard's part of a batch loss with respect to `model.variables`: its data
 * loss (shardDataLoss) plus, when `l2` > 0, the L2 penalty (added by one thread only). The training
 * thread and each helper thread (grad-worker.ts) call this on their rows of the same batch.
 */
export function shardGradients(
  model: TrainableModel,
  shard: ShardArrays,
  options: {
    rowShape: readonly number[];
    classWeights: tf.Tensor1D;
    numClasses: number;
    batchRows: number;
    l2: number;
  },
): ShardGradients {
  const n = shard.labels.length;
  // Kept out of tidy's scope by hand: tidy cannot return the null gradients.
  const kept: { grads: (tf.Tensor | null)[]; dataLoss?: tf.Scalar; hits?: tf.Scalar } = {
    grads: [],
  };
  tf.tidy(() => {
    const x = tf.tensor(shard.rows, [n, ...options.rowShape]);
    const y = tf.tensor1d(shard.labels, 'int32');
    const w = tf.gather(options.classWeights, y);
    const mask = shard.mask === null ? null : tf.tensor2d(shard.mask, [n, model.dropoutWidth]);
    const { grads } = tf.variableGrads(() => {
      const logits = model.logits(x, mask);
      kept.hits = tf.keep(hitCount(logits, y));
      kept.dataLoss = tf.keep(shardDataLoss(logits, y, w, options.numClasses, options.batchRows));
      return withL2(kept.dataLoss, model.kernels, options.l2);
    }, model.variables);
    kept.grads = model.variables.map((v) => {
      const g = grads[v.name];
      return g === undefined || g === null ? null : tf.keep(g);
    });
  });
  const { grads, dataLoss, hits } = kept as Required<typeof kept>;
  return {
    grads,
    dataLoss,
    hits,
    dispose: () => tf.dispose([dataLoss, hits, ...grads.filter((g): g is tf.Tensor => g !== null)]),
  };
}
