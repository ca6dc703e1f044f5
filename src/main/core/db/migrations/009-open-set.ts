import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Open-set answers (issue #13): a model can say a photo is of none of its cities. Design notes:
 * - Every prediction keeps its out-of-distribution score (`ood_score`, NULL for models trained
 *   before the app fitted open-set statistics). Whether a photo is "unknown" is not stored: it is
 *   the score against the model's threshold *now*, so changing the threshold re-answers every
 *   stored prediction at once, with nothing to recompute.
 * - `models.unknown_threshold` is the user's threshold for a model (NULL: the default fitted at
 *   training time, in the bundle's metadata).
 * - A geolocation batch copies its model's threshold (`unknown_above`) so that it stays readable
 *   after the model is removed; changing the model's threshold updates its batches.
 * - `evaluations.open_set_json` keeps calibration before temperature scaling, the coverage /
 *   accuracy curve and the outside-set figures of an evaluation.
 */
export const migration009OpenSet: Migration = {
  version: 9,
  name: '009-open-set',
  up(db: Database.Database): void {
    db.exec(`
      ALTER TABLE predictions ADD COLUMN ood_score REAL;
      ALTER TABLE models ADD COLUMN unknown_threshold REAL;
      ALTER TABLE evaluations ADD COLUMN open_set_json TEXT;
      ALTER TABLE geo_batch_items ADD COLUMN ood_score REAL;
      ALTER TABLE geo_batches ADD COLUMN unknown_above REAL;
    `);
  },
};
