// Migration 010 on a library that already holds photos and labels: the label source check grows
// by 'queue' in place (rows, foreign keys and indexes untouched), a second connection sees the new
// schema, and anything outside the list is still refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { openDatabase } from '../../src/main/platform/open-database';
import { tempDir } from './helpers';

const BEFORE = MIGRATIONS.slice(0, 9);

describe('migration 010 (labeling)', () => {
  it('lets label sources be queue on an existing library, keeping its rows', (t) => {
    const path = join(tempDir(t), 'library.sqlite');
    const db = openDatabase(path);
    t.after(() => db.close());
    migrate(db, BEFORE);
    db.prepare(
      `INSERT INTO images (id, path, content_hash, bytes, mtime_ms, width, height, format, source,
                           imported_at, city_id, label_source)
       VALUES (1, '/p/a.jpg', 'h1', 1, 1, 10, 10, 'jpeg', 'folder', 'now', 1, 'folder')`,
    ).run();
    db.prepare(
      "INSERT INTO labels (image_id, city_id, source, created_at) VALUES (1, 1, 'folder', 'now')",
    ).run();
    const other = new Database(path);
    t.after(() => other.close());
    assert.throws(() =>
      other.prepare("UPDATE images SET label_source = 'queue' WHERE id = 1").run(),
    );

    // 010 (this one) and every later migration.
    assert.equal(migrate(db).applied[0], 10);
    db.prepare("UPDATE images SET label_source = 'queue' WHERE id = 1").run();
    db.prepare(
      "INSERT INTO labels (image_id, city_id, source, created_at) VALUES (1, 2, 'queue', 'now')",
    ).run();
    // The other connection re-reads the schema (its version changed) and accepts it too.
    other.prepare("UPDATE images SET label_source = 'queue' WHERE id = 1").run();
    assert.throws(
      () => db.prepare("UPDATE images SET label_source = 'robot' WHERE id = 1").run(),
      /CHECK constraint failed/,
    );
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number }).n, 2);
    assert.equal(
      (db.prepare('SELECT retrain_every AS n FROM labeling_settings').get() as { n: number }).n,
      25,
    );
    // Foreign keys still hold: the exclusion of a photo goes with it.
    db.prepare("INSERT INTO training_exclusions VALUES (1, 'test', 'now')").run();
    db.prepare('DELETE FROM images WHERE id = 1').run();
    assert.equal(
      (db.prepare('SELECT COUNT(*) AS n FROM training_exclusions').get() as { n: number }).n,
      0,
    );
  });
});
