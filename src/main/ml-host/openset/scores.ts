// Candidate out-of-distribution scores, all oriented "higher = less like the training photos".
// The app ships one of them (see open-set.ts); the others stay for the comparison bench
// (`npm run bench -- openset`), which is how the choice was made and can be re-checked.
import { softmaxRows } from './temperature';

/** 1 - the largest softmax probability (Hendrycks & Gimpel 2017). */
export function mspScores(logits: ArrayLike<number>, k: number, t = 1): Float32Array {
  const p = softmaxRows(logits, k, t);
  const n = p.length / k;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let max = 0;
    for (let j = 0; j < k; j++) max = Math.max(max, p[r * k + j]!);
    out[r] = 1 - max;
  }
  return out;
}

/** Negative free energy -T·logsumexp(logits / T) (Liu et al. 2020). */
export function energyScores(logits: ArrayLike<number>, k: number, t = 1): Float32Array {
  const n = logits.length / k;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]! / t);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[r * k + j]! / t - max);
    out[r] = -t * (Math.log(sum) + max);
  }
  return out;
}

/** Rows scaled to unit length (zero rows stay zero). */
export function l2Normalised(features: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(features.length);
  for (let off = 0; off < features.length; off += dim) {
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += features[off + i]! ** 2;
    const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < dim; i++) out[off + i] = features[off + i]! * s;
  }
  return out;
}

/**
 * Distance to the k-th nearest training feature after L2 normalisation (Sun et al. 2022): the
 * cosine distance 1 - cos. `bank` [m, dim] and `queries` [n, dim] must be normalised already.
 */
export function knnScores(
  bank: Float32Array,
  queries: Float32Array,
  dim: number,
  k: number,
): Float32Array {
  const m = bank.length / dim;
  const n = queries.length / dim;
  const out = new Float32Array(n);
  const best = new Float64Array(k);
  for (let q = 0; q < n; q++) {
    best.fill(-Infinity); // the k largest similarities, descending
    const qo = q * dim;
    for (let b = 0; b < m; b++) {
      const bo = b * dim;
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += queries[qo + i]! * bank[bo + i]!;
      if (dot <= best[k - 1]!) continue;
      let j = k - 1;
      while (j > 0 && best[j - 1]! < dot) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = dot;
    }
    out[q] = 1 - best[k - 1]!;
  }
  return out;
}
