import { useEffect, useRef } from 'react';
import type { ExplainResult } from '../../../shared/contract/ml-types';
import { rampPixels } from '../../../shared/domain/heatmap/colour-ramp';
import { scaleRange } from '../../../shared/domain/heatmap/heat-pixels';
import { legendText } from './legend';

const WIDTH = 200;
const HEIGHT = 12;

/** The colour scale with its value range and what the value means for this method. */
export function HeatLegend(props: { result: ExplainResult; compact?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { result } = props;
  const text = legendText(
    result.method,
    result.city,
    scaleRange(result.method, result.values),
    result.box,
  );

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx === null || ctx === undefined) return;
    ctx.putImageData(new ImageData(rampPixels(WIDTH, HEIGHT), WIDTH, HEIGHT), 0, 0);
  }, []);

  return (
    <div className="explain-legend" data-testid="heat-legend" data-method={result.method}>
      <p className="explain-legend-title">{text.title}</p>
      <canvas ref={ref} width={WIDTH} height={HEIGHT} aria-hidden="true" />
      <div className="explain-legend-range">
        <span data-testid="legend-low">{text.low}</span>
        <span data-testid="legend-high">{text.high}</span>
      </div>
      {props.compact !== true && <p className="muted small">{text.meaning}</p>}
    </div>
  );
}
