import type { StudySummary } from '../../../shared/contract/study-types';
import { Card } from '../../ui/Card';
import { DataTable, type Column } from '../../ui/DataTable';
import { AnswersPending } from './AnswersPending';
import { StudyActions } from './StudyActions';

const MODES = { reveal: 'reveal', pure: 'pure baseline' } as const;

type StudiesProps = {
  studies: StudySummary[];
  /** Predict jobs started from this window, by study id (their progress is shown). */
  jobs: ReadonlyMap<number, string>;
  onPlay: (id: number) => void;
  onResults: (id: number) => void;
  onAnswersReady: () => void;
  /** A study was removed or got imported trials. */
  onChanged: () => void;
};

/** Play and Results once the model's answers are in; until then, their progress. */
function StudyRowActions(props: StudiesProps & { study: StudySummary }) {
  const s = props.study;
  return s.modelAnswersMissing === 0 ? (
    <div className="button-row guess-row-actions">
      <button
        type="button"
        className="primary"
        onClick={() => props.onPlay(s.id)}
        data-testid="study-play"
      >
        Play
      </button>
      <button type="button" onClick={() => props.onResults(s.id)} data-testid="study-results">
        Results
      </button>
      <StudyActions study={s} onChanged={props.onChanged} />
    </div>
  ) : (
    <AnswersPending study={s} jobId={props.jobs.get(s.id) ?? null} onReady={props.onAnswersReady} />
  );
}

function studyColumns(props: StudiesProps): Column<StudySummary>[] {
  return [
    { header: 'Name', rowHeader: true, cell: (s) => s.name },
    { header: 'Cities', className: 'small', cell: (s) => s.cities.join(', ') },
    { header: 'Rounds', num: true, cell: (s) => s.rounds },
    {
      header: 'Mode',
      cell: (s) =>
        `${MODES[s.reveal]}${s.timeLimitMs !== null ? ` · ${s.timeLimitMs / 1000} s` : ''}`,
    },
    { header: 'Participants', num: true, cell: (s) => s.participants },
    { header: 'Guesses', num: true, cell: (s) => s.trials },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (s) => <StudyRowActions {...props} study={s} />,
    },
  ];
}

/** Every study of the library, with what can be done with it now. */
export function StudiesList(props: StudiesProps) {
  return (
    <Card titleId="studies-title" title="Studies" testId="studies">
      <DataTable
        className="guess-studies"
        columns={studyColumns(props)}
        rows={props.studies}
        rowKey={(s) => s.id}
        rowProps={(s) => ({
          'data-testid': 'study-row',
          'data-study-id': s.id,
          'data-ready': s.modelAnswersMissing === 0,
        })}
      />
    </Card>
  );
}
