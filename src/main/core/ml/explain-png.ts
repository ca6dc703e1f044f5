// The picture behind `explain --png`: the photo's centre crop (what the model saw) with the
// heatmap laid over it in a black-body colour ramp, transparent where there is no evidence.
import sharp from 'sharp';
import type { ExplainResult } from '../../../shared/contract/ml-types';
import { NORM_SIZE } from '../paths';

/** Output side: twice the 224 input, so a 13x13 grid is still readable. */
const OUT = 448;

/** Colour stops of the ramp (value 0 → 1): dark purple, red, orange, light yellow. */
const RAMP: readonly (readonly [number, number, number])[] = [
  [40, 0, 80],
  [180, 20, 60],
  [240, 110, 20],
  [255, 235, 140],
];

export function rampColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i] as readonly [number, number, number];
  const b = RAMP[i + 1] as readonly [number, number, number];
  return [0, 1, 2].map((c) =>
    Math.round((a[c] as number) + ((b[c] as number) - (a[c] as number)) * f),
  ) as [number, number, number];
}

/** Values scaled to [0, 1] by the largest positive one (negative evidence shows as none). */
export function normalisedGrid(values: readonly (readonly number[])[]): number[][] {
  const top = Math.max(0, ...values.flat());
  return values.map((row) => row.map((v) => (top > 0 ? Math.max(0, v) / top : 0)));
}

/** RGBA pixels of the heat grid, one pixel per cell (alpha grows with the evidence, from 0). */
function heatPixels(result: ExplainResult): Buffer {
  const grid = normalisedGrid(result.values);
  const out = Buffer.alloc(result.rows * result.cols * 4);
  grid.flat().forEach((t, i) => {
    const [r, g, b] = rampColour(t);
    out.set([r, g, b, Math.round(210 * t)], i * 4);
  });
  return out;
}

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
  const heat = await sharp(heatPixels(result), {
    raw: { width: result.cols, height: result.rows, channels: 4 },
  })
    // Smooth between cell centres, as the grid samples overlapping windows.
    .resize(OUT, OUT, { kernel: 'cubic', fit: 'fill' })
    .png()
    .toBuffer();
  await sharp(photo)
    .composite([{ input: heat }])
    .png()
    .toFile(file);
}
