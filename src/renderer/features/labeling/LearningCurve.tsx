import type { ControlCurve, CurvePoint } from '../../../shared/contract/label-queue-types';
import { pct } from '../../ui/format';
import { polylinePoints, type CurveBox } from './curve-path';

const BOX: CurveBox = { width: 360, height: 180, pad: 24 };

/**
 * Validation accuracy of each retrained head against the labels it learned from, and beside it,
 * when asked for, the random control (heads on random photos of the same counts).
 */
export function LearningCurve(props: {
  curve: readonly CurvePoint[];
  control: ControlCurve | null;
}) {
  const { curve, control } = props;
  const max = Math.max(
    1,
    ...curve.map((p) => p.labels),
    ...(control?.points.map((p) => p.labels) ?? []),
  );
  const lastPoint = curve[curve.length - 1];
  return (
    <figure className="label-curve" data-testid="label-curve" data-points={curve.length}>
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        width={BOX.width}
        height={BOX.height}
        role="img"
        aria-label="Validation accuracy against the number of labels"
      >
        <rect
          x={BOX.pad}
          y={BOX.pad}
          width={BOX.width - 2 * BOX.pad}
          height={BOX.height - 2 * BOX.pad}
          className="label-curve-frame"
        />
        <text x={4} y={BOX.pad + 4} className="label-curve-tick">
          100%
        </text>
        <text x={4} y={BOX.height - BOX.pad} className="label-curve-tick">
          0%
        </text>
        <text
          x={BOX.width - BOX.pad}
          y={BOX.height - 6}
          textAnchor="end"
          className="label-curve-tick"
        >
          {max} labels
        </text>
        {control !== null && (
          <g data-testid="label-curve-control" data-points={control.points.length}>
            <polyline
              className="label-curve-control"
              points={polylinePoints(control.points, max, BOX)}
            />
            {control.points.map((p) =>
              p.valAccuracy === null ? null : (
                <rect
                  key={p.labels}
                  className="label-curve-control-dot"
                  width={5}
                  height={5}
                  x={BOX.pad + (p.labels / max) * (BOX.width - 2 * BOX.pad) - 2.5}
                  y={BOX.pad + (1 - p.valAccuracy) * (BOX.height - 2 * BOX.pad) - 2.5}
                >
                  <title>{`random, ${p.labels} labels: ${pct(p.valAccuracy, 1)}`}</title>
                </rect>
              ),
            )}
          </g>
        )}
        <polyline className="label-curve-line" points={polylinePoints(curve, max, BOX)} />
        {curve.map((p) =>
          p.valAccuracy === null ? null : (
            <circle
              key={p.at}
              className="label-curve-dot"
              r={3}
              cx={BOX.pad + (p.labels / max) * (BOX.width - 2 * BOX.pad)}
              cy={BOX.pad + (1 - p.valAccuracy) * (BOX.height - 2 * BOX.pad)}
            >
              <title>{`${p.labels} labels: ${pct(p.valAccuracy, 1)} of ${p.valCount} validation photos`}</title>
            </circle>
          ),
        )}
      </svg>
      <figcaption className="small muted">
        {lastPoint === undefined
          ? 'The curve starts with the first retrain.'
          : `Latest: ${lastPoint.valAccuracy === null ? 'no validation photos' : pct(lastPoint.valAccuracy, 1)} with ${lastPoint.labels} labels.`}
        {control !== null && ' Dashed: random photos, same counts.'}
      </figcaption>
    </figure>
  );
}
