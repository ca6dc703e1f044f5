import type { AppErrorData } from '../../shared/contract/errors';
import type { EpochMetrics, JobEvent } from '../../shared/contract/job-types';

export type JobPhase = 'idle' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';
export type LogLine = { level: 'info' | 'warn'; message: string; at: number };

/** Everything a view shows about one job it started or follows. */
export type JobState<R> = {
  phase: JobPhase;
  jobId: string | null;
  progress: { done: number; total: number; message: string | null } | null;
  /** Epoch metrics in arrival order, one per (stage, epoch). */
  epochs: EpochMetrics[];
  logs: LogLine[];
  result: R | null;
  error: AppErrorData | null;
};

export const IDLE: JobState<never> = {
  phase: 'idle',
  jobId: null,
  progress: null,
  epochs: [],
  logs: [],
  result: null,
  error: null,
};

const MAX_LOGS = 500;

/** Adds or replaces the metrics of one epoch (events may repeat after re-attaching to a job). */
export function withEpoch(epochs: readonly EpochMetrics[], m: EpochMetrics): EpochMetrics[] {
  const i = epochs.findIndex((e) => e.stage === m.stage && e.epoch === m.epoch);
  if (i < 0) return [...epochs, m];
  const next = [...epochs];
  next[i] = m;
  return next;
}

export const isActive = (phase: JobPhase): boolean => phase === 'starting' || phase === 'running';

/** Folds one event of the followed job into its state (pure; events of other jobs are ignored). */
export function foldJobEvent<R>(
  state: JobState<R>,
  event: JobEvent,
  now = Date.now(),
): JobState<R> {
  if (state.jobId !== null && event.jobId !== state.jobId) return state;
  switch (event.type) {
    case 'queued':
      return { ...state, phase: 'running' };
    case 'progress':
      return {
        ...state,
        phase: 'running',
        progress: { done: event.done, total: event.total, message: event.message },
      };
    case 'epoch':
      return { ...state, phase: 'running', epochs: withEpoch(state.epochs, event.metrics) };
    case 'log':
      return {
        ...state,
        logs: [...state.logs, { level: event.level, message: event.message, at: now }].slice(
          -MAX_LOGS,
        ),
      };
    case 'done':
      return { ...state, phase: 'done', result: event.result as R };
    case 'failed':
      return { ...state, phase: 'failed', error: event.error };
    case 'cancelled':
      return { ...state, phase: 'cancelled' };
  }
}
