import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectProvider } from '../../../shared/contract/collect-types';
import { csvText } from '../csv/csv-text';
import type { FetchedRow } from './collect-repo';

/**
 * A folder name for a city that every file system accepts. The import matches folder names to
 * cities loosely (case, accents, punctuation), so "Washington DC" stays readable and still labels.
 */
export function cityFolder(city: string): string {
  const name = [...city]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .trim();
  return name === '' || name.startsWith('.') ? `_${name}` : name;
}

/** The file of an item: the provider and its id, made safe (ids are opaque strings). */
export function itemFileName(provider: CollectProvider, itemId: string): string {
  const safe = itemId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);
  return `${provider}-${safe}.jpg`;
}

/** Writes the photo under a temporary name first, so a killed run never leaves half a JPEG. */
export function writePhoto(destDir: string, city: string, file: string, bytes: Buffer): string {
  const dir = join(destDir, cityFolder(city));
  mkdirSync(dir, { recursive: true });
  const target = join(dir, file);
  const temp = join(dir, `.${file}.part`);
  writeFileSync(temp, bytes);
  renameSync(temp, target);
  return `${cityFolder(city)}/${file}`;
}

export const MANIFEST_HEADER = [
  'path',
  'city',
  'lat',
  'lon',
  'provider',
  'item_id',
  'captured_at',
  'credit',
  'licence',
];

/**
 * `run-<id>.csv` beside the city folders: the import's manifest (path, city, lat, lon: the label
 * and the photo's real position) and the attribution the licences ask for (CC BY-SA for
 * Mapillary: creator, image id, capture date; Street View: copyright and date).
 */
export function writeManifest(
  destDir: string,
  runId: number,
  provider: CollectProvider,
  licence: string,
  rows: readonly FetchedRow[],
): string {
  mkdirSync(destDir, { recursive: true });
  const lines = rows.map((row) => [
    row.file,
    row.city,
    row.item_lat,
    row.item_lon,
    provider,
    row.item_id,
    row.captured_at,
    row.credit,
    licence,
  ]);
  const path = join(destDir, `run-${runId}.csv`);
  const temp = `${path}.part`;
  writeFileSync(temp, csvText(MANIFEST_HEADER, lines));
  renameSync(temp, path);
  return path;
}
