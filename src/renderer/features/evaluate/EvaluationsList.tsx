import type { StoredEvaluation } from '../../../shared/contract/ml-types';
import type { Load } from '../../app/use-load';
import { ListCard } from '../../ui/Card';
import { DataTable, type Column } from '../../ui/DataTable';
import { interval, pct, when } from '../../ui/format';

const DATASETS: Record<string, string> = { test: 'test split', val: 'validation split' };

export function datasetLabel(e: StoredEvaluation): string {
  return DATASETS[e.dataset] ?? `${e.dataset}: ${e.sources.join(', ')}`;
}

function evaluationColumns(
  shownId: number | null,
  onShow: (id: number) => void,
): Column<StoredEvaluation>[] {
  return [
    { header: 'When', cell: (e) => when(e.createdAt) },
    { header: 'Images', className: 'break', cell: datasetLabel },
    { header: 'Views', cell: (e) => (e.tta === 'multiCrop' ? '10 crops' : 'centre') },
    { header: 'Photos', num: true, cell: (e) => e.report.n },
    { header: 'Accuracy', num: true, cell: (e) => pct(e.report.accuracy.value) },
    { header: '95% CI', num: true, className: 'muted', cell: (e) => interval(e.report.accuracy) },
    {
      header: 'Show',
      hiddenHeader: true,
      num: true,
      cell: (e) => (
        <button
          type="button"
          className="small"
          disabled={shownId === e.id}
          onClick={() => onShow(e.id)}
        >
          {shownId === e.id ? 'Shown' : 'Show'}
        </button>
      ),
    },
  ];
}

/** Earlier evaluations of the chosen model; one is shown in full below. */
export function EvaluationsList(props: {
  list: Load<StoredEvaluation[]>;
  shownId: number | null;
  onShow: (id: number) => void;
}) {
  return (
    <ListCard
      titleId="evals-title"
      title="Evaluations of this model"
      testId="evaluations"
      list={props.list}
      empty={<p className="muted">Not evaluated yet.</p>}
    >
      {(items) => (
        <DataTable
          testId="evaluations-table"
          columns={evaluationColumns(props.shownId, props.onShow)}
          rows={items}
          rowKey={(e) => e.id}
          rowProps={(e) => ({
            'data-testid': 'evaluation-row',
            'aria-selected': props.shownId === e.id,
            className: props.shownId === e.id ? 'ml-row-selected' : undefined,
          })}
        />
      )}
    </ListCard>
  );
}
