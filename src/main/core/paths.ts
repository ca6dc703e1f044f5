import { join } from 'node:path';
import type { AssetKind } from '../../shared/contract/client';

export const LIBRARY_DB_NAME = 'library.sqlite';

/** Edge of the square grid thumbnail, made from the norm image when first shown. */
export const THUMB_SIZE = 128;

export type LibraryPaths = {
  dir: string;
  dbPath: string;
  cacheDir: string;
  /** Where cache files are written before being renamed into place (same file system). */
  tmpDir: string;
};

export function libraryPaths(dir: string): LibraryPaths {
  const cacheDir = join(dir, 'cache');
  return { dir, dbPath: join(dir, LIBRARY_DB_NAME), cacheDir, tmpDir: join(cacheDir, 'tmp') };
}

/**
 * Content-addressed cache file of one image: `cache/<kind>/<first two hex>/<sha256>.jpg`. The
 * two-character fan-out keeps folders small (about 400 files each at 100k images).
 */
export function assetFile(cacheDir: string, kind: AssetKind, contentHash: string): string {
  return join(cacheDir, kind, contentHash.slice(0, 2), `${contentHash}.jpg`);
}

/** True when a process with this id runs (or exists under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
