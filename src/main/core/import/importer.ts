import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { ImportError, ImportReport } from '../../../shared/contract/library-types';
import { tooLarge } from '../../../shared/contract/limits';
import { nearestCityWithin } from '../../../shared/domain/geo';
import { splitForKey } from '../../../shared/domain/splits';
import { Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import { readSettings } from '../repo/settings';
import { CacheWriter } from './cache-files';
import { readPhotoMeta } from './exif';
import { describeFsError } from '../../platform/fs-errors';
import { ImportWriter, type CommitOutcome } from './import-writer';
import { looksLikeImage } from '../../platform/image/image-header';
import { ImageRejected, NOT_AN_IMAGE, renderImage } from '../../platform/image/render';
import { scanInputs, type Candidate } from './scan';

export type ImportOptions = {
  libraryDir: string;
  cacheDir: string;
  tmpDir: string;
  runId: number;
  paths: string[];
  csv: string | null;
  /** Files decoded at once. */
  concurrency: number;
};

export type ImportHooks = {
  isCancelled(): boolean;
  progress(done: number, total: number, message: string | null): void;
  /** Called after each commit that added images (so the UI can refresh). */
  committed(count: number): void;
};

const YIELD_EVERY = 64;

/** Reports list at most this many problems/duplicates; the counts always cover all of them. */
export const MAX_LISTED = 10_000;

/**
 * The whole import over one database connection (the worker's): scan the inputs, then for each
 * file, with `concurrency` in flight: cheap already-present check (path + size + mtime), read,
 * hash, duplicate check, decode + norm cache file, EXIF, label, split, queue for the batched commit.
 * Stops taking new files once cancelled and commits what is done.
 */
export async function runImport(
  db: Database.Database,
  options: ImportOptions,
  hooks: ImportHooks,
): Promise<ImportReport> {
  const started = Date.now();
  const sql = new Sql(db);
  const settings = readSettings(sql);
  const cities = listCities(sql);
  const cityIds = new Map(cities.map((c) => [c.name, c.id]));
  const writer = new ImportWriter(sql, options.runId);
  const cache = new CacheWriter(options.cacheDir, options.tmpDir);

  const report: ImportReport = {
    imported: 0,
    duplicates: 0,
    skipped: 0,
    alreadyPresent: 0,
    labeled: 0,
    errors: [],
    duplicateOf: [],
    durationMs: 0,
  };
  const fail = (error: ImportError): void => {
    report.skipped++;
    if (report.errors.length < MAX_LISTED) report.errors.push(error);
  };
  const duplicate = (path: string, existingPath: string, labelConflict?: string): void => {
    report.duplicates++;
    if (report.duplicateOf.length < MAX_LISTED) {
      report.duplicateOf.push({ path, existingPath, ...(labelConflict ? { labelConflict } : {}) });
    }
  };
  // Content hashes claimed in this run, so two copies decoded at the same time count once; with
  // the city their folder or manifest named (the library's label for them once committed).
  const claimed = new Map<string, string>();
  const claimedLabels = new Map<string, string | null>();
  /**
   * A copy whose folder names another city than the first copy's label: the same photo cannot be
   * in both, so one label is wrong, and the person should hear of it rather than find it later.
   */
  const labelConflict = (c: Candidate, contentHash: string, firstPath: string) => {
    if (c.label === null) return undefined;
    const first = claimedLabels.get(contentHash) ?? writer.labelOfPath(firstPath);
    if (first !== null && first.toLowerCase() === c.label.city.toLowerCase()) return undefined;
    return first === null
      ? `same photo labeled ${c.label.city} here and unlabeled in the library; the library keeps no label`
      : `same photo labeled ${c.label.city} here and ${first} in the library; the library keeps ${first}`;
  };
  const settle = (outcomes: CommitOutcome[]): void => {
    let added = 0;
    for (const o of outcomes) {
      if (o.kind === 'imported') {
        added++;
        report.imported++;
        if (o.image.cityId !== null) report.labeled++;
      } else if (o.kind === 'duplicate') duplicate(o.image.path, o.existingPath);
      else report.alreadyPresent++;
    }
    if (added > 0) hooks.committed(added);
  };

  hooks.progress(0, 0, 'Looking for photos…');
  const scan = await scanInputs({
    paths: options.paths,
    csv: options.csv,
    cityNames: cities.map((c) => c.name),
    excludeDirs: [options.libraryDir],
    isCancelled: () => hooks.isCancelled(),
    onFound: (n) => hooks.progress(0, 0, `Looking for photos… ${n} found`),
  });
  for (const error of scan.errors) fail(error);

  // File reads and stats are synchronous, into a buffer each lane reuses: this runs on the import
  // worker's own thread, and keeping libuv's small pool for sharp's decodes (and allocating less)
  // measurably speeds the import up (bench/library.bench.ts, CPU ms/image).
  const processOne = async (c: Candidate, scratch: Scratch): Promise<void> => {
    let info;
    try {
      info = statSync(c.path);
    } catch (error) {
      fail({ path: c.path, reason: describeFsError(error) });
      return;
    }
    if (!info.isFile()) {
      fail({ path: c.path, reason: 'not a regular file' });
      return;
    }
    const mtimeMs = Math.floor(info.mtimeMs);
    const existing = writer.findByPath(c.path);
    if (existing !== undefined && existing.bytes === info.size && existing.mtimeMs === mtimeMs) {
      report.alreadyPresent++;
      return;
    }
    if (info.size === 0) {
      fail({ path: c.path, reason: 'empty file (0 bytes)' });
      return;
    }
    // Size first, then the header, then the body: a huge file or one that is plainly not an
    // image costs a stat or a few kilobytes, not its whole size in memory.
    if (info.size > settings.maxFileBytes) {
      fail({ path: c.path, reason: tooLarge(info.size, settings.maxFileBytes) });
      return;
    }
    let bytes: Buffer;
    try {
      if (!looksLikeImage(readInto(c.path, Math.min(info.size, HEADER_BYTES), scratch))) {
        fail({ path: c.path, reason: NOT_AN_IMAGE });
        return;
      }
      bytes = readInto(c.path, info.size, scratch);
    } catch (error) {
      fail({ path: c.path, reason: describeFsError(error) });
      return;
    }
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    if (existing !== undefined) {
      if (existing.contentHash === contentHash) {
        writer.touch(existing.id, mtimeMs);
        report.alreadyPresent++;
      } else {
        fail({
          path: c.path,
          reason: 'changed since it was imported; the library keeps the earlier version',
        });
      }
      return;
    }
    const firstPath = claimed.get(contentHash) ?? writer.findPathByHash(contentHash);
    if (firstPath !== undefined) {
      duplicate(c.path, firstPath, labelConflict(c, contentHash, firstPath));
      return;
    }
    claimed.set(contentHash, c.path);
    claimedLabels.set(contentHash, c.label?.city ?? null);
    try {
      await importNew(c, bytes, contentHash, bytes.length, mtimeMs);
    } catch (error) {
      claimed.delete(contentHash);
      claimedLabels.delete(contentHash);
      throw error;
    }
  };

  const importNew = async (
    c: Candidate,
    bytes: Buffer,
    contentHash: string,
    size: number,
    mtimeMs: number,
  ): Promise<void> => {
    // Decode and EXIF parse are independent; overlapping them saves a round trip per file.
    const [outcome, meta] = await Promise.all([
      renderImage(bytes, settings.maxImagePixels).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      readPhotoMeta(bytes),
    ]);
    if (!outcome.ok) {
      claimed.delete(contentHash);
      claimedLabels.delete(contentHash);
      const { error } = outcome;
      fail({
        path: c.path,
        reason:
          error instanceof ImageRejected ? error.message : `could not be decoded: ${String(error)}`,
      });
      return;
    }
    const rendered = outcome.value;
    // The cache file first: a committed row must always have its norm image.
    cache.write('norm', contentHash, rendered.norm);

    const position =
      meta.lat !== null && meta.lon !== null ? { lat: meta.lat, lon: meta.lon } : c.position;
    let cityId: number | null = null;
    let labelSource: 'folder' | 'csv' | 'gps' | null = null;
    if (c.label !== null) {
      cityId = cityIds.get(c.label.city) ?? null;
      labelSource = cityId === null ? null : c.label.source;
    } else if (position !== null) {
      const near = nearestCityWithin(position, cities);
      if (near !== null) {
        cityId = near.id;
        // A position from the manifest is the manifest's statement, not the camera's.
        labelSource = meta.lat !== null ? 'gps' : 'csv';
      }
    }
    settle(
      writer.add({
        path: c.path,
        contentHash,
        bytes: size,
        mtimeMs,
        width: rendered.width,
        height: rendered.height,
        format: rendered.format,
        takenAt: meta.takenAt,
        lat: position?.lat ?? null,
        lon: position?.lon ?? null,
        source: c.source,
        cityId,
        labelSource,
        split:
          cityId === null ? null : splitForKey(settings.split.seed, contentHash, settings.split),
      }),
    );
  };

  const candidates = scan.candidates;
  const total = candidates.length;
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    const scratch: Scratch = { buffer: Buffer.alloc(0) };
    while (!hooks.isCancelled() && next < total) {
      const candidate = candidates[next++] as Candidate;
      try {
        await processOne(candidate, scratch);
      } catch (error) {
        // Unexpected (e.g. the disk is full writing the cache): this file is skipped, not lost.
        fail({ path: candidate.path, reason: `import failed: ${describeFsError(error)}` });
      }
      shrinkScratch(scratch);
      done++;
      hooks.progress(done, total, `Imported ${report.imported}, skipped ${report.skipped}`);
      // Files already in the library are handled without awaiting anything; yield now and then so
      // a cancel message can still get through.
      if (done % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  settle(writer.flush());

  const notListed = report.skipped - report.errors.length;
  if (notListed > 0) {
    report.errors.push({ path: '…', reason: `${notListed} more problems not listed` });
  }
  report.durationMs = Date.now() - started;
  hooks.progress(done, total, `Imported ${report.imported}, skipped ${report.skipped}`);
  return report;
}

/** A lane's reusable read buffer: one photo at a time, so no per-file allocation (and less GC). */
export type Scratch = { buffer: Buffer };

/** Enough for any image format's signature (and a JPEG's first segments). */
const HEADER_BYTES = 64 * 1024;

/**
 * A lane keeps a buffer of typical photo size between files; one grown for an unusually large file
 * is let go afterwards, so a single 200 MB panorama does not pin 200 MB per lane for the rest of
 * the import.
 */
export const SCRATCH_KEEP_BYTES = 32 * 1024 * 1024;

export function shrinkScratch(scratch: Scratch): void {
  if (scratch.buffer.length > SCRATCH_KEEP_BYTES) scratch.buffer = Buffer.alloc(0);
}

/** Reads a whole file into the lane's buffer; the view is valid until the lane's next read. */
function readInto(path: string, size: number, scratch: Scratch): Buffer {
  if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.max(size, 1 << 20));
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, scratch.buffer, read, size - read, read);
      if (n === 0) break; // the file shrank since stat: hash and decode what is there
      read += n;
    }
    return scratch.buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
