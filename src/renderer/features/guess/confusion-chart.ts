// A study's confusion matrix (rows true city, columns guessed city) as a Plotly chart of coloured
// rectangles, mirroring features/evaluate/ConfusionMatrix with its cell shaping, for two matrices
// drawn side by side. Pure.
import type { MlAnnotation, MlShape, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import { cellColour, heatCells, textColour } from '../evaluate/confusion';
import { escapeText, type Chart } from './results-charts';

export function confusionChart(
  rows: readonly string[],
  columns: readonly string[],
  matrix: readonly (readonly number[])[],
  who: string,
): Chart {
  const cells = heatCells(matrix, 'rows');
  const shapes: MlShape[] = cells.map((c) => ({
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
  const annotations: MlAnnotation[] = cells.map((c) => ({
    x: c.col,
    y: c.row,
    xref: 'x',
    yref: 'y',
    text: String(c.count),
    showarrow: false,
    font: { size: 12, color: textColour(c.intensity) },
  }));
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
