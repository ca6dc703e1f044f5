import { useMemo, useState } from 'react';
import type { ModelSummary, StoredEvaluation } from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { interval, pct, when } from '../../ui/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { PlotlyChart } from '../../ui/PlotlyChart';
import { compareChart, compareCities, compareHeadline } from './compare-data';
import { ConfusionMatrix } from './ConfusionMatrix';
import { datasetLabel } from './EvaluationsList';
import { Card } from '../../ui/Card';

function label(e: StoredEvaluation, models: readonly ModelSummary[]): string {
  const model = models.find((m) => m.id === e.modelId)?.name ?? e.modelId;
  return `${model} · ${datasetLabel(e)} · ${e.report.n} photos · ${when(e.createdAt)}`;
}

/**
 * Two stored evaluations side by side (any models, any image sets): accuracies with their
 * intervals and difference, per-city bars, and both confusion matrices.
 */
export function CompareEvaluations(props: { models: readonly ModelSummary[]; refresh: number }) {
  const { client } = useStudio();
  const all = useLoad(
    () => client.call('evaluations.list', { modelId: null }),
    String(props.refresh),
  );
  const list = useMemo(() => all.value ?? [], [all.value]);
  const [ids, setIds] = useState<[number | null, number | null]>([null, null]);
  const a = list.find((e) => e.id === ids[0]) ?? null;
  const b = list.find((e) => e.id === ids[1]) ?? null;
  const name = (e: StoredEvaluation, which: string) =>
    `${which}: ${props.models.find((m) => m.id === e.modelId)?.name ?? e.modelId}`;

  const picker = (which: 0 | 1) => (
    <label className="field">
      <span>{which === 0 ? 'Evaluation A' : 'Evaluation B'}</span>
      <select
        data-testid={`compare-${which === 0 ? 'a' : 'b'}`}
        value={ids[which] ?? ''}
        onChange={(event) => {
          const id = event.target.value === '' ? null : Number(event.target.value);
          setIds((old) => (which === 0 ? [id, old[1]] : [old[0], id]));
        }}
      >
        <option value="">Choose…</option>
        {list.map((e) => (
          <option key={e.id} value={e.id}>
            {label(e, props.models)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Card titleId="compare-title" title="Compare two evaluations" testId="compare">
      {all.error !== null && <ErrorLine error={all.error} />}
      {list.length < 2 ? (
        <p className="muted">Two stored evaluations are needed (of one model or of two).</p>
      ) : (
        <div className="ml-compare-pickers">
          {picker(0)}
          {picker(1)}
        </div>
      )}
      {a !== null && b !== null && (
        <Comparison a={a} b={b} nameA={name(a, 'A')} nameB={name(b, 'B')} />
      )}
    </Card>
  );
}

function Comparison(props: {
  a: StoredEvaluation;
  b: StoredEvaluation;
  nameA: string;
  nameB: string;
}) {
  const { a, b } = props;
  const head = compareHeadline(a, b);
  const rows = useMemo(() => compareCities(a, b), [a, b]);
  const chart = useMemo(
    () => compareChart(rows, [props.nameA, props.nameB]),
    [rows, props.nameA, props.nameB],
  );
  return (
    <div data-testid="compare-result" data-delta={head.delta ?? ''}>
      <table className="data-table" data-testid="compare-headline">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{props.nameA}</th>
            <th scope="col">{props.nameB}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Accuracy (95% CI)</th>
            <td>
              {pct(head.accuracy[0].value)} ({interval(head.accuracy[0])})
            </td>
            <td>
              {pct(head.accuracy[1].value)} ({interval(head.accuracy[1])})
            </td>
          </tr>
          <tr>
            <th scope="row">Top-3</th>
            <td>{head.top3[0] === null ? '—' : pct(head.top3[0].value)}</td>
            <td>{head.top3[1] === null ? '—' : pct(head.top3[1].value)}</td>
          </tr>
          <tr>
            <th scope="row">Photos</th>
            <td>{head.n[0]}</td>
            <td>{head.n[1]}</td>
          </tr>
          <tr>
            <th scope="row">Calibration error (ECE)</th>
            <td>{pct(head.ece[0])}</td>
            <td>{pct(head.ece[1])}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small" data-testid="compare-verdict">
        {head.delta === null
          ? 'One of the two has no accuracy to compare.'
          : `B is ${head.delta >= 0 ? 'ahead' : 'behind'} by ${pct(Math.abs(head.delta))}; ${
              head.separated
                ? 'the 95% intervals do not overlap, so the difference is unlikely to be noise.'
                : 'the 95% intervals overlap, so this difference could be noise.'
            }`}
      </p>
      <PlotlyChart
        data={chart.data}
        layout={chart.layout}
        label={`Per-city accuracy of ${props.nameA} and ${props.nameB}`}
        testId="compare-chart"
      />
      <div className="ml-compare-matrices">
        <div>
          <h3 className="small">{props.nameA}</h3>
          <ConfusionMatrix
            classes={a.report.classes}
            confusion={a.report.confusion}
            evaluationId={a.id}
            modelId={a.modelId}
          />
        </div>
        <div>
          <h3 className="small">{props.nameB}</h3>
          <ConfusionMatrix
            classes={b.report.classes}
            confusion={b.report.confusion}
            evaluationId={b.id}
            modelId={b.modelId}
          />
        </div>
      </div>
    </div>
  );
}
