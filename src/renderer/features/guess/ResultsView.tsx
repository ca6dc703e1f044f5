import { useMemo } from 'react';
import type { StudySummary } from '../../../shared/contract/study-types';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { duration, pct } from '../ml/format';
import { ErrorLine } from '../ml/JobStatus';
import { PlotlyChart } from '../ml/PlotlyChart';
import { ConfusionPair } from './ConfusionPair';
import { ExportLinks } from './ExportLinks';
import { cityChart, participantChart, responseChart, roundChart } from './results-charts';
import { accuracyWithCI, kappaWords, learningWords, mcnemarWords } from './results-words';

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
          <section className="card" aria-labelledby="guess-headline-title">
            <h2 id="guess-headline-title">People vs the model</h2>
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
          </section>
          <div className="ml-two-col">
            <section className="card" aria-labelledby="guess-part-title">
              <h2 id="guess-part-title">Per participant</h2>
              <PlotlyChart
                data={charts.participants.data}
                layout={charts.participants.layout}
                label="Accuracy of each participant with its 95% interval"
                testId="chart-participants"
              />
            </section>
            <section className="card" aria-labelledby="guess-city-title">
              <h2 id="guess-city-title">Per city</h2>
              <PlotlyChart
                data={charts.cities.data}
                layout={charts.cities.layout}
                label="Accuracy per city, people beside the model"
                testId="chart-cities"
              />
            </section>
          </div>
          <ConfusionPair confusion={value.results.confusion} />
          <div className="ml-two-col">
            <section className="card" aria-labelledby="guess-round-title">
              <h2 id="guess-round-title">Accuracy by round: do people learn?</h2>
              <p className="muted small">{learningWords(value.results.byRound)}</p>
              <PlotlyChart
                data={charts.rounds.data}
                layout={charts.rounds.layout}
                label="Accuracy of each round number over all participants"
                testId="chart-rounds"
              />
            </section>
            <section className="card" aria-labelledby="guess-time-title">
              <h2 id="guess-time-title">Response times</h2>
              <p className="muted small">
                From the photo appearing to the commit.
                {value.results.responseMs.p10 !== null && value.results.responseMs.p90 !== null
                  ? ` 80% of guesses took ${duration(value.results.responseMs.p10)} to ${duration(value.results.responseMs.p90)}.`
                  : ''}
              </p>
              <PlotlyChart
                data={charts.times.data}
                layout={charts.times.layout}
                label="Histogram of response times"
                testId="chart-times"
              />
            </section>
          </div>
        </>
      )}
    </div>
  );
}
