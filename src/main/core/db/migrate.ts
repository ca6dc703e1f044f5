import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { Migration } from './migration';
import { MIGRATIONS } from './migrations';

/** What is stored per applied migration: a hash of its identity, compared on every open. */
export function migrationChecksum(migration: Pick<Migration, 'version' | 'name'>): string {
  return createHash('sha256').update(`${migration.version}:${migration.name}`).digest('hex');
}

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.length === 0 ? 0 : (migrations[migrations.length - 1] as Migration).version;
}

function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new AppError(
        'INTERNAL',
        `Migrations must be numbered 1, 2, 3… in order; entry ${i} is "${m.name}" with version ${m.version}.`,
      );
    }
  });
}

type AppliedRow = { version: number; name: string; checksum: string };

/**
 * Brings the database up to the newest schema this app knows. Each migration runs in its own
 * transaction together with its bookkeeping row and `PRAGMA user_version`, so a crash leaves the
 * database at a whole version. A database from a newer app is refused rather than guessed at, and
 * an applied migration whose name or number changed since fails loudly instead of drifting.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { version: number; applied: number[] } {
  checkList(migrations);
  const latest = latestVersion(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `This library was written by a newer version of LittlePlaNet Studio (schema ${current}; this app knows up to ${latest}). Update the app to open it.`,
      { schemaVersion: current, supported: latest },
    );
  }

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedRow[];
  const byVersion = new Map(applied.map((row) => [row.version, row]));
  for (const m of migrations.slice(0, current)) {
    const row = byVersion.get(m.version);
    if (row === undefined || row.checksum !== migrationChecksum(m)) {
      throw new AppError(
        'INTERNAL',
        row === undefined
          ? `The library says schema ${current} but has no record of migration ${m.version} ("${m.name}"); refusing to guess.`
          : `Migration ${m.version} was applied as "${row.name}" but this app calls it "${m.name}": an applied migration was edited or renamed.`,
        { version: m.version },
      );
    }
  }

  const insert = db.prepare(
    'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  );
  const done: number[] = [];
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      m.up(db);
      insert.run(m.version, m.name, migrationChecksum(m), new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    })();
    done.push(m.version);
  }
  return { version: latest, applied: done };
}
