/**
 * Geolocation batch benchmarks: a batch of new photos end to end (geo.create → job done), split
 * into its import and predict phases, beside the plain cost of the same work (import.start, then
 * one predict.start on the new image ids), and the batch again with small chunks (LP_GEO_CHUNK=8)
 * to show what committing chunk by chunk costs. A small model is trained once on the shared
 * MobileNetV2 through the contract; every measured run gets its own copy of that trained library
 * and its own StudioCore (and so its own ML host), so nothing is cached between runs.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '../src/shared/contract/client';
import type { JobEvent } from '../src/shared/contract/job-types';
import type { ImagePage } from '../src/shared/contract/library-types';
import { inProcessTransport } from '../src/main/core/in-process-transport';
import { StudioCore } from '../src/main/core/studio-core';
import { sharedFixtures } from '../test/helpers/shared-fixtures';
import { photoTree, threeCityLibrary } from '../test/ml/integration-photos';
import { loadNote } from './ml-proc';
import type { BenchSection } from './types';

const PER_CITY = Math.max(1, Math.round(Number(process.env.LP_BENCH_GEO_PHOTOS ?? 120) / 3));
const TRAIN_EPOCHS = 8;

const fmt = (x: number, digits = 2): string => x.toFixed(digits);

type Opened = { core: StudioCore; client: Client };

async function openLibrary(dir: string): Promise<Opened> {
  const core = new StudioCore({ version: '0.0.0-bench' });
  const client = createClient(inProcessTransport(core));
  await client.call('library.open', { dir, create: false });
  return { core, client };
}

/** Trains the model in `dir` (a new library) and closes it, so the folder can be copied. */
async function trainedLibrary(dir: string, work: string): Promise<string> {
  const shared = sharedFixtures();
  if (shared === null) throw new Error('../shared is absent');
  const core = new StudioCore({ version: '0.0.0-bench' });
  const client = createClient(inProcessTransport(core));
  try {
    await client.call('library.open', { dir, create: true });
    await threeCityLibrary(client, shared, work, 8);
    const trained = await client.runJob('train.start', {
      name: 'geo-bench',
      backbone: 'mnv2',
      views: 1,
      stage1: {
        epochs: TRAIN_EPOCHS,
        batchSize: 16,
        learningRate: 0.02,
        earlyStopPatience: null,
      },
    });
    return trained.modelId;
  } finally {
    await core.close();
  }
}

type GeoTiming = { totalS: number; importS: number | null; predictS: number | null; n: number };

/** One batch in a fresh copy of the trained library, with LP_GEO_CHUNK set for its job. */
async function geoRun(
  template: string,
  dir: string,
  modelId: string,
  photos: string,
  chunk: number,
): Promise<GeoTiming> {
  cpSync(template, dir, { recursive: true });
  const { core, client } = await openLibrary(dir);
  const previous = process.env.LP_GEO_CHUNK;
  process.env.LP_GEO_CHUNK = String(chunk);
  try {
    let jobId: string | null = null;
    const events: { at: number; event: JobEvent }[] = [];
    let wake: () => void = () => undefined;
    let importEnd: number | null = null;
    const off = client.subscribe((e) => {
      // The core's import tells clients the labels changed once, when it returns: the phase
      // boundary. (The job's own "Predicting…" progress is throttled right after the import's last
      // progress event and only shows once the ML host reports, so it would count host start-up
      // as import time.)
      if (e.channel === 'library' && e.payload.what === 'labels') importEnd ??= performance.now();
      if (e.channel !== 'job') return;
      events.push({ at: performance.now(), event: e.payload });
      wake();
    });
    const t0 = performance.now();
    try {
      const batch = await client.call('geo.create', { modelId, paths: [photos] });
      jobId = batch.jobId;
      for (;;) {
        const end = events.find(
          (x) =>
            x.event.jobId === jobId &&
            (x.event.type === 'done' || x.event.type === 'failed' || x.event.type === 'cancelled'),
        );
        if (end !== undefined) {
          if (end.event.type !== 'done' || end.event.kind !== 'geolocate')
            throw new Error(`geolocation job ended: ${JSON.stringify(end.event)}`);
          const result = end.event.result;
          if (result.newlyPredicted !== result.photos || result.errors.length > 0)
            throw new Error(`incomplete batch: ${JSON.stringify(result)}`);
          const split = importEnd;
          return {
            totalS: (end.at - t0) / 1000,
            importS: split === null ? null : (split - t0) / 1000,
            predictS: split === null ? null : (end.at - split) / 1000,
            n: result.photos,
          };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      off();
    }
  } finally {
    if (previous === undefined) delete process.env.LP_GEO_CHUNK;
    else process.env.LP_GEO_CHUNK = previous;
    await core.close();
  }
}

/** Every image id in the open library. */
async function imageIds(client: Client): Promise<number[]> {
  const ids: number[] = [];
  let cursor: number | null = null;
  for (;;) {
    const page: ImagePage = await client.call('images.list', { cursor, limit: 1000 });
    ids.push(...page.items.map((image) => image.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
}

/** The plain cost: import.start of the same photos, then one predict.start on their ids. */
async function plainRun(
  template: string,
  dir: string,
  modelId: string,
  photos: string,
): Promise<{ importS: number; predictS: number; n: number }> {
  cpSync(template, dir, { recursive: true });
  const { core, client } = await openLibrary(dir);
  try {
    const before = new Set(await imageIds(client));
    const t0 = performance.now();
    const report = await client.runJob('import.start', { paths: [photos] });
    const t1 = performance.now();
    // Not timed: finding the new ids is a query the batch does inside its own job.
    const ids = (await imageIds(client)).filter((id) => !before.has(id));
    if (ids.length !== report.imported)
      throw new Error(`imported ${report.imported} photos but found ${ids.length} new ids`);
    const t2 = performance.now();
    await client.runJob('predict.start', { modelId, imageIds: ids });
    const t3 = performance.now();
    return { importS: (t1 - t0) / 1000, predictS: (t3 - t2) / 1000, n: ids.length };
  } finally {
    await core.close();
  }
}

export async function runGeolocateBench(): Promise<BenchSection> {
  const shared = sharedFixtures();
  if (shared === null) {
    return {
      name: 'geolocate',
      title: 'Geolocation batches',
      notes: [
        'Skipped: ../shared (the pretrained MobileNetV2 TFLite and sanity photos) is absent.',
      ],
      tables: [],
    };
  }
  const load = loadNote();
  const root = mkdtempSync(join(tmpdir(), 'lp-bench-geo-'));
  try {
    const template = join(root, 'trained');
    console.log('  training the model…');
    const modelId = await trainedLibrary(template, join(root, 'train-photos'));
    // New photos: distinct seeded variants of the sanity photos, none of them in the library.
    const photos = join(root, 'batch');
    await photoTree(shared, photos, PER_CITY, 7000);
    console.log('  batch, LP_GEO_CHUNK=64…');
    const geo64 = await geoRun(template, join(root, 'geo64'), modelId, photos, 64);
    console.log('  plain import + predict…');
    const plain = await plainRun(template, join(root, 'plain'), modelId, photos);
    console.log('  batch, LP_GEO_CHUNK=8…');
    const geo8 = await geoRun(template, join(root, 'geo8'), modelId, photos, 8);
    const n = plain.n;
    if (geo64.n !== n || geo8.n !== n)
      throw new Error(`photo counts differ: ${geo64.n}, ${geo8.n}, ${n}`);

    const plainTotal = plain.importS + plain.predictS;
    const row = (what: string, seconds: number | null, plainS: number): string[] =>
      seconds === null
        ? [what, 'n/a', 'n/a', 'n/a']
        : [what, fmt(seconds), fmt(n / seconds, 1), fmt(seconds / plainS)];
    return {
      name: 'geolocate',
      title: 'Geolocation batches',
      notes: [
        load,
        `${n} new photos (distinct seeded 320 px crops of the sanity photos, in three city folders), a three-city model trained for ${TRAIN_EPOCHS} epochs on 24 photos of the shared MobileNetV2 (stage 1, one view). Each run starts from its own copy of the trained library with a fresh core and ML host, so nothing is cached; host start-up and backbone loading are inside every figure.`,
        'Batch: from geo.create to the job’s done event; its import phase ends when the core’s import returns (its “labels changed” event), the predict phase (ML host start-up included) runs from there to done. Plain: import.start, then one predict.start on the new image ids (top 3, center view) in one job.',
        'Ratio to plain: seconds divided by the plain cost of the same work (batch total vs plain import + predict, import phase vs import.start, predict phase vs predict.start); above 1 is slower. One run each: differences of a few percent are noise.',
      ],
      tables: [
        {
          title: `${n} photos, one run each`,
          columns: ['what', 'seconds', 'photos/s', 'ratio to plain'],
          rows: [
            row('batch, chunk 64 (default): end to end', geo64.totalS, plainTotal),
            row('batch, chunk 64: import phase', geo64.importS, plain.importS),
            row('batch, chunk 64: predict phase', geo64.predictS, plain.predictS),
            row('batch, chunk 8: end to end', geo8.totalS, plainTotal),
            row('batch, chunk 8: import phase', geo8.importS, plain.importS),
            row('batch, chunk 8: predict phase', geo8.predictS, plain.predictS),
            row('plain: import.start', plain.importS, plain.importS),
            row('plain: predict.start (one job)', plain.predictS, plain.predictS),
            row('plain: import + predict', plainTotal, plainTotal),
          ],
        },
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
