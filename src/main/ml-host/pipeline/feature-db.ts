// The host's own connection to the library database, for the feature cache only. The host opens
// it per op and closes it at the end, so no connection outlives a job (a library can be closed,
// moved or deleted while the host idles). Rows hold float32 values in the machine's byte order
// (little-endian on every platform the app ships for).
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import { openDatabase } from '../../platform/open-database';
import type { BackboneRef } from './types';

export async function withDatabase<T>(
  dbPath: string,
  fn: (db: Database.Database) => Promise<T> | T,
): Promise<T> {
  let db: Database.Database;
  try {
    db = openDatabase(dbPath);
  } catch (error) {
    throw new AppError(
      'IO_ERROR',
      `The ML process cannot open ${dbPath}: ${(error as Error).message}`,
      { path: dbPath },
    );
  }
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

export type FeatureRow = {
  imageId: number;
  view: number;
  contentHash: string;
  values: Float32Array;
};

/** Writes feature rows in one transaction, replacing stale rows of the same (backbone, image, view). */
export function writeFeatures(
  db: Database.Database,
  backbone: BackboneRef,
  rows: readonly FeatureRow[],
): void {
  const upsert = db.prepare(
    `INSERT INTO features (backbone, backbone_sha256, image_id, view, content_hash, dim, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (backbone, image_id, view) DO UPDATE SET
       backbone_sha256 = excluded.backbone_sha256, content_hash = excluded.content_hash,
       dim = excluded.dim, data = excluded.data, created_at = excluded.created_at`,
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const r of rows) {
      const blob = Buffer.from(r.values.buffer, r.values.byteOffset, r.values.byteLength);
      upsert.run(
        backbone.name,
        backbone.sha256,
        r.imageId,
        r.view,
        r.contentHash,
        r.values.length,
        blob,
        now,
      );
    }
  })();
}

export type FeatureRequest = { imageId: number; contentHash: string; views: number };

/**
 * Reads views 0..views-1 of each image into one [rows, dim] array (image order, then view
 * order). Only rows valid for this backbone checksum and the image's content hash count; images
 * with any view missing are reported in `missing` and leave zeros (callers refuse or drop them).
 */
export function readFeatures(
  db: Database.Database,
  backbone: BackboneRef,
  dim: number,
  requests: readonly FeatureRequest[],
): { x: Float32Array; missing: number[] } {
  const select = db.prepare(
    `SELECT view, data FROM features
     WHERE backbone = ? AND image_id = ? AND backbone_sha256 = ? AND content_hash = ? AND dim = ?`,
  );
  const total = requests.reduce((n, r) => n + r.views, 0);
  const x = new Float32Array(total * dim);
  const bytes = new Uint8Array(x.buffer);
  const missing: number[] = [];
  let row = 0;
  for (const r of requests) {
    const found = select.all(backbone.name, r.imageId, backbone.sha256, r.contentHash, dim) as {
      view: number;
      data: Buffer;
    }[];
    let have = 0;
    for (const f of found) {
      if (f.view >= r.views) continue;
      // Copy bytes: a Buffer from SQLite need not be 4-byte aligned for a Float32Array view.
      f.data.copy(bytes, (row + f.view) * dim * 4);
      have++;
    }
    if (have < r.views) missing.push(r.imageId);
    row += r.views;
  }
  return { x, missing };
}
