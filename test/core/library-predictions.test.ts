import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { ImagePage } from '../../src/shared/contract/library-types';
import type { ParamsIn } from '../../src/shared/contract/methods';
import { dispatch } from '../../src/shared/contract/dispatch';
import { migrate } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { Sql } from '../../src/main/core/db/sql';
import { storePredictions } from '../../src/main/core/ml-jobs/models-repo';
import { insertImages, openStudio, tempDir, type Studio } from './helpers';
import { insertTestModel, insertTestPredictions } from './prediction-rows';

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

/**
 * Five images: a Paris photo predicted Paris (0.9), a Paris photo predicted London (0.4), a London
 * photo predicted London (0.6), an unlabeled photo predicted Paris (0.7), and one never predicted.
 */
async function fiveImages(t: Parameters<typeof openStudio>[0]) {
  const studio = await openStudio(t);
  const [a, b, c, d, e] = insertImages(studio.core, [
    { path: '/p/a.jpg', city: 'Paris' },
    { path: '/p/b.jpg', city: 'Paris' },
    { path: '/p/c.jpg', city: 'London' },
    { path: '/p/d.jpg', city: null },
    { path: '/p/e.jpg', city: 'London' },
  ]) as [number, number, number, number, number];
  const db = studio.core.db();
  insertTestModel(db, 'm1');
  insertTestPredictions(db, [
    { modelId: 'm1', imageId: a, top: top('Paris', 0.9) },
    { modelId: 'm1', imageId: b, top: top('London', 0.4) },
    { modelId: 'm1', imageId: c, top: top('London', 0.6) },
    { modelId: 'm1', imageId: d, top: top('Paris', 0.7) },
  ]);
  return { studio, a, b, c, d, e };
}

describe('images.list by latest prediction', () => {
  it('carries the latest prediction on every item and on images.get', async (t) => {
    const { studio, a, e } = await fiveImages(t);
    const page = await studio.client.call('images.list', {});
    const first = page.items.find((i) => i.id === a);
    assert.deepEqual(
      first?.prediction && { ...first.prediction, createdAt: typeof first.prediction.createdAt },
      { city: 'Paris', probability: 0.9, modelId: 'm1', createdAt: 'string' },
    );
    assert.equal(page.items.find((i) => i.id === e)?.prediction, null);
    const detail = await studio.client.call('images.get', { id: a });
    assert.equal(detail.prediction?.city, 'Paris');
    assert.equal(detail.prediction?.modelId, 'm1');
    assert.equal((await studio.client.call('images.get', { id: e })).prediction, null);
  });

  it('filters by predicted city (case-insensitive), correctness and confidence', async (t) => {
    const { studio, a, b, c, d } = await fiveImages(t);
    assert.deepEqual(await ids(studio, { predicted: 'Paris' }), [a, d]);
    assert.deepEqual(await ids(studio, { predicted: 'london' }), [b, c]);
    assert.deepEqual(await ids(studio, { predicted: 'Tokyo' }), []);
    // Unlabeled d is neither correct nor wrong; e has no prediction.
    assert.deepEqual(await ids(studio, { correctness: 'correct' }), [a, c]);
    assert.deepEqual(await ids(studio, { correctness: 'wrong' }), [b]);
    assert.deepEqual(await ids(studio, { minConfidence: 0.6 }), [a, c, d]);
    assert.deepEqual(await ids(studio, { maxConfidence: 0.6 }), [b, c]);
    assert.deepEqual(await ids(studio, { minConfidence: 0.5, maxConfidence: 0.8 }), [c, d]);
    assert.deepEqual(await ids(studio, { minConfidence: 0, maxConfidence: 1 }), [a, b, c, d]);
    // Combined with the image filters (the count then joins both tables).
    assert.deepEqual(await ids(studio, { city: 'Paris', predicted: 'London' }), [b]);
    assert.deepEqual(await ids(studio, { labeled: true, predicted: 'Paris' }), [a]);
    assert.deepEqual(await ids(studio, { city: 'London', correctness: 'correct' }), [c]);
  });

  it('pages prediction-filtered lists with the keyset cursor', async (t) => {
    const studio = await openStudio(t);
    const images = insertImages(
      studio.core,
      Array.from({ length: 25 }, (_, i) => ({ path: `/q/${i}.jpg`, city: 'Sydney' })),
    );
    insertTestModel(studio.core.db(), 'm');
    insertTestPredictions(
      studio.core.db(),
      images.map((imageId, i) => ({
        modelId: 'm',
        imageId,
        top: top(i % 2 === 0 ? 'Sydney' : 'Paris', 0.5),
      })),
    );
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: ImagePage = await studio.client.call('images.list', {
        cursor,
        limit: 5,
        correctness: 'correct',
      });
      assert.equal(page.total, 13);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(
      seen,
      images.filter((_, i) => i % 2 === 0),
    );
  });

  it('"latest" is the last prediction written, whatever the model; removals fall back', async (t) => {
    const { studio, a, d } = await fiveImages(t);
    const db = studio.core.db();
    insertTestModel(db, 'm2');
    insertTestPredictions(db, [{ modelId: 'm2', imageId: a, top: top('Rome', 0.55) }]);
    let item = await studio.client.call('images.get', { id: a });
    assert.deepEqual([item.prediction?.city, item.prediction?.modelId], ['Rome', 'm2']);
    assert.deepEqual(await ids(studio, { predicted: 'Paris' }), [d]);

    // m1 predicts again (through the real storePredictions): it is the latest once more.
    storePredictions(new Sql(db), 'm1', 'center', 'job-2', [
      { imageId: a, path: '/p/a.jpg', top: top('Berlin', 0.8), oodScore: null, unknown: false },
    ]);
    item = await studio.client.call('images.get', { id: a });
    assert.deepEqual([item.prediction?.city, item.prediction?.probability], ['Berlin', 0.8]);

    // Removing model m1 (its predictions cascade) falls back to m2's answer.
    db.prepare("DELETE FROM models WHERE id = 'm1'").run();
    item = await studio.client.call('images.get', { id: a });
    assert.deepEqual([item.prediction?.city, item.prediction?.modelId], ['Rome', 'm2']);
    assert.deepEqual(await ids(studio, { predicted: 'London' }), []);
    db.prepare("DELETE FROM models WHERE id = 'm2'").run();
    assert.equal((await studio.client.call('images.get', { id: a })).prediction, null);
    assert.equal(db.prepare('SELECT COUNT(*) FROM latest_predictions').pluck().get(), 0);
  });

  it('correctness follows relabelling, label clearing, city removal and image removal', async (t) => {
    const { studio, a, b, c, d } = await fiveImages(t);
    await studio.client.call('labels.set', { imageIds: [b], city: 'London' });
    await studio.client.call('labels.set', { imageIds: [a], city: null });
    await studio.client.call('labels.set', { imageIds: [d], city: 'paris' });
    assert.deepEqual(await ids(studio, { correctness: 'correct' }), [b, c, d]);
    assert.deepEqual(await ids(studio, { correctness: 'wrong' }), []);
    await studio.client.call('cities.remove', { name: 'London' });
    assert.deepEqual(await ids(studio, { correctness: 'correct' }), [d]);
    // The prediction still names London even though the library no longer has that city.
    assert.deepEqual(await ids(studio, { predicted: 'London' }), [b, c]);
    studio.core.db().prepare('DELETE FROM images WHERE id = ?').run(d);
    assert.deepEqual(await ids(studio, { predicted: 'Paris' }), [a]);
  });

  it('validates the new parameters like the others', async (t) => {
    const { studio } = await fiveImages(t);
    const bad: Record<string, unknown>[] = [
      { correctness: 'maybe' },
      { minConfidence: -0.1 },
      { maxConfidence: 1.5 },
      { minConfidence: 0.8, maxConfidence: 0.2 },
      { predicted: '' },
    ];
    for (const params of bad) {
      const result = await dispatch(studio.core.handlers, 'images.list', params);
      assert.equal(result.ok, false, JSON.stringify(params));
      assert.equal(!result.ok && result.error.code, 'BAD_ARGUMENT', JSON.stringify(params));
    }
  });

  it('migration 003 back-fills predictions stored before it', (t) => {
    const path = join(tempDir(t), 'old.sqlite');
    const db = new Database(path);
    t.after(() => db.close());
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    const cityId = db.prepare("SELECT id FROM cities WHERE name = 'Paris'").pluck().get();
    const insert = db.prepare(
      `INSERT INTO images (path, content_hash, bytes, mtime_ms, width, height, format, source,
                           imported_at, city_id, label_source)
       VALUES (?, ?, 1, 0, 1, 1, 'jpeg', 't', 'now', ?, 'folder')`,
    );
    const image = Number(insert.run('/x.jpg', 'h1', cityId).lastInsertRowid);
    insertTestModel(db, 'old');
    insertTestModel(db, 'newer');
    insertTestPredictions(db, [
      { modelId: 'old', imageId: image, top: top('Rome', 0.9) },
      { modelId: 'newer', imageId: image, top: top('Paris', 0.7) },
    ]);
    migrate(db, MIGRATIONS);
    assert.deepEqual(
      db
        .prepare('SELECT image_id, model_id, city, probability, correct FROM latest_predictions')
        .all(),
      [{ image_id: image, model_id: 'newer', city: 'Paris', probability: 0.7, correct: 1 }],
    );
  });
});
