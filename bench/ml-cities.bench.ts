/**
 * `npm run bench -- ml-cities [DIR|sanity|synthetic ...]`: the harness that measures what gets more
 * out of the same backbone on a labelled photo set (a folder per city). It imports the photos into
 * a temporary library through the contract, makes a seeded stratified split (70/15/15), caches
 * every candidate feature vector from one backbone pass per view (bench/cities-features.ts), trains
 * every candidate head on each (bench/cities-heads.ts), picks the configuration with the best
 * validation accuracy and reports held-out test accuracy of all, centre crop and 10-crop TTA.
 * A second table per data set trains stage 1 alone and with stage 2 through the app
 * (bench/cities-stage2.ts; LP_BENCH_CITY_STAGE2=0 leaves it out).
 * Without arguments it runs ../shared/datasets when that holds such folders, else both proxies.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { importBackbone, loadBackbone } from '../src/main/ml-host/backbone';
import { selectBackend } from '../src/main/ml-host/backend';
import type { ImagePage } from '../src/shared/contract/library-types';
import { PAPER_CITIES } from '../src/shared/domain/cities';
import { wilson } from '../src/shared/domain/metrics';
import { BUNDLED_MOBILENET_V2, sharedFixtures } from '../test/helpers/shared-fixtures';
import { asDataset, findDataset, sanitySet, syntheticSet, type Dataset } from './cities-dataset';
import { extractAll, FEATURE_CONFIGS, type FeatureRows, type PhotoViews } from './cities-features';
import { HEADS, trainOne, type Split } from './cities-heads';
import {
  stage2Comparison,
  stage2MethodNote,
  stage2Settings,
  type Stage2Settings,
} from './cities-stage2';
import { createBenchLibrary, importLabeled } from './ml-library';
import { loadNote } from './ml-proc';
import type { BenchSection, BenchTable } from './types';

const LIMIT = Number(process.env.LP_BENCH_CITY_LIMIT ?? Infinity);
const VIEWS = Number(process.env.LP_BENCH_CITY_VIEWS ?? 2);
const PROXY_PER_CITY = Number(process.env.LP_BENCH_PROXY_PER_CITY ?? 40);
const SEED = 1;
const CACHE = process.env.LP_BENCH_FEATURE_CACHE ?? join(tmpdir(), 'littleplanet-bench-features');

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Every k-th file so a limited subset spans the whole folder (files are sorted by name). */
function spread<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)] as T);
}

async function datasetsFor(args: readonly string[]): Promise<Dataset[]> {
  const shared = sharedFixtures();
  const words =
    args.length > 0
      ? args
      : (() => {
          const root = resolve(shared?.root ?? join(__dirname, '..', '..', 'shared'), 'datasets');
          return findDataset(root) === null ? ['sanity', 'synthetic'] : [root];
        })();
  const sets: Dataset[] = [];
  for (const word of words) {
    if (word === 'sanity') {
      if (shared === null) throw new Error('the sanity proxy needs ../shared/fixtures/sanity');
      sets.push(await sanitySet(shared.sanityDir, PROXY_PER_CITY));
    } else if (word === 'synthetic') {
      sets.push(await syntheticSet(PROXY_PER_CITY * 2));
    } else {
      const dir = resolve(word);
      const set = existsSync(dir) ? (asDataset(dir) ?? findDataset(dir)) : null;
      if (set === null) {
        throw new Error(`${dir}: expected a folder with one sub-folder of photos per city.`);
      }
      sets.push(set);
    }
  }
  return sets;
}

type Row = {
  config: string;
  dim: number;
  head: string;
  val: number;
  test: number;
  testCi: string;
  tta: number;
  epochs: number;
  ms: number;
};

/** Centre-view rows (view 0) of TTA rows, and the mean probabilities over all 10 views. */
function centreRows(f: FeatureRows): Float32Array {
  const n = f.x.length / (f.views * f.dim);
  const out = new Float32Array(n * f.dim);
  for (let i = 0; i < n; i++)
    out.set(f.x.subarray(i * f.views * f.dim, (i * f.views + 1) * f.dim), i * f.dim);
  return out;
}

function argmaxHits(p: Float32Array, labels: Int32Array, k: number): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + best]!) best = j;
    if (best === labels[i]) hits++;
  }
  return hits;
}

async function ttaHits(
  score: (rows: Float32Array) => Promise<Float32Array>,
  f: FeatureRows,
  labels: Int32Array,
  k: number,
): Promise<number> {
  const all = await score(f.x);
  const n = labels.length;
  const mean = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < f.views; v++) {
      for (let j = 0; j < k; j++) mean[i * k + j]! += all[(i * f.views + v) * k + j]! / f.views;
    }
  }
  return argmaxHits(mean, labels, k);
}

async function runOne(
  set: Dataset,
  stage2Run: Stage2Settings,
): Promise<{ notes: string[]; tables: BenchTable[] }> {
  const rows = set.cities.flatMap((c) => spread(c.files, LIMIT).map((f) => [f, c.city] as const));
  const lib = await createBenchLibrary('lp-bench-cities-');
  try {
    const t0 = performance.now();
    const paper = new Set(PAPER_CITIES.map((c) => c.name));
    for (const c of set.cities) {
      // A city that is not one of the paper's: its position does not matter to the harness.
      if (!paper.has(c.city))
        await lib.client.call('cities.add', { name: c.city, lat: 0, lon: 0, radiusKm: 0.001 });
    }
    console.log(`  importing ${rows.length} photos from ${set.dir}…`);
    await importLabeled(lib, rows);
    await lib.client.call('split.assign', { train: 0.7, val: 0.15, test: 0.15, seed: SEED });
    const photos: { split: string; city: string; normPath: string; contentHash: string }[] = [];
    let cursor: number | null = null;
    do {
      const page: ImagePage = await lib.client.call('images.list', {
        cursor,
        limit: 1000,
        labeled: true,
      });
      for (const item of page.items) {
        const normPath = await lib.core.assetPath('norm', item.id);
        if (normPath === null || item.split === null || item.city === null) continue;
        photos.push({
          split: item.split,
          city: item.city,
          normPath,
          contentHash: basename(normPath, '.jpg'),
        });
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    const classes = [...new Set(photos.map((p) => p.city))].sort();
    const k = classes.length;
    const t1 = performance.now();

    const backbonesRoot = join(CACHE, 'backbones');
    mkdirSync(backbonesRoot, { recursive: true });
    if (!existsSync(join(backbonesRoot, 'mnv2', 'backbone.json'))) {
      await importBackbone({ source: BUNDLED_MOBILENET_V2, name: 'mnv2', root: backbonesRoot });
    }
    const backbone = await loadBackbone(backbonesRoot, 'mnv2');
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    const part = (split: string, kind: PhotoViews['kind']) => {
      const chosen = photos.filter((p) => p.split === split);
      return {
        views: chosen.map((p) => ({ contentHash: p.contentHash, normPath: p.normPath, kind })),
        labels: Int32Array.from(chosen.map((p) => classes.indexOf(p.city))),
      };
    };
    const train = part('train', 'train');
    const val = part('val', 'tta');
    const test = part('test', 'tta');
    const options = {
      backbone,
      cacheDir: CACHE,
      trainViews: VIEWS,
      augmentSeed: SEED,
      onProgress: (done: number, total: number) => {
        if (done % 50 === 0 || done === total) console.log(`  features ${done}/${total}`);
      },
    };
    const trainF = await extractAll(train.views, options);
    const valF = await extractAll(val.views, options);
    const testF = await extractAll(test.views, options);
    const t2 = performance.now();

    const results: Row[] = [];
    for (const config of FEATURE_CONFIGS) {
      const dim = trainF[config].dim;
      const trainSplit: Split = {
        x: trainF[config].x,
        dim,
        labels: Int32Array.from(
          { length: train.labels.length * VIEWS },
          (_, i) => train.labels[Math.floor(i / VIEWS)]!,
        ),
      };
      const valSplit: Split = { x: centreRows(valF[config]), dim, labels: val.labels };
      const testCentre = centreRows(testF[config]);
      for (const head of HEADS) {
        const started = performance.now();
        const trained = await trainOne(head, trainSplit, valSplit, k, SEED);
        const ms = performance.now() - started;
        const valHits = argmaxHits(await trained.score(valSplit.x), val.labels, k);
        const testHits = argmaxHits(await trained.score(testCentre), test.labels, k);
        const tta = await ttaHits(trained.score, testF[config], test.labels, k);
        trained.dispose();
        const ci = wilson(testHits, test.labels.length);
        results.push({
          config,
          dim,
          head: head.name,
          val: valHits / Math.max(1, val.labels.length),
          test: testHits / Math.max(1, test.labels.length),
          testCi: `${pct(ci.lo)} – ${pct(ci.hi)}`,
          tta: tta / Math.max(1, test.labels.length),
          epochs: trained.epochs,
          ms,
        });
        console.log(
          `  ${config} / ${head.name}: val ${pct(results.at(-1)!.val)}, test ${pct(results.at(-1)!.test)}`,
        );
      }
    }
    backbone.dispose();
    const t3 = performance.now();
    // The first row (gap + the app's head) is today's default; a candidate must beat it on val.
    const chosen = results.reduce((a, r) => (r.val > a.val ? r : a), results[0]!);
    const count = (s: string) => photos.filter((p) => p.split === s).length;
    const stage2 = stage2Run.enabled
      ? await stage2Comparison(lib.client, set.label, VIEWS, stage2Run.epochs)
      : null;
    return {
      notes: [
        `${set.label}: ${photos.length} photos of ${k} cities (${classes.join(', ')}) from ${set.dir}${set.ignored.length > 0 ? `; empty folders left out: ${set.ignored.join(', ')}` : ''}; split 70/15/15 (seed ${SEED}): ${count('train')} train, ${count('val')} val, ${count('test')} test.`,
        `${VIEWS} cached view(s) per training photo (view 0 the centre crop), 10 multi-crop views per val/test photo; heads choose their best epoch by val accuracy (centre crop). Times: import ${secs(t1 - t0)}, features ${secs(t2 - t1)} (cache ${CACHE}), ${results.length} heads ${secs(t3 - t2)}.`,
        `Chosen by validation accuracy: ${chosen.config} + ${chosen.head} (val ${pct(chosen.val)}, test ${pct(chosen.test)}, 10-crop ${pct(chosen.tta)}); today's default (gap + softmax) val ${pct(results[0]!.val)}, test ${pct(results[0]!.test)}.`,
        ...(stage2?.notes ?? []),
      ],
      tables: [
        {
          title: `${set.label}: held-out accuracy per configuration`,
          columns: [
            'features',
            'dim',
            'head',
            'val acc',
            'test acc',
            'test 95% CI',
            'test, 10-crop TTA',
            'epochs',
            'train s',
          ],
          rows: results.map((r) => [
            r.config,
            r.dim,
            r.head,
            pct(r.val),
            pct(r.test),
            r.testCi,
            pct(r.tta),
            r.epochs,
            (r.ms / 1000).toFixed(1),
          ]),
        },
        ...(stage2 === null ? [] : [stage2.table]),
      ],
    };
  } finally {
    await lib.close();
    rmSync(lib.dir, { recursive: true, force: true });
  }
}

export async function runCitiesBench(args: readonly string[] = []): Promise<BenchSection> {
  const stage2Run = stage2Settings();
  const backend = await selectBackend({ preference: 'wasm', env: {}, strict: true });
  const load = loadNote();
  const sets = await datasetsFor(args);
  const env = [
    'LP_BENCH_CITY_LIMIT',
    'LP_BENCH_CITY_VIEWS',
    'LP_BENCH_PROXY_PER_CITY',
    'LP_BENCH_CITY_STAGE2',
    'LP_BENCH_CITY_STAGE2_EPOCHS',
  ]
    .filter((k) => process.env[k] !== undefined)
    .map((k) => `${k}=${process.env[k]} `)
    .join('');
  const notes = [
    `Command: \`${env}npm run bench -- ml-cities${args.map((a) => ` ${a}`).join('')}\`.`,
    load,
    `Backbone: the built-in MobileNetV2 (assets/), tfjs ${backend.name} in the bench process.`,
    ...(stage2Run.enabled ? [stage2MethodNote(VIEWS, stage2Run.epochs)] : []),
  ];
  const tables: BenchTable[] = [];
  for (const set of sets) {
    console.log(`  data set: ${set.label}`);
    const one = await runOne(set, stage2Run);
    notes.push(...one.notes);
    tables.push(...one.tables);
  }
  return {
    name: 'ml-cities',
    title: 'More out of the same backbone: candidate features and heads',
    notes,
    tables,
  };
}
