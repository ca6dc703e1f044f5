import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { Calibration } from '../../../shared/contract/ml-types';
import { pct } from '../ml/format';

/** A non-empty confidence bin placed on the chart: centre, width, accuracy, mean confidence. */
export type ReliabilityPoint = {
  x: number;
  width: number;
  accuracy: number;
  confidence: number;
  count: number;
  hover: string;
};

/** Bins with photos in them; empty bins have no accuracy and would draw as misleading zeros. */
export function reliabilityPoints(calibration: Calibration): ReliabilityPoint[] {
  return calibration.bins.flatMap((b) =>
    b.count > 0 && b.accuracy !== null && b.confidence !== null
      ? [
          {
            x: (b.lo + b.hi) / 2,
            // A hair narrower than the bin so neighbouring bars stay apart.
            width: (b.hi - b.lo) * 0.92,
            accuracy: b.accuracy,
            confidence: b.confidence,
            count: b.count,
            hover: `${pct(b.lo, 0)}–${pct(b.hi, 0)} confidence: ${b.count} photo${b.count === 1 ? '' : 's'}, mean confidence ${pct(b.confidence)}`,
          },
        ]
      : [],
  );
}

/** Reliability diagram: accuracy bars, mean-confidence markers and the diagonal. */
export function reliabilityChart(calibration: Calibration): { data: MlTrace[]; layout: MlLayout } {
  const used = reliabilityPoints(calibration);
  const data: MlTrace[] = [
    {
      type: 'bar',
      name: 'accuracy in bin',
      x: used.map((b) => b.x),
      y: used.map((b) => b.accuracy),
      width: used.map((b) => b.width),
      marker: { color: '#3b6fd8' },
      customdata: used.map((b) => b.hover),
      hovertemplate: 'accuracy %{y:.1%}<br>%{customdata}<extra></extra>',
    },
    {
      type: 'scatter',
      name: 'mean confidence',
      mode: 'markers',
      x: used.map((b) => b.x),
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
}
