import { useMemo } from 'react';
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { EvaluationReport, Proportion } from '../../../shared/contract/ml-types';
import { fixed, interval, PAPER_ACCURACY, pct } from '../ml/format';
import { PlotlyChart } from '../ml/PlotlyChart';

type Bar = { label: string; p: Proportion | null; value: number; color: string; note: string };

/** Overall accuracy with its 95% interval beside chance and the paper, plus top-k and macro scores. */
export function Headline(props: { report: EvaluationReport }) {
  const r = props.report;
  const k = r.classes.length;
  const bars: Bar[] = useMemo(
    () => [
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
    ],
    [r, k],
  );
  const chart = useMemo(() => {
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
          array: bars.map((b) => (b.p?.hi === null || b.p === null ? 0 : b.p.hi - b.value)),
          arrayminus: bars.map((b) => (b.p?.lo === null || b.p === null ? 0 : b.value - b.p.lo)),
          color: '#1f2430',
          thickness: 1.5,
          width: 6,
        },
      },
    ];
    const layout: MlLayout = {
      height: 190,
      margin: { l: 120, r: 16, t: 6, b: 30 },
      xaxis: { range: [0, 1.06], tickformat: '.0%', dtick: 0.2, fixedrange: true },
      yaxis: { fixedrange: true, automargin: true },
      showlegend: false,
    };
    return { data, layout };
  }, [bars]);

  const better = r.accuracy.lo !== null && r.accuracy.lo > r.chance.uniform;
  return (
    <section className="card" aria-labelledby="headline-title" data-testid="eval-headline">
      <h2 id="headline-title">Overall accuracy</h2>
      <div className="ml-headline">
        <div>
          <p className="ml-big" data-testid="eval-accuracy" data-value={r.accuracy.value ?? ''}>
            {pct(r.accuracy.value)}
          </p>
          <p className="muted small" data-testid="eval-accuracy-ci">
            95% Wilson interval {interval(r.accuracy)} · {r.accuracy.successes} of{' '}
            {r.accuracy.trials} photos
          </p>
          <p className="small">
            {better
              ? `Clearly above chance: even the interval's low end beats ${pct(r.chance.uniform)}.`
              : 'Not clearly above uniform chance on this set.'}
          </p>
          <p className="muted small">
            The paper reached {pct(PAPER_ACCURACY)} over 10 cities (chance 10%); this set has {k}{' '}
            {k === 1 ? 'city' : 'cities'} (chance {pct(r.chance.uniform)}).
          </p>
        </div>
        <PlotlyChart
          data={chart.data}
          layout={chart.layout}
          label="Accuracy of this model beside chance and the paper"
          testId="eval-compare-chart"
        />
      </div>
      <dl className="ml-facts">
        {r.topK.map((t) => (
          <div key={t.k} data-testid="eval-topk" data-k={t.k} data-value={t.value ?? ''}>
            <dt>Top-{t.k} accuracy</dt>
            <dd>
              {pct(t.value)} <span className="muted small">{interval(t)}</span>
            </dd>
          </div>
        ))}
        <div>
          <dt>Macro precision / recall / F1</dt>
          <dd>
            {pct(r.macro.precision.value)} / {pct(r.macro.recall.value)} /{' '}
            {fixed(r.macro.f1.value, 3)}
          </dd>
        </div>
        <div>
          <dt>Log-loss</dt>
          <dd>{fixed(r.logLoss)}</dd>
        </div>
        <div>
          <dt>Brier score</dt>
          <dd>{fixed(r.brier)}</dd>
        </div>
        <div>
          <dt>Majority baseline</dt>
          <dd>
            {pct(r.chance.majority.accuracy.value)}{' '}
            <span className="muted small">
              “{r.chance.majority.class}” ({r.chance.majority.source === 'prior' ? 'train' : 'this'}{' '}
              set)
            </span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
