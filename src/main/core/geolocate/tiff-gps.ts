// Puts a GPS IFD into an EXIF TIFF block without moving a single existing byte.
//
// Why append instead of rebuilding: EXIF offsets are absolute from the TIFF header, and maker notes
// (Nikon, Canon, Olympus, …) are opaque blobs that often hold absolute offsets of their own. Any
// rewrite that shifts bytes silently breaks them. So the existing block is kept byte for byte, the
// new GPS IFD is appended after it, and only pointers change:
//   - IFD0 already has GPSInfo (0x8825): its 4-byte value is patched in place to the new GPS IFD.
//     The old GPS IFD stays behind, unreferenced, so readers see exactly one (the new) position.
//     Its other tags (altitude, timestamps) are dropped on purpose: they described a different fix.
//   - IFD0 has no GPSInfo: an IFD can't grow in place (the bytes after it are in use), so a copy of
//     IFD0 with the extra entry is appended, and the header's IFD0 offset (bytes 4..8) points at it.
//     The copy's entries keep their value offsets, which still point at the untouched values; the
//     old IFD0 stays behind, unreferenced.
// The cost is a few hundred bytes of dead data per write; the gain is that nothing we don't
// understand can be damaged.
import { AppError } from '../../../shared/contract/errors';
import { GPS_INFO_TAG, GPS_TAG, gpsIfdValues, type GpsFacts } from './gps-ifd';
import type { Density } from './jpeg-segments';
import {
  encodeIfd,
  type IfdValue,
  IFD_ENTRY_SIZE,
  ifdSize,
  readIfd,
  readTiffHeader,
  readU32,
  TIFF_TYPE,
  wordAligned,
  writeU16,
  writeU32,
} from './tiff-ifd';

/** What one APP1 segment can carry after its "Exif\0\0" header: 65535 − 2 (length) − 6. */
export const MAX_TIFF_BYTES = 65535 - 2 - 6;

function tooBig(size: number): AppError {
  return new AppError(
    'UNSUPPORTED',
    `The EXIF block would grow to ${size} bytes with the GPS tags, over the JPEG limit of ${MAX_TIFF_BYTES}; the photo was left unchanged.`,
    { size, limit: MAX_TIFF_BYTES },
  );
}

/** A GPSInfo entry we can re-point in place: one LONG (or IFD-typed) offset. */
const isPatchable = (type: number, count: number): boolean =>
  count === 1 && (type === TIFF_TYPE.LONG || type === TIFF_TYPE.IFD);

/** Returns a copy of the TIFF block `tiff` whose IFD0 points at a new GPS IFD holding `facts`. */
export function withGps(tiff: Buffer, facts: GpsFacts): Buffer {
  const { le, ifd0 } = readTiffHeader(tiff);
  const ifd = readIfd(tiff, ifd0, le);
  const base = wordAligned(tiff.length);
  const existing = ifd.entries.find((e) => e.tag === GPS_INFO_TAG);

  if (existing !== undefined && isPatchable(existing.type, existing.count)) {
    const gps = encodeIfd(gpsIfdValues(facts, le), base, le);
    const out = Buffer.alloc(base + gps.length);
    tiff.copy(out);
    gps.copy(out, base);
    writeU32(out, existing.field, base, le);
    return checked(out);
  }

  // A new IFD0: the old entries' raw 12 bytes (minus an unusable GPSInfo, if any), plus ours, in
  // tag order. `next` keeps IFD1 (the thumbnail) linked.
  const kept = ifd.entries.filter((e) => e.tag !== GPS_INFO_TAG);
  const newIfd0Size = ifdSize(kept.length + 1);
  const gpsAt = base + newIfd0Size;
  const gps = encodeIfd(gpsIfdValues(facts, le), gpsAt, le);
  const out = Buffer.alloc(gpsAt + gps.length);
  tiff.copy(out);
  writeU16(out, base, kept.length + 1, le);
  let slot = 0;
  const putRaw = (field: number): void => {
    tiff.copy(out, base + 2 + IFD_ENTRY_SIZE * slot++, field - 8, field + 4);
  };
  const putGpsInfo = (): void => {
    const e = base + 2 + IFD_ENTRY_SIZE * slot++;
    writeU16(out, e, GPS_INFO_TAG, le);
    writeU16(out, e + 2, TIFF_TYPE.LONG, le);
    writeU32(out, e + 4, 1, le);
    writeU32(out, e + 8, gpsAt, le);
  };
  let placed = false;
  for (const entry of kept) {
    if (!placed && entry.tag > GPS_INFO_TAG) {
      putGpsInfo();
      placed = true;
    }
    putRaw(entry.field);
  }
  if (!placed) putGpsInfo();
  writeU32(out, base + newIfd0Size - 4, ifd.next, le);
  gps.copy(out, gpsAt);
  writeU32(out, 4, base, le);
  return checked(out);
}

/** Tags IFD0 must hold in a JPEG's EXIF (Exif 2.32, 4.6.8); 72 dpi unless JFIF says otherwise. */
const DEFAULT_DENSITY: Density = { x: 72, y: 72, unit: 2 };

/**
 * A minimal TIFF block for a photo without EXIF: IFD0 with the tags the Exif spec requires of a
 * JPEG (resolution, repeating the JFIF density when there is one, and YCbCrPositioning) plus
 * GPSInfo, then the GPS IFD.
 */
export function freshTiffWithGps(facts: GpsFacts, density: Density | null): Buffer {
  // Little-endian ("II"), as most cameras and phones write it; readers handle both.
  const le = true;
  const header = Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
  const d = density ?? DEFAULT_DENSITY;
  const rational = (v: number): Buffer => Buffer.concat([u32Bytes(v, le), u32Bytes(1, le)]);
  const ifd0Values = (gpsAt: number): IfdValue[] => [
    { tag: 0x011a, type: TIFF_TYPE.RATIONAL, count: 1, bytes: rational(d.x) },
    { tag: 0x011b, type: TIFF_TYPE.RATIONAL, count: 1, bytes: rational(d.y) },
    { tag: 0x0128, type: TIFF_TYPE.SHORT, count: 1, bytes: u16Bytes(d.unit, le) },
    // 1 = centred chroma samples, what JPEG/JFIF decoders assume.
    { tag: 0x0213, type: TIFF_TYPE.SHORT, count: 1, bytes: u16Bytes(1, le) },
    { tag: GPS_INFO_TAG, type: TIFF_TYPE.LONG, count: 1, bytes: u32Bytes(gpsAt, le) },
  ];
  // The IFD0's size doesn't depend on the GPS offset, so encode once to learn it, then for real.
  const gpsAt = 8 + encodeIfd(ifd0Values(0), 8, le).length;
  const ifd0 = encodeIfd(ifd0Values(gpsAt), 8, le);
  const gps = encodeIfd(gpsIfdValues(facts, le), gpsAt, le);
  return checked(Buffer.concat([header, ifd0, gps]));
}

function u16Bytes(value: number, le: boolean): Buffer {
  const b = Buffer.alloc(2);
  writeU16(b, 0, value, le);
  return b;
}

function u32Bytes(value: number, le: boolean): Buffer {
  const b = Buffer.alloc(4);
  writeU32(b, 0, value, le);
  return b;
}

function checked(tiff: Buffer): Buffer {
  if (tiff.length > MAX_TIFF_BYTES) throw tooBig(tiff.length);
  return tiff;
}

/**
 * Reads back the signed position a TIFF block's GPS IFD holds, or null when it has none. Our own
 * independent path (header → IFD0 → GPSInfo → GPS IFD) used to check a block before it is written.
 */
export function readGpsPosition(tiff: Buffer): { lat: number; lon: number } | null {
  const { le, ifd0 } = readTiffHeader(tiff);
  const pointer = readIfd(tiff, ifd0, le).entries.find((e) => e.tag === GPS_INFO_TAG);
  if (pointer === undefined) return null;
  const gps = readIfd(tiff, readU32(tiff, pointer.field, le), le);
  const entry = (tag: number) => gps.entries.find((e) => e.tag === tag);
  const coordinate = (valueTag: number, refTag: number, negative: string): number | null => {
    const value = entry(valueTag);
    const ref = entry(refTag);
    if (value?.type !== TIFF_TYPE.RATIONAL || value.count !== 3 || ref === undefined) return null;
    const at = readU32(tiff, value.field, le);
    if (at + 24 > tiff.length) return null;
    const part = (i: number): number =>
      readU32(tiff, at + 8 * i, le) / readU32(tiff, at + 8 * i + 4, le);
    const abs = part(0) + part(1) / 60 + part(2) / 3600;
    return String.fromCharCode(tiff[ref.field] ?? 0) === negative ? -abs : abs;
  };
  const lat = coordinate(GPS_TAG.Latitude, GPS_TAG.LatitudeRef, 'S');
  const lon = coordinate(GPS_TAG.Longitude, GPS_TAG.LongitudeRef, 'W');
  return lat === null || lon === null ? null : { lat, lon };
}
