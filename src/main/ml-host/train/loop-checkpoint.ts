// The training loop's checkpoints: what identifies a run (so a resume never continues another
// one), restoring model, optimizer, best weights and random state, and writing them after an epoch.
import { AppError } from '../../../shared/contract/errors';
import type { TrainHyperParams } from '../../../shared/contract/ml-types';
import { loadCheckpoint, saveCheckpoint, type LoopState } from './checkpoint';
import { labelsHash } from './examples';
import type { TrainOptimizer } from './optimizer';
import type { Prng } from './prng';
import type { TrainableModel } from './trainable';
import type { ExampleSet, NamedArray } from './types';

export type RunIdentity = {
  stage: 1 | 2;
  hyper: TrainHyperParams;
  numClasses: number;
  train: ExampleSet;
  val: ExampleSet | null;
  /** Extra identity (architecture, backbone...). */
  identity: unknown;
};

/** Every setting and the data, but not `epochs`: a finished run may be resumed for more epochs. */
export function fingerprintOf(run: RunIdentity): string {
  const { epochs: _epochs, ...hyper } = run.hyper;
  return JSON.stringify({
    stage: run.stage,
    hyper,
    numClasses: run.numClasses,
    rowShape: run.train.rowShape,
    train: labelsHash(run.train.labels),
    val: run.val === null ? null : labelsHash(run.val.labels),
    identity: run.identity,
  });
}

/** What is trained and carried across epochs. */
export type LoopParts = { model: TrainableModel; optimizer: TrainOptimizer; prng: Prng };

/**
 * Restores the checkpoint in `dir` into the model, optimizer and random source and returns its
 * state and best weights; null when there is none. CONFLICT when it belongs to another run.
 */
export async function resumeCheckpoint(
  dir: string,
  fingerprint: string,
  parts: LoopParts,
): Promise<{ state: LoopState; best: NamedArray[] | null } | null> {
  const saved = await loadCheckpoint(dir);
  if (saved === null) return null;
  if (saved.fingerprint !== fingerprint) {
    throw new AppError(
      'CONFLICT',
      `The checkpoint in ${dir} belongs to a run with other settings or data.`,
    );
  }
  parts.model.assign(saved.weights);
  parts.optimizer.writeState(saved.optimizer);
  parts.prng.state = saved.state.prngState;
  parts.optimizer.learningRate = saved.state.learningRate;
  return { state: saved.state, best: saved.best };
}

/** Writes the state after an epoch with the current and best weights (atomically). */
export async function writeCheckpoint(
  dir: string,
  fingerprint: string,
  state: LoopState,
  parts: Omit<LoopParts, 'prng'>,
  best: NamedArray[] | null,
): Promise<void> {
  await saveCheckpoint(dir, {
    fingerprint,
    state,
    optimizer: await parts.optimizer.readState(),
    weights: await parts.model.read(),
    best,
  });
}
