// `geolocate` as a batch from the real CLI process: killed with SIGKILL after a chunk was committed
// and resumed with --resume (earlier predictions kept, not recomputed), Ctrl-C, the EXIF copies,
// and `geo list` / `geo export`. The library and its model are made in-process first (faster).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { gps as readGps } from 'exifr';
import { createClient } from '../../src/shared/contract/client';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { photoTree, threeCityLibrary } from '../ml/integration-photos';
import { runCli, spawnCli, type CliResult } from './run-cli';

const shared = sharedFixtures();
const PHOTOS = 30;

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function json<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/** `count` unseen variants of the sanity photos, flat in `dir` (no city folders: unlabelled). */
async function flatPhotos(work: string, dir: string, perCity: number, seed: number) {
  const files = await photoTree(
    shared ?? { root: '', mobilenetV2Tflite: '', imagenetLabels: '', sanityDir: '' },
    join(work, `tree-${seed}`),
    perCity,
    seed,
  );
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const dest = join(dir, basename(f));
    copyFileSync(f, dest);
    return dest;
  });
}

void describe(
  'geolocate batches from the CLI',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    let root = '';
    let library = '';
    let modelId = '';
    const cli = (args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> =>
      runCli(['--library', library, ...args], root, env);
    const db = () => new Database(join(library, 'library.sqlite'), { readonly: true });
    /** Photos predicted in the newest batch if it is newer than `after` (else 0). */
    const predictedInNewest = (after: number): number => {
      try {
        const reader = db();
        try {
          return (
            reader
              .prepare(
                `SELECT COUNT(*) AS n FROM geo_batch_items WHERE predicted_city IS NOT NULL
                 AND batch_id = (SELECT MAX(id) FROM geo_batches) AND batch_id > ?`,
              )
              .get(after) as { n: number }
          ).n;
        } finally {
          reader.close();
        }
      } catch {
        return 0; // the library is being created or migrated
      }
    };
    /**
     * Polls (WAL: a reader never blocks the writer) until a chunk of a batch newer than `after` is
     * committed.
     */
    const firstChunk = async (after = 0): Promise<number> => {
      for (let i = 0; i < 1200; i++) {
        const n = predictedInNewest(after);
        if (n > 0) return n;
        await new Promise((r) => setTimeout(r, 50));
      }
      return 0;
    };

    before(async () => {
      if (shared === null) return;
      root = mkdtempSync(join(tmpdir(), 'lp-cli-geo-'));
      library = join(root, 'library');
      const core = new StudioCore({ version: '0.0.0-test' });
      try {
        const client = createClient(inProcessTransport(core));
        await client.call('library.open', { dir: library, create: true });
        await threeCityLibrary(client, shared, root, 8);
        const trained = await client.runJob('train.start', {
          name: 'geo-cli',
          backbone: 'mnv2',
          views: 1,
          stage1: { epochs: 12, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
        });
        modelId = trained.modelId;
      } finally {
        await core.close();
      }
    });
    after(() => {
      if (root !== '') rmSync(root, { recursive: true, force: true });
    });

    test('SIGKILL after a committed chunk, then --resume: kept predictions are not redone', async () => {
      const dir = join(root, 'kill');
      const files = await flatPhotos(root, dir, PHOTOS / 3, 3000);
      const before = new Map(files.map((f) => [f, sha(f)]));
      const child = spawnCli(
        ['--library', library, 'geolocate', '--model', modelId, dir, '--json'],
        root,
        {
          LP_GEO_CHUNK: '2',
        },
      );
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const predictedAtKill = await firstChunk();
      child.kill('SIGKILL');
      await closed;
      assert.ok(predictedAtKill >= 2, `no chunk was committed in time; stderr: ${stderr}`);
      const batchId = Number(/littleplanet: batch (\d+)/.exec(stderr)?.[1]);
      assert.ok(batchId > 0, stderr);

      const reader = db();
      const kept = reader
        .prepare(
          `SELECT g.image_id AS id, p.id AS predictionId FROM geo_batch_items g
         JOIN predictions p ON p.image_id = g.image_id AND p.model_id = ?
         WHERE g.batch_id = ? AND g.predicted_city IS NOT NULL`,
        )
        .all(modelId, batchId) as { id: number; predictionId: number }[];
      const members = (
        reader
          .prepare('SELECT COUNT(*) AS n FROM geo_batch_items WHERE batch_id = ?')
          .get(batchId) as {
          n: number;
        }
      ).n;
      reader.close();
      assert.equal(members, PHOTOS, 'the import finished before prediction started');
      assert.ok(
        kept.length >= 2 && kept.length < PHOTOS,
        `${kept.length} predicted before the kill`,
      );

      const listed = json<{ id: number; complete: boolean; counts: { predicted: number } }[]>(
        await cli(['geo', 'list', '--json']),
      );
      const incomplete = listed.find((b) => b.id === batchId);
      assert.equal(incomplete?.complete, false);
      assert.equal(incomplete?.counts.predicted, kept.length);

      const resumed = await cli(['geolocate', '--resume', String(batchId), '--json']);
      const rows = json<{ path: string; city: string; p: number }[]>(resumed);
      assert.deepEqual(
        rows.map((r) => r.path),
        [...files].sort(),
      );
      const newly = Number(/(\d+) of 30 photos predicted in this run/.exec(resumed.stderr)?.[1]);
      assert.equal(newly, PHOTOS - kept.length, resumed.stderr);
      // The photos predicted before the kill still carry the very same prediction rows.
      const after = db();
      for (const k of kept) {
        const row = after
          .prepare('SELECT id FROM predictions WHERE image_id = ? AND model_id = ?')
          .get(k.id, modelId) as { id: number } | undefined;
        assert.equal(row?.id, k.predictionId, `image ${k.id} was predicted again`);
      }
      after.close();
      const done = json<{ id: number; complete: boolean; counts: { predicted: number } }[]>(
        await cli(['geo', 'list', '--json']),
      ).find((b) => b.id === batchId);
      assert.deepEqual([done?.complete, done?.counts.predicted], [true, PHOTOS]);
      // Every photo is where it was, byte for byte.
      for (const [file, hash] of before) assert.equal(sha(file), hash, file);
    });

    test('Ctrl-C cancels after the chunk in flight and says how to resume', async () => {
      const dir = join(root, 'kill');
      const newestBatch = (): number => {
        const reader = db();
        try {
          return (reader.prepare('SELECT MAX(id) AS id FROM geo_batches').get() as { id: number })
            .id;
        } finally {
          reader.close();
        }
      };
      const child = spawnCli(
        ['--library', library, 'geolocate', '--model', modelId, dir, '--json'],
        root,
        { LP_GEO_CHUNK: '2' },
      );
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const atInterrupt = await firstChunk(newestBatch());
      child.kill('SIGINT');
      const code = await closed;
      assert.ok(atInterrupt > 0, `no chunk was committed in time; stderr: ${stderr}`);
      assert.equal(code, 1, stderr);
      const batchId = Number(/littleplanet: batch (\d+)/.exec(stderr)?.[1]);
      assert.match(stderr, new RegExp(`geolocate --resume ${batchId}\` continues it`));
      assert.deepEqual(JSON.parse(stdout), { error: { code: 'CANCELLED', message: 'Cancelled.' } });
      const batch = json<{ id: number; complete: boolean; counts: { predicted: number } }[]>(
        await cli(['geo', 'list', '--json']),
      ).find((b) => b.id === batchId);
      assert.equal(batch?.complete, false);
      // The chunk in flight was finished and committed, nothing after it was started.
      const predicted = batch?.counts.predicted ?? 0;
      assert.ok(predicted >= atInterrupt && predicted < PHOTOS, `${predicted} predicted`);
      assert.equal(predicted % 2, 0, 'whole chunks only');
    });

    test('copies of library photos: write-back goes beside exactly the files given (#14 audit)', async () => {
      // Byte-identical copies of two photos the library already has, under other names.
      const reader = db();
      const library = reader
        .prepare("SELECT path FROM images WHERE path LIKE '%/photos/%' ORDER BY path LIMIT 2")
        .all() as { path: string }[];
      reader.close();
      assert.equal(library.length, 2);
      const untagged = join(root, 'untagged');
      mkdirSync(untagged, { recursive: true });
      const given = ['a.jpg', 'b.jpg'].map((name, i) => {
        const dest = join(untagged, name);
        copyFileSync(library[i]?.path ?? '', dest);
        return dest;
      });
      const sidecarsBefore = readdirSync(join(library[0]?.path ?? '', '..'));
      const result = await cli(['geolocate', '--model', modelId, ...given, '--xmp', '--json']);
      const rows = json<{ path: string; city: string; xmp: string | null }[]>(result);
      assert.deepEqual(
        rows.map((r) => [r.path, r.xmp]),
        given.map((g) => [g, g.replace(/\.jpg$/, '.xmp')]),
      );
      for (const g of given) {
        assert.match(readFileSync(g.replace(/\.jpg$/, '.xmp'), 'utf8'), /EstimatedCity=/);
      }
      // Nothing was written beside the library's own copies.
      assert.deepEqual(readdirSync(join(library[0]?.path ?? '', '..')), sidecarsBefore);
      for (const l of library) assert.ok(!existsSync(l.path.replace(/\.jpg$/, '.xmp')), l.path);

      const batchId = Number(/littleplanet: batch (\d+)/.exec(result.stderr)?.[1]);
      const csv = await cli(['geo', 'export', String(batchId), '--format', 'csv']);
      assert.deepEqual(
        csv.stdout
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[0]),
        given,
      );
    });

    test('--exif-copies, geo export and usage errors; originals untouched', async () => {
      const dir = join(root, 'copies-src');
      const files = await flatPhotos(root, dir, 1, 4000);
      const before = new Map(files.map((f) => [f, sha(f)]));
      const copies = join(root, 'copies');
      const result = await cli([
        'geolocate',
        '--model',
        modelId,
        dir,
        '--exif-copies',
        copies,
        '--json',
      ]);
      const rows = json<{ path: string; city: string; lat: number; lon: number }[]>(result);
      assert.equal(rows.length, 3);
      // Each file is named after its photo's city (Paris = cat, Sydney = hot dog, London = parrot).
      assert.deepEqual(
        rows.map((r) => [basename(r.path), r.city]),
        [
          ['london-0.jpg', 'London'],
          ['paris-0.jpg', 'Paris'],
          ['sydney-0.jpg', 'Sydney'],
        ],
      );
      const batchId = Number(/littleplanet: batch (\d+)/.exec(result.stderr)?.[1]);
      const written = readdirSync(copies);
      assert.equal(written.length, 3);
      for (const r of rows) {
        const copy = written.find((f) => f.startsWith(basename(r.path, '.jpg')));
        assert.ok(copy, `no copy of ${r.path} in ${written.join(', ')}`);
        const position = await readGps(join(copies, copy));
        assert.ok(
          Math.abs(position.latitude - r.lat) < 1e-3 && Math.abs(position.longitude - r.lon) < 1e-3,
        );
      }
      for (const [file, hash] of before) assert.equal(sha(file), hash, file);

      const csv = await cli(['geo', 'export', String(batchId), '--format', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      const lines = csv.stdout.trim().split('\n');
      assert.equal(lines[0], 'path,city,country,probability,lat,lon,model,review,forced_choice');
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',').slice(0, 2)),
        [...rows].sort((a, b) => a.path.localeCompare(b.path)).map((r) => [r.path, r.city]),
      );
      const reviewedOnly = json<{ written: number; text: string }>(
        await cli([
          'geo',
          'export',
          String(batchId),
          '--format',
          'geojson',
          '--scope',
          'reviewed',
          '--json',
        ]),
      );
      assert.equal(reviewedOnly.written, 0);
      assert.deepEqual((JSON.parse(reviewedOnly.text) as { features: unknown[] }).features, []);

      assert.equal((await cli(['geolocate', dir])).code, 2, 'no --model');
      assert.equal((await cli(['geolocate', '--resume', '1', '--model', modelId])).code, 2);
      assert.equal(
        (await cli(['geo', 'export', String(batchId), '--format', 'exif-originals'])).code,
        2,
      );
      const missing = await cli(['geo', 'export', '999', '--format', 'csv', '--json']);
      assert.equal(missing.code, 1);
      assert.equal(
        (JSON.parse(missing.stdout) as { error: { code: string } }).error.code,
        'NOT_FOUND',
      );
    });
  },
);
