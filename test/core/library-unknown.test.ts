import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParamsIn } from '../../src/shared/contract/methods';
import { dispatch } from '../../src/shared/contract/dispatch';
import { Sql } from '../../src/main/core/db/sql';
import { setUnknownKeepRate, storePredictions } from '../../src/main/core/ml-jobs/models-repo';
import { insertImages, openStudio, type Studio } from './helpers';
import { insertTestModel } from './prediction-rows';

const top = (city: string, probability: number) => [
  { city, probability },
  { city: 'Other', probability: 1 - probability },
];

/** Ids of one full listing with these filters (one page of up to 1000). */
async function ids(studio: Studio, filters: ParamsIn<'images.list'>): Promise<number[]> {
  const page = await studio.client.call('images.list', { limit: 1000, ...filters });
  assert.equal(page.total, page.items.length, 'total agrees with the items of a single page');
  return page.items.map((i) => i.id);
}

/** Open-set statistics as a bundle stores them: default threshold 2, scores 0..10 evenly. */
const OPEN_SET = {
  method: 'mahalanobis',
  temperature: 1.5,
  threshold: 2,
  keepRate: 0.95,
  fittedOn: 'val',
  count: 100,
  shrinkage: 0.1,
  quantiles: Array.from({ length: 101 }, (_, i) => i / 10),
};

/**
 * Five images: a (score 1, kept), b (score 3, unknown at the default threshold 2), c (score 7,
 * unknown), d predicted by a model without open-set statistics, e never predicted.
 */
async function fiveImages(t: Parameters<typeof openStudio>[0]) {
  const studio = await openStudio(t);
  const [a, b, c, d, e] = insertImages(studio.core, [
    { path: '/p/a.jpg', city: 'Paris' },
    { path: '/p/b.jpg', city: 'Paris' },
    { path: '/p/c.jpg', city: null },
    { path: '/p/d.jpg', city: 'London' },
    { path: '/p/e.jpg', city: 'London' },
  ]) as [number, number, number, number, number];
  const db = studio.core.db();
  insertTestModel(db, 'open');
  db.prepare('UPDATE models SET meta_json = ? WHERE id = ?').run(
    // Just the fields the model listing reads, plus the open-set statistics.
    JSON.stringify({
      classes: ['London', 'Paris'],
      backbone: { name: 'test-backbone' },
      hasUpper: false,
      openSet: OPEN_SET,
    }),
    'open',
  );
  insertTestModel(db, 'old');
  const sql = new Sql(db);
  const row = (imageId: number, city: string, oodScore: number | null) => ({
    imageId,
    path: `/p/${imageId}.jpg`,
    top: top(city, 0.9),
    oodScore,
    unknown: false,
  });
  storePredictions(sql, 'open', 'center', 'job-1', [
    row(a, 'Paris', 1),
    row(b, 'Paris', 3),
    row(c, 'London', 7),
  ]);
  storePredictions(sql, 'old', 'center', 'job-2', [row(d, 'London', null)]);
  return { studio, sql, a, b, c, d, e };
}

describe('images.list: the model\'s "unknown" answers', () => {
  it("filters by the latest prediction's oodScore against its model's default threshold", async (t) => {
    const { studio, a, b, c, d } = await fiveImages(t);
    assert.deepEqual(await ids(studio, { unknown: true }), [b, c]);
    // A model without statistics never answers unknown; e has no prediction at all.
    assert.deepEqual(await ids(studio, { unknown: false }), [a, d]);
    // Combined with an image filter (the count then joins both tables) and a prediction filter.
    assert.deepEqual(await ids(studio, { city: 'Paris', unknown: true }), [b]);
    assert.deepEqual(await ids(studio, { predicted: 'London', unknown: false }), [d]);
    // No filter: nothing left out.
    assert.equal((await studio.client.call('images.list', {})).total, 5);
  });

  it('marks unknown items on images.list and images.get', async (t) => {
    const { studio, a, b, c, d, e } = await fiveImages(t);
    const page = await studio.client.call('images.list', {});
    assert.deepEqual(
      page.items.map((i) => [i.id, i.unknown]),
      [
        [a, false],
        [b, true],
        [c, true],
        [d, false],
        [e, false],
      ],
    );
    assert.equal((await studio.client.call('images.get', { id: b })).unknown, true);
    assert.equal((await studio.client.call('images.get', { id: a })).unknown, false);
    assert.equal((await studio.client.call('images.get', { id: e })).unknown, false);
  });

  it("follows the user's threshold and its reset at once", async (t) => {
    const { studio, sql, b, c } = await fiveImages(t);
    // Keeping 50% of the validation photos: threshold 5, so only c (7) stays unknown.
    assert.equal(setUnknownKeepRate(sql, 'open', 0.5).openSet?.threshold, 5);
    assert.deepEqual(await ids(studio, { unknown: true }), [c]);
    assert.equal((await studio.client.call('images.get', { id: b })).unknown, false);
    setUnknownKeepRate(sql, 'open', null);
    assert.deepEqual(await ids(studio, { unknown: true }), [b, c]);
  });

  it('reads only the latest prediction', async (t) => {
    const { studio, sql, b, c } = await fiveImages(t);
    // The old model predicts b afterwards: its answer (no score) is now the latest.
    storePredictions(sql, 'old', 'center', 'job-3', [
      { imageId: b, path: '/p/b.jpg', top: top('Paris', 0.6), oodScore: null, unknown: false },
    ]);
    assert.deepEqual(await ids(studio, { unknown: true }), [c]);
  });

  it('rejects a non-boolean filter', async (t) => {
    const { studio } = await fiveImages(t);
    const result = await dispatch(studio.core.handlers, 'images.list', { unknown: 'yes' });
    assert.equal(!result.ok && result.error.code, 'BAD_ARGUMENT');
  });
});
