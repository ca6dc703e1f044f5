import { useMemo } from 'react';
import type { EvaluationReport } from '../../../shared/contract/ml-types';
import { fixed, interval, PAPER_ACCURACY, PAPER_HUMAN_ACCURACY, pct } from '../../ui/format';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { headlineBars, headlineChart } from './headline-data';
import { Card } from '../../ui/Card';

/**
 * Overall and top-k accuracy with 95% intervals beside chance, the paper's model and its human
 * guessers, plus macro scores.
 */
export function Headline(props: { report: EvaluationReport }) {
  const r = props.report;
  const k = r.classes.length;
  const chart = useMemo(() => headlineChart(headlineBars(r)), [r]);

  const better = r.accuracy.lo !== null && r.accuracy.lo > r.chance.uniform;
  return (
    <Card titleId="headline-title" title="Overall accuracy" testId="eval-headline">
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
            The paper reached {pct(PAPER_ACCURACY)} over 10 cities (its human guessers{' '}
            {pct(PAPER_HUMAN_ACCURACY)}, chance 10%); this set has {k} {k === 1 ? 'city' : 'cities'}{' '}
            (chance {pct(r.chance.uniform)}).
          </p>
        </div>
        <PlotlyChart
          data={chart.data}
          layout={chart.layout}
          label="Accuracy of this model beside chance, the paper's model and its human guessers"
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
    </Card>
  );
}
