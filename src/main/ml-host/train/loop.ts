import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { StopReason, TrainHyperParams, TrainSummary } from '../../../shared/contract/ml-types';
import { loadCheckpoint, saveCheckpoint, type LoopState } from './checkpoint';
import {
  balancedClassWeights,
  checkExampleSet,
  classCounts,
  epochOrder,
  gatherLabels,
  gatherRows,
  labelsHash,
} from './examples';
import { takeFloats } from '../backend/read';
import { TrainOptimizer } from './optimizer';
import { Prng, deriveSeed, dropoutMask } from './prng';
import type { ExampleSet, NamedArray } from './types';

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
};

export type LoopResult = {
  summary: TrainSummary;
  history: EpochMetrics[];
  /** Weights of the best epoch (or the current ones when no epoch finished). */
  weights: NamedArray[];
};

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Mean cross-entropy and accuracy of the model on a set, in batches, without dropout. */
async function evaluateSet(
  model: TrainableModel,
  set: ExampleSet,
  numClasses: number,
  batchSize: number,
): Promise<{ loss: number; accuracy: number }> {
  const n = set.labels.length;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = new Int32Array(Math.min(batchSize, n - start)).map((_, i) => start + i);
    const rows = gatherRows(set, idx);
    const labels = gatherLabels(set, idx);
    const sums = tf.tidy(() => {
      const x = tf.tensor(rows, [idx.length, ...set.rowShape]);
      const y = tf.tensor1d(labels, 'int32');
      const logits = model.logits(x, null);
      const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(y, numClasses), tf.logSoftmax(logits)), 1));
      const hit = tf.equal(tf.argMax(logits, 1), y).cast('float32');
      return tf.stack([ce.sum(), hit.sum()]);
    });
    const [l, c] = await takeFloats(sums);
    lossSum += l as number;
    correct += c as number;
  }
  return { loss: n === 0 ? 0 : lossSum / n, accuracy: n === 0 ? 0 : correct / n };
}

function fingerprintOf(input: LoopInput): string {
  const { epochs: _epochs, ...hyper } = input.hyper;
  return JSON.stringify({
    stage: input.stage,
    hyper,
    numClasses: input.numClasses,
    rowShape: input.train.rowShape,
    train: labelsHash(input.train.labels),
    val: input.val === null ? null : labelsHash(input.val.labels),
    identity: input.identity,
  });
}

/**
 * The custom training loop shared by both stages: shuffled mini-batches (or balanced sampling),
 * weighted softmax cross-entropy + L2, one optimizer step per batch inside tf.tidy, validation
 * after every epoch, rate drop on plateau, early stopping, checkpoints, resume and cancellation.
 * `epochs` may be raised on resume; every other setting must match the checkpoint.
 */
export async function runTrainingLoop(input: LoopInput): Promise<LoopResult> {
  const { model, numClasses, train, hyper, stage } = input;
  const val = input.val !== null && input.val.labels.length > 0 ? input.val : null;
  checkExampleSet(train, numClasses, 'training set');
  if (val !== null) checkExampleSet(val, numClasses, 'validation set');
  if (train.labels.length === 0) throw new AppError('BAD_ARGUMENT', 'The training set is empty.');
  if (val !== null && val.rowShape.join() !== train.rowShape.join()) {
    throw new AppError('BAD_ARGUMENT', 'Validation rows differ in shape from training rows.');
  }
  const counts = classCounts(train.labels, numClasses);
  const classWeights =
    hyper.imbalance === 'classWeights' ? balancedClassWeights(counts) : counts.map(() => 1);
  const fingerprint = fingerprintOf(input);
  const log = input.onLog ?? (() => undefined);

  const prng = new Prng(deriveSeed(hyper.seed, `stage${stage}-shuffle`));
  let state: LoopState = {
    epoch: 0,
    learningRate: hyper.learningRate,
    bestAccuracy: null,
    bestEpoch: null,
    stallLr: 0,
    stallStop: 0,
    prngState: prng.state,
    finished: null,
    history: [],
    epochMs: [],
  };
  const optimizer = new TrainOptimizer(model.variables, {
    kind: hyper.optimizer,
    learningRate: hyper.learningRate,
    momentum: hyper.momentum,
  });
  const weightTensor = tf.tensor1d(classWeights);
  let best: NamedArray[] | null = null;
  let stopReason: StopReason = 'completed';

  try {
    if (input.resume === true && input.checkpointDir) {
      const saved = await loadCheckpoint(input.checkpointDir);
      if (saved !== null) {
        if (saved.fingerprint !== fingerprint) {
          throw new AppError(
            'CONFLICT',
            `The checkpoint in ${input.checkpointDir} belongs to a run with other settings or data.`,
          );
        }
        model.assign(saved.weights);
        optimizer.writeState(saved.optimizer);
        best = saved.best;
        state = saved.state;
        prng.state = state.prngState;
        optimizer.learningRate = state.learningRate;
        log('info', `Resumed stage ${stage} after epoch ${state.epoch}.`);
      }
    }
    if (state.finished === 'completed' && state.epoch < hyper.epochs) state.finished = null;
    if (state.finished !== null) stopReason = state.finished;

    const n = train.labels.length;
    const batchSize = Math.max(1, Math.min(hyper.batchSize, n));
    const batches = Math.ceil(n / batchSize);
    const monitored = val !== null ? 'val' : 'train';

    epochs: while (state.finished === null && state.epoch < hyper.epochs) {
      const epoch = state.epoch + 1;
      const started = performance.now();
      const order = epochOrder(train.labels, numClasses, hyper.imbalance, prng);
      let lossSum = tf.scalar(0);
      let hitSum = tf.scalar(0);
      try {
        for (let b = 0; b < batches; b++) {
          if (input.signal?.aborted) {
            stopReason = 'cancelled';
            break epochs;
          }
          const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
          const rows = gatherRows(train, idx, epoch);
          const labels = gatherLabels(train, idx);
          const mask =
            hyper.dropout > 0
              ? dropoutMask(prng, idx.length * model.dropoutWidth, hyper.dropout)
              : null;
          const [nextLoss, nextHits] = tf.tidy(() => {
            const x = tf.tensor(rows, [idx.length, ...train.rowShape]);
            const y = tf.tensor1d(labels, 'int32');
            const w = tf.gather(weightTensor, y);
            const m = mask === null ? null : tf.tensor2d(mask, [idx.length, model.dropoutWidth]);
            // Side results of the loss closure, kept out of the gradient tape's scope.
            const side: { hits?: tf.Tensor; ce?: tf.Tensor } = {};
            optimizer.minimize(() => {
              const logits = model.logits(x, m);
              side.hits = tf.keep(tf.equal(tf.argMax(logits, 1), y).cast('float32').sum());
              const ce = tf.neg(tf.sum(tf.mul(tf.oneHot(y, numClasses), tf.logSoftmax(logits)), 1));
              const dataLoss: tf.Scalar = tf.mean(tf.mul(ce, w));
              side.ce = tf.keep(dataLoss);
              let total = dataLoss;
              if (hyper.l2 > 0) {
                for (const k of model.kernels)
                  total = total.add(tf.sum(tf.square(k)).mul(hyper.l2));
              }
              return total;
            });
            const { hits, ce } = side as { hits: tf.Tensor; ce: tf.Tensor };
            const out = [lossSum.add(ce.mul(idx.length)), hitSum.add(hits)];
            tf.dispose([hits, ce]);
            return out;
          });
          lossSum.dispose();
          hitSum.dispose();
          lossSum = nextLoss as tf.Scalar;
          hitSum = nextHits as tf.Scalar;
          input.onProgress?.({ stage, epoch, batch: b + 1, batches });
          await yieldToEventLoop();
        }
        const trainLoss = (await lossSum.data())[0]! / n;
        const trainAccuracy = (await hitSum.data())[0]! / n;
        if (!Number.isFinite(trainLoss)) {
          throw new AppError(
            'INTERNAL',
            `Training diverged at epoch ${epoch} (loss is ${trainLoss}); lower the learning rate.`,
          );
        }
        const evalBatch = input.evalBatchSize ?? 1024;
        const v = val === null ? null : await evaluateSet(model, val, numClasses, evalBatch);
        const metrics: EpochMetrics = {
          stage,
          epoch,
          loss: trainLoss,
          accuracy: trainAccuracy,
          valLoss: v?.loss ?? null,
          valAccuracy: v?.accuracy ?? null,
          learningRate: state.learningRate,
        };
        const score = v?.accuracy ?? trainAccuracy;
        const next: LoopState = {
          ...state,
          epoch,
          history: [...state.history, metrics],
          epochMs: [...state.epochMs, Math.round(performance.now() - started)],
        };
        if (state.bestAccuracy === null || score > state.bestAccuracy) {
          next.bestAccuracy = score;
          next.bestEpoch = epoch;
          next.stallLr = 0;
          next.stallStop = 0;
          best = await model.read();
        } else {
          next.stallLr += 1;
          next.stallStop += 1;
          if (next.stallLr >= hyper.lrPatience) {
            next.learningRate = state.learningRate * hyper.lrDropFactor;
            next.stallLr = 0;
            log(
              'info',
              `No gain for ${hyper.lrPatience} epochs: learning rate -> ${next.learningRate.toPrecision(3)}.`,
            );
          }
          if (hyper.earlyStopPatience !== null && next.stallStop >= hyper.earlyStopPatience) {
            next.finished = 'earlyStopped';
            stopReason = 'earlyStopped';
            log('info', `Stopped early after epoch ${epoch} (best epoch ${next.bestEpoch}).`);
          }
        }
        if (next.finished === null && epoch >= hyper.epochs) next.finished = 'completed';
        optimizer.learningRate = next.learningRate;
        next.prngState = prng.state;
        state = next;
        if (input.checkpointDir) {
          await saveCheckpoint(input.checkpointDir, {
            fingerprint,
            state,
            optimizer: await optimizer.readState(),
            weights: await model.read(),
            best,
          });
        }
        input.onEpoch?.(metrics);
      } finally {
        lossSum.dispose();
        hitSum.dispose();
      }
    }
    if (best !== null) model.assign(best);
    const weights = best ?? (await model.read());
    return {
      weights,
      history: state.history,
      summary: {
        stage,
        epochsRun: state.epoch,
        bestEpoch: state.bestEpoch,
        bestAccuracy: state.bestAccuracy,
        monitored,
        finalLearningRate: state.learningRate,
        stopReason,
        classWeights,
        trainCount: n,
        valCount: val?.labels.length ?? 0,
        hyperParams: { ...hyper },
        epochMs: state.epochMs,
        backend: tf.getBackend(),
      },
    };
  } finally {
    optimizer.dispose();
    weightTensor.dispose();
  }
}
