import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Hardening (issue #14).
 *
 * `library.max_file_bytes`: files larger than this are refused by the import before they are read
 * (default 256 MB), a setting beside `max_image_pixels`.
 *
 * `geo_batch_paths`: the files a geolocation batch was given. A batch item is one library photo, but the
 * same bytes can sit at several paths (an export, a backup, phone + laptop): the library keeps the
 * first path it saw, while write-back must go beside every file the user named. So each given file
 * is one row here, pointing at the photo whose prediction it shares. Batches made before this
 * migration get their items' library paths (what they were written to before).
 */
export const migration011Hardening: Migration = {
  version: 11,
  name: '011-hardening',
  up(db: Database.Database): void {
    db.exec(`
      ALTER TABLE library ADD COLUMN max_file_bytes INTEGER NOT NULL DEFAULT 268435456
        CHECK (max_file_bytes > 0);

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
