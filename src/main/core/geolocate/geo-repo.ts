// Geolocation batches in the library database: the batch rows, their summary (counts and the
// accuracy on GPS photos) and the bookkeeping the job does (membership, GPS cities, errors).
import { AppError } from '../../../shared/contract/errors';
import type { GeoAccuracy, GeoBatchSummary } from '../../../shared/contract/geo-types';
import { nearestCityWithin } from '../../../shared/domain/geo';
import type { Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import { UNKNOWN_SQL } from './geo-items';

export type BatchError = { path: string; reason: string };

export type BatchRow = {
  id: number;
  name: string;
  model_id: string;
  classes_json: string;
  sources_json: string;
  unsure_below: number;
  unknown_above: number | null;
  imported: number;
  errors_json: string;
  last_job_id: string | null;
  created_at: string;
};

export function batchRow(sql: Sql, batchId: number): BatchRow {
  const row = sql.get<BatchRow>('SELECT * FROM geo_batches WHERE id = ?', [batchId]);
  if (row === undefined) {
    throw new AppError('NOT_FOUND', `No geolocation batch with id ${batchId}.`, { batchId });
  }
  return row;
}

export const batchSources = (row: BatchRow): string[] => JSON.parse(row.sources_json) as string[];
export const batchClasses = (row: BatchRow): string[] => JSON.parse(row.classes_json) as string[];
export const batchErrors = (row: BatchRow): BatchError[] =>
  JSON.parse(row.errors_json) as BatchError[];

export function insertBatch(
  sql: Sql,
  batch: {
    name: string;
    modelId: string;
    classes: string[];
    sources: string[];
    unsureBelow: number;
    /** The model's "unknown" threshold (null: the model never answers unknown). */
    unknownAbove: number | null;
  },
): number {
  return Number(
    sql.run(
      `INSERT INTO geo_batches (name, model_id, classes_json, sources_json, unsure_below,
                                unknown_above, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        batch.name,
        batch.modelId,
        JSON.stringify(batch.classes),
        JSON.stringify(batch.sources),
        batch.unsureBelow,
        batch.unknownAbove,
        new Date().toISOString(),
      ],
    ).lastInsertRowid,
  );
}

/** Adds errors (one per path: a later reason for the same file replaces the earlier one). */
export function addBatchErrors(sql: Sql, batchId: number, errors: readonly BatchError[]): void {
  if (errors.length === 0) return;
  sql.transaction(() => {
    const byPath = new Map(batchErrors(batchRow(sql, batchId)).map((e) => [e.path, e]));
    for (const e of errors) byPath.set(e.path, { path: e.path, reason: e.reason });
    sql.run('UPDATE geo_batches SET errors_json = ? WHERE id = ?', [
      JSON.stringify([...byPath.values()]),
      batchId,
    ]);
  });
}

/** Removes the errors of files that have since been predicted (a resumed run got them). */
export function clearResolvedErrors(sql: Sql, batchId: number): void {
  const row = batchRow(sql, batchId);
  const done = new Set(
    sql
      .all<{ path: string }>(
        `SELECT i.path FROM geo_batch_items g JOIN images i ON i.id = g.image_id
         WHERE g.batch_id = ? AND g.predicted_city IS NOT NULL`,
        [batchId],
      )
      .map((r) => r.path),
  );
  const left = batchErrors(row).filter((e) => !done.has(e.path));
  sql.run('UPDATE geo_batches SET errors_json = ? WHERE id = ?', [JSON.stringify(left), batchId]);
}

/**
 * `path` lies in `source` (the file itself, or anything under the folder). A range on the UNIQUE
 * path index: '/' + 1 is '0', so [source/, source0) holds exactly the paths below the folder.
 */
const IN_SOURCE = '(i.path = ? OR (i.path >= ? AND i.path < ?))';
const sourceArgs = (source: string): string[] => {
  const base = source.endsWith('/') ? source.slice(0, -1) : source;
  return [base, `${base}/`, `${base}0`];
};

/** A file of the batch's sources whose content the library already had under another path. */
export type GivenCopy = { path: string; imageId: number };

/**
 * Records the library photos that belong to the batch, and the files it was given: photos whose
 * path lies in one of the sources (given as themselves), plus `copies` (files of the sources the
 * import found in the library under another path): the copy shares the library photo's item and
 * prediction, but write-back goes to the copy's own path. Existing rows are kept. Returns the
 * count of items added.
 */
export function recordMembers(
  sql: Sql,
  batchId: number,
  sources: readonly string[],
  copies: readonly GivenCopy[],
): number {
  return sql.transaction(() => {
    let added = 0;
    for (const source of sources) {
      const args = [batchId, ...sourceArgs(source)];
      added += sql.run(
        `INSERT OR IGNORE INTO geo_batch_items (batch_id, image_id)
         SELECT ?, i.id FROM images i WHERE ${IN_SOURCE}`,
        args,
      ).changes;
      sql.run(
        `INSERT OR IGNORE INTO geo_batch_paths (batch_id, path, image_id)
         SELECT ?, i.path, i.id FROM images i WHERE ${IN_SOURCE}`,
        args,
      );
    }
    for (const copy of copies) {
      added += sql.run(
        `INSERT OR IGNORE INTO geo_batch_items (batch_id, image_id)
         SELECT ?, id FROM images WHERE id = ?`,
        [batchId, copy.imageId],
      ).changes;
      sql.run(
        `INSERT OR IGNORE INTO geo_batch_paths (batch_id, path, image_id)
         SELECT ?, ?, id FROM images WHERE id = ?`,
        [batchId, copy.path, copy.imageId],
      );
    }
    return added;
  });
}

/**
 * Works out, for every photo of the batch with a GPS position, the library city whose radius holds
 * it (the ground truth). Recomputed on each run, so a city added since counts.
 */
export function refreshGpsCities(sql: Sql, batchId: number): void {
  const cities = listCities(sql);
  const rows = sql.all<{ image_id: number; lat: number; lon: number }>(
    `SELECT g.image_id, i.lat, i.lon FROM geo_batch_items g JOIN images i ON i.id = g.image_id
     WHERE g.batch_id = ? AND i.lat IS NOT NULL AND i.lon IS NOT NULL`,
    [batchId],
  );
  sql.transaction(() => {
    for (const r of rows) {
      const city = nearestCityWithin({ lat: r.lat, lon: r.lon }, cities);
      sql.run('UPDATE geo_batch_items SET gps_city = ? WHERE batch_id = ? AND image_id = ?', [
        city?.name ?? null,
        batchId,
        r.image_id,
      ]);
    }
  });
}

export function batchAccuracy(sql: Sql, row: BatchRow): GeoAccuracy {
  const known = JSON.stringify(batchClasses(row).map((c) => c.toLowerCase()));
  const r = sql.get<{ withTruth: number; correct: number; outside: number }>(
    `SELECT
       COALESCE(SUM(g.gps_city IS NOT NULL AND lower(g.gps_city) IN (SELECT value FROM json_each(?))), 0)
         AS withTruth,
       COALESCE(SUM(g.gps_city IS NOT NULL AND lower(g.gps_city) IN (SELECT value FROM json_each(?))
                    AND g.predicted_city = g.gps_city), 0) AS correct,
       COALESCE(SUM(g.gps_city IS NULL OR lower(g.gps_city) NOT IN (SELECT value FROM json_each(?))), 0)
         AS outside
     FROM geo_batch_items g JOIN images i ON i.id = g.image_id
     WHERE g.batch_id = ? AND g.predicted_city IS NOT NULL AND i.lat IS NOT NULL`,
    [known, known, known, row.id],
  ) ?? { withTruth: 0, correct: 0, outside: 0 };
  return {
    withTruth: r.withTruth,
    correct: r.correct,
    accuracy: r.withTruth === 0 ? null : r.correct / r.withTruth,
    outsideCities: r.outside,
  };
}

type CountsRow = {
  photos: number;
  predicted: number;
  withGps: number;
  pending: number;
  accepted: number;
  corrected: number;
  skipped: number;
  unsure: number;
  unknown: number;
};

export function batchSummary(sql: Sql, row: BatchRow): GeoBatchSummary {
  const c = sql.get<CountsRow>(
    `SELECT COUNT(*) AS photos,
            COALESCE(SUM(g.predicted_city IS NOT NULL), 0) AS predicted,
            COALESCE(SUM(i.lat IS NOT NULL), 0) AS withGps,
            COALESCE(SUM(g.review = 'pending'), 0) AS pending,
            COALESCE(SUM(g.review = 'accepted'), 0) AS accepted,
            COALESCE(SUM(g.review = 'corrected'), 0) AS corrected,
            COALESCE(SUM(g.review = 'skipped'), 0) AS skipped,
            COALESCE(SUM(g.review = 'pending' AND g.probability < ?), 0) AS unsure,
            COALESCE(SUM(${UNKNOWN_SQL}), 0) AS unknown
     FROM geo_batch_items g JOIN images i ON i.id = g.image_id
     WHERE g.batch_id = ?`,
    [row.unsure_below, row.unknown_above, row.id],
  ) as CountsRow;
  return {
    id: row.id,
    name: row.name,
    modelId: row.model_id,
    sources: batchSources(row),
    createdAt: row.created_at,
    unsureBelow: row.unsure_below,
    unknownAbove: row.unknown_above,
    complete: row.imported === 1 && c.predicted === c.photos,
    counts: { ...c, failed: batchErrors(row).length },
    accuracy: batchAccuracy(sql, row),
    lastJobId: row.last_job_id,
  };
}

export function getBatch(sql: Sql, batchId: number): GeoBatchSummary {
  return batchSummary(sql, batchRow(sql, batchId));
}

export function listBatches(sql: Sql): GeoBatchSummary[] {
  return sql
    .all<BatchRow>('SELECT * FROM geo_batches ORDER BY id DESC')
    .map((row) => batchSummary(sql, row));
}

export function updateBatch(
  sql: Sql,
  params: { batchId: number; name?: string | undefined; unsureBelow?: number | undefined },
): GeoBatchSummary {
  batchRow(sql, params.batchId);
  if (params.name !== undefined) {
    sql.run('UPDATE geo_batches SET name = ? WHERE id = ?', [params.name, params.batchId]);
  }
  if (params.unsureBelow !== undefined) {
    sql.run('UPDATE geo_batches SET unsure_below = ? WHERE id = ?', [
      params.unsureBelow,
      params.batchId,
    ]);
  }
  return getBatch(sql, params.batchId);
}

export function removeBatch(sql: Sql, batchId: number): { removed: number } {
  batchRow(sql, batchId);
  sql.run('DELETE FROM geo_batches WHERE id = ?', [batchId]);
  return { removed: batchId };
}
