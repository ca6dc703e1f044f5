import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { AppError } from '../../../shared/contract/errors';
import type { NamedArray } from './weights';

/**
 * One file holding JSON metadata and named float32 arrays, used for checkpoints and exported model
 * bundles. Layout (little-endian):
 *
 *   'LPTP' | u32 version (1) | u32 header bytes | header JSON (UTF-8) | zero padding to 4 | data
 *
 * header = { meta, arrays: [{ name, shape, offset, length }] } with offset/length in floats from
 * the start of data. The reader trusts nothing: every size is checked against the file before
 * anything is allocated, so a hostile file fails with MODEL_INVALID, never an out-of-memory.
 */
const MAGIC = 'LPTP';
const VERSION = 1;
const PREFIX = 12;
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const MAX_ARRAYS = 10_000;
const MAX_NAME = 300;
const MAX_RANK = 8;

export type Pack = { meta: unknown; arrays: NamedArray[] };

export function encodePack(meta: unknown, arrays: readonly NamedArray[]): Buffer {
  let offset = 0;
  const entries = arrays.map((a) => {
    const entry = { name: a.name, shape: a.shape, offset, length: a.values.length };
    offset += a.values.length;
    return entry;
  });
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries }), 'utf8');
  const headerEnd = PREFIX + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const out = Buffer.alloc(dataStart + offset * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, PREFIX);
  arrays.forEach((a, i) => {
    const bytes = Buffer.from(a.values.buffer, a.values.byteOffset, a.values.byteLength);
    bytes.copy(out, dataStart + entries[i]!.offset * 4);
  });
  return out;
}

function invalid(what: string, message: string): AppError {
  return new AppError('MODEL_INVALID', `${what}: ${message}`);
}

export function decodePack(buf: Buffer, what = 'file'): Pack {
  if (buf.length < PREFIX || buf.toString('latin1', 0, 4) !== MAGIC) {
    throw invalid(what, 'not a LittlePlaNet weights file (bad magic).');
  }
  const version = buf.readUInt32LE(4);
  if (version !== VERSION) throw invalid(what, `unsupported format version ${version}.`);
  const headerBytes = buf.readUInt32LE(8);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX + headerBytes > buf.length) {
    throw invalid(what, 'header size is out of bounds.');
  }
  let header: unknown;
  try {
    header = JSON.parse(buf.toString('utf8', PREFIX, PREFIX + headerBytes));
  } catch {
    throw invalid(what, 'header is not valid JSON.');
  }
  if (
    typeof header !== 'object' ||
    header === null ||
    !Array.isArray((header as { arrays?: unknown }).arrays)
  ) {
    throw invalid(what, 'header has no array list.');
  }
  const { meta, arrays } = header as { meta?: unknown; arrays: unknown[] };
  if (arrays.length > MAX_ARRAYS) throw invalid(what, 'too many arrays.');
  const dataStart = Math.ceil((PREFIX + headerBytes) / 4) * 4;
  const floats = Math.floor(Math.max(0, buf.length - dataStart) / 4);
  const names = new Set<string>();
  const out = arrays.map((raw, i): NamedArray => {
    const e = raw as { name?: unknown; shape?: unknown; offset?: unknown; length?: unknown };
    const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
    if (
      typeof e.name !== 'string' ||
      e.name.length === 0 ||
      e.name.length > MAX_NAME ||
      names.has(e.name)
    ) {
      throw invalid(what, `array ${i} has a missing, duplicate or over-long name.`);
    }
    names.add(e.name);
    if (!Array.isArray(e.shape) || e.shape.length > MAX_RANK || !e.shape.every(isCount)) {
      throw invalid(what, `array ${e.name} has an invalid shape.`);
    }
    if (!isCount(e.offset) || !isCount(e.length)) {
      throw invalid(what, `array ${e.name} has an invalid offset or length.`);
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (size !== e.length || e.offset + e.length > floats) {
      throw invalid(what, `array ${e.name} does not fit its shape or the file.`);
    }
    const start = dataStart + e.offset * 4;
    // Copy into a fresh aligned buffer: the file buffer may start at any byte offset.
    const values = new Float32Array(
      buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + e.length * 4),
    );
    return { name: e.name, shape: [...e.shape], values };
  });
  return { meta, arrays: out };
}

/**
 * Writes `data` to `path` so that readers see the old file or the new one, never a torn one:
 * temp file in the same folder, fsync, rename over the target.
 */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new AppError('IO_ERROR', `Could not write ${path}: ${(error as Error).message}`, {
      path,
    });
  }
}

export async function writePack(
  path: string,
  meta: unknown,
  arrays: readonly NamedArray[],
): Promise<void> {
  await writeFileAtomic(path, encodePack(meta, arrays));
}

/** Reads a pack, refusing files larger than `maxBytes` before reading them. */
export async function readPack(path: string, maxBytes = 2 * 1024 ** 3): Promise<Pack> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new AppError('NOT_FOUND', `No file at ${path}.`, { path });
  }
  if (size > maxBytes) {
    throw new AppError('MODEL_INVALID', `${path} is ${size} bytes, over the ${maxBytes} limit.`);
  }
  return decodePack(await readFile(path), path);
}
