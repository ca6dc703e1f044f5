import { useEffect, useState } from 'react';
import type { EvaluationCellPhoto } from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { pct } from '../../ui/format';
import { baseName } from '../library/format';
import { navigate } from '../../ui/nav';

export type Cell = { trueCity: string; predictedCity: string };

/**
 * The photos behind one confusion-matrix cell, most confident answers first: what the model got
 * right for a diagonal cell, its mistakes elsewhere. A library photo links to its explanation.
 */
export function CellPhotos(props: {
  evaluationId: number;
  modelId: string;
  cell: Cell;
  onClose: () => void;
}) {
  const { client, transport } = useStudio();
  const { evaluationId, cell } = props;
  const [photos, setPhotos] = useState<EvaluationCellPhoto[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setPhotos(null);
    setError(null);
    client.call('evaluations.cell', { evaluationId, ...cell }).then(
      (list) => {
        if (current) setPhotos(list);
      },
      (e: unknown) => {
        if (current) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      current = false;
    };
  }, [client, evaluationId, cell]);

  const right = cell.trueCity === cell.predictedCity;
  return (
    <div
      className="ml-cell-photos"
      data-testid="cell-photos"
      data-cell={`${cell.trueCity}|${cell.predictedCity}`}
    >
      <div className="ml-card-head">
        <h3>
          {right
            ? `${cell.trueCity} photos recognised`
            : `${cell.trueCity} photos taken for ${cell.predictedCity}`}
          {photos !== null && ` (${photos.length})`}
        </h3>
        <button type="button" onClick={props.onClose} data-testid="cell-photos-close">
          Close
        </button>
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {photos === null && error === null && <p className="muted small">Loading…</p>}
      {photos !== null && photos.length === 0 && (
        <p className="muted small">No photo in this cell.</p>
      )}
      {photos !== null && photos.length > 0 && (
        <ul className="ml-cell-grid">
          {photos.map((p, i) => (
            <li key={`${p.imageId ?? p.path}-${i}`} data-testid="cell-photo" title={p.path}>
              {p.imageId === null ? (
                <span className="ml-cell-missing mono">{baseName(p.path)}</span>
              ) : (
                <button
                  type="button"
                  className="ml-cell-thumb"
                  onClick={() =>
                    navigate('explain', {
                      image: String(p.imageId),
                      model: props.modelId,
                      city: cell.trueCity,
                    })
                  }
                  aria-label={`Explain ${baseName(p.path)}`}
                >
                  <img src={transport.assetUrl('thumb', p.imageId)} alt="" loading="lazy" />
                </button>
              )}
              <span className="small">
                {cell.predictedCity} {pct(p.probability, 0)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
