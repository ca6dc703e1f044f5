import type { GeoItemFilter } from '../../../shared/contract/geo-types';

/** Which photos of a batch the review queue shows. */
export const REVIEW_FILTERS: readonly { value: GeoItemFilter; label: string }[] = [
  { value: 'unsure', label: 'Unsure only' },
  { value: 'pending', label: 'Pending' },
  { value: 'all', label: 'All photos' },
  { value: 'reviewed', label: 'Reviewed' },
  { value: 'gps', label: 'With GPS' },
  { value: 'unknown', label: 'Unknown (none of the cities)' },
];
