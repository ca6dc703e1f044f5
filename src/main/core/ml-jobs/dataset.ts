// The labelled images a training run or an evaluation uses, read from the library.
import { createHash } from 'node:crypto';
import type { Split } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';

export type LabeledImage = {
  id: number;
  path: string;
  contentHash: string;
  city: string;
  split: Split | null;
};

/**
 * Every labelled image, in id order (a stable order makes runs reproducible and resumable).
 * Photos a person excluded from training in the labeling queues are left out.
 */
export function labeledImages(sql: Sql): LabeledImage[] {
  return sql.all<LabeledImage>(
    `SELECT i.id, i.path, i.content_hash AS contentHash, c.name AS city, i.split
     FROM images i JOIN cities c ON c.id = i.city_id
     WHERE i.id NOT IN (SELECT image_id FROM training_exclusions) ORDER BY i.id`,
  );
}

export type ImageRef = { id: number; path: string; contentHash: string };

export function imagesById(sql: Sql, ids: readonly number[]): Map<number, ImageRef> {
  const out = new Map<number, ImageRef>();
  for (const id of new Set(ids)) {
    const row = sql.get<ImageRef>(
      'SELECT id, path, content_hash AS contentHash FROM images WHERE id = ?',
      [id],
    );
    if (row !== undefined) out.set(id, row);
  }
  return out;
}

/**
 * The classes of a run: the cities with at least one training image, alphabetically (the order
 * of the model's outputs).
 */
export function trainingClasses(images: readonly LabeledImage[]): string[] {
  return [...new Set(images.filter((i) => i.split === 'train').map((i) => i.city))].sort((a, b) =>
    a.localeCompare(b),
  );
}

/**
 * A hash of the data a model was trained and validated on: sha256 over the sorted
 * "<content hash> <split> <city>" lines. Equal hashes mean the same images, splits and labels.
 */
export function splitHash(
  images: readonly { contentHash: string; split: string; city: string }[],
): string {
  const lines = images.map((i) => `${i.contentHash} ${i.split} ${i.city}\n`).sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

export function countsOf(
  classes: readonly string[],
  images: readonly { city: string }[],
): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => 0);
  for (const image of images) {
    const i = index.get(image.city);
    if (i !== undefined) counts[i]! += 1;
  }
  return counts;
}
