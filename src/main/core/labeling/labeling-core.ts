import type { BackboneMeta } from '../../platform/backbone-meta';
import type { LabelHostOpMap } from '../../ml-host/labeling/host-op-types';
import type { CoreServices } from '../core-services';
import type { JobContext } from '../jobs/job-manager';
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

/** What the labeling handlers and jobs use of the core: its services, with the ML part narrowed. */
export type LabelingCore = Pick<
  CoreServices,
  'db' | 'startJob' | 'cancelJob' | 'jobActive' | 'notifyChanged'
> & {
  /** Null when the core runs without the ML service. */
  ml: LabelingMl | null;
};
