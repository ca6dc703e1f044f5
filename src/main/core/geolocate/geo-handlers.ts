// The geolocation methods of the contract. Placeholder wiring while the batch service is built:
// every method answers BACKEND_UNAVAILABLE. Replaced by the real handlers.
import { AppError } from '../../../shared/contract/errors';
import type { geoMethods } from '../../../shared/contract/geo-methods';
import type { Handlers } from '../../../shared/contract/methods';

export type GeoHandlers = Pick<Handlers, keyof typeof geoMethods>;

const unavailable = (): Promise<never> =>
  Promise.reject(new AppError('BACKEND_UNAVAILABLE', 'Geolocation batches are not built yet.'));

export function createGeoHandlers(): GeoHandlers {
  return {
    'geo.create': unavailable,
    'geo.resume': unavailable,
    'geo.list': unavailable,
    'geo.get': unavailable,
    'geo.update': unavailable,
    'geo.remove': unavailable,
    'geo.items': unavailable,
    'geo.review': unavailable,
    'geo.map': unavailable,
    'geo.export': unavailable,
  };
}
