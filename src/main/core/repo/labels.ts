import { AppError } from '../../../shared/contract/errors';
import type { LabelSource, SplitConfig } from '../../../shared/contract/library-types';
import { splitForKey } from '../../../shared/domain/splits';
import type { Sql } from '../db/sql';
import { requireCity } from './cities';

/**
 * Records a label in the history and makes it the image's current one; `cityId` null clears it.
 * Splits only mean something for labeled images, so an image gaining its first label gets the
 * split its content hash gives under the current config, and one losing its label loses its split.
 */
export function setCurrentLabel(
  sql: Sql,
  image: { id: number; contentHash: string },
  cityId: number | null,
  source: LabelSource,
  at: string,
  splitConfig: SplitConfig,
): void {
  sql.run('INSERT INTO labels (image_id, city_id, source, created_at) VALUES (?, ?, ?, ?)', [
    image.id,
    cityId,
    source,
    at,
  ]);
  const split =
    cityId === null ? null : splitForKey(splitConfig.seed, image.contentHash, splitConfig);
  sql.run(
    `UPDATE images SET city_id = ?, label_source = ?,
            split = CASE WHEN ? IS NULL THEN NULL ELSE COALESCE(split, ?) END
     WHERE id = ?`,
    [cityId, cityId === null ? null : source, cityId, split, image.id],
  );
}

/**
 * A person labels (or, with city null, unlabels) images. All or nothing: an unknown city or image
 * id changes nothing. Images already carrying exactly this human label are not counted.
 */
export function setHumanLabels(
  sql: Sql,
  imageIds: readonly number[],
  cityName: string | null,
  splitConfig: SplitConfig,
): { updated: number } {
  return sql.transaction(() => {
    const cityId = cityName === null ? null : requireCity(sql, cityName).id;
    const unique = [...new Set(imageIds)];
    const rows = sql.all<{
      id: number;
      contentHash: string;
      city_id: number | null;
      label_source: string | null;
    }>(
      `SELECT id, content_hash AS contentHash, city_id, label_source FROM images
       WHERE id IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(unique)],
    );
    if (rows.length !== unique.length) {
      const found = new Set(rows.map((r) => r.id));
      const missing = unique.filter((id) => !found.has(id));
      throw new AppError(
        'NOT_FOUND',
        `No image with id ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''}; no label was changed.`,
        { missing: missing.slice(0, 100) },
      );
    }
    const now = new Date().toISOString();
    let updated = 0;
    for (const row of rows) {
      const unchanged =
        cityId === null
          ? row.city_id === null
          : row.city_id === cityId && row.label_source === 'human';
      if (unchanged) continue;
      setCurrentLabel(sql, row, cityId, 'human', now, splitConfig);
      updated++;
    }
    return { updated };
  });
}
