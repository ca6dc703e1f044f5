// Class-conditional Gaussians with one shared covariance over backbone features (the Mahalanobis
// out-of-distribution score of Lee et al. 2018): a photo far from every city's mean, measured in
// the units the training photos themselves vary in, looks like none of the model's cities.
import { AppError } from '../../../shared/contract/errors';
import { choleskyPacked, forwardSolve, shrunkCovariance } from './linalg';

/**
 * The fitted statistics, as stored in a model bundle. With Σ = L Lᵀ the squared distance of a
 * feature f to class c is ||L⁻¹f - L⁻¹μ_c||², so only L (packed lower triangle, d(d+1)/2 values)
 * and the whitened means m_c = L⁻¹μ_c ([K, d]) are kept.
 */
export type ClassGaussians = {
  dim: number;
  numClasses: number;
  cholesky: Float32Array;
  whitenedMeans: Float32Array;
  /** Ledoit-Wolf shrinkage towards a scaled identity that was applied (0-1). */
  shrinkage: number;
};

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
  const n = labels.length;
  if (features.length !== n * dim) {
    throw new AppError('BAD_ARGUMENT', `${features.length} values are not ${n} rows of ${dim}.`);
  }
  const sums = new Float64Array(numClasses * dim);
  const counts = new Float64Array(numClasses);
  for (let r = 0; r < n; r++) {
    const c = labels[r]!;
    counts[c]! += 1;
    const off = r * dim;
    const base = c * dim;
    for (let i = 0; i < dim; i++) sums[base + i]! += features[off + i]!;
  }
  for (let c = 0; c < numClasses; c++) {
    if (counts[c]! > 0) for (let i = 0; i < dim; i++) sums[c * dim + i]! /= counts[c]!;
  }
  const means = sums;
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
  const l = choleskyPacked(covariance, dim);
  // A city without training rows gets a mean no photo is near (kept finite for the bundle).
  const whitenedMeans = new Float32Array(numClasses * dim).fill(ABSENT);
  const solved = new Float64Array(dim);
  for (let c = 0; c < numClasses; c++) {
    if (counts[c] === 0) continue;
    forwardSolve(l, means.subarray(c * dim, (c + 1) * dim), dim, solved);
    whitenedMeans.set(solved, c * dim);
  }
  return { dim, numClasses, cholesky: Float32Array.from(l), whitenedMeans, shrinkage };
}

/**
 * Squared Mahalanobis distance of each row of `features` ([n, dim]) to its nearest class mean:
 * min_c ||L⁻¹f - m_c||². About d²/2 + K·d multiply-adds per row (0.8 M for MobileNetV2), a
 * fraction of a percent of the forward pass that produced the features.
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
    forwardSolve(g.cholesky, features.subarray(r * dim, (r + 1) * dim), dim, y);
    let best = Infinity;
    for (let c = 0; c < numClasses; c++) {
      const base = c * dim;
      if (g.whitenedMeans[base] === ABSENT) continue;
      let d2 = 0;
      for (let i = 0; i < dim; i++) {
        const v = y[i]! - g.whitenedMeans[base + i]!;
        d2 += v * v;
      }
      if (d2 < best) best = d2;
    }
    out[r] = best;
  }
  return out;
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
    const g = fitClassGaussians(fitRows, fitLabels, dim, numClasses);
    const take = Math.min(heldPhotos.length, Math.ceil(maxPhotos / folds));
    const held = new Float32Array(take * dim);
    for (let t = 0; t < take; t++) {
      const p = heldPhotos[Math.floor((t * heldPhotos.length) / take)]!;
      held.set(features.subarray(p * views * dim, p * views * dim + dim), t * dim);
    }
    out.push(...mahalanobisDistances(g, held));
  }
  return Float32Array.from(out);
}
