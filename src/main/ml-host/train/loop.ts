import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { StopReason, TrainHyperParams, TrainSummary } from '../../../shared/contract/ml-types';
import type { LoopState } from './checkpoint';
import { checkExampleSet, lossClassWeights } from './examples';
import { evaluateSet, trainEpoch, type EpochStep } from './loop-epoch';
import { fingerprintOf, resumeCheckpoint, writeCheckpoint } from './loop-checkpoint';
import { judgeEpoch, type EpochJudgement } from './loop-plateau';
import type { ShardHelpers } from './grad-helpers';
import { TrainOptimizer } from './optimizer';
import { Prng, deriveSeed } from './prng';
import type { TrainableModel } from './trainable';
import type { ExampleSet, NamedArray } from './types';

export type { TrainableModel } from './trainable';

export type ProgressInfo = { stage: number; epoch: number; batch: number; batches: number };

export type LoopCallbacks = {
  /** After every epoch, once validation has run (and the checkpoint is written). */
  onEpoch?: (metrics: EpochMetrics) => void;
  /** After every batch. Keep it cheap (it runs ~350 times per epoch at 90k examples). */
  onProgress?: (progress: ProgressInfo) => void;
  onLog?: (level: 'info' | 'warn', message: string) => void;
  /** Checked between batches; a cancelled run returns its best weights (stopReason 'cancelled'). */
  signal?: AbortSignal;
  /** Folder for `checkpoint.lptp`, rewritten atomically after every epoch. */
  checkpointDir?: string | null;
  /** Continue from the checkpoint in `checkpointDir` when there is one. */
  resume?: boolean;
};

export type LoopInput = LoopCallbacks & {
  stage: 1 | 2;
  model: TrainableModel;
  numClasses: number;
  train: ExampleSet;
  val: ExampleSet | null;
  hyper: TrainHyperParams;
  /** Extra identity for the checkpoint fingerprint (architecture, backbone...). */
  identity: unknown;
  evalBatchSize?: number;
  /** Threads that compute shards of each training batch (not part of the fingerprint). */
  helpers?: ShardHelpers | undefined;
};

export type LoopResult = {
  summary: TrainSummary;
  history: EpochMetrics[];
  /** Weights of the best epoch (or the current ones when no epoch finished). */
  weights: NamedArray[];
};

/** The validation set when it has rows (else null); BAD_ARGUMENT for sets the loop cannot train on. */
function checkedSets(input: LoopInput): ExampleSet | null {
  const { train, numClasses } = input;
  const val = input.val !== null && input.val.labels.length > 0 ? input.val : null;
  checkExampleSet(train, numClasses, 'training set');
  if (val !== null) checkExampleSet(val, numClasses, 'validation set');
  if (train.labels.length === 0) throw new AppError('BAD_ARGUMENT', 'The training set is empty.');
  if (val !== null && val.rowShape.join() !== train.rowShape.join()) {
    throw new AppError('BAD_ARGUMENT', 'Validation rows differ in shape from training rows.');
  }
  return val;
}

function freshState(learningRate: number, prngState: number): LoopState {
  return {
    epoch: 0,
    learningRate,
    bestAccuracy: null,
    bestEpoch: null,
    stallLr: 0,
    stallStop: 0,
    prngState,
    finished: null,
    history: [],
    epochMs: [],
  };
}

/**
 * Validates the model after an epoch (when there is a validation set) and judges the epoch on the
 * monitored accuracy; `state` is the state before the epoch, `started` its performance.now().
 */
async function validateEpoch(
  input: LoopInput,
  val: ExampleSet | null,
  state: LoopState,
  trained: { loss: number; accuracy: number },
  started: number,
): Promise<{ metrics: EpochMetrics; judged: EpochJudgement }> {
  const { model, numClasses, stage } = input;
  const epoch = state.epoch + 1;
  const v =
    val === null ? null : await evaluateSet(model, val, numClasses, input.evalBatchSize ?? 1024);
  const metrics: EpochMetrics = {
    stage,
    epoch,
    loss: trained.loss,
    accuracy: trained.accuracy,
    valLoss: v?.loss ?? null,
    valAccuracy: v?.accuracy ?? null,
    learningRate: state.learningRate,
  };
  const counted: LoopState = {
    ...state,
    epoch,
    history: [...state.history, metrics],
    epochMs: [...state.epochMs, Math.round(performance.now() - started)],
  };
  return { metrics, judged: judgeEpoch(counted, v?.accuracy ?? trained.accuracy, input.hyper) };
}

function summaryOf(
  input: LoopInput,
  val: ExampleSet | null,
  state: LoopState,
  stopReason: StopReason,
  classWeights: number[],
): TrainSummary {
  return {
    stage: input.stage,
    epochsRun: state.epoch,
    bestEpoch: state.bestEpoch,
    bestAccuracy: state.bestAccuracy,
    monitored: val !== null ? 'val' : 'train',
    finalLearningRate: state.learningRate,
    stopReason,
    classWeights,
    trainCount: input.train.labels.length,
    valCount: val?.labels.length ?? 0,
    hyperParams: { ...input.hyper },
    epochMs: state.epochMs,
    backend: tf.getBackend(),
  };
}

/**
 * The custom training loop shared by both stages: shuffled mini-batches (or balanced sampling),
 * weighted softmax cross-entropy + L2, one optimizer step per batch inside tf.tidy, validation
 * after every epoch, rate drop on plateau, early stopping, checkpoints, resume and cancellation.
 * `epochs` may be raised on resume; every other setting must match the checkpoint.
 */
export async function runTrainingLoop(input: LoopInput): Promise<LoopResult> {
  const { model, numClasses, train, hyper, stage } = input;
  const val = checkedSets(input);
  const classWeights = lossClassWeights(train.labels, numClasses, hyper.imbalance);
  const fingerprint = fingerprintOf(input);
  const log = input.onLog ?? (() => undefined);
  const prng = new Prng(deriveSeed(hyper.seed, `stage${stage}-shuffle`));
  let state = freshState(hyper.learningRate, prng.state);
  const optimizer = new TrainOptimizer(model.variables, {
    kind: hyper.optimizer,
    learningRate: hyper.learningRate,
    momentum: hyper.momentum,
  });
  const weightTensor = tf.tensor1d(classWeights);
  const parts = { model, optimizer, prng };
  let best: NamedArray[] | null = null;
  let stopReason: StopReason = 'completed';
  try {
    if (input.resume === true && input.checkpointDir) {
      const resumed = await resumeCheckpoint(input.checkpointDir, fingerprint, parts);
      if (resumed !== null) {
        ({ state, best } = resumed);
        log('info', `Resumed stage ${stage} after epoch ${state.epoch}.`);
      }
    }
    if (state.finished === 'completed' && state.epoch < hyper.epochs) state.finished = null;
    if (state.finished !== null) stopReason = state.finished;
    const step: EpochStep = {
      ...parts,
      train,
      numClasses,
      hyper,
      classWeights: weightTensor,
      signal: input.signal,
      onBatch: (batch, batches) =>
        input.onProgress?.({ stage, epoch: state.epoch + 1, batch, batches }),
      helpers: input.helpers,
      onHelpersFailed: (error) =>
        log(
          'warn',
          `A helper thread failed (${error instanceof Error ? error.message : String(error)}); stage ${stage} goes on in one thread.`,
        ),
    };
    while (state.finished === null && state.epoch < hyper.epochs) {
      const epoch = state.epoch + 1;
      const started = performance.now();
      const trained = await trainEpoch(step, epoch);
      if (trained === null) {
        stopReason = 'cancelled';
        break;
      }
      const { metrics, judged } = await validateEpoch(input, val, state, trained, started);
      if (judged.improved) best = await model.read();
      for (const message of judged.messages) log('info', message);
      if (judged.state.finished === 'earlyStopped') stopReason = 'earlyStopped';
      optimizer.learningRate = judged.state.learningRate;
      state = { ...judged.state, prngState: prng.state };
      if (input.checkpointDir) {
        await writeCheckpoint(input.checkpointDir, fingerprint, state, parts, best);
      }
      input.onEpoch?.(metrics);
    }
    if (best !== null) model.assign(best);
    const weights = best ?? (await model.read());
    const summary = summaryOf(input, val, state, stopReason, classWeights);
    return { weights, history: state.history, summary };
  } finally {
    optimizer.dispose();
    weightTensor.dispose();
  }
}
