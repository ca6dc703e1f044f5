import { EXPLAIN_METHODS, type ExplainMethod } from '../../../shared/contract/ml-types';
import { JobStatus } from '../../ui/JobStatus';
import { HeatLegend } from './HeatLegend';
import { HeatmapCanvas } from './HeatmapCanvas';
import { METHOD_LABELS } from './legend';
import { answerTo, useExplain } from './use-explain';

type Props = { modelId: string; imageId: number; city: string; opacity: number };

/** The three methods side by side for the same photo and city (each from the cache when known). */
export function CompareMethods(props: Props) {
  return (
    <section className="card" aria-labelledby="explain-compare-title" data-testid="explain-compare">
      <h2 id="explain-compare-title">
        Compare methods <span className="muted small">for {props.city}</span>
      </h2>
      <div className="explain-compare-grid">
        {EXPLAIN_METHODS.map((method) => (
          <ComparePanel key={method} method={method} {...props} />
        ))}
      </div>
    </section>
  );
}

function ComparePanel(props: Props & { method: ExplainMethod }) {
  const request = {
    modelId: props.modelId,
    imageId: props.imageId,
    method: props.method,
    city: props.city,
  };
  const job = useExplain(request);
  const result = answerTo(job.state.result, request);
  return (
    <figure className="explain-compare-panel" data-method={props.method}>
      <figcaption>{METHOD_LABELS[props.method]}</figcaption>
      {result !== null ? (
        <>
          <HeatmapCanvas
            imageId={props.imageId}
            result={result}
            opacity={props.opacity}
            size={224}
            testId="compare-canvas"
          />
          <HeatLegend result={result} compact />
        </>
      ) : (
        <div className="explain-compare-wait" />
      )}
      <JobStatus
        state={job.state}
        label={METHOD_LABELS[props.method]}
        testId={`compare-status-${props.method}`}
        onCancel={job.cancel}
      />
    </figure>
  );
}
