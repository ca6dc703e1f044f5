import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { MAPILLARY_FIELDS } from '../../src/main/core/collect/mapillary';
import { mapillaryImage, startFakeApi, type FakeApi } from './collect-fake-api';
import {
  captureConsole,
  databaseBytes,
  MAPILLARY_TOKEN,
  openCollectStudio,
} from './collect-helpers';

async function withApi(t: { after(fn: () => Promise<void>): void }): Promise<FakeApi> {
  const api = await startFakeApi();
  t.after(() => api.close());
  return api;
}

/** Three pages for any box: [a, b] → [c] → [d]; `next` links carry the page number. */
function threePages(api: FakeApi): void {
  api.script.images = (_n, req) => {
    const page = Number(req.query.get('page') ?? '1');
    const [minLon, minLat, maxLon, maxLat] = (req.query.get('bbox') ?? '').split(',').map(Number);
    const lat = ((minLat ?? 0) + (maxLat ?? 0)) / 2;
    const lon = ((minLon ?? 0) + (maxLon ?? 0)) / 2;
    const ids = page === 1 ? ['a', 'b'] : page === 2 ? ['c'] : ['d'];
    const next = new URL(`${api.url}/images`);
    for (const [k, v] of req.query) next.searchParams.set(k, v);
    next.searchParams.set('page', String(page + 1));
    next.searchParams.set('after', `cursor${page}`);
    return {
      json: {
        data: ids.map((id) => mapillaryImage(api.url, id, lat, lon)),
        paging: page < 3 ? { cursors: { after: `cursor${page}` }, next: next.toString() } : {},
      },
    };
  };
}

describe('Mapillary collector (fake API on 127.0.0.1)', () => {
  it('pages through results for new images, sends the token only as an OAuth header, and keeps attribution', async (t) => {
    const api = await withApi(t);
    threePages(api);
    const studio = await openCollectStudio(t, api);
    const { value: result, text } = await captureConsole(() =>
      studio.client.runJob('collect.start', {
        provider: 'mapillary',
        cities: ['Sydney'],
        count: 4,
        maxPointsPerCity: 5,
      }),
    );
    // Each point takes the first image no run has yet: a, b (page 1), c (page 2), d (page 3).
    assert.deepEqual(result.perCity[0], {
      city: 'Sydney',
      target: 4,
      fetched: 4,
      noImagery: 0,
      duplicates: 0,
      failed: 0,
      points: 4,
    });
    const pages = api.seen.filter((s) => s.path === '/images');
    assert.deepEqual(
      pages.map((p) => p.query.get('page') ?? '1'),
      ['1', '1', '1', '2', '1', '2', '3'],
    );
    for (const page of pages) {
      assert.equal(page.headers.authorization, `OAuth ${MAPILLARY_TOKEN}`);
      assert.equal(page.query.get('fields'), MAPILLARY_FIELDS);
      assert.equal(page.query.get('limit'), '10');
      assert.equal(page.query.has('access_token'), false);
      const [minLon, minLat, maxLon, maxLat] = (page.query.get('bbox') ?? '')
        .split(',')
        .map(Number);
      assert.ok((minLon ?? 0) < (maxLon ?? 0) && (minLat ?? 0) < (maxLat ?? 0));
    }
    const thumbs = api.seen.filter((s) => s.path === '/thumbs');
    assert.equal(thumbs.length, 4);
    for (const thumb of thumbs) assert.equal(thumb.headers.authorization, undefined);

    const dest = join(studio.dir, 'collected', 'mapillary');
    assert.deepEqual(readdirSync(join(dest, 'Sydney')).sort(), [
      'mapillary-a.jpg',
      'mapillary-b.jpg',
      'mapillary-c.jpg',
      'mapillary-d.jpg',
    ]);
    const csv = readFileSync(join(dest, 'run-1.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 5);
    assert.match(
      csv[1] ?? '',
      /^Sydney\/mapillary-a\.jpg,Sydney,-?[\d.]+,-?[\d.]+,mapillary,a,2020-09-13T12:26:40\.000Z,mapper_a \(Mapillary image a\),CC BY-SA 4\.0$/,
    );
    assert.equal(result.import?.imported, 4);
    assert.equal((await studio.client.call('images.list', { city: 'Sydney' })).total, 4);

    // A fifth point finds only images already taken on all three pages: a duplicate, not a fetch.
    const more = await studio.client.runJob('collect.start', {
      provider: 'mapillary',
      cities: ['Sydney'],
      count: 1,
      maxPointsPerCity: 1,
    });
    assert.equal(more.perCity[0]?.duplicates, 1);
    assert.equal(api.seen.filter((s) => s.path === '/thumbs').length, 4);

    assert.equal(databaseBytes(studio.dir).includes(Buffer.from(MAPILLARY_TOKEN)), false);
    assert.equal(JSON.stringify(studio.events).includes(MAPILLARY_TOKEN), false);
    assert.equal(text.includes(MAPILLARY_TOKEN), false);
  });

  it('counts an empty box as no imagery, fails a malformed page with its reason, and stops on 401', async (t) => {
    const api = await withApi(t);
    api.script.images = (n, req) => {
      if (n === 0) return { json: { data: [] } };
      if (n === 1) return { text: '<html>gateway</html>' };
      if (n === 2) return { json: { data: 'nope' } };
      const [minLon, minLat] = (req.query.get('bbox') ?? '').split(',').map(Number);
      return { json: { data: [mapillaryImage(api.url, `img${n}`, minLat ?? 0, minLon ?? 0)] } };
    };
    const studio = await openCollectStudio(t, api);
    const logs: string[] = [];
    const result = await studio.client.runJob(
      'collect.start',
      { provider: 'mapillary', cities: ['Paris'], count: 1 },
      (e) => {
        if (e.type === 'log') logs.push(e.message);
      },
    );
    assert.equal(result.perCity[0]?.noImagery, 1);
    assert.equal(result.perCity[0]?.failed, 2);
    assert.equal(result.perCity[0]?.fetched, 1);
    assert.ok(logs.some((l) => /page 1: the answer is not valid JSON/.test(l)));
    assert.ok(logs.some((l) => /no "data" list/.test(l)));

    api.script.images = () => ({
      status: 401,
      json: {
        error: { message: `Invalid OAuth access token: OAuth ${MAPILLARY_TOKEN}`, code: 190 },
      },
    });
    const before = api.seen.length;
    let error: unknown = null;
    try {
      await studio.client.runJob('collect.start', {
        provider: 'mapillary',
        cities: ['Paris'],
        count: 1,
      });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /Mapillary refused the key \(HTTP 401\)/);
    assert.equal(error.message.includes(MAPILLARY_TOKEN), false);
    assert.equal(api.seen.length - before, 1);
  });
});
