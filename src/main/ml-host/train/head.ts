import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { copyFloats, takeFloats } from '../backend/read';
import { checkHeadConfig, checkHeadWeights } from '../../platform/model-bundle/weights';
import type { HeadConfig, HeadState, NamedArray } from './types';

/**
 * The classifier head as tfjs variables (architecture and weight names: see head-spec.ts).
 */

/** A head's variables, live while training or predicting. Call dispose() when done. */
export class HeadModel {
  readonly variables: tf.Variable[];
  /** The kernels (not biases), which the L2 penalty applies to. */
  readonly kernels: tf.Variable[];

  constructor(readonly state: HeadState) {
    checkHeadConfig(state.config);
    checkHeadWeights(state.config, state.weights);
    // tidy frees the initial tensors; each variable keeps its own reference to the data.
    this.variables = tf.tidy(() =>
      state.weights.map((w) => tf.variable(tf.tensor(w.values, w.shape), true)),
    );
    this.kernels = this.variables.filter((_, i) => state.weights[i]!.name.endsWith('/kernel'));
  }

  get config(): HeadConfig {
    return this.state.config;
  }

  /** Width of the layer dropout applies to: the hidden layer, or the features without one. */
  get dropoutWidth(): number {
    return this.config.hidden ?? this.config.inputDim;
  }

  /**
   * features [B, D] (any real values) -> logits [B, K]. While training, `dropoutMask`
   * [B, dropoutWidth] (from prng.dropoutMask) multiplies the input of the last dense layer.
   */
  logits(features: tf.Tensor2D, dropoutMask: tf.Tensor2D | null = null): tf.Tensor2D {
    return tf.tidy(() => {
      const { hidden } = this.config;
      let x: tf.Tensor2D = features;
      let v = 0;
      if (hidden !== null) {
        x = tf.relu(tf.add(tf.matMul(x, this.variables[0]!), this.variables[1]!)) as tf.Tensor2D;
        v = 2;
      }
      if (dropoutMask !== null) x = tf.mul(x, dropoutMask);
      return tf.add(tf.matMul(x, this.variables[v] as tf.Variable), this.variables[v + 1]!);
    });
  }

  async read(): Promise<NamedArray[]> {
    return Promise.all(
      this.state.weights.map(async (w, i) => ({
        name: w.name,
        shape: [...w.shape],
        values: await copyFloats(this.variables[i] as tf.Variable),
      })),
    );
  }

  assign(weights: readonly NamedArray[]): void {
    checkHeadWeights(this.config, weights);
    tf.tidy(() =>
      weights.forEach((w, i) =>
        (this.variables[i] as tf.Variable).assign(tf.tensor(w.values, w.shape)),
      ),
    );
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}

/**
 * Runs the head over features [n, D] (row-major) in batches of `batchSize` rows and reads what
 * `output` makes of each batch's logits ([rows, K]) with `await data()`, so it also runs where
 * synchronous reads are unavailable (WebGPU in Node). Leaves no tensors behind.
 */
async function overBatches(
  state: HeadState,
  features: Float32Array,
  batchSize: number,
  output: (logits: tf.Tensor2D) => tf.Tensor2D,
): Promise<Float32Array> {
  const { inputDim: d, numClasses: k } = state.config;
  if (features.length % d !== 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Features length ${features.length} is not a multiple of ${d}.`,
    );
  }
  const n = features.length / d;
  const out = new Float32Array(n * k);
  const head = new HeadModel(state);
  try {
    for (let start = 0; start < n; start += batchSize) {
      const rows = Math.min(batchSize, n - start);
      const batch = tf.tidy(() =>
        output(
          head.logits(tf.tensor2d(features.subarray(start * d, (start + rows) * d), [rows, d])),
        ),
      );
      out.set(await takeFloats(batch), start * k);
    }
  } finally {
    head.dispose();
  }
  return out;
}

/** Class probabilities [n, K] (rows sum to 1) for features [n, D], `batchSize` rows at a time. */
export function headProbabilities(
  state: HeadState,
  features: Float32Array,
  batchSize = 1024,
): Promise<Float32Array> {
  return overBatches(state, features, batchSize, (logits) => tf.softmax(logits));
}

/** Logits [n, K] for features [n, D], `batchSize` rows at a time. */
export function headLogits(
  state: HeadState,
  features: Float32Array,
  batchSize = 1024,
): Promise<Float32Array> {
  return overBatches(state, features, batchSize, (logits) => logits);
}
