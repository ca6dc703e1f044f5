import type Database from 'better-sqlite3';
import { PAPER_CITIES } from '../../../../shared/domain/cities';
import type { Migration } from '../migration';

/** Decompression-bomb guard: images whose header claims more pixels than this are refused. */
export const DEFAULT_MAX_IMAGE_PIXELS = 100_000_000;

/**
 * The photo library. Design notes:
 * - `images` carries the *current* label (city_id + label_source) and split, denormalised from the
 *   append-only `labels` history, so listing and filtering 100k images is one indexed table scan.
 * - Keyset paging walks `id`; every filter has an index ending in `id` so a page is a range scan.
 * - Path search uses a trigram full-text index (images_fts) for selective terms.
 * - Deleting a city clears the current label of its images (trigger) and its history (cascade).
 */
export const migration001Library: Migration = {
  version: 1,
  name: '001-library',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE library (
        id               INTEGER PRIMARY KEY CHECK (id = 1),
        created_at       TEXT NOT NULL,
        split_train      REAL NOT NULL,
        split_val        REAL NOT NULL,
        split_test       REAL NOT NULL,
        split_seed       INTEGER NOT NULL,
        split_spatial_km REAL,
        max_image_pixels INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE cities (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        country    TEXT NOT NULL DEFAULT '',
        lat        REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lon        REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
        radius_km  REAL NOT NULL CHECK (radius_km > 0),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL,
        status           TEXT NOT NULL
                         CHECK (status IN ('queued','running','done','failed','cancelled','interrupted')),
        params_json      TEXT NOT NULL,
        progress_done    INTEGER NOT NULL DEFAULT 0,
        progress_total   INTEGER NOT NULL DEFAULT 0,
        progress_message TEXT,
        result_json      TEXT,
        error_json       TEXT,
        owner_pid        INTEGER,
        created_at       TEXT NOT NULL,
        started_at       TEXT,
        finished_at      TEXT,
        updated_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX jobs_status ON jobs (status);
      CREATE INDEX jobs_created ON jobs (created_at);

      CREATE TABLE import_runs (
        id          INTEGER PRIMARY KEY,
        job_id      TEXT REFERENCES jobs (id) ON DELETE SET NULL,
        params_json TEXT NOT NULL,
        status      TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        report_json TEXT
      ) STRICT;
      CREATE INDEX import_runs_job ON import_runs (job_id);

      CREATE TABLE images (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE,
        content_hash  TEXT NOT NULL UNIQUE,
        bytes         INTEGER NOT NULL,
        mtime_ms      INTEGER NOT NULL,
        width         INTEGER NOT NULL,
        height        INTEGER NOT NULL,
        format        TEXT NOT NULL,
        taken_at      TEXT,
        lat           REAL,
        lon           REAL,
        source        TEXT NOT NULL,
        import_run_id INTEGER REFERENCES import_runs (id) ON DELETE SET NULL,
        imported_at   TEXT NOT NULL,
        city_id       INTEGER REFERENCES cities (id),
        label_source  TEXT CHECK (label_source IN ('folder','csv','gps','human','model')),
        split         TEXT CHECK (split IN ('train','val','test')),
        CHECK ((city_id IS NULL) = (label_source IS NULL))
      ) STRICT;
      CREATE INDEX images_city ON images (city_id, id);
      CREATE INDEX images_city_split ON images (city_id, split, id);
      CREATE INDEX images_split ON images (split, id);
      CREATE INDEX images_label_source ON images (label_source, id);
      CREATE INDEX images_labeled ON images ((city_id IS NOT NULL), id);
      CREATE INDEX images_position ON images (lat, lon) WHERE lat IS NOT NULL;
      CREATE INDEX images_run ON images (import_run_id);

      -- Substring search over paths: a trigram index answers "%term%" for terms of 3+ characters
      -- without scanning the table. Kept in step with images by triggers.
      CREATE VIRTUAL TABLE images_fts USING fts5 (
        path, content = 'images', content_rowid = 'id', tokenize = 'trigram'
      );
      CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN
        INSERT INTO images_fts (rowid, path) VALUES (new.id, new.path);
      END;
      CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN
        INSERT INTO images_fts (images_fts, rowid, path) VALUES ('delete', old.id, old.path);
      END;
      CREATE TRIGGER images_fts_update AFTER UPDATE OF path ON images BEGIN
        INSERT INTO images_fts (images_fts, rowid, path) VALUES ('delete', old.id, old.path);
        INSERT INTO images_fts (rowid, path) VALUES (new.id, new.path);
      END;

      CREATE TABLE labels (
        id         INTEGER PRIMARY KEY,
        image_id   INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        city_id    INTEGER REFERENCES cities (id) ON DELETE CASCADE,
        source     TEXT NOT NULL CHECK (source IN ('folder','csv','gps','human','model')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX labels_image ON labels (image_id, id);
      CREATE INDEX labels_city ON labels (city_id);

      CREATE TRIGGER cities_clear_current_labels BEFORE DELETE ON cities
      BEGIN
        UPDATE images SET city_id = NULL, label_source = NULL WHERE city_id = OLD.id;
      END;
    `);

    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO library (id, created_at, split_train, split_val, split_test, split_seed,
                            split_spatial_km, max_image_pixels)
       VALUES (1, ?, 0.9, 0.05, 0.05, 1, NULL, ?)`,
    ).run(now, DEFAULT_MAX_IMAGE_PIXELS);
    const city = db.prepare(
      'INSERT INTO cities (name, country, lat, lon, radius_km, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const c of PAPER_CITIES) city.run(c.name, c.country, c.lat, c.lon, c.radiusKm, now);
  },
};
