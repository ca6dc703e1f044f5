import type { RunSummary } from '../../../shared/contract/ml-types';
import type { Load } from '../../app/use-load';
import { pct, when } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { resumableRuns } from './resume';

/** Best monitored accuracy of a run: from its summaries when finished, else from its epochs. */
export function runBest(run: RunSummary): number | null {
  const fromSummaries = run.summaries.map((s) => s.bestAccuracy).filter((a) => a !== null);
  if (fromSummaries.length > 0) return Math.max(...fromSummaries);
  const fromEpochs = run.epochs.map((e) => e.valAccuracy ?? e.accuracy);
  return fromEpochs.length > 0 ? Math.max(...fromEpochs) : null;
}

/**
 * Every training run of the library; picking one shows its curves and summary. A run that was
 * cancelled, failed or interrupted can be resumed from its last checkpoint.
 */
export function PastRuns(props: {
  runs: Load<RunSummary[]>;
  selected: string | null;
  onSelect: (jobId: string | null) => void;
  /** A training job is running: one at a time, so Resume waits. */
  busy: boolean;
  onResume: (run: RunSummary) => void;
}) {
  const list = props.runs.value ?? [];
  const resumable = resumableRuns(list);
  return (
    <section
      className="card"
      aria-labelledby="runs-title"
      data-testid="past-runs"
      data-state={props.runs.state}
      data-count={list.length}
    >
      <h2 id="runs-title">Past runs</h2>
      {props.runs.error !== null && <ErrorLine error={props.runs.error} />}
      {list.length === 0 ? (
        <p className="muted">No training runs yet.</p>
      ) : (
        <table className="data-table" data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Backbone</th>
              <th scope="col" className="num">
                Epochs
              </th>
              <th scope="col" className="num">
                Best accuracy
              </th>
              <th scope="col">Backend</th>
              <th scope="col">Started</th>
              <th scope="col">
                <span className="visually-hidden">Show</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr
                key={r.jobId}
                data-testid="run-row"
                data-job={r.jobId}
                aria-selected={props.selected === r.jobId}
                className={props.selected === r.jobId ? 'ml-row-selected' : undefined}
              >
                <th scope="row">
                  {r.name}
                  {r.resumedFrom !== null && (
                    <span className="muted small ml-nowrap" title={`Resumed ${r.resumedFrom}`}>
                      {' '}
                      · resumed
                    </span>
                  )}
                </th>
                <td>
                  <span className={`ml-pill ml-pill-${r.status}`}>{r.status}</span>
                </td>
                <td>{r.backbone}</td>
                <td className="num">{r.epochs.length}</td>
                <td className="num">{pct(runBest(r))}</td>
                <td>{r.backend?.name ?? '—'}</td>
                <td>{when(r.createdAt)}</td>
                <td className="num ml-nowrap">
                  {resumable.has(r.jobId) && (
                    <button
                      type="button"
                      className="small"
                      data-testid="run-resume"
                      disabled={props.busy}
                      title={
                        props.busy
                          ? 'Wait for the running training to end.'
                          : 'Continue this run from its last finished epoch, with its settings.'
                      }
                      onClick={() => props.onResume(r)}
                    >
                      Resume
                    </button>
                  )}{' '}
                  <button
                    type="button"
                    className="small"
                    onClick={() => props.onSelect(props.selected === r.jobId ? null : r.jobId)}
                  >
                    {props.selected === r.jobId ? 'Hide' : 'Curves'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
