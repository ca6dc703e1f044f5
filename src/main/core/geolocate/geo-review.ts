// Reviewing a batch photo by photo. Accepting or correcting makes the city the photo's human label
// (as the Labeler does); the label it replaced is kept on the item so skip / undo can put it back.
import { AppError } from '../../../shared/contract/errors';
import type { GeoItem, GeoReviewAction } from '../../../shared/contract/geo-types';
import type { LabelSource, SplitConfig } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';
import { findCity } from '../repo/cities';
import { setCurrentLabel } from '../repo/labels';
import { batchItem, toItem } from './geo-items';

export type ReviewParams = {
  batchId: number;
  imageId: number;
  action: GeoReviewAction;
  city: string | null;
};

type LabelState = {
  id: number;
  contentHash: string;
  city_id: number | null;
  label_source: LabelSource | null;
};

type Memory = {
  labelled: number;
  label_before_city: number | null;
  label_before_source: LabelSource | null;
};

/** The reviewed photo and whether its label changed (the caller tells the clients). */
export function reviewItem(
  sql: Sql,
  params: ReviewParams,
  split: SplitConfig,
): { item: GeoItem; labelChanged: boolean } {
  return sql.transaction(() => {
    const row = batchItem(sql, params.batchId, params.imageId);
    if (row === undefined) {
      throw new AppError(
        'NOT_FOUND',
        `Photo ${params.imageId} is not part of geolocation batch ${params.batchId}.`,
        { batchId: params.batchId, imageId: params.imageId },
      );
    }
    const key = [params.batchId, params.imageId];
    const memory = sql.get<Memory>(
      `SELECT labelled, label_before_city, label_before_source FROM geo_batch_items
       WHERE batch_id = ? AND image_id = ?`,
      key,
    ) as Memory;
    const image = sql.get<LabelState>(
      'SELECT id, content_hash AS contentHash, city_id, label_source FROM images WHERE id = ?',
      [params.imageId],
    ) as LabelState;
    const now = new Date().toISOString();
    let labelChanged = false;

    if (params.action === 'accept' || params.action === 'correct') {
      const wanted = params.action === 'accept' ? row.predicted_city : params.city;
      if (wanted === null) {
        throw new AppError(
          'CONFLICT',
          `Photo ${params.imageId} has no prediction yet; resume the batch or correct it instead.`,
        );
      }
      const city = findCity(sql, wanted);
      if (city === null) {
        throw new AppError(
          'BAD_ARGUMENT',
          `"${wanted}" is not one of the library's cities; add it first or pick another.`,
          { city: wanted },
        );
      }
      if (memory.labelled === 0) {
        sql.run(
          `UPDATE geo_batch_items SET labelled = 1, label_before_city = ?, label_before_source = ?
           WHERE batch_id = ? AND image_id = ?`,
          [image.city_id, image.label_source, ...key],
        );
      }
      if (image.city_id !== city.id || image.label_source !== 'human') {
        setCurrentLabel(sql, image, city.id, 'human', now, split);
        labelChanged = true;
      }
      sql.run(
        `UPDATE geo_batch_items SET review = ?, reviewed_city = ?, reviewed_at = ?
         WHERE batch_id = ? AND image_id = ?`,
        [params.action === 'accept' ? 'accepted' : 'corrected', city.name, now, ...key],
      );
    } else {
      if (memory.labelled === 1) {
        labelChanged = restoreLabel(sql, image, row.reviewed_city, memory, now, split);
        sql.run(
          `UPDATE geo_batch_items SET labelled = 0, label_before_city = NULL,
                  label_before_source = NULL
           WHERE batch_id = ? AND image_id = ?`,
          key,
        );
      }
      sql.run(
        `UPDATE geo_batch_items SET review = ?, reviewed_city = NULL, reviewed_at = ?
         WHERE batch_id = ? AND image_id = ?`,
        [
          params.action === 'skip' ? 'skipped' : 'pending',
          params.action === 'skip' ? now : null,
          ...key,
        ],
      );
    }
    const after = batchItem(sql, params.batchId, params.imageId);
    if (after === undefined) throw new AppError('INTERNAL', 'The reviewed photo vanished.');
    return { item: toItem(after), labelChanged };
  });
}

/**
 * Puts back the label the photo had before the review, but only while the review's label is
 * still the current one: a label someone set since (in the Labeler) is theirs and stays.
 */
function restoreLabel(
  sql: Sql,
  image: LabelState,
  reviewedCity: string | null,
  memory: Memory,
  now: string,
  split: SplitConfig,
): boolean {
  const current = reviewedCity === null ? null : findCity(sql, reviewedCity);
  if (current === null || image.city_id !== current.id || image.label_source !== 'human') {
    return false;
  }
  const before =
    memory.label_before_city === null
      ? null
      : (sql.get<{ id: number }>('SELECT id FROM cities WHERE id = ?', [memory.label_before_city])
          ?.id ?? null);
  if (before === image.city_id && memory.label_before_source === 'human') return false;
  setCurrentLabel(
    sql,
    image,
    before,
    before === null ? 'human' : (memory.label_before_source ?? 'human'),
    now,
    split,
  );
  return true;
}
