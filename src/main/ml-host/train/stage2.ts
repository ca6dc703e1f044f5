import * as tf from '@tensorflow/tfjs';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { TrainHyperParams, TrainSummary } from '../../../shared/contract/ml-types';
import { lossClassWeights } from './examples';
import { GradHelpers } from './grad-helpers';
import type { GradWorkerInit } from './grad-worker-protocol';
import { HeadModel } from './head';
import { runTrainingLoop, type LoopCallbacks, type TrainableModel } from './loop';
import { stage2Model } from './stage2-model';
import type { ExampleSet, GradBackendRunner, HeadState, NamedArray } from './types';

export { assignUpperWeights, readUpperWeights } from './stage2-model';

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
  /**
   * Where helper threads load the same upper model from, and how many to start: each computes a
   * shard of every batch (see train/grad-worker.ts). None when absent or 0.
   */
  helperThreads?: HelperThreads;
};

export type HelperThreads = Pick<
  GradWorkerInit,
  'backbonesRoot' | 'backboneName' | 'splitLayer'
> & { count: number; onStartFailed?: (error: unknown) => void };

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

  return run(async () => {
    const head = new HeadModel({ config: headConfig, weights: input.head.weights });
    let helpers: GradHelpers | undefined;
    try {
      const model = stage2Model(upper, head);
      helpers = await startHelpers(input, headConfig, model);
      const result = await runTrainingLoop({
        ...input,
        stage: 2,
        model,
        numClasses: headConfig.numClasses,
        helpers,
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
      await helpers?.close();
      head.dispose();
    }
  });
}

/** The helper threads asked for, or none when they cannot start (the run then uses one thread). */
async function startHelpers(
  input: FineTuneInput,
  headConfig: HeadState['config'],
  model: TrainableModel,
): Promise<GradHelpers | undefined> {
  const threads = input.helperThreads;
  if (threads === undefined || threads.count < 1) return undefined;
  try {
    return await GradHelpers.start(
      {
        backbonesRoot: threads.backbonesRoot,
        backboneName: threads.backboneName,
        splitLayer: threads.splitLayer,
        head: { config: headConfig, weights: input.head.weights },
        numClasses: headConfig.numClasses,
        classWeights: lossClassWeights(
          input.train.labels,
          headConfig.numClasses,
          input.hyper.imbalance,
        ),
        variableShapes: model.variables.map((v) => [...v.shape]),
      },
      threads.count,
    );
  } catch (error) {
    threads.onStartFailed?.(error);
    return undefined;
  }
}
