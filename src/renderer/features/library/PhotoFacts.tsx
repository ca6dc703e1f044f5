import type { CityWithCount, ImageDetail } from '../../../shared/contract/library-types';
import { formatBytes, formatLatLon, formatTime } from './format';
import { MiniMap } from './MiniMap';
import { nearestCity } from './world-map';

const formatKm = (km: number): string => (km < 10 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`);

/** What the import read from the file (EXIF and header) and, with GPS, where it was taken. */
export function PhotoFacts(props: { image: ImageDetail; cities: readonly CityWithCount[] }) {
  const { image, cities } = props;
  const hasGps = image.lat !== null && image.lon !== null;
  const nearest =
    image.lat !== null && image.lon !== null
      ? nearestCity({ lat: image.lat, lon: image.lon }, cities)
      : null;
  return (
    <section className="photo-facts" data-testid="photo-facts" aria-label="Photo facts">
      <h3>Photo</h3>
      <dl className="facts">
        <dt>Taken</dt>
        <dd data-testid="fact-taken">{formatTime(image.takenAt)}</dd>
        <dt>GPS</dt>
        <dd data-testid="fact-gps">{formatLatLon(image.lat, image.lon)}</dd>
        <dt>Size</dt>
        <dd>
          {image.width} × {image.height} px · {formatBytes(image.bytes)}
        </dd>
        <dt>Format</dt>
        <dd>{image.format.toUpperCase()}</dd>
        <dt>Source</dt>
        <dd className="break">{image.source === '' ? '—' : image.source}</dd>
      </dl>
      {hasGps && image.lat !== null && image.lon !== null && (
        <figure className="map-figure">
          <MiniMap lat={image.lat} lon={image.lon} cities={cities} />
          {nearest !== null && (
            <figcaption data-testid="map-nearest">
              Nearest library city: <strong>{nearest.city.name}</strong>{' '}
              <span className="muted">({formatKm(nearest.km)})</span>
            </figcaption>
          )}
        </figure>
      )}
    </section>
  );
}
