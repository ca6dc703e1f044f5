// Small dense linear algebra for the open-set statistics: a shrunk covariance, its Cholesky factor
// and triangular solves. Plain typed arrays (float64 while fitting), because the work is one
// D x D matrix (D = 1280 for MobileNetV2) fitted once per trained model, and it must run the same on
// every tfjs backend, WebGPU included, where synchronous tensor reads are not available.
import { AppError } from '../../../shared/contract/errors';

const BETA_ROWS = 512;

/**
 * Ledoit-Wolf shrinkage of the covariance of `rows` (n x d, row-major, already centred):
 * Σ = (1 - α) S + α μ I with S = XᵀX / n, μ = tr(S) / d and the α that minimises the expected
 * Frobenius error (Ledoit & Wolf 2004). Returns the full symmetric matrix (float64, d x d).
 * The shrinkage keeps Σ well conditioned when n is close to or below d, as it is for a few
 * hundred training photos of 1280-dimensional features.
 */
export function shrunkCovariance(
  rows: Float64Array,
  n: number,
  d: number,
): { covariance: Float64Array; shrinkage: number } {
  if (n < 2 || rows.length !== n * d) {
    throw new AppError('BAD_ARGUMENT', `A covariance needs at least 2 rows of ${d} values.`);
  }
  const s = new Float64Array(d * d);
  // Lower triangle of XᵀX, accumulated row by row (cache friendly: each row is read once).
  for (let r = 0; r < n; r++) {
    const off = r * d;
    for (let i = 0; i < d; i++) {
      const xi = rows[off + i]!;
      if (xi === 0) continue;
      const base = i * d;
      for (let j = 0; j <= i; j++) s[base + j]! += xi * rows[off + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = s[i * d + j]! / n;
      s[i * d + j] = v;
      s[j * d + i] = v;
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) trace += s[i * d + i]!;
  const mu = trace / d;
  // δ² = ||S - μI||²_F
  let delta2 = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const v = s[i * d + j]! - (i === j ? mu : 0);
      delta2 += v * v;
    }
  }
  // β̄² = (1/n²) Σ_r ||x_r x_rᵀ - S||²_F = (1/n²) Σ_r (||x_r||⁴ - 2 x_rᵀ S x_r + ||S||²_F),
  // estimated from at most BETA_ROWS evenly spaced rows: each term costs d² and only the sum's size
  // matters for the shrinkage, not every row's exact contribution.
  let sNorm2 = 0;
  for (let k = 0; k < d * d; k++) sNorm2 += s[k]! * s[k]!;
  const sampled = Math.min(n, BETA_ROWS);
  let beta2 = 0;
  for (let t = 0; t < sampled; t++) {
    const off = Math.floor((t * n) / sampled) * d;
    let norm2 = 0;
    for (let i = 0; i < d; i++) norm2 += rows[off + i]! * rows[off + i]!;
    let quad = 0;
    for (let i = 0; i < d; i++) {
      let acc = 0;
      const base = i * d;
      for (let j = 0; j < d; j++) acc += s[base + j]! * rows[off + j]!;
      quad += acc * rows[off + i]!;
    }
    beta2 += norm2 * norm2 - 2 * quad + sNorm2;
  }
  beta2 *= n / sampled / (n * n);
  const shrinkage = delta2 > 0 ? Math.min(1, Math.max(0, beta2 / delta2)) : 1;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      s[i * d + j] = (1 - shrinkage) * s[i * d + j]! + (i === j ? shrinkage * mu : 0);
    }
  }
  return { covariance: s, shrinkage };
}

/**
 * Cholesky factor L (lower triangular, L Lᵀ = A) of a symmetric positive definite d x d matrix,
 * returned packed by rows: row i holds L[i][0..i] at offset i(i+1)/2.
 */
export function choleskyPacked(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array((d * (d + 1)) / 2);
  for (let i = 0; i < d; i++) {
    const ri = (i * (i + 1)) / 2;
    for (let j = 0; j <= i; j++) {
      const rj = (j * (j + 1)) / 2;
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[ri + k]! * l[rj + k]!;
      if (i === j) {
        if (!(sum > 0)) {
          throw new AppError(
            'INTERNAL',
            `The feature covariance is not positive definite (pivot ${i} is ${sum}).`,
          );
        }
        l[ri + i] = Math.sqrt(sum);
      } else {
        l[ri + j] = sum / l[rj + j]!;
      }
    }
  }
  return l;
}

/** Solves L y = b for y (forward substitution) with L packed as choleskyPacked returns it. */
export function forwardSolve(
  l: ArrayLike<number>,
  b: ArrayLike<number>,
  d: number,
  out = new Float64Array(d),
): Float64Array {
  for (let i = 0; i < d; i++) {
    const ri = (i * (i + 1)) / 2;
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[ri + k]! * out[k]!;
    out[i] = sum / l[ri + i]!;
  }
  return out;
}

/**
 * The inverse of a lower-triangular matrix (packed by rows as choleskyPacked returns it), itself
 * lower triangular and packed the same way. With Σ = L Lᵀ, L⁻¹ whitens: ||L⁻¹x||² = xᵀΣ⁻¹x, and
 * a matrix (unlike a solve) can be applied to a batch by one matrix product on any tfjs backend.
 */
export function invertLowerPacked(l: ArrayLike<number>, d: number): Float64Array {
  const inv = new Float64Array((d * (d + 1)) / 2);
  const col = new Float64Array(d);
  const unit = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    unit.fill(0);
    unit[j] = 1;
    forwardSolve(l, unit, d, col); // column j of L⁻¹ (zero above the diagonal)
    for (let i = j; i < d; i++) inv[(i * (i + 1)) / 2 + j] = col[i]!;
  }
  return inv;
}

/** y = M x for a lower-triangular M packed by rows (the whitening applied in plain code). */
export function lowerTimes(
  m: ArrayLike<number>,
  x: ArrayLike<number>,
  d: number,
  out = new Float64Array(d),
): Float64Array {
  for (let i = 0; i < d; i++) {
    const ri = (i * (i + 1)) / 2;
    let sum = 0;
    for (let k = 0; k <= i; k++) sum += m[ri + k]! * x[k]!;
    out[i] = sum;
  }
  return out;
}
