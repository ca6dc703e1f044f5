import { useMemo } from 'react';
import type { Calibration } from '../../../shared/contract/ml-types';
import { fixed } from '../../ui/format';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { reliabilityChart } from './reliability-data';

/**
 * Reliability diagram: accuracy against confidence per bin, the diagonal is perfect calibration.
 * With `scaling` (models with open-set statistics) `calibration` is after temperature scaling and
 * the answers before it are drawn too, with the ECE before → after.
 */
export function ReliabilityChart(props: {
  calibration: Calibration;
  scaling?: { before: Calibration; temperature: number } | null;
}) {
  const { calibration } = props;
  const scaling = props.scaling ?? null;
  const before = scaling?.before ?? null;
  const chart = useMemo(() => reliabilityChart(calibration, before), [calibration, before]);

  return (
    <section className="card" aria-labelledby="reliability-title" data-testid="reliability">
      <h2 id="reliability-title">
        Calibration{' '}
        {scaling === null ? (
          <span className="muted small" data-testid="eval-ece" data-value={calibration.ece}>
            ECE {fixed(calibration.ece)} · MCE {fixed(calibration.mce)}
          </span>
        ) : (
          <span
            className="muted small"
            data-testid="eval-ece"
            data-value={calibration.ece}
            data-before={scaling.before.ece}
            data-temperature={scaling.temperature}
          >
            ECE {fixed(scaling.before.ece)} → {fixed(calibration.ece)} after temperature scaling (T
            = {fixed(scaling.temperature, 2)}) · MCE {fixed(calibration.mce)}
          </span>
        )}
      </h2>
      <p className="muted small">
        Bars below the diagonal mean the model is more confident than it is right.
        {scaling !== null &&
          ' Temperature scaling, fitted on validation photos, divides the logits by T: the grey line is the same photos before it.'}
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
