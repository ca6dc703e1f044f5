import { useMemo } from 'react';
import { useNotify } from '../../app/notices';
import { useStudio } from '../../app/studio-context';
import { ACTIVE, type JobRow } from './job-rows';
import { useJobRows } from './use-job-rows';
import type { JobKind } from '../../../shared/contract/job-types';
import './jobs.css';

const KIND_LABELS: Record<JobKind, string> = {
  import: 'Import',
  backbone: 'Backbone',
  features: 'Features',
  train: 'Training',
  evaluate: 'Evaluation',
  predict: 'Prediction',
  explain: 'Explanation',
  embed: 'Feature map',
  maximise: 'City images',
  geolocate: 'Geolocation',
  collect: 'Collect',
  'label-rank': 'Label queue',
  'label-train': 'Label queue retrain',
  'label-control': 'Random control',
  suspects: 'Suspect labels',
};
const SHOWN = 6;

function percent(row: JobRow): number | null {
  return row.total > 0 ? Math.min(100, Math.round((row.done / row.total) * 100)) : null;
}

/** Running jobs with live progress and a cancel button; finished ones with their outcome. */
export function JobsPanel() {
  const { client } = useStudio();
  const notify = useNotify();
  const [rows, setRows] = useJobRows();

  const shown = useMemo(
    () =>
      [...rows.values()]
        .sort((a, b) => {
          const active = Number(ACTIVE.includes(b.status)) - Number(ACTIVE.includes(a.status));
          return active !== 0 ? active : b.order - a.order;
        })
        .slice(0, SHOWN),
    [rows],
  );

  const cancel = (id: string): void => {
    client.call('jobs.cancel', { jobId: id }).then(
      (r) => {
        if (!r.cancelled) notify.info('The job had already finished.');
      },
      (error: unknown) => notify.error('Could not cancel the job', error),
    );
  };

  const clearFinished = (): void =>
    setRows((r) => new Map([...r].filter(([, row]) => ACTIVE.includes(row.status))));

  return (
    <section className="jobs-panel" aria-labelledby="jobs-title" data-testid="jobs-panel">
      <div className="jobs-header">
        <h2 id="jobs-title" className="nav-heading">
          Jobs
        </h2>
        {shown.some((r) => !ACTIVE.includes(r.status)) && (
          <button type="button" className="link-button small" onClick={clearFinished}>
            Clear finished
          </button>
        )}
      </div>
      {shown.length === 0 ? (
        <p className="muted small">No jobs yet.</p>
      ) : (
        <ul className="jobs-list">
          {shown.map((row) => (
            <JobItem key={row.id} row={row} onCancel={() => cancel(row.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function JobItem(props: { row: JobRow; onCancel: () => void }) {
  const { row } = props;
  const pct = percent(row);
  const active = ACTIVE.includes(row.status);
  const label = KIND_LABELS[row.kind];
  return (
    <li className={`job job-${row.status}`} data-testid="job" data-status={row.status}>
      <div className="job-line">
        <span className="job-kind">{label}</span>
        <span className="job-status">{row.status}</span>
        {active && (
          <button
            type="button"
            className="icon-button"
            aria-label={`Cancel ${label.toLowerCase()} job`}
            onClick={props.onCancel}
          >
            ×
          </button>
        )}
      </div>
      {active && (
        <progress
          max={row.total > 0 ? row.total : undefined}
          value={row.total > 0 ? row.done : undefined}
          aria-label={`${label} progress`}
        >
          {pct ?? 0}%
        </progress>
      )}
      {active && row.total > 0 && (
        <span className="job-detail">
          {row.done} / {row.total}
          {row.message !== null && ` · ${row.message}`}
        </span>
      )}
      {row.status === 'done' && row.summary !== null && (
        <span className="job-detail">{row.summary}</span>
      )}
      {row.status === 'failed' && row.error !== null && (
        <span className="job-detail job-error">
          <code>{row.error.code}</code> {row.error.message}
        </span>
      )}
    </li>
  );
}
