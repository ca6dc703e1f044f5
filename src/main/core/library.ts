import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { LibraryInfo } from '../../shared/contract/library-types';
import { migrate } from './db/migrate';
import type { Migration } from './db/migration';
import { MIGRATIONS } from './db/migrations';
import { closeDatabase, openDatabase, refreshPlannerStats } from '../platform/open-database';
import { Sql } from './db/sql';
import { libraryPaths, processAlive, type LibraryPaths } from './paths';
import { readSettings, type LibrarySettings } from './repo/settings';

export type OpenLibraryOptions = {
  create: boolean;
  /** Tests pass their own list; the app always uses MIGRATIONS. */
  migrations?: readonly Migration[];
};

/**
 * One library = one folder: `library.sqlite` plus the content-addressed `cache/`. Opening runs the
 * migrations, marks jobs a dead process left 'running' as 'interrupted' and removes temp files a
 * killed import left behind. Originals are only ever read.
 */
export class Library {
  readonly paths: LibraryPaths;
  readonly sql: Sql;
  readonly schemaVersion: number;

  private constructor(
    paths: LibraryPaths,
    readonly db: Database.Database,
    schemaVersion: number,
  ) {
    this.paths = paths;
    this.sql = new Sql(db);
    this.schemaVersion = schemaVersion;
  }

  static open(dir: string, options: OpenLibraryOptions): Library {
    const paths = libraryPaths(resolve(dir));
    if (existsSync(paths.dir) && !statSync(paths.dir).isDirectory()) {
      throw new AppError('BAD_ARGUMENT', `${paths.dir} is a file, not a library folder.`, {
        dir: paths.dir,
      });
    }
    if (!existsSync(paths.dbPath)) {
      if (!options.create) {
        throw new AppError(
          'LIBRARY_NOT_FOUND',
          `No library in ${paths.dir} (no ${'library.sqlite'} there). Open it with create to make one.`,
          { dir: paths.dir },
        );
      }
      mkdirSync(paths.dir, { recursive: true });
    }

    let db: Database.Database | null = null;
    try {
      db = openDatabase(paths.dbPath);
      const { version } = migrate(db, options.migrations ?? MIGRATIONS);
      refreshPlannerStats(db);
      for (const sub of ['norm', 'thumb', 'tmp']) {
        mkdirSync(join(paths.cacheDir, sub), { recursive: true });
      }
      const library = new Library(paths, db, version);
      library.recoverFromCrash();
      return library;
    } catch (error) {
      db?.close();
      if (error instanceof AppError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError('IO_ERROR', `Cannot open the library in ${paths.dir}: ${message}`, {
        dir: paths.dir,
      });
    }
  }

  settings(): LibrarySettings {
    return readSettings(this.sql);
  }

  info(): LibraryInfo {
    const settings = this.settings();
    return {
      dir: this.paths.dir,
      dbPath: this.paths.dbPath,
      schemaVersion: this.schemaVersion,
      createdAt: settings.createdAt,
      splitConfig: settings.split,
    };
  }

  close(): void {
    closeDatabase(this.db);
  }

  /**
   * A process killed mid-job leaves its job row 'running' and maybe half-written temp files. Rows
   * and files of processes that no longer exist (or of this process, which has just opened the
   * library and so runs nothing in it yet) are cleaned up; those of a live process are left alone.
   */
  private recoverFromCrash(): void {
    const stale = (pid: number | null): boolean =>
      pid === null || pid === process.pid || !processAlive(pid);
    const now = new Date().toISOString();
    const open = this.sql.all<{ id: string; owner_pid: number | null }>(
      "SELECT id, owner_pid FROM jobs WHERE status IN ('queued', 'running')",
    );
    this.sql.transaction(() => {
      for (const job of open.filter((j) => stale(j.owner_pid))) {
        this.sql.run(
          `UPDATE jobs SET status = 'interrupted', updated_at = ?, finished_at = ? WHERE id = ?`,
          [now, now, job.id],
        );
        this.sql.run(
          `UPDATE import_runs SET status = 'interrupted', finished_at = ?
           WHERE job_id = ? AND finished_at IS NULL`,
          [now, job.id],
        );
      }
    });

    for (const name of readdirSync(this.paths.tmpDir)) {
      const pid = Number.parseInt(name.split('-')[0] ?? '', 10);
      if (Number.isNaN(pid) || stale(pid)) {
        rmSync(join(this.paths.tmpDir, name), { force: true });
      }
    }
  }
}
