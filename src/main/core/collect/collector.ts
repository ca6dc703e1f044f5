import type { CollectOptions } from '../../../shared/contract/collect-types';
import type { CollectHttp } from './http';
import type { PlannedPoint } from './points';

/** One photo a service offers near a point. */
export type Found = {
  /** The service's own id: the Street View pano id, the Mapillary image id. */
  itemId: string;
  lat: number;
  lon: number;
  /** ISO date (or year-month for Street View), or null. */
  capturedAt: string | null;
  /** Attribution kept beside the file: the copyright line or the Mapillary creator. */
  credit: string;
  licence: string;
};

/** What a lookup found at a point. */
export type Lookup =
  | { kind: 'none' }
  /** Imagery exists, but every item there was already fetched (by this run or an earlier one). */
  | { kind: 'duplicate'; itemId: string }
  | { kind: 'found'; item: Found; download: () => Promise<Buffer> };

/** A service the run asks point by point. */
export type Collector = {
  lookup(point: PlannedPoint, isTaken: (itemId: string) => boolean): Promise<Lookup>;
};

export type CollectorContext = {
  http: CollectHttp;
  /** Origin (and optional path prefix) of the API, without a trailing slash. */
  baseUrl: string;
  key: string;
  options: CollectOptions;
};

export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
