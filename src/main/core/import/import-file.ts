// One file of an import: the cheap checks first (already present by path + size + mtime, size,
// image header), then read, hash, duplicate check, decode + norm cache file, EXIF, label, split,
// queued for the batched commit. Every problem lands in the tally; nothing throws for bad input.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { City } from '../../../shared/contract/library-types';
import { tooLarge } from '../../../shared/contract/limits';
import { splitForKey } from '../../../shared/domain/splits';
import type { LibrarySettings } from '../repo/settings';
import type { CacheWriter } from './cache-files';
import { readPhotoMeta } from './exif';
import { describeFsError } from '../../platform/fs-errors';
import type { ContentClaims } from './import-claims';
import { labelPhoto } from './import-label';
import type { ImportTally } from './import-tally';
import type { ImportWriter } from './import-writer';
import { looksLikeImage } from '../../platform/image/image-header';
import { HEADER_BYTES, readInto, type Scratch } from './read-scratch';
import { ImageRejected, NOT_AN_IMAGE, renderImage } from '../../platform/image/render';
import type { Candidate } from './scan';

/** What every file of one import shares. */
export type FileImport = {
  settings: LibrarySettings;
  cities: readonly City[];
  writer: ImportWriter;
  cache: CacheWriter;
  tally: ImportTally;
  claims: ContentClaims;
};

export async function importFile(run: FileImport, c: Candidate, scratch: Scratch): Promise<void> {
  const { writer, tally, claims } = run;
  let info;
  try {
    info = statSync(c.path);
  } catch (error) {
    tally.fail({ path: c.path, reason: describeFsError(error) });
    return;
  }
  if (!info.isFile()) {
    tally.fail({ path: c.path, reason: 'not a regular file' });
    return;
  }
  const mtimeMs = Math.floor(info.mtimeMs);
  const existing = writer.findByPath(c.path);
  if (existing !== undefined && existing.bytes === info.size && existing.mtimeMs === mtimeMs) {
    tally.alreadyPresent();
    return;
  }
  if (info.size === 0) {
    tally.fail({ path: c.path, reason: 'empty file (0 bytes)' });
    return;
  }
  // Size first, then the header, then the body: a huge file or one that is plainly not an
  // image costs a stat or a few kilobytes, not its whole size in memory.
  if (info.size > run.settings.maxFileBytes) {
    tally.fail({ path: c.path, reason: tooLarge(info.size, run.settings.maxFileBytes) });
    return;
  }
  let bytes: Buffer;
  try {
    if (!looksLikeImage(readInto(c.path, Math.min(info.size, HEADER_BYTES), scratch))) {
      tally.fail({ path: c.path, reason: NOT_AN_IMAGE });
      return;
    }
    bytes = readInto(c.path, info.size, scratch);
  } catch (error) {
    tally.fail({ path: c.path, reason: describeFsError(error) });
    return;
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  if (existing !== undefined) {
    if (existing.contentHash === contentHash) {
      writer.touch(existing.id, mtimeMs);
      tally.alreadyPresent();
    } else {
      tally.fail({
        path: c.path,
        reason: 'changed since it was imported; the library keeps the earlier version',
      });
    }
    return;
  }
  const firstPath = claims.pathOf(contentHash) ?? writer.findPathByHash(contentHash);
  if (firstPath !== undefined) {
    const conflict = claims.labelConflict(c, contentHash, firstPath, (p) => writer.labelOfPath(p));
    tally.duplicate(c.path, firstPath, conflict);
    return;
  }
  claims.claim(contentHash, c);
  try {
    await importNew(run, c, bytes, contentHash, mtimeMs);
  } catch (error) {
    claims.release(contentHash);
    throw error;
  }
}

/** Decodes a photo not in the library yet, writes its norm image and queues its row. */
async function importNew(
  run: FileImport,
  c: Candidate,
  bytes: Buffer,
  contentHash: string,
  mtimeMs: number,
): Promise<void> {
  const { settings } = run;
  // Decode and EXIF parse are independent; overlapping them saves a round trip per file.
  const [outcome, meta] = await Promise.all([
    renderImage(bytes, settings.maxImagePixels).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    readPhotoMeta(bytes),
  ]);
  if (!outcome.ok) {
    run.claims.release(contentHash);
    const { error } = outcome;
    run.tally.fail({
      path: c.path,
      reason:
        error instanceof ImageRejected ? error.message : `could not be decoded: ${String(error)}`,
    });
    return;
  }
  const rendered = outcome.value;
  // The cache file first: a committed row must always have its norm image.
  run.cache.write('norm', contentHash, rendered.norm);
  const { position, cityId, labelSource } = labelPhoto(c, meta, run.cities);
  run.tally.settle(
    run.writer.add({
      path: c.path,
      contentHash,
      bytes: bytes.length,
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
      split: cityId === null ? null : splitForKey(settings.split.seed, contentHash, settings.split),
    }),
  );
}
