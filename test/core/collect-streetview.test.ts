import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import type { JobEvent } from '../../src/shared/contract/job-types';
import { PAPER_CITIES } from '../../src/shared/domain/cities';
import { haversineKm } from '../../src/shared/domain/geo';
import { MAX_FAILURES_IN_A_ROW } from '../../src/main/core/collect/collect-city';
import { metadataOk, startFakeApi, type FakeApi } from './collect-fake-api';
import {
  captureConsole,
  databaseBytes,
  openCollectStudio,
  STREETVIEW_KEY,
  type CollectStudio,
} from './collect-helpers';

const METADATA = '/maps/api/streetview/metadata';
const IMAGE = '/maps/api/streetview';
const centre = (name: string) => {
  const city = PAPER_CITIES.find((c) => c.name === name);
  assert.ok(city);
  return city;
};

async function withApi(t: { after(fn: () => Promise<void>): void }): Promise<FakeApi> {
  const api = await startFakeApi();
  t.after(() => api.close());
  return api;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error;
  }
  assert.fail('expected the job to fail');
}

/** Asserts the key is nowhere: DB bytes, job rows, run rows, events and the run's CSV files. */
function assertNoKey(studio: CollectStudio, extra: string[] = []): void {
  const key = STREETVIEW_KEY;
  assert.equal(databaseBytes(studio.dir).includes(Buffer.from(key)), false, 'key in the DB file');
  const rows = studio.core.db().prepare('SELECT * FROM jobs').all();
  assert.equal(JSON.stringify(rows).includes(key), false, 'key in job rows');
  assert.equal(JSON.stringify(studio.events).includes(key), false, 'key in events');
  const dest = join(studio.dir, 'collected', 'streetview');
  if (existsSync(dest)) {
    for (const name of readdirSync(dest).filter((n) => n.endsWith('.csv'))) {
      assert.equal(readFileSync(join(dest, name), 'utf8').includes(key), false, `key in ${name}`);
    }
  }
  for (const text of extra) assert.equal(text.includes(key), false, 'key in captured output');
}

describe('Street View collector (fake API on 127.0.0.1)', () => {
  it('fetches N photos per city, skips places without imagery and duplicate panoramas, and imports them labeled', async (t) => {
    const api = await withApi(t);
    api.script.metadata = (n, req) => {
      if (n % 3 === 1) return { json: { status: 'ZERO_RESULTS' } };
      const [lat, lng] = (req.query.get('location') ?? '').split(',').map(Number);
      // Point 5 lands on the first point's panorama again.
      return metadataOk(n === 5 ? 'pano-0' : `pano-${n}`, lat, lng);
    };
    const studio = await openCollectStudio(t, api);
    const { value: result, text } = await captureConsole(() =>
      studio.client.runJob('collect.start', {
        provider: 'streetview',
        cities: ['paris', 'London'],
        count: 3,
        seed: 7,
      }),
    );

    assert.deepEqual(result.perCity, [
      { city: 'Paris', target: 3, fetched: 3, noImagery: 1, duplicates: 0, failed: 0, points: 4 },
      { city: 'London', target: 3, fetched: 3, noImagery: 2, duplicates: 1, failed: 0, points: 6 },
    ]);
    assert.equal(result.status, 'done');
    assert.equal(result.fetchedNow, 6);
    assert.deepEqual(result.warnings, []);

    const metadata = api.seen.filter((s) => s.path === METADATA);
    assert.equal(metadata.length, 10);
    metadata.forEach((req, i) => {
      const [lat, lon] = (req.query.get('location') ?? '').split(',').map(Number);
      const city = centre(i < 4 ? 'Paris' : 'London');
      assert.ok(haversineKm({ lat: lat ?? 0, lon: lon ?? 0 }, city) <= 25.001, `point ${i}`);
      assert.equal(req.query.get('source'), 'outdoor');
      assert.equal(req.query.get('key'), STREETVIEW_KEY);
    });
    const images = api.seen.filter((s) => s.path === IMAGE);
    assert.deepEqual(
      images.map((r) => r.query.get('pano')),
      ['pano-0', 'pano-2', 'pano-3', 'pano-6', 'pano-8', 'pano-9'],
    );
    for (const req of images) {
      assert.equal(req.query.get('size'), '256x256');
      assert.equal(req.query.get('fov'), '90');
      assert.equal(req.query.get('pitch'), '0');
      assert.equal(req.query.get('return_error_code'), 'true');
      const heading = Number(req.query.get('heading'));
      assert.ok(heading >= 0 && heading < 360);
    }

    const dest = join(studio.dir, 'collected', 'streetview');
    assert.equal(result.destDir, dest);
    assert.deepEqual(readdirSync(join(dest, 'Paris')).sort(), [
      'streetview-pano-0.jpg',
      'streetview-pano-2.jpg',
      'streetview-pano-3.jpg',
    ]);
    assert.equal(readdirSync(join(dest, 'London')).length, 3);
    const manifest = readFileSync(join(dest, 'run-1.csv'), 'utf8').trim().split('\n');
    assert.equal(manifest[0], 'path,city,lat,lon,provider,item_id,captured_at,credit,licence');
    assert.equal(manifest.length, 7);
    assert.match(
      manifest[1] ?? '',
      /^Paris\/streetview-pano-0\.jpg,Paris,[\d.]+,[\d.]+,streetview,pano-0,2021-06,© Google,/,
    );

    assert.equal(result.import?.imported, 6, JSON.stringify(result.import));
    const paris = await studio.client.call('images.list', { city: 'Paris' });
    assert.equal(paris.total, 3);
    for (const image of paris.items) {
      assert.equal(image.labelSource, 'csv');
      assert.ok(image.lat !== null && image.lon !== null);
      assert.ok(haversineKm({ lat: image.lat, lon: image.lon }, centre('Paris')) <= 25.001);
    }
    assert.equal((await studio.client.call('images.list', { city: 'London' })).total, 3);

    const [run] = await studio.client.call('collect.runs', {});
    assert.equal(run?.status, 'done');
    assert.equal(run?.imported?.imported, 6);
    assert.equal(run?.options.seed, 7);
    assertNoKey(studio, [text]);
  });

  it('never fetches a panorama a previous run already has, and draws the same points with the same seed', async (t) => {
    const api = await withApi(t);
    api.script.metadata = (_n, req) => {
      const [lat, lng] = (req.query.get('location') ?? '').split(',').map(Number);
      // Two panoramas in the whole city: the second run finds only those.
      return metadataOk((lat ?? 0) > 48.8566 ? 'north' : 'south', lat, lng);
    };
    const studio = await openCollectStudio(t, api);
    const params = {
      provider: 'streetview' as const,
      cities: ['Paris'],
      count: 2,
      seed: 11,
      maxPointsPerCity: 30,
    };
    const first = await studio.client.runJob('collect.start', params);
    assert.equal(first.perCity[0]?.fetched, 2);
    const firstLocations = api.seen
      .filter((s) => s.path === METADATA)
      .map((s) => s.query.get('location'));
    const second = await studio.client.runJob('collect.start', { ...params, count: 1 });
    assert.equal(second.perCity[0]?.fetched, 0);
    assert.equal(second.perCity[0]?.duplicates, 30);
    assert.equal(api.count(IMAGE), 2, 'each panorama is downloaded once');
    const secondLocations = api.seen
      .filter((s) => s.path === METADATA)
      .slice(firstLocations.length)
      .map((s) => s.query.get('location'));
    assert.deepEqual(secondLocations.slice(0, firstLocations.length), firstLocations);
    assert.match(second.warnings[0] ?? '', /Paris: 0 of 1 photos after 30 points/);
  });

  it('stops at once on HTTP 403 (no retries) with a clear error, and the key stays out of it', async (t) => {
    const api = await withApi(t);
    api.script.metadata = () => ({
      status: 403,
      text: `The provided API key is invalid. key=${STREETVIEW_KEY} (${STREETVIEW_KEY})`,
    });
    const studio = await openCollectStudio(t, api);
    const events: JobEvent[] = [];
    const { value: error, text } = await captureConsole(() =>
      failure(
        studio.client.runJob(
          'collect.start',
          { provider: 'streetview', cities: ['Paris'], count: 2 },
          (e) => events.push(e),
        ),
      ),
    );
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /refused the key \(HTTP 403\)/);
    assert.match(error.message, /key=REDACTED/);
    assert.equal(error.message.includes(STREETVIEW_KEY), false);
    assert.equal(api.count(METADATA), 1);
    const [run] = await studio.client.call('collect.runs', {});
    assert.equal(run?.status, 'failed');
    assert.equal(run?.error?.code, 'UNAUTHORIZED');
    assertNoKey(studio, [text, JSON.stringify(events)]);
  });

  it('treats REQUEST_DENIED like a refused key', async (t) => {
    const api = await withApi(t);
    api.script.metadata = () => ({
      json: {
        status: 'REQUEST_DENIED',
        error_message: `This API project is not authorized. key=${STREETVIEW_KEY}`,
      },
    });
    const studio = await openCollectStudio(t, api);
    const error = await failure(
      studio.client.runJob('collect.start', {
        provider: 'streetview',
        cities: ['Paris'],
        count: 1,
      }),
    );
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /REQUEST_DENIED/);
    assert.equal(error.message.includes(STREETVIEW_KEY), false);
    assert.equal(api.count(METADATA), 1);
    assertNoKey(studio);
  });

  it('backs off on 429 as Retry-After says, then carries on', async (t) => {
    const api = await withApi(t);
    api.script.image = (n, req) =>
      n < 2
        ? { status: 429, text: 'slow down', headers: { 'retry-after': '7' } }
        : { jpegOf: req.query.get('pano') ?? '' };
    const studio = await openCollectStudio(t, api);
    const result = await studio.client.runJob('collect.start', {
      provider: 'streetview',
      cities: ['Paris'],
      count: 2,
    });
    assert.equal(result.perCity[0]?.fetched, 2);
    assert.equal(api.count(IMAGE), 4);
    assert.equal(studio.clock.sleeps.filter((ms) => ms === 7000).length, 2);
  });

  it('stops the run as "quota" when 429 / OVER_QUERY_LIMIT never ends, after a bounded number of tries', async (t) => {
    const api = await withApi(t);
    api.script.metadata = () => ({ json: { status: 'OVER_QUERY_LIMIT' } });
    const studio = await openCollectStudio(t, api);
    const error = await failure(
      studio.client.runJob('collect.start', {
        provider: 'streetview',
        cities: ['Paris'],
        count: 2,
      }),
    );
    assert.equal(error.code, 'IO_ERROR');
    assert.equal(error.details?.reason, 'quota');
    assert.match(error.message, /quota/);
    assert.equal(api.count(METADATA), 4, 'the first try and 3 retries');
    // Exponential backoff: each pause longer than the one before (jitter is ±25%).
    const pauses = studio.clock.sleeps.filter((ms) => ms >= 300);
    assert.equal(pauses.length, 3);
    assert.ok((pauses[0] ?? 0) < (pauses[2] ?? 0));
  });

  it('retries a 500 and goes on; a 500 that never ends fails points and then stops the run', async (t) => {
    const api = await withApi(t);
    api.script.image = (n, req) =>
      n === 0 ? { status: 500, text: 'oops' } : { jpegOf: req.query.get('pano') ?? '' };
    const studio = await openCollectStudio(t, api);
    const ok = await studio.client.runJob('collect.start', {
      provider: 'streetview',
      cities: ['Paris'],
      count: 2,
    });
    assert.equal(ok.perCity[0]?.fetched, 2);
    assert.equal(ok.perCity[0]?.failed, 0);
    assert.equal(api.count(IMAGE), 3);

    api.script.metadata = () => ({ status: 500, text: 'down' });
    const before = api.count(METADATA);
    const error = await failure(
      studio.client.runJob('collect.start', {
        provider: 'streetview',
        cities: ['London'],
        count: 2,
      }),
    );
    assert.equal(error.code, 'IO_ERROR');
    assert.match(error.message, /failed 5 points in a row/);
    assert.equal(api.count(METADATA) - before, MAX_FAILURES_IN_A_ROW * 4);
    const run = await studio.client.call('collect.run', { runId: 2 });
    assert.equal(run.perCity[0]?.failed, MAX_FAILURES_IN_A_ROW);
    const reasons = studio.core
      .db()
      .prepare('SELECT reason FROM collect_points WHERE run_id = 2')
      .all() as { reason: string }[];
    for (const r of reasons) assert.match(r.reason, /HTTP 500: down \(4 tries\)/);
  });

  it('fails a point whose metadata is malformed JSON, with the reason, and draws a fresh one', async (t) => {
    const api = await withApi(t);
    api.script.metadata = (n, req) => {
      if (n < 2) return { text: '{"status": "OK", "pano_id": ' };
      const [lat, lng] = (req.query.get('location') ?? '').split(',').map(Number);
      return metadataOk(`pano-${n}`, lat, lng);
    };
    const studio = await openCollectStudio(t, api);
    const logs: string[] = [];
    const result = await studio.client.runJob(
      'collect.start',
      { provider: 'streetview', cities: ['Paris'], count: 2 },
      (e) => {
        if (e.type === 'log') logs.push(e.message);
      },
    );
    assert.deepEqual(result.perCity[0], {
      city: 'Paris',
      target: 2,
      fetched: 2,
      noImagery: 0,
      duplicates: 0,
      failed: 2,
      points: 4,
    });
    assert.equal(logs.filter((l) => /not valid JSON/.test(l)).length, 2);
  });

  it('caps the points drawn when a city has no imagery at all', async (t) => {
    const api = await withApi(t);
    api.script.metadata = () => ({ json: { status: 'ZERO_RESULTS' } });
    const studio = await openCollectStudio(t, api);
    const result = await studio.client.runJob('collect.start', {
      provider: 'streetview',
      cities: ['Paris'],
      count: 2,
      maxPointsPerCity: 7,
    });
    assert.equal(api.count(METADATA), 7);
    assert.equal(api.count(IMAGE), 0);
    assert.equal(result.perCity[0]?.noImagery, 7);
    assert.equal(result.import, null);
    assert.equal(result.warnings.length, 1);
  });

  it('resumes a cancelled run with the same points, never fetching a done point again', async (t) => {
    const api = await withApi(t);
    const studio = await openCollectStudio(t, api);
    let jobId = '';
    api.script.image = (n, req) => {
      if (n === 2) {
        void studio.client.call('jobs.cancel', { jobId });
        return { jpegOf: req.query.get('pano') ?? '', delayMs: 300 };
      }
      return { jpegOf: req.query.get('pano') ?? '' };
    };
    const error = await failure(
      studio.client.runJob(
        'collect.start',
        { provider: 'streetview', cities: ['Paris'], count: 5, seed: 3 },
        (e) => {
          jobId = e.jobId;
        },
      ),
    );
    assert.equal(error.code, 'CANCELLED');
    const cancelled = await studio.client.call('collect.run', { runId: 1 });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.perCity[0]?.fetched, 2);
    assert.equal(cancelled.imported, null);
    const locationsBefore = api.seen
      .filter((s) => s.path === METADATA)
      .map((s) => s.query.get('location'));
    assert.equal(locationsBefore.length, 3);

    // As if the app had been killed: the run still says running, its job is interrupted.
    studio.core.db().prepare(`UPDATE collect_runs SET status = 'running' WHERE id = 1`).run();
    studio.core.db().prepare(`UPDATE jobs SET status = 'interrupted'`).run();
    assert.equal((await studio.client.call('collect.run', { runId: 1 })).status, 'stopped');

    const result = await studio.client.runJob('collect.resume', { runId: 1 });
    assert.equal(result.status, 'done');
    assert.equal(result.fetchedNow, 3);
    assert.equal(result.perCity[0]?.fetched, 5);
    assert.equal(result.perCity[0]?.points, 5);
    const locationsAfter = api.seen
      .filter((s) => s.path === METADATA)
      .slice(3)
      .map((s) => s.query.get('location'));
    // The pending third point is asked about again, first; the two done ones never.
    assert.equal(locationsAfter[0], locationsBefore[2]);
    assert.equal(locationsAfter.includes(locationsBefore[0] ?? ''), false);
    assert.equal(locationsAfter.includes(locationsBefore[1] ?? ''), false);
    const panos = api.seen.filter((s) => s.path === IMAGE).map((s) => s.query.get('pano'));
    assert.equal(panos.filter((p) => p === 'pano-0').length, 1);
    assert.equal(panos.filter((p) => p === 'pano-1').length, 1);
    assert.equal(result.import?.imported, 5);
    assert.equal((await studio.client.call('images.list', { city: 'Paris' })).total, 5);
  });

  it('draws the points in a bounding box when one is given (one city only)', async (t) => {
    const api = await withApi(t);
    const studio = await openCollectStudio(t, api);
    const bbox: [number, number, number, number] = [2.3, 48.84, 2.32, 48.86];
    const result = await studio.client.runJob('collect.start', {
      provider: 'streetview',
      cities: ['Paris'],
      count: 3,
      bbox,
    });
    assert.equal(result.perCity[0]?.fetched, 3);
    for (const req of api.seen.filter((s) => s.path === METADATA)) {
      const [lat, lon] = (req.query.get('location') ?? '').split(',').map(Number);
      assert.ok(
        (lon ?? 0) >= 2.3 && (lon ?? 0) <= 2.32 && (lat ?? 0) >= 48.84 && (lat ?? 0) <= 48.86,
      );
    }
    const twoCities = await failure(
      studio.client.call('collect.start', {
        provider: 'streetview',
        cities: ['Paris', 'London'],
        count: 1,
        bbox,
      }),
    );
    assert.equal(twoCities.code, 'BAD_ARGUMENT');
    assert.match(twoCities.message, /exactly one/);
  });

  it('keeps keys to itself: status says only whether and where, and start needs one', async (t) => {
    const api = await withApi(t);
    const studio = await openCollectStudio(t, api, {});
    const none = await studio.client.call('collect.key.status', { provider: 'streetview' });
    assert.deepEqual(
      { set: none.set, place: none.place, writable: none.writable },
      { set: false, place: 'none', writable: true },
    );
    const error = await failure(
      studio.client.call('collect.start', { provider: 'streetview', cities: ['Paris'], count: 1 }),
    );
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /No Street View key is set/);
    assert.deepEqual(await studio.client.call('collect.runs', {}), []);

    const set = await studio.client.call('collect.key.set', {
      provider: 'streetview',
      key: STREETVIEW_KEY,
    });
    assert.equal(set.place, 'session');
    assert.equal(JSON.stringify(set).includes(STREETVIEW_KEY), false);
    const result = await studio.client.runJob('collect.start', {
      provider: 'streetview',
      cities: ['Paris'],
      count: 1,
    });
    assert.equal(result.perCity[0]?.fetched, 1);
    assert.equal(api.seen.find((s) => s.path === IMAGE)?.query.get('key'), STREETVIEW_KEY);
    assertNoKey(studio);
    const cleared = await studio.client.call('collect.key.clear', { provider: 'streetview' });
    assert.equal(cleared.set, false);

    const unknown = await failure(
      studio.client.call('collect.start', {
        provider: 'mapillary',
        cities: ['Atlantis'],
        count: 1,
      }),
    );
    assert.equal(unknown.code, 'UNAUTHORIZED');
  });
});
