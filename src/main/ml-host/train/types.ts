/**
 * Plain data that crosses the training API: weights as named Float32Arrays (never tensors, so a
 * caller cannot leak them), example sets as typed arrays or row readers.
 */

/** One weight array: row-major values of `shape` (product of shape = values.length). */
export type NamedArray = { name: string; shape: number[]; values: Float32Array };

/**
 * Fills `out` with the rows `indices` (row-major, `rowSize` floats each, in the order given).
 * Lets a cache too large for one Float32Array (stage-2 block inputs) be read from disk or chunks.
 */
export type RowReader = (indices: Int32Array, out: Float32Array) => void;

/**
 * Training or validation examples: `labels[i]` (integer class index in [0, K)) is the class of
 * row i of `x`, whose shape is `rowShape` ([D] for cached features, [h, w, c] for block inputs).
 * A Float32Array `x` holds all rows, row-major: length = labels.length * product(rowShape).
 */
export type ExampleSet = {
  x: Float32Array | RowReader;
  rowShape: readonly number[];
  labels: Int32Array | readonly number[];
};

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

/** Runs `fn` where conv gradients exist (the lead passes `fn => withBackend('cpu', fn)` on wasm). */
export type GradBackendRunner = <T>(fn: () => Promise<T>) => Promise<T>;
