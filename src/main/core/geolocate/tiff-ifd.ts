// The few TIFF structures EXIF is made of: an 8-byte header (byte order, 42, first IFD offset) and
// IFDs (a count, 12-byte entries sorted by tag, the next IFD's offset). Every offset counts from the
// header's first byte, so bytes appended after the existing data never move anything already there.
import { AppError } from '../../../shared/contract/errors';

/** TIFF field types this code writes or reads back. */
export const TIFF_TYPE = {
  BYTE: 1,
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  UNDEFINED: 7,
  IFD: 13,
} as const;

/** One entry about to be written: `bytes` is its value already in the file's byte order. */
export type IfdValue = { tag: number; type: number; count: number; bytes: Buffer };

/** One entry as found: `field` is the absolute offset of its 4-byte value/offset field. */
export type IfdEntry = { tag: number; type: number; count: number; field: number };

export type Ifd = { at: number; entries: IfdEntry[]; next: number };

export const IFD_ENTRY_SIZE = 12;
/** The largest entry count we accept: real IFD0s hold a few dozen; more means garbage. */
const MAX_ENTRIES = 1000;

export function readU16(b: Buffer, at: number, le: boolean): number {
  return le ? b.readUInt16LE(at) : b.readUInt16BE(at);
}

export function readU32(b: Buffer, at: number, le: boolean): number {
  return le ? b.readUInt32LE(at) : b.readUInt32BE(at);
}

export function writeU16(b: Buffer, at: number, value: number, le: boolean): void {
  if (le) b.writeUInt16LE(value, at);
  else b.writeUInt16BE(value, at);
}

export function writeU32(b: Buffer, at: number, value: number, le: boolean): void {
  if (le) b.writeUInt32LE(value, at);
  else b.writeUInt32BE(value, at);
}

const damaged = (why: string): AppError =>
  new AppError(
    'UNSUPPORTED',
    `The photo's EXIF block is damaged (${why}); it was left unchanged.`,
    {
      reason: why,
    },
  );

/** Reads the TIFF header: little-endian ("II") or big-endian ("MM"), and IFD0's offset. */
export function readTiffHeader(tiff: Buffer): { le: boolean; ifd0: number } {
  if (tiff.length < 8) throw damaged('shorter than a TIFF header');
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw damaged('unknown byte order');
  const le = order === 'II';
  if (readU16(tiff, 2, le) !== 42) throw damaged('bad TIFF magic number');
  return { le, ifd0: readU32(tiff, 4, le) };
}

/**
 * Reads the IFD at `at`, checking that its entries lie inside `tiff`. A missing next-IFD pointer
 * (the block ends right after the entries, as some writers do) reads as "no next IFD".
 */
export function readIfd(tiff: Buffer, at: number, le: boolean): Ifd {
  if (at < 8 || at + 2 > tiff.length) throw damaged(`IFD offset ${at} outside the block`);
  const count = readU16(tiff, at, le);
  const entriesEnd = at + 2 + IFD_ENTRY_SIZE * count;
  if (count > MAX_ENTRIES || entriesEnd > tiff.length) throw damaged(`IFD at ${at} overruns`);
  const entries: IfdEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = at + 2 + IFD_ENTRY_SIZE * i;
    entries.push({
      tag: readU16(tiff, e, le),
      type: readU16(tiff, e + 2, le),
      count: readU32(tiff, e + 4, le),
      field: e + 8,
    });
  }
  const next = entriesEnd + 4 <= tiff.length ? readU32(tiff, entriesEnd, le) : 0;
  return { at, entries, next };
}

/** Rounds up to an even offset: TIFF wants every IFD and value to start on a word boundary. */
export const wordAligned = (n: number): number => n + (n % 2);

/** Bytes an IFD with `count` entries takes, without its out-of-line values. */
export const ifdSize = (count: number): number => 2 + IFD_ENTRY_SIZE * count + 4;

/**
 * Encodes an IFD that will sit at absolute offset `at`: the entries (sorted by tag), then every
 * value longer than 4 bytes after them, each on a word boundary. Returns the IFD and its values.
 */
export function encodeIfd(values: readonly IfdValue[], at: number, le: boolean, next = 0): Buffer {
  const sorted = [...values].sort((a, b) => a.tag - b.tag);
  let dataSize = 0;
  for (const v of sorted) if (v.bytes.length > 4) dataSize += wordAligned(v.bytes.length);
  const head = ifdSize(sorted.length);
  const out = Buffer.alloc(head + dataSize);
  writeU16(out, 0, sorted.length, le);
  let data = head;
  sorted.forEach((v, i) => {
    const e = 2 + IFD_ENTRY_SIZE * i;
    writeU16(out, e, v.tag, le);
    writeU16(out, e + 2, v.type, le);
    writeU32(out, e + 4, v.count, le);
    if (v.bytes.length <= 4) {
      // Short values sit in the field itself, left-justified.
      v.bytes.copy(out, e + 8);
    } else {
      writeU32(out, e + 8, at + data, le);
      v.bytes.copy(out, data);
      data += wordAligned(v.bytes.length);
    }
  });
  writeU32(out, head - 4, next, le);
  return out;
}
