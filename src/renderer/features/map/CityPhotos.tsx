import { useEffect, useRef, useState } from 'react';
import type { GeoItem, GeoMapPlace } from '../../../shared/contract/geo-types';
import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { GeoPhoto } from '../geolocate/GeoPhoto';
import { baseName } from '../library/format';
import { ErrorLine } from '../../ui/ErrorLine';
import { pct } from '../../ui/format';

/** The most photos one city's list shows (the contract's page limit). */
const LIMIT = 1000;

/**
 * The photos of one circle, as thumbnails; a click opens one large with its facts. Estimated
 * places ask the batch for the city's photos; GPS places are the GPS photos whose position falls
 * in the city.
 */
export function CityPhotos(props: {
  batchId: number;
  city: string;
  place: GeoMapPlace;
  onClose: () => void;
}) {
  const { client, transport } = useStudio();
  const revision = useRevisionKey('labels');
  const [open, setOpen] = useState<number | null>(null);
  const photos = useLoad(async (): Promise<GeoItem[]> => {
    if (props.place === 'estimated') {
      const page = await client.call('geo.items', {
        batchId: props.batchId,
        city: props.city,
        limit: LIMIT,
      });
      return page.items;
    }
    const page = await client.call('geo.items', {
      batchId: props.batchId,
      filter: 'gps',
      limit: LIMIT,
    });
    return page.items.filter((i) => i.gpsCity === props.city);
  }, `${props.batchId}:${props.city}:${props.place}:${revision}`);
  const items = photos.value ?? [];
  const shown = items.find((i) => i.imageId === open) ?? null;
  const detail = useRef<HTMLDivElement>(null);
  // The opened photo shows below the thumbnails: bring it into view.
  useEffect(() => {
    if (open !== null) detail.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [open]);

  return (
    <section
      className="card geomap-photos"
      aria-labelledby="map-photos-title"
      data-testid="map-photos"
      data-city={props.city}
      data-state={photos.state}
      data-count={items.length}
    >
      <header className="geomap-photos-head">
        <h2 id="map-photos-title">
          {props.city} · {items.length} photo{items.length === 1 ? '' : 's'}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close the city's photos"
          onClick={props.onClose}
        >
          ×
        </button>
      </header>
      {photos.error !== null && <ErrorLine error={photos.error} />}
      <ul className="plain-list geomap-thumbs">
        {items.map((item) => (
          <li key={item.imageId}>
            <button
              type="button"
              className={`geomap-thumb${open === item.imageId ? ' geomap-thumb-on' : ''}`}
              aria-pressed={open === item.imageId}
              onClick={() => setOpen(item.imageId)}
              data-testid="map-photo"
              data-image-id={item.imageId}
              title={item.path}
            >
              <img src={transport.assetUrl('thumb', item.imageId)} alt="" loading="lazy" />
              <span className="geomap-thumb-name">{baseName(item.path)}</span>
              <span className="geomap-thumb-prob muted">
                {item.predicted ?? '—'} {pct(item.probability, 0)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div ref={detail}>
        {shown !== null && <GeoPhoto item={shown} testId="map-photo-detail" />}
      </div>
    </section>
  );
}
