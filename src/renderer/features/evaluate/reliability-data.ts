import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { Calibration } from '../../../shared/contract/ml-types';
import { pct } from '../../ui/format';

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

/**
 * Reliability diagram: accuracy bars, mean-confidence markers and the diagonal. With `before`
 * (the same answers before temperature scaling) the bars are the scaled answers and the
 * unscaled ones are drawn over them as a grey line of accuracy against mean confidence.
 */
export function reliabilityChart(
  calibration: Calibration,
  before: Calibration | null = null,
): { data: MlTrace[]; layout: MlLayout } {
  const used = reliabilityPoints(calibration);
  const unscaled = before === null ? [] : reliabilityPoints(before);
  const data: MlTrace[] = [
    {
      type: 'bar',
      name: before === null ? 'accuracy in bin' : 'accuracy in bin (after scaling)',
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
  if (before !== null) {
    data.push({
      type: 'scatter',
      name: 'before scaling (T = 1)',
      mode: 'lines+markers',
      x: unscaled.map((b) => b.confidence),
      y: unscaled.map((b) => b.accuracy),
      line: { color: '#98a2b3', width: 2 },
      marker: { color: '#98a2b3', size: 7 },
      customdata: unscaled.map((b) => b.hover),
      hovertemplate: 'before scaling: accuracy %{y:.1%}<br>%{customdata}<extra></extra>',
    });
  }
  // Four legend entries wrap onto two lines in a half-width card: room for them above the plot.
  const layout: MlLayout = {
    height: before === null ? 300 : 330,
    margin: { l: 56, r: 28, t: before === null ? 28 : 60, b: 44 },
    bargap: 0,
    legend: { orientation: 'h', x: 0, y: before === null ? 1.14 : 1.3 },
    xaxis: {
      range: [0, 1],
      tickformat: '.0%',
      title: { text: 'confidence (top-1 probability)' },
    },
    yaxis: { range: [0, 1.02], tickformat: '.0%', title: { text: 'accuracy' } },
  };
  return { data, layout };
}
