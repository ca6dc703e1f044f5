import { useMemo } from 'react';
import type { StudyResults } from '../../../shared/contract/study-types';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { confusionChart } from './confusion-chart';
import { Card } from '../../ui/Card';

/** People's confusion matrix beside the model's, on the same photos. */
export function ConfusionPair(props: { confusion: StudyResults['confusion'] }) {
  const { cities, columns, human, model } = props.confusion;
  const charts = useMemo(
    () => ({
      human: confusionChart(cities, columns, human, 'people'),
      model: model === null ? null : confusionChart(cities, columns, model, 'model'),
    }),
    [cities, columns, human, model],
  );
  return (
    <Card titleId="guess-confusion-title" title="Who confuses which cities">
      <p className="muted small">
        Rows are the true city, columns the guess; the diagonal (green outline) is right. Colour is
        the share of the row.
      </p>
      <div className="ml-two-col">
        <div>
          <h3>People</h3>
          <PlotlyChart
            data={charts.human.data}
            layout={charts.human.layout}
            label="People's confusion matrix"
            testId="confusion-human"
          />
        </div>
        <div>
          <h3>Model (same photos)</h3>
          {charts.model === null ? (
            <p className="muted">This study has no model.</p>
          ) : (
            <PlotlyChart
              data={charts.model.data}
              layout={charts.model.layout}
              label="The model's confusion matrix on the same photos"
              testId="confusion-model"
            />
          )}
        </div>
      </div>
    </Card>
  );
}
