// The photos of a batch as the review queue and the exports see them: filtered, ordered, paged.
import type {
  GeoItem,
  GeoItemFilter,
  GeoItemOrder,
  GeoItemsPage,
  GeoReviewState,
} from '../../../shared/contract/geo-types';
import type { CityProbability } from '../../../shared/contract/ml-types';
import type { Sql, SqlValue } from '../db/sql';
import { batchRow } from './geo-repo';

export type ItemRow = {
  image_id: number;
  path: string;
  paths_json: string;
  lat: number | null;
  lon: number | null;
  predicted_city: string | null;
  probability: number | null;
  top_json: string | null;
  gps_city: string | null;
  review: GeoReviewState;
  reviewed_city: string | null;
  unsure: number;
  ood_score: number | null;
  unknown: number;
};

/**
 * The files the batch was given with this photo's content, in path order (usually one; a batch
 * made of copies of library photos names the copies, not the library's paths).
 */
const GIVEN_PATHS = `(SELECT json_group_array(path) FROM (SELECT p.path FROM geo_batch_paths p
    WHERE p.batch_id = g.batch_id AND p.image_id = g.image_id ORDER BY p.path))`;

/**
 * A photo the model answered "unknown": its oodScore is above the batch's threshold (the one
 * parameter, NULL for models without open-set statistics, which never answer unknown).
 */
export const UNKNOWN_SQL = 'COALESCE(g.ood_score > ?, 0)';

/**
 * `unsure` and `unknown` need the batch's two thresholds (unsure_below, unknown_above) as the
 * first two parameters, before the WHERE's. `path` is the first file the batch was given.
 */
export const ITEM_SELECT = `SELECT g.image_id,
    COALESCE((SELECT MIN(p.path) FROM geo_batch_paths p
              WHERE p.batch_id = g.batch_id AND p.image_id = g.image_id), i.path) AS path,
    ${GIVEN_PATHS} AS paths_json, i.lat, i.lon, g.predicted_city, g.probability,
    g.top_json, g.gps_city, g.review, g.reviewed_city, g.ood_score,
    (g.review = 'pending' AND g.probability IS NOT NULL AND g.probability < ?) AS unsure,
    ${UNKNOWN_SQL} AS unknown
  FROM geo_batch_items g JOIN images i ON i.id = g.image_id`;

/** The parameters ITEM_SELECT starts with. */
export const itemSelectArgs = (batch: {
  unsure_below: number;
  unknown_above: number | null;
}): SqlValue[] => [batch.unsure_below, batch.unknown_above];

export function toItem(r: ItemRow): GeoItem {
  return {
    imageId: r.image_id,
    path: r.path,
    paths: givenPaths(r),
    predicted: r.predicted_city,
    probability: r.probability,
    top: r.top_json === null ? [] : (JSON.parse(r.top_json) as CityProbability[]),
    gps: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
    gpsCity: r.gps_city,
    review: r.review,
    reviewedCity: r.reviewed_city,
    unsure: r.unsure === 1,
    oodScore: r.ood_score,
    unknown: r.unknown === 1,
  };
}

function givenPaths(r: ItemRow): string[] {
  const paths = JSON.parse(r.paths_json) as string[];
  return paths.length === 0 ? [r.path] : paths;
}

const FILTERS: Record<GeoItemFilter, string> = {
  all: '1',
  pending: "g.review = 'pending'",
  unsure: "g.review = 'pending' AND g.probability < ?",
  reviewed: "g.review <> 'pending'",
  gps: 'i.lat IS NOT NULL',
  unknown: `${UNKNOWN_SQL} = 1`,
};

// Unpredicted photos (probability NULL) go last in both confidence orders; ties by id keep paging
// stable.
const ORDERS: Record<GeoItemOrder, string> = {
  'confidence-desc': 'g.probability IS NULL, g.probability DESC, g.image_id',
  'confidence-asc': 'g.probability IS NULL, g.probability ASC, g.image_id',
  // `path` is the result column: the first file given, which is the one the screen shows.
  path: 'path, g.image_id',
};

export type ItemsQuery = {
  batchId: number;
  filter: GeoItemFilter;
  city: string | null;
  order: GeoItemOrder;
  offset: number;
  limit: number;
};

export function batchItems(sql: Sql, q: ItemsQuery): GeoItemsPage {
  const batch = batchRow(sql, q.batchId);
  const where = ['g.batch_id = ?', FILTERS[q.filter]];
  const args: SqlValue[] = [q.batchId];
  if (q.filter === 'unsure') args.push(batch.unsure_below);
  if (q.filter === 'unknown') args.push(batch.unknown_above);
  if (q.city !== null) {
    // A reviewer's city wins over the model's; COALESCE drops the columns' NOCASE, so say it again.
    where.push('COALESCE(g.reviewed_city, g.predicted_city) = ? COLLATE NOCASE');
    args.push(q.city);
  }
  const clause = where.join(' AND ');
  const total =
    sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM geo_batch_items g JOIN images i ON i.id = g.image_id
       WHERE ${clause}`,
      args,
    )?.n ?? 0;
  const items = sql
    .all<ItemRow>(`${ITEM_SELECT} WHERE ${clause} ORDER BY ${ORDERS[q.order]} LIMIT ? OFFSET ?`, [
      ...itemSelectArgs(batch),
      ...args,
      q.limit,
      q.offset,
    ])
    .map(toItem);
  return { total, items };
}

export function batchItem(sql: Sql, batchId: number, imageId: number): ItemRow | undefined {
  const batch = batchRow(sql, batchId);
  return sql.get<ItemRow>(`${ITEM_SELECT} WHERE g.batch_id = ? AND g.image_id = ?`, [
    ...itemSelectArgs(batch),
    batchId,
    imageId,
  ]);
}
