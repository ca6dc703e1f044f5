import type { MlAnnotation, MlShape } from 'plotly.js/dist/plotly-basic.min.js';
/** Pure helpers for the confusion-matrix heatmap (rows true city, columns predicted city). */

export type MatrixMode = 'counts' | 'rows';

/** Each row divided by its sum (the share of that city's photos predicted as each city). */
export function rowNormalise(confusion: readonly (readonly number[])[]): (number | null)[][] {
  return confusion.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum === 0 ? null : v / sum));
  });
}

const STOPS: [number, [number, number, number]][] = [
  [0, [246, 248, 252]],
  [0.35, [165, 192, 240]],
  [1, [30, 63, 138]],
];

/** The heatmap colour of an intensity in [0, 1]: near white → the app's blue → dark blue. */
export function cellColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < STOPS.length; i += 1) {
    const [p1, c1] = STOPS[i] as [number, [number, number, number]];
    const [p0, c0] = STOPS[i - 1] as [number, [number, number, number]];
    if (x <= p1) {
      const f = (x - p0) / (p1 - p0);
      const [r, g, b] = c0.map((c, k) => Math.round(c + f * ((c1[k] ?? c) - c)));
      return `rgb(${r},${g},${b})`;
    }
  }
  return 'rgb(30,63,138)';
}

/** Readable text on a cell of intensity t. */
export const textColour = (t: number): string => (t > 0.5 ? '#ffffff' : '#1f2430');

export type HeatCell = {
  row: number;
  col: number;
  count: number;
  /** Share of the row (null for a city with no photos). */
  share: number | null;
  /** Colour intensity in [0, 1] for the chosen mode. */
  intensity: number;
  text: string;
};

/** Every cell with its colour intensity and label for the chosen mode. */
export function heatCells(confusion: readonly (readonly number[])[], mode: MatrixMode): HeatCell[] {
  const shares = rowNormalise(confusion);
  const max = Math.max(1, ...confusion.flat());
  return confusion.flatMap((row, r) =>
    row.map((count, c) => {
      const share = shares[r]?.[c] ?? null;
      const intensity = mode === 'rows' ? (share ?? 0) : count / max;
      const text =
        mode === 'rows' ? (share === null ? '—' : `${Math.round(share * 100)}%`) : String(count);
      return { row: r, col: c, count, share, intensity, text };
    }),
  );
}

/** The cells as filled rectangles (the diagonal outlined in green), drawn under the labels. */
export function cellRects(cells: readonly HeatCell[]): MlShape[] {
  return cells.map((c) => ({
    type: 'rect',
    xref: 'x',
    yref: 'y',
    x0: c.col - 0.5,
    x1: c.col + 0.5,
    y0: c.row - 0.5,
    y1: c.row + 0.5,
    fillcolor: cellColour(c.intensity),
    line: { color: c.row === c.col ? '#2e9d6b' : '#ffffff', width: c.row === c.col ? 2 : 1 },
    layer: 'below',
  }));
}

/** Each cell's label at its centre, in a colour readable on its fill. */
export function cellLabels(
  cells: readonly HeatCell[],
  text: (cell: HeatCell) => string,
  size: number,
): MlAnnotation[] {
  return cells.map((c) => ({
    x: c.col,
    y: c.row,
    xref: 'x',
    yref: 'y',
    text: text(c),
    showarrow: false,
    font: { size, color: textColour(c.intensity) },
  }));
}

/** How the confusion matrix orders its cities: as stored (alphabetical), or by geography. */
export type MatrixOrder = 'alphabetical' | 'longitude' | 'tour';

/**
 * The classes and matrix with rows and columns both permuted by `order` (class indices), so the
 * diagonal stays the right answers. An order that is not a permutation of the classes is ignored.
 */
export function reorderMatrix(
  classes: readonly string[],
  confusion: readonly (readonly number[])[],
  order: readonly number[] | null,
): { classes: string[]; confusion: number[][] } {
  const n = classes.length;
  const valid =
    order !== null &&
    order.length === n &&
    new Set(order).size === n &&
    order.every((i) => Number.isInteger(i) && i >= 0 && i < n);
  if (!valid) return { classes: [...classes], confusion: confusion.map((r) => [...r]) };
  return {
    classes: order.map((i) => classes[i]!),
    confusion: order.map((r) => order.map((c) => confusion[r]?.[c] ?? 0)),
  };
}
