// A study's confusion matrix (rows true city, columns guessed city) as a Plotly chart of coloured
// rectangles, mirroring features/evaluate/ConfusionMatrix with its cell shaping, for two matrices
// drawn side by side. Pure.
import type { MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import { cellLabels, cellRects, heatCells } from '../evaluate/confusion';
import { escapeText } from '../../ui/plotly-text';
import type { Chart } from './results-charts';

export function confusionChart(
  rows: readonly string[],
  columns: readonly string[],
  matrix: readonly (readonly number[])[],
  who: string,
): Chart {
  const cells = heatCells(matrix, 'rows');
  const shapes = cellRects(cells);
  const annotations = cellLabels(cells, (c) => String(c.count), 12);
  const hover: MlTrace = {
    type: 'scatter',
    mode: 'markers',
    x: cells.map((c) => c.col),
    y: cells.map((c) => c.row),
    customdata: cells.map(
      (c) =>
        `true ${escapeText(rows[c.row] ?? '')} → ${who} said ${escapeText(columns[c.col] ?? '')}<br>` +
        `${c.count} photo${c.count === 1 ? '' : 's'}` +
        (c.share === null ? '' : ` · ${(c.share * 100).toFixed(0)}% of the row`),
    ),
    marker: { size: 28, opacity: 0, symbol: 'square' },
    hovertemplate: '%{customdata}<extra></extra>',
    showlegend: false,
  };
  const side = Math.min(520, Math.max(260, 90 + 48 * Math.max(rows.length, columns.length)));
  return {
    data: [hover],
    layout: {
      height: side,
      margin: { l: 90, r: 10, t: 60, b: 10 },
      showlegend: false,
      hovermode: 'closest',
      xaxis: {
        tickvals: columns.map((_, i) => i),
        ticktext: [...columns],
        side: 'top',
        range: [-0.5, columns.length - 0.5],
        title: { text: `${who}'s guess`, standoff: 4 },
        showgrid: false,
        zeroline: false,
        fixedrange: true,
      },
      yaxis: {
        tickvals: rows.map((_, i) => i),
        ticktext: [...rows],
        range: [rows.length - 0.5, -0.5],
        title: { text: 'true city' },
        showgrid: false,
        zeroline: false,
        fixedrange: true,
      },
      shapes,
      annotations,
    },
  };
}
