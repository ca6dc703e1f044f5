/**
 * The paper's task on real photos, when ../shared/datasets holds labeled city photos (a folder per
 * city, either directly in datasets/ or one level down, e.g. datasets/streetview/Paris/*.jpg):
 * import, split, cache features, train stage 1, evaluate on the test split, and print per-city
 * accuracy beside the paper's overall figure. Without such a folder the section says so.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { PAPER_CITIES } from '../src/shared/domain/cities';
import { sharedFixtures } from '../test/helpers/shared-fixtures';
import {
  BENCH_BACKBONE,
  createBenchLibrary,
  importLabeled,
  importSharedBackbone,
} from './ml-library';
import { loadNote } from './ml-proc';
import type { BenchSection } from './types';

/** Overall test accuracy the paper reports for its 10-city model. */
const PAPER_ACCURACY = 0.753;
const PER_CITY = Number(process.env.LP_BENCH_CITY_LIMIT ?? 300);
const VIEWS = Number(process.env.LP_BENCH_CITY_VIEWS ?? 2);
const EPOCHS = Number(process.env.LP_BENCH_CITY_EPOCHS ?? 30);
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.heic', '.heif', '.tif']);

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .map((n) => join(dir, n))
      .filter((p) => statSync(p).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

function imagesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n));
}

/** The paper city a folder name means ('new_york', 'NewYork', 'rio' …), or null. */
export function cityForFolder(folder: string): string | null {
  const key = squash(folder);
  if (key === '') return null;
  const exact = PAPER_CITIES.find((c) => squash(c.name) === key);
  if (exact !== undefined) return exact.name;
  const prefix = PAPER_CITIES.filter((c) => squash(c.name).startsWith(key) && key.length >= 3);
  return prefix.length === 1 ? (prefix[0]?.name ?? null) : null;
}

type Dataset = { dir: string; cities: { city: string; files: string[] }[]; ignored: string[] };

/** A folder whose sub-folders are cities with photos in them (at least two such cities). */
function asDataset(dir: string): Dataset | null {
  const cities: Dataset['cities'] = [];
  const ignored: string[] = [];
  for (const sub of subdirs(dir)) {
    const name = sub.slice(dir.length + 1);
    const city = cityForFolder(name);
    const files = imagesIn(sub);
    if (city === null || files.length === 0) ignored.push(name);
    else cities.push({ city, files });
  }
  return cities.length >= 2 ? { dir, cities, ignored } : null;
}

export function findDataset(root: string): Dataset | null {
  return (
    asDataset(root) ??
    subdirs(root)
      .map(asDataset)
      .find((d) => d !== null) ??
    null
  );
}

/** Every k-th file so the subset spans the whole folder (files are sorted by name). */
function spread<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)] as T);
}

export async function runCitiesBench(): Promise<BenchSection> {
  const shared = sharedFixtures();
  const root = resolve(shared?.root ?? join(__dirname, '..', '..', 'shared'), 'datasets');
  const dataset = findDataset(root);
  const base = { name: 'ml-cities', title: 'Recognising cities on a real photo set' };
  if (dataset === null || shared === null) {
    return {
      ...base,
      notes: [
        dataset === null
          ? `Skipped: no labeled city photos in ${root} (expected a folder per city, e.g. datasets/Paris/*.jpg or datasets/<set>/Paris/*.jpg).`
          : 'Skipped: ../shared has no pretrained MobileNetV2 TFLite.',
        `For reference, the paper reports ${pct(PAPER_ACCURACY)} overall test accuracy on 10 cities; its per-city figures (Table 2) are not embedded here.`,
      ],
      tables: [],
    };
  }

  const load = loadNote();
  const rows = dataset.cities.flatMap((c) =>
    spread(c.files, PER_CITY).map((f) => [f, c.city] as const),
  );
  const lib = await createBenchLibrary('lp-bench-cities-');
  try {
    const t0 = performance.now();
    console.log(`  importing ${rows.length} photos from ${dataset.dir}…`);
    await importLabeled(lib, rows);
    await lib.client.call('split.assign', { train: 0.8, val: 0.1, test: 0.1, seed: 1 });
    await importSharedBackbone(lib, shared.mobilenetV2Tflite);
    const t1 = performance.now();
    console.log('  caching features…');
    await lib.client.runJob('features.start', { backbone: BENCH_BACKBONE, views: VIEWS });
    const t2 = performance.now();
    console.log('  training stage 1…');
    const trained = await lib.client.runJob(
      'train.start',
      { name: 'bench cities', backbone: BENCH_BACKBONE, views: VIEWS, stage1: { epochs: EPOCHS } },
      (event) => {
        if (event.type === 'epoch' && event.metrics.epoch % 5 === 0) {
          console.log(`  epoch ${event.metrics.epoch}: val acc ${pct(event.metrics.valAccuracy)}`);
        }
      },
    );
    const t3 = performance.now();
    const evaluation = await lib.client.runJob('evaluate.start', {
      modelId: trained.modelId,
      split: 'test',
    });
    const t4 = performance.now();
    const report = evaluation.report;
    const ci = (p: { lo: number | null; hi: number | null }): string =>
      p.lo === null || p.hi === null ? '-' : `${pct(p.lo)} – ${pct(p.hi)}`;
    return {
      ...base,
      notes: [
        load,
        `${rows.length} photos from ${dataset.dir} (at most ${PER_CITY} per city, spread over each folder)${dataset.ignored.length > 0 ? `; folders not matched to a paper city: ${dataset.ignored.join(', ')}` : ''}.`,
        `Split 80/10/10 (seed 1), ${VIEWS} cached view(s) per training image, stage 1 only (${EPOCHS} epochs max, the paper's SGD recipe), evaluated on the test split with the centre crop.`,
        `Test accuracy ${pct(report.accuracy.value)} (95% CI ${ci(report.accuracy)}) on ${report.n} images; chance ${pct(report.chance.uniform)}. The paper: ${pct(PAPER_ACCURACY)} overall on its own 10-city test set; its per-city figures (Table 2) are not embedded here, so no per-city comparison is made.`,
        `Times: import + backbone ${secs(t1 - t0)}, features ${secs(t2 - t1)}, training ${secs(t3 - t2)}, evaluation ${secs(t4 - t3)}.`,
      ],
      tables: [
        {
          title: 'Per-city test accuracy (recall: share of the city’s photos recognised)',
          columns: ['city', 'test photos', 'accuracy', '95% CI', 'paper'],
          rows: [
            ...report.perClass.map((c) => [
              c.class,
              c.support,
              pct(c.recall.value),
              ci(c.recall),
              '-',
            ]),
            ['all', report.n, pct(report.accuracy.value), ci(report.accuracy), pct(PAPER_ACCURACY)],
          ],
        },
      ],
    };
  } finally {
    await lib.close();
    rmSync(lib.dir, { recursive: true, force: true });
  }
}
