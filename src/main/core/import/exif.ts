import exifr from 'exifr';
import { isValidLatLon } from '../../../shared/domain/geo';

export type PhotoMeta = { takenAt: string | null; lat: number | null; lon: number | null };

const NO_META: PhotoMeta = { takenAt: null, lat: null, lon: null };

// Only the segments we use: skipping maker notes, XMP, ICC and thumbnails keeps parsing to ~1 ms
// and away from the odd vendor blocks that break readers.
const OPTIONS = {
  tiff: true,
  ifd0: { pick: ['Orientation'] },
  exif: { pick: ['DateTimeOriginal', 'CreateDate'] },
  gps: true,
  interop: false,
  ifd1: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  // Raw values: EXIF dates have no time zone, so they are kept as local wall-clock time rather
  // than being shifted into this machine's zone.
  reviveValues: false,
  translateValues: false,
  mergeOutput: true,
};

type ExifOutput = {
  DateTimeOriginal?: unknown;
  CreateDate?: unknown;
  latitude?: unknown;
  longitude?: unknown;
};

/** "2008:10:22 16:28:39" -> "2008-10-22T16:28:39" (local time, as the camera recorded it). */
function exifDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (m === null || m[1] === '0000') return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

/**
 * Capture time and GPS position from EXIF (JPEG, TIFF, HEIC). Never throws: photos with broken or
 * odd EXIF blocks still import, just without this metadata. A position of exactly 0,0 is what
 * many cameras write when they had no fix, so it counts as none.
 */
export async function readPhotoMeta(buffer: Buffer): Promise<PhotoMeta> {
  let out: ExifOutput | undefined;
  try {
    out = (await exifr.parse(buffer, OPTIONS)) as ExifOutput | undefined;
  } catch {
    return NO_META;
  }
  if (out === undefined || out === null) return NO_META;
  const lat = typeof out.latitude === 'number' ? out.latitude : NaN;
  const lon = typeof out.longitude === 'number' ? out.longitude : NaN;
  const hasPosition = isValidLatLon(lat, lon) && !(lat === 0 && lon === 0);
  return {
    takenAt: exifDate(out.DateTimeOriginal) ?? exifDate(out.CreateDate),
    lat: hasPosition ? lat : null,
    lon: hasPosition ? lon : null,
  };
}
