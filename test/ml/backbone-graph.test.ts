// Cut points and splits on a small residual network (no ../shared needed).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { selectBackend } from '../../src/main/ml-host/backend';
import { findBlockLayers, layerOutput, splitAtLayer } from '../../src/main/ml-host/backbone';

const isCode = (code: string, pattern?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (pattern === undefined || pattern.test(e.message));

/** stem conv → relu ─┬─ res_expand → res_relu ─ add ─ head_conv → pool → dense
 *                    └──────────────────────────┘                                */
function residualNet(): tf.LayersModel {
  const S = (x: unknown) => x as tf.SymbolicTensor;
  const input = tf.input({ shape: [6, 6, 2] });
  const conv = (name: string, filters: number) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name, biasInitializer: 'ones' });
  const stem = S(tf.layers.reLU({ name: 'stem_relu' }).apply(conv('stem_conv', 4).apply(input)));
  const res = S(tf.layers.reLU({ name: 'res_relu' }).apply(conv('res_expand', 4).apply(stem)));
  const added = S(tf.layers.add({ name: 'res_add' }).apply([stem, res]));
  const head = S(conv('head_conv', 5).apply(added));
  const pool = S(tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(head));
  const out = S(tf.layers.dense({ units: 3, name: 'logits' }).apply(pool));
  return tf.model({ inputs: input, outputs: out });
}

void describe('splitAtLayer and findBlockLayers', () => {
  before(async () => {
    await selectBackend({ env: {}, preference: 'wasm' });
  });

  void it('finds one cut point per block, never inside the residual connection', () => {
    const model = residualNet();
    assert.deepEqual(findBlockLayers(model, 'pool'), ['res_expand', 'head_conv']);
    assert.deepEqual(layerOutput(model, 'pool').shape, [null, 5]);
    model.dispose();
  });

  void it('rebuilds the part above a cut on shared weights: upper(lower(x)) = model(x)', () => {
    const model = residualNet();
    const start = tf.memory().numTensors;
    const x = tf.randomNormal<tf.Rank.R4>([3, 6, 6, 2], 0, 1, 'float32', 3);
    const want = model.predict(x) as tf.Tensor;
    for (const cut of ['res_expand', 'head_conv']) {
      const { lower, upper, cutShape } = splitAtLayer(model, cut);
      assert.deepEqual(cutShape, [6, 6, 4]);
      const mid = lower.predict(x) as tf.Tensor;
      const got = upper.predict(mid) as tf.Tensor;
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0] ?? 1);
      assert.ok(diff < 1e-5, `${cut}: ${diff}`);
      // Shared, not copied: upper trains the model's own layers.
      assert.equal(upper.getLayer('head_conv'), model.getLayer('head_conv'));
      tf.dispose([mid, got]);
      upper.dispose();
    }
    const features = splitAtLayer(model, 'head_conv', 'pool');
    assert.deepEqual(features.upper.outputs[0]?.shape, [null, 5]);
    features.upper.dispose();
    tf.dispose([x, want]);
    assert.equal(tf.memory().numTensors, start);
    model.dispose();
  });

  void it('refuses cuts that another activation crosses, multi-input layers and unknown names', () => {
    const model = residualNet();
    assert.throws(() => splitAtLayer(model, 'res_relu'), isCode('UNSUPPORTED', /residual/));
    assert.throws(() => splitAtLayer(model, 'res_add'), isCode('UNSUPPORTED', /takes 2 inputs/));
    assert.throws(() => splitAtLayer(model, 'nope'), isCode('NOT_FOUND', /no layer 'nope'/));
    model.dispose();
  });
});
