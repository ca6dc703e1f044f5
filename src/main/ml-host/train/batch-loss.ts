// The training loss of one batch, or of one thread's shard of a batch, in one place: the single-
// thread step and the data-parallel step (train/grad-worker.ts) must minimise the same function.
import * as tf from '@tensorflow/tfjs';

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
