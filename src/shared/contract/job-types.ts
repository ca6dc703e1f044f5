import type { CollectJobResult } from './collect-types';
import type { AppErrorData } from './errors';
import type { GeoJobResult } from './geo-types';
import type { LabelJobResults } from './label-queue-types';
import type { ImportReport } from './library-types';
import type { MlJobResults } from './ml-types';

/**
 * Long work (import, feature extraction, training, ...) runs as a job off the main thread. A job is
 * started by a `*.start` method that returns its id at once; its life is told by JobEvents.
 * The result of each kind is declared in JobResults; issue-specific kinds extend it.
 */
export type JobResults = {
  import: ImportReport;
  geolocate: GeoJobResult;
  collect: CollectJobResult;
} & MlJobResults &
  LabelJobResults;

export type JobKind = keyof JobResults;
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export type JobInfo = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  createdAt: string;
  updatedAt: string;
  progress: { done: number; total: number; message: string | null };
  error: AppErrorData | null;
};

export type EpochMetrics = {
  stage: number;
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
};

type DoneEvent = {
  [K in JobKind]: { type: 'done'; jobId: string; kind: K; result: JobResults[K] };
}[JobKind];

export type JobEvent =
  | { type: 'queued'; jobId: string; kind: JobKind }
  | {
      type: 'progress';
      jobId: string;
      kind: JobKind;
      done: number;
      total: number;
      message: string | null;
    }
  | { type: 'epoch'; jobId: string; kind: JobKind; metrics: EpochMetrics }
  | { type: 'log'; jobId: string; kind: JobKind; level: 'info' | 'warn'; message: string }
  | DoneEvent
  | { type: 'failed'; jobId: string; kind: JobKind; error: AppErrorData }
  | { type: 'cancelled'; jobId: string; kind: JobKind };

export type LibraryEvent = {
  type: 'changed';
  what: 'opened' | 'images' | 'labels' | 'cities' | 'splits' | 'models';
};

/**
 * Sent by the Electron shell's native menu to its own window only (never by the core): show a
 * screen, by the renderer's view id (`library`, `cities`, …, or `open` for the open-library screen).
 */
export type UiEvent = { type: 'navigate'; view: string };

/** Every event a client can receive, on one channel each. */
export type AppEvent =
  | { channel: 'job'; payload: JobEvent }
  | { channel: 'library'; payload: LibraryEvent }
  | { channel: 'ui'; payload: UiEvent };
