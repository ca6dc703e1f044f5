// How a city's circle looks: its area grows with the number of photos, its colour with the
// model's mean confidence. Pure, so the scales are unit-tested and the legend uses the same ones.

/** Screen radius (viewBox units at zoom 1) of the largest circle and the floor of the smallest. */
export const MAX_RADIUS = 9;
export const MIN_RADIUS = 1.6;

/** Area ∝ count: r = MAX_RADIUS · √(count / largest count), never below MIN_RADIUS. */
export function circleRadius(count: number, maxCount: number): number {
  if (count <= 0 || maxCount <= 0) return 0;
  return Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(Math.min(count, maxCount) / maxCount));
}

// A colour-blind-safe sequential ramp (viridis' ends and middle, light end dropped for contrast on
// the pale land): dark purple = unsure, teal, yellow-green = sure.
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [190, 220, 40],
];

const hex = (n: number): string => Math.round(n).toString(16).padStart(2, '0');

/** The colour of a mean confidence 0–1 (clamped) as #rrggbb. */
export function confidenceColour(confidence: number): string {
  const c = Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0;
  const pos = c * (STOPS.length - 1);
  const i = Math.min(Math.floor(pos), STOPS.length - 2);
  const t = pos - i;
  const a = STOPS[i] ?? STOPS[0];
  const b = STOPS[i + 1] ?? a;
  if (a === undefined || b === undefined) return '#000000';
  return `#${hex(a[0] + (b[0] - a[0]) * t)}${hex(a[1] + (b[1] - a[1]) * t)}${hex(a[2] + (b[2] - a[2]) * t)}`;
}

/** The legend's swatches: `steps` evenly spaced confidences from 0 to 1 with their colours. */
export function legendStops(steps = 5): { value: number; colour: string }[] {
  return Array.from({ length: steps }, (_, i) => {
    const value = steps === 1 ? 1 : i / (steps - 1);
    return { value, colour: confidenceColour(value) };
  });
}

/** Counts whose circles the size legend shows: the largest, about half, and 1 (distinct). */
export function sizeLegend(maxCount: number): number[] {
  if (maxCount <= 0) return [];
  return [...new Set([maxCount, Math.max(1, Math.round(maxCount / 4)), 1])];
}

/** The circle's tooltip: "Paris, France · 12 photos · mean confidence 81% · GPS: 5 right, 1 wrong". */
export function cityTooltip(c: {
  city: string;
  country: string;
  count: number;
  meanConfidence: number;
  correct: number;
  wrong: number;
}): string {
  const photos = `${c.count} photo${c.count === 1 ? '' : 's'}`;
  const where = c.country === '' ? c.city : `${c.city}, ${c.country}`;
  const gps = c.correct + c.wrong > 0 ? ` · GPS: ${c.correct} right, ${c.wrong} wrong` : '';
  return `${where} · ${photos} · mean confidence ${Math.round(c.meanConfidence * 100)}%${gps}`;
}
