// The ML service's core side through the contract, without training: schema 002, model bundle
// import/export/remove (hostile files refused), error codes before any host work, the spawner and
// backend options, and a core without the service.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createClient } from '../../src/shared/contract/client';
import { AppError } from '../../src/shared/contract/errors';
import type { ModelBundleMeta } from '../../src/shared/contract/ml-types';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import { forkSpawner } from '../../src/main/ml-host/host';
import { encodePack } from '../../src/main/platform/model-bundle/pack';
import { openStudio, tempDir } from './helpers';
import { MIGRATIONS } from '../../src/main/core/db/migrations';

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

const META: ModelBundleMeta = {
  format: 'littleplanet-model',
  version: 1,
  createdAt: '2024-01-01T00:00:00.000Z',
  backbone: { name: 'mnv2', sha256: 'a'.repeat(64), splitLayer: null, featureDim: 4 },
  classes: ['Paris', 'London'],
  preprocessing: { resize: 256, crop: 224, scale: 1 / 128, offset: -1, tta: 'center' },
  head: { inputDim: 4, hidden: null, dropout: 0, numClasses: 2 },
  hasUpper: false,
  metrics: null,
  splitHash: null,
  hyperParams: { stage1: resolveHyperParams({}), stage2: null },
  summaries: [],
  backend: 'wasm',
};

const HEAD = [
  {
    name: 'head/logits/kernel',
    shape: [4, 2],
    values: Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]),
  },
  { name: 'head/logits/bias', shape: [2], values: new Float32Array(2) },
];

void describe('ML service (core side)', () => {
  void it('migrates to the current schema with the ML tables', async (t) => {
    const { core, client } = await openStudio(t);
    assert.equal((await client.call('library.info', {})).schemaVersion, MIGRATIONS.length);
    const tables = core
      .db()
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all() as string[];
    for (const name of [
      'embeddings',
      'evaluation_items',
      'evaluations',
      'explanations',
      'features',
      'models',
      'predictions',
      'runs',
    ]) {
      assert.ok(tables.includes(name), name);
    }
    assert.deepEqual(await client.call('models.list', {}), []);
    assert.deepEqual(await client.call('runs.list', {}), []);
    assert.deepEqual(await client.call('backbones.list', {}), []);
    assert.deepEqual(await client.call('evaluations.list', {}), []);
  });

  void it('answers LIBRARY_NOT_OPEN, NOT_FOUND and BAD_ARGUMENT before any ML process starts', async (t) => {
    const core = new StudioCore({ version: 'test' });
    const client = createClient(inProcessTransport(core));
    t.after(() => core.close());
    await assert.rejects(client.call('models.list', {}), isCode('LIBRARY_NOT_OPEN'));
    await assert.rejects(client.call('train.start', { name: 'x' }), isCode('LIBRARY_NOT_OPEN'));
    const dir = tempDir(t);
    await client.call('library.open', { dir, create: true });
    await assert.rejects(client.call('models.get', { modelId: 'nope' }), isCode('NOT_FOUND'));
    await assert.rejects(client.call('runs.get', { jobId: 'nope' }), isCode('NOT_FOUND'));
    await assert.rejects(client.call('evaluate.start', { modelId: 'nope' }), isCode('NOT_FOUND'));
    await assert.rejects(
      client.call('predict.start', { modelId: 'nope', paths: ['/x.jpg'] }),
      isCode('NOT_FOUND'),
    );
    await assert.rejects(
      client.call('train.start', { name: 'x', resumeJobId: 'no-such-job' }),
      isCode('NOT_FOUND'),
    );
    await assert.rejects(client.call('backbones.remove', { name: 'mnv2' }), isCode('NOT_FOUND'));
    await assert.rejects(client.call('backbones.remove', { name: '../x' }), isCode('BAD_ARGUMENT'));
    await assert.rejects(client.call('predict.start', { modelId: 'm' }), isCode('BAD_ARGUMENT'));
    // Jobs whose backbone is missing fail with NOT_FOUND saying how to get one.
    await assert.rejects(client.runJob('features.start', { backbone: 'mnv2' }), (e: unknown) => {
      assert.ok(isCode('NOT_FOUND')(e));
      assert.match((e as Error).message, /backbones\.import/);
      return true;
    });
    // (The default backbone is the built-in one, imported on first use: see bundled-backbone.test.)
    await assert.rejects(
      client.runJob('train.start', { name: 'x', backbone: 'mnv2' }),
      isCode('NOT_FOUND'),
    );
  });

  void it('imports, exports and removes model bundles; hostile files are MODEL_INVALID', async (t) => {
    const { client, dir } = await openStudio(t);
    const work = tempDir(t);
    const file = join(work, 'paris-london.lpmodel');
    await writeFile(file, encodePack({ format: 'littleplanet-model-file', meta: META }, HEAD));

    const junk = join(work, 'junk.lpmodel');
    await writeFile(junk, Buffer.from('definitely not a model'));
    await assert.rejects(client.call('models.import', { path: junk }), isCode('MODEL_INVALID'));
    const wrongShape = join(work, 'shape.lpmodel');
    await writeFile(
      wrongShape,
      encodePack({ format: 'littleplanet-model-file', meta: META }, [
        { ...HEAD[0]!, shape: [2, 4] },
        HEAD[1]!,
      ]),
    );
    await assert.rejects(
      client.call('models.import', { path: wrongShape }),
      isCode('MODEL_INVALID'),
    );
    const badMeta = join(work, 'meta.lpmodel');
    await writeFile(
      badMeta,
      encodePack(
        { format: 'littleplanet-model-file', meta: { ...META, classes: ['Paris'] } },
        HEAD,
      ),
    );
    await assert.rejects(client.call('models.import', { path: badMeta }), isCode('MODEL_INVALID'));
    await assert.rejects(
      client.call('models.import', { path: join(work, 'absent.lpmodel') }),
      isCode('NOT_FOUND'),
    );
    assert.deepEqual(await client.call('models.list', {}), []);
    assert.ok(
      !existsSync(join(dir, 'models')) || (await readdir(join(dir, 'models'))).length === 0,
    );

    const imported = await client.call('models.import', { path: file });
    assert.equal(imported.name, 'paris-london');
    assert.deepEqual(imported.classes, ['Paris', 'London']);
    assert.equal(imported.fineTuned, false);
    assert.equal(imported.accuracy, null);
    const detail = await client.call('models.get', { modelId: imported.id });
    assert.deepEqual(detail.meta, META);

    const exported = await client.call('models.export', {
      modelId: imported.id,
      path: join(work, 'again.lpmodel'),
    });
    assert.ok(exported.bytes > 0);
    const copy = await client.call('models.import', { path: exported.path, name: 'copy' });
    assert.equal(copy.name, 'copy');
    assert.notEqual(copy.id, imported.id);
    assert.deepEqual(
      (await client.call('models.list', {})).map((m) => m.id).sort(),
      [imported.id, copy.id].sort(),
    );
    assert.deepEqual(await client.call('models.remove', { modelId: imported.id }), {
      removed: imported.id,
    });
    assert.ok(!existsSync(join(dir, 'models', imported.id)));
    assert.deepEqual(
      (await client.call('models.list', {})).map((m) => m.id),
      [copy.id],
    );
  });

  void it('starts the ML host through the given spawner with the backend setting', async (t) => {
    let spawned = 0;
    const spawn = forkSpawner();
    const core = new StudioCore({
      version: 'test',
      ml: {
        backendPreference: 'cpu',
        spawner: () => {
          spawned++;
          return spawn();
        },
      },
    });
    t.after(() => core.close());
    const client = createClient(inProcessTransport(core));
    const info = await client.call('ml.info', {});
    assert.equal(spawned, 1);
    assert.equal(info.backend.name, process.env.LITTLEPLANET_BACKEND ?? 'cpu');
    assert.ok(info.hostPid !== null && info.hostPid !== process.pid);
    assert.ok(info.backend.reason.length > 0);
    assert.equal((await client.call('ml.info', {})).hostPid, info.hostPid, 'one long-lived host');
    assert.ok(
      (await client.call('backbones.catalogue', {})).some((e) => /^[0-9a-f]{64}$/.test(e.sha256)),
    );
  });

  void it('answers BACKEND_UNAVAILABLE for ML methods when built without the service', async () => {
    const core = new StudioCore({ version: 'test', ml: false });
    const client = createClient(inProcessTransport(core));
    await assert.rejects(client.call('ml.info', {}), isCode('BACKEND_UNAVAILABLE'));
    await core.close();
  });
});
