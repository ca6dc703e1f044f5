// The Evaluate view's open-set figures (no DOM): the coverage / accuracy curve with the model's
// threshold marked, and the domain-shift comparison of a model's latest evaluations.
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type {
  EvaluationOpenSet,
  OutsideSetResult,
  StoredEvaluation,
} from '../../../shared/contract/ml-types';
import { pct } from '../../ui/format';

/** "keeps 95% of the photos at 91.2% accuracy": what the model's threshold does on this set. */
export function keptWords(kept: EvaluationOpenSet['kept']): string {
  return `keeps ${pct(kept.coverage, 0)} of the photos at ${pct(kept.accuracy)} accuracy`;
}

/** Coverage (share kept, most in-distribution first) against the accuracy on those kept. */
export function coverageChart(openSet: EvaluationOpenSet): { data: MlTrace[]; layout: MlLayout } {
  const points = openSet.coverage.filter((p) => p.accuracy !== null);
  const { kept } = openSet;
  const data: MlTrace[] = [
    {
      type: 'scatter',
      name: 'accuracy of the photos kept',
      mode: 'lines+markers',
      x: points.map((p) => p.coverage),
      y: points.map((p) => p.accuracy),
      line: { color: '#3b6fd8', width: 2 },
      marker: { color: '#3b6fd8', size: 5 },
      hovertemplate: '%{x:.0%} kept: %{y:.1%} accurate<extra></extra>',
    },
  ];
  if (kept.accuracy !== null) {
    data.push({
      type: 'scatter',
      name: "the model's threshold",
      mode: 'markers',
      x: [kept.coverage],
      y: [kept.accuracy],
      marker: { color: '#e0a030', size: 12, symbol: 'diamond' },
      hovertemplate: `threshold: ${keptWords(kept)}<extra></extra>`,
    });
  }
  const lowest = Math.min(...points.map((p) => p.accuracy ?? 1), kept.accuracy ?? 1);
  const layout: MlLayout = {
    height: 280,
    margin: { l: 56, r: 28, t: 28, b: 44 },
    legend: { orientation: 'h', x: 0, y: 1.14 },
    xaxis: { range: [0, 1.02], tickformat: '.0%', title: { text: 'share of photos kept' } },
    yaxis: {
      // From a little under the lowest accuracy, so the curve's rise is visible.
      range: [Math.max(0, Math.floor(lowest * 10) / 10 - 0.05), 1.02],
      tickformat: '.0%',
      title: { text: 'accuracy of those kept' },
    },
    shapes: [
      {
        type: 'line',
        xref: 'x',
        yref: 'paper',
        x0: kept.coverage,
        x1: kept.coverage,
        y0: 0,
        y1: 1,
        line: { color: '#e0a030', width: 1.5, dash: 'dot' },
      },
    ],
  };
  return { data, layout };
}

/** The three columns of the domain-shift card: each the latest evaluation of its kind. */
export type DomainShift = {
  test: StoredEvaluation | null;
  external: StoredEvaluation | null;
  /** The latest evaluation that scored an outside set, and its figures. */
  outside: { evaluation: StoredEvaluation; result: OutsideSetResult } | null;
};

const newest = (a: StoredEvaluation, b: StoredEvaluation): number =>
  b.createdAt.localeCompare(a.createdAt) || b.id - a.id;

/** Picks, from a model's evaluations, the latest of each kind the domain-shift card compares. */
export function domainShift(evaluations: readonly StoredEvaluation[]): DomainShift {
  const sorted = [...evaluations].sort(newest);
  const withOutside = sorted.find((e) => e.openSet?.outside != null);
  const result = withOutside?.openSet?.outside ?? null;
  return {
    test: sorted.find((e) => e.dataset === 'test') ?? null,
    external: sorted.find((e) => e.dataset === 'external') ?? null,
    outside:
      withOutside !== undefined && result !== null ? { evaluation: withOutside, result } : null,
  };
}
