import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Each evaluated photo's answer, so a confusion-matrix cell can list its photos ("which Paris
 * photos did the model call London?"). One row per photo of an evaluation; rows go with the
 * evaluation; a photo later removed from the library keeps its row (path) with image_id NULL.
 */
export const migration006EvaluationItems: Migration = {
  version: 6,
  name: '006-evaluation-items',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE evaluation_items (
        id              INTEGER PRIMARY KEY,
        evaluation_id   INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
        image_id        INTEGER REFERENCES images (id) ON DELETE SET NULL,
        path            TEXT NOT NULL,
        true_index      INTEGER NOT NULL CHECK (true_index >= 0),
        predicted_index INTEGER NOT NULL CHECK (predicted_index >= 0),
        probability     REAL NOT NULL
      ) STRICT;
      CREATE INDEX evaluation_items_cell
        ON evaluation_items (evaluation_id, true_index, predicted_index, probability);
    `);
  },
};
