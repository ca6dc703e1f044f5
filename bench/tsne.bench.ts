/**
 * t-SNE feature maps (issue #17): Barnes-Hut t-SNE of 1,000, 10,000 and 50,000 synthetic
 * 1,280-wide feature rows (the backbone's width) in 10 clusters, 1000 iterations as the app runs it,
 * timed in two phases (nearest neighbours, then the layout), with how well the map keeps the
 * clusters: for up to 2,000 sampled points, whether the nearest point on the map is of the same
 * cluster. Sizes: LP_BENCH_TSNE_SIZES (comma-separated; default 1000,10000,50000).
 */
import { tsne } from '../src/main/ml-host/explain/tsne';
import { Prng } from '../src/main/ml-host/train/prng';
import { loadNote } from './ml-proc';
import type { BenchSection } from './types';

const D = 1280;
const CLUSTERS = 10;
const SIZES = (process.env.LP_BENCH_TSNE_SIZES ?? '1000,10000,50000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((s) => Number.isInteger(s) && s >= 10);

/** Clustered features as the backbone gives them: non-negative, a centre per "city" + noise. */
function features(n: number): { x: Float32Array; label: Int32Array } {
  const prng = new Prng(1);
  const centres = Array.from({ length: CLUSTERS }, () =>
    Float32Array.from({ length: D }, () => 3 * prng.next()),
  );
  const x = new Float32Array(n * D);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = centres[i % CLUSTERS] as Float32Array;
    label[i] = i % CLUSTERS;
    for (let k = 0; k < D; k++) x[i * D + k] = (c[k] as number) + prng.next();
  }
  return { x, label };
}

/** Share of up to 2,000 sampled points whose nearest map neighbour is of their own cluster. */
function mapNeighbourPurity(y: Float64Array, label: Int32Array, n: number): number {
  const step = Math.max(1, Math.floor(n / 2000));
  let same = 0;
  let total = 0;
  for (let i = 0; i < n; i += step) {
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
  return same / total;
}

export async function runTsneBench(): Promise<BenchSection> {
  const load = loadNote();
  const rows: string[][] = [];
  for (const n of SIZES) {
    const { x, label } = features(n);
    // The neighbour search reports progress 0 until it is done: its last report ends that phase.
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    let knnEnd = t1;
    const y = tsne(x, n, D, {
      seed: 1,
      iterations: 1000,
      onProgress: (done) => {
        if (done === 0) knnEnd = performance.now();
      },
    });
    const totalMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const knnMs = knnEnd - t1;
    const purity = mapNeighbourPurity(y, label, n);
    rows.push([
      `${n.toLocaleString('en-GB')} x ${D}`,
      `${(totalMs / 1000).toFixed(1)} s`,
      `${(cpuMs / 1000).toFixed(1)} s`,
      `${(knnMs / 1000).toFixed(1)} s`,
      `${(100 * purity).toFixed(1)}%`,
    ]);
    console.log(
      `  t-SNE ${n}: ${(totalMs / 1000).toFixed(1)} s (${(cpuMs / 1000).toFixed(1)} s CPU)`,
    );
    await Promise.resolve();
  }
  return {
    name: 'tsne',
    title: 't-SNE feature maps (Barnes-Hut)',
    notes: [
      load,
      'On a busy machine the wall time overstates the cost: the CPU time (one thread) is what the map costs on an idle core.',
      `Synthetic features: ${D} values per row (MobileNetV2's penultimate width) in ${CLUSTERS} clusters, 1000 iterations, perplexity 30, theta 0.5, in plain TypeScript on one thread (the ML host's). Nearest neighbours (90 per row) are exact up to 2,000 rows, above that from 4 seeded random-projection trees and one neighbour-of-neighbour step.`,
      'The exact O(n²) t-SNE it replaced took 7.4 s for 1,000 rows on an idle machine (explain section, 2026-11-25) and 8.3 s CPU on this busy one (2026-12-06, the code before this change, run beside this bench), growing as n²: about 14 minutes for 10,000, and it held at least three n x n float64 matrices (2.4 GB at 10,000 rows, 60 GB at 50,000).',
    ],
    tables: [
      {
        title: 'Seconds per map',
        columns: [
          'rows',
          't-SNE (whole, wall)',
          'CPU time',
          'of which nearest neighbours (wall, about)',
          'map neighbour in same cluster',
        ],
        rows,
      },
    ],
  };
}
