// Geolocation batches end to end in the core: a real library with a small model trained on the
// shared MobileNetV2, a batch of new photos (some with GPS inside a city the model knows, two real
// camera photos with GPS in Tuscany), then summary, items, review, map and every export mode.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gps as readGps, sidecar } from 'exifr';
import sharp from 'sharp';
import { createClient, type Client } from '../../src/shared/contract/client';
import { AppError } from '../../src/shared/contract/errors';
import type { GeoBatchCreated, GeoItem, GeoJobResult } from '../../src/shared/contract/geo-types';
import type { ParamsIn } from '../../src/shared/contract/methods';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { copyFolder } from '../../src/main/core/geolocate/geo-export';
import { chunkSize, etaText } from '../../src/main/core/geolocate/geo-job';
import { StudioCore } from '../../src/main/core/studio-core';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { photoTree, threeCityLibrary } from '../ml/integration-photos';
import { exifSamples, openStudio, suiteCleanup, tempDir, type Studio } from './helpers';

const shared = sharedFixtures();
const skip =
  shared === null
    ? SHARED_MISSING
    : existsSync(exifSamples)
      ? false
      : `${exifSamples} absent (real GPS camera photos)`;

const SYDNEY = { lat: -33.87, lon: 151.2 };
const TUSCANY = ['DSCN0010.jpg', 'DSCN0012.jpg'];

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

const rejectsWith = async (promise: Promise<unknown>, code: string, pattern?: RegExp) =>
  assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    if (pattern !== undefined) assert.match(e.message, pattern);
    return true;
  });

/** geo.create starts its own job: subscribe first, then wait for that job's end. */
async function createBatch(
  client: Client,
  params: ParamsIn<'geo.create'>,
): Promise<{ batch: GeoBatchCreated; result: GeoJobResult }> {
  let jobId: string | null = null;
  const ended: { jobId: string; result: GeoJobResult | Error }[] = [];
  let wake: () => void = () => undefined;
  const unsubscribe = client.subscribe((event) => {
    if (event.channel !== 'job') return;
    const e = event.payload;
    if (e.type === 'done' && e.kind === 'geolocate')
      ended.push({ jobId: e.jobId, result: e.result });
    else if (e.type === 'failed' || e.type === 'cancelled') {
      ended.push({ jobId: e.jobId, result: new Error(`${e.type}: ${JSON.stringify(e)}`) });
    }
    wake();
  });
  try {
    const batch = await client.call('geo.create', params);
    jobId = batch.jobId;
    for (;;) {
      const end = ended.find((x) => x.jobId === jobId);
      if (end !== undefined) {
        if (end.result instanceof Error) throw end.result;
        return { batch, result: end.result };
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    unsubscribe();
  }
}

/** A sanity-photo variant re-encoded with EXIF GPS (new bytes, so no duplicate). */
async function withGps(src: string, dest: string, at: { lat: number; lon: number }): Promise<void> {
  const dms = (v: number): string => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    return `${d}/1 ${m}/1 ${Math.round((a - d - m / 60) * 3600 * 1000)}/1000`;
  };
  await sharp(src)
    .jpeg({ quality: 90 })
    .withExif({
      IFD3: {
        GPSLatitudeRef: at.lat >= 0 ? 'N' : 'S',
        GPSLatitude: dms(at.lat),
        GPSLongitudeRef: at.lon >= 0 ? 'E' : 'W',
        GPSLongitude: dms(at.lon),
      },
    })
    .toFile(dest);
}

void describe('geolocation batches (real model, real photos)', { skip }, () => {
  const cleanup = suiteCleanup();
  let studio: Studio;
  let modelId = '';
  let batchDir = '';
  /** File name → path of the batch's photos. */
  const files: Record<string, string> = {};
  let hashes = new Map<string, string>();
  let created: { batch: GeoBatchCreated; result: GeoJobResult };
  const items = new Map<string, GeoItem>();
  const byName = (name: string): GeoItem => {
    const item = items.get(files[name] ?? '');
    assert.ok(item, `no item for ${name}`);
    return item;
  };

  before(async () => {
    if (shared === null) return;
    studio = await openStudio(cleanup);
    const work = tempDir(cleanup, 'lp-geo-');
    // Paris = cat, Sydney = hot dog, London = parrot (integration-photos' cities).
    await threeCityLibrary(studio.client, shared, work, 8);
    const trained = await studio.client.runJob('train.start', {
      name: 'geo',
      backbone: 'mnv2',
      views: 1,
      stage1: { epochs: 12, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
    });
    modelId = trained.modelId;
    // The batch: three unseen variants, two of them again with GPS in Sydney (the hot dog there
    // is right, the parrot there is wrong), two Tuscan camera photos, one broken file.
    const fresh = await photoTree(shared, join(work, 'fresh'), 1, 900);
    batchDir = join(work, 'batch');
    mkdirSync(batchDir);
    const [cat, hotDog, parrot] = fresh as [string, string, string];
    for (const [name, src] of Object.entries({
      'a-cat.jpg': cat,
      'b-hotdog.jpg': hotDog,
      'c-parrot.jpg': parrot,
    })) {
      files[name] = join(batchDir, name);
      copyFileSync(src, files[name]);
    }
    files['d-hotdog-gps.jpg'] = join(batchDir, 'd-hotdog-gps.jpg');
    await withGps(hotDog, files['d-hotdog-gps.jpg'], SYDNEY);
    files['e-parrot-gps.jpg'] = join(batchDir, 'e-parrot-gps.jpg');
    await withGps(parrot, files['e-parrot-gps.jpg'], SYDNEY);
    for (const name of TUSCANY) {
      files[name] = join(batchDir, name);
      copyFileSync(join(exifSamples, 'jpg', 'gps', name), files[name]);
    }
    writeFileSync(join(batchDir, 'f-broken.jpg'), 'not a jpeg at all');
    // Arezzo holds the Tuscan photos' GPS: a city, but not one of the model's.
    await studio.client.call('cities.add', {
      name: 'Arezzo',
      country: 'Italy',
      lat: 43.4633,
      lon: 11.8797,
      radiusKm: 15,
    });
    hashes = new Map(Object.values(files).map((f) => [f, sha(f)]));
    created = await createBatch(studio.client, { modelId, paths: [batchDir], name: null });
    const page = await studio.client.call('geo.items', { batchId: created.batch.id, limit: 1000 });
    for (const item of page.items) items.set(item.path, item);
  });

  it('imports and predicts every photo; the summary and job result count them', async () => {
    const { batch, result } = created;
    assert.match(batch.name, /^batch \d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(batch.sources, [batchDir]);
    assert.equal(result.photos, 7);
    assert.equal(result.newlyPredicted, 7);
    assert.deepEqual(
      result.errors.map((e) => e.path),
      [join(batchDir, 'f-broken.jpg')],
    );
    // The model learnt these photos: each variant gets its photo's city.
    assert.equal(byName('a-cat.jpg').predicted, 'Paris');
    assert.equal(byName('b-hotdog.jpg').predicted, 'Sydney');
    assert.equal(byName('c-parrot.jpg').predicted, 'London');
    assert.equal(byName('d-hotdog-gps.jpg').gpsCity, 'Sydney');
    assert.equal(byName('e-parrot-gps.jpg').predicted, 'London');
    for (const name of TUSCANY) assert.equal(byName(name).gpsCity, 'Arezzo');
    // GPS truth: the hot dog in Sydney is right, the parrot in Sydney wrong; Arezzo is no model city.
    const accuracy = { withTruth: 2, correct: 1, accuracy: 0.5, outsideCities: 2 };
    assert.deepEqual(result.accuracy, accuracy);
    const summary = await studio.client.call('geo.get', { batchId: batch.id });
    assert.deepEqual(summary.accuracy, accuracy);
    const probabilities = [...items.values()].map((i) => i.probability ?? -1);
    assert.deepEqual(summary.counts, {
      photos: 7,
      predicted: 7,
      withGps: 4,
      pending: 7,
      accepted: 0,
      corrected: 0,
      skipped: 0,
      unsure: probabilities.filter((p) => p < 0.5).length,
      // The real Tuscan camera photos look like none of the model's sanity-photo "cities".
      unknown: 2,
      failed: 1,
    });
    assert.deepEqual(
      [...items.values()]
        .filter((i) => i.unknown)
        .map((i) => basename(i.path))
        .sort(),
      [...TUSCANY].sort(),
    );
    assert.equal(summary.complete, true);
    assert.equal(summary.lastJobId, batch.jobId);
    for (const item of items.values()) {
      assert.equal(item.top.length, 3);
      assert.equal(item.top[0]?.city, item.predicted);
      assert.equal(item.top[0]?.probability, item.probability);
    }
    // The library's own predictions were stored too (the grid shows them).
    const image = await studio.client.call('images.get', { id: byName('a-cat.jpg').imageId });
    assert.equal(image.prediction?.city, 'Paris');
  });

  it('lists items filtered, ordered and paged as the contract says', async () => {
    const batchId = created.batch.id;
    const call = (p: Partial<ParamsIn<'geo.items'>>) =>
      studio.client.call('geo.items', { batchId, ...p });
    const all = await call({});
    assert.equal(all.total, 7);
    const desc = all.items.map((i) => i.probability ?? 0);
    assert.deepEqual(
      desc,
      [...desc].sort((a, b) => b - a),
    );
    const asc = (await call({ order: 'confidence-asc' })).items.map((i) => i.imageId);
    assert.deepEqual(asc, all.items.map((i) => i.imageId).reverse());
    const byPath = (await call({ order: 'path' })).items.map((i) => i.path);
    assert.deepEqual(byPath, [...byPath].sort());
    const pages = [
      ...(await call({ limit: 3 })).items,
      ...(await call({ offset: 3, limit: 3 })).items,
      ...(await call({ offset: 6, limit: 3 })).items,
    ];
    assert.deepEqual(
      pages.map((i) => i.imageId),
      all.items.map((i) => i.imageId),
    );
    const gps = await call({ filter: 'gps' });
    assert.equal(gps.total, 4);
    assert.ok(gps.items.every((i) => i.gps !== null));
    const london = await call({ city: 'london' });
    assert.deepEqual(
      london.items.map((i) => i.path).sort(),
      [files['c-parrot.jpg'], files['e-parrot-gps.jpg']].sort(),
    );
    // Raise the threshold above every probability but the surest: all but that one are unsure.
    const surest = desc[0] ?? 0;
    const updated = await studio.client.call('geo.update', { batchId, unsureBelow: surest });
    const unsure = await call({ filter: 'unsure' });
    assert.equal(updated.counts.unsure, desc.filter((p) => p < surest).length);
    assert.equal(unsure.total, updated.counts.unsure);
    assert.ok(unsure.items.every((i) => i.unsure && (i.probability ?? 1) < surest));
    const renamed = await studio.client.call('geo.update', {
      batchId,
      name: 'Holiday',
      unsureBelow: 0.5,
    });
    assert.equal(renamed.name, 'Holiday');
    assert.equal(renamed.unsureBelow, 0.5);
  });

  it('reviews: accept / correct set human labels, skip and undo restore the label before', async () => {
    const batchId = created.batch.id;
    const review = (
      name: string,
      action: 'accept' | 'correct' | 'skip' | 'undo',
      city: string | null = null,
    ) => studio.client.call('geo.review', { batchId, imageId: byName(name).imageId, action, city });
    const label = async (name: string) => {
      const image = await studio.client.call('images.get', { id: byName(name).imageId });
      return [image.city, image.labelSource];
    };
    const labelEvents = () =>
      studio.events.filter((e) => e.channel === 'library' && e.payload.what === 'labels').length;

    assert.deepEqual(await label('a-cat.jpg'), [null, null]);
    const before = labelEvents();
    const accepted = await review('a-cat.jpg', 'accept');
    assert.equal(accepted.review, 'accepted');
    assert.equal(accepted.reviewedCity, 'Paris');
    assert.deepEqual(await label('a-cat.jpg'), ['Paris', 'human']);
    assert.ok(labelEvents() > before);

    const corrected = await review('c-parrot.jpg', 'correct', 'sydney');
    assert.equal(corrected.review, 'corrected');
    assert.equal(corrected.reviewedCity, 'Sydney');
    assert.deepEqual(await label('c-parrot.jpg'), ['Sydney', 'human']);
    await rejectsWith(review('c-parrot.jpg', 'correct', 'Atlantis'), 'BAD_ARGUMENT', /Atlantis/);
    assert.deepEqual(await label('c-parrot.jpg'), ['Sydney', 'human']);

    // The parrot with GPS in Sydney came in labelled Sydney by its GPS: correcting it to London
    // and taking that back restores the GPS label, source and all.
    assert.deepEqual(await label('e-parrot-gps.jpg'), ['Sydney', 'gps']);
    await review('e-parrot-gps.jpg', 'correct', 'London');
    await review('e-parrot-gps.jpg', 'accept');
    assert.deepEqual(await label('e-parrot-gps.jpg'), ['London', 'human']);
    const undone = await review('e-parrot-gps.jpg', 'undo');
    assert.equal(undone.review, 'pending');
    assert.equal(undone.reviewedCity, null);
    assert.deepEqual(await label('e-parrot-gps.jpg'), ['Sydney', 'gps']);

    const skipped = await review('b-hotdog.jpg', 'skip');
    assert.equal(skipped.review, 'skipped');
    assert.deepEqual(await label('b-hotdog.jpg'), [null, null]);

    // Undoing the accept leaves the cat unlabelled again.
    await review('a-cat.jpg', 'undo');
    assert.deepEqual(await label('a-cat.jpg'), [null, null]);
    await review('a-cat.jpg', 'accept');

    const summary = await studio.client.call('geo.get', { batchId });
    assert.deepEqual(
      [
        summary.counts.accepted,
        summary.counts.corrected,
        summary.counts.skipped,
        summary.counts.pending,
      ],
      [1, 1, 1, 4],
    );
    const reviewed = await studio.client.call('geo.items', { batchId, filter: 'reviewed' });
    assert.equal(reviewed.total, 3);
    // The reviewer's city wins in the city filter.
    const sydney = await studio.client.call('geo.items', { batchId, city: 'Sydney' });
    assert.ok(sydney.items.some((i) => i.path === files['c-parrot.jpg']));
    await rejectsWith(
      studio.client.call('geo.review', { batchId, imageId: 999_999, action: 'skip', city: null }),
      'NOT_FOUND',
    );
  });

  it('maps the batch by estimate and by GPS', async () => {
    const batchId = created.batch.id;
    const estimated = await studio.client.call('geo.map', { batchId, place: 'estimated' });
    const at = (map: typeof estimated, city: string) => map.cities.find((c) => c.city === city);
    // The Tuscan photos are answered "unknown": by estimate they sit nowhere, and are counted apart.
    const tuscanAt = (city: string) =>
      TUSCANY.filter((n) => !byName(n).unknown && byName(n).predicted === city);
    assert.equal(estimated.unknown, 2);
    // Skipped hot dog left out; the corrected parrot sits in Sydney with the GPS hot dog (right).
    const sydney = at(estimated, 'Sydney');
    const inSydney = ['c-parrot.jpg', 'd-hotdog-gps.jpg', ...tuscanAt('Sydney')];
    assert.equal(sydney?.count, inSydney.length);
    assert.deepEqual([sydney?.correct, sydney?.wrong], [1, tuscanAt('Sydney').length]);
    assert.equal(sydney?.country, 'Australia');
    assert.ok(Math.abs((sydney?.lat ?? 0) + 33.8688) < 1e-6);
    const expectedMean =
      inSydney.reduce((sum, n) => sum + (byName(n).probability ?? 0), 0) / inSydney.length;
    assert.ok(Math.abs((sydney?.meanConfidence ?? 0) - expectedMean) < 1e-9);
    // The parrot with GPS in Sydney is estimated London: wrong there.
    const london = at(estimated, 'London');
    const inLondon = 1 + tuscanAt('London').length;
    assert.deepEqual([london?.count, london?.correct, london?.wrong], [inLondon, 0, inLondon]);
    assert.equal(at(estimated, 'Paris')?.count, 1 + tuscanAt('Paris').length);
    const counted = estimated.cities.reduce((n, c) => n + c.count, 0);
    assert.equal(counted, 4, 'every photo but the skipped one and the two unknown ones');
    assert.equal(estimated.unplaced, 0);

    const byGps = await studio.client.call('geo.map', { batchId, place: 'gps' });
    assert.equal(at(byGps, 'Arezzo')?.count, 2);
    assert.equal(at(byGps, 'Sydney')?.count, 2);
    assert.deepEqual([at(byGps, 'Sydney')?.correct, at(byGps, 'Sydney')?.wrong], [1, 1]);
    assert.equal(byGps.unplaced, 3);
  });

  it('exports csv and geojson text, leaving every photo untouched', async (t) => {
    const batchId = created.batch.id;
    const dir = tempDir(t);
    const csv = await studio.client.call('geo.export', {
      batchId,
      format: 'csv',
      dest: join(dir, 'g.csv'),
    });
    // GPS photos and the skipped hot dog are never written: the cat (Paris), the parrot (Sydney).
    assert.equal(csv.written, 2);
    const lines = (csv.text ?? '').trim().split('\n');
    assert.equal(lines[0], 'path,city,country,probability,lat,lon,model,review,forced_choice');
    assert.equal(
      lines[1],
      `${files['a-cat.jpg']},Paris,France,${(byName('a-cat.jpg').probability ?? 0).toFixed(4)},48.8566,2.3522,${modelId},accepted,false`,
    );
    assert.match(
      lines[2] ?? '',
      new RegExp(
        `^${files['c-parrot.jpg']},Sydney,Australia,\\d\\.\\d{4},-33\\.8688,151\\.2093,.+,corrected,false$`,
      ),
    );
    assert.equal(readFileSync(join(dir, 'g.csv'), 'utf8'), csv.text);
    assert.deepEqual(
      csv.skipped.map((s) => s.path).sort(),
      [
        files['d-hotdog-gps.jpg'],
        files['e-parrot-gps.jpg'],
        ...TUSCANY.map((n) => files[n]),
      ].sort(),
    );
    assert.ok(csv.skipped.every((s) => /own GPS/.test(s.reason)));

    const geo = await studio.client.call('geo.export', {
      batchId,
      format: 'geojson',
      scope: 'reviewed',
    });
    const features = (
      JSON.parse(geo.text ?? '') as {
        features: {
          geometry: { coordinates: number[] };
          properties: { city: string; path: string };
        }[];
      }
    ).features;
    assert.deepEqual(
      features.map((f) => [f.properties.city, f.geometry.coordinates]),
      [
        ['Paris', [2.3522, 48.8566]],
        ['Sydney', [151.2093, -33.8688]],
      ],
    );
    assert.equal(geo.dest, null);
    for (const [file, hash] of hashes) assert.equal(sha(file), hash, file);
  });

  it('writes XMP sidecars exifr reads back and EXIF copies; originals byte-identical', async (t) => {
    const batchId = created.batch.id;
    const xmp = await studio.client.call('geo.export', { batchId, format: 'xmp' });
    assert.equal(xmp.written, 2);
    type Side = {
      photoshop?: { City?: string; Country?: string };
      lp?: { Model?: string; Review?: string };
      dc?: { description?: unknown };
    };
    const side = (await sidecar(join(batchDir, 'a-cat.xmp'))) as Side;
    assert.equal(side.photoshop?.City, 'Paris');
    assert.equal(side.photoshop?.Country, 'France');
    assert.equal(side.lp?.Model, modelId);
    // The sidecar says who chose the city: accepted from the model, or set by the reviewer.
    assert.equal(side.lp?.Review, 'accepted');
    assert.match(JSON.stringify(side.dc?.description), /Paris, confirmed by a reviewer/);
    const parrot = (await sidecar(join(batchDir, 'c-parrot.xmp'))) as Side;
    assert.equal(parrot.lp?.Review, 'corrected');
    assert.match(JSON.stringify(parrot.dc?.description), /City set by a reviewer/);
    assert.ok(!existsSync(join(batchDir, 'b-hotdog.xmp')), 'skipped photo: no sidecar');
    assert.ok(!existsSync(join(batchDir, 'DSCN0010.xmp')), 'GPS photo: no sidecar');

    const copies = join(tempDir(t), 'copies');
    const out = await studio.client.call('geo.export', {
      batchId,
      format: 'exif-copies',
      dest: copies,
    });
    assert.equal(out.written, 2);
    assert.equal(out.dest, copies);
    const written = readdirSync(copies).sort();
    assert.equal(written.length, 2);
    const positions = await Promise.all(written.map((f) => readGps(join(copies, f))));
    const near = (
      p: { latitude: number; longitude: number } | undefined,
      lat: number,
      lon: number,
    ) => p !== undefined && Math.abs(p.latitude - lat) < 1e-3 && Math.abs(p.longitude - lon) < 1e-3;
    assert.ok(
      positions.some((p) => near(p, 48.8566, 2.3522)),
      JSON.stringify(positions),
    );
    assert.ok(
      positions.some((p) => near(p, -33.8688, 151.2093)),
      JSON.stringify(positions),
    );
    for (const [file, hash] of hashes) assert.equal(sha(file), hash, file);
  });

  it('puts EXIF copies where the photos are under the batch folder', () => {
    const dest = join('/', 'out');
    const photos = join('/', 'pics');
    const trip = join(photos, 'trip', 'day 2', 'IMG_0001.jpg');
    assert.equal(copyFolder(trip, [photos], dest), join(dest, 'trip', 'day 2'));
    assert.equal(copyFolder(join(photos, 'a.jpg'), [photos], dest), dest);
    // A photo given as a file, or known under another path, goes to the destination itself.
    assert.equal(copyFolder(join(photos, 'a.jpg'), [join(photos, 'a.jpg')], dest), dest);
    assert.equal(copyFolder(join('/', 'elsewhere', 'b.jpg'), [photos], dest), dest);
    // A sibling folder whose name starts like the source is not inside it.
    assert.equal(copyFolder(join('/', 'pics2', 'c.jpg'), [photos], dest), dest);
  });

  it('resumes: only photos without a prediction are predicted again', async () => {
    const batchId = created.batch.id;
    // As a kill mid-run leaves it: two photos not predicted yet.
    studio.core
      .db()
      .prepare(
        `UPDATE geo_batch_items SET predicted_city = NULL, probability = NULL, top_json = NULL
         WHERE batch_id = ? AND image_id IN (?, ?)`,
      )
      .run(batchId, byName('DSCN0010.jpg').imageId, byName('DSCN0012.jpg').imageId);
    assert.equal((await studio.client.call('geo.get', { batchId })).complete, false);
    const result = await studio.client.runJob('geo.resume', { batchId });
    assert.equal(result.newlyPredicted, 2);
    assert.equal(result.photos, 7);
    const summary = await studio.client.call('geo.get', { batchId });
    assert.equal(summary.complete, true);
    assert.equal(summary.counts.accepted, 1, 'reviews kept');
    const again = await studio.client.runJob('geo.resume', { batchId });
    assert.equal(again.newlyPredicted, 0);
  });

  it('writes into originals only after backing them up byte for byte', async (t) => {
    const batchId = created.batch.id;
    const backups = join(tempDir(t), 'backups');
    await rejectsWith(
      studio.client.call('geo.export', { batchId, format: 'exif-originals', backupDir: backups }),
      'BAD_ARGUMENT',
      /confirmOriginals/,
    );
    const cat = files['a-cat.jpg'] ?? '';
    const out = await studio.client.call('geo.export', {
      batchId,
      format: 'exif-originals',
      scope: 'reviewed',
      backupDir: backups,
      confirmOriginals: true,
    });
    assert.equal(out.written, 2);
    assert.equal(out.backupDir, backups);
    const backupHashes = readdirSync(backups).map((f) => sha(join(backups, f)));
    assert.ok(backupHashes.includes(hashes.get(cat) ?? ''));
    const position = await readGps(cat);
    assert.ok(Math.abs(position.latitude - 48.8566) < 1e-3, JSON.stringify(position));
    // Photos the export did not cover stay as they were.
    for (const name of ['b-hotdog.jpg', 'd-hotdog-gps.jpg', ...TUSCANY]) {
      assert.equal(sha(files[name] ?? ''), hashes.get(files[name] ?? ''), name);
    }
    // Importing the folder again: the edited photos are known (no "changed since imported" error,
    // no new image, the estimate is not read back as the photo's own GPS).
    const imagesBefore = (await studio.client.call('library.stats', {})).images;
    const again = await studio.client.runJob('import.start', { paths: [cat], csv: null });
    assert.equal(again.errors.length, 0, JSON.stringify(again.errors));
    assert.equal(again.alreadyPresent, 1);
    assert.equal((await studio.client.call('library.stats', {})).images, imagesBefore);
  });

  it('without ML: create and resume are unavailable, the rest still works; unknown ids', async (t) => {
    const batchId = created.batch.id;
    const core = new StudioCore({ version: '0.0.0-test', ml: false });
    t.after(() => core.close());
    const client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir: studio.dir });
    await rejectsWith(
      client.call('geo.create', { modelId, paths: [batchDir] }),
      'BACKEND_UNAVAILABLE',
    );
    await rejectsWith(client.call('geo.resume', { batchId }), 'BACKEND_UNAVAILABLE');
    const list = await client.call('geo.list', {});
    assert.deepEqual(
      list.map((b) => b.id),
      [batchId],
    );
    assert.equal((await client.call('geo.items', { batchId })).total, 7);
    assert.equal((await client.call('geo.map', { batchId })).cities.length, 3);
    await rejectsWith(client.call('geo.get', { batchId: 999 }), 'NOT_FOUND', /999/);
    await rejectsWith(client.call('geo.items', { batchId: 999 }), 'NOT_FOUND');
    await rejectsWith(
      studio.client.call('geo.create', { modelId: 'no-such-model', paths: [batchDir] }),
      'NOT_FOUND',
    );
    await rejectsWith(
      studio.client.call('geo.create', { modelId, paths: [join(batchDir, 'nowhere')] }),
      'BAD_ARGUMENT',
      /nowhere/,
    );
    assert.equal((await studio.client.call('geo.list', {})).length, 1, 'nothing was created');
  });

  it('a batch of copies of library photos lists and writes back the copies themselves (#14)', async () => {
    // The Geolocate screen's path: geo.create, geo.items, geo.export over two byte copies of a
    // photo the library already has under batchDir.
    const copies = tempDir(cleanup, 'lp-geo-copies-');
    const one = join(copies, 'one.jpg');
    const two = join(copies, 'sub', 'two.jpg');
    mkdirSync(join(copies, 'sub'));
    // The hot dog: skipped in review, so no earlier test wrote into it.
    copyFileSync(files['b-hotdog.jpg'] ?? '', one);
    copyFileSync(files['b-hotdog.jpg'] ?? '', two);
    const { batch } = await createBatch(studio.client, { modelId, paths: [copies], name: null });
    const page = await studio.client.call('geo.items', { batchId: batch.id, limit: 10 });
    assert.deepEqual(
      page.items.map((i) => [i.path, i.paths, i.predicted]),
      [[one, [one, two], byName('b-hotdog.jpg').predicted]],
    );
    const xmp = await studio.client.call('geo.export', { batchId: batch.id, format: 'xmp' });
    assert.equal(xmp.written, 2);
    assert.deepEqual(xmp.files, [
      { path: one, file: join(copies, 'one.xmp') },
      { path: two, file: join(copies, 'sub', 'two.xmp') },
    ]);
    const csv = await studio.client.call('geo.export', { batchId: batch.id, format: 'csv' });
    assert.deepEqual(
      (csv.text ?? '')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
      [one, two],
    );
    await studio.client.call('geo.remove', { batchId: batch.id });
  });

  it('remove forgets the batch; photos, labels and predictions stay', async () => {
    const batchId = created.batch.id;
    const cat = byName('a-cat.jpg').imageId;
    assert.deepEqual(await studio.client.call('geo.remove', { batchId }), { removed: batchId });
    assert.deepEqual(await studio.client.call('geo.list', {}), []);
    const image = await studio.client.call('images.get', { id: cat });
    assert.equal(image.city, 'Paris');
    assert.equal(image.prediction?.city, 'Paris');
  });
});

void describe('geolocation job settings', () => {
  it('words the time left from the rate so far', () => {
    assert.equal(etaText(0, 1000, 10), null);
    // 10 photos in 20 s: 90 left take 180 s.
    assert.equal(etaText(10, 20_000, 90), 'about 3 min left');
    assert.equal(etaText(10, 1000, 50), 'less than a minute left');
    assert.equal(etaText(1, 60_000, 120), 'about 2.0 h left');
  });

  it('reads LP_GEO_CHUNK, falling back to 64 for anything out of range', () => {
    assert.equal(chunkSize(undefined), 64);
    assert.equal(chunkSize('4'), 4);
    for (const bad of ['0', '-1', '2.5', 'abc', '5000']) assert.equal(chunkSize(bad), 64, bad);
  });
});
