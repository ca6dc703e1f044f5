import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { embed } from '../../src/main/ml/explain/embed';
import { trustworthiness, tsne } from '../../src/main/ml/explain/tsne';
import { Prng } from '../../src/main/ml/train/prng';

/** `clusters` Gaussian blobs of `per` points in `d` dimensions, centres far apart. */
function blobs(clusters: number, per: number, d: number, seed: number) {
  const prng = new Prng(seed);
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(Math.max(prng.next(), 1e-12))) * Math.cos(2 * Math.PI * prng.next());
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: d }, () => 10 * gauss()),
  );
  const n = clusters * per;
  const x = new Float32Array(n * d);
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / per);
    label.push(c);
    for (let k = 0; k < d; k++) x[i * d + k] = (centres[c]![k] as number) + gauss();
  }
  return { x, n, d, label };
}

describe('t-SNE', () => {
  it('keeps well-separated clusters separated (trustworthiness, nearest neighbours)', () => {
    const { x, n, d, label } = blobs(5, 40, 50, 3);
    const y = tsne(x, n, d, { perplexity: 20, iterations: 500, seed: 7 });
    assert.equal(y.length, n * 2);
    assert.ok(y.every(Number.isFinite));
    const t = trustworthiness(x, n, d, y, 10);
    assert.ok(t > 0.9, `trustworthiness ${t}`);
    let same = 0;
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dd =
          ((y[2 * i] as number) - (y[2 * j] as number)) ** 2 +
          ((y[2 * i + 1] as number) - (y[2 * j + 1] as number)) ** 2;
        if (dd < bestD) {
          bestD = dd;
          best = j;
        }
      }
      if (label[best] === label[i]) same++;
    }
    assert.ok(same / n >= 0.97, `nearest map neighbour in the same cluster for ${same}/${n}`);
  });

  it('is reproducible with a seed, and another seed gives another map', () => {
    const { x, n, d } = blobs(3, 15, 8, 1);
    const a = tsne(x, n, d, { iterations: 100, seed: 5 });
    const b = tsne(x, n, d, { iterations: 100, seed: 5 });
    const c = tsne(x, n, d, { iterations: 100, seed: 6 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('trustworthiness is 1 for a map that keeps every neighbourhood, lower for a shuffled one', () => {
    const { x, n, d } = blobs(3, 10, 2, 2);
    const identity = Float64Array.from(x);
    assert.ok(Math.abs(trustworthiness(x, n, d, identity, 5) - 1) < 1e-12);
    const prng = new Prng(9);
    const shuffled = Float64Array.from({ length: n * 2 }, () => prng.next());
    assert.ok(trustworthiness(x, n, d, shuffled, 5) < 0.8);
  });

  it('refuses too few rows, and stops when cancelled', () => {
    assert.throws(() => tsne(new Float32Array(3), 1, 3), AppError);
    const { x, n, d } = blobs(2, 10, 4, 4);
    assert.throws(
      () => tsne(x, n, d, { iterations: 200, onProgress: (done) => done >= 50 }),
      (e: unknown) => e instanceof AppError && e.code === 'CANCELLED',
    );
  });
});

describe('UMAP option', () => {
  it('separates the clusters too, and is reproducible with a seed', () => {
    const { x, n, d, label } = blobs(4, 25, 20, 5);
    const a = embed('umap', x, n, d, { seed: 3 });
    const b = embed('umap', x, n, d, { seed: 3 });
    assert.deepEqual(a, b);
    assert.equal(a.length, n * 2);
    assert.ok(trustworthiness(x, n, d, a, 10) > 0.9);
    // Every cluster's points are closer to their own centroid than to any other cluster's.
    const centroid = (c: number): [number, number] => {
      const idx = label.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
      const sx = idx.reduce((s, i) => s + (a[2 * i] as number), 0) / idx.length;
      const sy = idx.reduce((s, i) => s + (a[2 * i + 1] as number), 0) / idx.length;
      return [sx, sy];
    };
    const centres = [0, 1, 2, 3].map(centroid);
    let right = 0;
    for (let i = 0; i < n; i++) {
      const dists = centres.map(
        ([cx, cy]) => ((a[2 * i] as number) - cx) ** 2 + ((a[2 * i + 1] as number) - cy) ** 2,
      );
      if (dists.indexOf(Math.min(...dists)) === label[i]) right++;
    }
    assert.ok(right / n >= 0.97, `${right}/${n}`);
  });
});
