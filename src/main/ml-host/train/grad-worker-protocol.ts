// Messages between the training thread and its data-parallel helper threads (grad-worker.ts).
// Plain data only: typed arrays travel by transfer, errors as AppErrorData.
import type { AppErrorData } from '../../../shared/contract/errors';
import type { HeadState } from './types';

/** What a helper needs to build the same stage-2 model as the training thread (workerData). */
export type GradWorkerInit = {
  backbonesRoot: string;
  backboneName: string;
  splitLayer: string;
  /** The head's config (dropout included) and weights of the right shapes. */
  head: HeadState;
  numClasses: number;
  /** Per-class loss weights [K], as in the training loop. */
  classWeights: number[];
  /** Shapes of the training thread's variables, in order: a mismatch fails at start. */
  variableShapes: number[][];
};

/** One shard of a batch: the current weights, its rows, labels and dropout mask. */
export type ShardRequest = {
  kind: 'shard';
  id: number;
  /** Every variable's values, in order. */
  weights: Float32Array[];
  rows: Float32Array;
  rowShape: number[];
  labels: Int32Array;
  /** [rows, dropoutWidth] or null without dropout. */
  mask: Float32Array | null;
  /** Rows in the whole batch: the shard's loss is its Σ ce·w divided by this. */
  batchRows: number;
};

export type ShardResult = {
  /** Gradients of the shard's loss, one per variable (null where the loss does not reach it). */
  grads: (Float32Array | null)[];
  /** Σ ce·w over the shard's rows. */
  weightedLoss: number;
  hits: number;
};

export type GradWorkerReply =
  | { kind: 'ready' }
  | ({ kind: 'grads'; id: number } & ShardResult)
  | { kind: 'error'; id: number | null; error: AppErrorData };
