import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Collecting photos from Street View / Mapillary (issue #6, paper section 4). Design notes:
 * - A run keeps its options (`options_json`, never a key) and seed, so a resumed run draws the very
 *   same points: point `seq` of a city is a pure function of (seed, city, seq), and the drawn
 *   points are stored before they are asked about, so a killed run retries its pending ones first.
 * - `outcome` NULL means pending; otherwise what happened there, with the item (pano / image id),
 *   the file written (relative to the run's folder) and where the photo really is.
 * - `collect_items` holds every item ever fetched with a UNIQUE (provider, item_id): the same
 *   panorama reached from two random points, or by two runs, is fetched once.
 * - `status` 'running' of a run whose job is gone (the app was killed) reads as 'stopped'.
 */
export const migration008Collect: Migration = {
  version: 8,
  name: '008-collect',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE collect_runs (
        id           INTEGER PRIMARY KEY,
        provider     TEXT NOT NULL CHECK (provider IN ('streetview','mapillary')),
        options_json TEXT NOT NULL,
        seed         INTEGER NOT NULL,
        dest_dir     TEXT NOT NULL,
        status       TEXT NOT NULL
                     CHECK (status IN ('running','done','failed','cancelled','stopped')),
        job_id       TEXT,
        error_json   TEXT,
        import_json  TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      ) STRICT;
      CREATE TABLE collect_points (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES collect_runs (id) ON DELETE CASCADE,
        city        TEXT NOT NULL,
        seq         INTEGER NOT NULL CHECK (seq >= 0),
        lat         REAL NOT NULL,
        lon         REAL NOT NULL,
        heading     REAL NOT NULL,
        outcome     TEXT CHECK (outcome IN ('fetched','no-imagery','duplicate','failed')),
        reason      TEXT,
        item_id     TEXT,
        file        TEXT,
        item_lat    REAL,
        item_lon    REAL,
        captured_at TEXT,
        credit      TEXT,
        updated_at  TEXT NOT NULL,
        UNIQUE (run_id, city, seq)
      ) STRICT;
      CREATE INDEX collect_points_outcome ON collect_points (run_id, city, outcome);
      CREATE TABLE collect_items (
        provider   TEXT NOT NULL,
        item_id    TEXT NOT NULL,
        run_id     INTEGER REFERENCES collect_runs (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (provider, item_id)
      ) STRICT;
    `);
  },
};
