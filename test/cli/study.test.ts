// `study create | import | results` end to end: the real CLI process on a small imported library.
// The model's rows are written straight into the database (no training needed).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, writeJpeg, type CliResult } from './run-cli';

type Json = Record<string, unknown>;

function json<T = Json>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

const CITIES = ['London', 'Paris', 'Sydney'];

void describe('study commands', () => {
  let root = '';
  let library = '';
  /** Imported path → its city. */
  const photos = new Map<string, string>();
  const cli = (...args: string[]): Promise<CliResult> =>
    runCli(['--library', library, ...args], root);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'lp-cli-study-'));
    library = join(root, 'library');
    let seed = 1;
    for (const city of CITIES) {
      mkdirSync(join(root, 'photos', city), { recursive: true });
      for (let i = 0; i < 3; i++) await writeJpeg(join(root, 'photos', city, `${i}.jpg`), seed++);
    }
    assert.equal(json(await cli('import', 'photos', '--json')).imported, 9);
    // Everything in test except London/0.jpg; a model trained here that always answers Paris.
    const db = new Database(join(library, 'library.sqlite'));
    try {
      const rows = db
        .prepare(
          'SELECT i.id, i.path, c.name AS city FROM images i JOIN cities c ON c.id = i.city_id',
        )
        .all() as { id: number; path: string; city: string }[];
      db.prepare(
        `INSERT INTO models (id, name, dir, backbone, meta_json, run_job_id, created_at)
         VALUES ('m1', 'm1', 'models/m1', 'b', ?, 'train-1', '2024-01-01T00:00:00Z')`,
      ).run(JSON.stringify({ classes: CITIES }));
      const insert = db.prepare(
        `INSERT INTO predictions (model_id, image_id, path, tta, top_json, created_at)
         VALUES ('m1', ?, ?, 'center', ?, '2024-01-01T00:00:00Z')`,
      );
      for (const r of rows) {
        photos.set(r.path, r.city);
        const train = r.path.endsWith(join('London', '0.jpg'));
        db.prepare('UPDATE images SET split = ? WHERE id = ?').run(train ? 'train' : 'test', r.id);
        insert.run(r.id, r.path, JSON.stringify([{ city: 'Paris', probability: 0.8 }]));
      }
    } finally {
      db.close();
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const pathOf = (city: string, i: number): string =>
    [...photos.keys()].find((p) => p.endsWith(join(city, `${i}.jpg`)))!;

  test('create from the test split, and from a fixed list with a warning', async () => {
    const split = json<{ id: number; rounds: number; images: number }>(
      await cli(
        'study',
        'create',
        '--name',
        'pilot',
        '--model',
        'm1',
        '--rounds',
        '4',
        '--seed',
        '3',
        '--json',
      ),
    );
    assert.equal(typeof split.id, 'number');
    assert.equal(split.rounds, 4);
    assert.equal(split.images, 8, 'the training photo is left out');

    const list = join(root, 'list.txt');
    writeFileSync(list, `${pathOf('London', 0)}\n${pathOf('Paris', 1)}\n`);
    const fixed = await cli(
      'study',
      'create',
      '--name',
      'fixed',
      '--model',
      'm1',
      '--images',
      list,
      '--json',
    );
    assert.equal(json<{ images: number }>(fixed).images, 2);
    assert.match(fixed.stderr, /warning: the model was trained on .*London.0\.jpg/);

    // --paired draws the rounds once: the study's pool is exactly those photos.
    const paired = json<{ rounds: number; images: number }>(
      await cli(
        'study',
        'create',
        '--name',
        'pair',
        '--model',
        'm1',
        '--rounds',
        '3',
        '--paired',
        '--json',
      ),
    );
    assert.deepEqual([paired.rounds, paired.images], [3, 3]);
  });

  test('import rejects bad rows by line, results report the paired statistics', async () => {
    const created = json<{ id: number }>(
      await cli('study', 'create', '--name', 'merge', '--model', 'm1', '--json'),
    );
    const id = String(created.id);
    const csv = join(root, 'trials.csv');
    writeFileSync(
      csv,
      [
        'participant,image,guess,response_ms,confidence',
        `A,${pathOf('Paris', 1)},Paris,1000,0.8`,
        `A,${pathOf('London', 1)},London,2000,`,
        `A,${join(root, 'nope.jpg')},London,2000,`,
        `B,${pathOf('Sydney', 1)},Atlantis,900,`,
        `B,${pathOf('Sydney', 2)},London,3000,`,
        `B,${pathOf('Paris', 2)},Sydney,4000,`,
      ].join('\n'),
    );
    const imported = await cli('study', 'import', '--id', id, csv, '--json');
    const report = json<{ merged: number; rejected: { line: number }[] }>(imported);
    assert.equal(report.merged, 4);
    assert.deepEqual(
      report.rejected.map((r) => r.line),
      [4, 5],
    );
    assert.match(imported.stderr, /line 4 rejected: unknown image/);
    assert.match(imported.stderr, /line 5 rejected: unknown city "Atlantis"/);
    // Merging again is a no-op; a file with no usable row fails.
    assert.equal(
      json<{ merged: number }>(await cli('study', 'import', '--id', id, csv, '--json')).merged,
      0,
    );
    const bad = join(root, 'bad.csv');
    writeFileSync(bad, `participant,image,guess,response_ms\nA,${join(root, 'x.jpg')},Paris,1\n`);
    assert.equal((await cli('study', 'import', '--id', id, bad)).code, 2);

    // Humans: Paris ✓, London ✓, Sydney→London ✗, Paris→Sydney ✗ = 2/4. The model (always
    // Paris): 2/4. Only-human right: London/1; only-model right: Paris/2. McNemar p = 1.
    const r = json<Json>(await cli('study', 'results', '--id', id, '--json'));
    assert.equal(r.n, 4);
    assert.equal(r.humanAccuracy, 0.5);
    const [lo, hi] = r.humanCI as [number, number];
    assert.ok(Math.abs(lo - 0.15) < 1e-4 && Math.abs(hi - 0.85) < 1e-4, `${lo} ${hi}`);
    assert.equal(r.modelAccuracy, 0.5);
    assert.equal(r.mcnemarP, 1);
    // Human labels P,L,L,S vs model P,P,P,P: observed 1/4, expected (1/4)(4/4) = 1/4 → 0.
    assert.equal(r.kappa, 0);
  });
});
