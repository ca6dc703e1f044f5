import type Database from 'better-sqlite3';

/** Values SQLite accepts as bound parameters. */
export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = readonly SqlValue[] | Record<string, SqlValue>;

/** Queries slower than this are logged to stderr: the UI budget for a page of images is 20 ms. */
export const SLOW_QUERY_MS = 50;

/**
 * A thin wrapper over a better-sqlite3 connection: each SQL text is prepared once and reused, and
 * every call is timed so slow queries show up in the logs with their SQL.
 */
export class Sql {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    private readonly slowMs = SLOW_QUERY_MS,
  ) {}

  all<T>(sql: string, params: SqlParams = []): T[] {
    return this.timed(sql, () => this.bind(sql, params, (s, p) => s.all(...p)) as T[]);
  }

  get<T>(sql: string, params: SqlParams = []): T | undefined {
    return this.timed(sql, () => this.bind(sql, params, (s, p) => s.get(...p)) as T | undefined);
  }

  run(sql: string, params: SqlParams = []): Database.RunResult {
    return this.timed(sql, () => this.bind(sql, params, (s, p) => s.run(...p)));
  }

  /** Runs fn in a transaction (a savepoint when nested); rolls back if it throws. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private bind<R>(
    sql: string,
    params: SqlParams,
    call: (statement: Database.Statement, args: unknown[]) => R,
  ): R {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return call(statement, Array.isArray(params) ? [...(params as SqlValue[])] : [params]);
  }

  private timed<R>(sql: string, fn: () => R): R {
    const started = performance.now();
    try {
      return fn();
    } finally {
      const ms = performance.now() - started;
      if (ms > this.slowMs) {
        console.error(`slow query (${ms.toFixed(1)} ms): ${sql.replace(/\s+/g, ' ').trim()}`);
      }
    }
  }
}

const sqlCache = new WeakMap<Database.Database, Sql>();

/** One Sql wrapper (and so one set of prepared statements) per connection. */
export function sqlOf(db: Database.Database): Sql {
  let sql = sqlCache.get(db);
  if (sql === undefined) {
    sql = new Sql(db);
    sqlCache.set(db, sql);
  }
  return sql;
}
