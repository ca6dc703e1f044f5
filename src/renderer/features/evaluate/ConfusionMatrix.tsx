import { useMemo, useState } from 'react';
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import { escapeText } from '../../ui/plotly-text';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { CellPhotos, type Cell } from './CellPhotos';
import {
  cellLabels,
  cellRects,
  heatCells,
  reorderMatrix,
  type MatrixMode,
  type MatrixOrder,
} from './confusion';

const ORDER_LABELS: Record<MatrixOrder, string> = {
  alphabetical: 'A–Z',
  longitude: 'West → east',
  tour: 'Neighbours',
};
const ORDER_TITLES: Record<MatrixOrder, string> = {
  alphabetical: 'Cities in alphabetical order',
  longitude: 'Cities by the longitude of their centre, west to east',
  tour: 'A nearest-neighbour tour of the city centres: cities close on the globe sit together',
};

/**
 * The confusion matrix as a heatmap (rows true, columns predicted), drawn with rectangles and
 * labels so it works with the basic Plotly bundle; hovering a cell tells count and row share,
 * clicking it (or its number in the table) lists its photos.
 */
export function ConfusionMatrix(props: {
  classes: string[];
  confusion: number[][];
  evaluationId: number;
  modelId: string;
  /** Geographic orders of the classes (absent for evaluations stored before they existed). */
  orders?: { longitude: number[]; tour: number[] };
}) {
  const [mode, setMode] = useState<MatrixMode>('counts');
  const [order, setOrder] = useState<MatrixOrder>('alphabetical');
  const [cell, setCell] = useState<Cell | null>(null);
  const { classes, confusion } = useMemo(
    () =>
      reorderMatrix(
        props.classes,
        props.confusion,
        order === 'alphabetical' || props.orders === undefined ? null : props.orders[order],
      ),
    [props.classes, props.confusion, props.orders, order],
  );
  const n = classes.length;

  const chart = useMemo(() => {
    const cells = heatCells(confusion, mode);
    const shapes = cellRects(cells);
    const annotations = cellLabels(cells, (c) => c.text, n > 8 ? 10 : 12);
    const hover: MlTrace = {
      type: 'scatter',
      mode: 'markers',
      x: cells.map((c) => c.col),
      y: cells.map((c) => c.row),
      customdata: cells.map(
        (c) =>
          // No <b>: Plotly styles it with a style attribute, which the strict CSP blocks.
          `true ${escapeText(classes[c.row] ?? '')} → predicted ${escapeText(classes[c.col] ?? '')}<br>` +
          `${c.count} photo${c.count === 1 ? '' : 's'} · click to list them` +
          (c.share === null ? '' : ` · ${(c.share * 100).toFixed(1)}% of the row`),
      ),
      marker: { size: Math.max(18, 300 / Math.max(1, n)), opacity: 0, symbol: 'square' },
      hovertemplate: '%{customdata}<extra></extra>',
      showlegend: false,
    };
    const ticks = classes.map((_, i) => i);
    const side = Math.min(640, Math.max(300, 90 + 52 * n));
    const layout: MlLayout = {
      height: side + 40,
      margin: { l: 110, r: 16, t: 70, b: 16 },
      showlegend: false,
      hovermode: 'closest',
      xaxis: {
        tickvals: ticks,
        ticktext: classes,
        side: 'top',
        range: [-0.5, n - 0.5],
        title: { text: 'predicted city', standoff: 6 },
        showgrid: false,
        zeroline: false,
        fixedrange: true,
        tickangle: n > 6 ? -35 : 0,
      },
      yaxis: {
        tickvals: ticks,
        ticktext: classes,
        range: [n - 0.5, -0.5],
        title: { text: 'true city' },
        showgrid: false,
        zeroline: false,
        fixedrange: true,
        scaleanchor: 'x',
        constrain: 'domain',
      },
      shapes,
      annotations,
    };
    return { data: [hover], layout };
  }, [classes, confusion, mode, n]);

  return (
    <section
      className="card"
      aria-labelledby="confusion-title"
      data-testid="confusion"
      data-mode={mode}
      data-order={order}
      data-classes={classes.join('|')}
    >
      <div className="ml-card-head">
        <h2 id="confusion-title">Confusion matrix</h2>
        {props.orders !== undefined && (
          <div className="ml-toggle" role="group" aria-label="City order">
            {(['alphabetical', 'longitude', 'tour'] as const).map((o) => (
              <button
                key={o}
                type="button"
                aria-pressed={order === o}
                title={ORDER_TITLES[o]}
                onClick={() => setOrder(o)}
                data-testid={`confusion-order-${o}`}
              >
                {ORDER_LABELS[o]}
              </button>
            ))}
          </div>
        )}
        <div className="ml-toggle" role="group" aria-label="Cell values">
          <button
            type="button"
            aria-pressed={mode === 'counts'}
            onClick={() => setMode('counts')}
            data-testid="confusion-counts"
          >
            Counts
          </button>
          <button
            type="button"
            aria-pressed={mode === 'rows'}
            onClick={() => setMode('rows')}
            data-testid="confusion-rows"
          >
            Row %
          </button>
        </div>
      </div>
      <p className="muted small">
        Rows are the true city, columns the predicted one; the diagonal (green outline) is correct.
        {mode === 'rows' ? ' Each row shows where that city’s photos went.' : ''}
      </p>
      <PlotlyChart
        data={chart.data}
        layout={chart.layout}
        label={`Confusion matrix of ${n} cities, ${mode === 'rows' ? 'row-normalised' : 'counts'}`}
        testId="confusion-chart"
        className="ml-confusion-chart"
        onPointClick={(point) => {
          const trueCity = classes[Number(point.y)];
          const predictedCity = classes[Number(point.x)];
          if (trueCity !== undefined && predictedCity !== undefined) {
            setCell({ trueCity, predictedCity });
          }
        }}
      />
      {cell !== null && (
        <CellPhotos
          evaluationId={props.evaluationId}
          modelId={props.modelId}
          cell={cell}
          onClose={() => setCell(null)}
        />
      )}
      <details className="ml-details">
        <summary>As a table</summary>
        <table className="data-table ml-matrix-table" data-testid="confusion-table">
          <thead>
            <tr>
              <th scope="col">true ↓ / predicted →</th>
              {classes.map((c) => (
                <th key={c} scope="col" className="num">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {confusion.map((row, r) => (
              <tr key={classes[r] ?? r} data-testid="confusion-row" data-city={classes[r]}>
                <th scope="row">{classes[r]}</th>
                {row.map((v, c) => (
                  <td key={c} className={`num${r === c ? ' ml-diag' : ''}`}>
                    <button
                      type="button"
                      className="link-button"
                      data-testid="confusion-cell"
                      aria-label={`${v} ${classes[r] ?? ''} photos predicted ${classes[c] ?? ''}`}
                      onClick={() =>
                        setCell({ trueCity: classes[r] ?? '', predictedCity: classes[c] ?? '' })
                      }
                    >
                      {v}
                    </button>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
