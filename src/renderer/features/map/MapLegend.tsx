import { circleRadius, legendStops, sizeLegend } from './map-scale';

/** What the circles mean: colour = mean confidence (a ramp), area = photos (three sizes). */
export function MapLegend(props: { maxCount: number }) {
  const stops = legendStops(5);
  const sizes = sizeLegend(props.maxCount);
  const width = 150;
  const cell = width / stops.length;
  const sizeBox = 2 * circleRadius(props.maxCount, props.maxCount) + 2;
  return (
    <div className="geomap-legend small" data-testid="map-legend">
      <figure>
        <figcaption>Mean confidence</figcaption>
        <svg viewBox={`0 0 ${width} 26`} width={width} height={26} aria-hidden="true">
          {stops.map((s, i) => (
            <rect key={s.value} x={i * cell} y={0} width={cell} height={12} fill={s.colour} />
          ))}
          <text x={0} y={24} className="geomap-legend-text">
            0%
          </text>
          <text x={width / 2} y={24} textAnchor="middle" className="geomap-legend-text">
            50%
          </text>
          <text x={width} y={24} textAnchor="end" className="geomap-legend-text">
            100%
          </text>
        </svg>
      </figure>
      {sizes.length > 0 && (
        <figure>
          <figcaption>Photos</figcaption>
          <svg
            viewBox={`0 0 ${sizes.length * (sizeBox + 24)} ${sizeBox}`}
            height={sizeBox * 2.2}
            aria-hidden="true"
          >
            {sizes.map((n, i) => {
              const r = circleRadius(n, props.maxCount);
              const cx = i * (sizeBox + 24) + sizeBox / 2;
              return (
                <g key={n}>
                  <circle className="geomap-legend-size" cx={cx} cy={sizeBox / 2} r={r} />
                  <text
                    x={cx + sizeBox / 2 + 2}
                    y={sizeBox / 2 + 2}
                    className="geomap-legend-size-text"
                  >
                    {n}
                  </text>
                </g>
              );
            })}
          </svg>
        </figure>
      )}
    </div>
  );
}
