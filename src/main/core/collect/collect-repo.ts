import { AppError, type AppErrorData } from '../../../shared/contract/errors';
import type {
  CollectCityCounts,
  CollectOptions,
  CollectOutcome,
  CollectProvider,
  CollectRun,
  CollectRunStatus,
} from '../../../shared/contract/collect-types';
import type { ImportReport } from '../../../shared/contract/library-types';
import type { Sql } from '../db/sql';
import type { PlannedPoint } from './points';

type RunRow = {
  id: number;
  provider: CollectProvider;
  options_json: string;
  seed: number;
  dest_dir: string;
  status: CollectRunStatus;
  job_id: string | null;
  error_json: string | null;
  import_json: string | null;
  created_at: string;
  updated_at: string;
  job_status: string | null;
};

export type PointRow = {
  id: number;
  city: string;
  seq: number;
  lat: number;
  lon: number;
  heading: number;
};

export type FetchedRow = {
  city: string;
  file: string;
  item_id: string;
  item_lat: number;
  item_lon: number;
  captured_at: string | null;
  credit: string | null;
};

const now = (): string => new Date().toISOString();

const RUN_SELECT = `SELECT r.*, j.status AS job_status FROM collect_runs r
  LEFT JOIN jobs j ON j.id = r.job_id`;

export function insertRun(sql: Sql, options: Omit<CollectOptions, 'destDir'>, destDir: string) {
  const at = now();
  return Number(
    sql.run(
      `INSERT INTO collect_runs (provider, options_json, seed, dest_dir, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'running', ?, ?)`,
      [options.provider, JSON.stringify({ ...options, destDir }), options.seed, destDir, at, at],
    ).lastInsertRowid,
  );
}

export function setRunJob(sql: Sql, runId: number, jobId: string): void {
  sql.run(
    `UPDATE collect_runs SET status = 'running', job_id = ?, error_json = NULL, updated_at = ?
     WHERE id = ?`,
    [jobId, now(), runId],
  );
}

export function finishRun(
  sql: Sql,
  runId: number,
  status: CollectRunStatus,
  error: AppErrorData | null,
  imported: ImportReport | null,
): void {
  sql.run(
    `UPDATE collect_runs SET status = ?, error_json = ?, import_json = COALESCE(?, import_json),
       updated_at = ? WHERE id = ?`,
    [
      status,
      error === null ? null : JSON.stringify({ code: error.code, message: error.message }),
      imported === null ? null : JSON.stringify(imported),
      now(),
      runId,
    ],
  );
}

/** A run whose job is no longer queued or running (the app was killed) reads as 'stopped'. */
function effectiveStatus(row: RunRow): CollectRunStatus {
  if (row.status !== 'running') return row.status;
  return row.job_status === 'running' || row.job_status === 'queued' ? 'running' : 'stopped';
}

export function cityCounts(sql: Sql, runId: number, options: CollectOptions): CollectCityCounts[] {
  const rows = sql.all<{ city: string; outcome: CollectOutcome | null; n: number }>(
    `SELECT city, outcome, COUNT(*) AS n FROM collect_points WHERE run_id = ?
     GROUP BY city, outcome`,
    [runId],
  );
  return options.cities.map((city) => {
    const counts: CollectCityCounts = {
      city,
      target: options.count,
      fetched: 0,
      noImagery: 0,
      duplicates: 0,
      failed: 0,
      points: 0,
    };
    for (const row of rows.filter((r) => r.city === city)) {
      counts.points += row.n;
      if (row.outcome === 'fetched') counts.fetched += row.n;
      else if (row.outcome === 'no-imagery') counts.noImagery += row.n;
      else if (row.outcome === 'duplicate') counts.duplicates += row.n;
      else if (row.outcome === 'failed') counts.failed += row.n;
    }
    return counts;
  });
}

function toRun(sql: Sql, row: RunRow): CollectRun {
  const options = JSON.parse(row.options_json) as CollectOptions;
  return {
    id: row.id,
    provider: row.provider,
    status: effectiveStatus(row),
    options,
    jobId: row.job_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    perCity: cityCounts(sql, row.id, options),
    error: row.error_json === null ? null : (JSON.parse(row.error_json) as CollectRun['error']),
    imported: row.import_json === null ? null : (JSON.parse(row.import_json) as ImportReport),
  };
}

export function getRun(sql: Sql, runId: number): CollectRun {
  const row = sql.get<RunRow>(`${RUN_SELECT} WHERE r.id = ?`, [runId]);
  if (row === undefined) {
    throw new AppError('NOT_FOUND', `No collect run ${runId} in this library.`, { runId });
  }
  return toRun(sql, row);
}

export function listRuns(sql: Sql, limit = 200): CollectRun[] {
  return sql
    .all<RunRow>(`${RUN_SELECT} ORDER BY r.id DESC LIMIT ?`, [limit])
    .map((row) => toRun(sql, row));
}

/** Points drawn but never answered (a killed or cancelled job), oldest first. */
export function pendingPoints(sql: Sql, runId: number, city: string): PointRow[] {
  return sql.all<PointRow>(
    `SELECT id, city, seq, lat, lon, heading FROM collect_points
     WHERE run_id = ? AND city = ? AND outcome IS NULL ORDER BY seq`,
    [runId, city],
  );
}

export function nextSeq(sql: Sql, runId: number, city: string): number {
  const row = sql.get<{ next: number | null }>(
    'SELECT MAX(seq) + 1 AS next FROM collect_points WHERE run_id = ? AND city = ?',
    [runId, city],
  );
  return row?.next ?? 0;
}

/** Stores a drawn point before it is asked about, so a killed run asks about it again. */
export function insertPoint(sql: Sql, runId: number, city: string, p: PlannedPoint): PointRow {
  const id = Number(
    sql.run(
      `INSERT INTO collect_points (run_id, city, seq, lat, lon, heading, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [runId, city, p.seq, p.lat, p.lon, p.heading, now()],
    ).lastInsertRowid,
  );
  return { id, city, seq: p.seq, lat: p.lat, lon: p.lon, heading: p.heading };
}

export function recordOutcome(
  sql: Sql,
  pointId: number,
  outcome: Exclude<CollectOutcome, 'fetched'>,
  reason: string | null,
  itemId: string | null = null,
): void {
  sql.run(
    `UPDATE collect_points SET outcome = ?, reason = ?, item_id = ?, updated_at = ? WHERE id = ?`,
    [outcome, reason, itemId, now(), pointId],
  );
}

export function isTaken(sql: Sql, provider: CollectProvider, itemId: string): boolean {
  return (
    sql.get('SELECT 1 FROM collect_items WHERE provider = ? AND item_id = ?', [
      provider,
      itemId,
    ]) !== undefined
  );
}

/**
 * Claims the item and records the point as fetched, in one transaction. False when the item was
 * claimed meanwhile (the UNIQUE key is the last word on duplicates).
 */
export function recordFetched(
  sql: Sql,
  provider: CollectProvider,
  runId: number,
  pointId: number,
  item: Omit<FetchedRow, 'city'>,
): boolean {
  return sql.transaction(() => {
    const claimed = sql.run(
      `INSERT OR IGNORE INTO collect_items (provider, item_id, run_id, created_at)
       VALUES (?, ?, ?, ?)`,
      [provider, item.item_id, runId, now()],
    );
    if (claimed.changes === 0) return false;
    sql.run(
      `UPDATE collect_points SET outcome = 'fetched', reason = NULL, item_id = ?, file = ?,
         item_lat = ?, item_lon = ?, captured_at = ?, credit = ?, updated_at = ? WHERE id = ?`,
      [
        item.item_id,
        item.file,
        item.item_lat,
        item.item_lon,
        item.captured_at,
        item.credit,
        now(),
        pointId,
      ],
    );
    return true;
  });
}

export function fetchedRows(sql: Sql, runId: number): FetchedRow[] {
  return sql.all<FetchedRow>(
    `SELECT city, file, item_id, item_lat, item_lon, captured_at, credit FROM collect_points
     WHERE run_id = ? AND outcome = 'fetched' ORDER BY id`,
    [runId],
  );
}
