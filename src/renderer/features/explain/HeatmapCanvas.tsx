import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExplainResult } from '../../../shared/contract/ml-types';
import { useStudio } from '../../app/studio-context';
import { cropRect, heatPixels, scaleRange } from '../../../shared/domain/heatmap/heat-pixels';

/**
 * The photo's 256x256 norm image with the heatmap drawn on a canvas over it. The grid covers only
 * the centre crop the model sees, so the overlay leaves the border of the photo untouched.
 * `data-drawn` counts finished draws so tests can wait for one instead of sleeping.
 */
export function HeatmapCanvas(props: {
  imageId: number;
  result: ExplainResult;
  opacity: number;
  size: number;
  testId: string;
}) {
  const { transport } = useStudio();
  const ref = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(0);
  const { result, opacity, size } = props;
  const range = useMemo(() => scaleRange(result.method, result.values), [result]);

  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx === null || ctx === undefined) return;
    const crop = cropRect(size, result.inputSize);
    ctx.clearRect(0, 0, size, size);
    const pixels = heatPixels(result, range, crop.size, opacity);
    ctx.putImageData(new ImageData(pixels, crop.size, crop.size), crop.offset, crop.offset);
    setDrawn((n) => n + 1);
  }, [result, range, opacity, size]);

  return (
    <div className="explain-figure" data-size={size}>
      <img
        src={transport.assetUrl('norm', props.imageId)}
        alt="The photo as the model sees it"
        width={size}
        height={size}
      />
      <canvas
        ref={ref}
        width={size}
        height={size}
        aria-label={`${result.method} heatmap for ${result.city}`}
        data-testid={props.testId}
        data-method={result.method}
        data-city={result.city}
        data-image-id={props.imageId}
        data-drawn={drawn}
      />
    </div>
  );
}
