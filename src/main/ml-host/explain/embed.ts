// Feature maps: 2-d layouts of penultimate features, by t-SNE (the paper's figure) or UMAP (faster
// on large samples, keeps more global structure). Both seeded: the same sample and seed give the
// same map.
import { UMAP } from 'umap-js';
import { AppError } from '../../../shared/contract/errors';
import { Prng } from '../train/prng';
import { tsne } from './tsne';

export type EmbedMethod = 'tsne' | 'umap';

export type EmbedOptions = {
  seed: number;
  onProgress?: (done: number, total: number) => boolean | void;
};

/** Rows of x [n, d] → [n, 2] coordinates. */
export function embed(
  method: EmbedMethod,
  x: Float32Array,
  n: number,
  d: number,
  options: EmbedOptions,
): Float64Array {
  if (method === 'tsne') {
    return tsne(x, n, d, { seed: options.seed, iterations: 1000, onProgress: options.onProgress });
  }
  if (n < 3) throw new AppError('BAD_ARGUMENT', `UMAP needs at least 3 rows, got ${n}.`);
  const prng = new Prng(options.seed);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(15, n - 1)),
    random: () => prng.next(),
  });
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if ((e + 1) % 10 === 0 || e + 1 === epochs) {
      if (options.onProgress?.(e + 1, epochs) === true) {
        throw new AppError('CANCELLED', 'The feature map was cancelled.');
      }
    }
  }
  return Float64Array.from(umap.getEmbedding().flat());
}
