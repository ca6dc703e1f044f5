import type { StudySummary } from '../../../shared/contract/study-types';
import { ErrorLine } from '../../ui/ErrorLine';
import { useAnswersReady } from './use-answers-ready';

/**
 * Shown while the model's answers for a study are computed: rounds are refused until every photo
 * has one, so playing waits here, with the predict job's progress.
 */
export function AnswersPending(props: {
  study: StudySummary;
  jobId: string | null;
  onReady: () => void;
}) {
  const state = useAnswersReady(props.study.id, props.jobId, props.onReady);
  const missing = state.study?.modelAnswersMissing ?? props.study.modelAnswersMissing;
  const progress = state.job?.progress ?? null;
  const stopped =
    state.job !== null && ['failed', 'cancelled', 'interrupted'].includes(state.job.status);
  return (
    <div className="guess-pending" data-testid="answers-pending" data-missing={missing}>
      {!stopped && (
        <progress
          max={progress !== null && progress.total > 0 ? progress.total : undefined}
          value={progress !== null && progress.total > 0 ? progress.done : undefined}
          aria-label="The model's answers"
        />
      )}
      <span className="muted small">
        {stopped
          ? `The model's answers stopped (${state.job?.status ?? ''}); ${missing} photo(s) still lack one.`
          : `Computing the model's answers: ${missing} photo(s) to go. Play starts when they are in.`}
      </span>
      {state.error !== null && <ErrorLine error={state.error} />}
    </div>
  );
}
