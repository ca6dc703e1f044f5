// Grad-CAM: exact on a tiny model where the answer is known in closed form, and on the shared
// MobileNetV2 (its own ImageNet classifier as the head) it points at the photo's corner.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { selectBackend } from '../../src/main/ml-host/backend';
import { gradCam } from '../../src/main/ml-host/explain/gradcam';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { loadMobileNet, parrotOnGrey, type ExplainFixture } from './explain-fixtures';

before(async () => {
  await selectBackend({ preference: 'wasm', env: {} });
});

describe('Grad-CAM', () => {
  it('equals ReLU(sum_k mean-gradient_k * A_k) on a linear head', async () => {
    // Activation = the input itself (4x4x2); logits = features · W, so the gradient of class c
    // with respect to A_k(i, j) is W[k][c] / 16 everywhere, and the map is ReLU(sum_k W[k][c]/16 · A_k).
    const W = [
      [2, -1],
      [-3, 1],
    ];
    const data = Float32Array.from({ length: 4 * 4 * 3 }, (_, i) => ((i * 7) % 5) - 1);
    const weights = tf.tensor2d(W);
    const before = tf.memory().numTensors;
    const map = await gradCam(
      { data, size: 4 },
      {
        activation: (x) => tf.slice(x, [0, 0, 0, 0], [1, 4, 4, 2]),
        logits: (f) => tf.matMul(f, weights),
      },
      1,
    );
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    assert.deepEqual([map.rows, map.cols], [4, 4]);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        const a0 = data[(r * 4 + c) * 3] as number;
        const a1 = data[(r * 4 + c) * 3 + 1] as number;
        const expected = Math.max(0, ((W[0]![1] as number) * a0 + (W[1]![1] as number) * a1) / 16);
        assert.ok(Math.abs((map.values[r]![c] as number) - expected) < 1e-6, `${r},${c}`);
      }
    }
    assert.ok(map.baseline > 0 && map.baseline < 1);
    await assert.rejects(() =>
      gradCam(
        { data, size: 4 },
        {
          activation: (x) => tf.slice(x, [0, 0, 0, 0], [1, 4, 4, 2]),
          logits: (f) => tf.matMul(f, weights),
        },
        2,
      ),
    );
    weights.dispose();
  });
});

const shared = sharedFixtures();

describe(
  'Grad-CAM on the shared MobileNetV2 and a real photo',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    let fixture: ExplainFixture;
    before(async () => {
      fixture = await loadMobileNet(shared!);
    });
    after(() => fixture?.dispose());

    it('puts the evidence for "macaw" on the corner holding the parrot', async () => {
      const { backbone, macaw } = fixture;
      const image = await parrotOnGrey(shared!, backbone, { left: 112, top: 112 });
      // The network's own classifier is a 1x1 convolution on the pooled features: a dense layer.
      const classifier = backbone.model.layers.find(
        (l) => l.getClassName() === 'Conv2D' && l.getWeights()[0]?.shape.at(-1) === 1001,
      );
      assert.ok(classifier !== undefined, 'the 1001-way classifier layer');
      const [kernel, bias] = classifier.getWeights();
      const dense = tf.reshape(kernel!, [1280, 1001]);
      const pool = backbone.featureModel.getLayer(backbone.meta.featureLayer);
      const camModel = tf.model({
        inputs: backbone.featureModel.inputs,
        outputs: pool.input,
      });
      const map = await gradCam(
        image,
        {
          activation: (x) => camModel.predict(x) as tf.Tensor4D,
          logits: (f) => tf.add(tf.matMul(f, dense), bias!),
        },
        macaw,
      );
      dense.dispose();
      assert.deepEqual([map.rows, map.cols], [7, 7]);
      assert.ok(map.baseline > 0.2, `the network sees a macaw (${map.baseline})`);
      const mean = (r0: number, c0: number): number => {
        let s = 0;
        for (let r = r0; r < r0 + 3; r++) for (let c = c0; c < c0 + 3; c++) s += map.values[r]![c]!;
        return s / 9;
      };
      const parrotCorner = mean(4, 4);
      for (const [r, c] of [
        [0, 0],
        [0, 4],
        [4, 0],
      ] as const) {
        assert.ok(parrotCorner > 2 * mean(r, c), `corner ${r},${c}: ${JSON.stringify(map.values)}`);
      }
    });
  },
);
