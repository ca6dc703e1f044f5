// Grid thumbnails, made when first asked for. The import writes only the 256x256 norm image
// (one libvips run per photo); a thumbnail is the norm halved to 128x128, which is exactly what
// the grid showed when thumbnails kept the photo's shape (its cells crop to a centred square).
// Most photos of a large library are never scrolled to, so most thumbnails are never made.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { CacheWriter } from './import/cache-files';
import { assetFile, THUMB_SIZE, type LibraryPaths } from './paths';

const THUMB_JPEG = { quality: 80, optimiseCoding: false } as const;

/** Thumbnail bytes from a norm JPEG (exported for tests). */
export function thumbnailFromNorm(norm: Buffer): Promise<Buffer> {
  return sharp(norm).resize(THUMB_SIZE, THUMB_SIZE, { fit: 'cover' }).jpeg(THUMB_JPEG).toBuffer();
}

/**
 * Makes thumbnails on demand for one library's cache. Requests for the same photo while its
 * thumbnail is being made share the one run; files are written atomically (CacheWriter), so a
 * reader never sees half a thumbnail and two processes making the same one is harmless.
 */
export class Thumbnails {
  private readonly inFlight = new Map<string, Promise<string | null>>();
  private readonly writer: CacheWriter;

  constructor(private readonly paths: LibraryPaths) {
    this.writer = new CacheWriter(paths.cacheDir, paths.tmpDir);
  }

  /**
   * Path of the thumbnail of the photo with this content hash, made now if missing; null when
   * its norm image is missing or unreadable (the photo then has no picture to show).
   */
  file(contentHash: string): Promise<string | null> {
    const target = assetFile(this.paths.cacheDir, 'thumb', contentHash);
    if (existsSync(target)) return Promise.resolve(target);
    let pending = this.inFlight.get(contentHash);
    if (pending === undefined) {
      pending = this.make(contentHash).finally(() => this.inFlight.delete(contentHash));
      this.inFlight.set(contentHash, pending);
    }
    return pending;
  }

  private async make(contentHash: string): Promise<string | null> {
    let norm: Buffer;
    try {
      norm = await readFile(assetFile(this.paths.cacheDir, 'norm', contentHash));
    } catch {
      return null;
    }
    let thumb: Buffer;
    try {
      thumb = await thumbnailFromNorm(norm);
    } catch {
      return null; // a damaged norm image: re-importing the photo makes a new one
    }
    return this.writer.writeAsync('thumb', contentHash, thumb);
  }
}
