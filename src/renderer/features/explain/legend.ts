// What the heatmap's colours mean, in words, for each method: the legend beside the overlay.
import type { ExplainMethod } from '../../../shared/contract/ml-types';
import { pct } from '../../ui/format';
import type { Range } from '../../../shared/domain/heatmap/heat-pixels';

export const METHOD_LABELS: Record<ExplainMethod, string> = {
  occlusion: 'Occlusion',
  inclusion: 'Inclusion',
  gradcam: 'Grad-CAM',
};

export type LegendText = { title: string; low: string; high: string; meaning: string };

export function legendText(
  method: ExplainMethod,
  city: string,
  range: Range,
  box: number | null,
): LegendText {
  const square = box === null ? 'a square' : `a ${box}-pixel square`;
  switch (method) {
    case 'occlusion':
      return {
        title: `Drop in P(${city})`,
        low: pct(range.lo),
        high: pct(range.hi),
        meaning: `How much the probability of ${city} falls when ${square} of grey hides this spot. Hotter = the model leans on it more.`,
      };
    case 'inclusion':
      return {
        title: `P(${city}) with only this square shown`,
        low: pct(range.lo),
        high: pct(range.hi),
        meaning: `The probability of ${city} when only ${square} around this spot is visible and the rest is grey. Hotter = this spot alone says ${city}.`,
      };
    case 'gradcam':
      return {
        title: `Relative evidence for ${city}`,
        low: '0',
        high: range.hi > 0 ? '1 (strongest)' : '0 (none)',
        meaning: `Grad-CAM: the last convolutional block's activations weighted by their gradient for ${city}, relative to this map's strongest spot.`,
      };
  }
}
