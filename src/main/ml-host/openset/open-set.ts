// The open-set statistics a model carries: fitted once when the model is trained, from the
// training photos' features and the validation photos' logits, and used on every prediction to
// score how unlike the training photos a photo is (no extra forward pass: the features and logits
// are computed anyway). The comparison that chose the score is `npm run bench -- openset`.
import { AppError } from '../../../shared/contract/errors';
import {
  defaultThreshold,
  SMALL_FIT_SET,
  thresholdForKeepRate,
} from '../../../shared/domain/open-set';
import type { HeadState } from '../train/types';
import { fitClassGaussians, crossFittedDistances, mahalanobisDistances } from './gaussian';
import { l2Normalised } from './scores';
import { fitTemperature } from './temperature';
import type { OpenSetModel } from '../../platform/model-bundle/open-set-arrays';

export type { OpenSetModel } from '../../platform/model-bundle/open-set-arrays';

/** Default share of validation photos that keep their city (the rest are answered "unknown"). */
export const DEFAULT_KEEP_RATE = 0.95;
/** Validation scores kept in the bundle (sorted quantiles) to turn a keep rate into a threshold. */
const STORED_QUANTILES = 101;

export type FitOpenSetInput = {
  head: HeadState;
  /** Training features [n, D] and their labels (all views). */
  train: { features: Float32Array; labels: ArrayLike<number> };
  /**
   * Validation features [m, D], labels and the head's logits [m, K]; null fits the temperature on
   * the training logits and the threshold on the cross-fitted training photos alone.
   */
  val: { features: Float32Array; labels: ArrayLike<number>; logits: Float32Array } | null;
  trainLogits?: Float32Array;
  /** Consecutive training rows per photo (its views), so cross-fitting holds out whole photos. */
  trainViews?: number;
  keepRate?: number;
};

/** Training photos scored by cross-fitting for the threshold (beside the validation photos). */
const MAX_HELD_OUT_TRAIN_PHOTOS = 1000;

/**
 * The out-of-distribution score: the squared Mahalanobis distance of the photo's L2-normalised
 * backbone features to the nearest city's mean under the shared, shrunk within-city covariance,
 * divided by the feature dimension so that values read alike for every backbone. Chosen over
 * maximum softmax, energy, raw-feature Mahalanobis and k-nearest-neighbour distance by
 * `npm run bench -- openset`: as good as kNN on every proxy, without keeping training features.
 * `features` [n, D].
 */
export function openSetScores(model: OpenSetModel, features: Float32Array): Float32Array {
  const d = mahalanobisDistances(model.gaussians, l2Normalised(features, model.gaussians.dim));
  const dim = model.gaussians.dim;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / dim;
  return d;
}

/**
 * Quantiles 0, 1/100, …, 1 of `scores`, ascending, interpolated between neighbouring scores (so
 * they stay strictly increasing for distinct scores, and a keep rate maps to one threshold and back).
 */
function quantiles(scores: Float32Array): number[] {
  const sorted = Array.from(scores).sort((a, b) => a - b);
  return Array.from({ length: STORED_QUANTILES }, (_, q) =>
    thresholdForKeepRate(sorted, q / (STORED_QUANTILES - 1)),
  );
}

export function fitOpenSet(input: FitOpenSetInput): OpenSetModel {
  const { head } = input;
  const dim = head.config.inputDim;
  const k = head.config.numClasses;
  const trainNormalised = l2Normalised(input.train.features, dim);
  const gaussians = fitClassGaussians(trainNormalised, input.train.labels, dim, k);
  const keepRate = input.keepRate ?? DEFAULT_KEEP_RATE;
  const fitOn = input.val !== null && input.val.labels.length > 0 ? input.val : null;
  if (fitOn === null && input.trainLogits === undefined) {
    throw new AppError('INTERNAL', 'Open-set fitting needs validation photos or training logits.');
  }
  const logits = fitOn?.logits ?? input.trainLogits!;
  const labels = fitOn?.labels ?? input.train.labels;
  const temperature = fitTemperature(logits, labels, k);
  const partial: OpenSetModel = {
    gaussians,
    stats: {
      method: 'mahalanobis',
      temperature,
      threshold: 0,
      keepRate,
      fittedOn: fitOn === null ? 'train' : 'val',
      count: 0,
      shrinkage: gaussians.shrinkage,
      quantiles: [],
    },
  };
  // The threshold is fitted on every photo that can be scored fairly: the validation photos and
  // the training photos, each scored by statistics fitted without it (cross-fitting). Far more
  // photos than validation alone, which matters for the small libraries people start with.
  // With enough validation photos their quantile stands alone (and large libraries skip the work).
  const enoughVal = fitOn !== null && fitOn.labels.length >= SMALL_FIT_SET;
  const heldOutTrain = enoughVal
    ? new Float32Array(0)
    : crossFittedDistances(
        trainNormalised,
        input.train.labels,
        dim,
        k,
        input.trainViews ?? 1,
        MAX_HELD_OUT_TRAIN_PHOTOS,
      ).map((d2) => d2 / dim);
  const pooled = [
    ...(fitOn === null ? [] : openSetScores(partial, fitOn.features)),
    ...heldOutTrain,
  ];
  // Too few photos to cross-fit and no validation split: the training photos themselves, scored
  // by the statistics they made (optimistic, but a threshold rather than none).
  const scores =
    pooled.length > 0 ? Float32Array.from(pooled) : openSetScores(partial, input.train.features);
  partial.stats.threshold = defaultThreshold(scores, keepRate);
  partial.stats.quantiles = quantiles(scores);
  partial.stats.count = scores.length;
  return partial;
}
