// The labeling queues over a real library, model and ML host: the CLI contract (`label`,
// `suggest`, `suspects` from the real CLI process) and, through the in-process contract, answers,
// undo, exclusion, the background retrain (and its replacement) and the random control.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, type Client } from '../../src/shared/contract/client';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { photoTree, threeCityLibrary } from '../ml/integration-photos';
import { runCli, type CliResult } from './run-cli';

const shared = sharedFixtures();

function json<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

void describe('labeling queues', { skip: shared === null ? SHARED_MISSING : false }, () => {
  let root = '';
  let library = '';
  let modelId = '';
  let unlabelled: string[] = [];
  let core: StudioCore;
  let client: Client;
  const cli = (args: string[]): Promise<CliResult> => runCli(['--library', library, ...args], root);

  before(async () => {
    if (shared === null) return;
    root = mkdtempSync(join(tmpdir(), 'lp-labeling-'));
    library = join(root, 'library');
    core = new StudioCore({ version: '0.0.0-test' });
    client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir: library, create: true });
    await threeCityLibrary(client, shared, root, 8);
    const trained = await client.runJob('train.start', {
      name: 'labeler',
      backbone: 'mnv2',
      views: 1,
      stage1: { epochs: 10, batchSize: 16, learningRate: 0.02, earlyStopPatience: null },
    });
    modelId = trained.modelId;
    // Unseen variants, flat in one folder: the import leaves them unlabelled.
    const files = await photoTree(shared, join(root, 'tree'), 3, 5000);
    const flat = join(root, 'unsorted');
    mkdirSync(flat, { recursive: true });
    unlabelled = files.map((f) => {
      const dest = join(flat, basename(f));
      copyFileSync(f, dest);
      return dest;
    });
    await client.runJob('import.start', { paths: [flat] });
    // The CLI process opens the same library: let it have the database to itself.
    await core.close();
  });
  after(async () => {
    await core?.close();
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  test('suggest ranks only photos without a human label, for every strategy', async () => {
    for (const strategy of ['margin', 'entropy', 'diverse', 'hybrid', 'random']) {
      const rows = json<{ imageId: number; path: string; score: number }[]>(
        await cli(['suggest', '--model', modelId, '--n', '4', '--strategy', strategy, '--json']),
      );
      assert.equal(rows.length, 4, strategy);
      for (const r of rows) {
        assert.deepEqual(Object.keys(r).sort(), ['imageId', 'path', 'score']);
        assert.ok(unlabelled.includes(r.path), `${strategy}: ${r.path} is labelled`);
        assert.equal(typeof r.score, 'number');
      }
      if (strategy === 'margin' || strategy === 'entropy') {
        const scores = rows.map((r) => r.score);
        assert.deepEqual(
          scores,
          [...scores].sort((a, b) => b - a),
        );
      }
    }
    const a = json<{ imageId: number }[]>(
      await cli([
        'suggest',
        '--model',
        modelId,
        '--n',
        '9',
        '--strategy',
        'random',
        '--seed',
        '4',
        '--json',
      ]),
    );
    const b = json<{ imageId: number }[]>(
      await cli([
        'suggest',
        '--model',
        modelId,
        '--n',
        '9',
        '--strategy',
        'random',
        '--seed',
        '4',
        '--json',
      ]),
    );
    assert.deepEqual(a, b);
  });

  test('label sets and clears labels by path; a path the library lacks exits 2', async () => {
    const [first, second] = unlabelled;
    const labelled = await cli([
      'label',
      '--city',
      'Paris',
      first as string,
      second as string,
      '--json',
    ]);
    assert.deepEqual(json(labelled), { updated: 2 });
    const left = json<{ path: string }[]>(
      await cli(['suggest', '--model', modelId, '--n', '50', '--json']),
    );
    assert.equal(left.length, unlabelled.length - 2);
    assert.ok(!left.some((r) => r.path === first));
    assert.deepEqual(json(await cli(['label', '--clear', first as string, '--json'])), {
      updated: 1,
    });

    const missing = await cli([
      'label',
      '--city',
      'Paris',
      second as string,
      join(root, 'nope.jpg'),
    ]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /nope\.jpg/);
    assert.equal((await cli(['label', '--city', 'Atlantis', second as string])).code, 1);
    const exported = await cli(['labels', 'export']);
    assert.equal(exported.code, 0, exported.stderr);
    const lines = exported.stdout.trim().split('\n');
    assert.equal(lines[0], 'path,city,source,labelled_at,excluded');
    assert.ok(lines.some((l) => l.startsWith(`${second as string},Paris,human,`)));
    assert.ok(lines.some((l) => /,Paris,folder,/.test(l)));
    assert.equal((await cli(['label', second as string])).code, 2);
  });

  test('suspects finds a flipped label first, suggesting the real city', async () => {
    const paris = join(root, 'photos', 'Paris', 'paris-3.jpg');
    assert.equal((await cli(['label', '--city', 'Sydney', paris])).code, 0);
    const rows = json<
      { imageId: number; path: string; label: string; suggested: string; score: number }[]
    >(await cli(['suspects', '--model', modelId, '--folds', '4', '--json']));
    assert.ok(rows.length >= 1);
    assert.deepEqual(Object.keys(rows[0] ?? {}).sort(), [
      'imageId',
      'label',
      'path',
      'score',
      'suggested',
    ]);
    assert.equal(rows[0]?.path, paris);
    assert.equal(rows[0]?.label, 'Sydney');
    assert.equal(rows[0]?.suggested, 'Paris');
    const scores = rows.map((r) => r.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  test('answers, undo, exclusion, background retrain and the random control', async () => {
    core = new StudioCore({ version: '0.0.0-test' });
    client = createClient(inProcessTransport(core));
    await client.call('library.open', { dir: library });
    assert.deepEqual(await client.call('queue.settings', {}), { retrainEvery: 25 });
    assert.deepEqual(await client.call('queue.settings', { retrainEvery: 2 }), { retrainEvery: 2 });

    const queue = await client.runJob('queue.suggest', { modelId, n: 3, strategy: 'margin' });
    assert.equal(queue.head, 'model');
    const [a, b, c] = queue.items;
    assert.ok(a !== undefined && b !== undefined && c !== undefined);
    assert.equal(a.top.length, 3);

    const labelled = await client.call('queue.answer', {
      modelId,
      queue: 'next',
      imageId: a.imageId,
      action: 'label',
      city: 'London',
    });
    assert.equal(labelled.event.city, 'London');
    const image = await client.call('images.get', { id: a.imageId });
    assert.equal(image.city, 'London');
    assert.equal(image.labelSource, 'queue');
    assert.equal((await client.call('library.stats', {})).labelSources.queue, 1);
    const exported = (await client.call('labels.export', {})).csv.split('\n');
    assert.ok(exported.some((l) => l.includes(',London,queue,') && l.endsWith(',0')));

    // Undo puts the photo back as it was: unlabelled.
    const undone = await client.call('queue.undo', { modelId, queue: 'next' });
    assert.equal(undone.undone?.imageId, a.imageId);
    assert.equal((await client.call('images.get', { id: a.imageId })).city, null);

    // X excludes (a flag apart from the label); undo lifts it.
    const excluded = await client.call('queue.answer', {
      modelId,
      queue: 'next',
      imageId: b.imageId,
      action: 'exclude',
    });
    assert.equal(excluded.status.excluded, 1);
    const after = await client.runJob('queue.suggest', { modelId, n: 50, strategy: 'margin' });
    assert.ok(!after.items.some((i) => i.imageId === b.imageId));
    assert.equal((await client.call('queue.undo', { modelId, queue: 'next' })).status.excluded, 0);

    // Two labels reach retrainEvery = 2: a retrain starts; the head lands and the curve grows.
    await client.call('queue.answer', {
      modelId,
      queue: 'next',
      imageId: a.imageId,
      action: 'label',
      city: 'Paris',
    });
    const second = await client.call('queue.answer', {
      modelId,
      queue: 'next',
      imageId: c.imageId,
      action: 'label',
      city: 'Sydney',
    });
    assert.equal(second.status.retraining, true);
    // A label arriving while it runs replaces it: the running retrain is cancelled.
    const third = await client.call('queue.answer', {
      modelId,
      queue: 'next',
      imageId: b.imageId,
      action: 'label',
      city: 'London',
    });
    assert.equal(third.status.retraining, true);
    await until(
      async () => (await client.call('queue.status', { modelId })).headVersion === 1,
      'the retrain',
    );
    const jobs = (await client.call('jobs.list', {})).filter((j) => j.kind === 'label-train');
    assert.deepEqual(jobs.map((j) => j.status).sort(), ['cancelled', 'done']);
    const status = await client.call('queue.status', { modelId });
    assert.equal(status.retraining, false);
    assert.equal(status.sinceRetrain, 0);
    assert.equal(status.queueLabels, 3);
    assert.equal(status.curve.length, 1);
    assert.ok((status.curve[0]?.labels ?? 0) > 0);
    assert.ok((status.curve[0]?.valAccuracy ?? 0) > 0.5);
    assert.equal((await client.runJob('queue.suggest', { modelId, n: 2 })).head, 'session');

    const control = await client.runJob('queue.control', { modelId, seed: 2 });
    assert.deepEqual(
      control.points.map((p) => p.labels),
      [status.curve[0]?.labels],
    );

    // Suspects: keep takes a photo off the list; change relabels; both undo.
    const suspects = await client.runJob('suspects.start', { modelId, folds: 4 });
    const top = suspects.items[0];
    assert.ok(top !== undefined);
    assert.ok((suspects.perCity.find((p) => p.city === 'Sydney')?.suspect ?? 0) >= 1);
    await client.call('queue.answer', {
      modelId,
      queue: 'suspects',
      imageId: top.imageId,
      action: 'keep',
    });
    const again = await client.runJob('suspects.start', { modelId, folds: 4 });
    assert.ok(!again.items.some((i) => i.imageId === top.imageId));
    await client.call('queue.undo', { modelId, queue: 'suspects' });
    const changed = await client.call('queue.answer', {
      modelId,
      queue: 'suspects',
      imageId: top.imageId,
      action: 'change',
      city: top.suggested,
    });
    assert.equal(changed.event.city, top.suggested);
    assert.equal((await client.call('images.get', { id: top.imageId })).city, top.suggested);
    await client.call('queue.undo', { modelId, queue: 'suspects' });
    const restored = await client.call('images.get', { id: top.imageId });
    assert.equal(restored.city, top.label);
    await core.close();
  });
});
