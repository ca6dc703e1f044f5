import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

const OLD_SOURCES = "IN ('folder','csv','gps','human','model')";
const NEW_SOURCES = "IN ('folder','csv','gps','human','model','queue')";

/**
 * The labeling queues (issue #15). Design notes:
 * - Label source 'queue' marks labels given through the queues. The CHECK constraints of
 *   `images.label_source` and `labels.source` only grow by one value, which every stored row
 *   already satisfies, so their text is edited in place (the procedure SQLite documents for
 *   loosening a constraint without rewriting data, with schema_version bumped so every connection
 *   re-reads it) instead of rebuilding `images`: a rebuild would drop a table that many others
 *   reference with ON DELETE CASCADE, which a migration running inside a transaction (foreign keys
 *   on) cannot do safely.
 * - `training_exclusions` is a flag of its own, apart from the label: "not a street photo / none of
 *   these" takes a photo out of training and out of the queues whatever its label says.
 * - `label_events` records every answer with what it replaced, so each can be undone (newest first
 *   per queue); `undone_at` marks undone ones rather than deleting, so the history stays whole.
 * - `label_curve`: the live learning curve (validation accuracy of each background retrain).
 */
export const migration010Labeling: Migration = {
  version: 10,
  name: '010-labeling',
  up(db: Database.Database): void {
    const version = db.pragma('schema_version', { simple: true }) as number;
    db.unsafeMode(true);
    try {
      db.pragma('writable_schema = ON');
      const edit = db.prepare(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
      );
      for (const table of ['images', 'labels']) {
        if (edit.run(OLD_SOURCES, NEW_SOURCES, table).changes !== 1) {
          throw new Error(`010-labeling: the label source check of '${table}' was not found`);
        }
      }
      db.pragma(`schema_version = ${version + 1}`);
      db.pragma('writable_schema = OFF');
    } finally {
      db.unsafeMode(false);
    }

    db.exec(`
      CREATE TABLE training_exclusions (
        image_id   INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        reason     TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE label_events (
        id              INTEGER PRIMARY KEY,
        queue           TEXT NOT NULL CHECK (queue IN ('next', 'suspects')),
        model_id        TEXT NOT NULL,
        image_id        INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        action          TEXT NOT NULL CHECK (action IN ('label', 'skip', 'exclude', 'keep', 'change')),
        city_id         INTEGER REFERENCES cities (id) ON DELETE SET NULL,
        before_city_id  INTEGER,
        before_source   TEXT,
        before_excluded INTEGER NOT NULL CHECK (before_excluded IN (0, 1)),
        created_at      TEXT NOT NULL,
        undone_at       TEXT
      ) STRICT;
      CREATE INDEX label_events_queue ON label_events (queue, undone_at, id);
      CREATE INDEX label_events_image ON label_events (image_id);

      CREATE TABLE label_curve (
        id           INTEGER PRIMARY KEY,
        model_id     TEXT NOT NULL,
        labels       INTEGER NOT NULL,
        val_accuracy REAL,
        val_count    INTEGER NOT NULL,
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX label_curve_model ON label_curve (model_id, id);

      CREATE TABLE labeling_settings (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        retrain_every INTEGER NOT NULL CHECK (retrain_every >= 1)
      ) STRICT;
      INSERT INTO labeling_settings (id, retrain_every) VALUES (1, 25);
    `);
  },
};
