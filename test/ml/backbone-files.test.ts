// Model folders and files from users are hostile until proven otherwise: every malformed case must
// end in a clear MODEL_INVALID (or the right code) and leave nothing behind in the backbone root.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { selectBackend } from '../../src/main/ml-host/backend';
import {
  classify,
  extractFeatures,
  fileSystemIO,
  importBackbone,
  listBackbones,
  loadBackbone,
} from '../../src/main/ml-host/backbone';
import { BUNDLED_MOBILENET_V2 } from '../helpers/shared-fixtures';

const isCode = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (pattern === undefined || pattern.test(e.message));

let work = '';
let good = '';
let root = '';
let n = 0;

/** A copy of the good tiny layers model folder, changed by `mutate`. */
async function variant(
  mutate: (dir: string, json: Record<string, unknown>) => Promise<void> | void,
): Promise<string> {
  const dir = join(work, `variant-${n++}`);
  await cp(good, dir, { recursive: true });
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await mutate(dir, json);
  if (!(await readFile(join(dir, 'model.json'), 'utf8')).startsWith('{ not')) {
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  }
  return dir;
}

type Manifest = {
  paths: string[];
  weights: { dtype: string; quantization?: { dtype: string } }[];
}[];
const manifest = (json: Record<string, unknown>) => json.weightsManifest as Manifest;

async function rootIsEmpty(): Promise<void> {
  assert.deepEqual(await readdir(root), [], 'no backbone or staging folder left behind');
}

void describe('backbone import from files and folders', () => {
  before(async () => {
    await selectBackend({ env: {}, preference: 'wasm' });
    work = await mkdtemp(join(tmpdir(), 'lp-files-'));
    good = join(work, 'good');
    root = join(work, 'backbones');
    await mkdir(good);
    await mkdir(root);
    // A tiny functional CNN: conv → relu → conv → global pool (features) → softmax classifier.
    const input = tf.input({ shape: [8, 8, 3] });
    const c1 = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block_1_conv' })
      .apply(input);
    const r1 = tf.layers.reLU({ name: 'block_1_relu' }).apply(c1);
    const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 1, name: 'block_2_conv' }).apply(r1);
    const pool = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(c2);
    const out = tf.layers
      .dense({ units: 3, activation: 'softmax', name: 'classifier' })
      .apply(pool);
    const model = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
    await model.save(fileSystemIO(good));
    model.dispose();
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  void it('imports a TF.js layers folder, detecting size, features and blocks', async () => {
    const before = tf.memory().numTensors;
    const meta = await importBackbone({
      source: good,
      name: 'tiny',
      root,
      labels: ['a', 'b', 'c'],
    });
    assert.equal(meta.format, 'tfjs-layers');
    assert.equal(meta.inputSize, 8);
    assert.equal(meta.featureLayer, 'pool');
    assert.equal(meta.featureDim, 6);
    assert.deepEqual(meta.blockLayers, ['block_2_conv']); // block_1 starts at the model input
    assert.deepEqual(meta.classifierLabels, ['a', 'b', 'c']);
    assert.match(meta.sha256, /^[0-9a-f]{64}$/);
    const b = await loadBackbone(root, 'tiny');
    const x = tf.ones<tf.Rank.R4>([2, 8, 8, 3]);
    const f = extractFeatures(b, x);
    assert.deepEqual(f.shape, [2, 6]);
    const [top] = await classify(b, x, 3);
    assert.deepEqual(top?.map((p) => p.label).sort(), ['a', 'b', 'c']);
    assert.ok(Math.abs((top ?? []).reduce((s, p) => s + p.probability, 0) - 1) < 1e-5);
    tf.dispose([x, f]);
    b.dispose();
    assert.equal(tf.memory().numTensors, before);
    await rm(join(root, 'tiny'), { recursive: true });
  });

  const cases: [
    string,
    (dir: string, json: Record<string, unknown>) => Promise<void> | void,
    RegExp,
  ][] = [
    [
      'bad JSON',
      (dir) => writeFile(join(dir, 'model.json'), '{ not json'),
      /model\.json is not valid JSON/,
    ],
    ['no modelTopology', (_d, j) => void delete j.modelTopology, /malformed at modelTopology/],
    [
      'no weightsManifest',
      (_d, j) => void delete j.weightsManifest,
      /malformed at weightsManifest/,
    ],
    [
      'a weight path with ..',
      (_d, j) => void (manifest(j)[0]!.paths = ['../good/weights.bin']),
      /'\.\.\/good\/weights\.bin' points outside the model folder/,
    ],
    [
      'an absolute weight path',
      (_d, j) => void (manifest(j)[0]!.paths = [join(good, 'weights.bin')]),
      /must be a relative file name/,
    ],
    [
      'a URL as weight path',
      (_d, j) => void (manifest(j)[0]!.paths = ['https://example.com/w.bin']),
      /must be a relative file name/,
    ],
    [
      'a symlink leading outside',
      async (dir) => {
        await rm(join(dir, 'weights.bin'));
        await symlink(join(good, 'weights.bin'), join(dir, 'weights.bin'));
      },
      /'weights\.bin' is a link that leads outside the model folder/,
    ],
    [
      'a missing weight file',
      (dir) => rm(join(dir, 'weights.bin')),
      /weight file 'weights\.bin' is missing/,
    ],
    [
      'weights shorter than the manifest',
      (dir) => truncate(join(dir, 'weights.bin'), 100),
      /holds 100 bytes, the manifest needs \d+/,
    ],
    [
      'an unsupported dtype',
      (_d, j) => void (manifest(j)[0]!.weights[0]!.dtype = 'string'),
      /unsupported dtype 'string'/,
    ],
    [
      'an unsupported quantisation dtype',
      (_d, j) => void (manifest(j)[0]!.weights[0]!.quantization = { dtype: 'int4' }),
      /unsupported dtype 'int4'/,
    ],
    [
      'a topology that is neither layers nor graph',
      (_d, j) => void ((j.modelTopology = { foo: 1 }), delete j.format),
      /neither a layers model nor a graph model/,
    ],
  ];
  for (const [what, mutate, message] of cases) {
    void it(`refuses a folder with ${what}`, async () => {
      const dir = await variant(mutate);
      await assert.rejects(
        importBackbone({ source: dir, name: 'bad', root }),
        isCode('MODEL_INVALID', message),
      );
      await rootIsEmpty();
    });
  }

  void it('refuses files that are not TFLite, and truncated TFLite files', async () => {
    const notModel = join(work, 'photo.tflite');
    await writeFile(notModel, 'this is not a model at all');
    await assert.rejects(
      importBackbone({ source: notModel, name: 'x', root }),
      isCode('MODEL_INVALID', /no 'TFL3' identifier/),
    );
    const cut = join(work, 'cut.tflite');
    await writeFile(cut, (await readFile(BUNDLED_MOBILENET_V2)).subarray(0, 4096));
    await assert.rejects(
      importBackbone({ source: cut, name: 'x', root }),
      isCode('MODEL_INVALID', /Not a valid TFLite file/),
    );
    await assert.rejects(
      importBackbone({ source: join(work, 'absent.tflite'), name: 'x', root }),
      isCode('NOT_FOUND'),
    );
    await assert.rejects(
      importBackbone({ source: good, name: '../escape', root }),
      isCode('BAD_ARGUMENT'),
    );
    await rootIsEmpty();
  });

  void it('reports a damaged backbone.json on load and leaves it out of the list', async () => {
    await importBackbone({ source: good, name: 'tiny', root });
    await importBackbone({ source: good, name: 'broken', root });
    await writeFile(
      join(root, 'broken', 'backbone.json'),
      JSON.stringify({ version: 1, name: 'broken' }),
    );
    await assert.rejects(
      loadBackbone(root, 'broken'),
      isCode('MODEL_INVALID', /backbone\.json is malformed at format/),
    );
    assert.deepEqual(
      (await listBackbones(root)).map((m) => m.name),
      ['tiny'],
    );
    await assert.rejects(loadBackbone(root, '../good'), isCode('BAD_ARGUMENT'));
    await rm(join(root, 'tiny'), { recursive: true });
    await rm(join(root, 'broken'), { recursive: true });
  });

  void it('imports a TF.js graph model, finding the pooling node for features', async () => {
    const dir = join(work, 'graph');
    await mkdir(dir);
    const dims = (...d: number[]) => ({ dim: d.map((s) => ({ size: String(s) })) });
    const T = { T: { type: 'DT_FLOAT' } };
    const konst = (name: string, dtype: string, ...shape: number[]) => ({
      name,
      op: 'Const',
      attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dims(...shape) } } },
    });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const topology = {
      node: [
        {
          name: 'images',
          op: 'Placeholder',
          attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims(-1, 8, 8, 3) } },
        },
        konst('w', 'DT_FLOAT', 1, 1, 3, 4),
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['images', 'w'],
          attr: {
            ...T,
            strides: { list: { i: ['1', '1', '1', '1'] } },
            padding: { s: b64('SAME') },
            data_format: { s: b64('NHWC') },
            dilations: { list: { i: ['1', '1', '1', '1'] } },
          },
        },
        { name: 'relu', op: 'Relu', input: ['conv'], attr: T },
        konst('axes', 'DT_INT32', 2),
        {
          name: 'features',
          op: 'Mean',
          input: ['relu', 'axes'],
          attr: { ...T, keep_dims: { b: false }, Tidx: { type: 'DT_INT32' } },
        },
        konst('fc', 'DT_FLOAT', 4, 2),
        {
          name: 'logits',
          op: 'MatMul',
          input: ['features', 'fc'],
          attr: { ...T, transpose_a: { b: false }, transpose_b: { b: false } },
        },
        { name: 'probs', op: 'Softmax', input: ['logits'], attr: T },
      ],
      versions: { producer: 1 },
    };
    // w maps the 3 channels to 4 (the 4th is -sum, so ReLU zeroes it); fc sums even and odd features.
    const w = [1, 0, 0, -1, 0, 1, 0, -1, 0, 0, 1, -1];
    const fc = [1, 0, 0, 1, 1, 0, 0, 1];
    const weights = Buffer.concat([
      Buffer.from(Float32Array.from(w).buffer),
      Buffer.from(Int32Array.from([1, 2]).buffer),
      Buffer.from(Float32Array.from(fc).buffer),
    ]);
    await writeFile(join(dir, 'group1-shard1of1.bin'), weights);
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({
        format: 'graph-model',
        generatedBy: 'hand',
        modelTopology: topology,
        weightsManifest: [
          {
            paths: ['group1-shard1of1.bin'],
            weights: [
              { name: 'w', shape: [1, 1, 3, 4], dtype: 'float32' },
              { name: 'axes', shape: [2], dtype: 'int32' },
              { name: 'fc', shape: [4, 2], dtype: 'float32' },
            ],
          },
        ],
      }),
    );
    const before = tf.memory().numTensors;
    const meta = await importBackbone({
      source: dir,
      name: 'graph',
      root,
      labels: ['even', 'odd'],
    });
    assert.equal(meta.format, 'tfjs-graph');
    assert.equal(meta.featureLayer, 'features');
    assert.equal(meta.featureDim, 4);
    assert.equal(meta.inputSize, 8);
    assert.deepEqual(meta.blockLayers, []);
    const b = await loadBackbone(root, 'graph');
    assert.equal(b.kind, 'graph');
    const x = tf.tidy(() => tf.tensor4d([0.5, 2, 1], [1, 1, 1, 3]).tile<tf.Tensor4D>([3, 8, 8, 1]));
    const f = extractFeatures(b, x, 2); // two batches: 2 + 1 images
    assert.deepEqual(f.shape, [3, 4]);
    assert.deepEqual(Array.from(await f.data()).slice(0, 4), [0.5, 2, 1, 0]);
    const [top] = await classify(b, x, 2);
    assert.equal(top?.[0]?.label, 'odd'); // logits 1.5 vs 2
    assert.ok(Math.abs((top?.[0]?.probability ?? 0) - 1 / (1 + Math.exp(-0.5))) < 1e-5);
    tf.dispose([x, f]);
    b.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
