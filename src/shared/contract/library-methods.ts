import { z } from 'zod';
import { optionalPlainName, plainName } from './names';
import { jobMethod, method } from './define';
import type {
  City,
  CityWithCount,
  ImageDetail,
  ImagePage,
  LibraryInfo,
  LibraryStats,
  SplitSummary,
} from './library-types';
import { CORRECTNESS, LABEL_SOURCES, SPLITS } from './library-types';
import type { JobInfo } from './job-types';

const empty = z.object({}).strict();
const ratio = z.number().min(0).max(1);

export const libraryMethods = {
  'app.info': method<{ version: string; libraryOpen: boolean; transport: string }>()(empty),

  /** Opens (and with `create`, creates) the library in `dir`. Closes any library already open. */
  'library.open': method<LibraryInfo>()(
    z.object({ dir: z.string().min(1), create: z.boolean().default(false) }).strict(),
  ),
  'library.info': method<LibraryInfo>()(empty),
  'library.stats': method<LibraryStats>()(empty),

  'images.list': method<ImagePage>()(
    z
      .object({
        /** Keyset paging: the `nextCursor` of the previous page. */
        cursor: z.number().int().nonnegative().nullable().default(null),
        limit: z.number().int().min(1).max(1000).default(200),
        city: z.string().min(1).nullable().default(null),
        split: z.enum(SPLITS).nullable().default(null),
        labeled: z.boolean().nullable().default(null),
        labelSource: z.enum(LABEL_SOURCES).nullable().default(null),
        /** Case-insensitive substring of the file path. */
        search: z.string().min(1).max(500).nullable().default(null),
        /** Images whose latest prediction's top city is this one (case-insensitive). */
        predicted: z.string().min(1).max(100).nullable().default(null),
        /** Latest prediction equals ('correct') or differs from the label; unlabeled left out. */
        correctness: z.enum(CORRECTNESS).nullable().default(null),
        /** Bounds (inclusive) on the latest prediction's top probability. */
        minConfidence: ratio.nullable().default(null),
        maxConfidence: ratio.nullable().default(null),
        /**
         * true: images whose latest prediction was answered "unknown" (its oodScore above its
         * model's threshold: like none of the model's cities); false: latest prediction answered
         * with a city. Images without a prediction are left out either way.
         */
        unknown: z.boolean().nullable().default(null),
      })
      .strict()
      .refine(
        (p) =>
          p.minConfidence === null ||
          p.maxConfidence === null ||
          p.minConfidence <= p.maxConfidence,
        { message: 'minConfidence must not be above maxConfidence' },
      ),
  ),
  'images.get': method<ImageDetail>()(z.object({ id: z.number().int().positive() }).strict()),

  /** A person labels images (or clears their label with `city: null`). */
  'labels.set': method<{ updated: number }>()(
    z
      .object({
        imageIds: z.array(z.number().int().positive()).min(1).max(100_000),
        city: z.string().min(1).nullable(),
      })
      .strict(),
  ),

  'cities.list': method<CityWithCount[]>()(empty),
  'cities.add': method<City>()(
    z
      .object({
        name: plainName(),
        country: optionalPlainName().default(''),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        radiusKm: z.number().positive().max(20_000).default(25),
      })
      .strict(),
  ),
  /** Removes a city; its labels go with it (the images stay, unlabeled). */
  'cities.remove': method<{ removed: string; labelsRemoved: number }>()(
    z.object({ name: z.string().min(1) }).strict(),
  ),

  /** Imports folders, files and/or a CSV manifest (`path,city` or `path,lat,lon`). */
  'import.start': jobMethod('import')(
    z
      .object({
        paths: z.array(z.string().min(1)).default([]),
        csv: z.string().min(1).nullable().default(null),
      })
      .strict()
      .refine((p) => p.paths.length > 0 || p.csv !== null, {
        message: 'give at least one path or a CSV manifest',
      }),
  ),

  /** (Re)assigns seeded, city-stratified splits to every labeled image. */
  'split.assign': method<SplitSummary>()(
    z
      .object({
        train: ratio.default(0.9),
        val: ratio.default(0.05),
        test: ratio.default(0.05),
        seed: z.number().int().nonnegative().default(1),
        spatialKm: z.number().positive().max(1000).nullable().default(null),
      })
      .strict()
      .refine((p) => Math.abs(p.train + p.val + p.test - 1) < 1e-6, {
        message: 'train + val + test must add up to 1',
      }),
  ),

  'jobs.list': method<JobInfo[]>()(empty),
  'jobs.get': method<JobInfo>()(z.object({ jobId: z.string().min(1) }).strict()),
  'jobs.cancel': method<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1) }).strict()),
};
