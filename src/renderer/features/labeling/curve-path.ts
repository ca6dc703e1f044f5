// The learning curve's geometry, pure: label counts on x, validation accuracy (0–100%) on y.
export type CurveXY = { labels: number; valAccuracy: number | null };

export type CurveBox = { width: number; height: number; pad: number };

/** An SVG polyline `points` string for the curve's points with an accuracy, scaled to `box`. */
export function polylinePoints(
  points: readonly CurveXY[],
  maxLabels: number,
  box: CurveBox,
): string {
  const w = box.width - 2 * box.pad;
  const h = box.height - 2 * box.pad;
  return points
    .filter((p) => p.valAccuracy !== null)
    .map((p) => {
      const x = box.pad + (maxLabels <= 0 ? 0 : (p.labels / maxLabels) * w);
      const y = box.pad + (1 - (p.valAccuracy ?? 0)) * h;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
