import { useState } from 'react';
import type { GeoMapPlace } from '../../../shared/contract/geo-types';
import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { ErrorLine } from '../../ui/ErrorLine';
import { hashParam, navigate } from '../../ui/nav';
import { CityPhotos } from './CityPhotos';
import { GeoMapSvg } from './GeoMapSvg';
import { DataTable } from '../../ui/DataTable';
import { MapLegend } from './MapLegend';
import { mapColumns } from './map-table';
import { cityTooltip } from './map-scale';
import '../../ui/ml.css';
import '../predict/predict.css';
import '../geolocate/geolocate.css';
import './map.css';

const placedWords = (photos: number, cities: number): string =>
  `${photos} photo${photos === 1 ? '' : 's'} in ${cities} cit${cities === 1 ? 'y' : 'ies'}`;

const batchParam = (): number | null => {
  const n = Number(hashParam('batch'));
  return Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * Where a geolocation batch puts its photos, on an offline world map: one circle per city, at the
 * model's estimate or at the city the photo's GPS falls in.
 */
export function MapView() {
  const { client } = useStudio();
  const key = useRevisionKey('opened', 'images', 'labels', 'models');
  const batches = useLoad(() => client.call('geo.list', {}), key);
  const list = batches.value ?? [];
  const [picked, setPicked] = useState<number | null>(batchParam);
  const batch = list.find((b) => b.id === picked) ?? list[list.length - 1] ?? null;
  const [place, setPlace] = useState<GeoMapPlace>('estimated');
  const [city, setCity] = useState<string | null>(null);
  const map = useLoad(
    () =>
      batch === null ? Promise.resolve(null) : client.call('geo.map', { batchId: batch.id, place }),
    `${batch?.id ?? 0}:${place}:${key}`,
  );
  const cities = map.value?.cities ?? [];
  const maxCount = Math.max(0, ...cities.map((c) => c.count));
  const selected = cities.some((c) => c.city === city) ? city : null;

  return (
    <section className="view geomap-view" aria-labelledby="map-title">
      <header className="view-header">
        <h1 id="map-title">Map</h1>
        <p className="muted">
          Where a geolocation batch places its photos, drawn offline. Circle area is the number of
          photos, colour the model’s mean confidence; click a circle for its photos.
        </p>
      </header>
      {batches.error !== null && <ErrorLine error={batches.error} />}
      {batches.state === 'ready' && list.length === 0 ? (
        <div className="card empty-state" data-testid="map-empty">
          <p>
            No geolocation batch yet. Geolocate a folder of photos with a trained model and its
            photos appear here, one circle per city.
          </p>
          <div className="button-row">
            <button type="button" className="primary" onClick={() => navigate('geolocate')}>
              Geolocate photos
            </button>
            <button type="button" onClick={() => navigate('library')}>
              Open the Library
            </button>
          </div>
        </div>
      ) : (
        batch !== null && (
          <>
            <div className="card geomap-bar">
              <label className="field">
                <span>Batch</span>
                <select
                  value={batch.id}
                  onChange={(e) => {
                    setPicked(Number(e.target.value));
                    setCity(null);
                  }}
                  data-testid="map-batch"
                >
                  {list.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name} · {b.counts.photos} photos
                    </option>
                  ))}
                </select>
              </label>
              <fieldset className="geomap-place">
                <legend>Place photos at</legend>
                {(['estimated', 'gps'] as const).map((p) => (
                  <label key={p} className="checkbox">
                    <input
                      type="radio"
                      name="map-place"
                      checked={place === p}
                      onChange={() => {
                        setPlace(p);
                        setCity(null);
                      }}
                      data-testid={`map-place-${p}`}
                    />
                    {p === 'estimated' ? 'the model’s estimate' : 'their GPS city'}
                  </label>
                ))}
              </fieldset>
              <p className="muted small geomap-summary" data-testid="map-summary">
                {placedWords(
                  cities.reduce((n, c) => n + c.count, 0),
                  cities.length,
                )}
                {map.value !== null && map.value !== undefined && map.value.unplaced > 0 && (
                  <> · {map.value.unplaced} not placed</>
                )}
                {place === 'estimated' && (map.value?.unknown ?? 0) > 0 && (
                  <span data-testid="map-unknown" data-count={map.value?.unknown}>
                    {' '}
                    · {map.value?.unknown} photo{map.value?.unknown === 1 ? '' : 's'} answered
                    unknown (not on the map)
                  </span>
                )}
                {place === 'estimated' && batch.counts.skipped > 0 && (
                  <> · {batch.counts.skipped} skipped (not shown)</>
                )}
              </p>
            </div>
            {map.error !== null && <ErrorLine error={map.error} />}
            <div
              className="card geomap-card"
              data-testid="map-card"
              data-state={map.state}
              data-place={place}
            >
              <GeoMapSvg cities={cities} selected={selected} onSelect={setCity} />
              <MapLegend maxCount={maxCount} />
            </div>
            {selected !== null && (
              <CityPhotos
                key={`${batch.id}:${place}:${selected}`}
                batchId={batch.id}
                city={selected}
                place={place}
                onClose={() => setCity(null)}
              />
            )}
            <DataTable
              className="geomap-table"
              testId="map-table"
              caption="Photos per city"
              columns={mapColumns(setCity)}
              rows={[...cities].sort((a, b) => b.count - a.count)}
              rowKey={(c) => c.city}
              rowProps={(c) => ({ title: cityTooltip(c) })}
            />
          </>
        )
      )}
    </section>
  );
}
