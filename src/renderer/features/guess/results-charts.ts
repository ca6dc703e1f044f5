// StudyResults (and the exported trials' response times) shaped into Plotly traces. Pure.
// Labels are plain text: no <b>/<i>, which Plotly styles with attributes the CSP blocks.
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { AccuracyCell, StudyResults } from '../../../shared/contract/study-types';
import { escapeText } from '../../ui/plotly-text';

export type Chart = { data: MlTrace[]; layout: MlLayout };

const HUMAN = '#3b6fd8';
const MODEL = '#e08a2c';

const PCT_AXIS = { range: [0, 1] as [number, number], tickformat: '.0%', fixedrange: true };

const share = (c: AccuracyCell): number => c.accuracy ?? 0;

/** One bar per participant with its Wilson 95% interval. */
export function participantChart(results: StudyResults): Chart {
  const rows = results.perParticipant;
  const data: MlTrace[] = [
    {
      type: 'bar',
      name: 'people',
      x: rows.map((r) => r.participantId),
      y: rows.map(share),
      marker: { color: HUMAN },
      customdata: rows.map((r) => `${escapeText(r.participantId)}: ${r.correct} of ${r.n} right`),
      hovertemplate: '%{customdata}<extra></extra>',
      error_y: {
        type: 'data',
        symmetric: false,
        array: rows.map((r) => Math.max(0, r.ci[1] - share(r))),
        arrayminus: rows.map((r) => Math.max(0, share(r) - r.ci[0])),
        color: '#445',
        thickness: 1,
      },
    },
  ];
  return {
    data,
    layout: {
      height: 260,
      showlegend: false,
      yaxis: { ...PCT_AXIS, title: { text: 'accuracy' } },
      xaxis: { type: 'category', fixedrange: true, automargin: true },
    },
  };
}

/** Human and model accuracy per city, side by side. */
export function cityChart(results: StudyResults): Chart {
  const rows = results.perCity;
  const cities = rows.map((r) => r.city);
  const data: MlTrace[] = [
    {
      type: 'bar',
      name: 'people',
      x: cities,
      y: rows.map((r) => share(r.human)),
      marker: { color: HUMAN },
      customdata: rows.map(
        (r) => `${escapeText(r.city)}: people ${r.human.correct} of ${r.human.n} right`,
      ),
      hovertemplate: '%{customdata}<extra></extra>',
    },
  ];
  if (rows.some((r) => r.model !== null)) {
    data.push({
      type: 'bar',
      name: 'model',
      x: cities,
      y: rows.map((r) => (r.model === null ? 0 : share(r.model))),
      marker: { color: MODEL },
      customdata: rows.map((r) =>
        r.model === null
          ? `${escapeText(r.city)}: no model answer`
          : `${escapeText(r.city)}: model ${r.model.correct} of ${r.model.n} right`,
      ),
      hovertemplate: '%{customdata}<extra></extra>',
    });
  }
  return {
    data,
    layout: {
      height: 260,
      barmode: 'group',
      showlegend: true,
      legend: { orientation: 'h', x: 0, y: 1.15 },
      yaxis: { ...PCT_AXIS, title: { text: 'accuracy' } },
      xaxis: { type: 'category', fixedrange: true, automargin: true },
    },
  };
}

/** Accuracy of each round number over all participants: do people learn as they play? */
export function roundChart(results: StudyResults): Chart {
  const rows = results.byRound.filter((r) => r.n > 0);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'people',
        x: rows.map((r) => r.round),
        y: rows.map(share),
        line: { color: HUMAN, width: 2 },
        customdata: rows.map((r) => `round ${r.round}: ${r.correct} of ${r.n} right`),
        hovertemplate: '%{customdata}<extra></extra>',
      },
    ],
    layout: {
      height: 240,
      showlegend: false,
      yaxis: { ...PCT_AXIS, title: { text: 'accuracy' } },
      xaxis: { title: { text: 'round' }, dtick: 1, fixedrange: true },
    },
  };
}

export type Bin = { from: number; to: number; count: number };

/**
 * Equal-width bins of response times in seconds (Plotly's basic bundle has no histogram trace).
 * Width: a "nice" 0.5/1/2/5 × 10^k step giving about `target` bins.
 */
export function histogramBins(seconds: readonly number[], target = 12): Bin[] {
  const xs = seconds.filter((s) => Number.isFinite(s) && s >= 0);
  if (xs.length === 0) return [];
  const max = Math.max(...xs);
  const raw = Math.max(max, 0.1) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 5, 10].map((m) => m * mag).find((w) => w >= raw) ?? 10 * mag;
  const count = Math.floor(max / width) + 1;
  const bins: Bin[] = Array.from({ length: count }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width,
    count: 0,
  }));
  for (const x of xs) bins[Math.min(count - 1, Math.floor(x / width))]!.count += 1;
  return bins;
}

const secs = (s: number): string => String(Number(s.toFixed(2)));

/** The response-time distribution as bars over the bins. */
export function responseChart(responseMs: readonly (number | null)[]): Chart {
  const bins = histogramBins(
    responseMs.filter((m): m is number => m !== null).map((m) => m / 1000),
  );
  return {
    data: [
      {
        type: 'bar',
        name: 'guesses',
        x: bins.map((b) => (b.from + b.to) / 2),
        y: bins.map((b) => b.count),
        width: bins.length > 0 ? (bins[0]!.to - bins[0]!.from) * 0.95 : undefined,
        marker: { color: HUMAN },
        customdata: bins.map(
          (b) => `${secs(b.from)}–${secs(b.to)} s: ${b.count} guess${b.count === 1 ? '' : 'es'}`,
        ),
        hovertemplate: '%{customdata}<extra></extra>',
      },
    ],
    layout: {
      height: 240,
      showlegend: false,
      bargap: 0.05,
      xaxis: { title: { text: 'response time (s)' }, rangemode: 'tozero', fixedrange: true },
      yaxis: { title: { text: 'guesses' }, rangemode: 'tozero', fixedrange: true },
    },
  };
}
