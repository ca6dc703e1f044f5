// Writes a geolocation estimate into JPEGs as EXIF GPS, losslessly: the pixels are never decoded,
// every JPEG segment and the entropy-coded data stay byte-identical, and only the EXIF APP1
// segment changes (the existing TIFF block kept byte for byte, a GPS IFD appended; see tiff-gps.ts).
// Two modes: a GPS-stamped copy in another folder (the source is only read), or — opt-in — the
// original rewritten in place after a verified backup.
import { basename, resolve } from 'node:path';
import { realpath, rm } from 'node:fs/promises';
import { AppError } from '../../../shared/contract/errors';
import type { ExportReview } from './exports';
import type { GpsFacts } from './gps-ifd';
import {
  exifInsertionPoint,
  exifSegment,
  exifTiff,
  findExif,
  jfifDensity,
  parseJpegHead,
  splice,
} from './jpeg-segments';
import {
  asAppError,
  readPhoto,
  replaceFile,
  sha256,
  verifyFile,
  writeFreshFile,
} from './safe-files';
import { freshTiffWithGps, readGpsPosition, withGps } from './tiff-gps';

export type GpsStamp = {
  lat: number;
  lon: number;
  city: string;
  country: string;
  confidence: number;
  modelId: string;
  /** A reviewer's part in the city (default: none, the model's estimate alone). */
  review?: ExportReview;
  /** Written although the model answered "unknown" (its forced choice), as the user asked. */
  forcedChoice?: boolean;
};

/**
 * GPSHPositioningError we write, in metres: the estimate is a city centre, so about a city's
 * radius. Apps that read the tag (Apple Photos, exiftool, digiKam) then know the fix is coarse.
 */
export const ESTIMATE_ERROR_M = 25_000;

/** Test seam: runs after the backup is verified, before the original is replaced. */
export type OriginalWriteHooks = { afterBackup?: () => Promise<void> };

function validStamp(stamp: GpsStamp): void {
  const bad = (field: string, why: string): AppError =>
    new AppError('BAD_ARGUMENT', `GPS stamp: ${field} ${why}.`, { field });
  const inRange = (v: number, limit: number): boolean => Number.isFinite(v) && Math.abs(v) <= limit;
  if (!inRange(stamp.lat, 90)) throw bad('lat', 'must be a number from -90 to 90');
  if (!inRange(stamp.lon, 180)) throw bad('lon', 'must be a number from -180 to 180');
  if (!Number.isFinite(stamp.confidence) || stamp.confidence < 0 || stamp.confidence > 1) {
    throw bad('confidence', 'must be a probability from 0 to 1');
  }
  for (const field of ['city', 'country', 'modelId'] as const) {
    if (typeof stamp[field] !== 'string') throw bad(field, 'must be text');
  }
}

/** The note in GPSAreaInformation that says this position is a model's guess of a city. */
export function estimateNote(stamp: GpsStamp): string {
  const place = [stamp.city, stamp.country].filter((s) => s.trim() !== '').join(', ');
  const model = `model ${stamp.modelId}, p=${stamp.confidence.toFixed(2)}`;
  if (stamp.review === 'corrected') return `Reviewer's city: ${place} (${model})`;
  const confirmed = stamp.review === 'accepted' ? ', confirmed by a reviewer' : '';
  const forced =
    stamp.forcedChoice === true ? ', forced choice: looks like none of its cities' : '';
  return `Estimated city: ${place} (${model}${confirmed}${forced})`;
}

/**
 * The JPEG `bytes` with EXIF GPS set to `stamp` (pure; `name` only labels errors). Bytes outside
 * the EXIF segment are copied as they are; the result is parsed back and checked before it is
 * returned, so a bug here can never reach a file.
 */
export function jpegWithGps(bytes: Buffer, stamp: GpsStamp, name = 'photo'): Buffer {
  validStamp(stamp);
  const head = parseJpegHead(bytes, name);
  const facts: GpsFacts = {
    lat: stamp.lat,
    lon: stamp.lon,
    area: estimateNote(stamp),
    errorM: ESTIMATE_ERROR_M,
  };
  const exif = findExif(bytes, head);
  let out: Buffer;
  if (exif === undefined) {
    const at = exifInsertionPoint(head);
    const tiff = freshTiffWithGps(facts, jfifDensity(bytes, head));
    out = splice(bytes, at, at, exifSegment(tiff));
  } else {
    out = splice(bytes, exif.start, exif.end, exifSegment(withGps(exifTiff(bytes, exif), facts)));
  }
  checkResult(bytes, head.scanStart, out, stamp, name);
  return out;
}

function checkResult(
  before: Buffer,
  scanStart: number,
  out: Buffer,
  stamp: GpsStamp,
  name: string,
): void {
  const head = parseJpegHead(out, name);
  const exif = findExif(out, head);
  const position = exif === undefined ? null : readGpsPosition(exifTiff(out, exif));
  const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-8;
  const samePixels = out.subarray(head.scanStart).equals(before.subarray(scanStart));
  if (position === null || !close(position.lat, stamp.lat) || !close(position.lon, stamp.lon)) {
    throw new AppError('INTERNAL', `${name}: the GPS written does not read back; nothing written.`);
  }
  if (!samePixels) {
    throw new AppError('INTERNAL', `${name}: the image data would change; nothing written.`);
  }
}

/**
 * Writes a copy of the JPEG `src` with EXIF GPS set into folder `destDir` (created if missing;
 * never overwrites: picks a free name like name-1.jpg); src is only read. Returns the written path.
 */
export async function writeGpsCopy(src: string, destDir: string, stamp: GpsStamp): Promise<string> {
  validStamp(stamp);
  const { bytes } = await readPhoto(src);
  const out = jpegWithGps(bytes, stamp, src);
  return writeFreshFile(resolve(destDir), basename(src), out);
}

/**
 * Copies `path` into `backupDir` first (byte-identical, same mode and times, free name) and checks
 * the copy's size and SHA-256; then rewrites `path` atomically (temp file + rename in the same
 * folder) with EXIF GPS. The new bytes are built and checked before anything is written, so a file
 * we cannot handle gets no backup. If anything fails after the backup, the original is untouched
 * and the backup (then a needless duplicate) is removed. A symlink's target is rewritten, not the
 * link. Returns the backup's path.
 */
export async function writeGpsIntoOriginal(
  path: string,
  backupDir: string,
  stamp: GpsStamp,
  hooks: OriginalWriteHooks = {},
): Promise<{ backup: string }> {
  validStamp(stamp);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    // readPhoto names the problem (missing, unreadable) with the path the caller gave.
    real = path;
  }
  const { bytes, stats } = await readPhoto(real);
  const out = jpegWithGps(bytes, stamp, path);
  const size = bytes.length;
  const hash = sha256(bytes);
  const backup = await writeFreshFile(resolve(backupDir), basename(real), bytes, {
    mode: stats.mode & 0o7777,
    times: { atime: stats.atime, mtime: stats.mtime },
  });
  try {
    await verifyFile(backup, size, hash);
    await hooks.afterBackup?.();
    await replaceFile(real, out, stats, async () => {
      // Another program may have saved the photo since we read it: never clobber that.
      const now = await readPhoto(real);
      if (now.bytes.length !== size || sha256(now.bytes) !== hash) {
        throw new AppError(
          'CONFLICT',
          `${path} changed while GPS was being written; it was left as it is.`,
          { path },
        );
      }
    });
  } catch (error) {
    await rm(backup, { force: true });
    throw asAppError(error, 'write GPS into', path);
  }
  return { backup };
}
