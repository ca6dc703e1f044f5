// Class-conditional Gaussians with one shared covariance over backbone features (the Mahalanobis
// out-of-distribution score of Lee et al. 2018): a photo far from every city's mean, measured in
// the units the training photos themselves vary in, looks like none of the model's cities.
import { AppError } from '../../../shared/contract/errors';
import type { ClassGaussians } from '../../platform/model-bundle/open-set-arrays';
import {
  choleskyPacked,
  forwardSolve,
  invertLowerPacked,
  lowerTimes,
  shrunkCovariance,
} from './linalg';

/** Covariance rows are sampled down to this many: enough for a shrunk 1280 x 1280 estimate. */
export const MAX_COVARIANCE_ROWS = 4096;

const ABSENT = Math.fround(1e18);

/**
 * Fits class means from every row and the shared within-class covariance from at most
 * MAX_COVARIANCE_ROWS rows spread evenly over the set. `features` is [n, dim] row-major,
 * `labels` n class indices in [0, numClasses). Classes without rows get no mean and never match.
 */
export function fitClassGaussians(
  features: Float32Array,
  labels: ArrayLike<number>,
  dim: number,
  numClasses: number,
): ClassGaussians {
  const { means, counts, l, shrinkage } = fitFactor(features, labels, dim, numClasses);
  const w = invertLowerPacked(l, dim);
  // A city without training rows gets a mean no photo is near (kept finite for the bundle).
  const whitenedMeans = new Float32Array(numClasses * dim).fill(ABSENT);
  const solved = new Float64Array(dim);
  for (let c = 0; c < numClasses; c++) {
    if (counts[c] === 0) continue;
    lowerTimes(w, means.subarray(c * dim, (c + 1) * dim), dim, solved);
    whitenedMeans.set(solved, c * dim);
  }
  return { dim, numClasses, whitening: Float32Array.from(w), whitenedMeans, shrinkage };
}

/** Class means, counts and the Cholesky factor L of the shrunk shared covariance. */
function fitFactor(
  features: Float32Array,
  labels: ArrayLike<number>,
  dim: number,
  numClasses: number,
): { means: Float64Array; counts: Float64Array; l: Float64Array; shrinkage: number } {
  const n = labels.length;
  if (features.length !== n * dim) {
    throw new AppError('BAD_ARGUMENT', `${features.length} values are not ${n} rows of ${dim}.`);
  }
  const means = new Float64Array(numClasses * dim);
  const counts = new Float64Array(numClasses);
  for (let r = 0; r < n; r++) {
    const c = labels[r]!;
    counts[c]! += 1;
    const off = r * dim;
    const base = c * dim;
    for (let i = 0; i < dim; i++) means[base + i]! += features[off + i]!;
  }
  for (let c = 0; c < numClasses; c++) {
    if (counts[c]! > 0) for (let i = 0; i < dim; i++) means[c * dim + i]! /= counts[c]!;
  }
  const m = Math.min(n, MAX_COVARIANCE_ROWS);
  const centred = new Float64Array(m * dim);
  for (let t = 0; t < m; t++) {
    const r = Math.floor((t * n) / m);
    const c = labels[r]!;
    for (let i = 0; i < dim; i++) {
      centred[t * dim + i] = features[r * dim + i]! - means[c * dim + i]!;
    }
  }
  const { covariance, shrinkage } = shrunkCovariance(centred, m, dim);
  return { means, counts, l: choleskyPacked(covariance, dim), shrinkage };
}

/**
 * Squared Mahalanobis distance of each row of `features` ([n, dim]) to its nearest class mean:
 * min_c ||W f - m_c||². About d²/2 + K·d multiply-adds per row (0.8 M for MobileNetV2). Plain
 * code, for fitting and the bench; the ML host applies W as one matrix product on its backend.
 */
export function mahalanobisDistances(g: ClassGaussians, features: Float32Array): Float32Array {
  const { dim, numClasses } = g;
  if (features.length % dim !== 0) {
    throw new AppError('BAD_ARGUMENT', `${features.length} values are not rows of ${dim}.`);
  }
  const n = features.length / dim;
  const out = new Float32Array(n);
  const y = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    lowerTimes(g.whitening, features.subarray(r * dim, (r + 1) * dim), dim, y);
    out[r] = nearestSquaredDistance(y, g.whitenedMeans, numClasses, dim);
  }
  return out;
}

/**
 * min over cities of ||y - m_c||², for a whitened feature y and whitened means [K, dim] (flat);
 * cities without training rows (mean ABSENT) never match.
 */
function nearestSquaredDistance(
  y: Float64Array,
  means: ArrayLike<number>,
  numClasses: number,
  dim: number,
): number {
  let best = Infinity;
  for (let c = 0; c < numClasses; c++) {
    const base = c * dim;
    if (means[base] === ABSENT) continue;
    let d2 = 0;
    for (let i = 0; i < dim; i++) {
      const v = y[i]! - means[base + i]!;
      d2 += v * v;
    }
    if (d2 < best) best = d2;
  }
  return best;
}

/**
 * Scores of training photos as if they had not been trained on (k-fold cross-fitting): the
 * Gaussians are fitted on the other folds' photos and score the centre view (first row) of the
 * fold's photos. Scoring a photo with statistics that include it is badly optimistic
 * when photos are fewer than feature dimensions: the covariance then spans the training photos'
 * own residuals, so they sit close while every new photo, of the same city too, sits far. Fitting
 * on fewer photos errs the other way, slightly (a generous threshold). `features` are photo-major,
 * `views` consecutive rows a photo; at most `maxPhotos` photos are scored.
 */
export function crossFittedDistances(
  features: Float32Array,
  labels: ArrayLike<number>,
  dim: number,
  numClasses: number,
  views: number,
  maxPhotos: number,
  folds = 4,
): Float32Array {
  const photos = Math.floor(labels.length / views);
  if (photos < 2 * folds) return new Float32Array(0);
  const out: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const fitPhotos: number[] = [];
    const heldPhotos: number[] = [];
    for (let p = 0; p < photos; p++) (p % folds === fold ? heldPhotos : fitPhotos).push(p);
    const fitRows = new Float32Array(fitPhotos.length * views * dim);
    const fitLabels = new Int32Array(fitPhotos.length * views);
    fitPhotos.forEach((p, i) => {
      fitRows.set(features.subarray(p * views * dim, (p + 1) * views * dim), i * views * dim);
      fitLabels.fill(labels[p * views]!, i * views, (i + 1) * views);
    });
    // A Cholesky solve per scored photo is cheaper here than inverting the factor of each fold.
    const { means, counts, l } = fitFactor(fitRows, fitLabels, dim, numClasses);
    const whitenedMeans = new Float64Array(numClasses * dim).fill(ABSENT);
    for (let c = 0; c < numClasses; c++) {
      if (counts[c]! > 0) {
        whitenedMeans.set(forwardSolve(l, means.subarray(c * dim, (c + 1) * dim), dim), c * dim);
      }
    }
    const take = Math.min(heldPhotos.length, Math.ceil(maxPhotos / folds));
    const y = new Float64Array(dim);
    for (let t = 0; t < take; t++) {
      const p = heldPhotos[Math.floor((t * heldPhotos.length) / take)]!;
      forwardSolve(l, features.subarray(p * views * dim, p * views * dim + dim), dim, y);
      out.push(nearestSquaredDistance(y, whitenedMeans, numClasses, dim));
    }
  }
  return Float32Array.from(out);
}
