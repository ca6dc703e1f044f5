import { useMemo } from 'react';
import type { MlAnnotation, MlLayout, MlShape, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type { TrainSummary } from '../../../shared/contract/ml-types';
import { rate } from '../../ui/format';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { bestPoints, buildCurves, type Curves } from './curves';

const TRAIN = '#3b6fd8';
const VAL = '#e0a030';

function markers(c: Curves): { shapes: MlShape[]; annotations: MlAnnotation[] } {
  const shapes: MlShape[] = [];
  const annotations: MlAnnotation[] = [];
  for (const s of c.stageStarts) {
    shapes.push({
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: s.x,
      x1: s.x,
      y0: 0,
      y1: 1,
      line: { color: '#667085', width: 1.5 },
    });
    annotations.push({
      x: s.x,
      y: 1,
      xref: 'x',
      yref: 'paper',
      text: `stage ${s.stage}`,
      showarrow: false,
      xanchor: 'left',
      yanchor: 'top',
      font: { size: 11, color: '#667085' },
    });
  }
  for (const d of c.lrDrops) {
    shapes.push({
      type: 'line',
      xref: 'x',
      yref: 'paper',
      x0: d.x,
      x1: d.x,
      y0: 0,
      y1: 1,
      line: { color: '#c23b3b', width: 1, dash: 'dot' },
    });
    annotations.push({
      x: d.x,
      y: 0,
      xref: 'x',
      yref: 'paper',
      text: `lr ${rate(d.to)}`,
      showarrow: false,
      xanchor: 'left',
      yanchor: 'bottom',
      font: { size: 10, color: '#c23b3b' },
    });
  }
  return { shapes, annotations };
}

function line(name: string, c: Curves, y: (number | null)[], color: string, dash = false) {
  const trace: MlTrace = {
    type: 'scatter',
    mode: c.x.length > 40 ? 'lines' : 'lines+markers',
    name,
    x: c.x,
    y,
    customdata: c.labels,
    line: { color, width: 2, dash: dash ? 'dash' : 'solid' },
    marker: { color, size: 5 },
    hovertemplate: `${name}: %{y:.4f}<br>%{customdata}<extra></extra>`,
  };
  return trace;
}

function layout(c: Curves, yTitle: string, range?: [number, number]): MlLayout {
  const last = c.x[c.x.length - 1] ?? 1;
  return {
    height: 280,
    margin: { l: 56, r: 12, t: 28, b: 40 },
    legend: { orientation: 'h', x: 0, y: 1.16 },
    hovermode: 'closest',
    xaxis: {
      title: { text: 'epoch' },
      range: [0.5, Math.max(last, 2) + 0.5],
      dtick: last <= 20 ? 1 : undefined,
      zeroline: false,
    },
    yaxis: { title: { text: yTitle }, ...(range ? { range } : { rangemode: 'tozero' }) },
    ...markers(c),
  };
}

/** Live loss and accuracy per epoch, train against validation, with stage and rate-drop marks. */
export function TrainingCurves(props: {
  epochs: readonly EpochMetrics[];
  summaries?: readonly TrainSummary[];
  idPrefix?: string;
}) {
  const { epochs, summaries } = props;
  const prefix = props.idPrefix ?? 'train';
  const c = useMemo(() => buildCurves(epochs), [epochs]);
  const loss = useMemo(() => {
    const data = [line('train loss', c, c.loss, TRAIN)];
    if (c.hasVal) data.push(line('val loss', c, c.valLoss, VAL, true));
    return { data, layout: layout(c, 'cross-entropy loss') };
  }, [c]);
  const accuracy = useMemo(() => {
    const data = [line('train accuracy', c, c.accuracy, TRAIN)];
    if (c.hasVal) data.push(line('val accuracy', c, c.valAccuracy, VAL, true));
    const best = bestPoints(
      c,
      (summaries ?? []).map((s) => ({ stage: s.stage, epoch: s.bestEpoch })),
    );
    if (best.length > 0) {
      const ys = best.map((x) => {
        const i = c.x.indexOf(x);
        return (c.hasVal ? c.valAccuracy[i] : c.accuracy[i]) ?? null;
      });
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: 'best epoch',
        x: best,
        y: ys,
        marker: { color: '#2e9d6b', size: 12, symbol: 'star' },
        hovertemplate: 'best epoch: %{y:.1%}<extra></extra>',
      });
    }
    const l = layout(c, 'accuracy', [0, 1.02]);
    return { data, layout: { ...l, yaxis: { ...l.yaxis, tickformat: '.0%' } } };
  }, [c, summaries]);

  return (
    <div className="ml-curves" data-testid={`${prefix}-curves`} data-points={c.x.length}>
      <PlotlyChart
        data={loss.data}
        layout={loss.layout}
        label="Loss per epoch, training against validation"
        testId={`${prefix}-loss-chart`}
      />
      <PlotlyChart
        data={accuracy.data}
        layout={accuracy.layout}
        label="Accuracy per epoch, training against validation"
        testId={`${prefix}-accuracy-chart`}
      />
    </div>
  );
}
