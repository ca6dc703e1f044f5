// The fused inference path must give predict()'s values (up to float rounding) on every graph it
// accepts, fall back to predict() on graphs it does not, and free everything it allocates.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selectBackend } from '../../src/main/ml-host/backend';
import {
  extractFeatures,
  extractFeaturesAndBlocks,
  importBackbone,
  loadBackbone,
  splitAtLayer,
} from '../../src/main/ml-host/backbone';
import { runInference, foldedRelus } from '../../src/main/ml-host/backbone/fused-runner';
import { BUNDLED_MOBILENET_V2 } from '../helpers/shared-fixtures';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? Infinity);
}

/** predict() and runInference() on the same input: their largest difference; no tensor leaks. */
function compare(model: tf.LayersModel, x: tf.Tensor, batchSize?: number): number {
  const plain = model.predict(x) as tf.Tensor;
  const before = tf.memory().numTensors;
  const fused = runInference(model, x, batchSize);
  assert.equal(tf.memory().numTensors, before + 1, 'only the result is left');
  const diff = maxDiff(plain, fused);
  tf.dispose([plain, fused]);
  return diff;
}

/** Random weights of a fixed seed for every layer (biases too, so fusing a bias matters). */
function randomise(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    layer.setWeights(weights.map((w) => tf.randomNormal(w.shape, 0, 0.3, 'float32', s++)));
  }
}

let input: tf.Tensor4D;
before(async () => {
  await selectBackend({ preference: 'wasm', env: {} });
  input = tf.randomUniform<tf.Rank.R4>([5, 16, 16, 3], -1, 1, 'float32', 7);
});
after(() => input.dispose());

void describe('fused inference runner', () => {
  void it('conv and depthwise followed by ReLU6 / ReLU fuse; residual adds and pooling pass through', () => {
    const x = tf.input({ shape: [16, 16, 3] });
    const c1 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(x);
    const r1 = tf.layers.reLU({ maxValue: 6 }).apply(c1);
    const d1 = tf.layers
      .depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 1 })
      .apply(r1);
    const r2 = tf.layers.reLU({}).apply(d1);
    const c2 = tf.layers.conv2d({ filters: 8, kernelSize: 1, padding: 'valid' }).apply(r2);
    const sum = tf.layers.add().apply([c2 as tf.SymbolicTensor, r1 as tf.SymbolicTensor]);
    const c3 = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' })
      .apply(sum);
    const pooled = tf.layers.globalAveragePooling2d({}).apply(c3);
    const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(pooled);
    const model = tf.model({ inputs: x, outputs: out as tf.SymbolicTensor });
    randomise(model, 1);
    assert.equal(
      foldedRelus(model),
      2,
      'conv+ReLU6 and depthwise+ReLU (the third conv has its own)',
    );
    assert.ok(compare(model, input) < 1e-5);
    assert.ok(compare(model, input, 2) < 1e-5, 'in batches of 2 (3 runs, concatenated)');
    model.dispose();
  });

  void it('does not fuse what would change the result: a shared conv output, ReLU(maxValue 3), a model ending in the conv', () => {
    const x = tf.input({ shape: [16, 16, 3] });
    const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x);
    // c1 feeds both a ReLU and the add: fusing the ReLU would clip the add's input too.
    const r1 = tf.layers.reLU({ maxValue: 6 }).apply(c1);
    const both = tf.layers.add().apply([c1 as tf.SymbolicTensor, r1 as tf.SymbolicTensor]);
    const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(both);
    const r3 = tf.layers.reLU({ maxValue: 3 }).apply(c2);
    const c3 = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(r3);
    const model = tf.model({ inputs: x, outputs: c3 as tf.SymbolicTensor });
    randomise(model, 2);
    assert.equal(foldedRelus(model), 0);
    assert.ok(compare(model, input) < 1e-5);
    model.dispose();
  });

  void it('falls back to predict() for a layer used twice (two inbound nodes)', () => {
    const x = tf.input({ shape: [16, 16, 3] });
    const shared = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' });
    const once = shared.apply(x) as tf.SymbolicTensor;
    const twice = shared.apply(once) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: twice });
    randomise(model, 3);
    assert.equal(foldedRelus(model), null);
    assert.equal(compare(model, input), 0, 'the fallback is predict() itself');
    model.dispose();
  });
});

void describe('fused inference on the built-in MobileNetV2 (assets/)', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lp-fused-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  void it('features and classifier outputs match predict(); memory does not grow', async () => {
    await importBackbone({ source: BUNDLED_MOBILENET_V2, name: 'mnv2', root });
    const backbone = await loadBackbone(root, 'mnv2');
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    try {
      // Every ReLU6 of MobileNetV2 follows a convolution (the projections have none).
      assert.equal(foldedRelus(backbone.featureModel), 35);
      assert.equal(foldedRelus(backbone.model), 35);
      const batch = tf.randomUniform<tf.Rank.R4>([3, 224, 224, 3], -1, 1, 'float32', 11);
      // Features are post-ReLU6 averages in [0, 6]; 1e-4 is float rounding, not a difference.
      assert.ok(compare(backbone.featureModel, batch) < 1e-4);
      assert.ok(compare(backbone.model, batch) < 1e-4);
      const start = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) extractFeatures(backbone, batch, 2).dispose();
      assert.equal(tf.memory().numTensors, start, 'repeated extraction leaves nothing behind');
      batch.dispose();
    } finally {
      backbone.dispose();
    }
  });

  void it('taps the block input at a cut from the same pass: equal to the lower model, and the features too', async () => {
    const backbone = await loadBackbone(root, 'mnv2');
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    const batch = tf.randomUniform<tf.Rank.R4>([3, 224, 224, 3], -1, 1, 'float32', 13);
    try {
      const features = extractFeatures(backbone, batch);
      const taps: [string, number[]][] = [];
      for (const layer of ['expanded_conv_16_expand', 'Conv_1', 'expanded_conv_14_expand']) {
        const start = tf.memory().numTensors;
        const both = extractFeaturesAndBlocks(backbone, batch, layer, 2);
        assert.ok(both !== null, `${layer} can be tapped`);
        assert.equal(tf.memory().numTensors, start + 2, 'only the two results are left');
        assert.ok(maxDiff(both.features, features) < 1e-4, `${layer}: the same features`);
        taps.push([layer, both.blocks.shape.slice(1)]);
        tf.dispose([both.features, both.blocks]);
      }
      assert.deepEqual(taps, [
        ['expanded_conv_16_expand', [7, 7, 160]],
        ['Conv_1', [7, 7, 320]],
        ['expanded_conv_14_expand', [7, 7, 160]],
      ]);
      assert.equal(extractFeaturesAndBlocks(backbone, batch, 'no_such_layer'), null);
      // Against the lower half of a split, on a second copy (splitting re-applies the layers).
      const copy = await loadBackbone(root, 'mnv2');
      if (copy.kind !== 'layers') throw new Error('expected a layers backbone');
      const { lower } = splitAtLayer(copy.featureModel, 'expanded_conv_16_expand');
      const reference = lower.predict(batch) as tf.Tensor;
      const tapped = extractFeaturesAndBlocks(backbone, batch, 'expanded_conv_16_expand');
      assert.ok(tapped !== null);
      assert.ok(maxDiff(tapped.blocks, reference) < 1e-3, 'the block input the split model gives');
      tf.dispose([reference, tapped.blocks, tapped.features, features]);
      copy.dispose();
    } finally {
      batch.dispose();
      backbone.dispose();
    }
  });
});
