import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { embed } from '../../src/main/ml-host/explain/embed';
import { squaredDistances, trustworthiness, tsne } from '../../src/main/ml-host/explain/tsne';
import {
  EXACT_NEIGHBOURS_MAX_ROWS,
  nearestNeighbours,
} from '../../src/main/ml-host/explain/tsne-neighbours';
import { Repulsion } from '../../src/main/ml-host/explain/tsne-repulsion';
import { Prng } from '../../src/main/ml-host/train/prng';

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

describe('t-SNE nearest neighbours', () => {
  /** Exact k nearest (by brute force), for comparison. */
  function exact(x: Float32Array, n: number, d: number, k: number): Set<number>[] {
    const dist = squaredDistances(x, n, d);
    return Array.from({ length: n }, (_, i) => {
      const order = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => (dist[i * n + a] as number) - (dist[i * n + b] as number));
      return new Set(order.slice(0, k));
    });
  }

  it('is exact on small samples, nearest first, never the point itself', () => {
    const { x, n, d } = blobs(3, 20, 6, 11);
    const k = 7;
    const nb = nearestNeighbours(x, n, d, k, 1);
    const truth = exact(x, n, d, k);
    const dist = squaredDistances(x, n, d);
    for (let i = 0; i < n; i++) {
      const row = Array.from(nb.index.subarray(i * k, (i + 1) * k));
      assert.deepEqual(new Set(row), truth[i]);
      assert.ok(!row.includes(i));
      for (let r = 0; r < k; r++) {
        assert.ok(
          Math.abs((nb.dist2[i * k + r] as number) - (dist[i * n + row[r]!] as number)) < 1e-9,
        );
        if (r > 0)
          assert.ok((nb.dist2[i * k + r] as number) >= (nb.dist2[i * k + r - 1] as number));
      }
    }
  });

  it('above the exact limit, finds nearly all true neighbours from its seeded forest', () => {
    const n = EXACT_NEIGHBOURS_MAX_ROWS + 400;
    const { x, d } = blobs(8, n / 8, 16, 12);
    const k = 15;
    const a = nearestNeighbours(x, n, d, k, 3);
    assert.deepEqual(a, nearestNeighbours(x, n, d, k, 3), 'the same seed gives the same graph');
    // Every list: k distinct other rows, nearest first, at their true distances.
    for (let i = 0; i < n; i++) {
      const row = Array.from(a.index.subarray(i * k, (i + 1) * k));
      assert.equal(new Set(row).size, k);
      assert.ok(!row.includes(i));
      row.forEach((j, r) => {
        let s = 0;
        for (let c = 0; c < d; c++) s += ((x[i * d + c] as number) - (x[j * d + c] as number)) ** 2;
        assert.ok(Math.abs(s - (a.dist2[i * k + r] as number)) < 1e-6 * Math.max(1, s));
        if (r > 0) assert.ok((a.dist2[i * k + r] as number) >= (a.dist2[i * k + r - 1] as number));
      });
    }
    // Recall on a sample of rows (the brute-force truth for all would be slow).
    let found = 0;
    let total = 0;
    for (let i = 0; i < n; i += 37) {
      const dists = Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let c = 0; c < d; c++) s += ((x[i * d + c] as number) - (x[j * d + c] as number)) ** 2;
        return [s, j] as const;
      })
        .filter(([, j]) => j !== i)
        .sort((p, q) => p[0] - q[0]);
      const truth = new Set(dists.slice(0, k).map(([, j]) => j));
      for (const j of a.index.subarray(i * k, (i + 1) * k)) if (truth.has(j)) found++;
      total += k;
    }
    assert.ok(found / total > 0.9, `recall ${found}/${total}`);
  });
});

describe('Barnes-Hut repulsion', () => {
  it('matches the exact sum within a few per cent at theta 0.5, and exactly at theta 0', () => {
    const prng = new Prng(21);
    const n = 300;
    const y = Float64Array.from({ length: 2 * n }, () => 10 * (prng.next() - 0.5));
    // The exact sums, Σ_j q_ij and Σ_j q_ij² (y_i − y_j), q = 1 / (1 + d²).
    let zExact = 0;
    const exact = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dx = (y[2 * i] as number) - (y[2 * j] as number);
        const dy = (y[2 * i + 1] as number) - (y[2 * j + 1] as number);
        const q = 1 / (1 + dx * dx + dy * dy);
        zExact += q;
        exact[2 * i] = (exact[2 * i] as number) + q * q * dx;
        exact[2 * i + 1] = (exact[2 * i + 1] as number) + q * q * dy;
      }
    }
    const rep = new Float64Array(2 * n);
    const z0 = new Repulsion(n, 0).compute(y, rep);
    assert.ok(Math.abs(z0 - zExact) / zExact < 1e-9);
    rep.forEach((v, i) => assert.ok(Math.abs(v - (exact[i] as number)) < 1e-9));
    const z = new Repulsion(n, 0.5).compute(y, rep);
    assert.ok(Math.abs(z - zExact) / zExact < 0.02, `Z ${z} vs ${zExact}`);
    let err = 0;
    let norm = 0;
    rep.forEach((v, i) => {
      err += (v - (exact[i] as number)) ** 2;
      norm += (exact[i] as number) ** 2;
    });
    assert.ok(Math.sqrt(err / norm) < 0.05, `relative force error ${Math.sqrt(err / norm)}`);
  });

  it('handles points at the same place (no infinite split, no self-repulsion)', () => {
    const y = Float64Array.from([0, 0, 0, 0, 0, 0, 1, 1]);
    const rep = new Float64Array(8);
    const z = new Repulsion(4, 0.5).compute(y, rep);
    // Three twins see each other at q = 1 (2 each) and the far point at q = 1/3; it sees them.
    assert.ok(Math.abs(z - (3 * (2 + 1 / 3) + 3 / 3)) < 1e-9, `Z ${z}`);
    assert.ok(rep.every(Number.isFinite));
  });
});

describe('t-SNE on a sample above the exact-neighbour limit', () => {
  it('still separates the clusters, reproducibly', () => {
    const { x, n, d, label } = blobs(6, Math.ceil((EXACT_NEIGHBOURS_MAX_ROWS + 100) / 6), 10, 13);
    const y = tsne(x, n, d, { iterations: 300, seed: 2 });
    let same = 0;
    let total = 0;
    for (let i = 0; i < n; i += 11) {
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
      total++;
      if (label[best] === label[i]) same++;
    }
    assert.ok(same / total >= 0.97, `${same}/${total}`);
  });
});
