// The feature map's Plotly traces: one trace per colour group (a city, or right/wrong), each point
// carrying its image id in `customdata` so hover, click and lasso can find the photo again.
import type { MlScatterTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { EmbedPoint } from '../../../shared/contract/ml-types';
import { pct } from '../../ui/format';

export type ColourMode = 'truth' | 'predicted' | 'correct';

export const COLOUR_MODES: Record<ColourMode, string> = {
  truth: 'True city',
  predicted: 'Predicted city',
  correct: 'Correct / wrong',
};

/** Distinct colours for up to ten cities (the paper's count), then they repeat. */
export const CITY_PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const RIGHT = '#2e9d61';
const WRONG = '#d13b3b';

export function cityColour(classes: readonly string[], city: string): string {
  const i = classes.indexOf(city);
  return CITY_PALETTE[(i < 0 ? classes.length : i) % CITY_PALETTE.length] ?? '#888';
}

function trace(name: string, colour: string, points: readonly EmbedPoint[]): MlScatterTrace {
  return {
    type: 'scatter',
    mode: 'markers',
    name,
    x: points.map((p) => p.x),
    y: points.map((p) => p.y),
    customdata: points.map((p) => p.imageId),
    text: points.map(
      (p) =>
        `${p.city} · predicted ${p.predicted} (${pct(p.probability)})${p.city === p.predicted ? '' : ' ✗'}`,
    ),
    hovertemplate: '%{text}<extra></extra>',
    marker: { color: colour, size: 9, opacity: 0.85, line: { color: '#fff', width: 1 } },
  };
}

/** The traces for a colouring; groups without points are left out (no empty legend entries). */
export function scatterTraces(
  points: readonly EmbedPoint[],
  classes: readonly string[],
  mode: ColourMode,
): MlScatterTrace[] {
  if (mode === 'correct') {
    return [
      trace(
        'Correct',
        RIGHT,
        points.filter((p) => p.city === p.predicted),
      ),
      trace(
        'Wrong',
        WRONG,
        points.filter((p) => p.city !== p.predicted),
      ),
    ].filter((t) => t.x.length > 0);
  }
  const key = (p: EmbedPoint): string => (mode === 'truth' ? p.city : p.predicted);
  const names = [...classes, ...new Set(points.map(key).filter((c) => !classes.includes(c)))];
  return names
    .map((city) =>
      trace(
        city,
        cityColour(classes, city),
        points.filter((p) => key(p) === city),
      ),
    )
    .filter((t) => t.x.length > 0);
}

/** The image ids of Plotly event points (hover, click, selection), each once, in event order. */
export function imageIdsOf(points: readonly { customdata?: unknown }[]): number[] {
  const ids = new Set<number>();
  for (const p of points) {
    if (typeof p.customdata === 'number' && Number.isInteger(p.customdata)) ids.add(p.customdata);
  }
  return [...ids];
}

/** How many of the map's photos the model gets right (shown above the plot). */
export function accuracyOf(points: readonly EmbedPoint[]): { right: number; total: number } {
  return { right: points.filter((p) => p.city === p.predicted).length, total: points.length };
}
