import { Prng, deriveSeed } from './prng';
import type { ExampleSet } from './types';

/**
 * Seeded synthetic feature sets for tests, benchmarks and a `doctor`-style smoke run: K Gaussian
 * clusters in D dimensions (centres uniform in [-1, 1]^D, noise sd `spread`), labels cycling
 * 0..K-1 unless `weights` skews them. Small `spread` makes the classes linearly separable.
 */
export type SyntheticOptions = {
  n: number;
  dim: number;
  classes: number;
  seed: number;
  spread?: number;
  /** Relative class frequencies (default all equal). */
  weights?: readonly number[];
  /** Seed of the class centres, shared by train and val sets of the same task. */
  centreSeed?: number;
};

export function syntheticFeatures(
  options: SyntheticOptions,
): ExampleSet & { x: Float32Array; labels: Int32Array; rowShape: number[] } {
  const { n, dim, classes, seed } = options;
  const spread = options.spread ?? 0.3;
  const centres = new Prng(deriveSeed(options.centreSeed ?? 1, 'centres'));
  const centre = Array.from({ length: classes * dim }, () => 2 * centres.next() - 1);
  const prng = new Prng(deriveSeed(seed, 'samples'));
  const weights = options.weights ?? new Array<number>(classes).fill(1);
  const total = weights.reduce((a, b) => a + b, 0);
  const labels = new Int32Array(n);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let y = 0;
    if (options.weights === undefined) {
      y = i % classes;
    } else {
      let u = prng.next() * total;
      while (y < classes - 1 && u >= (weights[y] as number)) u -= weights[y++] as number;
    }
    labels[i] = y;
    for (let j = 0; j < dim; j++) {
      // Box–Muller normal noise.
      const g = Math.sqrt(-2 * Math.log(1 - prng.next())) * Math.cos(2 * Math.PI * prng.next());
      x[i * dim + j] = (centre[y * dim + j] as number) + spread * g;
    }
  }
  return { x, rowShape: [dim], labels };
}
