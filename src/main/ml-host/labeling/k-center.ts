// Diversity for the label-next queue: k-center greedy (Sener & Savarese's core-set selection)
// over the cached features. Each pick is the candidate farthest from everything already labelled
// or picked, so a batch spreads over the feature space instead of piling into one corner.
// Distances are taken in a seeded random projection to PROJECTED_DIM dimensions: pairwise
// distances survive it well (Johnson–Lindenstrauss) and it makes 100,000 candidates a matter of
// a second rather than minutes at 1280 dimensions.
import { mulberry32 } from '../../../shared/domain/random';
import type { FeatureMatrix } from './softmax-head';

export const PROJECTED_DIM = 32;
/** Labelled photos used as existing centres, at most (a seeded sample beyond this). */
export const MAX_CENTRES = 512;

/** A standard normal draw (Box–Muller) from a uniform source. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A seeded Gaussian matrix [dim, out] / sqrt(out): the same seed gives the same projection. */
export function projectionMatrix(dim: number, out: number, seed: number): Float32Array {
  const random = mulberry32(seed ^ 0x5bd1e995);
  const r = new Float32Array(dim * out);
  const norm = 1 / Math.sqrt(out);
  for (let q = 0; q < r.length; q++) r[q] = gaussian(random) * norm;
  return r;
}

/** Rows of `data` times `matrix` [data.dim, out]: [n, out]. */
export function project(data: FeatureMatrix, matrix: Float32Array, out: number): FeatureMatrix {
  const { x, n, dim } = data;
  const y = new Float32Array(n * out);
  const acc = new Float64Array(out);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    const xo = i * dim;
    for (let j = 0; j < dim; j++) {
      const v = x[xo + j] as number;
      if (v === 0) continue;
      const ro = j * out;
      for (let c = 0; c < out; c++) acc[c] = (acc[c] as number) + v * (matrix[ro + c] as number);
    }
    y.set(acc, i * out);
  }
  return { x: y, n, dim: out };
}

/** `data` in the seeded projection, or `data` itself when it is no wider than PROJECTED_DIM. */
export function projectForDistance(data: FeatureMatrix, seed: number): FeatureMatrix {
  if (data.dim <= PROJECTED_DIM) return data;
  return project(data, projectionMatrix(data.dim, PROJECTED_DIM, seed), PROJECTED_DIM);
}

function squaredDistance(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  d: number,
): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = (a[ao + j] as number) - (b[bo + j] as number);
    s += t * t;
  }
  return s;
}

export type KCenterPick = { index: number; distance: number };

/**
 * Picks `count` rows of `candidates` (indices into it) greedily: each is the one farthest from
 * the centres (rows of `centres`) and the picks so far. `among` limits the search to some
 * candidate rows (default all). Both matrices must share their dimension (project them first).
 * With no centre at all the first pick is the candidate farthest from the candidates' mean.
 * `distance` is the Euclidean distance to the nearest centre at the moment of the pick.
 */
export function kCenterGreedy(
  candidates: FeatureMatrix,
  centres: FeatureMatrix,
  count: number,
  among: Int32Array | null = null,
): KCenterPick[] {
  const d = candidates.dim;
  const pool = among ?? Int32Array.from({ length: candidates.n }, (_, i) => i);
  const m = pool.length;
  const nearest = new Float64Array(m).fill(Infinity);
  if (centres.n > 0) {
    for (let p = 0; p < m; p++) {
      const ao = (pool[p] as number) * d;
      let best = Infinity;
      for (let c = 0; c < centres.n; c++) {
        const s = squaredDistance(candidates.x, ao, centres.x, c * d, d);
        if (s < best) best = s;
      }
      nearest[p] = best;
    }
  } else if (m > 0) {
    const mean = new Float32Array(d);
    for (let p = 0; p < m; p++) {
      const ao = (pool[p] as number) * d;
      for (let j = 0; j < d; j++)
        mean[j] = (mean[j] as number) + (candidates.x[ao + j] as number) / m;
    }
    for (let p = 0; p < m; p++) {
      nearest[p] = squaredDistance(candidates.x, (pool[p] as number) * d, mean, 0, d);
    }
  }
  const picks: KCenterPick[] = [];
  const taken = new Uint8Array(m);
  for (let t = 0; t < Math.min(count, m); t++) {
    let best = -1;
    let bestDistance = -1;
    for (let p = 0; p < m; p++) {
      if (taken[p] === 0 && (nearest[p] as number) > bestDistance) {
        best = p;
        bestDistance = nearest[p] as number;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picks.push({ index: pool[best] as number, distance: Math.sqrt(bestDistance) });
    const bo = (pool[best] as number) * d;
    for (let p = 0; p < m; p++) {
      if (taken[p] === 1) continue;
      const s = squaredDistance(candidates.x, (pool[p] as number) * d, candidates.x, bo, d);
      if (s < (nearest[p] as number)) nearest[p] = s;
    }
  }
  return picks;
}
