// The geolocate job: phase 1 imports the batch's sources and records which library photos belong
// to it; phase 2 predicts the photos not predicted yet, a chunk at a time, each chunk committed in
// one transaction (library predictions + batch items), so a killed run loses at most one chunk and
// a resumed one starts where it stopped.
import { AppError } from '../../../shared/contract/errors';
import type { GeoJobResult } from '../../../shared/contract/geo-types';
import type { ImagePrediction } from '../../../shared/contract/ml-types';
import { sqlOf, type Sql } from '../db/sql';
import type { JobContext } from '../jobs/job-manager';
import { storePredictions } from '../ml-jobs/models-repo';
import type { GeoCore, GeoPredictor } from './geo-core';
import {
  addBatchErrors,
  batchAccuracy,
  batchRow,
  batchSources,
  clearResolvedErrors,
  recordMembers,
  refreshGpsCities,
  type BatchError,
} from './geo-repo';

/**
 * Photos per chunk: big enough that the host's per-call overhead is small, small enough that a
 * kill or a cancel costs seconds. LP_GEO_CHUNK (1-1024) overrides it (tests use tiny chunks).
 */
export function chunkSize(setting = process.env.LP_GEO_CHUNK): number {
  const n = Number(setting);
  return setting !== undefined && Number.isInteger(n) && n >= 1 && n <= 1024 ? n : 64;
}

/** After a cancel, how long the chunk in flight may take before it is abandoned too. */
const CANCEL_GRACE_MS = 15_000;

/** "about 3 min left" from the rate so far in this run; null until there is a rate. */
export function etaText(doneThisRun: number, elapsedMs: number, left: number): string | null {
  if (doneThisRun <= 0 || elapsedMs <= 0) return null;
  const seconds = (left * elapsedMs) / doneThisRun / 1000;
  if (seconds < 60) return 'less than a minute left';
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

export async function runGeoJob(
  core: GeoCore,
  predictor: GeoPredictor,
  batchId: number,
  ctx: JobContext,
): Promise<GeoJobResult> {
  const sql = sqlOf(core.db());
  const errors: BatchError[] = [];
  const result = (newlyPredicted: number): GeoJobResult => ({
    batchId,
    photos: memberCount(sql, batchId),
    newlyPredicted,
    errors,
    accuracy: batchAccuracy(sql, batchRow(sql, batchId)),
  });

  if (batchRow(sql, batchId).imported === 0) {
    const imported = await importSources(core, sql, batchId, ctx);
    errors.push(...imported);
    // A cancelled import leaves `imported` at 0: the next run imports again (already-imported
    // files are recognised by content and skipped quickly).
    if (ctx.signal.aborted) return result(0);
    sql.run('UPDATE geo_batches SET imported = 1 WHERE id = ?', [batchId]);
  }
  refreshGpsCities(sql, batchId);

  const modelId = batchRow(sql, batchId).model_id;
  const todo = sql
    .all<{ image_id: number }>(
      `SELECT image_id FROM geo_batch_items WHERE batch_id = ? AND predicted_city IS NULL
       ORDER BY image_id`,
      [batchId],
    )
    .map((r) => r.image_id);
  const total = memberCount(sql, batchId);
  let done = total - todo.length;
  let newly = 0;
  const started = Date.now();
  const size = chunkSize();
  let message = `Predicting ${total} photos…`;
  ctx.progress(done, total, message);
  for (let at = 0; at < todo.length && !ctx.signal.aborted; at += size) {
    const ids = todo.slice(at, at + size);
    const chunk = await predictChunk(predictor, modelId, ids, ctx, done, total, message);
    const stored = sql.transaction(() => {
      storePredictions(sql, modelId, 'center', ctx.jobId, chunk.predictions);
      return storeItems(sql, batchId, chunk.predictions);
    });
    errors.push(...chunk.errors, ...stored.errors);
    addBatchErrors(sql, batchId, [...chunk.errors, ...stored.errors]);
    newly += stored.count;
    done += ids.length;
    const eta = etaText(newly, Date.now() - started, total - done);
    message = `Predicted ${done} of ${total} photos${eta ? `, ${eta}` : ''}`;
    ctx.progress(done, total, message);
  }
  clearResolvedErrors(sql, batchId);
  if (newly > 0) core.notifyChanged('images');
  return result(newly);
}

function memberCount(sql: Sql, batchId: number): number {
  return (
    sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM geo_batch_items WHERE batch_id = ?', [
      batchId,
    ])?.n ?? 0
  );
}

async function importSources(
  core: GeoCore,
  sql: Sql,
  batchId: number,
  ctx: JobContext,
): Promise<BatchError[]> {
  const sources = batchSources(batchRow(sql, batchId));
  ctx.progress(0, 0, 'Importing the photos…');
  const report = await core.runImport(sources, ctx);
  // Files whose content the library already had under another path belong to the batch too,
  // under their own paths: that is where their write-back goes.
  const copies = report.duplicateOf.flatMap((d) => {
    const id = sql.get<{ id: number }>('SELECT id FROM images WHERE path = ?', [d.existingPath]);
    return id === undefined ? [] : [{ path: d.path, imageId: id.id }];
  });
  recordMembers(sql, batchId, sources, copies);
  addBatchErrors(sql, batchId, report.errors);
  return report.errors;
}

/**
 * The chunk runs to its end after a cancel (its work is then committed, not thrown away), unless
 * it takes longer than the grace period.
 */
async function predictChunk(
  predictor: GeoPredictor,
  modelId: string,
  ids: number[],
  ctx: JobContext,
  doneBefore: number,
  total: number,
  message: string,
) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  const onAbort = (): void => {
    timer = setTimeout(() => controller.abort(), CANCEL_GRACE_MS);
  };
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await predictor.predictImages(modelId, ids, {
      ...ctx,
      signal: controller.signal,
      // The host counts within the chunk; the job counts the batch and keeps the last ETA shown.
      progress: (done) => ctx.progress(doneBefore + done, total, message),
    });
  } catch (error) {
    if (controller.signal.aborted) throw new AppError('CANCELLED', 'The geolocation was stopped.');
    throw error;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    if (timer !== null) clearTimeout(timer);
  }
}

function storeItems(
  sql: Sql,
  batchId: number,
  predictions: readonly ImagePrediction[],
): { count: number; errors: BatchError[] } {
  const errors: BatchError[] = [];
  let count = 0;
  for (const p of predictions) {
    const top = p.top[0];
    if (p.imageId === null || top === undefined) {
      errors.push({ path: p.path, reason: 'the model gave no city' });
      continue;
    }
    count += sql.run(
      `UPDATE geo_batch_items SET predicted_city = ?, probability = ?, top_json = ?, ood_score = ?
       WHERE batch_id = ? AND image_id = ?`,
      [top.city, top.probability, JSON.stringify(p.top), p.oodScore, batchId, p.imageId],
    ).changes;
  }
  return { count, errors };
}
