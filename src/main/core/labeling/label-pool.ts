// Which photos each labeling queue works on, read from the library. The label-next queue asks
// about photos without a label a person or the photo's own GPS gave: unlabelled ones and ones only
// a model labelled. A folder or CSV someone sorted counts as a person's label. Excluded photos are
// in no pool.
import type { Split } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';

export type PoolImage = { id: number; path: string; contentHash: string };
export type LabelledImage = PoolImage & { city: string; split: Split | null };

const NOT_EXCLUDED = 'i.id NOT IN (SELECT image_id FROM training_exclusions)';

/** Photos the label-next queue may ask about: no label, or a model's only; not excluded. */
export function queueCandidates(sql: Sql): PoolImage[] {
  return sql.all<PoolImage>(
    `SELECT i.id, i.path, i.content_hash AS contentHash FROM images i
     WHERE (i.city_id IS NULL OR i.label_source = 'model') AND ${NOT_EXCLUDED}
     ORDER BY i.id`,
  );
}

/**
 * Labelled photos the queues learn from and judge: a label of one of `classes` that is not a
 * model's guess, not excluded. In id order (stable folds and seeds).
 */
export function labelledPool(sql: Sql, classes: readonly string[]): LabelledImage[] {
  const known = new Set(classes.map((c) => c.toLowerCase()));
  return sql
    .all<LabelledImage>(
      `SELECT i.id, i.path, i.content_hash AS contentHash, c.name AS city, i.split
       FROM images i JOIN cities c ON c.id = i.city_id
       WHERE i.label_source <> 'model' AND ${NOT_EXCLUDED}
       ORDER BY i.id`,
    )
    .filter((i) => known.has(i.city.toLowerCase()));
}

export function excludedCount(sql: Sql): number {
  return sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM training_exclusions')?.n ?? 0;
}

export function isExcluded(sql: Sql, imageId: number): boolean {
  return sql.get('SELECT 1 FROM training_exclusions WHERE image_id = ?', [imageId]) !== undefined;
}

/** Sets or clears the exclusion flag of a photo (the label is left alone). */
export function setExcluded(
  sql: Sql,
  imageId: number,
  excluded: boolean,
  reason: string,
  at: string,
): void {
  if (excluded) {
    sql.run(
      'INSERT INTO training_exclusions (image_id, reason, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [imageId, reason, at],
    );
  } else {
    sql.run('DELETE FROM training_exclusions WHERE image_id = ?', [imageId]);
  }
}

/** Photos a person kept with their current label through the suspects queue (not undone). */
export function keptWithCurrentLabel(sql: Sql): Set<number> {
  return new Set(
    sql
      .all<{ image_id: number }>(
        `SELECT e.image_id FROM label_events e JOIN images i ON i.id = e.image_id
         WHERE e.queue = 'suspects' AND e.action = 'keep' AND e.undone_at IS NULL
           AND e.before_city_id = i.city_id`,
      )
      .map((r) => r.image_id),
  );
}
