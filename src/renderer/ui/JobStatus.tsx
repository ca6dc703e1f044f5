import { ErrorLine } from './ErrorLine';
import { isActive, type JobState } from './job-state';

/** Progress bar, progress message and a cancel button while a job runs; its error after. */
export function JobStatus<R>(props: {
  state: JobState<R>;
  label: string;
  testId: string;
  onCancel?: () => void;
}) {
  const { state } = props;
  const active = isActive(state.phase);
  const p = state.progress;
  return (
    <div className="ml-job-status" data-testid={props.testId} data-phase={state.phase}>
      {active && (
        <div className="ml-job-line">
          <progress
            max={p !== null && p.total > 0 ? p.total : undefined}
            value={p !== null && p.total > 0 ? p.done : undefined}
            aria-label={`${props.label} progress`}
          />
          <span className="muted small ml-job-message">
            {p === null
              ? state.phase === 'starting'
                ? 'Starting…'
                : 'Waiting…'
              : `${p.total > 0 ? `${p.done} / ${p.total}` : ''}${p.message !== null ? ` ${p.message}` : ''}`}
          </span>
          {props.onCancel !== undefined && state.jobId !== null && (
            <button type="button" className="small" onClick={props.onCancel}>
              Cancel
            </button>
          )}
        </div>
      )}
      {state.phase === 'cancelled' && <p className="muted small">Cancelled.</p>}
      {state.error !== null && <ErrorLine error={state.error} testId={`${props.testId}-error`} />}
    </div>
  );
}
