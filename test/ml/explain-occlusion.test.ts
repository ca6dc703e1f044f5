// Occlusion and inclusion maps: geometry checked on a probability function whose answer depends
// on one known region, and on the real MobileNetV2 with a photo placed in one corner of a grey
// image (hiding that corner must cost the most; showing it alone must earn the most).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { selectBackend } from '../../src/main/ml-host/backend';
import { classifierProbabilities } from '../../src/main/ml-host/backbone';
import { slidingMap, windowStarts } from '../../src/main/ml-host/explain/occlusion';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { loadMobileNet, parrotOnGrey, type ExplainFixture } from './explain-fixtures';

before(async () => {
  await selectBackend({ preference: 'wasm', env: {} });
});

/** Class 0's probability is the mean of the top-left 8x8 pixels (all values in [0, 1]). */
const cornerDetector = (batch: tf.Tensor4D): tf.Tensor2D =>
  tf.tidy(() => {
    const n = batch.shape[0];
    const p = tf.mean(tf.slice(batch, [0, 0, 0, 0], [n, 8, 8, 3]), [1, 2, 3]).reshape([n, 1]);
    return tf.concat([p, tf.sub(1, p)], 1) as tf.Tensor2D;
  });

describe('sliding windows', () => {
  it('window starts cover the image, edges included', () => {
    assert.deepEqual(windowStarts(32, 8, 8), [0, 8, 16, 24]);
    assert.deepEqual(windowStarts(30, 8, 8), [0, 8, 16, 22]);
    assert.deepEqual(windowStarts(224, 32, 16).length, 13);
    assert.throws(() => windowStarts(32, 40, 8), AppError);
    assert.throws(() => windowStarts(32, 8, 0), AppError);
  });

  it('occlusion: only the windows over the region that carries the class lower its score; row 0 is the top', async () => {
    const image = { data: new Float32Array(32 * 32 * 3).fill(1), size: 32 };
    const before = tf.memory().numTensors;
    const map = await slidingMap(image, cornerDetector, {
      method: 'occlusion',
      classIndex: 0,
      box: 8,
      stride: 8,
      fill: 0,
      batchSize: 5,
    });
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    assert.deepEqual([map.rows, map.cols, map.baseline], [4, 4, 1]);
    assert.equal(map.values[0]![0], 1, 'hiding the top-left square removes all the evidence');
    const elsewhere = map.values.flat().slice(1);
    assert.ok(elsewhere.every((v) => v === 0));
  });

  it('inclusion: only the window over that region earns the score', async () => {
    const image = { data: new Float32Array(32 * 32 * 3).fill(1), size: 32 };
    const map = await slidingMap(image, cornerDetector, {
      method: 'inclusion',
      classIndex: 0,
      box: 8,
      stride: 8,
      fill: 0,
    });
    assert.equal(map.values[0]![0], 1);
    assert.ok(
      map.values
        .flat()
        .slice(1)
        .every((v) => v === 0),
    );
  });

  it('refuses a class the model does not have, and stops when cancelled', async () => {
    const image = { data: new Float32Array(32 * 32 * 3), size: 32 };
    const options = { method: 'occlusion', box: 8, stride: 8, fill: 0 } as const;
    await assert.rejects(
      () => slidingMap(image, cornerDetector, { ...options, classIndex: 5 }),
      (e: unknown) => e instanceof AppError && e.code === 'BAD_ARGUMENT',
    );
    const before = tf.memory().numTensors;
    let calls = 0;
    await assert.rejects(
      () =>
        slidingMap(image, cornerDetector, {
          ...options,
          classIndex: 0,
          batchSize: 4,
          onProgress: () => ++calls === 2,
        }),
      (e: unknown) => e instanceof AppError && e.code === 'CANCELLED',
    );
    assert.equal(calls, 2);
    assert.equal(tf.memory().numTensors, before);
  });
});

const shared = sharedFixtures();

describe(
  'occlusion on the shared MobileNetV2 and a real photo',
  { skip: shared === null ? SHARED_MISSING : false },
  () => {
    let fixture: ExplainFixture;
    before(async () => {
      fixture = await loadMobileNet(shared!);
    });
    after(() => fixture?.dispose());

    it('the corner holding the parrot matters most, by both methods', async () => {
      const { backbone, macaw } = fixture;
      // A grey 224 image with the parrot photo in its top-left 112x112 quadrant.
      const image = await parrotOnGrey(shared!, backbone, { left: 0, top: 0 });
      const { scale, offset } = backbone.meta.normalisation;
      const probs = (batch: tf.Tensor4D): tf.Tensor2D => classifierProbabilities(backbone, batch);
      const options = { classIndex: macaw, box: 112, stride: 112, fill: 128 * scale + offset };
      const occ = await slidingMap(image, probs, { ...options, method: 'occlusion' });
      assert.ok(occ.baseline > 0.2, `the network sees a macaw (${occ.baseline})`);
      const [top, ...rest] = occ.values.flat();
      assert.ok(
        rest.every((v) => (top as number) > v + 0.1),
        JSON.stringify(occ.values),
      );
      const inc = await slidingMap(image, probs, { ...options, method: 'inclusion' });
      const [shown, ...others] = inc.values.flat();
      assert.ok(
        others.every((v) => (shown as number) > v + 0.1),
        JSON.stringify(inc.values),
      );
    });
  },
);
