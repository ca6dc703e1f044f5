// t-SNE (van der Maaten & Hinton 2008) in its Barnes-Hut form (van der Maaten 2014): sparse input
// affinities over nearest neighbours and a quadtree for the map's repulsion, so a whole library's
// features (10,000+ photos) map in seconds, not minutes. Written here because no maintained npm
// package offers a seedable Barnes-Hut t-SNE (tsne-js and @keckelt/tsne are exact O(n²)). Seeded:
// the same sample and seed give the same map. Runs in the ML host, reporting progress.
import { AppError } from '../../../shared/contract/errors';
import { Prng } from '../train/prng';
import { nearestNeighbours, type Neighbours } from './tsne-neighbours';
import { Repulsion } from './tsne-repulsion';

export type TsneOptions = {
  perplexity?: number;
  iterations?: number;
  seed?: number;
  /** Called every few iterations; returning true stops (cancel). */
  onProgress?: (done: number, total: number) => boolean | void;
};

/** Squared Euclidean distances between the rows of x [n, d]. */
export function squaredDistances(x: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = i * d;
    for (let j = i + 1; j < n; j++) {
      const b = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = (x[a + k] as number) - (x[b + k] as number);
        s += diff * diff;
      }
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** P in compressed rows: row i's entries are cols/vals[rowStart[i] .. rowStart[i + 1]). */
type SparseAffinities = { rowStart: Int32Array; cols: Int32Array; vals: Float64Array };

/**
 * Symmetric input affinities P over the k-nearest-neighbour graph: each row's Gaussian width found
 * by bisection so its entropy matches log(perplexity), then P = (P_j|i + P_i|j) / 2n. Pairs outside
 * the graph get 0 (Barnes-Hut t-SNE: with k = 3 x perplexity they would be negligible anyway).
 */
function affinities(neighbours: Neighbours, n: number, perplexity: number): SparseAffinities {
  const { k, index, dist2 } = neighbours;
  // Distances on a unit scale keep the bisection for each Gaussian width well conditioned
  // whatever the features' magnitude (t-SNE itself is scale-free in its input).
  let mean = 0;
  for (const v of dist2) mean += v;
  mean = mean > 0 ? mean / dist2.length : 1;
  const target = Math.log(perplexity);
  const conditional = new Float64Array(n * k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let tries = 0; tries < 64; tries++) {
      let sum = 0;
      let weighted = 0;
      for (let r = 0; r < k; r++) {
        const dd = (dist2[i * k + r] as number) / mean;
        const v = Math.exp(-dd * beta);
        row[r] = v;
        sum += v;
        weighted += v * dd;
      }
      const entropy = sum > 0 ? Math.log(sum) + (beta * weighted) / sum : 0;
      const gap = entropy - target;
      if (Math.abs(gap) < 1e-5) break;
      if (gap > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let r = 0; r < k; r++) sum += row[r] as number;
    for (let r = 0; r < k; r++) conditional[i * k + r] = sum > 0 ? (row[r] as number) / sum : 0;
  }
  // Symmetrise: every edge i → j adds p_j|i to both P_ij and P_ji; duplicates are merged below.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      counts[i + 1] = (counts[i + 1] as number) + 1;
      const j = index[i * k + r] as number;
      counts[j + 1] = (counts[j + 1] as number) + 1;
    }
  }
  for (let i = 0; i < n; i++) counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number);
  const fill = counts.slice(0, n);
  const rawCols = new Int32Array(2 * n * k);
  const rawVals = new Float64Array(2 * n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = index[i * k + r] as number;
      const p = (conditional[i * k + r] as number) / (2 * n);
      let at = fill[i] as number;
      fill[i] = at + 1;
      rawCols[at] = j;
      rawVals[at] = p;
      at = fill[j] as number;
      fill[j] = at + 1;
      rawCols[at] = i;
      rawVals[at] = p;
    }
  }
  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(2 * n * k);
  const vals = new Float64Array(2 * n * k);
  let out = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = out;
    const from = counts[i] as number;
    const order = Array.from({ length: (counts[i + 1] as number) - from }, (_, e) => from + e).sort(
      (a, b) => (rawCols[a] as number) - (rawCols[b] as number),
    );
    for (const e of order) {
      if (out > (rowStart[i] as number) && cols[out - 1] === rawCols[e]) {
        vals[out - 1] = (vals[out - 1] as number) + (rawVals[e] as number);
      } else {
        cols[out] = rawCols[e] as number;
        vals[out] = rawVals[e] as number;
        out++;
      }
    }
  }
  rowStart[n] = out;
  return { rowStart, cols: cols.slice(0, out), vals: vals.slice(0, out) };
}

/**
 * 2-d t-SNE of the rows of x [n, d] by Barnes-Hut (van der Maaten 2014): input affinities over
 * each point's 3 x perplexity nearest neighbours, the map's repulsion from a quadtree (theta 0.5).
 * Returns [n, 2] coordinates (centred). Perplexity is capped at (n - 1) / 3, as a point cannot
 * have more effective neighbours than there are points.
 */
export function tsne(
  x: Float32Array,
  n: number,
  d: number,
  options: TsneOptions = {},
): Float64Array {
  if (!Number.isInteger(n) || n < 2 || x.length !== n * d) {
    throw new AppError(
      'BAD_ARGUMENT',
      `t-SNE needs at least 2 rows of ${d} values, got ${x.length}.`,
    );
  }
  const perplexity = Math.max(1, Math.min(options.perplexity ?? 30, (n - 1) / 3));
  const iterations = Math.max(50, Math.floor(options.iterations ?? 1000));
  const seed = options.seed ?? 1;
  const prng = new Prng(seed);
  const cancel = (done: number): void => {
    if (options.onProgress?.(done, iterations) === true) {
      throw new AppError('CANCELLED', 'The feature map was cancelled.');
    }
  };
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const P = affinities(
    nearestNeighbours(x, n, d, k, seed, () => cancel(0)),
    n,
    perplexity,
  );

  const y = new Float64Array(n * 2);
  for (let i = 0; i < n * 2; i++) {
    // Box-Muller: N(0, 1e-4) starting positions.
    const u = Math.max(prng.next(), 1e-12);
    y[i] = 1e-2 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
  }
  const velocity = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const grad = new Float64Array(n * 2);
  const rep = new Float64Array(n * 2);
  const repulsion = new Repulsion(n, 0.5);
  const learningRate = Math.max(50, n / 12);
  const exaggerationEnd = Math.min(250, Math.floor(iterations / 4));

  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < exaggerationEnd ? 12 : 1;
    const momentum = it < exaggerationEnd ? 0.5 : 0.8;
    const z = repulsion.compute(y, rep);
    // Attraction along the neighbour graph: Σ_j P_ij q_ij (y_i − y_j), q unnormalised.
    for (let i = 0; i < n; i++) {
      const yx = y[2 * i] as number;
      const yy = y[2 * i + 1] as number;
      let ax = 0;
      let ay = 0;
      for (let e = P.rowStart[i] as number; e < (P.rowStart[i + 1] as number); e++) {
        const j = P.cols[e] as number;
        const dx = yx - (y[2 * j] as number);
        const dy = yy - (y[2 * j + 1] as number);
        const m = (P.vals[e] as number) / (1 + dx * dx + dy * dy);
        ax += m * dx;
        ay += m * dy;
      }
      grad[2 * i] = 4 * (exaggeration * ax - (rep[2 * i] as number) / z);
      grad[2 * i + 1] = 4 * (exaggeration * ay - (rep[2 * i + 1] as number) / z);
    }
    // Delta-bar-delta gains, momentum step, then re-centre.
    let cx = 0;
    let cy = 0;
    for (let k = 0; k < n * 2; k++) {
      const g = grad[k] as number;
      const sameSign = Math.sign(g) === Math.sign(velocity[k] as number);
      gains[k] = Math.max(0.01, sameSign ? (gains[k] as number) * 0.8 : (gains[k] as number) + 0.2);
      velocity[k] = momentum * (velocity[k] as number) - learningRate * (gains[k] as number) * g;
      y[k] = (y[k] as number) + (velocity[k] as number);
      if (k % 2 === 0) cx += y[k] as number;
      else cy += y[k] as number;
    }
    for (let i = 0; i < n; i++) {
      y[2 * i] = (y[2 * i] as number) - cx / n;
      y[2 * i + 1] = (y[2 * i + 1] as number) - cy / n;
    }
    if ((it + 1) % 25 === 0 || it + 1 === iterations) cancel(it + 1);
  }
  return y;
}

/**
 * Trustworthiness (Venna & Kaski): how far the map's k nearest neighbours of each point are from
 * being its true neighbours; 1 = every map neighbour is a true near neighbour.
 */
export function trustworthiness(
  x: Float32Array,
  n: number,
  d: number,
  y: Float64Array,
  k: number,
): number {
  const high = squaredDistances(x, n, d);
  const low = squaredDistances(Float32Array.from(y), n, 2);
  const ranks = (dist: Float64Array, i: number): number[] =>
    Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => (dist[i * n + a] as number) - (dist[i * n + b] as number));
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const highOrder = ranks(high, i);
    const highRank = new Map(highOrder.map((j, r) => [j, r + 1]));
    for (const j of ranks(low, i).slice(0, k)) {
      const r = highRank.get(j) as number;
      if (r > k) penalty += r - k;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
