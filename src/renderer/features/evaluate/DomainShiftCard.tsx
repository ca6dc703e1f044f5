import type { ModelSummary, StoredEvaluation } from '../../../shared/contract/ml-types';
import { fixed, pct, when } from '../../ui/format';
import { domainShift } from './open-set-data';
import { Card } from '../../ui/Card';

type Column = 'test' | 'external' | 'outside';

/** One figure of a column, or a dash where that kind of set has no such figure. */
type Row = { key: string; label: string; value: (column: Column) => string };

/**
 * The paper's Flickr test as a first-class view: the same model on its test split, on a labelled
 * set from elsewhere and on photos of none of its cities, side by side, so a user sees how it will
 * behave on their own library.
 */
export function DomainShiftCard(props: {
  model: ModelSummary;
  evaluations: readonly StoredEvaluation[];
}) {
  const shift = domainShift(props.evaluations);
  const evaluationOf = (c: Column): StoredEvaluation | null =>
    c === 'outside' ? (shift.outside?.evaluation ?? null) : shift[c];
  const unknownShare = (e: StoredEvaluation | null): string =>
    e?.openSet == null ? '—' : pct(1 - e.openSet.kept.coverage);
  const rows: Row[] = [
    {
      key: 'n',
      label: 'Photos',
      value: (c) =>
        c === 'outside'
          ? String(shift.outside?.result.n ?? '—')
          : String(evaluationOf(c)?.report.n ?? '—'),
    },
    {
      key: 'accuracy',
      label: 'Accuracy (forced choice)',
      value: (c) =>
        c === 'outside' ? 'no right city' : pct(evaluationOf(c)?.report.accuracy.value),
    },
    {
      key: 'unknown',
      label: 'Answered unknown',
      value: (c) =>
        c === 'outside' ? pct(shift.outside?.result.flagged) : unknownShare(evaluationOf(c)),
    },
    {
      key: 'kept-accuracy',
      label: 'Accuracy of the rest',
      value: (c) => (c === 'outside' ? '—' : pct(evaluationOf(c)?.openSet?.kept.accuracy)),
    },
    {
      key: 'auroc',
      label: 'AUROC (outside vs evaluated)',
      value: (c) => (c === 'outside' ? fixed(shift.outside?.result.auroc) : '—'),
    },
  ];
  const columns: { key: Column; label: string; empty: string }[] = [
    { key: 'test', label: 'Test split', empty: 'Evaluate on the test split.' },
    {
      key: 'external',
      label: 'Labelled external set',
      empty: 'Evaluate on another image set (city sub-folders).',
    },
    {
      key: 'outside',
      label: 'Outside set',
      empty: 'Evaluate with an outside set: photos from none of the cities.',
    },
  ];

  return (
    <Card titleId="shift-title" title="Domain shift" testId="domain-shift">
      <p className="muted small">
        {props.model.name}: the latest evaluation of each kind. Your own library looks more like the
        external and outside sets than like the test split.
      </p>
      {props.model.openSet === null && (
        <p className="muted small" data-testid="shift-no-open-set">
          This model was trained before open-set statistics; retrain to get an unknown answer.
        </p>
      )}
      <table className="data-table ml-shift-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Figure</span>
            </th>
            {columns.map((c) => {
              const e = evaluationOf(c.key);
              return (
                <th key={c.key} scope="col" data-testid={`shift-${c.key}`} data-eval={e?.id ?? ''}>
                  {c.label}
                  <div className="muted small">{e === null ? c.empty : when(e.createdAt)}</div>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {columns.map((c) => (
                <td key={c.key} className="num" data-testid={`shift-${c.key}-${r.key}`}>
                  {evaluationOf(c.key) === null ? '—' : r.value(c.key)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
