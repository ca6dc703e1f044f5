import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Split } from '../../src/shared/contract/library-types';
import { haversineKm } from '../../src/shared/domain/geo';
import { mulberry32 } from '../../src/shared/domain/random';
import { splitCounts } from '../../src/shared/domain/splits';
import {
  importAll,
  insertImages,
  makeJpeg,
  openStudio,
  tempDir,
  type FakeImage,
  type Studio,
} from './helpers';

const CITY_CENTRES = {
  Paris: [48.8566, 2.3522],
  London: [51.5072, -0.1276],
  Moscow: [55.7558, 37.6173],
} as const;

/** Per city: 12 tight groups of 4 photos (within ~150 m), groups km apart, plus 8 without GPS. */
function photoSet(): FakeImage[] {
  const rnd = mulberry32(42);
  const out: FakeImage[] = [];
  for (const [city, [lat, lon]] of Object.entries(CITY_CENTRES)) {
    for (let g = 0; g < 12; g++) {
      const gLat = lat + (rnd() - 0.5) * 0.3;
      const gLon = lon + (rnd() - 0.5) * 0.4;
      for (let k = 0; k < 4; k++) {
        out.push({
          path: `/s/${city}/g${g}-${k}.jpg`,
          city,
          lat: gLat + (rnd() - 0.5) * 0.001,
          lon: gLon + (rnd() - 0.5) * 0.001,
        });
      }
    }
    for (let k = 0; k < 8; k++) out.push({ path: `/s/${city}/nogps-${k}.jpg`, city });
  }
  return out;
}

type Row = {
  id: number;
  city: string;
  split: Split | null;
  lat: number | null;
  lon: number | null;
};

function rows(studio: Studio): Row[] {
  return studio.core
    .db()
    .prepare(
      'SELECT i.id, c.name AS city, i.split, i.lat, i.lon FROM images i LEFT JOIN cities c ON c.id = i.city_id ORDER BY i.id',
    )
    .all() as Row[];
}

describe('split.assign', () => {
  it('stratifies by city with exact counts, reproducibly, and a new seed reshuffles', async (t) => {
    const studio = await openStudio(t);
    insertImages(studio.core, [...photoSet(), { path: '/s/unlabeled.jpg' }]);
    const config = { train: 0.7, val: 0.15, test: 0.15, seed: 7 };
    const summary = await studio.client.call('split.assign', config);
    assert.deepEqual(summary.config, { ...config, spatialKm: null });
    assert.equal(summary.clusters, null);
    const expected = splitCounts(56, config);
    for (const city of Object.keys(CITY_CENTRES)) {
      const entry = summary.perCity.find((p) => p.city === city);
      assert.deepEqual(entry, { city, ...expected });
    }
    assert.deepEqual(summary.counts, {
      train: expected.train * 3,
      val: expected.val * 3,
      test: expected.test * 3,
    });
    const first = rows(studio);
    assert.equal(first.find((r) => r.city === null)?.split, null, 'unlabeled images have no split');

    await studio.client.call('split.assign', config);
    assert.deepEqual(rows(studio), first, 'same seed, same assignment');
    await studio.client.call('split.assign', { ...config, seed: 8 });
    const reseeded = rows(studio);
    const moved = reseeded.filter((r, i) => r.split !== first[i]?.split).length;
    assert.ok(moved > 20, `a new seed moves images (${moved})`);
    assert.deepEqual((await studio.client.call('library.info', {})).splitConfig, {
      ...config,
      seed: 8,
      spatialKm: null,
    });
    assert.ok(studio.events.some((e) => e.channel === 'library' && e.payload.what === 'splits'));
  });

  it('keeps images within spatialKm of each other in one split', async (t) => {
    const studio = await openStudio(t);
    insertImages(studio.core, photoSet());
    const km = 1;
    const summary = await studio.client.call('split.assign', {
      train: 0.6,
      val: 0.2,
      test: 0.2,
      seed: 3,
      spatialKm: km,
    });
    assert.ok(
      summary.clusters !== null && summary.clusters >= 36 + 24 && summary.clusters <= 36 + 24 + 5,
    );
    const all = rows(studio).filter((r) => r.lat !== null && r.lon !== null);
    let pairs = 0;
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const a = all[i] as Row;
        const b = all[j] as Row;
        if (
          haversineKm(a as { lat: number; lon: number }, b as { lat: number; lon: number }) <= km
        ) {
          pairs++;
          assert.equal(
            a.split,
            b.split,
            `images ${a.id} and ${b.id} are within ${km} km but straddle splits`,
          );
        }
      }
    }
    assert.ok(pairs >= 3 * 12 * 6, `the set has close pairs to check (${pairs})`);
    // Whole groups still land near the ratios, in every city.
    for (const entry of summary.perCity) {
      assert.ok(entry.train >= 26 && entry.train <= 40, JSON.stringify(entry));
      assert.ok(entry.val >= 6 && entry.test >= 6, JSON.stringify(entry));
    }
    // Reproducible with spatial clustering too.
    const before = rows(studio);
    await studio.client.call('split.assign', {
      train: 0.6,
      val: 0.2,
      test: 0.2,
      seed: 3,
      spatialKm: km,
    });
    assert.deepEqual(rows(studio), before);
  });

  it('new imports follow the current split config', async (t) => {
    const studio = await openStudio(t);
    await studio.client.call('split.assign', { train: 0, val: 0, test: 1, seed: 5 });
    const dir = tempDir(t);
    await makeJpeg(join(dir, 'Sydney', 'a.jpg'), { seed: 40_000 });
    await makeJpeg(join(dir, 'Sydney', 'b.jpg'), { seed: 40_001 });
    await importAll(studio.client, { paths: [dir] });
    assert.deepEqual(
      rows(studio).map((r) => r.split),
      ['test', 'test'],
    );
    await assert.rejects(studio.client.call('split.assign', { train: 0.5, val: 0.1, test: 0.1 }), {
      code: 'BAD_ARGUMENT',
      message: /add up to 1/,
    });
  });
});
