import { useMemo } from 'react';
import type { Calibration } from '../../../shared/contract/ml-types';
import { fixed } from '../ml/format';
import { PlotlyChart } from '../ml/PlotlyChart';
import { reliabilityChart } from './reliability-data';

/** Reliability diagram: accuracy against confidence per bin, the diagonal is perfect calibration. */
export function ReliabilityChart(props: { calibration: Calibration }) {
  const { calibration } = props;
  const chart = useMemo(() => reliabilityChart(calibration), [calibration]);

  return (
    <section className="card" aria-labelledby="reliability-title" data-testid="reliability">
      <h2 id="reliability-title">
        Calibration{' '}
        <span className="muted small" data-testid="eval-ece" data-value={calibration.ece}>
          ECE {fixed(calibration.ece)} · MCE {fixed(calibration.mce)}
        </span>
      </h2>
      <p className="muted small">
        Bars below the diagonal mean the model is more confident than it is right.
      </p>
      <PlotlyChart
        data={chart.data}
        layout={chart.layout}
        label="Reliability diagram: accuracy per confidence bin"
        testId="reliability-chart"
      />
    </section>
  );
}
