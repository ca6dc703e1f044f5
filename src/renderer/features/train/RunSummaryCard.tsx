import type {
  BackendReport,
  EvaluationReport,
  TrainSummary,
} from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { duration, fixed, interval, pct, rate, STOP_REASONS } from '../../ui/format';
import { navigate } from '../../ui/nav';
import { Card } from '../../ui/Card';

const mean = (xs: number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

/** What a finished run did: per stage epochs, best epoch, stop reason, class weights, backend. */
export function RunSummaryCard(props: {
  modelId: string | null;
  summaries: readonly TrainSummary[];
  validation: EvaluationReport | null;
  backend: BackendReport | null;
  /** The run's classes and per-split image counts (runs.get), when known. */
  classes?: readonly string[];
  classCounts?: { train: number[]; val: number[] } | null;
  /** Prefix of ids and test ids, so a live and a past summary can share the page. */
  idPrefix?: string;
}) {
  const id = props.idPrefix ?? 'run-summary';
  const { client } = useStudio();
  const { modelId, summaries, validation } = props;
  const given = props.classes ?? validation?.classes ?? [];
  const detail = useLoad(
    () =>
      modelId === null || given.length > 0
        ? Promise.resolve(null)
        : client.call('models.get', { modelId }),
    `${modelId ?? ''}:${given.length}`,
  );
  const classes = given.length > 0 ? given : (detail.value?.classes ?? []);
  const counts = props.classCounts ?? null;
  const weights = summaries[0]?.classWeights ?? [];
  const backendName = props.backend?.name ?? summaries[0]?.backend ?? '—';

  return (
    <Card titleId={`${id}-title`} title="Run summary" testId={id} className="ml-summary">
      <table className="data-table" data-testid={`${id}-table`}>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="num">
              Epochs run
            </th>
            <th scope="col" className="num">
              Best epoch
            </th>
            <th scope="col" className="num">
              Best accuracy
            </th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Final rate
            </th>
            <th scope="col" className="num">
              Train / val
            </th>
            <th scope="col" className="num">
              Time per epoch
            </th>
          </tr>
        </thead>
        <tbody>
          {summaries.map((s) => (
            <tr key={s.stage} data-testid="run-summary-stage" data-stage={s.stage}>
              <th scope="row">{s.stage === 1 ? '1 · head' : '2 · fine-tune'}</th>
              <td className="num" data-col="epochsRun">
                {s.epochsRun}
              </td>
              <td className="num" data-col="bestEpoch">
                {s.bestEpoch ?? '—'}
              </td>
              <td className="num" data-col="bestAccuracy">
                {pct(s.bestAccuracy)} <span className="muted small">{s.monitored}</span>
              </td>
              <td data-col="stopReason" data-value={s.stopReason}>
                {STOP_REASONS[s.stopReason] ?? s.stopReason}
              </td>
              <td className="num">{rate(s.finalLearningRate)}</td>
              <td className="num">
                {s.trainCount} / {s.valCount}
              </td>
              <td className="num">{duration(mean(s.epochMs))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="ml-summary-grid">
        <dl className="ml-facts">
          <div>
            <dt>Backend</dt>
            <dd data-testid="run-backend">
              {backendName}
              {props.backend !== null && props.backend.gpu ? ' (GPU)' : ''}
            </dd>
          </div>
          {validation !== null && (
            <div>
              <dt>Validation accuracy</dt>
              <dd
                data-testid="summary-val-accuracy"
                data-value={validation.accuracy.value ?? ''}
                title={`${validation.accuracy.successes} of ${validation.accuracy.trials} photos`}
              >
                {pct(validation.accuracy.value)}{' '}
                <span className="muted small">95% CI {interval(validation.accuracy)}</span>
              </dd>
            </div>
          )}
          {validation !== null && (
            <div>
              <dt>Chance</dt>
              <dd data-testid="summary-chance">
                {pct(validation.chance.uniform)}{' '}
                <span className="muted small">
                  uniform · majority {pct(validation.chance.majority.accuracy.value)}
                </span>
              </dd>
            </div>
          )}
          {validation !== null && (
            <div>
              <dt>Val log-loss</dt>
              <dd>{fixed(validation.logLoss)}</dd>
            </div>
          )}
        </dl>
        {weights.length > 0 && (
          <table className="data-table compact" data-testid="class-weights">
            <caption className="ml-caption">Class balance and loss weights</caption>
            <thead>
              <tr>
                <th scope="col">City</th>
                {counts !== null && (
                  <th scope="col" className="num">
                    Train
                  </th>
                )}
                {counts !== null && (
                  <th scope="col" className="num">
                    Val
                  </th>
                )}
                <th scope="col" className="num">
                  Weight
                </th>
              </tr>
            </thead>
            <tbody>
              {weights.map((w, i) => (
                <tr key={classes[i] ?? i} data-city={classes[i]}>
                  <th scope="row">{classes[i] ?? `class ${i + 1}`}</th>
                  {counts !== null && <td className="num">{counts.train[i] ?? '—'}</td>}
                  {counts !== null && <td className="num">{counts.val[i] ?? '—'}</td>}
                  <td className="num" data-col="weight">
                    {fixed(w, 3)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {modelId !== null && (
        <div className="button-row">
          <button
            type="button"
            className="primary"
            data-testid="evaluate-link"
            onClick={() => navigate('evaluate', { model: modelId })}
          >
            Evaluate this model →
          </button>
          <button type="button" onClick={() => navigate('predict', { model: modelId })}>
            Predict with it
          </button>
        </div>
      )}
    </Card>
  );
}
