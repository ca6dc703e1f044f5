import type { ImportReport } from '../../../shared/contract/library-types';
import { DataTable, type Column } from '../../ui/DataTable';

type CountKey = 'imported' | 'labeled' | 'duplicates' | 'alreadyPresent' | 'skipped';

const NUMBERS: { key: CountKey; label: string; hint: string }[] = [
  { key: 'imported', label: 'Imported', hint: 'new photos added to the library' },
  { key: 'labeled', label: 'Labeled', hint: 'got a city from a folder name, the CSV or GPS' },
  { key: 'duplicates', label: 'Duplicates', hint: 'same pixels as a photo already imported' },
  { key: 'alreadyPresent', label: 'Already present', hint: 'imported by an earlier run' },
  { key: 'skipped', label: 'Skipped', hint: 'not images (other file types)' },
];

const ERROR_COLUMNS: Column<ImportReport['errors'][number]>[] = [
  { header: 'Path', className: 'break mono', cell: (e) => e.path },
  { header: 'Reason', cell: (e) => e.reason },
];

const DUPLICATE_COLUMNS: Column<ImportReport['duplicateOf'][number]>[] = [
  { header: 'File', className: 'break mono', cell: (d) => d.path },
  { header: 'Same as', className: 'break mono', cell: (d) => d.existingPath },
  {
    header: 'Label',
    cellProps: (d) => ({ 'data-testid': d.labelConflict ? 'report-label-conflict' : undefined }),
    cell: (d) => d.labelConflict ?? '',
  },
];

/** The outcome of an import: the counts, then every failed file with its reason. */
export function ImportReportView(props: { report: ImportReport }) {
  const r = props.report;
  return (
    <section
      className="card import-report"
      aria-labelledby="report-title"
      data-testid="import-report"
    >
      <h2 id="report-title">
        Import report <span className="muted small">({(r.durationMs / 1000).toFixed(1)} s)</span>
      </h2>
      <dl className="stat-cards">
        {NUMBERS.map((n) => (
          <div key={n.key} className="stat-card" title={n.hint}>
            <dt>{n.label}</dt>
            <dd data-testid={`report-${n.key}`}>{r[n.key]}</dd>
          </div>
        ))}
        <div className={`stat-card${r.errors.length > 0 ? ' stat-bad' : ''}`}>
          <dt>Errors</dt>
          <dd data-testid="report-errors">{r.errors.length}</dd>
        </div>
      </dl>
      {r.errors.length > 0 && (
        <>
          <h3>Files that could not be imported</h3>
          <DataTable
            testId="report-error-table"
            columns={ERROR_COLUMNS}
            rows={r.errors}
            rowKey={(e, i) => `${e.path}-${i}`}
          />
        </>
      )}
      {r.duplicateOf.length > 0 && (
        <>
          <h3>Duplicates (not imported again)</h3>
          <DataTable
            testId="report-duplicate-table"
            columns={DUPLICATE_COLUMNS}
            rows={r.duplicateOf}
            rowKey={(d, i) => `${d.path}-${i}`}
          />
        </>
      )}
    </section>
  );
}
