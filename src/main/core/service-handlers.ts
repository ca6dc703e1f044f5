import { collectMethods } from '../../shared/contract/collect-methods';
import { AppError } from '../../shared/contract/errors';
import { geoMethods } from '../../shared/contract/geo-methods';
import { labelQueueMethods } from '../../shared/contract/label-queue-methods';
import { libraryMethods } from '../../shared/contract/library-methods';
import { methods, type Handlers } from '../../shared/contract/methods';
import { studyMethods } from '../../shared/contract/study-methods';

export type LibraryMethodName = keyof typeof libraryMethods;
/** Studies are plain SQLite work, so the core implements them too (src/main/core/study). */
export type StudyMethodName = keyof typeof studyMethods;
/** Geolocation batches: SQLite plus jobs that use the ML host (src/main/core/geolocate). */
export type GeoMethodName = keyof typeof geoMethods;
/** Photo collectors (Street View, Mapillary): HTTP plus jobs (src/main/core/collect). */
export type CollectMethodName = keyof typeof collectMethods;
/** The labeling queues: SQLite plus jobs on the ML host (src/main/core/labeling). */
export type LabelQueueMethodName = keyof typeof labelQueueMethods;

/** The methods StudioCore implements itself. */
export type LibraryHandlers = Pick<Handlers, LibraryMethodName>;

/**
 * Handlers of every contract method outside the photo library (the ML methods today). A service
 * supplies them through `StudioCoreOptions.services`, so the core does not depend on it.
 */
export type ServiceHandlers = Omit<
  Handlers,
  LibraryMethodName | StudyMethodName | GeoMethodName | CollectMethodName | LabelQueueMethodName
>;

/**
 * Stand-ins for a core started without services: each method answers BACKEND_UNAVAILABLE as data
 * instead of the door crashing on a missing handler.
 */
export function unavailableServiceHandlers(): ServiceHandlers {
  const entries = Object.keys(methods)
    .filter(
      (name) =>
        !Object.prototype.hasOwnProperty.call(libraryMethods, name) &&
        !Object.prototype.hasOwnProperty.call(studyMethods, name) &&
        !Object.prototype.hasOwnProperty.call(geoMethods, name) &&
        !Object.prototype.hasOwnProperty.call(collectMethods, name) &&
        !Object.prototype.hasOwnProperty.call(labelQueueMethods, name),
    )
    .map((name) => [
      name,
      () =>
        Promise.reject(
          new AppError(
            'BACKEND_UNAVAILABLE',
            `"${name}" needs the ML service, which this app core was started without.`,
            { method: name },
          ),
        ),
    ]);
  // Every remaining method name gets the same rejecting function, which fits any signature.
  return Object.fromEntries(entries) as ServiceHandlers;
}
