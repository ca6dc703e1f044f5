// File operations for writing into people's photo folders, where losing a byte is not acceptable:
// new files appear whole or not at all (temp file, fsync, then a hard link that fails instead of
// overwriting), replacements are an atomic rename in the same folder, and temp files never stay.
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { removeLeftTemps, tempPathFor } from './left-temps';

/** Photos past this size are refused before reading: the whole file is held in memory. */
const MAX_PHOTO_BYTES = 1024 * 1024 * 1024;
/** name.jpg, name-1.jpg, … name-9999.jpg; beyond that something is wrong with the folder. */
const MAX_NAME_TRIES = 10_000;
/** Errors that mean "this file system has no hard links" (FAT/exFAT sticks, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** An AppError as is; anything else as IO_ERROR saying what we were doing. */
export function asAppError(error: unknown, doing: string, path: string): AppError {
  if (error instanceof AppError) return error;
  return new AppError('IO_ERROR', `Cannot ${doing} ${path}: ${messageOf(error)}`, { path });
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Reads a whole photo, with errors a person can act on. */
export async function readPhoto(path: string): Promise<{ bytes: Buffer; stats: Stats }> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') {
      throw new AppError('NOT_FOUND', `${path} does not exist.`, { path });
    }
    throw asAppError(error, 'read', path);
  }
  if (!stats.isFile()) throw new AppError('BAD_ARGUMENT', `${path} is not a file.`, { path });
  if (stats.size > MAX_PHOTO_BYTES) {
    throw new AppError('UNSUPPORTED', `${path} is too large (${stats.size} bytes).`, { path });
  }
  try {
    return { bytes: await readFile(path), stats };
  } catch (error) {
    throw asAppError(error, 'read', path);
  }
}

/** The n-th candidate name: photo.jpg, photo-1.jpg, photo-2.jpg, … */
export function candidateName(fileName: string, n: number): string {
  if (n === 0) return fileName;
  const ext = extname(fileName);
  return `${fileName.slice(0, fileName.length - ext.length)}-${n}${ext}`;
}

/** A hidden temp file beside `path`; one a killed run left for the same target goes first. */
function tempPathBeside(path: string): string {
  removeLeftTemps(path);
  return tempPathFor(path, true);
}

/** Writes `bytes` to a new file (never an existing one) and flushes it to disk. */
async function writeDurably(path: string, bytes: Buffer, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(bytes);
    // open()'s mode is filtered by the umask; the copy should carry the original's exactly.
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export type FreshFileOptions = { mode?: number; times?: { atime: Date; mtime: Date } };

/**
 * Writes `bytes` into folder `dir` (created if missing) under `fileName`, or the first free
 * `name-N.ext`, and returns the path. Never overwrites: the finished temp file is hard-linked to
 * the name, which fails if the name exists, even if another process took it a moment ago. Where
 * the file system has no hard links, an exclusive copy does the same job less atomically.
 */
export async function writeFreshFile(
  dir: string,
  fileName: string,
  bytes: Buffer,
  options: FreshFileOptions = {},
): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new AppError('IO_ERROR', `${dir} is not a folder; nothing was written.`, { path: dir });
    }
    throw asAppError(error, 'create the folder', dir);
  }
  const tmp = tempPathBeside(join(dir, fileName));
  try {
    await writeDurably(tmp, bytes, options.mode ?? 0o644);
    if (options.times !== undefined) await utimes(tmp, options.times.atime, options.times.mtime);
    for (let n = 0; n < MAX_NAME_TRIES; n++) {
      const target = join(dir, candidateName(fileName, n));
      if (await claim(tmp, target)) return target;
    }
    throw new AppError('CONFLICT', `No free name for ${fileName} in ${dir}.`, { path: dir });
  } catch (error) {
    throw asAppError(error, 'write into', dir);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Gives the finished temp file the name `target` unless it is taken; false when it is. */
async function claim(tmp: string, target: string): Promise<boolean> {
  try {
    await link(tmp, target);
    return true;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EEXIST') return false;
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
  }
  try {
    await copyFile(tmp, target, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    // The exclusive copy created `target` before failing: it is ours and incomplete.
    await rm(target, { force: true });
    throw error;
  }
}

/** Throws unless the file at `path` holds exactly `size` bytes hashing to `hash`. */
export async function verifyFile(path: string, size: number, hash: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw asAppError(error, 'read back', path);
  }
  if (bytes.length !== size || sha256(bytes) !== hash) {
    throw new AppError('IO_ERROR', `${path} does not match what was written to it.`, { path });
  }
}

/**
 * Replaces the file at `path` with `bytes` atomically: a temp file in the same folder (so the
 * rename cannot cross file systems), flushed, then renamed over it. `guard` runs just before the
 * rename and may throw to abort (the original is then untouched). Mode and, where permitted,
 * owner are carried over from `stats`.
 */
export async function replaceFile(
  path: string,
  bytes: Buffer,
  stats: Stats,
  guard: () => Promise<void>,
): Promise<void> {
  const tmp = tempPathBeside(path);
  try {
    await writeDurably(tmp, bytes, stats.mode & 0o7777);
    await keepOwner(tmp, stats);
    await guard();
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw asAppError(error, 'rewrite', path);
  }
}

/** Only root may give a file to another user; anyone else's files are already theirs. */
async function keepOwner(path: string, stats: Stats): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const handle = await open(path, 'r');
  try {
    await handle.chown(stats.uid, stats.gid);
  } finally {
    await handle.close();
  }
}
