import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import { OPTIMIZERS, type StopReason } from '../../../shared/contract/ml-types';
import type { OptimizerState } from './optimizer';
import { readPack, writePack } from '../../platform/model-bundle/pack';
import type { NamedArray } from './types';

/** Everything the loop needs to carry on after a completed epoch exactly as if never stopped. */
export type LoopState = {
  /** Epochs completed. */
  epoch: number;
  learningRate: number;
  bestAccuracy: number | null;
  bestEpoch: number | null;
  /** Epochs without improvement since the last improvement or rate drop. */
  stallLr: number;
  /** Epochs without improvement since the last improvement. */
  stallStop: number;
  prngState: number;
  /** Set once the run has ended by itself; a resume then returns at once. */
  finished: Exclude<StopReason, 'cancelled'> | null;
  history: EpochMetrics[];
  epochMs: number[];
};

export type Checkpoint = {
  /** Identity of the run's settings and data: a resume with anything else is refused. */
  fingerprint: string;
  state: LoopState;
  optimizer: OptimizerState;
  weights: NamedArray[];
  best: NamedArray[] | null;
};

export const CHECKPOINT_FILE = 'checkpoint.lptp';

const nullableNumber = z.number().nullable();
const metaSchema = z.object({
  format: z.literal('littleplanet-checkpoint'),
  version: z.literal(1),
  fingerprint: z.string(),
  state: z.object({
    epoch: z.number().int().nonnegative(),
    learningRate: z.number().positive(),
    bestAccuracy: nullableNumber,
    bestEpoch: nullableNumber,
    stallLr: z.number().int().nonnegative(),
    stallStop: z.number().int().nonnegative(),
    prngState: z.number().int().nonnegative(),
    finished: z.enum(['completed', 'earlyStopped']).nullable(),
    history: z.array(
      z.object({
        stage: z.number(),
        epoch: z.number(),
        loss: z.number(),
        accuracy: z.number(),
        valLoss: nullableNumber,
        valAccuracy: nullableNumber,
        learningRate: z.number(),
      }),
    ),
    epochMs: z.array(z.number()),
  }),
  optimizer: z.object({ kind: z.enum(OPTIMIZERS), iterations: z.number().int().nonnegative() }),
  hasBest: z.boolean(),
});

export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { fingerprint, state, optimizer, weights, best } = checkpoint;
  const meta = {
    format: 'littleplanet-checkpoint',
    version: 1,
    fingerprint,
    state,
    optimizer: { kind: optimizer.kind, iterations: optimizer.iterations },
    hasBest: best !== null,
  };
  const prefixed = (prefix: string, arrays: readonly NamedArray[]): NamedArray[] =>
    arrays.map((a) => ({ ...a, name: `${prefix}${a.name}` }));
  await writePack(join(dir, CHECKPOINT_FILE), meta, [
    ...prefixed('w:', weights),
    ...prefixed('b:', best ?? []),
    ...prefixed('o:', optimizer.slots),
  ]);
}

/** The checkpoint in `dir`, or null when there is none yet. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint | null> {
  let pack;
  try {
    pack = await readPack(join(dir, CHECKPOINT_FILE));
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
  const parsed = metaSchema.safeParse(pack.meta);
  if (!parsed.success) {
    throw new AppError('MODEL_INVALID', `Checkpoint in ${dir} has invalid metadata.`);
  }
  const meta = parsed.data;
  const take = (prefix: string): NamedArray[] =>
    pack.arrays
      .filter((a) => a.name.startsWith(prefix))
      .map((a) => ({ ...a, name: a.name.slice(prefix.length) }));
  return {
    fingerprint: meta.fingerprint,
    state: meta.state,
    optimizer: { ...meta.optimizer, slots: take('o:') },
    weights: take('w:'),
    best: meta.hasBest ? take('b:') : null,
  };
}
