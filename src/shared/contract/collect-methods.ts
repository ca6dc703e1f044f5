import { z } from 'zod';
import { plainName } from './names';
import { jobMethod, method } from './define';
import type { CollectKeyStatus, CollectRun } from './collect-types';
import { COLLECT_PROVIDERS } from './collect-types';

const provider = z.enum(COLLECT_PROVIDERS);
const runId = z.number().int().positive();
/** A box corner's longitude and latitude, and one camera heading (degrees). */
export const COLLECT_LON = z.number().min(-180).max(180);
export const COLLECT_LAT = z.number().min(-90).max(90);
export const COLLECT_HEADING = z.number().min(0).max(360);
/** At most this many fixed headings per point. */
export const COLLECT_MAX_HEADINGS = 36;

export const collectMethods = {
  /**
   * Starts collecting: for each library city, random points within radiusKm of its centre
   * (area-uniform, seeded), the free metadata lookup first (Street View) or a small box search
   * (Mapillary), then the photo, into `<destDir>/<City>/`, then the normal import. The key comes
   * from the secret store (collect.key.set), never from these parameters.
   */
  'collect.start': jobMethod('collect')(
    z
      .object({
        provider,
        cities: z.array(plainName()).min(1).max(100),
        count: z.number().int().min(1).max(100_000),
        radiusKm: z.number().gt(0).max(500).default(25),
        /** [minLon, minLat, maxLon, maxLat] instead of the disc; needs exactly one city. */
        bbox: z
          .tuple([COLLECT_LON, COLLECT_LAT, COLLECT_LON, COLLECT_LAT])
          .nullable()
          .default(null),
        /** The paper's 256x256; Street View allows up to 640 a side. */
        width: z.number().int().min(16).max(640).default(256),
        height: z.number().int().min(16).max(640).default(256),
        fov: z.number().min(1).max(120).default(90),
        headings: z
          .union([z.literal('random'), z.array(COLLECT_HEADING).min(1).max(COLLECT_MAX_HEADINGS)])
          .default('random'),
        pitch: z.number().min(-90).max(90).default(0),
        ratePerSecond: z.number().gt(0).max(100).default(5),
        /** Default: 10 points per wanted photo plus 20. */
        maxPointsPerCity: z.number().int().min(1).max(1_000_000).nullable().default(null),
        seed: z.number().int().min(0).max(0xffffffff).nullable().default(null),
        /** Default: `<library>/collected/<provider>/run-<id>`. */
        destDir: z.string().min(1).nullable().default(null),
      })
      .strict()
      .refine((p) => p.bbox === null || (p.bbox[0] < p.bbox[2] && p.bbox[1] < p.bbox[3]), {
        message: 'bbox is minLon,minLat,maxLon,maxLat with min < max',
      })
      .refine((p) => p.bbox === null || p.cities.length === 1, {
        message: 'a bbox labels its photos with one city: give exactly one',
      }),
  ),
  /** Continues a stopped, cancelled or failed run with the same points; done points are kept. */
  'collect.resume': jobMethod('collect')(z.object({ runId }).strict()),
  /** Past runs, newest first, with their counts per city. */
  'collect.runs': method<CollectRun[]>()(z.object({}).strict()),
  'collect.run': method<CollectRun>()(z.object({ runId }).strict()),
  /** Whether a key is set and where it is kept: never the key. */
  'collect.key.status': method<CollectKeyStatus>()(z.object({ provider }).strict()),
  'collect.key.set': method<CollectKeyStatus>()(
    z
      .object({
        provider,
        key: z
          .string()
          .trim()
          .min(8, 'that key is too short')
          .max(4096)
          .regex(/^[\x21-\x7e]+$/, 'a key is printable ASCII without spaces'),
        /**
         * Save the key to disk even where that only obfuscates it (see
         * CollectKeyStatus.weakDiskEncryption); elsewhere keys are saved encrypted regardless.
         */
        persist: z.boolean().default(false),
      })
      .strict(),
  ),
  'collect.key.clear': method<CollectKeyStatus>()(z.object({ provider }).strict()),
};
