import { useMemo } from 'react';
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { StudySummary } from '../../../shared/contract/study-types';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { duration, pct } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { ConfusionPair } from './ConfusionPair';
import { ExportLinks } from './ExportLinks';
import { cityChart, participantChart, responseChart, roundChart } from './results-charts';
import { accuracyWithCI, kappaWords, learningWords, mcnemarWords } from './results-words';
import { Card } from '../../ui/Card';

/** One chart in a card with its title (and a line saying how to read it). */
function ChartCard(props: {
  id: string;
  title: string;
  note?: string;
  chart: { data: MlTrace[]; layout: MlLayout };
  label: string;
  testId: string;
}) {
  return (
    <Card titleId={`${props.id}-title`} title={props.title}>
      {props.note !== undefined && <p className="muted small">{props.note}</p>}
      <PlotlyChart
        data={props.chart.data}
        layout={props.chart.layout}
        label={props.label}
        testId={props.testId}
      />
    </Card>
  );
}

/** A study's results: people vs the model, in figures, words and charts, and its export. */
export function ResultsView(props: { study: StudySummary; onBack: () => void }) {
  const { client } = useStudio();
  const { study } = props;
  const load = useLoad(async () => {
    const [results, exported] = await Promise.all([
      client.call('study.results', { studyId: study.id }),
      client.call('study.export', { studyId: study.id }),
    ]);
    return { results, exported };
  }, `results-${study.id}`);
  const value = load.value;
  const charts = useMemo(
    () =>
      value === null
        ? null
        : {
            participants: participantChart(value.results),
            cities: cityChart(value.results),
            rounds: roundChart(value.results),
            times: responseChart(value.exported.trials.map((t) => t.responseMs)),
          },
    [value],
  );

  return (
    <div className="guess-results" data-testid="results" data-state={load.state}>
      <div className="guess-play-head">
        <h2>Results: {study.name}</h2>
        <div className="button-row">
          <button type="button" onClick={props.onBack} data-testid="results-back">
            Back to studies
          </button>
        </div>
      </div>
      {load.error !== null && <ErrorLine error={load.error} />}
      {value !== null && charts !== null && (
        <>
          <Card titleId="guess-headline-title" title="People vs the model">
            <dl className="ml-facts">
              <div>
                <dt>Guesses (n)</dt>
                <dd data-testid="results-n">{value.results.n}</dd>
              </div>
              <div>
                <dt>People</dt>
                <dd data-testid="results-human" data-value={value.results.humanAccuracy ?? ''}>
                  {accuracyWithCI(value.results.humanAccuracy, value.results.humanCI)}
                </dd>
              </div>
              <div>
                <dt>Model, same photos ({value.results.paired})</dt>
                <dd data-testid="results-model" data-value={value.results.modelAccuracy ?? ''}>
                  {accuracyWithCI(value.results.modelAccuracy, value.results.modelCI)}
                </dd>
              </div>
              <div>
                <dt>Participants</dt>
                <dd>{value.results.perParticipant.length}</dd>
              </div>
              <div>
                <dt>Median response time</dt>
                <dd>
                  {value.results.responseMs.median === null
                    ? '—'
                    : duration(value.results.responseMs.median)}
                </dd>
              </div>
              {value.results.distanceScore.human !== null && (
                <div>
                  <dt>Distance score (of 5000)</dt>
                  <dd>
                    people {Math.round(value.results.distanceScore.human)}
                    {value.results.distanceScore.model !== null &&
                      ` · model ${Math.round(value.results.distanceScore.model)}`}
                  </dd>
                </div>
              )}
            </dl>
            <p data-testid="results-mcnemar">
              {mcnemarWords(
                value.results.mcnemarP,
                value.results.pairedHumanAccuracy,
                value.results.modelAccuracy,
              )}
            </p>
            <p data-testid="results-kappa">{kappaWords(value.results.kappa)}</p>
            <p className="muted small">
              The interval is Wilson’s 95% interval: with more guesses it narrows. Chance with{' '}
              {study.cities.length} cities is {pct(1 / study.cities.length)}.
            </p>
            <ExportLinks name={study.name} data={value.exported} />
          </Card>
          <div className="ml-two-col">
            <ChartCard
              id="guess-part"
              title="Per participant"
              chart={charts.participants}
              label="Accuracy of each participant with its 95% interval"
              testId="chart-participants"
            />
            <ChartCard
              id="guess-city"
              title="Per city"
              chart={charts.cities}
              label="Accuracy per city, people beside the model"
              testId="chart-cities"
            />
          </div>
          <ConfusionPair confusion={value.results.confusion} />
          <div className="ml-two-col">
            <ChartCard
              id="guess-round"
              title="Accuracy by round: do people learn?"
              note={learningWords(value.results.byRound)}
              chart={charts.rounds}
              label="Accuracy of each round number over all participants"
              testId="chart-rounds"
            />
            <ChartCard
              id="guess-time"
              title="Response times"
              note={`From the photo appearing to the commit.${
                value.results.responseMs.p10 !== null && value.results.responseMs.p90 !== null
                  ? ` 80% of guesses took ${duration(value.results.responseMs.p10)} to ${duration(value.results.responseMs.p90)}.`
                  : ''
              }`}
              chart={charts.times}
              label="Histogram of response times"
              testId="chart-times"
            />
          </div>
        </>
      )}
    </div>
  );
}
