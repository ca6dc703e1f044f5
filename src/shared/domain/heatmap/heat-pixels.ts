// Turns an explanation's coarse grid (e.g. 13x13 occlusion squares, 7x7 Grad-CAM cells) into the
// pixels of an overlay: each grid value sits at the centre of the square it was measured on, and
// the pixels between centres are blended bilinearly so the overlay is smooth, not blocky.
import type { ExplainMethod, ExplainResult } from '../../contract/ml-types';
import { heatColour } from './colour-ramp';

export type HeatGrid = Pick<
  ExplainResult,
  'rows' | 'cols' | 'values' | 'inputSize' | 'box' | 'stride'
>;

/** Where grid cell i's centre lies along one axis of the network input: first + i * step. */
export type Axis = { first: number; step: number; n: number };

/** The side of the stored norm image, whose centre `inputSize` square the model sees. */
export const NORM_SIZE = 256;

export function gridAxis(
  n: number,
  inputSize: number,
  box: number | null,
  stride: number | null,
): Axis {
  // Occlusion/inclusion squares start at the edge and move by `stride`; Grad-CAM cells tile the
  // input evenly.
  if (box !== null && stride !== null) return { first: box / 2, step: stride, n };
  const step = inputSize / Math.max(1, n);
  return { first: step / 2, step, n };
}

/** The grid position (fractional index, clamped to the grid) of an input coordinate. */
export function gridPosition(axis: Axis, coord: number): number {
  if (axis.n <= 1) return 0;
  const g = (coord - axis.first) / axis.step;
  return Math.min(axis.n - 1, Math.max(0, g));
}

/** Bilinear sample of a rows × cols grid at fractional (row, col), both already clamped. */
export function sampleBilinear(
  values: readonly (readonly number[])[],
  row: number,
  col: number,
): number {
  const r0 = Math.floor(row);
  const c0 = Math.floor(col);
  const r1 = Math.min(r0 + 1, values.length - 1);
  const c1 = Math.min(c0 + 1, (values[0]?.length ?? 1) - 1);
  const fr = row - r0;
  const fc = col - c0;
  const at = (r: number, c: number): number => values[r]?.[c] ?? 0;
  const top = at(r0, c0) * (1 - fc) + at(r0, c1) * fc;
  const bottom = at(r1, c0) * (1 - fc) + at(r1, c1) * fc;
  return top * (1 - fr) + bottom * fr;
}

export type Range = { lo: number; hi: number };

/**
 * The values the colour scale spans. Occlusion and Grad-CAM start at 0 (no drop, no evidence: the
 * photo shows through; a negative drop means hiding the region helped the city, shown as nothing);
 * inclusion spans the map's own min–max, since every square keeps some probability.
 */
export function scaleRange(method: ExplainMethod, values: readonly (readonly number[])[]): Range {
  const flat = values.flat().filter(Number.isFinite);
  const max = flat.length === 0 ? 0 : Math.max(...flat);
  const min = flat.length === 0 ? 0 : Math.min(...flat);
  const lo = method === 'inclusion' ? min : 0;
  return { lo, hi: Math.max(max, lo) };
}

/** A value's place on the colour scale, 0–1 (0 when the range is empty). */
export function scaled(value: number, range: Range): number {
  const span = range.hi - range.lo;
  return span <= 0 ? 0 : (value - range.lo) / span;
}

/**
 * RGBA pixels (row-major, `size`×`size`) of the overlay over the network input (the centre crop),
 * each pixel's alpha multiplied by `opacity`.
 */
export function heatPixels(
  grid: HeatGrid,
  range: Range,
  size: number,
  opacity: number,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(size * size * 4);
  if (grid.rows === 0 || grid.cols === 0 || size <= 0) return out;
  const rows = gridAxis(grid.rows, grid.inputSize, grid.box, grid.stride);
  const cols = gridAxis(grid.cols, grid.inputSize, grid.box, grid.stride);
  const perPixel = grid.inputSize / size;
  const alpha = Math.min(1, Math.max(0, opacity));
  const colPos = Array.from({ length: size }, (_, x) => gridPosition(cols, (x + 0.5) * perPixel));
  for (let y = 0; y < size; y += 1) {
    const row = gridPosition(rows, (y + 0.5) * perPixel);
    for (let x = 0; x < size; x += 1) {
      const [r, g, b, a] = heatColour(scaled(sampleBilinear(grid.values, row, colPos[x]!), range));
      const i = (y * size + x) * 4;
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
      out[i + 3] = Math.round(a * alpha);
    }
  }
  return out;
}

/** Where the centre crop lies in the norm image drawn `displaySize` pixels wide (a square). */
export function cropRect(displaySize: number, inputSize: number): { offset: number; size: number } {
  const scale = displaySize / NORM_SIZE;
  return {
    offset: Math.round(((NORM_SIZE - inputSize) / 2) * scale),
    size: Math.round(inputSize * scale),
  };
}
