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
