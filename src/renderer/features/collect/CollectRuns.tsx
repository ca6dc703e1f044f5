import type { CollectCityCounts, CollectRun } from '../../../shared/contract/collect-types';
import type { Load } from '../../app/use-load';
import { ListCard } from '../../ui/Card';
import { DataTable, type Column } from '../../ui/DataTable';
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

function runColumns(busy: boolean, onResume: (runId: number) => void): Column<CollectRun>[] {
  return [
    { header: 'Run', cell: (run) => `#${run.id}` },
    { header: 'Service', cell: (run) => PROVIDER_NAMES[run.provider] },
    {
      header: 'Status',
      cellProps: (run) => ({ title: run.error?.message }),
      cell: (run) => run.status,
    },
    { header: 'Photos per city', cell: (run) => countsLine(run.perCity) },
    { header: 'Import', className: 'small', cell: importLine },
    {
      header: 'Resume',
      hiddenHeader: true,
      cell: (run) =>
        RESUMABLE.has(run.status) && (
          <button type="button" className="small" disabled={busy} onClick={() => onResume(run.id)}>
            Resume
          </button>
        ),
    },
  ];
}

/** Past runs with their counts and import; stopped, cancelled or failed ones can be resumed. */
export function CollectRuns(props: {
  runs: Load<CollectRun[]>;
  busy: boolean;
  onResume: (runId: number) => void;
}) {
  return (
    <ListCard
      titleId="collect-runs-title"
      title="Past runs"
      testId="collect-runs"
      list={props.runs}
      noState
      empty={<p className="muted">No collect runs yet.</p>}
    >
      {(list) => (
        <DataTable
          columns={runColumns(props.busy, props.onResume)}
          rows={list}
          rowKey={(run) => run.id}
          rowProps={(run) => ({ 'data-testid': 'collect-run', 'data-status': run.status })}
        />
      )}
    </ListCard>
  );
}
