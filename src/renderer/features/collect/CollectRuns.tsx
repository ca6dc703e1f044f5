import type { CollectCityCounts, CollectRun } from '../../../shared/contract/collect-types';
import type { Load } from '../../app/use-load';
import { ErrorLine } from '../../ui/ErrorLine';
import { PROVIDER_NAMES } from './collect-form';

export function countsLine(perCity: readonly CollectCityCounts[]): string {
  return perCity.map((c) => `${c.city} ${c.fetched}/${c.target}`).join(', ');
}

function importLine(run: CollectRun): string {
  const r = run.imported;
  if (r === null) return 'not imported yet';
  return `${r.imported} imported, ${r.duplicates} duplicates, ${r.alreadyPresent} already there`;
}

const RESUMABLE = new Set<CollectRun['status']>(['stopped', 'cancelled', 'failed']);

/** Past runs with their counts and import; stopped, cancelled or failed ones can be resumed. */
export function CollectRuns(props: {
  runs: Load<CollectRun[]>;
  busy: boolean;
  onResume: (runId: number) => void;
}) {
  const list = props.runs.value ?? [];
  return (
    <section
      className="card"
      aria-labelledby="collect-runs-title"
      data-testid="collect-runs"
      data-count={list.length}
    >
      <h2 id="collect-runs-title">Past runs</h2>
      {props.runs.error !== null && <ErrorLine error={props.runs.error} />}
      {list.length === 0 ? (
        <p className="muted">No collect runs yet.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Service</th>
              <th scope="col">Status</th>
              <th scope="col">Photos per city</th>
              <th scope="col">Import</th>
              <th scope="col">
                <span className="visually-hidden">Resume</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((run) => (
              <tr key={run.id} data-testid="collect-run" data-status={run.status}>
                <td>#{run.id}</td>
                <td>{PROVIDER_NAMES[run.provider]}</td>
                <td title={run.error?.message}>{run.status}</td>
                <td>{countsLine(run.perCity)}</td>
                <td className="small">{importLine(run)}</td>
                <td>
                  {RESUMABLE.has(run.status) && (
                    <button
                      type="button"
                      className="small"
                      disabled={props.busy}
                      onClick={() => props.onResume(run.id)}
                    >
                      Resume
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
