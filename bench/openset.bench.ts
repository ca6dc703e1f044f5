/**
 * `npm run bench -- openset`: which out-of-distribution score tells photos of the model's cities
 * from photos of none of them? Every candidate is computed from what the ML host already has (the
 * backbone features and the head's logits) on proxy setups built from real photos:
 *   1. left-out regions: the 71 real street photos of ../shared/fixtures/outside-street grouped by
 *      longitude into three regions; a model of two regions meets the third (near-OOD);
 *   2. not street photos: a model of street photos (north vs south of 30°N) meets the camera
 *      photos of ../shared/fixtures/exif-samples and the sanity photos (far-OOD);
 *   3. left-out synthetic city: "cities" made from sanity-photo variants (cat, hot dog); the parrot
 *      city is left out, then the real street photos.
 * In-distribution scores come from 4-fold cross-validation (each photo scored by a head that did not
 * train on it). Reports AUROC and FPR at 95% TPR (the share of outside photos still answered with
 * a city when 95% of in-distribution photos keep theirs).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { hyperParamsSchema } from '../src/shared/contract/ml-methods';
import { auroc, fprAt95 } from '../src/shared/domain/open-set';
import { selectBackend } from '../src/main/ml-host/backend';
import { extractFeatures, importBackbone, loadBackbone } from '../src/main/ml-host/backbone';
import type { LoadedBackbone } from '../src/main/ml-host/backbone';
import { fitClassGaussians, mahalanobisDistances } from '../src/main/ml-host/openset/gaussian';
import {
  energyScores,
  knnScores,
  l2Normalised,
  mspScores,
} from '../src/main/ml-host/openset/scores';
import { BackendOpenSetScorer } from '../src/main/ml-host/openset/backend-scorer';
import { fitOpenSet, openSetScores } from '../src/main/ml-host/openset/open-set';
import { readImageFile } from '../src/main/ml-host/pipeline/images';
import { cropBatch, trainingBoxes } from '../src/main/ml-host/pipeline/views';
import { headLogits } from '../src/main/ml-host/train/head';
import { trainHead } from '../src/main/ml-host/train/stage1';
import { Prng } from '../src/main/ml-host/train/prng';
import { sharedFixtures } from '../test/helpers/shared-fixtures';
import type { BenchSection, BenchTable } from './types';

const VIEWS = 4;
const FOLDS = 4;
const MAX_PIXELS = 100e6;

type Photo = { file: string; group: string };
type Featured = { group: string; views: Float32Array[] };
type Setup = { name: string; inside: Featured[]; classes: string[]; outside: Featured[] };

async function featuresOf(backbone: LoadedBackbone, photos: Photo[], views: number) {
  const spec = { inputSize: backbone.meta.inputSize, normalisation: backbone.meta.normalisation };
  const out: Featured[] = [];
  for (const photo of photos) {
    let rgb;
    try {
      rgb = await readImageFile(photo.file, MAX_PIXELS);
    } catch {
      continue; // the broken fixtures (truncated JPEG, HEIC) are not photos to score
    }
    const boxes = trainingBoxes(spec, views, 7, photo.file);
    const batch = cropBatch(rgb, boxes, spec);
    const f = extractFeatures(backbone, batch);
    const data = (await f.data()) as Float32Array;
    tf.dispose([batch, f]);
    const d = data.length / views;
    out.push({
      group: photo.group,
      views: Array.from({ length: views }, (_, v) => data.slice(v * d, (v + 1) * d)),
    });
  }
  return out;
}

async function listJpegs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.jpe?g$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function sanityVariants(sanityDir: string, work: string, photo: string, count: number) {
  const source = await readFile(join(sanityDir, photo));
  const meta = await sharp(source).metadata();
  const files: string[] = [];
  await mkdir(work, { recursive: true });
  for (let i = 0; i < count; i++) {
    const prng = new Prng(1000 + i * 7 + photo.length);
    const side = Math.round(Math.min(meta.width, meta.height) * (0.5 + 0.4 * prng.next()));
    const left = prng.int(meta.width - side + 1);
    const top = prng.int(meta.height - side + 1);
    const file = join(work, `${photo}-${i}.jpg`);
    await writeFile(
      file,
      await sharp(source)
        .extract({ left, top, width: side, height: side })
        .modulate({ brightness: 0.8 + 0.4 * prng.next(), saturation: 0.7 + 0.6 * prng.next() })
        .resize(300, 300)
        .jpeg({ quality: 88 })
        .toBuffer(),
    );
    files.push(file);
  }
  return files;
}

type Scores = Record<string, { inside: number[]; outside: number[] }>;
/** The shipped score at each fold's own default threshold: photos answered unknown. */
type Decisions = { insideKept: number; inside: number; outsideFlagged: number; outside: number };

const CANDIDATES = [
  'max softmax',
  'max softmax (T)',
  'energy',
  'Mahalanobis',
  'Mahalanobis, L2-normalised',
  'kNN k=1',
  'kNN k=5',
  'shipped (open-set.ts)',
] as const;

function flat(rows: Float32Array[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(r, i * d));
  return out;
}

async function crossValidatedScores(
  setup: Setup,
): Promise<{ scores: Scores; decisions: Decisions }> {
  const decisions: Decisions = { insideKept: 0, inside: 0, outsideFlagged: 0, outside: 0 };
  const scores: Scores = Object.fromEntries(
    CANDIDATES.map((c) => [c, { inside: [] as number[], outside: [] as number[] }]),
  );
  const k = setup.classes.length;
  const d = setup.inside[0]!.views[0]!.length;
  const label = (g: string) => setup.classes.indexOf(g);
  const order = Array.from(new Prng(11).shuffle(Int32Array.from(setup.inside.map((_, i) => i))));
  const outsideX = flat(
    setup.outside.map((o) => o.views[0]!),
    d,
  );
  for (let fold = 0; fold < FOLDS; fold++) {
    const testIdx = order.filter((_, i) => i % FOLDS === fold);
    const restIdx = order.filter((_, i) => i % FOLDS !== fold);
    // A quarter of the rest is validation (temperature and the shipped threshold's fit).
    const valIdx = restIdx.filter((_, i) => i % 4 === 0);
    const trainIdx = restIdx.filter((_, i) => i % 4 !== 0);
    const trainRows = trainIdx.flatMap((i) => setup.inside[i]!.views);
    const trainLabels = Int32Array.from(
      trainIdx.flatMap((i) => setup.inside[i]!.views.map(() => label(setup.inside[i]!.group))),
    );
    const trainX = flat(trainRows, d);
    const valX = flat(
      valIdx.map((i) => setup.inside[i]!.views[0]!),
      d,
    );
    const valLabels = Int32Array.from(valIdx.map((i) => label(setup.inside[i]!.group)));
    const hyper = hyperParamsSchema.parse({ epochs: 30, seed: fold + 1 });
    const { head } = await trainHead({
      train: { x: trainX, rowShape: [d], labels: trainLabels },
      val: { x: valX, rowShape: [d], labels: valLabels },
      numClasses: k,
      hyper,
      signal: new AbortController().signal,
    });
    const testX = flat(
      testIdx.map((i) => setup.inside[i]!.views[0]!),
      d,
    );
    const fitted = fitOpenSet({
      head,
      train: { features: trainX, labels: trainLabels },
      val: { features: valX, labels: valLabels, logits: await headLogits(head, valX) },
      trainViews: VIEWS,
      keepRate: 0.95,
    });
    const gaussians = fitClassGaussians(trainX, trainLabels, d, k);
    const gaussiansL2 = fitClassGaussians(l2Normalised(trainX, d), trainLabels, d, k);
    const bank = l2Normalised(trainX, d);
    for (const [set, x] of [
      ['inside', testX],
      ['outside', outsideX],
    ] as const) {
      const logits = await headLogits(head, x);
      const add = (name: (typeof CANDIDATES)[number], values: ArrayLike<number>) =>
        scores[name]![set].push(...Array.from(values));
      add('max softmax', mspScores(logits, k));
      add('max softmax (T)', mspScores(logits, k, fitted.stats.temperature));
      add('energy', energyScores(logits, k));
      add('Mahalanobis', mahalanobisDistances(gaussians, x));
      add('Mahalanobis, L2-normalised', mahalanobisDistances(gaussiansL2, l2Normalised(x, d)));
      add('kNN k=1', knnScores(bank, l2Normalised(x, d), d, 1));
      add('kNN k=5', knnScores(bank, l2Normalised(x, d), d, 5));
      const shipped = openSetScores(fitted, x);
      add('shipped (open-set.ts)', shipped);
      const flagged = shipped.filter((v) => v > fitted.stats.threshold).length;
      if (set === 'inside') {
        decisions.inside += shipped.length;
        decisions.insideKept += shipped.length - flagged;
      } else if (fold === 0) {
        decisions.outside += shipped.length;
        decisions.outsideFlagged += flagged;
      }
    }
    // The outside set is scored by every fold's model: keep one fold's outside scores per photo.
    if (fold > 0) for (const c of CANDIDATES) scores[c]!.outside.splice(-setup.outside.length);
  }
  return { scores, decisions };
}

const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(3));
const pctOf = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(0)}%`);

export async function runOpenSetBench(): Promise<BenchSection> {
  const shared = sharedFixtures();
  if (shared === null) throw new Error('../shared is missing: the open-set bench needs its photos');
  const backend = await selectBackend();
  const work = await mkdtemp(join(tmpdir(), 'lp-openset-'));
  try {
    const labels = (await readFile(shared.imagenetLabels, 'utf8')).trimEnd().split('\n');
    await importBackbone({ source: shared.mobilenetV2Tflite, name: 'mnv2', root: work, labels });
    const backbone = await loadBackbone(work, 'mnv2');
    const streetDir = join(shared.root, 'fixtures', 'outside-street');
    const csv = (await readFile(join(streetDir, 'photos.csv'), 'utf8')).trim().split('\n').slice(1);
    const street = csv.map((line) => {
      const [file, , lat, lon] = line.split(',');
      return { file: join(streetDir, 'photos', file!), lat: Number(lat), lon: Number(lon) };
    });
    const region = (lon: number) =>
      lon < -25 ? 'Americas' : lon < 60 ? 'Europe-Africa' : 'Asia-Oceania';
    const started = Date.now();
    const streetViews = await featuresOf(
      backbone,
      street.map((s) => ({ file: s.file, group: region(s.lon) })),
      VIEWS,
    );
    const hemisphere = street.map((s) => (s.lat >= 30 ? 'North' : 'South'));
    const camera = await featuresOf(
      backbone,
      [
        ...(await listJpegs(join(shared.root, 'fixtures', 'exif-samples'))),
        ...(await listJpegs(shared.sanityDir)),
      ].map((file) => ({ file, group: 'camera' })),
      1,
    );
    const synthetic: Featured[] = [];
    for (const [photo, group] of [
      ['cat_720p.jpg', 'Cat city'],
      ['hot_dog.jpg', 'Hot dog city'],
      ['parrot.jpg', 'Parrot city'],
    ] as const) {
      const files = await sanityVariants(shared.sanityDir, join(work, 'synthetic'), photo, 24);
      synthetic.push(
        ...(await featuresOf(
          backbone,
          files.map((file) => ({ file, group })),
          VIEWS,
        )),
      );
    }
    const featureSeconds = (Date.now() - started) / 1000;
    // Overhead of the shipped score against the forward pass it rides on (centre view, 1 photo).
    const timed = street.slice(0, 20).map((s) => ({ file: s.file, group: 'x' }));
    const forwardStart = performance.now();
    await featuresOf(backbone, timed, 1);
    const forwardMs = (performance.now() - forwardStart) / timed.length;
    backbone.dispose();
    const dim = streetViews[0]!.views[0]!.length;
    const overheadModel = fitOpenSet({
      head: {
        config: { inputDim: dim, numClasses: 2, hidden: null, dropout: 0 },
        weights: [],
      },
      train: {
        features: flat(
          streetViews.flatMap((v) => v.views),
          dim,
        ),
        labels: Int32Array.from(streetViews.flatMap((v, i) => v.views.map(() => i % 2))),
      },
      val: null,
      trainLogits: new Float32Array(streetViews.length * VIEWS * 2),
      trainViews: VIEWS,
    });
    const probe = flat(
      streetViews.map((v) => v.views[0]!),
      dim,
    );
    // As predict scores a file: one photo at a time, on the backend (the model runner's way).
    const scorer = new BackendOpenSetScorer(overheadModel.gaussians);
    await scorer.score(probe.subarray(0, dim)); // first use builds the kernels
    const scoreStart = performance.now();
    for (let r = 0; r < streetViews.length; r++) {
      await scorer.score(probe.subarray(r * dim, (r + 1) * dim));
    }
    const scoreMs = (performance.now() - scoreStart) / streetViews.length;
    scorer.dispose();

    const setups: Setup[] = [];
    for (const left of ['Americas', 'Europe-Africa', 'Asia-Oceania']) {
      setups.push({
        name: `1. street, ${left} left out`,
        classes: ['Americas', 'Europe-Africa', 'Asia-Oceania'].filter((r) => r !== left),
        inside: streetViews.filter((s) => s.group !== left),
        outside: streetViews.filter((s) => s.group === left),
      });
    }
    setups.push({
      name: '2. street (N/S) vs camera + sanity photos',
      classes: ['North', 'South'],
      inside: streetViews.map((s, i) => ({ ...s, group: hemisphere[i]! })),
      outside: camera,
    });
    setups.push({
      name: '3a. synthetic, parrot city left out',
      classes: ['Cat city', 'Hot dog city'],
      inside: synthetic.filter((s) => s.group !== 'Parrot city'),
      outside: synthetic.filter((s) => s.group === 'Parrot city'),
    });
    setups.push({
      name: '3b. synthetic vs real street photos',
      classes: ['Cat city', 'Hot dog city'],
      inside: synthetic.filter((s) => s.group !== 'Parrot city'),
      outside: streetViews,
    });

    const tables: BenchTable[] = [];
    const summary: Record<string, { auroc: number[]; fpr: number[] }> = {};
    const decisionRows: (string | number)[][] = [];
    for (const setup of setups) {
      const { scores, decisions } = await crossValidatedScores(setup);
      decisionRows.push([
        setup.name,
        `${decisions.insideKept}/${decisions.inside} (${pctOf(decisions.insideKept, decisions.inside)})`,
        `${decisions.outsideFlagged}/${decisions.outside} (${pctOf(decisions.outsideFlagged, decisions.outside)})`,
      ]);
      const rows = CANDIDATES.map((c) => {
        const s = scores[c]!;
        const a = auroc(s.inside, s.outside);
        const f = fprAt95(s.inside, s.outside);
        summary[c] ??= { auroc: [], fpr: [] };
        summary[c].auroc.push(a ?? NaN);
        summary[c].fpr.push(f ?? NaN);
        return [c, fmt(a), fmt(f)];
      });
      tables.push({
        title: `${setup.name} (inside ${setup.inside.length} photos, outside ${setup.outside.length})`,
        columns: ['score', 'AUROC', 'FPR at 95% TPR'],
        rows,
      });
    }
    tables.unshift({
      title:
        'The shipped score at its default threshold (fitted per fold: keep 95% of held-out photos)',
      columns: ['setup', 'in-distribution photos kept', 'outside photos answered unknown'],
      rows: decisionRows,
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    tables.unshift({
      title: 'Mean over the setups',
      columns: ['score', 'mean AUROC', 'mean FPR at 95% TPR'],
      rows: CANDIDATES.map((c) => [c, fmt(mean(summary[c]!.auroc)), fmt(mean(summary[c]!.fpr))]),
    });
    return {
      name: 'openset',
      title: 'Open set: which score flags photos of none of the model’s cities',
      notes: [
        `Backend ${backend.name}; features of ${streetViews.length + camera.length + synthetic.length} photos (${VIEWS} training views each where trained on) in ${featureSeconds.toFixed(0)} s.`,
        `Stage-1 heads (defaults, 30 epochs) in ${FOLDS}-fold cross-validation: every in-distribution photo is scored by a head that never saw it; a quarter of each training fold is validation (temperature, threshold).`,
        'Scores are oriented higher = less like the training photos. FPR at 95% TPR = share of outside photos still answered with a city when 95% of in-distribution photos keep theirs (lower is better).',
        'These are small proxies (24-71 photos a side): differences of a few hundredths are noise.',
        `Overhead of the shipped score: ${scoreMs.toFixed(2)} ms per photo against a ${forwardMs.toFixed(0)} ms forward pass (centre view, same process) = ${((100 * scoreMs) / forwardMs).toFixed(1)}% of predict time (target <= 5%).`,
      ],
      tables,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
