import type { MlAnnotation, MlLayout, MlShape, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { EvaluationReport } from '../../../shared/contract/ml-types';
import { interval, pct } from '../../ui/format';
import { paperCitySeries, referenceLines, type ReferenceLine } from './references';

/** One bar: a city's accuracy (its recall, as the paper reports per city) and 95% interval. */
export type CityBar = {
  city: string;
  /** 0 for a city with no photo in the set (its accuracy is undefined, shown as "—"). */
  value: number;
  defined: boolean;
  /** Error bar lengths below and above the value. */
  minus: number;
  plus: number;
  hover: string;
};

export function cityBars(report: EvaluationReport): CityBar[] {
  return report.perClass.map((c) => {
    const v = c.recall.value;
    return {
      city: c.class,
      value: v ?? 0,
      defined: v !== null,
      minus: v === null || c.recall.lo === null ? 0 : v - c.recall.lo,
      plus: v === null || c.recall.hi === null ? 0 : c.recall.hi - v,
      hover:
        v === null
          ? 'no photo of this city in the set'
          : `${c.recall.successes} of ${c.recall.trials} photos, 95% CI ${interval(c.recall)}`,
    };
  });
}

/** A horizontal line across the plot at the reference value, labelled at its right end. */
function referenceShape(r: ReferenceLine): MlShape {
  return {
    type: 'line',
    xref: 'paper',
    yref: 'y',
    x0: 0,
    x1: 1,
    y0: r.value,
    y1: r.value,
    line: { color: r.color, width: 1.5, dash: r.dash },
    layer: 'above',
  };
}

/** Labels nearer than this (in accuracy) would overlap at the chart's height. */
const LABEL_GAP = 0.07;

/**
 * Where each reference label sits against its line: centred, unless another line is close (with
 * 3 or 4 cities chance is 33% or 25%, next to the paper's 27.2% for humans); then the lower label
 * goes below its line and the upper one above, so they never overlap.
 */
export function labelAnchors(refs: readonly ReferenceLine[]): ('top' | 'middle' | 'bottom')[] {
  const anchors = refs.map((): 'top' | 'middle' | 'bottom' => 'middle');
  const order = refs.map((r, i) => ({ v: r.value, i })).sort((a, b) => a.v - b.v);
  for (let j = 1; j < order.length; j++) {
    const lo = order[j - 1]!;
    const hi = order[j]!;
    if (hi.v - lo.v < LABEL_GAP) {
      anchors[lo.i] = 'top';
      anchors[hi.i] = 'bottom';
    }
  }
  return anchors;
}

/** Labels sit in the right margin, outside the bars, so they stay readable over any bar. */
function referenceLabel(r: ReferenceLine, yanchor: 'top' | 'middle' | 'bottom'): MlAnnotation {
  return {
    x: 1.01,
    y: r.value,
    xref: 'paper',
    yref: 'y',
    text: r.label,
    showarrow: false,
    xanchor: 'left',
    yanchor,
    font: { size: 11, color: r.color },
  };
}

/**
 * The per-city bar chart with the paper's overall figures and chance as reference lines, and the
 * paper's own per-city accuracy (Table 2) as a diamond on each city it had.
 */
export function perCityChart(report: EvaluationReport): { data: MlTrace[]; layout: MlLayout } {
  const bars = cityBars(report);
  const refs = referenceLines(report.classes.length);
  const anchors = labelAnchors(refs);
  const data: MlTrace[] = [
    {
      type: 'bar',
      name: 'accuracy',
      x: bars.map((b) => b.city),
      y: bars.map((b) => b.value),
      marker: { color: bars.map((b) => (b.defined ? '#3b6fd8' : '#c3c9d4')) },
      text: bars.map((b) => (b.defined ? pct(b.value, 0) : '—')),
      textposition: 'inside',
      insidetextanchor: 'start',
      customdata: bars.map((b) => b.hover),
      hovertemplate: '%{x}: %{y:.1%}<br>%{customdata}<extra></extra>',
      error_y: {
        type: 'data',
        symmetric: false,
        array: bars.map((b) => b.plus),
        arrayminus: bars.map((b) => b.minus),
        color: '#1f2430',
        thickness: 1.2,
        width: 4,
      },
    },
  ];
  const paper = paperCitySeries(bars.map((b) => b.city));
  if (paper.length > 0) {
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'paper, Table 2',
      x: paper.map((p) => p.city),
      y: paper.map((p) => p.value),
      marker: {
        symbol: 'diamond',
        size: 9,
        color: '#e0a030',
        line: { color: '#1f2430', width: 1 },
      },
      hovertemplate:
        "%{x}: the paper's model %{y:.1%} (Table 2, its Street View photos)<extra></extra>",
    });
  }
  const layout: MlLayout = {
    height: 260,
    margin: { l: 48, r: 128, t: paper.length > 0 ? 28 : 12, b: 40 },
    showlegend: paper.length > 0,
    legend: { orientation: 'h', x: 0, y: 1.12 },
    xaxis: { type: 'category', automargin: true, fixedrange: true },
    yaxis: {
      range: [0, 1.05],
      tickformat: '.0%',
      dtick: 0.25,
      title: { text: 'accuracy (recall)' },
      fixedrange: true,
    },
    shapes: refs.map(referenceShape),
    annotations: refs.map((r, i) => referenceLabel(r, anchors[i] ?? 'middle')),
  };
  return { data, layout };
}
