import { useMemo } from 'react';
import type { EvaluationReport } from '../../../shared/contract/ml-types';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { perCityChart } from './per-city-data';

/** Per-city accuracy bars with 95% intervals against the paper's overall figures and chance. */
export function PerCityChart(props: { report: EvaluationReport }) {
  const chart = useMemo(() => perCityChart(props.report), [props.report]);
  return (
    <PlotlyChart
      data={chart.data}
      layout={chart.layout}
      label="Accuracy per city with the paper's model, its human guessers and chance as lines"
      testId="per-city-chart"
      className="ml-per-city-chart"
    />
  );
}
