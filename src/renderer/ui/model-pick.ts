import type { ModelSummary } from '../../shared/contract/ml-types';

/**
 * The model a picker shows: the one picked while it still exists, else the newest (first) one,
 * else '' when there is none. A removed model thus never stays selected.
 */
export function pickedModelId(models: readonly ModelSummary[], picked: string | null): string {
  return models.some((m) => m.id === picked) ? (picked ?? '') : (models[0]?.id ?? '');
}
