import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Geolocation batches (issue #6): a folder (or several) run through one model, kept so the run can
 * be resumed after a kill, reviewed photo by photo, mapped and written back. Design notes:
 * - `geo_batches.model_id` is plain text, not a foreign key: removing a model must not take the
 *   batch's reviews with it (the batch then cannot be resumed, but stays readable). The model's
 *   cities are copied (`classes_json`) because accuracy counts only photos the model could get right.
 * - `imported` flips to 1 once phase 1 (import + membership) has finished, so a resumed job skips
 *   straight to predicting; `errors_json` keeps the files that could not be imported or predicted.
 * - One item per (batch, photo). The prediction is copied into the item in the same transaction as
 *   the library's `predictions` row, so "not yet predicted" is simply `predicted_city IS NULL`.
 * - `gps_city` is the library city whose radius holds the photo's GPS position, worked out when
 *   the job runs; it is the batch's ground truth.
 * - A review that labels a photo remembers the label it replaced (`label_before_*`), so undo can
 *   put it back. Items go with their batch and with their photo (cascade).
 */
export const migration007Geolocation: Migration = {
  version: 7,
  name: '007-geolocation',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE geo_batches (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        model_id     TEXT NOT NULL,
        classes_json TEXT NOT NULL,
        sources_json TEXT NOT NULL,
        unsure_below REAL NOT NULL CHECK (unsure_below BETWEEN 0 AND 1),
        imported     INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),
        errors_json  TEXT NOT NULL DEFAULT '[]',
        last_job_id  TEXT,
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX geo_batches_created ON geo_batches (created_at);

      CREATE TABLE geo_batch_items (
        batch_id            INTEGER NOT NULL REFERENCES geo_batches (id) ON DELETE CASCADE,
        image_id            INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        predicted_city      TEXT COLLATE NOCASE,
        probability         REAL CHECK (probability BETWEEN 0 AND 1),
        top_json            TEXT,
        gps_city            TEXT COLLATE NOCASE,
        review              TEXT NOT NULL DEFAULT 'pending'
                            CHECK (review IN ('pending', 'accepted', 'corrected', 'skipped')),
        reviewed_city       TEXT COLLATE NOCASE,
        label_before_city   INTEGER,
        label_before_source TEXT,
        labelled            INTEGER NOT NULL DEFAULT 0 CHECK (labelled IN (0, 1)),
        reviewed_at         TEXT,
        PRIMARY KEY (batch_id, image_id),
        CHECK ((predicted_city IS NULL) = (probability IS NULL)),
        CHECK ((review IN ('accepted', 'corrected')) = (reviewed_city IS NOT NULL))
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX geo_batch_items_probability ON geo_batch_items (batch_id, probability);
      CREATE INDEX geo_batch_items_review ON geo_batch_items (batch_id, review, probability);
      CREATE INDEX geo_batch_items_predicted ON geo_batch_items (batch_id, predicted_city);
      CREATE INDEX geo_batch_items_image ON geo_batch_items (image_id);
    `);
  },
};
