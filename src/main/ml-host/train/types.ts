/**
 * Plain data that crosses the training API: weights as named Float32Arrays (never tensors, so a
 * caller cannot leak them), example sets as typed arrays or row readers. The weight and head
 * types are the stored model format's (src/main/platform/model-bundle).
 */
export type { HeadConfig, HeadState, NamedArray } from '../../platform/model-bundle/weights';

/**
 * Fills `out` with the rows `indices` (row-major, `rowSize` floats each, in the order given).
 * Lets a cache too large for one Float32Array (stage-2 block inputs) be read from disk or chunks.
 * `epoch` (1-based) is given for training batches, so a reader may pick one of an example's
 * augmented views per epoch (stage 2); evaluation reads pass none.
 */
export type RowReader = (indices: Int32Array, out: Float32Array, epoch?: number) => void;

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

/** Runs `fn` where conv gradients exist (the lead passes `fn => withBackend('cpu', fn)` on wasm). */
export type GradBackendRunner = <T>(fn: () => Promise<T>) => Promise<T>;
