// Export of the heatmap as the user sees it: the norm photo with the overlay composed on top, at
// twice the photo's stored size so the PNG is sharp enough for a slide.
import type { ExplainResult } from '../../../shared/contract/ml-types';
import {
  cropRect,
  heatPixels,
  NORM_SIZE,
  scaleRange,
} from '../../../shared/domain/heatmap/heat-pixels';

const EXPORT_SIZE = NORM_SIZE * 2;

function loadImage(src: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = src;
  return img.decode().then(() => img);
}

/** The composed picture as a PNG blob (rejects when the photo cannot be read back, e.g. tainted). */
export async function composePng(
  photoUrl: string,
  result: ExplainResult,
  opacity: number,
): Promise<Blob> {
  const photo = await loadImage(photoUrl);
  const canvas = document.createElement('canvas');
  canvas.width = EXPORT_SIZE;
  canvas.height = EXPORT_SIZE;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('This window cannot draw on a canvas.');
  ctx.drawImage(photo, 0, 0, EXPORT_SIZE, EXPORT_SIZE);
  // putImageData replaces pixels instead of blending, so the overlay goes through its own canvas.
  const crop = cropRect(EXPORT_SIZE, result.inputSize);
  const layer = document.createElement('canvas');
  layer.width = crop.size;
  layer.height = crop.size;
  const layerCtx = layer.getContext('2d');
  if (layerCtx === null) throw new Error('This window cannot draw on a canvas.');
  const pixels = heatPixels(result, scaleRange(result.method, result.values), crop.size, opacity);
  layerCtx.putImageData(new ImageData(pixels, crop.size, crop.size), 0, 0);
  ctx.drawImage(layer, crop.offset, crop.offset);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) =>
      blob === null ? reject(new Error('The picture could not be encoded as PNG.')) : resolve(blob),
    );
  });
}
