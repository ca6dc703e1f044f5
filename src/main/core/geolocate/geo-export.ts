// Writing a batch's locations back: one CSV / GeoJSON file, XMP sidecars beside the photos, JPEG
// copies with EXIF GPS, or (confirmed, with backups first) the originals themselves. Photos that
// carry their own GPS and skipped photos are never written; a photo that cannot be written is
// reported in `skipped` with the reason and the others go on.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type {
  GeoExportFormat,
  GeoExportResult,
  GeoExportScope,
} from '../../../shared/contract/geo-types';
import type { CityProbability } from '../../../shared/contract/ml-types';
import type { Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import { writeGpsCopy, writeGpsIntoOriginal, type GpsStamp } from './exif-gps';
import { geolocationCsv, geolocationGeoJson, type GeolocatedPhoto } from './exports';
import { UNKNOWN_SQL } from './geo-items';
import { batchRow, batchSources } from './geo-repo';
import { removeLeftTemps, tempPathFor } from './left-temps';
import { SidecarNamer, writeSidecar } from './xmp-sidecar';

export type ExportParams = {
  batchId: number;
  format: GeoExportFormat;
  scope: GeoExportScope;
  dest: string | null;
  backupDir: string | null;
  confirmOriginals: boolean;
  /** Also write photos the model answered "unknown" (marked as forced choices). */
  includeUnknown: boolean;
};

type Skipped = GeoExportResult['skipped'][number];

type Row = {
  path: string;
  lat: number | null;
  predicted_city: string | null;
  probability: number | null;
  top_json: string | null;
  review: string;
  reviewed_city: string | null;
  unknown: number;
};

/**
 * The photos the scope covers with the city each is written at: the reviewer's city when reviewed,
 * else the model's. `p` stays the model's probability of that city (0 when a reviewer chose a city
 * outside the model's top answers): the file says how sure the model was, not the person.
 */
export function exportRows(
  sql: Sql,
  batchId: number,
  scope: GeoExportScope,
  includeUnknown = false,
): { rows: GeolocatedPhoto[]; skipped: Skipped[]; modelId: string; sources: string[] } {
  const batch = batchRow(sql, batchId);
  const cities = new Map(listCities(sql).map((c) => [c.name.toLowerCase(), c]));
  const reviewedOnly = scope === 'reviewed' ? "AND g.review IN ('accepted', 'corrected')" : '';
  // One row per file the batch was given (a copy of a library photo is written beside the copy,
  // not beside the library's first path); copies share their photo's prediction and review.
  const found = sql.all<Row>(
    `SELECT COALESCE(p.path, i.path) AS path, i.lat, g.predicted_city, g.probability, g.top_json,
            g.review, g.reviewed_city, ${UNKNOWN_SQL} AS unknown
     FROM geo_batch_items g JOIN images i ON i.id = g.image_id
     LEFT JOIN geo_batch_paths p ON p.batch_id = g.batch_id AND p.image_id = g.image_id
     WHERE g.batch_id = ? AND g.review <> 'skipped'
       AND (g.predicted_city IS NOT NULL OR g.reviewed_city IS NOT NULL) ${reviewedOnly}
     ORDER BY path`,
    [batch.unknown_above, batchId],
  );
  const rows: GeolocatedPhoto[] = [];
  const skipped: Skipped[] = [];
  for (const r of found) {
    if (r.lat !== null) {
      skipped.push({ path: r.path, reason: 'the photo has its own GPS position' });
      continue;
    }
    // A reviewer's city stands; the model's "unknown" answers stay unwritten unless asked for.
    const forcedChoice = r.unknown === 1 && r.reviewed_city === null;
    if (forcedChoice && !includeUnknown) {
      skipped.push({
        path: r.path,
        reason:
          "answered unknown: the photo looks like none of the model's cities (include unknown photos to write the forced choice)",
      });
      continue;
    }
    const name = r.reviewed_city ?? r.predicted_city ?? '';
    const city = cities.get(name.toLowerCase());
    if (city === undefined) {
      skipped.push({ path: r.path, reason: `${name} is no longer one of the library's cities` });
      continue;
    }
    rows.push({
      path: r.path,
      city: city.name,
      country: city.country,
      p: modelProbability(r, city.name),
      lat: city.lat,
      lon: city.lon,
      review: r.review === 'accepted' || r.review === 'corrected' ? r.review : 'none',
      forcedChoice,
    });
  }
  return { rows, skipped, modelId: batch.model_id, sources: batchSources(batch) };
}

function modelProbability(r: Row, city: string): number {
  if (r.predicted_city !== null && r.predicted_city.toLowerCase() === city.toLowerCase()) {
    return r.probability ?? 0;
  }
  const top = r.top_json === null ? [] : (JSON.parse(r.top_json) as CityProbability[]);
  return top.find((t) => t.city.toLowerCase() === city.toLowerCase())?.probability ?? 0;
}

/**
 * Where a photo's copy goes: the same place under `dest` as the photo has under the batch folder
 * that holds it, so a tree of folders (each with its IMG_0001.jpg) stays a tree and every copy is
 * easy to match with its original. A photo given as a file, or found under another path (the
 * library had it already), goes to `dest` itself; clashing names get `-1`, `-2` there.
 */
export function copyFolder(photo: string, sources: readonly string[], dest: string): string {
  for (const source of sources) {
    const rel = relative(resolve(source), resolve(photo));
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return join(dest, dirname(rel));
  }
  return dest;
}

/** Writes `text` to `path` through a temporary file, so a reader never sees half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  removeLeftTemps(path);
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new AppError('IO_ERROR', `Cannot write ${path}: ${(error as Error).message}`, { path });
  }
}

const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export async function exportBatch(sql: Sql, params: ExportParams): Promise<GeoExportResult> {
  const { rows, skipped, modelId, sources } = exportRows(
    sql,
    params.batchId,
    params.scope,
    params.includeUnknown,
  );
  const base: GeoExportResult = {
    format: params.format,
    written: 0,
    skipped,
    files: [],
    dest: null,
    text: null,
    backupDir: null,
  };

  if (params.format === 'csv' || params.format === 'geojson') {
    const text =
      params.format === 'csv' ? geolocationCsv(rows, modelId) : geolocationGeoJson(rows, modelId);
    const dest = params.dest === null ? null : resolve(params.dest);
    if (dest !== null) await writeAtomically(dest, text);
    return { ...base, written: rows.length, dest, text };
  }

  const stamp = (r: GeolocatedPhoto): GpsStamp => ({
    lat: r.lat,
    lon: r.lon,
    city: r.city,
    country: r.country,
    confidence: r.p,
    modelId,
    review: r.review,
    forcedChoice: r.forcedChoice,
  });
  let written = 0;
  const files = base.files;
  const present = rows.filter((r) => {
    if (existsSync(r.path)) return true;
    skipped.push({ path: r.path, reason: 'the photo is no longer there' });
    return false;
  });

  if (params.format === 'xmp') {
    const namer = new SidecarNamer();
    for (const r of present) {
      try {
        const out = writeSidecar(r.path, stamp(r), namer);
        if (out.written) {
          written++;
          files.push({ path: r.path, file: out.path });
        } else skipped.push({ path: r.path, reason: out.reason ?? 'not written' });
      } catch (error) {
        skipped.push({ path: r.path, reason: reasonOf(error) });
      }
    }
    return { ...base, written };
  }

  if (params.format === 'exif-copies') {
    if (params.dest === null) {
      throw new AppError('BAD_ARGUMENT', 'exif-copies needs a destination folder (dest).');
    }
    const dest = resolve(params.dest);
    await mkdir(dest, { recursive: true });
    for (const r of present) {
      try {
        const file = await writeGpsCopy(r.path, copyFolder(r.path, sources, dest), stamp(r));
        files.push({ path: r.path, file });
        written++;
      } catch (error) {
        skipped.push({ path: r.path, reason: reasonOf(error) });
      }
    }
    return { ...base, written, dest };
  }

  if (!params.confirmOriginals || params.backupDir === null) {
    throw new AppError(
      'BAD_ARGUMENT',
      'Writing into originals needs confirmOriginals: true and a backup folder.',
    );
  }
  const backupDir = resolve(params.backupDir);
  await mkdir(backupDir, { recursive: true });
  for (const r of present) {
    try {
      await writeGpsIntoOriginal(r.path, backupDir, stamp(r));
      written++;
    } catch (error) {
      skipped.push({ path: r.path, reason: reasonOf(error) });
      continue;
    }
    await rememberRewrite(sql, r.path);
  }
  return { ...base, written, backupDir };
}

/**
 * The library knows a photo by its imported bytes; after our own lossless EXIF edit, its size and
 * time are recorded as the file's so a later import of the folder sees it as already present,
 * instead of "changed since it was imported" (or, worse, reading our estimate back as real GPS).
 * The content hash stays that of the imported version, which names its cache files.
 */
async function rememberRewrite(sql: Sql, path: string): Promise<void> {
  try {
    const info = await stat(path);
    sql.run('UPDATE images SET bytes = ?, mtime_ms = ? WHERE path = ?', [
      info.size,
      Math.floor(info.mtimeMs),
      path,
    ]);
  } catch {
    // The file was written; if it vanished since, the next import simply reports it missing.
  }
}
