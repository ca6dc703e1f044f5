// The open-set statistics as a model bundle stores them ('openset/<name>' arrays beside the head):
// the whitening factor and the whitened class means. Fitting them is the ML host's work
// (ml-host/openset); reading and checking them is here, so the core can validate a bundle.
import { AppError } from '../../../shared/contract/errors';
import type { OpenSetMeta } from '../../../shared/contract/ml-types';
import type { NamedArray } from './weights';

/**
 * The fitted statistics, as stored in a model bundle. With Σ = L Lᵀ the squared distance of a
 * feature f to class c is ||W f - W μ_c||² with the whitening W = L⁻¹, so only W (lower
 * triangular, packed by rows: d(d+1)/2 values) and the whitened means m_c = W μ_c ([K, d]) are
 * kept.
 */
export type ClassGaussians = {
  dim: number;
  numClasses: number;
  whitening: Float32Array;
  whitenedMeans: Float32Array;
  /** Ledoit-Wolf shrinkage towards a scaled identity that was applied (0-1). */
  shrinkage: number;
};

/** Everything a model needs to score photos: the stored metadata and the fitted Gaussians. */
export type OpenSetModel = { stats: OpenSetMeta; gaussians: ClassGaussians };

const WHITENING = 'whitening';
const MEANS = 'whitenedMeans';

/** The arrays stored in the bundle's weights file (under 'openset/'). */
export function openSetArrays(model: OpenSetModel): NamedArray[] {
  const { dim, numClasses } = model.gaussians;
  return [
    { name: WHITENING, shape: [(dim * (dim + 1)) / 2], values: model.gaussians.whitening },
    { name: MEANS, shape: [numClasses, dim], values: model.gaussians.whitenedMeans },
  ];
}

/** Rebuilds the model from stored metadata and arrays, checking their shapes. */
export function openSetFromArrays(
  stats: OpenSetMeta,
  arrays: readonly NamedArray[],
  dim: number,
  numClasses: number,
): OpenSetModel {
  const whitening = arrays.find((a) => a.name === WHITENING);
  const means = arrays.find((a) => a.name === MEANS);
  if (
    arrays.length !== 2 ||
    whitening === undefined ||
    means === undefined ||
    whitening.values.length !== (dim * (dim + 1)) / 2 ||
    means.values.length !== numClasses * dim
  ) {
    throw new AppError('MODEL_INVALID', 'The open-set statistics do not fit the model.');
  }
  return {
    stats,
    gaussians: {
      dim,
      numClasses,
      whitening: whitening.values,
      whitenedMeans: means.values,
      shrinkage: stats.shrinkage,
    },
  };
}
