// The JPEG byte stream as far as metadata goes: SOI, then marker segments (FF xx, a 2-byte length
// that counts itself, the payload) up to the first SOS. Everything from SOS on — the entropy-coded
// pixels, later scans of a progressive JPEG, EOI and any trailer — is never parsed, only copied.
// So a file whose pixel data is truncated or corrupt is still writable (it stays exactly as broken
// as it was), while a file whose header segments don't parse is refused.
import { AppError } from '../../../shared/contract/errors';

export type Segment = {
  marker: number;
  /** Offset of the segment's first FF. */
  start: number;
  /** Offset of its payload (after marker and length). */
  dataStart: number;
  /** Offset just past it. */
  end: number;
};

export type JpegHead = {
  segments: Segment[];
  /** Offset of the first SOS marker. */ scanStart: number;
};

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
/** The payload of one segment: its 16-bit length field counts itself. */
const MAX_PAYLOAD = 65535 - 2;

/** A guess at what a non-JPEG file is, for a message a person can act on. */
function sniff(bytes: Buffer): string {
  const ascii = (from: number, to: number): string => bytes.toString('latin1', from, to);
  if (ascii(4, 8) === 'ftyp') return 'a HEIC/HEIF/AVIF file';
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'a PNG file';
  if (ascii(0, 3) === 'GIF') return 'a GIF file';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'a WebP file';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'a TIFF or camera RAW file';
  return 'not an image format we know';
}

const unreadable = (name: string, why: string): AppError =>
  new AppError(
    'UNSUPPORTED',
    `${name}: the JPEG's header cannot be read (${why}); GPS was not written.`,
    { path: name, reason: why },
  );

/** Parses the header segments of the JPEG `bytes` (named `name` in errors) up to the first SOS. */
export function parseJpegHead(bytes: Buffer, name: string): JpegHead {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) {
    throw new AppError(
      'UNSUPPORTED',
      `${name} is not a JPEG (${sniff(bytes)}); GPS can only be written into JPEG files.`,
      { path: name },
    );
  }
  const segments: Segment[] = [];
  let at = 2;
  for (;;) {
    if (at >= bytes.length) throw unreadable(name, 'the file ends before the image data');
    if (bytes[at] !== 0xff) throw unreadable(name, `no marker at byte ${at}`);
    let m = at + 1;
    // Any number of FF fill bytes may precede a marker.
    while (m < bytes.length && bytes[m] === 0xff) m++;
    const marker = bytes[m];
    if (marker === undefined) throw unreadable(name, 'the file ends inside a marker');
    if (marker === SOS) return { segments, scanStart: at };
    if (marker === EOI) throw unreadable(name, 'it ends before any image data');
    if (marker === SOI || marker === 0x00) throw unreadable(name, `stray marker at byte ${at}`);
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      // TEM and RSTn stand alone (no length); harmless if a writer left one here.
      at = m + 1;
      continue;
    }
    if (m + 3 > bytes.length) throw unreadable(name, 'the file ends inside a segment length');
    const length = bytes.readUInt16BE(m + 1);
    const end = m + 1 + length;
    if (length < 2) throw unreadable(name, `segment at byte ${at} has length ${length}`);
    if (end > bytes.length) throw unreadable(name, `segment at byte ${at} runs past the end`);
    segments.push({ marker, start: at, dataStart: m + 3, end });
    at = end;
  }
}

/** The first APP1 segment holding EXIF ("Exif\0\0" then a TIFF block), the one readers use. */
export function findExif(bytes: Buffer, head: JpegHead): Segment | undefined {
  return head.segments.find(
    (s) =>
      s.marker === APP1 &&
      s.end - s.dataStart >= EXIF_HEADER.length &&
      bytes.subarray(s.dataStart, s.dataStart + EXIF_HEADER.length).equals(EXIF_HEADER),
  );
}

/** The TIFF block inside an EXIF APP1 segment (a view, not a copy). */
export const exifTiff = (bytes: Buffer, exif: Segment): Buffer =>
  bytes.subarray(exif.dataStart + EXIF_HEADER.length, exif.end);

/**
 * Where a new EXIF segment goes: right after SOI, as the Exif spec asks, but after any leading
 * APP0 (JFIF/JFXX), which the JFIF spec requires to come first. Readers accept either order.
 */
export function exifInsertionPoint(head: JpegHead): number {
  let at = 2;
  for (const s of head.segments) {
    if (s.marker !== APP0 || s.start !== at) break;
    at = s.end;
  }
  return at;
}

/** Pixel density as TIFF states it: ResolutionUnit 2 = inch, 3 = centimetre. */
export type Density = { x: number; y: number; unit: 2 | 3 };

/**
 * The density a leading JFIF APP0 declares, if it declares a real one (units 1 = dots per inch,
 * 2 = per cm; 0 only gives an aspect ratio). A fresh EXIF block repeats it so the two never disagree.
 */
export function jfifDensity(bytes: Buffer, head: JpegHead): Density | null {
  const app0 = head.segments[0];
  if (app0?.marker !== APP0 || app0.end - app0.dataStart < 14) return null;
  const d = app0.dataStart;
  if (bytes.toString('latin1', d, d + 5) !== 'JFIF\0') return null;
  const units = bytes[d + 7];
  const x = bytes.readUInt16BE(d + 8);
  const y = bytes.readUInt16BE(d + 10);
  if ((units !== 1 && units !== 2) || x === 0 || y === 0) return null;
  return { x, y, unit: units === 1 ? 2 : 3 };
}

/** An APP1 segment carrying `tiff` as EXIF. */
export function exifSegment(tiff: Buffer): Buffer {
  const payload = EXIF_HEADER.length + tiff.length;
  if (payload > MAX_PAYLOAD) {
    throw new AppError('UNSUPPORTED', `An EXIF segment of ${payload + 2} bytes exceeds 64 KiB.`, {
      size: payload + 2,
    });
  }
  const head = Buffer.from([0xff, APP1, 0, 0]);
  head.writeUInt16BE(payload + 2, 2);
  return Buffer.concat([head, EXIF_HEADER, tiff]);
}

/** `bytes` with the range [from, to) replaced by `insert`; every other byte is kept as it was. */
export const splice = (bytes: Buffer, from: number, to: number, insert: Buffer): Buffer =>
  Buffer.concat([bytes.subarray(0, from), insert, bytes.subarray(to)]);
