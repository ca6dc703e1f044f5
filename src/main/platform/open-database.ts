import Database from 'better-sqlite3';

/** How long a writer waits for another connection (the import worker, a second app) to commit. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens a connection with the settings every connection to a library must share: WAL so the UI
 * reads while the import worker writes, foreign keys enforced, and a busy timeout instead of
 * instant SQLITE_BUSY errors when two connections write.
 */
/**
 * Refreshes the query planner's statistics for the images table when it has grown or shrunk a
 * lot since they were taken. Without statistics a filtered page at 100k images can pick a plan
 * ten times slower. Not `PRAGMA optimize`: it also analyses the full-text index's internal tables,
 * and statistics taken while those are nearly empty make every later insert slower as the index
 * grows (measured: 30 µs -> 340 µs per row at 100k rows).
 */
export function refreshPlannerStats(db: Database.Database): void {
  const rows = (db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
  let analysed: number | null = null;
  const hasStats = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    .get();
  if (hasStats !== undefined) {
    const row = db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'images' LIMIT 1").get() as
      { stat: string } | undefined;
    analysed = row === undefined ? null : Number.parseInt(row.stat, 10);
  }
  const stale =
    analysed === null ? rows >= STATS_MIN_ROWS : rows > analysed * 2 || rows * 2 < analysed;
  if (stale) db.exec('ANALYZE images; ANALYZE labels');
}

/** Below this many images every plan is fast; no statistics needed. */
const STATS_MIN_ROWS = 1000;

/** Closes a connection, first refreshing planner statistics its writes may have outdated. */
export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  try {
    if (!db.readonly) refreshPlannerStats(db);
  } finally {
    db.close();
  }
}

export function openDatabase(
  path: string,
  options: { readonly?: boolean } = {},
): Database.Database {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: false });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last
    // commits), and much faster than FULL for many small import transactions.
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
