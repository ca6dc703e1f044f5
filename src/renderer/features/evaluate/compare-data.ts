import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { Proportion, StoredEvaluation } from '../../../shared/contract/ml-types';

/** One city's accuracy in two evaluations (null where that evaluation had none of its photos). */
export type CityComparison = {
  city: string;
  a: Proportion | null;
  b: Proportion | null;
  /** b − a, when both are defined. */
  delta: number | null;
};

/** Per-city accuracy (recall) side by side, over the cities of either evaluation, A's order first. */
export function compareCities(a: StoredEvaluation, b: StoredEvaluation): CityComparison[] {
  const byCity = (e: StoredEvaluation) =>
    new Map(e.report.perClass.map((c) => [c.class, c.support === 0 ? null : c.recall] as const));
  const ra = byCity(a);
  const rb = byCity(b);
  const cities = [...a.report.classes, ...b.report.classes.filter((c) => !ra.has(c))];
  return cities.map((city) => {
    const pa = ra.get(city) ?? null;
    const pb = rb.get(city) ?? null;
    const va = pa?.value ?? null;
    const vb = pb?.value ?? null;
    return { city, a: pa, b: pb, delta: va === null || vb === null ? null : vb - va };
  });
}

/** The headline numbers of both, with the difference of the overall accuracy. */
export function compareHeadline(a: StoredEvaluation, b: StoredEvaluation) {
  const top = (e: StoredEvaluation, k: number) => e.report.topK.find((t) => t.k === k) ?? null;
  const va = a.report.accuracy.value;
  const vb = b.report.accuracy.value;
  return {
    accuracy: [a.report.accuracy, b.report.accuracy] as const,
    top3: [top(a, 3), top(b, 3)] as const,
    n: [a.report.n, b.report.n] as const,
    ece: [a.report.calibration.ece, b.report.calibration.ece] as const,
    delta: va === null || vb === null ? null : vb - va,
    /** The two 95% intervals do not overlap: the difference is unlikely to be noise. */
    separated:
      a.report.accuracy.hi !== null &&
      a.report.accuracy.lo !== null &&
      b.report.accuracy.hi !== null &&
      b.report.accuracy.lo !== null &&
      (a.report.accuracy.hi < b.report.accuracy.lo || b.report.accuracy.hi < a.report.accuracy.lo),
  };
}

const err = (p: Proportion | null) => ({
  minus: p === null || p.value === null || p.lo === null ? 0 : p.value - p.lo,
  plus: p === null || p.value === null || p.hi === null ? 0 : p.hi - p.value,
});

/** Grouped bars: each city's accuracy in A and in B, with 95% interval error bars. */
export function compareChart(
  rows: readonly CityComparison[],
  names: readonly [string, string],
): { data: MlTrace[]; layout: MlLayout } {
  const trace = (which: 'a' | 'b', name: string, color: string): MlTrace => ({
    type: 'bar',
    name,
    x: rows.map((r) => r.city),
    y: rows.map((r) => r[which]?.value ?? 0),
    marker: { color },
    error_y: {
      type: 'data',
      symmetric: false,
      array: rows.map((r) => err(r[which]).plus),
      arrayminus: rows.map((r) => err(r[which]).minus),
      color: '#556',
      thickness: 1,
    },
    customdata: rows.map((r) => {
      const p = r[which];
      return p === null || p.value === null
        ? 'no photo of this city'
        : `${p.successes} of ${p.trials} photos`;
    }),
    hovertemplate: `${name}: %{y:.1%}<br>%{customdata}<extra></extra>`,
  });
  return {
    data: [trace('a', names[0], '#3a6fd8'), trace('b', names[1], '#e08a2e')],
    layout: {
      height: 300,
      barmode: 'group',
      bargap: 0.25,
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: 1.15 },
      yaxis: { range: [0, 1.05], tickformat: '.0%', title: { text: 'accuracy' } },
      xaxis: { type: 'category', automargin: true },
      margin: { t: 30 },
    },
  };
}
