import type { ImageSummary } from '../../../shared/contract/library-types';
import { useLibrary, useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { baseName, formatTime, SOURCE_LABELS } from './format';
import { PhotoFacts } from './PhotoFacts';
import { PredictionFacts } from './PredictionFacts';

/** One image in full (its normalised 256×256 form and its metadata), or a summary of many. */
export function DetailPane(props: { selected: readonly ImageSummary[] }) {
  const only = props.selected.length === 1 ? props.selected[0] : undefined;
  if (only !== undefined) return <ImageDetailView id={only.id} />;
  if (props.selected.length === 0) {
    return (
      <div className="detail-empty muted" data-testid="detail-empty">
        Select an image to see it here. Shift-click selects a range, Ctrl/⌘-click adds one.
      </div>
    );
  }
  const counts = new Map<string, number>();
  for (const image of props.selected) {
    const key = image.city ?? 'unlabeled';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return (
    <div className="detail-many" data-testid="detail-many">
      <h2>{props.selected.length} images selected</h2>
      <ul className="plain-list">
        {[...counts].map(([city, n]) => (
          <li key={city}>
            <span>{city}</span> <span className="muted">{n}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ImageDetailView(props: { id: number }) {
  const { client, transport } = useStudio();
  const { cities } = useLibrary();
  // Predictions are written by jobs (the 'models' revision) as well as labels.
  const revision = useRevisionKey('labels', 'splits', 'cities', 'models');
  const detail = useLoad(
    () => client.call('images.get', { id: props.id }),
    `${props.id}:${revision}`,
  );

  if (detail.state === 'error') {
    return (
      <div className="form-error" role="alert">
        <code>{detail.error.code}</code> {detail.error.message}
      </div>
    );
  }
  const image = detail.value;
  if (image === null) return <div className="muted">Loading…</div>;
  return (
    <article className="detail" data-testid="detail" data-image-id={image.id}>
      <img
        className="detail-image"
        src={transport.assetUrl('norm', image.id)}
        alt={`Normalised 256×256 version of ${baseName(image.path)}`}
        width={256}
        height={256}
      />
      <h2 className="detail-title" title={image.path}>
        {baseName(image.path)}
      </h2>
      <dl className="facts">
        <dt>City</dt>
        <dd data-testid="detail-city">
          {image.city ?? 'unlabeled'}
          {image.labelSource !== null && (
            <span className="muted"> · {SOURCE_LABELS[image.labelSource]}</span>
          )}
        </dd>
        <dt>Split</dt>
        <dd>{image.split ?? 'not assigned'}</dd>
        <dt>Path</dt>
        <dd className="break" data-testid="detail-path">
          {image.path}
        </dd>
        <dt>Imported</dt>
        <dd>{formatTime(image.importedAt)}</dd>
        <dt>Content hash</dt>
        <dd className="break mono" title={image.contentHash}>
          {image.contentHash.slice(0, 16)}…
        </dd>
      </dl>
      <h3>Prediction</h3>
      <PredictionFacts image={image} />
      <PhotoFacts image={image} cities={cities} />
      <h3>Label history</h3>
      {image.labels.length === 0 ? (
        <p className="muted">Never labeled.</p>
      ) : (
        <ol className="label-history" data-testid="label-history">
          {image.labels.map((l, i) => (
            <li key={`${l.createdAt}-${i}`}>
              <strong>{l.city}</strong> <span className="muted">by {SOURCE_LABELS[l.source]}</span>
              <br />
              <time dateTime={l.createdAt} className="muted small">
                {formatTime(l.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
