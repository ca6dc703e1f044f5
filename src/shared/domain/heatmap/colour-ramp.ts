// The heatmap's colour scale: from fully transparent (no evidence, the photo shows through) over
// dark red and orange to a pale yellow (the strongest evidence). Alpha grows with the value so
// that weak regions hide nothing of the photo.

export type Rgba = readonly [number, number, number, number];

type Stop = { at: number; rgba: Rgba };

export const HOT_STOPS: readonly Stop[] = [
  { at: 0, rgba: [120, 0, 0, 0] },
  { at: 0.2, rgba: [170, 0, 0, 90] },
  { at: 0.45, rgba: [230, 40, 0, 160] },
  { at: 0.7, rgba: [255, 140, 0, 205] },
  { at: 1, rgba: [255, 245, 150, 235] },
];

const TRANSPARENT: Rgba = [0, 0, 0, 0];

/** The colour of a value scaled to 0–1 (clamped; NaN is transparent). */
export function heatColour(t: number): Rgba {
  if (Number.isNaN(t)) return TRANSPARENT;
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < HOT_STOPS.length; i += 1) {
    const hi = HOT_STOPS[i] as Stop;
    if (x > hi.at) continue;
    const lo = HOT_STOPS[i - 1] as Stop;
    const f = hi.at === lo.at ? 1 : (x - lo.at) / (hi.at - lo.at);
    const mix = (k: number): number => Math.round(lo.rgba[k]! + (hi.rgba[k]! - lo.rgba[k]!) * f);
    return [mix(0), mix(1), mix(2), mix(3)];
  }
  return (HOT_STOPS[HOT_STOPS.length - 1] as Stop).rgba;
}

/** A horizontal strip of the ramp (left 0, right 1), RGBA row-major: the legend's picture. */
export function rampPixels(width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let x = 0; x < width; x += 1) {
    const c = heatColour(width === 1 ? 1 : x / (width - 1));
    for (let y = 0; y < height; y += 1) out.set(c, (y * width + x) * 4);
  }
  return out;
}
