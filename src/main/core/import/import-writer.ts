import type { LabelSource, Split } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';

export type NewImage = {
  path: string;
  contentHash: string;
  bytes: number;
  mtimeMs: number;
  width: number;
  height: number;
  format: string;
  takenAt: string | null;
  lat: number | null;
  lon: number | null;
  source: string;
  cityId: number | null;
  labelSource: LabelSource | null;
  split: Split | null;
};

export type ExistingImage = { id: number; bytes: number; mtimeMs: number; contentHash: string };

/** What happened to a pending image when its batch committed. */
export type CommitOutcome =
  | { kind: 'imported'; image: NewImage; id: number }
  | { kind: 'duplicate'; image: NewImage; existingPath: string }
  | { kind: 'alreadyPresent'; image: NewImage };

/** Commit at least this often: bounds what a crash can lose and keeps the UI's list fresh. */
const BATCH_SIZE = 64;
const BATCH_MS = 250;

/**
 * The import's database side, on the worker's own connection. Each image row, its label and its
 * split are written together, in batches, one transaction per batch: after a crash an image is
 * either fully in the library or not at all. Cache files are written before `add` is called, so a
 * committed row always has its files.
 */
export class ImportWriter {
  private pending: NewImage[] = [];
  private firstPendingAt = 0;

  constructor(
    private readonly sql: Sql,
    private readonly runId: number,
  ) {}

  findByPath(path: string): ExistingImage | undefined {
    return this.sql.get<ExistingImage>(
      `SELECT id, bytes, mtime_ms AS mtimeMs, content_hash AS contentHash FROM images WHERE path = ?`,
      [path],
    );
  }

  /** The city a library photo is labeled with, or null when it has none. */
  labelOfPath(path: string): string | null {
    return (
      this.sql.get<{ name: string }>(
        'SELECT c.name FROM images i JOIN cities c ON c.id = i.city_id WHERE i.path = ?',
        [path],
      )?.name ?? null
    );
  }

  findPathByHash(contentHash: string): string | undefined {
    return this.sql.get<{ path: string }>('SELECT path FROM images WHERE content_hash = ?', [
      contentHash,
    ])?.path;
  }

  /** A file touched but not changed (same bytes): remember its new mtime for the cheap check. */
  touch(id: number, mtimeMs: number): void {
    this.sql.run('UPDATE images SET mtime_ms = ? WHERE id = ?', [mtimeMs, id]);
  }

  /** Queues an image; returns the outcomes of a batch when this call committed one. */
  add(image: NewImage): CommitOutcome[] {
    if (this.pending.length === 0) this.firstPendingAt = Date.now();
    this.pending.push(image);
    const due = this.pending.length >= BATCH_SIZE || Date.now() - this.firstPendingAt >= BATCH_MS;
    return due ? this.flush() : [];
  }

  flush(): CommitOutcome[] {
    if (this.pending.length === 0) return [];
    const batch = this.pending;
    this.pending = [];
    const now = new Date().toISOString();
    return this.sql.transaction(() =>
      batch.map((image): CommitOutcome => {
        const result = this.sql.run(
          `INSERT INTO images (path, content_hash, bytes, mtime_ms, width, height, format, taken_at,
                               lat, lon, source, import_run_id, imported_at, city_id, label_source,
                               split)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
          [
            image.path,
            image.contentHash,
            image.bytes,
            image.mtimeMs,
            image.width,
            image.height,
            image.format,
            image.takenAt,
            image.lat,
            image.lon,
            image.source,
            this.runId,
            now,
            image.cityId,
            image.labelSource,
            image.split,
          ],
        );
        if (result.changes === 0) {
          // Another writer (a second app on the same library) got there first.
          const existingPath = this.findPathByHash(image.contentHash);
          return existingPath !== undefined && existingPath !== image.path
            ? { kind: 'duplicate', image, existingPath }
            : { kind: 'alreadyPresent', image };
        }
        const id = Number(result.lastInsertRowid);
        if (image.cityId !== null && image.labelSource !== null) {
          this.sql.run(
            'INSERT INTO labels (image_id, city_id, source, created_at) VALUES (?, ?, ?, ?)',
            [id, image.cityId, image.labelSource, now],
          );
        }
        return { kind: 'imported', image, id };
      }),
    );
  }
}
