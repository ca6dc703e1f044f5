import type { ReactNode } from 'react';
import type { GeoItem, GeoReviewState } from '../../../shared/contract/geo-types';
import { useStudio } from '../../app/studio-context';
import { baseName } from '../library/format';
import { pct } from '../../ui/format';

export const REVIEW_WORDS: Record<GeoReviewState, string> = {
  pending: 'Not reviewed',
  accepted: 'Accepted',
  corrected: 'Corrected',
  skipped: 'Skipped',
};

/** Where the photo's GPS puts it, in words: the truth its estimate is checked against. */
export function gpsWords(item: Pick<GeoItem, 'gps' | 'gpsCity'>): string {
  if (item.gps === null) return 'No GPS in the file';
  const at = `${item.gps.lat.toFixed(4)}, ${item.gps.lon.toFixed(4)}`;
  return item.gpsCity === null ? `${at} (outside every city)` : `${at} · in ${item.gpsCity}`;
}

/**
 * One photo of a batch, large, with what is known about it: the model's top cities with their
 * probabilities, the GPS truth when the file has one, and the review state. `children` go under
 * the facts (the review actions).
 */
export function GeoPhoto(props: { item: GeoItem; testId: string; children?: ReactNode }) {
  const { transport } = useStudio();
  const { item } = props;
  const name = baseName(item.path);
  // An "unknown" answer names no city: its forced choice is neither right nor wrong.
  const verdict =
    item.gpsCity === null || item.predicted === null || item.unknown
      ? null
      : item.gpsCity === item.predicted
        ? 'right'
        : 'wrong';
  return (
    <article
      className="geo-photo"
      data-testid={props.testId}
      data-image-id={item.imageId}
      data-review={item.review}
      data-predicted={item.predicted ?? ''}
      data-unknown={item.unknown}
    >
      <img
        className="geo-photo-image"
        src={transport.assetUrl('norm', item.imageId)}
        alt={`Photo ${name}`}
        width={256}
        height={256}
      />
      <div className="geo-photo-facts">
        <h3 className="geo-photo-name" title={item.path}>
          {name}
        </h3>
        <p className="muted small break">{item.path}</p>
        {item.unknown && (
          <p className="geo-unknown-note" data-testid="geo-photo-unknown">
            Looks like none of the model’s cities.{' '}
            <span className="muted small">Below is its forced choice.</span>
          </p>
        )}
        <ol
          className={`plain-list ml-probs${item.unknown ? ' geo-forced-choice' : ''}`}
          aria-label={item.unknown ? "The model's forced choice" : "The model's top cities"}
        >
          {item.top.map((c) => (
            <li key={c.city}>
              <span className="ml-prob-city">{c.city}</span>
              <meter min={0} max={1} value={c.probability} aria-label={`${c.city} probability`} />
              <span className="ml-prob-value">{pct(c.probability, 0)}</span>
            </li>
          ))}
          {item.top.length === 0 && <li className="muted">Not predicted yet.</li>}
        </ol>
        <dl className="geo-facts">
          <dt>GPS</dt>
          <dd data-testid="geo-photo-gps">
            {gpsWords(item)}
            {verdict !== null && (
              <span className={`geo-verdict geo-verdict-${verdict}`}> · model {verdict}</span>
            )}
          </dd>
          <dt>Review</dt>
          <dd data-testid="geo-photo-review">
            {REVIEW_WORDS[item.review]}
            {item.reviewedCity !== null && ` · ${item.reviewedCity}`}
            {item.unsure && <span className="geo-unsure-tag"> unsure</span>}
          </dd>
        </dl>
        {props.children}
      </div>
    </article>
  );
}
