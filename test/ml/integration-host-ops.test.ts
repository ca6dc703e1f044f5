// The ML host's pipeline ops called in this process (as host-main would), on a tiny TF.js backbone
// and a real library database: values are checked, and no op may leave tensors behind — the only
// tensors that outlive an op are the cached backbone and model, which host.release frees.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../../src/shared/contract/errors';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { Library } from '../../src/main/core/library';
import { assetFile } from '../../src/main/core/paths';
import {
  fileSystemIO,
  loadBackbone,
  splitAtLayer,
  type BackboneMeta,
} from '../../src/main/ml-host/backbone';
import type { HostEvent, OpContext } from '../../src/main/ml-host/host';
import { hostOps } from '../../src/main/ml-host/host/ops';
import { blockFile } from '../../src/main/platform/block-files';
import { ensureBlockInputs } from '../../src/main/ml-host/pipeline/block-cache';
import { installFastCpuGradKernels } from '../../src/main/ml-host/pipeline/cpu-grad-kernels';
import { decodeHalf } from '../../src/main/ml-host/pipeline/float16';
import { trainingBoxes } from '../../src/main/ml-host/pipeline/views';
import { SharedCache, TensorLock } from '../../src/main/ml-host/pipeline/host-resources';
import type { DatasetItem, InferItem } from '../../src/main/ml-host/pipeline/types';

/** wasm here; test/ml/webgpu-host-ops.test.ts runs this whole file again on webgpu. */
const BACKEND = process.env.LP_HOST_OPS_BACKEND ?? 'wasm';

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

type Ctx = OpContext & { events: HostEvent[]; controller: AbortController };
function context(): Ctx {
  const events: HostEvent[] = [];
  const controller = new AbortController();
  return {
    events,
    controller,
    signal: controller.signal,
    emit: (e) => events.push(e),
    progress: (done, total, message = null) =>
      events.push({ kind: 'progress', done, total, message }),
    log: (level, message) => events.push({ kind: 'log', level, message }),
  };
}

const COLOURS = [
  { r: 200, g: 40, b: 40 },
  { r: 40, g: 200, b: 40 },
  { r: 40, g: 40, b: 200 },
];

let work = '';
let library: Library;
let meta: BackboneMeta;
const images: (DatasetItem & { split: 'train' | 'val' })[] = [];
let baseline = 0;

async function normImage(cacheDir: string, seed: number, label: number): Promise<string> {
  const bytes = await sharp({
    create: {
      width: 256,
      height: 256,
      channels: 3,
      background: COLOURS[label]!,
      noise: { type: 'gaussian', mean: 0, sigma: 20 + seed },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
  const hash = createHash('sha256').update(bytes).update(String(seed)).digest('hex');
  const file = assetFile(cacheDir, 'norm', hash);
  await mkdir(dirname(file), { recursive: true });
  await sharp(bytes).toFile(file);
  return hash;
}

before(async () => {
  process.env.LITTLEPLANET_BACKEND = BACKEND;
  work = await mkdtemp(join(tmpdir(), 'lp-host-ops-'));
  library = Library.open(join(work, 'lib'), { create: true });
  const insert = library.db.prepare(
    `INSERT INTO images (path, content_hash, bytes, mtime_ms, width, height, format, source, imported_at)
     VALUES (?, ?, 1, 0, 256, 256, 'jpeg', 'test', '2024-01-01')`,
  );
  for (let i = 0; i < 12; i++) {
    const label = i % 3;
    const hash = await normImage(library.paths.cacheDir, i, label);
    const imageId = Number(insert.run(`/photos/${i}.jpg`, hash).lastInsertRowid);
    images.push({
      imageId,
      contentHash: hash,
      normPath: assetFile(library.paths.cacheDir, 'norm', hash),
      label,
      split: i < 9 ? 'train' : 'val',
    });
  }
  // A tiny functional CNN whose last conv block stage 2 can fine-tune.
  const input = tf.input({ shape: [16, 16, 3] });
  const c1 = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      name: 'block_1_conv',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input);
  const c2 = tf.layers
    .conv2d({
      filters: 6,
      kernelSize: 1,
      activation: 'relu',
      name: 'block_2_conv',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
    })
    .apply(c1);
  const pool = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(c2);
  const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'classifier' }).apply(pool);
  const model = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
  await mkdir(join(work, 'tiny-src'));
  await model.save(fileSystemIO(join(work, 'tiny-src')));
  model.dispose();
});

after(async () => {
  library?.close();
  await rm(work, { recursive: true, force: true });
});

const location = () => ({ dbPath: library.paths.dbPath, backbonesRoot: join(work, 'backbones') });

void describe('host resources', () => {
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

  void it('TensorLock: an exclusive holder waits for shared ones and keeps new ones out', async () => {
    const lock = new TensorLock();
    const log: string[] = [];
    let releaseA: () => void = () => undefined;
    const a = lock.shared(() =>
      new Promise<void>((r) => (releaseA = r)).then(() => void log.push('a')),
    );
    const x = lock.exclusive(() => Promise.resolve(void log.push('x')));
    const b = lock.shared(() => Promise.resolve(void log.push('b')));
    await tick();
    assert.equal(log.length, 0, 'x waits for a; b waits behind x');
    releaseA();
    await Promise.all([a, x, b]);
    assert.deepEqual(log, ['a', 'x', 'b']);
    const c = lock.shared(() => Promise.resolve(void log.push('c')));
    const d = lock.shared(() => Promise.resolve(void log.push('d')));
    await Promise.all([c, d]);
    assert.deepEqual(log.slice(3), ['c', 'd']);
  });

  void it('SharedCache: a replaced value is disposed after its last user; failed loads are not kept', async () => {
    const cache = new SharedCache<{ name: string; dispose(): void }>();
    const disposed: string[] = [];
    const make = (name: string) => () =>
      Promise.resolve({ name, dispose: () => void disposed.push(name) });
    let releaseUser: () => void = () => undefined;
    const user = cache.use('a', make('a'), () => new Promise<void>((r) => (releaseUser = r)));
    await tick();
    assert.equal(await cache.use('a', make('a2'), (v) => v.name), 'a', 'cached');
    assert.equal(await cache.use('b', make('b'), (v) => v.name), 'b');
    assert.deepEqual(disposed, [], 'a is still in use');
    releaseUser();
    await user;
    await tick();
    assert.deepEqual(disposed, ['a']);
    await assert.rejects(
      cache.use(
        'c',
        () => Promise.reject(new Error('boom')),
        () => 1,
      ),
      /boom/,
    );
    assert.equal(
      await cache.use('c', make('c'), (v) => v.name),
      'c',
      'the failed load was dropped',
    );
    cache.release();
    await tick();
    assert.deepEqual(disposed, ['a', 'b', 'c']);
  });
});

void describe('fast cpu filter-gradient kernels (stage 2 on the cpu backend)', () => {
  void it('give the same gradients as tfjs-backend-cpu', async () => {
    await tf.ready();
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      type Shape = [number, number, number, number];
      const cases: {
        depthwise: boolean;
        x: Shape;
        w: Shape;
        stride: number;
        pad: 'same' | 'valid';
      }[] = [
        { depthwise: false, x: [2, 5, 6, 7], w: [3, 3, 7, 5], stride: 1, pad: 'same' },
        { depthwise: false, x: [1, 7, 7, 6], w: [3, 3, 6, 4], stride: 2, pad: 'valid' },
        { depthwise: true, x: [2, 7, 6, 4], w: [3, 3, 4, 2], stride: 2, pad: 'same' },
      ];
      const grads = (c: (typeof cases)[number]): Float32Array =>
        tf.tidy(() => {
          const x = tf.randomNormal<tf.Rank.R4>(c.x, 0, 1, 'float32', 1);
          const w = tf.randomNormal<tf.Rank.R4>(c.w, 0, 1, 'float32', 2);
          const f = (filter: tf.Tensor): tf.Tensor => {
            const f4 = filter as tf.Tensor4D;
            const y = c.depthwise
              ? tf.depthwiseConv2d(x, f4, c.stride, c.pad)
              : tf.conv2d(x, f4, c.stride, c.pad);
            return y.square().mean();
          };
          return Float32Array.from(tf.grad(f)(w).dataSync());
        });
      const reference = cases.map(grads);
      const before = tf.memory().numTensors;
      installFastCpuGradKernels();
      cases.forEach((c, i) => {
        const fast = grads(c);
        const ref = reference[i]!;
        assert.equal(fast.length, ref.length);
        const diff = Math.max(...fast.map((v, j) => Math.abs(v - ref[j]!)));
        assert.ok(diff < 1e-5, `case ${i}: max difference ${diff}`);
      });
      assert.equal(tf.memory().numTensors, before);
    } finally {
      await tf.setBackend(previous);
    }
  });
});

/** Feature-extraction params for `items`, each with `views`. */
const featureChunk = (items: typeof images, views: number[]) => ({
  ...location(),
  backbone: { name: 'tiny', sha256: meta.sha256 },
  backendPreference: null,
  augmentSeed: 1,
  items: items.map((i) => ({
    imageId: i.imageId,
    contentHash: i.contentHash,
    normPath: i.normPath,
    views,
  })),
});

/**
 * The stage 1 + stage 2 model every inference test uses, trained once by whichever test needs it
 * first, with the tensor counts around the op.
 */
let training: Promise<{
  result: Awaited<ReturnType<(typeof hostOps)['train.run']>>;
  ctx: Ctx;
  tensorsBefore: number;
  tensorsAfter: number;
}> | null = null;
const modelDir = (): string => join(work, 'models', 'm1');
function trainedModel() {
  training ??= (async () => {
    const tensorsBefore = tf.memory().numTensors;
    await mkdir(join(work, 'models'), { recursive: true });
    const ctx = context();
    const result = await hostOps['train.run'](
      {
        ...location(),
        backbone: { name: 'tiny', sha256: meta.sha256 },
        blocksDir: join(work, 'blocks'),
        runDir: join(work, 'run'),
        modelDir: modelDir(),
        resume: false,
        classes: ['a', 'b', 'c'],
        train: images.filter((i) => i.split === 'train').map(({ split: _s, ...i }) => i),
        val: images.filter((i) => i.split === 'val').map(({ split: _s, ...i }) => i),
        views: 2,
        augmentSeed: 1,
        stage1: resolveHyperParams({
          epochs: 5,
          batchSize: 4,
          learningRate: 0.1,
          earlyStopPatience: null,
        }),
        stage2: resolveHyperParams({ epochs: 2, batchSize: 4 }, 2),
        splitLayer: null,
        splitHash: 'test',
        createdAt: '2024-01-01T00:00:00.000Z',
      },
      ctx,
    );
    return { result, ctx, tensorsBefore, tensorsAfter: tf.memory().numTensors };
  })();
  return training;
}

void describe('ML host pipeline ops (in process)', () => {
  /** Tensors after the backbone import, which must leave none. */
  let afterImport = 0;

  // The backbone and the feature cache (training views 0 and 1, validation view 0) each test
  // builds on; the tests below check the same ops' answers.
  before(async () => {
    await tf.ready();
    baseline = tf.memory().numTensors;
    meta = await hostOps['backbone.import'](
      { root: join(work, 'backbones'), source: join(work, 'tiny-src'), name: 'tiny' },
      context(),
    );
    afterImport = tf.memory().numTensors;
    await hostOps['features.extract'](featureChunk(images.slice(0, 9), [0, 1]), context());
    await hostOps['features.extract'](featureChunk(images.slice(9), [0]), context());
  });

  void it('backbone.import converts the folder and leaks nothing', async () => {
    assert.equal(meta.inputSize, 16);
    assert.equal(meta.featureDim, 6);
    assert.deepEqual(meta.blockLayers, ['block_2_conv']);
    assert.equal(afterImport, baseline);
    await assert.rejects(
      hostOps['backbone.import']({ root: work, source: 42, name: 'x' }, context()),
      isCode('BAD_ARGUMENT'),
    );
  });

  void it('features.extract stores one row per view; only the cached backbone stays', async () => {
    const chunk = featureChunk;
    // From an empty cache: the same rows again, as the same seed draws the same crops.
    library.db.prepare('DELETE FROM features').run();
    const ctx = context();
    const first = await hostOps['features.extract'](chunk(images.slice(0, 6), [0, 1]), ctx);
    assert.deepEqual(first, { computed: 12, blocksComputed: 0, failed: [] });
    assert.deepEqual(ctx.events.at(-1), { kind: 'progress', done: 6, total: 6, message: null });
    const withBackbone = tf.memory().numTensors;
    assert.ok(withBackbone > baseline, 'the backbone is cached for the next chunk');
    const missing = { ...images[6]!, normPath: join(work, 'gone.jpg') };
    const second = await hostOps['features.extract'](
      chunk([...images.slice(6, 9), missing], [0, 1]),
      context(),
    );
    assert.equal(second.computed, 6);
    assert.deepEqual(
      second.failed.map((f) => [f.imageId, f.reason]),
      [[missing.imageId, 'path does not exist']],
    );
    await hostOps['features.extract'](chunk(images.slice(9), [0]), context());
    assert.equal(tf.memory().numTensors, withBackbone);

    const rows = library.db
      .prepare(
        'SELECT image_id, view, dim, length(data) AS bytes FROM features ORDER BY image_id, view',
      )
      .all() as { image_id: number; view: number; dim: number; bytes: number }[];
    assert.equal(rows.length, 9 * 2 + 3);
    assert.ok(rows.every((r) => r.dim === 6 && r.bytes === 24));
    // View 1 is a random crop keyed by the content hash, which changes with sharp's unseeded
    // noise; on an 18-pixel side it lands on the centre box about one run in 18. So each photo's
    // rows must differ exactly when its boxes do.
    const viewRows = library.db.prepare(
      'SELECT data FROM features WHERE image_id = ? ORDER BY view',
    );
    for (const image of images.slice(0, 9)) {
      const [v0, v1] = viewRows.all(image.imageId) as { data: Buffer }[];
      const [centre, crop] = trainingBoxes(meta, 2, 1, image.contentHash);
      if (JSON.stringify(centre) === JSON.stringify(crop)) {
        assert.deepEqual(v0!.data, v1!.data, `image ${image.imageId}: view 1 is the centre box`);
      } else {
        assert.notDeepEqual(v0!.data, v1!.data, `image ${image.imageId}: view 1 is another crop`);
      }
    }

    await assert.rejects(
      hostOps['features.extract'](
        { ...chunk(images.slice(0, 1), [0]), backbone: { name: 'tiny', sha256: 'a'.repeat(64) } },
        context(),
      ),
      isCode('CONFLICT'),
    );
  });

  void it('features.extract caches stage-2 block inputs from the same forward pass', async () => {
    const backbone = { name: 'tiny', sha256: meta.sha256 };
    const layer = 'block_2_conv';
    const fused = join(work, 'blocks-fused');
    const items = images.slice(0, 3).map((i) => ({
      imageId: i.imageId,
      contentHash: i.contentHash,
      normPath: i.normPath,
      views: [] as number[],
      blockViews: [0, 1],
    }));
    const chunk = {
      ...location(),
      backbone,
      backendPreference: null,
      augmentSeed: 1,
      items,
      blocks: { blocksDir: fused, layer },
    };
    const before = tf.memory().numTensors;
    const first = await hostOps['features.extract'](chunk, context());
    assert.deepEqual(first, { computed: 0, blocksComputed: 6, failed: [] }, 'features were cached');
    const again = await hostOps['features.extract'](chunk, context());
    assert.deepEqual(again, { computed: 0, blocksComputed: 0, failed: [] }, 'blocks on disk');
    assert.equal(tf.memory().numTensors, before, 'no tensor leaks');

    // The same block inputs as the training run's own (unfused, lower model) computation.
    const location2 = {
      blocksDir: join(work, 'blocks-reference'),
      backbone,
      layer,
      augmentSeed: 1,
    };
    const loaded = await loadBackbone(location().backbonesRoot, 'tiny');
    if (loaded.kind !== 'layers') throw new Error('expected a layers backbone');
    const { lower, cutShape } = splitAtLayer(loaded.featureModel, layer);
    await ensureBlockInputs(
      lower,
      items.map((i) => ({ contentHash: i.contentHash, normPath: i.normPath, views: 2 })),
      { ...location2, spec: loaded.meta, cutShape, signal: new AbortController().signal },
    );
    loaded.dispose();
    const rowFloats = cutShape.reduce((a, b) => a * b, 1);
    const decode = async (file: string): Promise<Float32Array> => {
      const bytes = await readFile(file);
      assert.equal(bytes.length, rowFloats * 2, `${file} holds one float16 row`);
      const out = new Float32Array(rowFloats);
      decodeHalf(new Uint16Array(Uint8Array.from(bytes).buffer), out, 0);
      return out;
    };
    for (const item of items) {
      for (const view of [0, 1]) {
        const got = await decode(
          blockFile({ ...location2, blocksDir: fused }, item.contentHash, view),
        );
        const want = await decode(blockFile(location2, item.contentHash, view));
        let scale = 0;
        for (const v of want) scale = Math.max(scale, Math.abs(v));
        assert.ok(scale > 0, 'a block input that is not all zeros');
        want.forEach((w, k) =>
          assert.ok(Math.abs((got[k] as number) - w) <= 2e-3 * scale, `view ${view}, value ${k}`),
        );
      }
    }
  });

  void it('train.run (stage 1 + stage 2 on the host backend) saves a model and leaks nothing', async () => {
    const { result, ctx, tensorsBefore, tensorsAfter } = await trainedModel();
    assert.equal(tensorsAfter, tensorsBefore);
    assert.equal(tf.getBackend(), BACKEND, 'back on the host backend after the gradient steps');
    assert.deepEqual(
      result.summaries.map((s) => [s.stage, s.epochsRun, s.backend]),
      [
        [1, 5, BACKEND],
        [2, 2, BACKEND],
      ],
    );
    assert.equal(result.history.length, 7);
    assert.equal(ctx.events.filter((e) => e.kind === 'epoch').length, 7);
    assert.equal(
      ctx.events.some((e) => e.kind === 'log' && /no convolution gradients/.test(e.message)),
      false,
      'stage 2 trains on the host backend itself (wasm has the app gradient kernels)',
    );
    assert.equal(result.meta.hasUpper, true);
    assert.equal(result.meta.backbone.splitLayer, 'block_2_conv');
    assert.equal(result.validation?.n, 3);
    assert.equal(result.cancelled, false);
    // Block inputs are cached as float16, one file per view, 2 bytes per value.
    const blockFiles = (
      await readdir(join(work, 'blocks'), { recursive: true, withFileTypes: true })
    )
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    // Two views per training photo, the centre view of each validation photo.
    const rows =
      2 * images.filter((i) => i.split === 'train').length +
      images.filter((i) => i.split === 'val').length;
    assert.equal(blockFiles.length, rows);
    assert.ok(blockFiles.every((f) => f.endsWith('.f16')));
    const sizes = new Set(await Promise.all(blockFiles.map(async (f) => (await stat(f)).size)));
    assert.equal(sizes.size, 1);
    assert.equal([...sizes][0]! % 2, 0);
  });

  void it('model.evaluate and model.predict give distributions; host.release frees everything', async () => {
    await trainedModel();
    const items: InferItem[] = images.map((i) => ({
      imageId: i.imageId,
      contentHash: i.contentHash,
      kind: 'norm',
      file: i.normPath,
      display: `/photos/${i.imageId}.jpg`,
      label: i.label,
    }));
    const params = {
      ...location(),
      modelDir: modelDir(),
      items,
      tta: 'multiCrop' as const,
      maxImagePixels: 1e8,
    };
    const evaluated = await hostOps['model.evaluate'](
      { ...params, priorCounts: [3, 3, 3] },
      context(),
    );
    const withModel = tf.memory().numTensors;
    assert.equal(evaluated.report.n, 12);
    assert.deepEqual(
      evaluated.report.confusion.map((r) => r.reduce((a, b) => a + b, 0)),
      [4, 4, 4],
    );
    const file = {
      ...items[0]!,
      imageId: null,
      contentHash: null,
      kind: 'file' as const,
      file: join(work, 'nope.png'),
      display: 'nope.png',
    };
    const predicted = await hostOps['model.predict'](
      { ...params, tta: 'center', items: [...items.slice(0, 3), file], k: 2 },
      context(),
    );
    assert.equal(tf.memory().numTensors, withModel);
    assert.deepEqual(
      predicted.predictions.map((p) => p.index),
      [0, 1, 2],
    );
    for (const p of predicted.predictions) {
      assert.equal(p.top.length, 2);
      assert.ok(p.top[0]!.probability >= p.top[1]!.probability);
    }
    assert.deepEqual(predicted.errors, [{ path: 'nope.png', reason: 'path does not exist' }]);
    const released = await hostOps['host.release']({}, context());
    assert.equal(released.numTensors, baseline);
    assert.equal(tf.memory().numTensors, baseline);
  });

  void it('explain.heatmap (occlusion, inclusion) and embed.compute answer and leak nothing', async () => {
    await trainedModel();
    const items: InferItem[] = images.slice(0, 4).map((i) => ({
      imageId: i.imageId,
      contentHash: i.contentHash,
      kind: 'norm',
      file: i.normPath,
      display: `/photos/${i.imageId}.jpg`,
      label: i.label,
    }));
    const common = {
      ...location(),
      modelDir: modelDir(),
      item: items[0]!,
      classIndex: null,
      maxImagePixels: 1e8,
    };
    for (const method of ['occlusion', 'inclusion'] as const) {
      const map = await hostOps['explain.heatmap'](
        { ...common, method, box: 8, stride: 4 },
        context(),
      );
      assert.equal(map.method, method);
      assert.ok(map.rows > 0 && map.cols > 0, `${method}: ${map.rows}x${map.cols}`);
      assert.ok(Math.abs(map.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    }
    const embedded = await hostOps['embed.compute'](
      { ...location(), modelDir: modelDir(), items, method: 'tsne', seed: 1 },
      context(),
    );
    assert.equal(embedded.points.length, 4);
    const released = await hostOps['host.release']({}, context());
    assert.equal(released.numTensors, baseline);
  });
});
