// What stage 2 trains: the backbone above the cut and the head, as one TrainableModel. Built the
// same way on the training thread and in each data-parallel helper thread (train/grad-worker.ts),
// so both compute the same function of the same variables, in the same order.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { copyFloats } from '../backend/read';
import type { HeadModel } from './head';
import type { TrainableModel } from './trainable';
import type { NamedArray } from './types';

const UPPER_PREFIX = 'upper/';

/** The tf.Variable behind a layers weight (LayerVariable.read() returns the variable itself). */
function variableOf(weight: tf.LayerVariable): tf.Variable {
  const v: tf.Tensor = weight.read();
  if (!(v instanceof tf.Variable)) {
    throw new AppError('INTERNAL', `Layer weight ${weight.name} is not backed by a variable.`);
  }
  return v as tf.Variable;
}

/** Trainable weights of `upper` as named arrays ('upper/<index>/<name>'), in model order. */
export async function readUpperWeights(upper: tf.LayersModel): Promise<NamedArray[]> {
  return Promise.all(
    upper.trainableWeights.map(async (w, i) => ({
      name: `${UPPER_PREFIX}${i}/${w.originalName}`,
      shape: [...w.shape] as number[],
      values: await copyFloats(w.read()),
    })),
  );
}

/** Writes weights from readUpperWeights back, checking count, names and shapes (MODEL_INVALID). */
export function assignUpperWeights(upper: tf.LayersModel, weights: readonly NamedArray[]): void {
  const targets = upper.trainableWeights;
  if (targets.length !== weights.length) {
    throw new AppError(
      'MODEL_INVALID',
      `Upper model has ${targets.length} trainable weights, the saved weights ${weights.length}.`,
    );
  }
  targets.forEach((t, i) => {
    const w = weights[i] as NamedArray;
    // Shapes, not names: auto-generated layer names differ between processes.
    if (!w.name.startsWith(`${UPPER_PREFIX}${i}/`) || w.shape.join() !== t.shape.join()) {
      throw new AppError(
        'MODEL_INVALID',
        `Saved upper weight ${w.name} does not fit ${t.originalName}.`,
      );
    }
  });
  tf.tidy(() =>
    targets.forEach((t, i) => t.write(tf.tensor(weights[i]!.values, weights[i]!.shape))),
  );
}

/**
 * `upper` (block input [B, h, w, c] -> features, global-average-pooled when it ends in a feature
 * map; batch norm in inference mode) followed by `head`. Variables: the upper's trainable weights
 * in model order, then the head's. The caller keeps ownership of both parts.
 */
export function stage2Model(upper: tf.LayersModel, head: HeadModel): TrainableModel {
  const upperCount = upper.trainableWeights.length;
  if (upperCount === 0) {
    throw new AppError('BAD_ARGUMENT', 'The upper model has no trainable weights.');
  }
  const inputDim = head.config.inputDim;
  const upperVars = upper.trainableWeights.map(variableOf);
  return {
    variables: [...upperVars, ...head.variables],
    kernels: [
      ...upperVars.filter((_, i) => /kernel$/.test(upper.trainableWeights[i]!.originalName)),
      ...head.kernels,
    ],
    dropoutWidth: head.dropoutWidth,
    logits: (x, mask) =>
      tf.tidy(() => {
        let f = upper.apply(x, { training: false }) as tf.Tensor;
        if (f.rank === 4) f = tf.mean(f, [1, 2]);
        if (f.rank !== 2 || f.shape[1] !== inputDim) {
          throw new AppError(
            'MODEL_INVALID',
            `Upper model gives features of shape [${f.shape.join(', ')}], the head takes ${inputDim}.`,
          );
        }
        return head.logits(f as tf.Tensor2D, mask);
      }),
    read: async () => [...(await readUpperWeights(upper)), ...(await head.read())],
    assign: (weights) => {
      assignUpperWeights(upper, weights.slice(0, upperCount));
      head.assign(weights.slice(upperCount));
    },
  };
}
