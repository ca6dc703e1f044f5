// What the geolocation service needs of StudioCore (structural, so this module does not import
// it, and tests could hand it something smaller).
import type Database from 'better-sqlite3';
import type { JobKind, LibraryEvent } from '../../../shared/contract/job-types';
import type { ImportReport } from '../../../shared/contract/library-types';
import type { JobContext, JobRunner } from '../jobs/job-manager';
import type { ChunkPrediction } from './geo-predict';

export type GeoPredictor = {
  /** The model's top cities for these library photos; nothing is stored. */
  predictImages(
    modelId: string,
    imageIds: readonly number[],
    ctx: JobContext,
  ): Promise<ChunkPrediction>;
};

export type GeoCore = {
  /** The open library's connection (throws LIBRARY_NOT_OPEN). */
  db(): Database.Database;
  startJob<K extends JobKind>(kind: K, params: unknown, run: JobRunner<K>): string;
  notifyChanged(what: LibraryEvent['what']): void;
  /** The library's import (dedup by content, labels from folders and GPS), inside the given job. */
  runImport(paths: string[], ctx: JobContext): Promise<ImportReport>;
  /** Null when the core runs without ML: batches can then be read, reviewed and exported only. */
  predictor: GeoPredictor | null;
};
