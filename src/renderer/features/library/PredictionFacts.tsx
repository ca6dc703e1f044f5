import type { ImageSummary } from '../../../shared/contract/library-types';
import { formatTime } from './format';

/** The image's latest prediction next to its label, so a wrong answer stands out. */
export function PredictionFacts(props: { image: ImageSummary }) {
  const { prediction, city, unknown } = props.image;
  if (prediction === null) {
    return (
      <p className="muted small" data-testid="detail-prediction-none">
        No prediction yet. Run a model from the Predict view.
      </p>
    );
  }
  // An "unknown" answer names no city, so it is neither right nor wrong against the label.
  const verdict =
    city === null || unknown
      ? null
      : prediction.city.toLowerCase() === city.toLowerCase()
        ? 'right'
        : 'wrong';
  return (
    <dl
      className={`facts prediction-facts${verdict === 'wrong' ? ' wrong' : ''}`}
      data-testid="detail-prediction"
      data-verdict={unknown ? 'unknown' : (verdict ?? 'unlabeled')}
    >
      {unknown && (
        <>
          <dt>Answer</dt>
          <dd data-testid="detail-unknown">
            <strong>Unknown (none of the model’s cities)</strong>
          </dd>
        </>
      )}
      <dt>{unknown ? 'Forced choice' : 'Predicted'}</dt>
      <dd data-testid="detail-predicted-city" className={unknown ? 'forced-choice' : undefined}>
        <strong>{prediction.city}</strong>
        {verdict !== null && (
          <span className={`verdict verdict-${verdict}`}>
            {verdict === 'right' ? ' ✓ matches the label' : ' ✗ differs from the label'}
          </span>
        )}
      </dd>
      <dt>Probability</dt>
      <dd data-testid="detail-predicted-probability">
        {(prediction.probability * 100).toFixed(1)}%
      </dd>
      <dt>Model</dt>
      <dd className="break mono" data-testid="detail-predicted-model">
        {prediction.modelId}
      </dd>
      <dt>When</dt>
      <dd>{formatTime(prediction.createdAt)}</dd>
    </dl>
  );
}
