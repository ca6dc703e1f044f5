import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * The ML side of a library. Design notes:
 * - `features` caches one penultimate-layer vector per (backbone, image, view) as a float32 blob
 *   (5 KB for MobileNetV2). A row is valid only while its `content_hash` equals the image's and its
 *   `backbone_sha256` equals the backbone folder's; anything else is recomputed and overwritten.
 *   The ML host process reads and writes this table over its own connection (WAL), so feature
 *   arrays never cross the IPC channel.
 * - `runs` is one row per train job; its status is the job's (joined), so a crash that marks the
 *   job 'interrupted' needs no second bookkeeping. The epoch history is appended as epochs end.
 * - `models` registers the bundle folders under <library>/models/<id>/ with their metadata.
 * - `evaluations` and `predictions` keep reports and top-k answers per model; they go with it.
 */
export const migration002Ml: Migration = {
  version: 2,
  name: '002-ml',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE features (
        id              INTEGER PRIMARY KEY,
        backbone        TEXT NOT NULL,
        backbone_sha256 TEXT NOT NULL,
        image_id        INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        view            INTEGER NOT NULL CHECK (view >= 0),
        content_hash    TEXT NOT NULL,
        dim             INTEGER NOT NULL CHECK (dim > 0),
        data            BLOB NOT NULL CHECK (length(data) = dim * 4),
        created_at      TEXT NOT NULL,
        UNIQUE (backbone, image_id, view)
      ) STRICT;
      CREATE INDEX features_image ON features (image_id);

      CREATE TABLE models (
        id                TEXT PRIMARY KEY,
        name              TEXT NOT NULL,
        dir               TEXT NOT NULL,
        backbone          TEXT NOT NULL,
        meta_json         TEXT NOT NULL,
        train_counts_json TEXT,
        run_job_id        TEXT,
        created_at        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX models_created ON models (created_at);

      CREATE TABLE runs (
        job_id         TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
        name           TEXT NOT NULL,
        backbone       TEXT NOT NULL,
        params_json    TEXT NOT NULL,
        run_dir        TEXT NOT NULL,
        resumed_from   TEXT,
        classes_json   TEXT NOT NULL DEFAULT '[]',
        counts_json    TEXT,
        backend_json   TEXT,
        epochs_json    TEXT NOT NULL DEFAULT '[]',
        summaries_json TEXT NOT NULL DEFAULT '[]',
        model_id       TEXT REFERENCES models (id) ON DELETE SET NULL,
        created_at     TEXT NOT NULL,
        finished_at    TEXT
      ) STRICT;
      CREATE INDEX runs_created ON runs (created_at);

      CREATE TABLE evaluations (
        id           INTEGER PRIMARY KEY,
        model_id     TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        dataset      TEXT NOT NULL,
        sources_json TEXT NOT NULL,
        tta          TEXT NOT NULL CHECK (tta IN ('center', 'multiCrop')),
        report_json  TEXT NOT NULL,
        skipped_json TEXT NOT NULL,
        job_id       TEXT,
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX evaluations_model ON evaluations (model_id, id);

      CREATE TABLE predictions (
        id         INTEGER PRIMARY KEY,
        model_id   TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        image_id   INTEGER REFERENCES images (id) ON DELETE CASCADE,
        path       TEXT NOT NULL,
        tta        TEXT NOT NULL CHECK (tta IN ('center', 'multiCrop')),
        top_json   TEXT NOT NULL,
        job_id     TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX predictions_model_image ON predictions (model_id, image_id)
        WHERE image_id IS NOT NULL;
      CREATE UNIQUE INDEX predictions_model_path ON predictions (model_id, path)
        WHERE image_id IS NULL;
      CREATE INDEX predictions_image ON predictions (image_id);
    `);
  },
};
