import type { Tensor2D } from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { TrainHyperParams, TrainSummary } from '../../../shared/contract/ml-types';
import { HeadModel } from './head';
import { initHead } from './head-spec';
import { runTrainingLoop, type LoopCallbacks } from './loop';
import type { ExampleSet, HeadState } from './types';

export type TrainHeadInput = LoopCallbacks & {
  /** Cached backbone features: rowShape [D], x [N * D] (any real values), labels in [0, K). */
  train: ExampleSet;
  /** Validation features (same D); null monitors training accuracy instead. */
  val: ExampleSet | null;
  numClasses: number;
  hyper: TrainHyperParams;
  /** Start from these weights instead of a fresh seeded initialisation. */
  init?: HeadState;
  /** Extra identity for resume checks (e.g. backbone sha256). */
  identity?: unknown;
};

export type TrainHeadResult = {
  summary: TrainSummary;
  history: EpochMetrics[];
  /** The head at its best epoch (see summary.bestEpoch). */
  head: HeadState;
};

/**
 * Stage 1 of the paper's transfer learning: trains only the softmax head (optionally with one
 * hidden layer) on cached features. Runs on the current tfjs backend; leaves no tensors behind.
 */
export async function trainHead(input: TrainHeadInput): Promise<TrainHeadResult> {
  if (input.train.rowShape.length !== 1) {
    throw new AppError('BAD_ARGUMENT', 'Stage 1 trains on feature vectors: rowShape must be [D].');
  }
  const config = {
    inputDim: input.train.rowShape[0] ?? 0,
    numClasses: input.numClasses,
    hidden: input.hyper.hidden,
    dropout: input.hyper.dropout,
  };
  const state = input.init ?? initHead(config, input.hyper.seed);
  const head = new HeadModel({ config, weights: state.weights });
  try {
    const result = await runTrainingLoop({
      ...input,
      stage: 1,
      model: {
        variables: head.variables,
        kernels: head.kernels,
        dropoutWidth: head.dropoutWidth,
        logits: (x, mask) => head.logits(x as Tensor2D, mask),
        read: () => head.read(),
        assign: (w) => head.assign(w),
      },
      identity: { head: config, extra: input.identity ?? null },
    });
    return {
      summary: result.summary,
      history: result.history,
      head: { config, weights: result.weights },
    };
  } finally {
    head.dispose();
  }
}
