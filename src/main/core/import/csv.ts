import { dirname, isAbsolute, resolve } from 'node:path';
import type { ImportError } from '../../../shared/contract/library-types';
import { CsvSyntaxError, readCsvRows, type CsvRow } from '../csv/csv-text';

/** One photo named by a manifest: a city name, a position, or neither (imported unlabeled). */
export type ManifestEntry = {
  path: string;
  line: number;
  city: string | null;
  position: { lat: number; lon: number } | null;
};

const PATH_NAMES = ['path', 'file', 'filename', 'filepath', 'image', 'photo'];
const CITY_NAMES = ['city', 'label', 'class'];
const LAT_NAMES = ['lat', 'latitude'];
const LON_NAMES = ['lon', 'lng', 'long', 'longitude'];

function isNumber(text: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}

/**
 * Reads a manifest in one of two forms, `path,city` or `path,lat,lon`, with or without a header
 * row. Relative paths are relative to the manifest's folder. Bad rows become errors naming the
 * manifest line; they never stop the other rows.
 */
export function readManifest(
  csvPath: string,
  text: string,
): { entries: ManifestEntry[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const entries: ManifestEntry[] = [];
  const where = (line: number): string => `${csvPath}:${line}`;
  let rows: CsvRow[];
  try {
    rows = readCsvRows(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    errors.push({ path: where(error.line), reason: `not a CSV file: ${error.message}` });
    return { entries, errors };
  }

  let columns = { path: 0, city: -1, lat: -1, lon: -1 };
  const first = rows[0]?.cells.map((c) => c.trim().toLowerCase());
  const hasHeader =
    first !== undefined &&
    (PATH_NAMES.includes(first[0] ?? '') ||
      first.slice(1).some((c) => [...CITY_NAMES, ...LAT_NAMES, ...LON_NAMES].includes(c)));
  if (hasHeader && first !== undefined) {
    const find = (names: string[]): number => first.findIndex((c) => names.includes(c));
    columns = {
      path: Math.max(0, find(PATH_NAMES)),
      city: find(CITY_NAMES),
      lat: find(LAT_NAMES),
      lon: find(LON_NAMES),
    };
    if (columns.city < 0 && (columns.lat < 0 || columns.lon < 0)) {
      errors.push({
        path: where(rows[0]?.line ?? 1),
        reason: 'the header names neither a city column nor lat and lon columns',
      });
      return { entries, errors };
    }
  }

  for (const row of hasHeader ? rows.slice(1) : rows) {
    const cells = row.cells.map((c) => c.trim());
    let layout = columns;
    if (!hasHeader) {
      if (cells.length === 2) layout = { path: 0, city: 1, lat: -1, lon: -1 };
      else if (cells.length === 3 && isNumber(cells[1] ?? '') && isNumber(cells[2] ?? ''))
        layout = { path: 0, city: -1, lat: 1, lon: 2 };
      else {
        errors.push({
          path: where(row.line),
          reason: `expected "path,city" or "path,lat,lon", got ${cells.length} field(s)`,
        });
        continue;
      }
    }
    const rawPath = cells[layout.path] ?? '';
    if (rawPath === '') {
      errors.push({ path: where(row.line), reason: 'the path field is empty' });
      continue;
    }
    const path = isAbsolute(rawPath) ? rawPath : resolve(dirname(csvPath), rawPath);
    const city = layout.city >= 0 ? cells[layout.city] || null : null;
    let position: ManifestEntry['position'] = null;
    if (layout.lat >= 0 && layout.lon >= 0 && (cells[layout.lat] || cells[layout.lon])) {
      const lat = Number(cells[layout.lat]);
      const lon = Number(cells[layout.lon]);
      const valid =
        isNumber(cells[layout.lat] ?? '') &&
        isNumber(cells[layout.lon] ?? '') &&
        Math.abs(lat) <= 90 &&
        Math.abs(lon) <= 180;
      if (!valid) {
        errors.push({
          path,
          reason: `manifest line ${row.line}: "${cells[layout.lat]},${cells[layout.lon]}" is not a valid latitude,longitude`,
        });
        continue;
      }
      position = { lat, lon };
    }
    entries.push({ path, line: row.line, city, position });
  }
  return { entries, errors };
}
