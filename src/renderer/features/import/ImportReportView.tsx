import type { ImportReport } from '../../../shared/contract/library-types';

type CountKey = 'imported' | 'labeled' | 'duplicates' | 'alreadyPresent' | 'skipped';

const NUMBERS: { key: CountKey; label: string; hint: string }[] = [
  { key: 'imported', label: 'Imported', hint: 'new photos added to the library' },
  { key: 'labeled', label: 'Labeled', hint: 'got a city from a folder name, the CSV or GPS' },
  { key: 'duplicates', label: 'Duplicates', hint: 'same pixels as a photo already imported' },
  { key: 'alreadyPresent', label: 'Already present', hint: 'imported by an earlier run' },
  { key: 'skipped', label: 'Skipped', hint: 'not images (other file types)' },
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
          <table className="data-table" data-testid="report-error-table">
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {r.errors.map((e, i) => (
                <tr key={`${e.path}-${i}`}>
                  <td className="break mono">{e.path}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {r.duplicateOf.length > 0 && (
        <>
          <h3>Duplicates (not imported again)</h3>
          <table className="data-table" data-testid="report-duplicate-table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Same as</th>
                <th scope="col">Label</th>
              </tr>
            </thead>
            <tbody>
              {r.duplicateOf.map((d, i) => (
                <tr key={`${d.path}-${i}`}>
                  <td className="break mono">{d.path}</td>
                  <td className="break mono">{d.existingPath}</td>
                  <td data-testid={d.labelConflict ? 'report-label-conflict' : undefined}>
                    {d.labelConflict ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
