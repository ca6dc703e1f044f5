import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * The files a geolocation batch was given (issue #14). A batch item is one library photo, but the
 * same bytes can sit at several paths (an export, a backup, phone + laptop): the library keeps the
 * first path it saw, while write-back must go beside every file the user named. So each given file
 * is one row here, pointing at the photo whose prediction it shares. Batches made before this
 * migration get their items' library paths (what they were written to before).
 */
export const migration009GeoBatchPaths: Migration = {
  version: 9,
  name: '009-geo-batch-paths',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE geo_batch_paths (
        batch_id INTEGER NOT NULL,
        path     TEXT NOT NULL,
        image_id INTEGER NOT NULL,
        PRIMARY KEY (batch_id, path),
        FOREIGN KEY (batch_id, image_id)
          REFERENCES geo_batch_items (batch_id, image_id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX geo_batch_paths_item ON geo_batch_paths (batch_id, image_id, path);

      INSERT INTO geo_batch_paths (batch_id, path, image_id)
        SELECT g.batch_id, i.path, g.image_id FROM geo_batch_items g JOIN images i ON i.id = g.image_id;
    `);
  },
};
