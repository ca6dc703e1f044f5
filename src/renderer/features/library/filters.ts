import type { ParamsIn } from '../../../shared/contract/methods';
import type { Correctness, LabelSource, Split } from '../../../shared/contract/library-types';

export type ImageFilters = {
  city: string | null;
  split: Split | null;
  labeled: boolean | null;
  labelSource: LabelSource | null;
  search: string;
  /** City of the latest prediction. */
  predicted: string | null;
  correctness: Correctness | null;
  /** Bounds on the latest prediction's probability, in percent (0–100) as typed; null = open. */
  minConfidencePct: number | null;
  maxConfidencePct: number | null;
  /** true: only the model's "unknown" answers (none of its cities); false: only city answers. */
  unknown: boolean | null;
};

export const NO_FILTERS: ImageFilters = {
  city: null,
  split: null,
  labeled: null,
  labelSource: null,
  search: '',
  predicted: null,
  correctness: null,
  minConfidencePct: null,
  maxConfidencePct: null,
  unknown: null,
};

/** A percentage as the 0..1 ratio the contract takes; out-of-range input is clamped, not an error. */
const ratio = (pct: number | null): number | null =>
  pct === null || Number.isNaN(pct) ? null : Math.min(1, Math.max(0, pct / 100));

export function listParams(
  filters: ImageFilters,
  cursor: number | null,
  limit: number,
): ParamsIn<'images.list'> {
  const search = filters.search.trim();
  let min = ratio(filters.minConfidencePct);
  let max = ratio(filters.maxConfidencePct);
  // Bounds typed the wrong way round still mean "between these two".
  if (min !== null && max !== null && min > max) [min, max] = [max, min];
  return {
    cursor,
    limit,
    city: filters.city,
    split: filters.split,
    labeled: filters.labeled,
    labelSource: filters.labelSource,
    search: search === '' ? null : search,
    // The prediction filters are sent only when set (the contract defaults them to null), so the
    // parameters of a plain listing stay as they were before these filters existed.
    ...(filters.predicted === null ? {} : { predicted: filters.predicted }),
    ...(filters.correctness === null ? {} : { correctness: filters.correctness }),
    ...(min === null ? {} : { minConfidence: min }),
    ...(max === null ? {} : { maxConfidence: max }),
    ...(filters.unknown === null ? {} : { unknown: filters.unknown }),
  };
}

export function filtersKey(filters: ImageFilters): string {
  return JSON.stringify(listParams(filters, null, 1));
}
