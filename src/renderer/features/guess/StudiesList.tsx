import type { StudySummary } from '../../../shared/contract/study-types';
import { AnswersPending } from './AnswersPending';
import { StudyActions } from './StudyActions';

const MODES = { reveal: 'reveal', pure: 'pure baseline' } as const;

/** Every study of the library, with what can be done with it now. */
export function StudiesList(props: {
  studies: StudySummary[];
  /** Predict jobs started from this window, by study id (their progress is shown). */
  jobs: ReadonlyMap<number, string>;
  onPlay: (id: number) => void;
  onResults: (id: number) => void;
  onAnswersReady: () => void;
  /** A study was removed or got imported trials. */
  onChanged: () => void;
}) {
  return (
    <section className="card" aria-labelledby="studies-title" data-testid="studies">
      <h2 id="studies-title">Studies</h2>
      <table className="data-table guess-studies">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Cities</th>
            <th scope="col" className="num">
              Rounds
            </th>
            <th scope="col">Mode</th>
            <th scope="col" className="num">
              Participants
            </th>
            <th scope="col" className="num">
              Guesses
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.studies.map((s) => {
            const ready = s.modelAnswersMissing === 0;
            return (
              <tr key={s.id} data-testid="study-row" data-study-id={s.id} data-ready={ready}>
                <th scope="row">{s.name}</th>
                <td className="small">{s.cities.join(', ')}</td>
                <td className="num">{s.rounds}</td>
                <td>
                  {MODES[s.reveal]}
                  {s.timeLimitMs !== null ? ` · ${s.timeLimitMs / 1000} s` : ''}
                </td>
                <td className="num">{s.participants}</td>
                <td className="num">{s.trials}</td>
                <td>
                  {ready ? (
                    <div className="button-row guess-row-actions">
                      <button
                        type="button"
                        className="primary"
                        onClick={() => props.onPlay(s.id)}
                        data-testid="study-play"
                      >
                        Play
                      </button>
                      <button
                        type="button"
                        onClick={() => props.onResults(s.id)}
                        data-testid="study-results"
                      >
                        Results
                      </button>
                      <StudyActions study={s} onChanged={props.onChanged} />
                    </div>
                  ) : (
                    <AnswersPending
                      study={s}
                      jobId={props.jobs.get(s.id) ?? null}
                      onReady={props.onAnswersReady}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
