import type Database from 'better-sqlite3';

/**
 * Writes model and prediction rows straight into a library database, as the ML host does after a
 * predict job, so library tests need no trained model. Shared by core and e2e tests.
 */
export function insertTestModel(db: Database.Database, id: string): void {
  db.prepare(
    `INSERT INTO models (id, name, dir, backbone, meta_json, train_counts_json, run_job_id,
                         created_at)
     VALUES (?, ?, ?, 'test-backbone', '{}', NULL, NULL, '2024-01-01T00:00:00Z')`,
  ).run(id, `model ${id}`, `models/${id}`);
}

export type TestPrediction = {
  modelId: string;
  imageId: number;
  /** Most likely first. */
  top: { city: string; probability: number }[];
};

/** Replaces the model's prediction for each image (delete, then insert: as storePredictions). */
export function insertTestPredictions(
  db: Database.Database,
  predictions: readonly TestPrediction[],
): void {
  const remove = db.prepare('DELETE FROM predictions WHERE model_id = ? AND image_id = ?');
  const insert = db.prepare(
    `INSERT INTO predictions (model_id, image_id, path, tta, top_json, job_id, created_at)
     VALUES (?, ?, (SELECT path FROM images WHERE id = ?), 'center', ?, NULL, ?)`,
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const p of predictions) {
      remove.run(p.modelId, p.imageId);
      insert.run(p.modelId, p.imageId, p.imageId, JSON.stringify(p.top), now);
    }
  })();
}
