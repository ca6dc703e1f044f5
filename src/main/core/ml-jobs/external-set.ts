// An image set outside the library (the paper's Flickr test): folders whose sub-folders are city
// names and/or a CSV manifest, scanned and labelled exactly as import does (the same scanner: city
// folders, manifest cities, else the photo's GPS or the manifest position within a city radius).
// Nothing is added to the library; the ML host decodes and normalises the files itself.
import { readFile } from 'node:fs/promises';
import { nearestCityWithin } from '../../../shared/domain/geo';
import { readPhotoMeta } from '../import/exif';
import { scanInputs } from '../import/scan';
import type { Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import type { InferItem } from '../../ml-host/pipeline/types';
import { fileItem } from './ml-paths';

export type Skipped = { path: string; reason: string };

async function gpsOf(path: string): Promise<{ lat: number; lon: number } | null> {
  try {
    const meta = await readPhotoMeta(await readFile(path));
    return meta.lat !== null && meta.lon !== null ? { lat: meta.lat, lon: meta.lon } : null;
  } catch {
    // Unreadable files are reported by the host when it decodes them.
    return null;
  }
}

/** Labelled items of the model's classes, and everything else with the reason it was left out. */
export async function externalItems(
  sql: Sql,
  external: { paths: string[]; csv: string | null },
  classes: readonly string[],
  isCancelled: () => boolean,
): Promise<{ items: InferItem[]; skipped: Skipped[] }> {
  const cities = listCities(sql);
  const scan = await scanInputs({
    paths: external.paths,
    csv: external.csv,
    cityNames: cities.map((c) => c.name),
    excludeDirs: [],
    isCancelled,
    onFound: () => undefined,
  });
  const skipped: Skipped[] = [...scan.errors];
  const index = new Map(classes.map((c, i) => [c.toLowerCase(), i]));
  const items: InferItem[] = [];
  for (const c of scan.candidates) {
    if (isCancelled()) break;
    let city = c.label?.city ?? null;
    if (city === null) {
      const position = (await gpsOf(c.path)) ?? c.position;
      city = position === null ? null : (nearestCityWithin(position, cities)?.name ?? null);
    }
    if (city === null) {
      skipped.push({
        path: c.path,
        reason:
          'no city: not under a city-named folder, not labelled in the manifest, and no position within a city',
      });
      continue;
    }
    const label = index.get(city.toLowerCase());
    if (label === undefined) {
      skipped.push({
        path: c.path,
        reason: `labelled ${city}, which is not one of the model's cities (${classes.join(', ')})`,
      });
      continue;
    }
    items.push(fileItem(c.path, label));
  }
  return { items, skipped };
}

/** Files for prediction: folders are walked, files taken as given; labels do not matter. */
export async function predictionFiles(
  paths: readonly string[],
  isCancelled: () => boolean,
): Promise<{ files: string[]; errors: Skipped[] }> {
  if (paths.length === 0) return { files: [], errors: [] };
  const scan = await scanInputs({
    paths,
    csv: null,
    cityNames: [],
    excludeDirs: [],
    isCancelled,
    onFound: () => undefined,
  });
  return { files: scan.candidates.map((c) => c.path), errors: scan.errors };
}
