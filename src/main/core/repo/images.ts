import { AppError } from '../../../shared/contract/errors';
import type {
  Correctness,
  ImageDetail,
  ImagePage,
  ImageSummary,
  LabelSource,
  Split,
} from '../../../shared/contract/library-types';
import type { Sql, SqlValue } from '../db/sql';
import { requireCity } from './cities';
import {
  PREDICTION_COLUMNS,
  predictionFilters,
  toPrediction,
  type PredictionColumns,
} from './latest-predictions';

export type ImageQuery = {
  cursor: number | null;
  limit: number;
  city: string | null;
  split: Split | null;
  labeled: boolean | null;
  labelSource: LabelSource | null;
  search: string | null;
  predicted: string | null;
  correctness: Correctness | null;
  minConfidence: number | null;
  maxConfidence: number | null;
  unknown: boolean | null;
};

type SummaryRow = {
  id: number;
  path: string;
  width: number;
  height: number;
  city: string | null;
  label_source: LabelSource | null;
  split: Split | null;
  taken_at: string | null;
  lat: number | null;
  lon: number | null;
  p_unknown: number | null;
} & PredictionColumns;

/**
 * Whether the latest prediction (`lp`) was answered "unknown": its stored oodScore above its
 * model's threshold, the user's (`unknown_threshold`) else the one fitted at training (in the
 * bundle metadata). Worked out at query time, so changing a threshold re-answers every photo at
 * once. The few models' thresholds are read first and inlined as a CASE on `lp.model_id`: parsing
 * a bundle's metadata for every row would cost more than the rest of a page. The expression is 1
 * or 0 (0 without a prediction, a score or a threshold: models trained before open-set answers).
 */
function latestUnknown(sql: Sql): { expr: string; args: SqlValue[] } {
  const thresholds = sql.all<{ id: string; threshold: number | null }>(
    `SELECT id, COALESCE(unknown_threshold, json_extract(meta_json, '$.openSet.threshold'))
       AS threshold FROM models`,
  );
  const args: SqlValue[] = [];
  for (const t of thresholds) if (t.threshold !== null) args.push(t.id, t.threshold);
  if (args.length === 0) return { expr: '0', args };
  const cases = 'WHEN ? THEN ? '.repeat(args.length / 2);
  return {
    expr: `IFNULL((SELECT p.ood_score FROM predictions p WHERE p.id = lp.prediction_id)
      > CASE lp.model_id ${cases}END, 0)`,
    args,
  };
}

/** The summary's columns; `unknown` is the expression of `latestUnknown` (its args go first). */
const summaryColumns = (unknown: string): string => `i.id, i.path, i.width, i.height,
  c.name AS city, i.label_source, i.split, i.taken_at, i.lat, i.lon, ${PREDICTION_COLUMNS},
  ${unknown} AS p_unknown`;

/** Every image query joins its current label's city and its latest prediction (if any). */
const SUMMARY_JOINS = `LEFT JOIN cities c ON c.id = i.city_id
  LEFT JOIN latest_predictions lp ON lp.image_id = i.id`;

const toSummary = (r: SummaryRow): ImageSummary => ({
  id: r.id,
  path: r.path,
  width: r.width,
  height: r.height,
  city: r.city,
  labelSource: r.label_source,
  split: r.split,
  takenAt: r.taken_at,
  lat: r.lat,
  lon: r.lon,
  prediction: toPrediction(r),
  unknown: r.p_unknown === 1,
});

/** `%`, `_` and the escape character itself are literal in a search, not wildcards. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** Above this many matches a search is cheaper as a scan in id order than through the index. */
const FTS_MAX_MATCHES = 5000;

/**
 * Case-insensitive substring search on the path. A term of 3+ characters that few paths contain
 * goes through the trigram index (a quoted FTS5 phrase: every character literal); a short or very
 * common term is a LIKE scan, which then fills a page after a few hundred rows anyway.
 */
function searchFilter(sql: Sql, search: string): { clause: string; arg: string } {
  if ([...search].length >= 3) {
    const phrase = `"${search.replace(/"/g, '""')}"`;
    const matches =
      sql.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM images_fts WHERE images_fts MATCH ? LIMIT ?)',
        [phrase, FTS_MAX_MATCHES + 1],
      )?.n ?? 0;
    if (matches <= FTS_MAX_MATCHES) {
      return {
        clause: 'i.id IN (SELECT rowid FROM images_fts WHERE images_fts MATCH ?)',
        arg: phrase,
      };
    }
  }
  return { clause: "i.path LIKE ? ESCAPE '\\'", arg: likePattern(search) };
}

/**
 * One page of images in id order (keyset paging: `cursor` is the last id already seen), with the
 * total matching the filters. Each filter is a column of `images` with an index that ends in `id`,
 * so the page is a short range scan at any library size; the labeled filter is written exactly as
 * the expression index `images_labeled` so SQLite can use it.
 */
export function listImages(sql: Sql, q: ImageQuery): ImagePage {
  const where: string[] = [];
  const args: SqlValue[] = [];
  if (q.city !== null) {
    where.push('i.city_id = ?');
    args.push(requireCity(sql, q.city).id);
  }
  if (q.split !== null) {
    where.push('i.split = ?');
    args.push(q.split);
  }
  if (q.labeled !== null) {
    where.push('(i.city_id IS NOT NULL) = ?');
    args.push(q.labeled ? 1 : 0);
  }
  if (q.labelSource !== null) {
    where.push('i.label_source = ?');
    args.push(q.labelSource);
  }
  if (q.search !== null) {
    const { clause, arg } = searchFilter(sql, q.search);
    where.push(clause);
    args.push(arg);
  }
  const unknown = latestUnknown(sql);
  const byPrediction = predictionFilters(q);
  if (q.unknown !== null) {
    // Like the other prediction filters it leaves out images without a prediction (it joins
    // latest_predictions); the expression's own arguments come before the value compared.
    byPrediction.where.push(`${unknown.expr} = ?`);
    byPrediction.args.push(...unknown.args, q.unknown ? 1 : 0);
  }
  const filter = [...where, ...byPrediction.where].join(' AND ') || '1';
  const filterArgs = [...args, ...byPrediction.args];

  const total = countImages(sql, where, args, byPrediction);
  const rows = sql.all<SummaryRow>(
    `SELECT ${summaryColumns(unknown.expr)}
     ${pageSource(where.length > 0, byPrediction.where.length > 0)}
     WHERE ${filter} AND ${ORDER_KEY(where.length > 0 || byPrediction.where.length === 0)} > ?
     ORDER BY ${ORDER_KEY(where.length > 0 || byPrediction.where.length === 0)} LIMIT ?`,
    [...unknown.args, ...filterArgs, q.cursor ?? 0, q.limit + 1],
  );
  const more = rows.length > q.limit;
  const items = (more ? rows.slice(0, q.limit) : rows).map(toSummary);
  return { items, total, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null };
}

const ORDER_KEY = (imagesFirst: boolean): string => (imagesFirst ? 'i.id' : 'lp.image_id');

/**
 * FROM clause of a page. SQLite does not carry the order of `lp.image_id` over to `i.id` through
 * the join, so left to itself it may walk a prediction index and sort every match. The join order
 * is therefore fixed (CROSS JOIN) and the keyset runs on the driving table's id: images first when
 * an image filter narrows them (a range scan of its index, one prediction lookup per row);
 * predictions first when only prediction filters apply (a range of `(city|correct, image_id)`).
 */
function pageSource(imageFilters: boolean, predictionFilters: boolean): string {
  if (!predictionFilters) return `FROM images i ${SUMMARY_JOINS}`;
  const join = imageFilters
    ? 'images i CROSS JOIN latest_predictions lp ON lp.image_id = i.id'
    : 'latest_predictions lp CROSS JOIN images i ON i.id = lp.image_id';
  return `FROM ${join} LEFT JOIN cities c ON c.id = i.city_id`;
}

/**
 * The filtered total. Prediction filters alone are counted from `latest_predictions`' indexes
 * without touching `images` (every row there belongs to an existing image); mixed filters join.
 */
function countImages(
  sql: Sql,
  where: readonly string[],
  args: readonly SqlValue[],
  byPrediction: { where: string[]; args: SqlValue[] },
): number {
  let query: string;
  if (byPrediction.where.length === 0) {
    query = `SELECT COUNT(*) AS n FROM images i WHERE ${where.join(' AND ') || '1'}`;
  } else if (where.length === 0) {
    query = `SELECT COUNT(*) AS n FROM latest_predictions lp WHERE ${byPrediction.where.join(' AND ')}`;
  } else {
    query = `SELECT COUNT(*) AS n FROM images i JOIN latest_predictions lp ON lp.image_id = i.id
      WHERE ${[...where, ...byPrediction.where].join(' AND ')}`;
  }
  return sql.get<{ n: number }>(query, [...args, ...byPrediction.args])?.n ?? 0;
}

type DetailRow = SummaryRow & {
  content_hash: string;
  source: string;
  format: string;
  bytes: number;
  imported_at: string;
};

export function getImage(sql: Sql, id: number): ImageDetail {
  const unknown = latestUnknown(sql);
  const row = sql.get<DetailRow>(
    `SELECT ${summaryColumns(unknown.expr)}, i.content_hash, i.source, i.format, i.bytes,
       i.imported_at
     FROM images i ${SUMMARY_JOINS} WHERE i.id = ?`,
    [...unknown.args, id],
  );
  if (row === undefined) throw new AppError('NOT_FOUND', `No image with id ${id}.`, { id });
  // History, oldest first; rows that cleared a label carry no city and are left out.
  const labels = sql.all<{ city: string; source: LabelSource; createdAt: string }>(
    `SELECT c.name AS city, l.source, l.created_at AS createdAt
     FROM labels l JOIN cities c ON c.id = l.city_id WHERE l.image_id = ? ORDER BY l.id`,
    [id],
  );
  return {
    ...toSummary(row),
    contentHash: row.content_hash,
    source: row.source,
    format: row.format,
    bytes: row.bytes,
    importedAt: row.imported_at,
    labels,
  };
}

export function contentHashOf(sql: Sql, id: number): string | null {
  return (
    sql.get<{ h: string }>('SELECT content_hash AS h FROM images WHERE id = ?', [id])?.h ?? null
  );
}
