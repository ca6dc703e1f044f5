import type Database from 'better-sqlite3';
import type { JobKind, LibraryEvent } from '../../../shared/contract/job-types';
import type { BackboneMeta } from '../../platform/backbone-meta';
import type { LabelHostOpMap } from '../../ml-host/labeling/host-op-types';
import type { JobContext, JobRunner } from '../jobs/job-manager';
import type { PoolImage } from './label-pool';

/** What the labeling queues need of the ML service: its host ops and the feature cache. */
export type LabelingMl = {
  run<K extends keyof LabelHostOpMap>(
    op: K,
    params: LabelHostOpMap[K]['params'],
    ctx: JobContext,
  ): Promise<LabelHostOpMap[K]['result']>;
  /**
   * Makes sure the centre-crop features of `images` are cached for the backbone (computing the
   * missing ones); returns the backbone as installed now and how many photos failed.
   */
  ensureFeatures(
    backbone: string,
    images: readonly PoolImage[],
    ctx: JobContext,
  ): Promise<{ meta: BackboneMeta; failed: number }>;
};

/** What the labeling handlers need of StudioCore (structural, so they do not import it). */
export type LabelingCore = {
  db(): Database.Database;
  startJob<K extends JobKind>(kind: K, params: unknown, run: JobRunner<K>): string;
  cancelJob(jobId: string): void;
  /** Whether the job is queued or running. */
  jobActive(jobId: string): boolean;
  notifyChanged(what: LibraryEvent['what']): void;
  /** Null when the core runs without the ML service. */
  ml: LabelingMl | null;
};
