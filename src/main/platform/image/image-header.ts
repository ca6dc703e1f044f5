/**
 * Cheap header checks on raw bytes, before any decoder sees the file. JPEG sizes are read here
 * because photos are mostly JPEG and sharp's metadata() costs as much JavaScript time per file as
 * the rest of the import's bookkeeping together.
 */

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** HEIC by its ISO-BMFF `ftyp` box (AVIF shares the container but is decoded by sharp). */
export function isHeic(buffer: Buffer): boolean {
  if (buffer.length < 12 || buffer.toString('latin1', 4, 8) !== 'ftyp') return false;
  const major = buffer.toString('latin1', 8, 12);
  if (major === 'avif' || major === 'avis') return false;
  return HEIC_BRANDS.has(major);
}

const startsWith = (buffer: Buffer, bytes: readonly number[], at = 0): boolean =>
  buffer.length >= at + bytes.length && bytes.every((b, i) => buffer[at + i] === b);

/**
 * Whether the first bytes carry the signature of a format the import decodes (JPEG, PNG, WebP,
 * TIFF, or an ISO-BMFF `ftyp` box: AVIF / HEIC). Lets the import refuse a large file that is not
 * an image after reading its header, not its whole body; sharp still judges everything else.
 */
export function looksLikeImage(header: Buffer): boolean {
  return (
    startsWith(header, [0xff, 0xd8, 0xff]) ||
    startsWith(header, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    (header.toString('latin1', 0, 4) === 'RIFF' && header.toString('latin1', 8, 12) === 'WEBP') ||
    startsWith(header, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(header, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(header, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(header, [0x4d, 0x4d, 0x00, 0x2b]) ||
    header.toString('latin1', 4, 8) === 'ftyp'
  );
}

// Start-of-frame markers carry the size: baseline, progressive, lossless, arithmetic variants.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * Stored width and height of a JPEG (before EXIF orientation), from its start-of-frame segment;
 * null when the bytes are not a well-formed JPEG header (then sharp's own reader decides).
 */
export function jpegSize(buffer: Buffer): { width: number; height: number } | null {
  if (buffer.length < 4 || buffer[0] !== 0xff || buffer[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < buffer.length) {
    if (buffer[i] !== 0xff) return null;
    const marker = buffer[i + 1] as number;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (SOF.has(marker)) {
      const height = buffer.readUInt16BE(i + 5);
      const width = buffer.readUInt16BE(i + 7);
      return width > 0 && height > 0 ? { width, height } : null;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // image data before any frame header
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2; // markers without a length
      continue;
    }
    i += 2 + buffer.readUInt16BE(i + 2);
  }
  return null;
}

/** Reads 16/32-bit TIFF integers in the byte order the EXIF block declares. */
type TiffReader = { u16(at: number): number; u32(at: number): number };

function tiffReader(buffer: Buffer, littleEndian: boolean): TiffReader {
  return littleEndian
    ? { u16: (at) => buffer.readUInt16LE(at), u32: (at) => buffer.readUInt32LE(at) }
    : { u16: (at) => buffer.readUInt16BE(at), u32: (at) => buffer.readUInt32BE(at) };
}

const ORIENTATION_TAG = 0x0112;
const TIFF_SHORT = 3;

/** The Orientation (1-8) in an EXIF block that starts at `start` ("Exif\0\0"), else null. */
function exifOrientation(buffer: Buffer, start: number, end: number): number | null {
  const tiff = start + 6;
  if (tiff + 8 > end || buffer.toString('latin1', start, start + 6) !== 'Exif\0\0') return null;
  const order = buffer.toString('latin1', tiff, tiff + 2);
  if (order !== 'II' && order !== 'MM') return null;
  const read = tiffReader(buffer, order === 'II');
  if (read.u16(tiff + 2) !== 42) return null;
  const ifd = tiff + read.u32(tiff + 4);
  if (ifd + 2 > end) return null;
  const entries = read.u16(ifd);
  for (let e = 0; e < entries; e++) {
    const at = ifd + 2 + e * 12;
    if (at + 12 > end) return null;
    if (read.u16(at) !== ORIENTATION_TAG) continue;
    if (read.u16(at + 2) !== TIFF_SHORT || read.u32(at + 4) !== 1) return null;
    const value = read.u16(at + 8);
    return value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/**
 * The EXIF Orientation of a JPEG (1-8), from the first EXIF segment before the image data; null
 * when there is none or it cannot be read (decoders then leave the image as stored, and so do
 * we). Orientations 5-8 turn the image a quarter, swapping width and height.
 */
export function jpegOrientation(buffer: Buffer): number | null {
  if (buffer.length < 4 || buffer[0] !== 0xff || buffer[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= buffer.length) {
    if (buffer[i] !== 0xff) return null;
    const marker = buffer[i + 1] as number;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = buffer.readUInt16BE(i + 2);
    const end = Math.min(buffer.length, i + 2 + length);
    if (marker === 0xe1 && buffer.toString('latin1', i + 4, i + 10) === 'Exif\0\0') {
      return exifOrientation(buffer, i + 4, end);
    }
    i += 2 + length;
  }
  return null;
}
