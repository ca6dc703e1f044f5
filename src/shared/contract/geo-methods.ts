import { z } from 'zod';
import { plainName } from './names';
import { jobMethod, method } from './define';
import type {
  GeoBatchCreated,
  GeoBatchSummary,
  GeoExportResult,
  GeoItem,
  GeoItemsPage,
  GeoMap,
} from './geo-types';
import {
  GEO_EXPORT_FORMATS,
  GEO_EXPORT_SCOPES,
  GEO_ITEM_FILTERS,
  GEO_ITEM_ORDERS,
  GEO_MAP_PLACES,
  GEO_REVIEW_ACTIONS,
} from './geo-types';

const batchId = z.number().int().positive();
const modelId = z.string().min(1).max(100);
const cityName = plainName();
const unsureBelow = z.number().min(0).max(1);

export const geoMethods = {
  /**
   * Creates a geolocation batch and starts its job: imports the photos (unlabelled unless their
   * folder or GPS says otherwise), then predicts them in chunks, saving each chunk, so a killed
   * run resumes where it stopped. Photos with GPS are the ground truth of the batch's accuracy.
   */
  'geo.create': method<GeoBatchCreated>()(
    z
      .object({
        modelId,
        paths: z.array(z.string().min(1)).min(1).max(10_000),
        /** Default: the first folder's name and the date. */
        name: z.string().trim().min(1).max(200).nullable().default(null),
        unsureBelow: unsureBelow.default(0.5),
      })
      .strict(),
  ),
  /** Continues a batch whose job was cancelled or killed; photos already predicted are kept. */
  'geo.resume': jobMethod('geolocate')(z.object({ batchId }).strict()),
  'geo.list': method<GeoBatchSummary[]>()(z.object({}).strict()),
  'geo.get': method<GeoBatchSummary>()(z.object({ batchId }).strict()),
  'geo.update': method<GeoBatchSummary>()(
    z
      .object({
        batchId,
        name: z.string().trim().min(1).max(200).optional(),
        unsureBelow: unsureBelow.optional(),
      })
      .strict(),
  ),
  /** Forgets the batch and its reviews; photos, labels and predictions stay in the library. */
  'geo.remove': method<{ removed: number }>()(z.object({ batchId }).strict()),

  /** A page of the batch's photos: the review queue is `pending` or `unsure`, most sure first. */
  'geo.items': method<GeoItemsPage>()(
    z
      .object({
        batchId,
        filter: z.enum(GEO_ITEM_FILTERS).default('all'),
        /** Only photos placed at this city (by estimate, or by the reviewer's city). */
        city: cityName.nullable().default(null),
        order: z.enum(GEO_ITEM_ORDERS).default('confidence-desc'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),

  /**
   * Reviews one photo. accept: the model's city becomes the photo's label; correct: `city` does;
   * skip: no label; undo: back to pending, restoring the label the photo had before.
   */
  'geo.review': method<GeoItem>()(
    z
      .object({
        batchId,
        imageId: z.number().int().positive(),
        action: z.enum(GEO_REVIEW_ACTIONS),
        city: cityName.nullable().default(null),
      })
      .strict()
      .refine((p) => (p.action === 'correct') === (p.city !== null), {
        message: 'correct needs a city; the other actions take none',
      }),
  ),

  /** The batch's photos grouped by city, for the map. */
  'geo.map': method<GeoMap>()(
    z.object({ batchId, place: z.enum(GEO_MAP_PLACES).default('estimated') }).strict(),
  ),

  /**
   * Writes the batch's locations back (see GEO_EXPORT_FORMATS). Photos that already have GPS and
   * skipped photos are never written. `dest`: the file (csv, geojson) or folder (exif-copies);
   * `backupDir` is required for exif-originals.
   */
  'geo.export': method<GeoExportResult>()(
    z
      .object({
        batchId,
        format: z.enum(GEO_EXPORT_FORMATS),
        scope: z.enum(GEO_EXPORT_SCOPES).default('all'),
        dest: z.string().min(1).nullable().default(null),
        backupDir: z.string().min(1).nullable().default(null),
        confirmOriginals: z.boolean().default(false),
        /**
         * Also write photos answered "unknown" (none of the model's cities), marked as the
         * model's forced choice. Off by default; photos a reviewer accepted or corrected are
         * written either way.
         */
        includeUnknown: z.boolean().default(false),
      })
      .strict()
      .refine((p) => p.format !== 'exif-copies' || p.dest !== null, {
        message: 'exif-copies needs a destination folder (dest)',
      })
      .refine(
        (p) => p.format !== 'exif-originals' || (p.confirmOriginals && p.backupDir !== null),
        { message: 'writing into originals needs confirmOriginals: true and a backupDir' },
      ),
  ),
};
