import type { ParamsIn } from '../../../shared/contract/methods';
import type { LabelSource, Split } from '../../../shared/contract/library-types';

export type ImageFilters = {
  city: string | null;
  split: Split | null;
  labeled: boolean | null;
  labelSource: LabelSource | null;
  search: string;
};

export const NO_FILTERS: ImageFilters = {
  city: null,
  split: null,
  labeled: null,
  labelSource: null,
  search: '',
};

export function listParams(
  filters: ImageFilters,
  cursor: number | null,
  limit: number,
): ParamsIn<'images.list'> {
  const search = filters.search.trim();
  return {
    cursor,
    limit,
    city: filters.city,
    split: filters.split,
    labeled: filters.labeled,
    labelSource: filters.labelSource,
    search: search === '' ? null : search,
  };
}

export function filtersKey(filters: ImageFilters): string {
  return JSON.stringify(listParams(filters, null, 1));
}
