// t-SNE (van der Maaten & Hinton 2008), exact O(n²) version: right for the paper's 1,000-photo
// maps (a few seconds in plain code) and simple enough to trust. Seeded, so the same sample and
// seed give the same map. Runs in the ML host (off the UI thread), reporting progress.
import { AppError } from '../../../shared/contract/errors';
import { Prng } from '../train/prng';

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

/**
 * Symmetric input affinities P: each row's Gaussian width found by bisection so its entropy
 * matches log(perplexity), then P = (P_j|i + P_i|j) / 2n.
 */
function affinities(dist: Float64Array, n: number, perplexity: number): Float64Array {
  const target = Math.log(perplexity);
  const p = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let tries = 0; tries < 64; tries++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) {
          row[j] = 0;
          continue;
        }
        const v = Math.exp(-(dist[i * n + j] as number) * beta);
        row[j] = v;
        sum += v;
        weighted += v * (dist[i * n + j] as number);
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
    for (let j = 0; j < n; j++) sum += row[j] as number;
    for (let j = 0; j < n; j++) p[i * n + j] = sum > 0 ? (row[j] as number) / sum : 0;
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] = Math.max(
        ((p[i * n + j] as number) + (p[j * n + i] as number)) / (2 * n),
        1e-12,
      );
    }
  }
  return out;
}

/**
 * 2-d t-SNE of the rows of x [n, d]. Returns [n, 2] coordinates (centred). Perplexity is capped
 * at (n - 1) / 3, as a point cannot have more effective neighbours than there are points.
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
  const prng = new Prng(options.seed ?? 1);
  const dist = squaredDistances(x, n, d);
  // Distances on a unit scale keep the bisection for each Gaussian width well conditioned
  // whatever the features' magnitude (t-SNE itself is scale-free in its input).
  let mean = 0;
  for (const v of dist) mean += v;
  mean /= n * (n - 1);
  if (mean > 0) for (let i = 0; i < dist.length; i++) dist[i] = (dist[i] as number) / mean;
  const P = affinities(dist, n, perplexity);

  const y = new Float64Array(n * 2);
  for (let i = 0; i < n * 2; i++) {
    // Box-Muller: N(0, 1e-4) starting positions.
    const u = Math.max(prng.next(), 1e-12);
    y[i] = 1e-2 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
  }
  const velocity = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const grad = new Float64Array(n * 2);
  const q = new Float64Array(n * n);
  const learningRate = Math.max(50, n / 12);
  const exaggerationEnd = Math.min(250, Math.floor(iterations / 4));

  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < exaggerationEnd ? 12 : 1;
    const momentum = it < exaggerationEnd ? 0.5 : 0.8;
    // Student-t similarities in the map.
    let qSum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = (y[2 * i] as number) - (y[2 * j] as number);
        const dy = (y[2 * i + 1] as number) - (y[2 * j + 1] as number);
        const v = 1 / (1 + dx * dx + dy * dy);
        q[i * n + j] = v;
        q[j * n + i] = v;
        qSum += 2 * v;
      }
    }
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      let gx = 0;
      let gy = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const num = q[i * n + j] as number;
        const m = (exaggeration * (P[i * n + j] as number) - num / qSum) * num;
        gx += m * ((y[2 * i] as number) - (y[2 * j] as number));
        gy += m * ((y[2 * i + 1] as number) - (y[2 * j + 1] as number));
      }
      grad[2 * i] = 4 * gx;
      grad[2 * i + 1] = 4 * gy;
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
    if ((it + 1) % 25 === 0 || it + 1 === iterations) {
      if (options.onProgress?.(it + 1, iterations) === true) {
        throw new AppError('CANCELLED', 'The feature map was cancelled.');
      }
    }
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
