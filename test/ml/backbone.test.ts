// The shared MobileNetV2 TFLite, converted and run on the wasm backend: it must classify the
// sanity photos like the original, give 1280-d features, and split for fine-tuning exactly.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AppError } from '../../src/shared/contract/errors';
import { selectBackend } from '../../src/main/ml-host/backend';
import {
  classify,
  extractFeatures,
  importBackbone,
  listBackbones,
  loadBackbone,
  preprocess,
  splitAtLayer,
  type BackboneMeta,
  type LayersBackbone,
} from '../../src/main/ml-host/backbone';
import { MOBILENET_V2_SHA256, SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';

const shared = sharedFixtures();
const PHOTOS = [
  { file: 'cat_720p.jpg', label: 'Egyptian cat', min: 0.85 },
  { file: 'hot_dog.jpg', label: 'hotdog, hot dog, red hot', min: 0.97 },
  { file: 'parrot.jpg', label: 'macaw', min: 0.97 },
];
const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** Decodes a photo, centre-crops it square and resizes to size×size RGB (what the reference did). */
async function pixels(path: string, size: number): Promise<Buffer> {
  return sharp(path).resize(size, size, { fit: 'cover' }).removeAlpha().raw().toBuffer();
}

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0] ?? Infinity;
  d.dispose();
  return v;
}

void describe(
  'MobileNetV2 backbone from TFLite',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    let root = '';
    let meta: BackboneMeta;
    let backbone: LayersBackbone;
    let batch: tf.Tensor4D;
    let baseline = 0;

    before(async () => {
      if (shared === null) return;
      await selectBackend({ env: {}, preference: 'wasm' });
      root = await mkdtemp(join(tmpdir(), 'lp-backbone-'));
      baseline = tf.memory().numTensors;
      const labels = (await readFile(shared.imagenetLabels, 'utf8')).trimEnd().split('\n');
      const t0 = performance.now();
      meta = await importBackbone({ source: shared.mobilenetV2Tflite, name: 'mnv2', root, labels });
      const convertMs = performance.now() - t0;
      assert.equal(tf.memory().numTensors, baseline, 'importBackbone leaks no tensors');
      const t1 = performance.now();
      const loaded = await loadBackbone(root, 'mnv2');
      assert.equal(loaded.kind, 'layers');
      if (loaded.kind !== 'layers') throw new Error('expected a layers backbone');
      backbone = loaded;
      console.log(
        `# convert+save ${convertMs.toFixed(0)} ms, load ${(performance.now() - t1).toFixed(0)} ms`,
      );
      const images = await Promise.all(
        PHOTOS.map(async (p) =>
          preprocess(await pixels(join(shared.sanityDir, p.file), 224), 224, 224, meta),
        ),
      );
      batch = tf.concat<tf.Tensor4D>(images);
      tf.dispose(images);
    });

    after(async () => {
      batch?.dispose();
      backbone?.dispose();
      if (shared !== null)
        assert.equal(tf.memory().numTensors, baseline, 'dispose frees every weight');
      if (root) await rm(root, { recursive: true, force: true });
    });

    void it('records what the TFLite file says: size, normalisation, features, blocks, labels, sha256', async () => {
      assert.equal(meta.format, 'tflite');
      assert.equal(meta.inputSize, 224);
      assert.deepEqual(meta.normalisation, { scale: 1 / 128, offset: -1 });
      assert.equal(meta.featureLayer, 'Logits_AvgPool');
      assert.equal(meta.featureDim, 1280);
      assert.equal(meta.blockLayers.length, 18);
      assert.equal(meta.blockLayers[0], 'expanded_conv_depthwise');
      assert.deepEqual(meta.blockLayers.slice(-3), [
        'expanded_conv_15_expand',
        'expanded_conv_16_expand',
        'Conv_1',
      ]);
      assert.equal(meta.classifierLabels?.length, 1001);
      assert.equal(meta.classifierLabels?.[0], 'background');
      assert.equal(meta.sha256, MOBILENET_V2_SHA256);
      assert.deepEqual(await listBackbones(root), [meta]);
      assert.deepEqual((await readdir(join(root, 'mnv2'))).sort(), [
        'backbone.json',
        'model.json',
        'weights.bin',
      ]);
      await assert.rejects(
        importBackbone({ source: shared!.mobilenetV2Tflite, name: 'mnv2', root }),
        isCode('CONFLICT'),
      );
      await assert.rejects(loadBackbone(root, 'absent'), isCode('NOT_FOUND'));
    });

    void it('classifies the sanity photos like the original network (wasm)', async () => {
      const before = tf.memory().numTensors;
      const warm = batch.slice(0, 1);
      await classify(backbone, warm, 1); // warm-up (kernel setup)
      warm.dispose();
      const t0 = performance.now();
      const top = await classify(backbone, batch, 3);
      const perImage = (performance.now() - t0) / PHOTOS.length;
      const single: number[] = [];
      for (let i = 0; i < PHOTOS.length; i++) {
        const one = batch.slice(i, 1);
        const t = performance.now();
        await classify(backbone, one, 1);
        single.push(performance.now() - t);
        one.dispose();
      }
      console.log(
        `# classify: ${perImage.toFixed(0)} ms/image in a batch of 3, ${single.map((s) => s.toFixed(0)).join('/')} ms one by one`,
      );
      PHOTOS.forEach((p, i) => {
        const best = top[i]?.[0];
        assert.equal(best?.label, p.label, `${p.file}: ${JSON.stringify(top[i])}`);
        assert.ok((best?.probability ?? 0) >= p.min, `${p.file}: ${best?.probability}`);
      });
      // Index 0 is 'background', so 'macaw' is 89 in the 1001-way output.
      assert.equal(top[2]?.[0]?.index, 89);
      assert.equal(tf.memory().numTensors, before);
    });

    void it('extracts 1280-d post-ReLU6 features', async () => {
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      const f = extractFeatures(backbone, batch);
      const values = await f.data();
      console.log(
        `# extractFeatures: ${((performance.now() - t0) / PHOTOS.length).toFixed(0)} ms/image`,
      );
      assert.deepEqual(f.shape, [3, 1280]);
      assert.ok(values.every((v) => v >= 0 && v <= 6));
      assert.ok(values.some((v) => v > 0.5));
      f.dispose();
      assert.equal(tf.memory().numTensors, before);
      const wrongSize = tf.zeros<tf.Rank.R4>([1, 100, 100, 3]);
      assert.throws(() => extractFeatures(backbone, wrongSize), isCode('BAD_ARGUMENT'));
      wrongSize.dispose();
    });

    void it('splits at block starts so that upper(lower(x)) equals the features', async () => {
      const before = tf.memory().numTensors;
      const want = extractFeatures(backbone, batch);
      for (const cutAt of ['Conv_1', 'expanded_conv_14_expand']) {
        const { lower, upper, cutShape } = splitAtLayer(backbone.featureModel, cutAt);
        const mid = lower.predict(batch) as tf.Tensor;
        const got = upper.predict(mid) as tf.Tensor;
        assert.deepEqual(mid.shape, [3, ...cutShape]);
        assert.deepEqual(got.shape, [3, 1280]);
        const diff = await maxDiff(got, want);
        assert.ok(diff < 1e-4, `${cutAt}: max difference ${diff}`);
        assert.ok(
          upper.trainableWeights.length > 0 &&
            upper.trainableWeights.length < backbone.featureModel.trainableWeights.length,
        );
        tf.dispose([mid, got]);
        upper.dispose(); // releases its reference to the shared layers, not their weights
      }
      assert.deepEqual(splitAtLayer(backbone.featureModel, 'Conv_1').cutShape, [7, 7, 320]);
      // Inside a residual block the block input also crosses the cut.
      assert.throws(
        () => splitAtLayer(backbone.featureModel, 'expanded_conv_14_depthwise'),
        isCode('UNSUPPORTED'),
      );
      assert.throws(
        () => splitAtLayer(backbone.featureModel, 'no_such_layer'),
        isCode('NOT_FOUND'),
      );
      // The features still come out right after the layers were re-applied for the splits.
      const again = extractFeatures(backbone, batch);
      assert.equal(await maxDiff(again, want), 0);
      tf.dispose([want, again]);
      assert.equal(tf.memory().numTensors, before);
    });

    void it('re-imports the converted folder as a TF.js layers model with the same features', async () => {
      const before = tf.memory().numTensors;
      const copy = await importBackbone({
        source: join(root, 'mnv2', 'model.json'),
        name: 'mnv2-copy',
        root,
      });
      assert.equal(copy.format, 'tfjs-layers');
      assert.equal(copy.featureLayer, meta.featureLayer);
      assert.equal(copy.featureDim, 1280);
      assert.deepEqual(copy.blockLayers, meta.blockLayers);
      assert.deepEqual(copy.normalisation, { scale: 2 / 255, offset: -1 }); // not known: the default
      assert.deepEqual(
        copy.sourceFiles.map((f) => f.path),
        ['model.json', 'weights.bin'],
      );
      const loaded = await loadBackbone(root, 'mnv2-copy');
      const one = batch.slice(2, 1);
      const [a, b] = [extractFeatures(backbone, one), extractFeatures(loaded, one)];
      assert.equal(await maxDiff(a, b), 0);
      tf.dispose([one, a, b]);
      loaded.dispose();
      assert.equal(tf.memory().numTensors, before);
      assert.deepEqual(
        (await listBackbones(root)).map((m) => m.name),
        ['mnv2', 'mnv2-copy'],
      );
    });
  },
);

void describe('preprocess', () => {
  void it('normalises RGB and RGBA pixels and resizes to the input size', async () => {
    const before = tf.memory().numTensors;
    const meta = { inputSize: 2, normalisation: { scale: 1 / 128, offset: -1 } };
    const rgb = preprocess(
      Uint8Array.from([0, 128, 255, 64, 64, 64, 0, 0, 0, 255, 255, 255]),
      2,
      2,
      meta,
    );
    assert.deepEqual(rgb.shape, [1, 2, 2, 3]);
    assert.deepEqual(Array.from(await rgb.data()), [
      -1,
      0,
      255 / 128 - 1,
      -0.5,
      -0.5,
      -0.5,
      -1,
      -1,
      -1,
      255 / 128 - 1,
      255 / 128 - 1,
      255 / 128 - 1,
    ]);
    const rgba = preprocess(
      Uint8Array.from([128, 128, 128, 7, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0, 7]),
      2,
      2,
      meta,
    );
    assert.deepEqual(Array.from((await rgba.data()).slice(0, 4)), [0, 0, 0, -1]);
    const big = preprocess(new Uint8Array(4 * 4 * 3).fill(128), 4, 4, meta);
    assert.deepEqual(big.shape, [1, 2, 2, 3]);
    assert.ok((await big.data()).every((v) => v === 0));
    tf.dispose([rgb, rgba, big]);
    assert.throws(() => preprocess(new Uint8Array(5), 2, 2, meta), isCode('BAD_ARGUMENT'));
    assert.equal(tf.memory().numTensors, before);
  });
});
