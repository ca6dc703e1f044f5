import { LABEL_SOURCES, type LibraryStats } from '../../../shared/contract/library-types';
import { DataTable, type Column } from '../../ui/DataTable';
import { SOURCE_LABELS } from '../library/format';
import { SplitChart } from './SplitChart';
import { Card } from '../../ui/Card';

type CityCounts = LibraryStats['perCity'][number];

/** A count column of the per-city table; `data-col` names it for the tests. */
const countColumn = (
  header: string,
  key: 'total' | 'train' | 'val' | 'test',
): Column<CityCounts> => ({
  header,
  num: true,
  cellProps: () => ({ 'data-col': key }),
  cell: (c) => c[key],
});

const CITY_COLUMNS: Column<CityCounts>[] = [
  { header: 'City', rowHeader: true, cell: (c) => c.city },
  countColumn('Labeled', 'total'),
  countColumn('Train', 'train'),
  countColumn('Val', 'val'),
  countColumn('Test', 'test'),
];

export function StatsPanel(props: { stats: LibraryStats }) {
  const s = props.stats;
  const cards = [
    { key: 'images', label: 'Photos', value: s.images },
    { key: 'labeled', label: 'Labeled', value: s.labeled },
    { key: 'unlabeled', label: 'Unlabeled', value: s.unlabeled },
    { key: 'train', label: 'Train', value: s.splits.train },
    { key: 'val', label: 'Validation', value: s.splits.val },
    { key: 'test', label: 'Test', value: s.splits.test },
    {
      key: 'unassigned',
      label: 'No split',
      value: s.splits.unassigned,
      hint: 'Photos outside train, validation and test: unlabeled photos never get a split.',
    },
  ];
  const totals = s.perCity.reduce(
    (t, c) => ({
      total: t.total + c.total,
      train: t.train + c.train,
      val: t.val + c.val,
      test: t.test + c.test,
    }),
    { total: 0, train: 0, val: 0, test: 0 },
  );
  return (
    <>
      <dl className="stat-cards" data-testid="stats-cards">
        {cards.map((c) => (
          <div key={c.key} className="stat-card" title={'hint' in c ? c.hint : undefined}>
            <dt>{c.label}</dt>
            <dd data-testid={`stat-${c.key}`}>{c.value}</dd>
          </div>
        ))}
      </dl>
      <Card titleId="per-city-title" title="Labeled photos per city">
        {s.perCity.length === 0 ? (
          <p className="muted">No cities yet.</p>
        ) : (
          <div className="stats-split">
            <DataTable
              testId="stats-table"
              columns={CITY_COLUMNS}
              rows={s.perCity}
              rowKey={(c) => c.city}
              rowProps={(c) => ({ 'data-testid': 'stats-row', 'data-city': c.city })}
              footer={
                <>
                  <th scope="row">All cities</th>
                  <td className="num">{totals.total}</td>
                  <td className="num">{totals.train}</td>
                  <td className="num">{totals.val}</td>
                  <td className="num">{totals.test}</td>
                </>
              }
            />
            <SplitChart perCity={s.perCity} />
          </div>
        )}
      </Card>
      <Card titleId="sources-title" title="Where the labels came from">
        <table className="data-table compact" data-testid="sources-table">
          <tbody>
            {LABEL_SOURCES.map((src) => (
              <tr key={src}>
                <th scope="row">{SOURCE_LABELS[src]}</th>
                <td className="num" data-testid={`source-${src}`}>
                  {s.labelSources[src]}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
