import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { TrainHyperParams, TrainSummary } from '../../../shared/contract/ml-types';
import { copyFloats } from '../backend/read';
import { HeadModel } from './head';
import { runTrainingLoop, type LoopCallbacks, type TrainableModel } from './loop';
import type { ExampleSet, GradBackendRunner, HeadState, NamedArray } from './types';

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

export type FineTuneInput = LoopCallbacks & {
  /**
   * The backbone above the split (from splitAtLayer): block input [B, h, w, c] -> features
   * [B, D] (a rank-4 output is global-average-pooled). Trained in place; it ends holding the
   * weights of the best epoch. Batch norm runs in inference mode (moving statistics frozen).
   */
  upper: tf.LayersModel;
  /** The stage-1 head to continue from. */
  head: HeadState;
  /** Cached block inputs: rowShape [h, w, c], labels in [0, K). */
  train: ExampleSet;
  val: ExampleSet | null;
  hyper: TrainHyperParams;
  /** Runs the loop where conv gradients exist; default runs it on the current backend. */
  runOnGradBackend?: GradBackendRunner;
  identity?: unknown;
};

export type FineTuneResult = {
  summary: TrainSummary;
  history: EpochMetrics[];
  head: HeadState;
  /** Fine-tuned trainable weights of `upper` (also left in `upper`). */
  upper: NamedArray[];
};

/**
 * Stage 2 of the paper's transfer learning: trains the last block(s) of the backbone together
 * with the head, with a small learning rate, on cached block inputs. Same loop as stage 1.
 */
export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const run = input.runOnGradBackend ?? (<T>(fn: () => Promise<T>) => fn());
  const { upper } = input;
  const headConfig = { ...input.head.config, dropout: input.hyper.dropout };
  const upperCount = upper.trainableWeights.length;
  if (upperCount === 0)
    throw new AppError('BAD_ARGUMENT', 'The upper model has no trainable weights.');

  return run(async () => {
    const head = new HeadModel({ config: headConfig, weights: input.head.weights });
    try {
      const upperVars = upper.trainableWeights.map(variableOf);
      const model: TrainableModel = {
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
            if (f.rank !== 2 || f.shape[1] !== headConfig.inputDim) {
              throw new AppError(
                'MODEL_INVALID',
                `Upper model gives features of shape [${f.shape.join(', ')}], the head takes ${headConfig.inputDim}.`,
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
      const result = await runTrainingLoop({
        ...input,
        stage: 2,
        model,
        numClasses: headConfig.numClasses,
        identity: {
          head: headConfig,
          upper: upper.trainableWeights.map((w) => w.shape),
          extra: input.identity ?? null,
        },
      });
      return {
        summary: result.summary,
        history: result.history,
        head: { config: headConfig, weights: result.weights.slice(upperCount) },
        upper: result.weights.slice(0, upperCount),
      };
    } finally {
      head.dispose();
    }
  });
}
