import type * as tf from '@tensorflow/tfjs';
import type { NamedArray } from './types';

/** What the loop trains: the head alone (stage 1) or the backbone's upper part + head (stage 2). */
export type TrainableModel = {
  readonly variables: tf.Variable[];
  /** Variables the L2 penalty applies to (kernels, not biases or norm parameters). */
  readonly kernels: tf.Variable[];
  /** Columns of the dropout mask (the head's dropoutWidth). */
  readonly dropoutWidth: number;
  /** A batch [B, ...rowShape] -> logits [B, K]; the mask [B, dropoutWidth] only in training. */
  logits(x: tf.Tensor, dropoutMask: tf.Tensor2D | null): tf.Tensor2D;
  read(): Promise<NamedArray[]>;
  assign(weights: readonly NamedArray[]): void;
};
