// What the geolocation service needs of StudioCore (structural, so this module does not import
// it, and tests could hand it something smaller).
import type { ImportReport } from '../../../shared/contract/library-types';
import type { CoreServices } from '../core-services';
import type { JobContext } from '../jobs/job-manager';
import type { ChunkPrediction } from './geo-predict';

export type GeoPredictor = {
  /** The model's top cities for these library photos; nothing is stored. */
  predictImages(
    modelId: string,
    imageIds: readonly number[],
    ctx: JobContext,
  ): Promise<ChunkPrediction>;
};

export type GeoCore = Pick<CoreServices, 'db' | 'startJob' | 'notifyChanged'> & {
  /** The library's import (dedup by content, labels from folders and GPS), inside the given job. */
  runImport(paths: string[], ctx: JobContext): Promise<ImportReport>;
  /** Null when the core runs without ML: batches can then be read, reviewed and exported only. */
  predictor: GeoPredictor | null;
};
