import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { EvaluationReport, Proportion } from '../../../shared/contract/ml-types';
import { interval, PAPER_ACCURACY, PAPER_HUMAN_ACCURACY, pct } from '../../ui/format';

/** One bar of the headline chart; `p` carries the 95% interval when the value was measured. */
export type HeadlineBar = {
  label: string;
  p: Proportion | null;
  value: number;
  color: string;
  note: string;
};

/**
 * The model's overall and top-k accuracy beside what to judge it by: chance and the majority
 * baseline on this set, the paper's model and its human guessers. Bottom to top, as Plotly draws
 * horizontal bars, so the model's own bars end up on top.
 */
export function headlineBars(r: EvaluationReport): HeadlineBar[] {
  const k = r.classes.length;
  const topK = r.topK
    .filter((t) => t.k > 1)
    .map((t): HeadlineBar => ({
      label: `This model, top-${t.k}`,
      p: t,
      value: t.value ?? 0,
      color: '#8fb0ec',
      note: `the true city among the ${t.k} most likely: ${t.successes} of ${t.trials} photos`,
    }));
  return [
    {
      label: 'Uniform chance',
      p: null,
      value: r.chance.uniform,
      color: '#c3c9d4',
      note: `1 / ${k} cities`,
    },
    {
      label: 'Majority class',
      p: r.chance.majority.accuracy,
      value: r.chance.majority.accuracy.value ?? 0,
      color: '#98a2b3',
      note: `always “${r.chance.majority.class}”`,
    },
    {
      label: 'Humans (paper)',
      p: null,
      value: PAPER_HUMAN_ACCURACY,
      color: '#b89adf',
      note: 'people guessing among the paper’s 10 cities',
    },
    {
      label: 'Paper (10 cities)',
      p: null,
      value: PAPER_ACCURACY,
      color: '#e0a030',
      note: 'Recognizing Cities from Street View Images, 2016',
    },
    {
      label: 'This model',
      p: r.accuracy,
      value: r.accuracy.value ?? 0,
      color: '#3b6fd8',
      note: `${r.accuracy.successes} of ${r.accuracy.trials} photos`,
    },
    ...topK,
  ];
}

/** Error bar lengths (below, above) of a bar; zero for figures without an interval. */
export function errorLengths(b: HeadlineBar): { minus: number; plus: number } {
  if (b.p === null || b.p.lo === null || b.p.hi === null) return { minus: 0, plus: 0 };
  return { minus: b.value - b.p.lo, plus: b.p.hi - b.value };
}

export function headlineChart(bars: readonly HeadlineBar[]): { data: MlTrace[]; layout: MlLayout } {
  const errors = bars.map(errorLengths);
  const data: MlTrace[] = [
    {
      type: 'bar',
      orientation: 'h',
      x: bars.map((b) => b.value),
      y: bars.map((b) => b.label),
      marker: { color: bars.map((b) => b.color) },
      text: bars.map((b) => pct(b.value)),
      textposition: 'inside',
      insidetextanchor: 'start',
      customdata: bars.map((b) => (b.p === null ? b.note : `${b.note}, 95% CI ${interval(b.p)}`)),
      hovertemplate: '%{y}: %{x:.1%}<br>%{customdata}<extra></extra>',
      error_x: {
        type: 'data',
        symmetric: false,
        array: errors.map((e) => e.plus),
        arrayminus: errors.map((e) => e.minus),
        color: '#1f2430',
        thickness: 1.5,
        width: 6,
      },
    },
  ];
  const layout: MlLayout = {
    // About 30 px a bar, so a top-3 and a top-5 bar do not squeeze the others.
    height: 70 + 30 * bars.length,
    margin: { l: 120, r: 16, t: 6, b: 30 },
    xaxis: { range: [0, 1.06], tickformat: '.0%', dtick: 0.2, fixedrange: true },
    yaxis: { fixedrange: true, automargin: true },
    showlegend: false,
  };
  return { data, layout };
}
