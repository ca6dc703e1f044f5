// The weights a model bundle stores: named Float32Arrays, and the classifier head's
// architecture and weights, checked here without TensorFlow.js (the core reads bundles too).
import { AppError } from '../../../shared/contract/errors';

/** One weight array: row-major values of `shape` (product of shape = values.length). */
export type NamedArray = { name: string; shape: number[]; values: Float32Array };

/** The classifier on top of the features: softmax over `numClasses`, optional hidden ReLU layer. */
export type HeadConfig = {
  inputDim: number;
  numClasses: number;
  hidden: number | null;
  /** Dropout rate in [0, 1) on the input of the last dense layer, while training only. */
  dropout: number;
};

/** A head's architecture and weights, as stored in checkpoints and model bundles. */
export type HeadState = { config: HeadConfig; weights: NamedArray[] };

/**
 * The classifier head's architecture: [dropout] -> dense(K) or
 * dense(H, relu) -> [dropout] -> dense(K). Weights are named 'hidden/kernel' [D, H],
 * 'hidden/bias' [H], 'logits/kernel' [H or D, K], 'logits/bias' [K].
 * No tfjs here: model bundles are checked with these in processes that never load TensorFlow.
 */
export function checkHeadConfig(config: HeadConfig): void {
  const positive = (v: number): boolean => Number.isInteger(v) && v >= 1;
  if (
    !positive(config.inputDim) ||
    config.numClasses < 2 ||
    !positive(config.numClasses) ||
    (config.hidden !== null && !positive(config.hidden)) ||
    !(config.dropout >= 0 && config.dropout < 1)
  ) {
    throw new AppError('BAD_ARGUMENT', 'Invalid head configuration.', { ...config });
  }
}

/** Expected weight names and shapes of a head, in the order they are stored. */
export function headWeightSpecs(config: HeadConfig): { name: string; shape: number[] }[] {
  const { inputDim: d, numClasses: k, hidden: h } = config;
  const specs = [];
  if (h !== null) {
    specs.push({ name: 'hidden/kernel', shape: [d, h] }, { name: 'hidden/bias', shape: [h] });
  }
  specs.push({ name: 'logits/kernel', shape: [h ?? d, k] }, { name: 'logits/bias', shape: [k] });
  return specs;
}

/** Throws MODEL_INVALID unless `weights` are exactly the head's names and shapes, all finite. */
export function checkHeadWeights(config: HeadConfig, weights: readonly NamedArray[]): void {
  const specs = headWeightSpecs(config);
  if (weights.length !== specs.length) {
    throw new AppError(
      'MODEL_INVALID',
      `Head needs ${specs.length} weight arrays, got ${weights.length}.`,
    );
  }
  specs.forEach((spec, i) => {
    const w = weights[i] as NamedArray;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (w.name !== spec.name || w.shape.join() !== spec.shape.join() || w.values.length !== size) {
      throw new AppError(
        'MODEL_INVALID',
        `Head weight ${i} should be ${spec.name} [${spec.shape.join(', ')}], got ${w.name} [${w.shape.join(', ')}].`,
      );
    }
    if (!w.values.every(Number.isFinite)) {
      throw new AppError('MODEL_INVALID', `Head weight ${spec.name} holds non-finite values.`);
    }
  });
}
