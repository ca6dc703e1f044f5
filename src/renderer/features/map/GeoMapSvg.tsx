import { useEffect, useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { GeoMapCity } from '../../../shared/contract/geo-types';
import { landPath } from './basemap';
import { circleRadius, cityTooltip, confidenceColour } from './map-scale';
import { useZoomPan } from './use-zoom-pan';
import { fitView, project, WORLD_H, WORLD_VIEW, WORLD_W } from './viewport';

const GRID_LATS = [-60, -30, 0, 30, 60];
const GRID_LONS = [-150, -120, -90, -60, -30, 0, 30, 60, 90, 120, 150];

/**
 * The batch's cities as circles on the offline world map: area ∝ photos, colour = the model's mean
 * confidence. Wheel or the buttons zoom, a drag pans; a circle is a button (click, Enter or Space).
 */
export function GeoMapSvg(props: {
  cities: readonly GeoMapCity[];
  selected: string | null;
  onSelect: (city: string) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const zp = useZoomPan(svg);
  const { view } = zp;
  const land = useMemo(() => landPath(), []);
  const maxCount = Math.max(0, ...props.cities.map((c) => c.count));
  // A new set of cities (another batch or place) is framed once; the user's zoom is kept after.
  const frameKey = props.cities.map((c) => c.city).join('|');
  const setView = zp.setView;
  const cities = useRef(props.cities);
  cities.current = props.cities;
  useEffect(() => setView(fitView(cities.current)), [frameKey, setView]);

  // Bigger circles first, so a small one on top of a big one can still be clicked.
  const ordered = [...props.cities].sort((a, b) => b.count - a.count);
  const select = (city: string): void => {
    if (!zp.dragged()) props.onSelect(city);
  };
  const onKey = (e: KeyboardEvent<SVGGElement>, city: string): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    props.onSelect(city);
  };

  return (
    <div className="geomap" data-testid="geo-map" data-zoom={view.k.toFixed(2)}>
      <svg
        ref={svg}
        className="geomap-svg"
        viewBox={`0 0 ${WORLD_W} ${WORLD_H}`}
        role="group"
        aria-label="World map of the batch's photos. Scroll to zoom, drag to pan."
        {...zp.handlers}
      >
        <rect className="geomap-sea" width={WORLD_W} height={WORLD_H} />
        <g transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
          {GRID_LATS.map((lat) => (
            <line
              key={`lat${lat}`}
              className="geomap-grid"
              x1={0}
              x2={WORLD_W}
              y1={90 - lat}
              y2={90 - lat}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {GRID_LONS.map((lon) => (
            <line
              key={`lon${lon}`}
              className="geomap-grid"
              y1={0}
              y2={WORLD_H}
              x1={lon + 180}
              x2={lon + 180}
              vectorEffect="non-scaling-stroke"
            />
          ))}
          <path
            className="geomap-land"
            d={land}
            fillRule="evenodd"
            vectorEffect="non-scaling-stroke"
          />
        </g>
        {ordered.map((c) => {
          const p = project(c.lat, c.lon);
          const label = cityTooltip(c);
          return (
            <g
              key={c.city}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={props.selected === c.city}
              className={`geomap-city${props.selected === c.city ? ' geomap-city-on' : ''}`}
              data-testid="map-circle"
              data-city={c.city}
              data-count={c.count}
              data-correct={c.correct}
              data-wrong={c.wrong}
              onClick={() => select(c.city)}
              onKeyDown={(e) => onKey(e, c.city)}
            >
              <circle
                cx={p.x * view.k + view.x}
                cy={p.y * view.k + view.y}
                r={circleRadius(c.count, maxCount)}
                fill={confidenceColour(c.meanConfidence)}
              />
              <title>{label}</title>
            </g>
          );
        })}
      </svg>
      <div className="geomap-zoom" role="group" aria-label="Zoom">
        <button type="button" aria-label="Zoom in" onClick={() => zp.zoomBy(1.5)}>
          +
        </button>
        <button type="button" aria-label="Zoom out" onClick={() => zp.zoomBy(1 / 1.5)}>
          −
        </button>
        <button
          type="button"
          aria-label="Show the whole world"
          onClick={() => setView(WORLD_VIEW)}
          data-testid="map-reset"
        >
          ⤢
        </button>
      </div>
    </div>
  );
}
