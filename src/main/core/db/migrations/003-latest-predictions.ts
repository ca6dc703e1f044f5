import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * The library grid filters and shows each image's *latest* prediction. Design notes:
 * - "Latest" is the `predictions` row with the highest id for the image. Rows are only ever
 *   inserted (a re-prediction deletes the model's old row, then inserts), and without
 *   AUTOINCREMENT a new rowid is always above every existing one, so the highest id is the most
 *   recent write; unlike `created_at` (one timestamp per predict job) it never ties.
 * - Working that out per image at query time (a correlated subquery plus json_extract of
 *   `top_json`) is fine for a page of 200 but not for the filtered total over 100k images, so
 *   `latest_predictions` keeps one denormalised row per image: the top city, its probability and
 *   whether it matches the image's current label (`correct`: 1/0, NULL when unlabeled).
 * - Triggers keep it in step whoever writes: the ML host's own connection included. Inserting a
 *   prediction replaces the row; deleting the latest one (re-prediction, model removal, image
 *   removal by cascade) falls back to the next most recent; relabelling an image (by hand, by
 *   split or by a city's removal) recomputes `correct`.
 * - Each filter has an index ending in `image_id`, so a filtered page is a range scan in id order
 *   and the filtered total is counted from the index alone.
 */
/** A row whose top_json does not name a top city and probability is skipped, never an error. */
const USABLE = `json_valid(p.top_json)
  AND json_type(p.top_json, '$[0].city') = 'text'
  AND json_type(p.top_json, '$[0].probability') IN ('real', 'integer')`;

const LATEST_FOR = (imageId: string): string => `
  INSERT OR IGNORE INTO latest_predictions
    (image_id, prediction_id, model_id, city, probability, created_at, correct)
  SELECT p.image_id, p.id, p.model_id,
         json_extract(p.top_json, '$[0].city'), json_extract(p.top_json, '$[0].probability'),
         p.created_at,
         CASE WHEN c.name IS NULL THEN NULL
              ELSE c.name = json_extract(p.top_json, '$[0].city') COLLATE NOCASE END
  FROM predictions p JOIN images i ON i.id = p.image_id LEFT JOIN cities c ON c.id = i.city_id
  WHERE p.image_id = ${imageId} AND ${USABLE}
  ORDER BY p.id DESC LIMIT 1;`;

export const migration003LatestPredictions: Migration = {
  version: 3,
  name: '003-latest-predictions',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE latest_predictions (
        image_id      INTEGER PRIMARY KEY,
        prediction_id INTEGER NOT NULL,
        model_id      TEXT NOT NULL,
        city          TEXT NOT NULL COLLATE NOCASE,
        probability   REAL NOT NULL,
        created_at    TEXT NOT NULL,
        correct       INTEGER CHECK (correct IN (0, 1))
      ) STRICT;
      CREATE INDEX latest_predictions_city ON latest_predictions (city, image_id);
      CREATE INDEX latest_predictions_correct ON latest_predictions (correct, image_id);
      CREATE INDEX latest_predictions_probability ON latest_predictions (probability, image_id);

      CREATE TRIGGER latest_predictions_insert AFTER INSERT ON predictions
      WHEN new.image_id IS NOT NULL
      BEGIN
        DELETE FROM latest_predictions
        WHERE image_id = new.image_id AND prediction_id < new.id;
        ${LATEST_FOR('new.image_id')}
      END;

      CREATE TRIGGER latest_predictions_delete AFTER DELETE ON predictions
      WHEN old.image_id IS NOT NULL
      BEGIN
        DELETE FROM latest_predictions
        WHERE image_id = old.image_id AND prediction_id = old.id;
        ${LATEST_FOR('old.image_id')}
      END;

      CREATE TRIGGER latest_predictions_relabel AFTER UPDATE OF city_id ON images
      BEGIN
        UPDATE latest_predictions
        SET correct = CASE WHEN new.city_id IS NULL THEN NULL
                           ELSE city = (SELECT name FROM cities WHERE id = new.city_id) END
        WHERE image_id = new.id;
      END;

      CREATE TRIGGER latest_predictions_image_delete AFTER DELETE ON images
      BEGIN
        DELETE FROM latest_predictions WHERE image_id = old.id;
      END;
    `);
    // Libraries that already hold predictions get their latest rows now.
    db.exec(`
      INSERT OR IGNORE INTO latest_predictions
        (image_id, prediction_id, model_id, city, probability, created_at, correct)
      SELECT p.image_id, p.id, p.model_id,
             json_extract(p.top_json, '$[0].city'), json_extract(p.top_json, '$[0].probability'),
             p.created_at,
             CASE WHEN c.name IS NULL THEN NULL
                  ELSE c.name = json_extract(p.top_json, '$[0].city') COLLATE NOCASE END
      FROM predictions p JOIN images i ON i.id = p.image_id LEFT JOIN cities c ON c.id = i.city_id
      WHERE p.id IN (SELECT MAX(id) FROM predictions WHERE image_id IS NOT NULL GROUP BY image_id)
        AND ${USABLE};
    `);
  },
};
