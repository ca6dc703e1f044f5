import type { RunSummary } from '../../../shared/contract/ml-types';
import type { Load } from '../../app/use-load';
import { ListCard } from '../../ui/Card';
import { DataTable, type Column } from '../../ui/DataTable';
import { pct, when } from '../../ui/format';
import { resumableRuns } from './resume';

/** Best monitored accuracy of a run: from its summaries when finished, else from its epochs. */
export function runBest(run: RunSummary): number | null {
  const fromSummaries = run.summaries.map((s) => s.bestAccuracy).filter((a) => a !== null);
  if (fromSummaries.length > 0) return Math.max(...fromSummaries);
  const fromEpochs = run.epochs.map((e) => e.valAccuracy ?? e.accuracy);
  return fromEpochs.length > 0 ? Math.max(...fromEpochs) : null;
}

type RunsProps = {
  runs: Load<RunSummary[]>;
  selected: string | null;
  onSelect: (jobId: string | null) => void;
  /** A training job is running: one at a time, so Resume waits. */
  busy: boolean;
  onResume: (run: RunSummary) => void;
};

function RunActions(props: RunsProps & { run: RunSummary; resumable: boolean }) {
  const r = props.run;
  return (
    <>
      {props.resumable && (
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
    </>
  );
}

function runColumns(props: RunsProps, resumable: ReadonlySet<string>): Column<RunSummary>[] {
  return [
    {
      header: 'Run',
      rowHeader: true,
      cell: (r) => (
        <>
          {r.name}
          {r.resumedFrom !== null && (
            <span className="muted small ml-nowrap" title={`Resumed ${r.resumedFrom}`}>
              {' '}
              · resumed
            </span>
          )}
        </>
      ),
    },
    {
      header: 'Status',
      cell: (r) => <span className={`ml-pill ml-pill-${r.status}`}>{r.status}</span>,
    },
    { header: 'Backbone', cell: (r) => r.backbone },
    { header: 'Epochs', num: true, cell: (r) => r.epochs.length },
    { header: 'Best accuracy', num: true, cell: (r) => pct(runBest(r)) },
    { header: 'Backend', cell: (r) => r.backend?.name ?? '—' },
    { header: 'Started', cell: (r) => when(r.createdAt) },
    {
      header: 'Show',
      hiddenHeader: true,
      num: true,
      className: 'ml-nowrap',
      cell: (r) => <RunActions {...props} run={r} resumable={resumable.has(r.jobId)} />,
    },
  ];
}

/**
 * Every training run of the library; picking one shows its curves and summary. A run that was
 * cancelled, failed or interrupted can be resumed from its last checkpoint.
 */
export function PastRuns(props: RunsProps) {
  return (
    <ListCard
      titleId="runs-title"
      title="Past runs"
      testId="past-runs"
      list={props.runs}
      empty={<p className="muted">No training runs yet.</p>}
    >
      {(list) => (
        <DataTable
          testId="runs-table"
          columns={runColumns(props, resumableRuns(list))}
          rows={list}
          rowKey={(r) => r.jobId}
          rowProps={(r) => ({
            'data-testid': 'run-row',
            'data-job': r.jobId,
            'aria-selected': props.selected === r.jobId,
            className: props.selected === r.jobId ? 'ml-row-selected' : undefined,
          })}
        />
      )}
    </ListCard>
  );
}
