// Pixels for the network. Library images come from the norm cache (256x256 JPEG, made at import);
// other files go through the import's own renderImage, so an external test set is decoded,
// oriented, flattened and cover-cropped to 256 exactly like a library image, without being added.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describeFsError } from '../../platform/fs-errors';
import { ImageRejected, renderImage } from '../../platform/image/render';

/** Interleaved 8-bit RGB, row-major. */
export type Rgb = { data: Uint8Array; width: number; height: number };

/** A file that cannot be used, with a reason a person can act on. */
export class ImageUnreadable extends Error {
  override readonly name = 'ImageUnreadable';
}

async function decodeRgb(bytes: Buffer): Promise<Rgb> {
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), ...info };
}

async function read(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ImageUnreadable(describeFsError(error));
  }
}

/** The library's cached 256x256 image of one photo. */
export async function readNormImage(path: string): Promise<Rgb> {
  const bytes = await read(path);
  try {
    return await decodeRgb(bytes);
  } catch (error) {
    throw new ImageUnreadable(
      `the cached image is damaged (${(error as Error).message}); re-import the photo`,
    );
  }
}

/** Any image file, normalised like import does (EXIF orientation, 256 cover crop). */
export async function readImageFile(path: string, maxPixels: number): Promise<Rgb> {
  const bytes = await read(path);
  if (bytes.length === 0) throw new ImageUnreadable('empty file (0 bytes)');
  let norm: Buffer;
  try {
    norm = (await renderImage(bytes, maxPixels)).norm;
  } catch (error) {
    throw new ImageUnreadable(
      error instanceof ImageRejected ? error.message : `could not be decoded: ${String(error)}`,
    );
  }
  return decodeRgb(norm);
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
