import { useMemo } from 'react';
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { Calibration } from '../../../shared/contract/ml-types';
import { fixed, pct } from '../ml/format';
import { PlotlyChart } from '../ml/PlotlyChart';

/** Reliability diagram: accuracy against confidence per bin, the diagonal is perfect calibration. */
export function ReliabilityChart(props: { calibration: Calibration }) {
  const { calibration } = props;
  const chart = useMemo(() => {
    const used = calibration.bins.filter((b) => b.count > 0 && b.accuracy !== null);
    const data: MlTrace[] = [
      {
        type: 'bar',
        name: 'accuracy in bin',
        x: used.map((b) => (b.lo + b.hi) / 2),
        y: used.map((b) => b.accuracy ?? 0),
        width: used.map((b) => (b.hi - b.lo) * 0.92),
        marker: { color: '#3b6fd8' },
        customdata: used.map(
          (b) =>
            `${pct(b.lo, 0)}–${pct(b.hi, 0)} confidence: ${b.count} photo${b.count === 1 ? '' : 's'}, mean confidence ${pct(b.confidence)}`,
        ),
        hovertemplate: 'accuracy %{y:.1%}<br>%{customdata}<extra></extra>',
      },
      {
        type: 'scatter',
        name: 'mean confidence',
        mode: 'markers',
        x: used.map((b) => (b.lo + b.hi) / 2),
        y: used.map((b) => b.confidence),
        marker: { color: '#e0a030', size: 8, symbol: 'diamond' },
        hovertemplate: 'mean confidence %{y:.1%}<extra></extra>',
      },
      {
        type: 'scatter',
        name: 'perfect calibration',
        mode: 'lines',
        x: [0, 1],
        y: [0, 1],
        line: { color: '#667085', dash: 'dash', width: 1.5 },
        hoverinfo: 'skip',
      },
    ];
    const layout: MlLayout = {
      height: 300,
      margin: { l: 56, r: 28, t: 28, b: 44 },
      bargap: 0,
      legend: { orientation: 'h', x: 0, y: 1.14 },
      xaxis: {
        range: [0, 1],
        tickformat: '.0%',
        title: { text: 'confidence (top-1 probability)' },
      },
      yaxis: { range: [0, 1.02], tickformat: '.0%', title: { text: 'accuracy' } },
    };
    return { data, layout };
  }, [calibration]);

  return (
    <section className="card" aria-labelledby="reliability-title" data-testid="reliability">
      <h2 id="reliability-title">
        Calibration{' '}
        <span className="muted small" data-testid="eval-ece" data-value={calibration.ece}>
          ECE {fixed(calibration.ece)} · MCE {fixed(calibration.mce)}
        </span>
      </h2>
      <p className="muted small">
        Bars below the diagonal mean the model is more confident than it is right.
      </p>
      <PlotlyChart
        data={chart.data}
        layout={chart.layout}
        label="Reliability diagram: accuracy per confidence bin"
        testId="reliability-chart"
      />
    </section>
  );
}
