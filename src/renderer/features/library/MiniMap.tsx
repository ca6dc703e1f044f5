import type { CityWithCount } from '../../../shared/contract/library-types';
import { MAP_HEIGHT, MAP_WIDTH, project } from './world-map';
import { WORLD_OUTLINE } from './world-outline';

const GRID_LATS = [-60, -30, 0, 30, 60];
const GRID_LONS = [-120, -60, 0, 60, 120];

const ringPath = (ring: readonly (readonly [number, number])[]): string =>
  ring
    .map(([lon, lat], i) => {
      const p = project(lat, lon);
      return `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`;
    })
    .join('') + 'Z';

// Computed once: the outline never changes.
const OUTLINE_PATH = WORLD_OUTLINE.map(ringPath).join('');

/** A small offline world map (inline SVG) with the library's cities and one position marked. */
export function MiniMap(props: { lat: number; lon: number; cities: readonly CityWithCount[] }) {
  const here = project(props.lat, props.lon);
  return (
    <svg
      className="mini-map"
      data-testid="detail-map"
      viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
      role="img"
      aria-label={`World map with the photo's position at ${props.lat.toFixed(2)}, ${props.lon.toFixed(2)}`}
    >
      <rect className="map-sea" width={MAP_WIDTH} height={MAP_HEIGHT} />
      {GRID_LATS.map((lat) => (
        <line
          key={`lat${lat}`}
          className="map-grid"
          x1={0}
          x2={MAP_WIDTH}
          y1={90 - lat}
          y2={90 - lat}
        />
      ))}
      {GRID_LONS.map((lon) => (
        <line
          key={`lon${lon}`}
          className="map-grid"
          y1={0}
          y2={MAP_HEIGHT}
          x1={lon + 180}
          x2={lon + 180}
        />
      ))}
      <path className="map-land" d={OUTLINE_PATH} />
      {props.cities.map((c) => {
        const p = project(c.lat, c.lon);
        return (
          <circle key={c.id} className="map-city" cx={p.x} cy={p.y} r={2}>
            <title>{c.name}</title>
          </circle>
        );
      })}
      <circle className="map-here" data-testid="map-dot" cx={here.x} cy={here.y} r={4.5} />
    </svg>
  );
}
