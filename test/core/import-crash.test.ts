import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createClient } from '../../src/shared/contract/client';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { assetFile } from '../../src/main/core/paths';
import { StudioCore } from '../../src/main/core/studio-core';
import { importAll, makeDistinctCopies, tempDir } from './helpers';

const PHOTOS = 120;

/** Starts the child import and SIGKILLs it once it has committed some images, but not all. */
async function importAndKill(
  dir: string,
  photos: string,
): Promise<{ pid: number; lastDone: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      join(__dirname, 'fixtures', 'import-child.ts'),
      dir,
      photos,
    ],
    // One file at a time keeps the child slow enough to be caught in the middle.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LP_IMPORT_CONCURRENCY: '1' } },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  let lastDone = 0;
  let committed = false;
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, a] = line.split(' ');
    if (kind === 'progress') lastDone = Number(a);
    if (kind === 'changed' && a === 'images') committed = true;
    if (kind === 'job' && a === 'done') break;
    if (committed && lastDone >= 8) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', 'the import finished before it could be killed');
  return { pid: child.pid as number, lastDone };
}

describe('import survives kill -9', () => {
  it('leaves a consistent library, and a re-run imports the rest without duplicates', async (t) => {
    const dir = tempDir(t, 'lp-kill-lib-');
    const photos = tempDir(t, 'lp-kill-photos-');
    await makeDistinctCopies(photos, PHOTOS, (i) =>
      join(i % 2 === 0 ? 'Paris' : 'London', `p${i}.jpg`),
    );

    const { pid } = await importAndKill(dir, photos);
    // A stray temp file as if written at the moment of the kill.
    writeFileSync(join(dir, 'cache', 'tmp', `${pid}-deadbeef.norm.tmp`), 'half');

    // Inspect the raw database before the app touches it again.
    const db = new Database(join(dir, 'library.sqlite'));
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const rows = db
      .prepare('SELECT id, content_hash AS hash, city_id, split FROM images')
      .all() as {
      id: number;
      hash: string;
      city_id: number | null;
      split: string | null;
    }[];
    assert.ok(rows.length > 0 && rows.length < PHOTOS, `${rows.length} of ${PHOTOS} committed`);
    for (const row of rows) {
      // Every committed row has its norm image (thumbnails are made later, when shown).
      assert.ok(
        existsSync(assetFile(join(dir, 'cache'), 'norm', row.hash)),
        `image ${row.id} lacks its norm image`,
      );
      // Row, label and split were committed together.
      assert.ok(
        row.city_id !== null && row.split !== null,
        `image ${row.id} lacks its label or split`,
      );
    }
    const labelRows = db.prepare('SELECT COUNT(*) AS n FROM labels').get() as { n: number };
    assert.equal(labelRows.n, rows.length);
    const job = db.prepare('SELECT status FROM jobs').get() as { status: string };
    assert.equal(job.status, 'running');
    db.close();

    // Re-open: the dead job is marked interrupted, its temp files go; re-run imports the rest.
    const core = new StudioCore({ version: 'test' });
    t.after(() => core.close());
    const client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir });
    const jobs = await client.call('jobs.list', {});
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['interrupted'],
    );
    assert.deepEqual(readdirSync(join(dir, 'cache', 'tmp')), []);

    const { report } = await importAll(client, { paths: [photos] });
    assert.equal(report.alreadyPresent, rows.length);
    assert.equal(report.imported, PHOTOS - rows.length);
    assert.equal(report.duplicates, 0);
    assert.deepEqual(report.errors, []);
    const stats = await client.call('library.stats', {});
    assert.equal(stats.images, PHOTOS);
    assert.deepEqual([stats.cities.Paris, stats.cities.London], [PHOTOS / 2, PHOTOS / 2]);
    const check = core.db().pragma('integrity_check', { simple: true });
    assert.equal(check, 'ok');
  });
});
