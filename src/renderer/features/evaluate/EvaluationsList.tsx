import type { StoredEvaluation } from '../../../shared/contract/ml-types';
import type { Load } from '../../app/use-load';
import { interval, pct, when } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';

const DATASETS: Record<string, string> = { test: 'test split', val: 'validation split' };

export function datasetLabel(e: StoredEvaluation): string {
  return DATASETS[e.dataset] ?? `${e.dataset}: ${e.sources.join(', ')}`;
}

/** Earlier evaluations of the chosen model; one is shown in full below. */
export function EvaluationsList(props: {
  list: Load<StoredEvaluation[]>;
  shownId: number | null;
  onShow: (id: number) => void;
}) {
  const items = props.list.value ?? [];
  return (
    <section
      className="card"
      aria-labelledby="evals-title"
      data-testid="evaluations"
      data-count={items.length}
      data-state={props.list.state}
    >
      <h2 id="evals-title">Evaluations of this model</h2>
      {props.list.error !== null && <ErrorLine error={props.list.error} />}
      {items.length === 0 ? (
        <p className="muted">Not evaluated yet.</p>
      ) : (
        <table className="data-table" data-testid="evaluations-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Images</th>
              <th scope="col">Views</th>
              <th scope="col" className="num">
                Photos
              </th>
              <th scope="col" className="num">
                Accuracy
              </th>
              <th scope="col" className="num">
                95% CI
              </th>
              <th scope="col">
                <span className="visually-hidden">Show</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr
                key={e.id}
                data-testid="evaluation-row"
                aria-selected={props.shownId === e.id}
                className={props.shownId === e.id ? 'ml-row-selected' : undefined}
              >
                <td>{when(e.createdAt)}</td>
                <td className="break">{datasetLabel(e)}</td>
                <td>{e.tta === 'multiCrop' ? '10 crops' : 'centre'}</td>
                <td className="num">{e.report.n}</td>
                <td className="num">{pct(e.report.accuracy.value)}</td>
                <td className="num muted">{interval(e.report.accuracy)}</td>
                <td className="num">
                  <button
                    type="button"
                    className="small"
                    disabled={props.shownId === e.id}
                    onClick={() => props.onShow(e.id)}
                  >
                    {props.shownId === e.id ? 'Shown' : 'Show'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
