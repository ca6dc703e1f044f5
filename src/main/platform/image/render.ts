import sharp from 'sharp';
import { DecodeGate } from './decode-gate';
import { isHeic, jpegOrientation, jpegSize } from './image-header';

/** Edge of the normalised image (the paper's 256x256 network input). */
export const NORM_SIZE = 256;

/** Formats the library accepts, as stored in `images.format`. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'avif' | 'heic';

export type Rendered = {
  format: ImageFormat;
  /** Size after EXIF orientation is applied. */
  width: number;
  height: number;
  /**
   * 256x256 JPEG: shorter side resized to 256, centre crop (the paper's network input). Grid
   * thumbnails are made from it when first shown (see core/thumbnails.ts), not here.
   */
  norm: Buffer;
};

/** A file that is not an importable image; `message` is the reason shown to the person. */
export const NOT_AN_IMAGE = 'not an image (the content is not JPEG, PNG, WebP, TIFF, AVIF or HEIC)';

export class ImageRejected extends Error {
  override readonly name = 'ImageRejected';
}

/** "2000 pixels", "24 megapixels". */
function pixelCount(n: number): string {
  return n >= 1e6 ? `${Math.round(n / 1e6)} megapixels` : `${n} pixels`;
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) throw new ImageRejected('the image header gives no size');
  if (width * height > maxPixels) {
    throw new ImageRejected(
      `too large: ${width}x${height} is ${pixelCount(width * height)}, above the ${pixelCount(maxPixels).replace(/s$/, '')} limit (possible decompression bomb)`,
    );
  }
}

// Cache images are written once and read many times, but Huffman-table optimisation would cost
// about a third of each encode for ~5% smaller files; import speed matters more here.
const NORM_JPEG = { quality: 90, optimiseCoding: false } as const;

/**
 * The 256x256 norm from a decoding pipeline, in one libvips run: shrink-on-load, resize so the
 * shorter side is 256 (enlarging smaller images, as the network needs 256x256), centre crop,
 * JPEG. Each extra run would cost about half a millisecond of fixed overhead per photo, a tenth
 * of the whole decode, which is why the import makes nothing else from the pixels.
 */
function normJpeg(pipeline: sharp.Sharp): Promise<Buffer> {
  return pipeline
    .resize(NORM_SIZE, NORM_SIZE, { fit: 'cover', position: 'centre' })
    .toColourspace('srgb')
    .jpeg(NORM_JPEG)
    .toBuffer();
}

async function renderHeic(buffer: Buffer, maxPixels: number): Promise<Rendered> {
  // Loaded on first use: compiling libheif's WebAssembly costs time no JPEG import should pay.
  let heicDecode: typeof import('heic-decode');
  try {
    heicDecode = (await import('heic-decode')).default;
  } catch (error) {
    throw new ImageRejected(
      `HEIC/HEIF is not supported in this build: the heic-decode decoder could not be loaded (${(error as Error).message.split('\n')[0]})`,
    );
  }
  let images;
  try {
    images = await heicDecode.all({ buffer });
  } catch (error) {
    throw new ImageRejected(`HEIC/HEIF file could not be read: ${(error as Error).message}`);
  }
  try {
    const first = images[0];
    if (first === undefined) throw new ImageRejected('HEIC/HEIF file contains no image');
    checkPixels(first.width, first.height, maxPixels);
    let decoded;
    try {
      // libheif applies the file's rotation/mirror boxes itself, so no EXIF orientation here.
      decoded = await first.decode();
    } catch (error) {
      throw new ImageRejected(`HEIC/HEIF image could not be decoded: ${(error as Error).message}`);
    }
    const pixels = Buffer.from(
      decoded.data.buffer,
      decoded.data.byteOffset,
      decoded.data.byteLength,
    );
    const pipeline = sharp(pixels, {
      raw: { width: decoded.width, height: decoded.height, channels: 4 },
    }).flatten({ background: '#ffffff' });
    const norm = await normJpeg(pipeline);
    return { format: 'heic', width: decoded.width, height: decoded.height, norm };
  } finally {
    images.dispose();
  }
}

/**
 * For callers that decode several files at once (the import runs IMPORT_CONCURRENCY of them):
 * one libvips thread per image, because splitting each image over more threads only adds
 * hand-offs between them (measured: 0.4 ms less CPU per 1024x768 photo, bench/library.bench.ts).
 * libvips' setting is process-wide; the app's main process decodes nothing else.
 */
export function useOneVipsThreadPerImage(): void {
  sharp.concurrency(1);
}

/** Every decode in this process goes through one gate (see DecodeGate for why). */
const decodeGate = new DecodeGate();

/** A decode that failed inside the gate; renderImage works out the reason outside it. */
class DecodeFailed extends Error {
  constructor(
    readonly format: ImageFormat,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks and decodes one image file held in memory and renders its cache images. The header is
 * read first so absurd sizes are refused before any pixel is decoded; truncated files fail the
 * decode (failOn 'truncated') instead of importing half an image. Throws ImageRejected with a
 * person-readable reason for anything that is not an importable photo.
 */
export async function renderImage(buffer: Buffer, maxPixels: number): Promise<Rendered> {
  try {
    return await decodeGate.shared(() => renderUngated(buffer, maxPixels));
  } catch (error) {
    if (!(error instanceof DecodeFailed)) throw error;
    const message = await decodeAloneForMessage(buffer, maxPixels, error.message);
    // A JPEG without its end marker is truncated whatever libvips says.
    const truncated =
      /premature end|truncat|corrupt/i.test(message) ||
      (error.format === 'jpeg' && !hasJpegEnd(buffer));
    throw new ImageRejected(
      truncated
        ? `corrupt or truncated image data (${message})`
        : `corrupt, truncated or unsupported image data (${message})`,
    );
  }
}

async function renderUngated(buffer: Buffer, maxPixels: number): Promise<Rendered> {
  if (isHeic(buffer)) return renderHeic(buffer, maxPixels);
  const header = await readHeader(buffer);
  checkPixels(header.width, header.height, maxPixels);

  let pipeline = sharp(buffer, {
    failOn: 'truncated',
    limitInputPixels: maxPixels,
    autoOrient: true,
  });
  if (header.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  const { format } = header;
  try {
    const norm = await normJpeg(pipeline);
    return { format, width: header.oriented.width, height: header.oriented.height, norm };
  } catch (error) {
    throw new DecodeFailed(format, (error as Error).message.split('\n')[0] ?? '');
  }
}

/**
 * Decodes a file that failed once more with no other decode running, so libvips' own message
 * survives; keeps the first message if this decode somehow succeeds.
 */
async function decodeAloneForMessage(
  buffer: Buffer,
  maxPixels: number,
  firstMessage: string,
): Promise<string> {
  const message = await decodeGate.solo(() =>
    sharp(buffer, { failOn: 'truncated', limitInputPixels: maxPixels, autoOrient: true })
      .toBuffer()
      .then(
        () => null,
        (error: Error) => error.message.split('\n')[0] ?? '',
      ),
  );
  return message === null || message === '' ? firstMessage : message;
}

/** Whether an end-of-image marker (FF D9) sits near the end (cameras may append a few bytes). */
function hasJpegEnd(buffer: Buffer): boolean {
  const tail = buffer.subarray(Math.max(0, buffer.length - 4096));
  return tail.lastIndexOf(Buffer.from([0xff, 0xd9])) >= 0;
}

type Header = {
  format: ImageFormat;
  /** Stored size, before orientation. */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** Size after EXIF orientation (as libvips applies it with autoOrient). */
  oriented: { width: number; height: number };
};

async function readHeader(buffer: Buffer): Promise<Header> {
  const jpeg = jpegSize(buffer);
  if (jpeg !== null) {
    // Orientations 5-8 turn the photo a quarter (the same EXIF tag libvips reads for autoOrient).
    const turned = (jpegOrientation(buffer) ?? 1) >= 5;
    const oriented = turned ? { width: jpeg.height, height: jpeg.width } : jpeg;
    return { format: 'jpeg', ...jpeg, hasAlpha: false, oriented };
  }
  let meta: sharp.Metadata;
  try {
    // Header only, so no pixel limit here: our own check explains a refusal better than
    // sharp's generic "exceeds pixel limit".
    meta = await sharp(buffer, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejected(NOT_AN_IMAGE);
  }
  let format: ImageFormat;
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'tiff':
      format = meta.format;
      break;
    case 'heif':
      if (meta.compression !== 'av1') {
        throw new ImageRejected(
          `unsupported HEIF variant (${meta.compression ?? 'unknown'} compression)`,
        );
      }
      format = 'avif';
      break;
    default:
      throw new ImageRejected(
        `unsupported format "${meta.format ?? 'unknown'}"; use JPEG, PNG, WebP, TIFF, AVIF or HEIC`,
      );
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  return {
    format,
    width,
    height,
    hasAlpha: meta.hasAlpha === true,
    oriented: meta.autoOrient ?? { width, height },
  };
}
