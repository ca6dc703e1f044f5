import type Database from 'better-sqlite3';
import type { Migration } from '../migration';

/**
 * Cached explanations (issue #5). Design notes:
 * - `explanations` keeps one heatmap per (model, photo content, method, city, box, stride): the
 *   same question asked twice is answered from here, including after a restart. Keyed by content
 *   hash rather than image id, so a photo file outside the library that has been explained once
 *   (and a library image with the same bytes) share the answer.
 * - The grid is stored as JSON (at most a few hundred numbers); the model's probabilities on the
 *   whole photo come with it, so the renderer can show "Paris 62%" beside the map.
 * - `embeddings` keeps feature maps (t-SNE / UMAP) per (model, method, seed, sample key); the
 *   sample key hashes the chosen photos' ids and content hashes, so a library that changed
 *   (photos added, relabelled, re-imported) gets a fresh map rather than a stale one.
 * - Rows go with their model (ON DELETE CASCADE).
 */
export const migration004Explanations: Migration = {
  version: 4,
  name: '004-explanations',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE explanations (
        id                 INTEGER PRIMARY KEY,
        model_id           TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        content_hash       TEXT NOT NULL,
        method             TEXT NOT NULL CHECK (method IN ('occlusion', 'inclusion', 'gradcam')),
        class_index        INTEGER NOT NULL CHECK (class_index >= 0),
        box                INTEGER NOT NULL,
        stride             INTEGER NOT NULL,
        rows               INTEGER NOT NULL CHECK (rows > 0),
        cols               INTEGER NOT NULL CHECK (cols > 0),
        values_json        TEXT NOT NULL,
        probabilities_json TEXT NOT NULL,
        input_size         INTEGER NOT NULL,
        created_at         TEXT NOT NULL,
        UNIQUE (model_id, content_hash, method, class_index, box, stride)
      ) STRICT;

      CREATE TABLE embeddings (
        id          INTEGER PRIMARY KEY,
        model_id    TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        method      TEXT NOT NULL CHECK (method IN ('tsne', 'umap')),
        seed        INTEGER NOT NULL,
        sample_key  TEXT NOT NULL,
        result_json TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        UNIQUE (model_id, method, seed, sample_key)
      ) STRICT;
    `);
  },
};
