import type { ImageSummary } from '../../../shared/contract/library-types';
import type { PredictJobResult } from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { pct } from '../../ui/format';
import { baseName } from '../library/format';

/** Each photo with its most likely cities as probability bars; the true city when it has one. */
export function PredictionResults(props: {
  result: PredictJobResult;
  known: ReadonlyMap<number, ImageSummary>;
}) {
  const { transport } = useStudio();
  const { predictions, errors } = props.result;
  return (
    <section
      className="card"
      aria-labelledby="predictions-title"
      data-testid="predictions"
      data-count={predictions.length}
    >
      <h2 id="predictions-title">
        Predictions <span className="muted small">{predictions.length} photos</span>
      </h2>
      <ul className="plain-list ml-predictions">
        {predictions.map((p) => {
          const image = p.imageId === null ? undefined : props.known.get(p.imageId);
          const truth = image?.city ?? null;
          const top = p.top[0];
          const covered = p.top.reduce((a, c) => a + c.probability, 0);
          return (
            <li
              key={`${p.imageId ?? ''}:${p.path}`}
              className="ml-prediction"
              data-testid="prediction"
              data-image-id={p.imageId ?? ''}
              data-top={top?.city ?? ''}
              data-sum={covered}
              data-unknown={p.unknown}
            >
              {p.imageId !== null ? (
                <img src={transport.assetUrl('thumb', p.imageId)} alt="" />
              ) : (
                <div className="ml-prediction-file" aria-hidden="true">
                  file
                </div>
              )}
              <div className="ml-prediction-body">
                <p className="ml-prediction-name" title={p.path}>
                  {baseName(p.path)}
                  {p.unknown && (
                    <span
                      className="ml-unknown-badge"
                      data-testid="prediction-unknown"
                      title="Looks like none of the model’s cities; the ranking below is its forced choice."
                    >
                      Unknown
                    </span>
                  )}
                  {truth !== null && top !== undefined && (
                    <span className={truth === top.city ? 'ml-ok' : 'ml-bad'}>
                      {' '}
                      · labeled {truth} {truth === top.city ? '✓' : '✗'}
                    </span>
                  )}
                </p>
                <ol className="plain-list ml-probs">
                  {p.top.map((c) => (
                    <li key={c.city} data-testid="prob" data-city={c.city} data-p={c.probability}>
                      <span className="ml-prob-city">{c.city}</span>
                      <meter
                        min={0}
                        max={1}
                        value={c.probability}
                        aria-label={`${c.city} probability`}
                      />
                      <span className="ml-prob-value">{pct(c.probability)}</span>
                    </li>
                  ))}
                </ol>
                <p className="muted small" data-testid="prob-sum">
                  top {p.top.length} cover {pct(covered)}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
      {errors.length > 0 && (
        <div data-testid="prediction-errors">
          <h3>Could not predict ({errors.length})</h3>
          <table className="data-table">
            <tbody>
              {errors.map((e) => (
                <tr key={e.path}>
                  <td className="mono break">{e.path}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
