import { dirname, isAbsolute, resolve } from 'node:path';
import type { ImportError } from '../../../shared/contract/library-types';

/**
 * RFC 4180 CSV: quoted fields with "" escapes, commas and newlines inside quotes, CRLF or LF line
 * ends, an optional UTF-8 BOM. Returns rows with the 1-based line each started on.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = (): void => {
    cells.push(cell);
    if (cells.length > 1 || (cells[0] ?? '').trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

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
  const rows = parseCsv(text);
  const errors: ImportError[] = [];
  const entries: ManifestEntry[] = [];
  const where = (line: number): string => `${csvPath}:${line}`;

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
