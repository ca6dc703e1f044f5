import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import type { ModelBundleMeta } from '../../src/shared/contract/ml-types';
import {
  checkBackboneMatch,
  evaluateHead,
  exportBundle,
  importBundle,
  loadModelBundle,
  predictTopK,
  saveModelBundle,
  topK,
  type ModelBundle,
} from '../../src/main/ml-host/eval';
import { encodePack, initHead, syntheticFeatures, trainHead } from '../../src/main/ml-host/train';

const classes = ['Barcelona', 'Detroit', 'London'];
const D = 8;
const SHA = 'a'.repeat(64);

function meta(over: Partial<ModelBundleMeta> = {}): ModelBundleMeta {
  return {
    format: 'littleplanet-model',
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    backbone: {
      name: 'mobilenet_v2_1.0_224',
      sha256: SHA,
      splitLayer: 'block_16_expand',
      featureDim: D,
    },
    classes,
    preprocessing: { resize: 256, crop: 224, scale: 2 / 255, offset: -1, tta: 'center' },
    head: { inputDim: D, hidden: 4, dropout: 0, numClasses: 3 },
    hasUpper: false,
    metrics: null,
    splitHash: 'split-1',
    hyperParams: { stage1: resolveHyperParams({}), stage2: null },
    summaries: [],
    backend: 'cpu',
    ...over,
  };
}

const bundle = (over: Partial<ModelBundleMeta> = {}): ModelBundle => ({
  meta: meta(over),
  head: initHead({ inputDim: D, numClasses: 3, hidden: 4, dropout: 0 }, 5),
  upper: null,
  openSet: null,
});

const isCode =
  (code: string) =>
  (e: unknown): boolean =>
    e instanceof AppError && e.code === code;

let dir = '';
before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'lp-bundle-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

void describe('prediction', () => {
  void it('topK sorts by probability, keeps class order on ties and clips k', () => {
    const p = Float32Array.from([0.2, 0.5, 0.3, 0.4, 0.2, 0.4]);
    assert.deepEqual(
      topK(p, classes, 2).map((r) => r.map((c) => c.city)),
      [
        ['Detroit', 'London'],
        ['Barcelona', 'London'],
      ],
    );
    assert.equal(topK(p, classes, 10)[0]!.length, 3);
  });

  void it('predicts top-k cities whose probabilities sum to 1, evaluates, and leaks nothing', async () => {
    const train = syntheticFeatures({ n: 150, dim: D, classes: 3, seed: 1 });
    const val = syntheticFeatures({ n: 60, dim: D, classes: 3, seed: 2 });
    const { head } = await trainHead({
      train,
      val,
      numClasses: 3,
      hyper: resolveHyperParams({ epochs: 5, batchSize: 16, learningRate: 0.05 }),
    });
    const n = tf.memory().numTensors;
    const top = await predictTopK(head, val.x, classes, 3);
    assert.equal(tf.memory().numTensors, n);
    assert.equal(top.length, 60);
    for (const row of top) {
      assert.ok(Math.abs(row.reduce((s, c) => s + c.probability, 0) - 1) < 1e-5);
      assert.ok(row[0]!.probability >= row[1]!.probability);
    }
    const report = await evaluateHead(head, val, classes, [50, 50, 50]);
    assert.equal(tf.memory().numTensors, n);
    assert.equal(report.n, 60);
    assert.ok(report.accuracy.value! > 0.9);
    assert.equal(report.chance.majority.source, 'prior');
    await assert.rejects(() => predictTopK(head, val.x, ['a', 'b'], 1), isCode('BAD_ARGUMENT'));
  });
});

void describe('model bundles', () => {
  void it('saves, loads, exports to one file and imports back unchanged', async () => {
    const b = bundle({ hasUpper: true });
    b.upper = [
      {
        name: 'upper/0/block_conv/kernel',
        shape: [1, 1, 2, 2],
        values: Float32Array.from([1, 2, 3, 4]),
      },
      { name: 'upper/1/block_conv/bias', shape: [2], values: Float32Array.from([0.5, -0.5]) },
    ];
    const folder = join(dir, 'm1');
    await saveModelBundle(folder, b);
    const loaded = await loadModelBundle(folder);
    assert.deepEqual(loaded, b);
    assert.equal(
      (JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as ModelBundleMeta)
        .classes[2],
      'London',
    );

    const file = join(dir, 'm1.lpmodel');
    const { bytes } = await exportBundle(folder, file);
    assert.equal((await stat(file)).size, bytes);
    const imported = await importBundle(file, join(dir, 'm1-copy'));
    assert.deepEqual(imported, b);
    assert.deepEqual(await loadModelBundle(join(dir, 'm1-copy')), b);
    await assert.rejects(saveModelBundle(folder, b), isCode('CONFLICT'));
  });

  void it('refuses another backbone', () => {
    assert.throws(
      () => checkBackboneMatch(meta(), { name: 'x', sha256: 'b'.repeat(64) }),
      isCode('CONFLICT'),
    );
    checkBackboneMatch(meta(), { name: 'x', sha256: SHA });
  });

  void it('rejects hostile or corrupt files with MODEL_INVALID and leaves nothing behind', async () => {
    const good = bundle();
    const arrays = good.head.weights.map((w) => ({ ...w, name: `head/${w.name}` }));
    const wrap = (m: unknown, a = arrays): Buffer =>
      encodePack({ format: 'littleplanet-model-file', meta: m }, a);
    const valid = wrap(good.meta);
    const withHeaderLength = (len: number): Buffer => {
      const b = Buffer.from(valid);
      b.writeUInt32LE(len, 8);
      return b;
    };
    const nan = arrays.map((a, i) =>
      i === 0 ? { ...a, values: a.values.map((v, j) => (j === 3 ? NaN : v)) } : a,
    );
    const cases: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['bad magic', Buffer.from('PK\u0003\u0004 not a model at all')],
      ['truncated', valid.subarray(0, valid.length - 8)],
      ['header length past the end', withHeaderLength(0xffffff)],
      [
        'not JSON',
        Buffer.concat([
          Buffer.from('LPTP'),
          Buffer.from([1, 0, 0, 0, 3, 0, 0, 0]),
          Buffer.from('{{{'),
        ]),
      ],
      ['another pack kind', encodePack({ format: 'littleplanet-checkpoint' }, arrays)],
      ['duplicate classes', wrap({ ...good.meta, classes: ['A', 'A', 'B'] })],
      ['class count mismatch', wrap({ ...good.meta, classes: ['A', 'B'] })],
      ['extra metadata key', wrap({ ...good.meta, evil: true })],
      ['bad sha256', wrap({ ...good.meta, backbone: { ...good.meta.backbone, sha256: '../etc' } })],
      ['missing weights', wrap(good.meta, arrays.slice(1))],
      [
        'extra weights',
        wrap(good.meta, [...arrays, { name: 'x', shape: [1], values: new Float32Array(1) }]),
      ],
      [
        'wrong shape',
        wrap(
          good.meta,
          arrays.map((a, i) => (i === 0 ? { ...a, shape: [4, D] } : a)),
        ),
      ],
      ['NaN weight', wrap(good.meta, nan)],
      ['upper declared, absent', wrap({ ...good.meta, hasUpper: true })],
    ];
    for (const [what, data] of cases) {
      const file = join(dir, 'hostile.lpmodel');
      await writeFile(file, data);
      const target = join(dir, 'hostile-import');
      await assert.rejects(importBundle(file, target), isCode('MODEL_INVALID'), what);
      await assert.rejects(stat(target), `${what}: nothing written`);
    }
    // A header whose array offsets point past the end of the data.
    const headerLength = valid.readUInt32LE(8);
    const header = JSON.parse(valid.toString('utf8', 12, 12 + headerLength)) as {
      arrays: { offset: number }[];
    };
    header.arrays[0]!.offset = 1e9;
    const text = Buffer.from(JSON.stringify(header));
    const prefix = Buffer.alloc(12);
    prefix.write('LPTP', 0, 'latin1');
    prefix.writeUInt32LE(1, 4);
    prefix.writeUInt32LE(text.length, 8);
    const lying = Buffer.concat([prefix, text, Buffer.alloc(64)]);
    await writeFile(join(dir, 'lying.lpmodel'), lying);
    await assert.rejects(
      importBundle(join(dir, 'lying.lpmodel'), join(dir, 'x')),
      (e: unknown) => isCode('MODEL_INVALID')(e) && /does not fit/.test((e as Error).message),
    );
    await assert.rejects(
      importBundle(join(dir, 'absent.lpmodel'), join(dir, 'y')),
      isCode('NOT_FOUND'),
    );
  });
});
