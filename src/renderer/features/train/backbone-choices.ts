import type { BackboneSummary } from '../../../shared/contract/ml-types';
import { BUNDLED_BACKBONE } from '../../../shared/domain/bundled-backbone';

/**
 * The library's backbones, then the built-in one when the library has not imported it yet (the
 * first job that names it imports it from the app's assets): a fresh library can train at once.
 */
export function backboneChoices(backbones: BackboneSummary[]): { name: string; label: string }[] {
  const choices = backbones.map((b) => ({
    name: b.name,
    label: `${b.name} (${b.featureDim} features${b.name === BUNDLED_BACKBONE.name ? ', built in' : ''})`,
  }));
  if (!backbones.some((b) => b.name === BUNDLED_BACKBONE.name)) {
    choices.push({
      name: BUNDLED_BACKBONE.name,
      label: `${BUNDLED_BACKBONE.name} (built in, imported on first use)`,
    });
  }
  return choices;
}
