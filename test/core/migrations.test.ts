import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { AppError } from '../../src/shared/contract/errors';
import { PAPER_CITIES } from '../../src/shared/domain/cities';
import { latestVersion, migrate, migrationChecksum } from '../../src/main/core/db/migrate';
import type { Migration } from '../../src/main/core/db/migration';
import { MIGRATIONS } from '../../src/main/core/db/migrations';
import { Library } from '../../src/main/core/library';
import { StudioCore } from '../../src/main/core/studio-core';
import { tempDir } from './helpers';

const rejects = (fn: () => unknown, code: string, pattern: RegExp): void =>
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });

describe('library database and migrations', () => {
  it('creates a fresh library at the latest schema with the paper cities', (t) => {
    const dir = join(tempDir(t), 'new', 'nested');
    const library = Library.open(dir, { create: true });
    t.after(() => library.close());
    assert.equal(library.schemaVersion, latestVersion());
    assert.equal(library.db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(library.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(library.db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((library.db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
    const applied = library.db
      .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
      .all() as { version: number; name: string; checksum: string }[];
    assert.deepEqual(
      applied.map((r) => [r.version, r.name, r.checksum]),
      MIGRATIONS.map((m) => [m.version, m.name, migrationChecksum(m)]),
    );
    const cities = library.db.prepare('SELECT name FROM cities ORDER BY name').all() as {
      name: string;
    }[];
    assert.deepEqual(
      cities.map((c) => c.name),
      PAPER_CITIES.map((c) => c.name).sort((a, b) => a.localeCompare(b)),
    );
    assert.deepEqual(library.info().splitConfig, {
      train: 0.9,
      val: 0.05,
      test: 0.05,
      seed: 1,
      spatialKm: null,
    });
    for (const sub of ['norm', 'thumb', 'tmp']) assert.ok(existsSync(join(dir, 'cache', sub)));
  });

  it('re-opens without re-applying and keeps the data', (t) => {
    const dir = tempDir(t);
    const first = Library.open(dir, { create: true });
    first.sql.run("UPDATE cities SET country = 'kept' WHERE name = 'Paris'");
    const createdAt = first.info().createdAt;
    first.close();

    const db = new Database(join(dir, 'library.sqlite'));
    assert.deepEqual(migrate(db), { version: latestVersion(), applied: [] });
    db.close();

    const again = Library.open(dir, { create: false });
    t.after(() => again.close());
    assert.equal(again.info().createdAt, createdAt);
    assert.equal(
      again.sql.get<{ country: string }>("SELECT country FROM cities WHERE name = 'Paris'")
        ?.country,
      'kept',
    );
  });

  it('refuses a library written by a newer app (SCHEMA_TOO_NEW), through the core too', async (t) => {
    const dir = tempDir(t);
    Library.open(dir, { create: true }).close();
    const db = new Database(join(dir, 'library.sqlite'));
    db.pragma(`user_version = ${latestVersion() + 5}`);
    db.close();
    rejects(() => Library.open(dir, { create: false }), 'SCHEMA_TOO_NEW', /newer version/);

    const core = new StudioCore({ version: 't' });
    t.after(() => core.close());
    await assert.rejects(core.handlers['library.open']({ dir, create: false }), {
      code: 'SCHEMA_TOO_NEW',
    });
    assert.equal((await core.handlers['app.info']({})).libraryOpen, false);
  });

  it('detects an applied migration that was renamed or edited', (t) => {
    const dir = tempDir(t);
    Library.open(dir, { create: true }).close();
    const renamed: Migration[] = MIGRATIONS.map((m, i) =>
      i === 0 ? { ...m, name: `${m.name}-edited` } : m,
    );
    rejects(
      () => Library.open(dir, { create: false, migrations: renamed }),
      'INTERNAL',
      /applied as "001-library".*edited or renamed/,
    );
  });

  it('applies a new migration in a transaction and rolls back a failing one', (t) => {
    const dir = tempDir(t);
    Library.open(dir, { create: true }).close();
    const v = latestVersion() + 1;
    const failing: Migration = {
      version: v,
      name: `${v}-broken`,
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom in the middle');
      },
    };
    assert.throws(
      () => Library.open(dir, { create: false, migrations: [...MIGRATIONS, failing] }),
      /boom/,
    );
    const db = new Database(join(dir, 'library.sqlite'));
    t.after(() => db.close());
    assert.equal(db.pragma('user_version', { simple: true }), latestVersion());
    assert.deepEqual(
      db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half_done'").get(),
      { n: 0 },
    );

    const good: Migration = {
      version: v,
      name: `${v}-extra`,
      up(d) {
        d.exec('CREATE TABLE extra (x INTEGER)');
      },
    };
    const library = Library.open(dir, { create: false, migrations: [...MIGRATIONS, good] });
    t.after(() => library.close());
    assert.equal(library.schemaVersion, v);
    assert.deepEqual(library.sql.get('SELECT name FROM schema_migrations WHERE version = ?', [v]), {
      name: `${v}-extra`,
    });
  });

  it('rejects a migration list that is not numbered 1, 2, 3…', (t) => {
    const db = new Database(join(tempDir(t), 'x.sqlite'));
    t.after(() => db.close());
    const skip: Migration = { version: latestVersion() + 2, name: 'gap', up: () => undefined };
    rejects(() => migrate(db, [...MIGRATIONS, skip]), 'INTERNAL', /numbered/);
  });

  it('explains a missing library and a file that is not a database', (t) => {
    const dir = tempDir(t);
    rejects(
      () => Library.open(join(dir, 'nothing'), { create: false }),
      'LIBRARY_NOT_FOUND',
      /No library/,
    );
    const junk = join(dir, 'junk');
    Library.open(junk, { create: true }).close();
    writeFileSync(join(junk, 'library.sqlite'), 'this is not sqlite at all, just text'.repeat(200));
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(join(junk, `library.sqlite${suffix}`)))
        writeFileSync(join(junk, `library.sqlite${suffix}`), '');
    }
    rejects(() => Library.open(junk, { create: false }), 'IO_ERROR', /Cannot open the library/);
  });

  it('marks jobs of a dead process interrupted and removes its temp files', (t) => {
    const dir = tempDir(t);
    Library.open(dir, { create: true }).close();
    // A pid that certainly belonged to a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const db = new Database(join(dir, 'library.sqlite'));
    const now = new Date().toISOString();
    db.prepare(
      `INSERT INTO jobs (id, kind, status, params_json, owner_pid, created_at, updated_at)
       VALUES ('dead-job', 'import', 'running', '{}', ?, ?, ?)`,
    ).run(dead, now, now);
    db.close();
    const tmp = join(dir, 'cache', 'tmp', `${dead}-abc.norm.tmp`);
    writeFileSync(tmp, 'half a file');

    const library = Library.open(dir, { create: false });
    t.after(() => library.close());
    assert.equal(
      library.sql.get<{ status: string }>("SELECT status FROM jobs WHERE id = 'dead-job'")?.status,
      'interrupted',
    );
    assert.equal(existsSync(tmp), false);
  });
});
