import type { ClassMetrics, EvaluationReport } from '../../../shared/contract/ml-types';
import { DataTable, type Column } from '../../ui/DataTable';
import { fixed, interval, pct } from '../../ui/format';
import { PerCityChart } from './PerCityChart';
import { Card } from '../../ui/Card';

const PER_CITY_COLUMNS: Column<ClassMetrics>[] = [
  { header: 'City', rowHeader: true, cell: (c) => c.class },
  {
    header: 'Photos',
    num: true,
    cellProps: () => ({ 'data-col': 'support' }),
    cell: (c) => c.support,
  },
  {
    header: 'Predicted as',
    num: true,
    cellProps: () => ({ 'data-col': 'predicted' }),
    cell: (c) => c.predicted,
  },
  {
    header: 'Accuracy (recall), 95% CI',
    cellProps: (c) => ({ 'data-col': 'recall', 'data-value': c.recall.value ?? '' }),
    cell: (c) => (
      <div className="ml-bar-cell">
        <meter min={0} max={1} value={c.recall.value ?? 0} aria-hidden="true" />
        <span className="num">{pct(c.recall.value)}</span>
        <span className="muted small">{interval(c.recall, 0)}</span>
      </div>
    ),
  },
  {
    header: 'Precision, 95% CI',
    num: true,
    cellProps: (c) => ({ 'data-col': 'precision', 'data-value': c.precision.value ?? '' }),
    cell: (c) => (
      <>
        {pct(c.precision.value)}{' '}
        <span className="muted small ml-nowrap">{interval(c.precision, 0)}</span>
      </>
    ),
  },
  { header: 'F1', num: true, cellProps: () => ({ 'data-col': 'f1' }), cell: (c) => fixed(c.f1, 3) },
];

/**
 * Per city: accuracy (recall, the paper's per-city accuracy) as a chart against the paper's overall
 * figures, then a table with precision and F1, all with intervals.
 */
export function PerCityTable(props: { report: EvaluationReport }) {
  const r = props.report;
  return (
    <Card titleId="per-city-eval-title" title="Per city" testId="per-city">
      <PerCityChart report={r} />
      <DataTable
        testId="per-city-table"
        columns={PER_CITY_COLUMNS}
        rows={r.perClass}
        rowKey={(c) => c.class}
        rowProps={(c) => ({ 'data-testid': 'per-city-row', 'data-city': c.class })}
        footer={
          <>
            <th scope="row">Macro average</th>
            <td className="num">{r.n}</td>
            <td />
            <td>{pct(r.macro.recall.value)}</td>
            <td className="num">{pct(r.macro.precision.value)}</td>
            <td className="num">{fixed(r.macro.f1.value, 3)}</td>
          </>
        }
      />
      {r.topConfusions.length > 0 && (
        <p className="small ml-top-confusions">
          <strong>Most confused:</strong>{' '}
          {r.topConfusions.slice(0, 5).map((c, i) => (
            <span key={`${c.true}>${c.predicted}`}>
              {i > 0 && ' · '}
              {c.true} → {c.predicted} ({c.count})
            </span>
          ))}
        </p>
      )}
    </Card>
  );
}
