import type { EmbedPoint } from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { pct } from '../../ui/format';

/** The photos of a lasso or box selection, with their true and predicted cities. */
export function SelectedPhotos(props: {
  points: readonly EmbedPoint[];
  onOpen: (imageId: number) => void;
}) {
  const { transport } = useStudio();
  if (props.points.length === 0) {
    return (
      <p className="muted small" data-testid="embed-selected" data-count={0}>
        Draw a lasso or a box around points to list their photos here.
      </p>
    );
  }
  return (
    <div data-testid="embed-selected" data-count={props.points.length}>
      <h3>
        Selected <span className="muted small">{props.points.length} photos</span>
      </h3>
      <ul className="plain-list explain-selected">
        {props.points.map((p) => (
          <li key={p.imageId}>
            <button
              type="button"
              className="explain-photo"
              title="Open in Heatmap"
              data-testid="embed-selected-photo"
              data-image-id={p.imageId}
              onClick={() => props.onOpen(p.imageId)}
            >
              <img src={transport.assetUrl('thumb', p.imageId)} alt="" loading="lazy" />
              <span className="explain-photo-name">{p.city}</span>
              <span className={`small ${p.city === p.predicted ? 'ml-ok' : 'ml-bad'}`}>
                → {p.predicted} {pct(p.probability, 0)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
