import { useMemo } from 'react';
import type { EvaluationOpenSet } from '../../../shared/contract/ml-types';
import { fixed } from '../../ui/format';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { coverageChart, keptWords } from './open-set-data';

/**
 * Selective accuracy: answering "unknown" for the least familiar photos first, how accurate the
 * rest are. The model's threshold is marked: what it keeps on this set, and how well.
 */
export function CoverageChart(props: { openSet: EvaluationOpenSet }) {
  const { openSet } = props;
  const chart = useMemo(() => coverageChart(openSet), [openSet]);
  return (
    <section className="card" aria-labelledby="coverage-title" data-testid="eval-coverage">
      <h2 id="coverage-title">
        Coverage and accuracy{' '}
        <span
          className="muted small"
          data-testid="eval-kept"
          data-coverage={openSet.kept.coverage}
          data-accuracy={openSet.kept.accuracy ?? ''}
        >
          the threshold ({fixed(openSet.threshold, 2)}) {keptWords(openSet.kept)}
        </span>
      </h2>
      <p className="muted small">
        Photos least like the training photos are answered “unknown” first; the rest keep their
        city. A rising curve means the model’s doubt falls on its mistakes.
      </p>
      <PlotlyChart
        data={chart.data}
        layout={chart.layout}
        label="Accuracy of the photos kept against the share kept"
        testId="coverage-chart"
      />
    </section>
  );
}
