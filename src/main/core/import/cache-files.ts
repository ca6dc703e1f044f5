import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AssetKind } from '../../../shared/contract/client';
import { assetFile } from '../paths';

/**
 * Writes content-addressed cache files atomically: to `cache/tmp/<pid>-<random>` first, then a
 * rename into place, so a reader (or a crash) never sees half a file. The pid prefix lets the next
 * open of the library delete temp files of processes that died.
 * Synchronous on purpose: it runs in the import worker, whose thread has nothing else to do, and
 * small sync writes keep libuv's thread pool free for sharp's decodes (measured: ~8% faster).
 */
export class CacheWriter {
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly cacheDir: string,
    private readonly tmpDir: string,
  ) {}

  write(kind: AssetKind, contentHash: string, data: Buffer): string {
    const target = assetFile(this.cacheDir, kind, contentHash);
    const dir = dirname(target);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const tmp = this.tmpName(kind);
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, target);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    return target;
  }

  /** The same, without blocking the thread: for the app's main process (thumbnails). */
  async writeAsync(kind: AssetKind, contentHash: string, data: Buffer): Promise<string> {
    const target = assetFile(this.cacheDir, kind, contentHash);
    await mkdir(dirname(target), { recursive: true });
    const tmp = this.tmpName(kind);
    try {
      await writeFile(tmp, data);
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return target;
  }

  private tmpName(kind: AssetKind): string {
    return join(this.tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.${kind}.tmp`);
  }
}
