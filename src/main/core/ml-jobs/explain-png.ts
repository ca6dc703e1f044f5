// The picture behind `explain --png`: the photo's centre crop (what the model saw) with the
// heatmap laid over it, drawn by the same code as the app's overlay (shared/domain/heatmap), so
// the file and the screen show the same colours in the same places.
import sharp from 'sharp';
import type { ExplainResult } from '../../../shared/contract/ml-types';
import { heatPixels, scaleRange } from '../../../shared/domain/heatmap/heat-pixels';
import { NORM_SIZE } from '../../platform/image/render';

/** Output side: twice the 224 input, so a 13x13 grid is still readable. */
const OUT = 448;

/** Writes the overlay PNG for `result` over `norm` (the photo's 256x256 norm JPEG). */
export async function writeExplainPng(
  result: ExplainResult,
  norm: Buffer,
  file: string,
): Promise<void> {
  const margin = Math.floor((NORM_SIZE - result.inputSize) / 2);
  const photo = await sharp(norm)
    .extract({ left: margin, top: margin, width: result.inputSize, height: result.inputSize })
    .resize(OUT, OUT)
    .removeAlpha()
    .toBuffer();
  const heat = heatPixels(result, scaleRange(result.method, result.values), OUT, 1);
  await sharp(photo)
    .composite([{ input: Buffer.from(heat.buffer), raw: { width: OUT, height: OUT, channels: 4 } }])
    .png()
    .toFile(file);
}
