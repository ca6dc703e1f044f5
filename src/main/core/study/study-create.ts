// study.create: choose the cities and freeze the photo pool. The model's answers are not worked
// out here (that is ML host work): the caller starts a predict job for the photos still missing one.
import { AppError } from '../../../shared/contract/errors';
import type { ParamsOut } from '../../../shared/contract/methods';
import { DEFAULT_STUDY_ROUNDS } from '../../../shared/contract/study-methods';
import type { Sql } from '../db/sql';
import { mulberry32, shuffleInPlace } from '../../../shared/domain/random';

type PoolImage = { id: number; path: string; city: string | null; split: string | null };

type ModelInfo = { id: string; classes: string[] | null; trainedHere: boolean };

function modelInfo(sql: Sql, id: string): ModelInfo {
  const row = sql.get<{ meta_json: string; run_job_id: string | null }>(
    'SELECT meta_json, run_job_id FROM models WHERE id = ?',
    [id],
  );
  if (row === undefined)
    throw new AppError('NOT_FOUND', `No model with id "${id}".`, { modelId: id });
  const meta = JSON.parse(row.meta_json) as { classes?: unknown };
  const classes =
    Array.isArray(meta.classes) && meta.classes.every((c) => typeof c === 'string')
      ? meta.classes
      : null;
  // A model trained here has a train run in this library: its training photos are the images
  // whose split is 'train' (splits are only reassigned on purpose, and the run records no list).
  return { id, classes, trainedHere: row.run_job_id !== null };
}

/** The study's cities, spelled as in the library; unknown names are a BAD_ARGUMENT. */
function resolveCities(sql: Sql, wanted: readonly string[] | null): string[] {
  const known = sql
    .all<{ name: string }>('SELECT name FROM cities ORDER BY name')
    .map((r) => r.name);
  if (wanted === null) return known;
  const byLower = new Map(known.map((n) => [n.toLowerCase(), n]));
  const unknown = wanted.filter((w) => !byLower.has(w.toLowerCase()));
  if (unknown.length > 0) {
    throw new AppError('BAD_ARGUMENT', `Unknown cities: ${unknown.join(', ')}. Add them first.`, {
      unknown,
    });
  }
  return [...new Set(wanted.map((w) => byLower.get(w.toLowerCase())!))];
}

const IMAGE_SELECT = `SELECT i.id, i.path, c.name AS city, i.split
  FROM images i LEFT JOIN cities c ON c.id = i.city_id`;

function fixedPool(sql: Sql, ids: readonly number[] | null, paths: readonly string[] | null) {
  const found: PoolImage[] = [];
  const missing: string[] = [];
  for (const key of ids ?? paths ?? []) {
    const row =
      typeof key === 'number'
        ? sql.get<PoolImage>(`${IMAGE_SELECT} WHERE i.id = ?`, [key])
        : sql.get<PoolImage>(`${IMAGE_SELECT} WHERE i.path = ?`, [key]);
    if (row === undefined) missing.push(String(key));
    else if (!found.some((f) => f.id === row.id)) found.push(row);
  }
  if (missing.length > 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${missing.length} photo(s) of the list are not in the library, e.g. ${missing.slice(0, 5).join(', ')}.`,
      { missing: missing.slice(0, 100) },
    );
  }
  return found;
}

export type StudyPlan = {
  cities: string[];
  pool: number[];
  rounds: number;
  warnings: string[];
};

/** Works out what study.create stores; throws BAD_ARGUMENT for a study nobody could play. */
export function planStudy(sql: Sql, p: ParamsOut<'study.create'>): StudyPlan {
  const model = p.modelId === null ? null : modelInfo(sql, p.modelId);
  const cities = resolveCities(sql, p.cities ?? model?.classes ?? null);
  if (cities.length < 2) throw new AppError('BAD_ARGUMENT', 'A study needs at least two cities.');
  const inStudy = new Set(cities);
  const warnings: string[] = [];
  const fixed = p.imageIds !== null || p.imagePaths !== null;
  let images: PoolImage[];
  if (fixed) {
    images = fixedPool(sql, p.imageIds, p.imagePaths);
    const unusable = images.filter((i) => i.city === null || !inStudy.has(i.city));
    if (unusable.length > 0) {
      throw new AppError(
        'BAD_ARGUMENT',
        `${unusable.length} photo(s) are unlabelled or labelled with a city outside the study, e.g. ${unusable[0]!.path}.`,
        { paths: unusable.slice(0, 100).map((i) => i.path) },
      );
    }
    if (model?.trainedHere === true) {
      for (const i of images.filter((x) => x.split === 'train')) {
        warnings.push(`the model was trained on ${i.path}`);
      }
    }
  } else {
    if (model?.trainedHere === true && p.split === 'train') {
      throw new AppError(
        'BAD_ARGUMENT',
        'The model was trained on the train split; use val or test.',
      );
    }
    images = sql
      .all<PoolImage>(`${IMAGE_SELECT} WHERE i.split = ? AND i.city_id IS NOT NULL ORDER BY i.id`, [
        p.split,
      ])
      .filter((i) => i.city !== null && inStudy.has(i.city));
  }
  if (images.length === 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      fixed
        ? 'The photo list is empty.'
        : `The ${p.split} split has no labelled photos of the study's cities; assign splits first.`,
    );
  }
  if (!fixed && p.paired) {
    // One seeded draw for everybody: the pool becomes a fixed list of `rounds` photos.
    const wanted = Math.min(p.rounds ?? DEFAULT_STUDY_ROUNDS, images.length);
    images = shuffleInPlace([...images], mulberry32(p.seed))
      .slice(0, wanted)
      .sort((a, b) => a.id - b.id);
  }
  let rounds = images.length;
  if (!fixed && !p.paired) {
    const wanted = p.rounds ?? DEFAULT_STUDY_ROUNDS;
    rounds = Math.min(wanted, images.length);
    // Only worth a word when the author asked for more; the default simply shrinks.
    if (p.rounds !== null && wanted > images.length) {
      warnings.push(
        `only ${images.length} photos available: ${rounds} rounds instead of ${wanted}`,
      );
    }
  } else if (p.rounds !== null && p.rounds !== images.length) {
    warnings.push(`a fixed list shows all its ${images.length} photos; --rounds ignored`);
  }
  return { cities, pool: images.map((i) => i.id), rounds, warnings };
}

/** Stores the study and its pool; returns its id. */
export function insertStudy(sql: Sql, p: ParamsOut<'study.create'>, plan: StudyPlan): number {
  return sql.transaction(() => {
    const fixed = p.imageIds !== null || p.imagePaths !== null || p.paired;
    const id = Number(
      sql.run(
        `INSERT INTO studies (name, model_id, cities_json, photo_source, photo_split, rounds, reveal,
                              time_limit_ms, consent_text, seed, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          p.name,
          p.modelId,
          JSON.stringify(plan.cities),
          fixed ? 'images' : 'split',
          fixed ? null : p.split,
          plan.rounds,
          p.reveal,
          p.timeLimitMs,
          p.consentText,
          p.seed,
          new Date().toISOString(),
        ],
      ).lastInsertRowid,
    );
    plan.pool.forEach((imageId, position) => {
      sql.run('INSERT INTO study_images (study_id, position, image_id) VALUES (?, ?, ?)', [
        id,
        position,
        imageId,
      ]);
    });
    return id;
  });
}
