// Answers in the labeling queues, recorded with what they replaced so each can be undone: the
// label (city and source) and the exclusion flag before it. One transaction per answer or undo.
import { AppError } from '../../../shared/contract/errors';
import type {
  LabelQueue,
  QueueAction,
  QueueEvent,
} from '../../../shared/contract/label-queue-types';
import type { LabelSource } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';
import { requireCity } from '../repo/cities';
import { setCurrentLabel } from '../repo/labels';
import { readSettings } from '../repo/settings';
import { isExcluded, setExcluded } from './label-pool';

type ImageRow = {
  id: number;
  contentHash: string;
  city_id: number | null;
  label_source: LabelSource | null;
};

type EventRow = {
  id: number;
  queue: LabelQueue;
  image_id: number;
  action: QueueAction;
  city_id: number | null;
  city: string | null;
  before_city_id: number | null;
  before_source: LabelSource | null;
  before_excluded: number;
};

const EXCLUDE_REASON: Record<LabelQueue, string> = {
  next: 'not a street photo / none of these (label next)',
  suspects: 'excluded from training (probably mislabelled)',
};

function imageRow(sql: Sql, imageId: number): ImageRow {
  const row = sql.get<ImageRow>(
    'SELECT id, content_hash AS contentHash, city_id, label_source FROM images WHERE id = ?',
    [imageId],
  );
  if (row === undefined)
    throw new AppError('NOT_FOUND', `No image with id ${imageId}.`, { imageId });
  return row;
}

function toEvent(row: EventRow): QueueEvent {
  return {
    id: row.id,
    queue: row.queue,
    imageId: row.image_id,
    action: row.action,
    city: row.city,
  };
}

/**
 * Records one answer and applies it: label / change make `city` the photo's label (source
 * 'queue'); exclude sets the exclusion flag; skip and keep change nothing but are remembered
 * (keep takes the photo off the suspects list while its label stays).
 */
export function recordAnswer(
  sql: Sql,
  answer: {
    modelId: string;
    queue: LabelQueue;
    imageId: number;
    action: QueueAction;
    city: string | null;
  },
): QueueEvent {
  return sql.transaction(() => {
    const image = imageRow(sql, answer.imageId);
    const cityId = answer.city === null ? null : requireCity(sql, answer.city).id;
    const excluded = isExcluded(sql, image.id);
    const now = new Date().toISOString();
    if ((answer.action === 'label' || answer.action === 'change') && cityId !== null) {
      setCurrentLabel(sql, image, cityId, 'queue', now, readSettings(sql).split);
    } else if (answer.action === 'exclude') {
      setExcluded(sql, image.id, true, EXCLUDE_REASON[answer.queue], now);
    }
    const id = Number(
      sql.run(
        `INSERT INTO label_events (queue, model_id, image_id, action, city_id, before_city_id,
                                   before_source, before_excluded, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          answer.queue,
          answer.modelId,
          image.id,
          answer.action,
          cityId,
          image.city_id,
          image.label_source,
          excluded ? 1 : 0,
          now,
        ],
      ).lastInsertRowid,
    );
    return eventById(sql, id);
  });
}

function eventById(sql: Sql, id: number): QueueEvent {
  const row = sql.get<EventRow>(
    `SELECT e.*, c.name AS city FROM label_events e LEFT JOIN cities c ON c.id = e.city_id
     WHERE e.id = ?`,
    [id],
  );
  if (row === undefined) throw new AppError('INTERNAL', `label event ${id} vanished`);
  return toEvent(row);
}

/**
 * Undoes the queue's newest answer not yet undone: the label and source it replaced come back
 * (through the label history, so the history shows the undo too) and the exclusion flag is what it
 * was. Returns null when there is nothing to undo.
 */
export function undoLast(sql: Sql, queue: LabelQueue): QueueEvent | null {
  return sql.transaction(() => {
    const row = sql.get<EventRow>(
      `SELECT e.*, c.name AS city FROM label_events e LEFT JOIN cities c ON c.id = e.city_id
       WHERE e.queue = ? AND e.undone_at IS NULL ORDER BY e.id DESC LIMIT 1`,
      [queue],
    );
    if (row === undefined) return null;
    const now = new Date().toISOString();
    if (row.action === 'label' || row.action === 'change') {
      const image = imageRow(sql, row.image_id);
      // A city removed since then took its labels with it: the photo goes back to unlabelled.
      const before =
        row.before_city_id === null ||
        sql.get('SELECT 1 FROM cities WHERE id = ?', [row.before_city_id]) === undefined
          ? null
          : row.before_city_id;
      setCurrentLabel(
        sql,
        image,
        before,
        before === null ? 'queue' : (row.before_source ?? 'human'),
        now,
        readSettings(sql).split,
      );
    } else if (row.action === 'exclude') {
      setExcluded(sql, row.image_id, row.before_excluded === 1, EXCLUDE_REASON[queue], now);
    }
    sql.run('UPDATE label_events SET undone_at = ? WHERE id = ?', [now, row.id]);
    return toEvent(row);
  });
}

/** Labels given through the queues (label / change answers not undone). */
export function queueLabelCount(sql: Sql): number {
  return (
    sql.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM label_events WHERE action IN ('label', 'change') AND undone_at IS NULL",
    )?.n ?? 0
  );
}
