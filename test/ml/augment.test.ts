import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend } from '../../src/main/ml-host/backend';
import { AppError } from '../../src/shared/contract/errors';
import {
  applyCrops,
  augmentViews,
  centerBox,
  centerCrop,
  mirror,
  multiCropBoxes,
  ttaProbabilities,
  viewBoxes,
} from '../../src/main/ml-host/augment';

/** 256 x 256 x 3 image whose channel 0 is row * 1000 + column, so every crop can be located. */
function positional(): tf.Tensor3D {
  const v = new Float32Array(256 * 256 * 3);
  for (let r = 0; r < 256; r++) for (let c = 0; c < 256; c++) v[(r * 256 + c) * 3] = r * 1000 + c;
  return tf.tensor3d(v, [256, 256, 3]);
}

/** One element, read without copying the whole tensor out. */
const at = (t: tf.Tensor, ...index: number[]): number =>
  tf.tidy(
    () =>
      tf
        .slice(
          t,
          index,
          index.map(() => 1),
        )
        .dataSync()[0]!,
  );

let image: tf.Tensor3D;
before(async () => {
  await selectBackend({ preference: 'wasm', env: {} });
  image = positional();
});

void describe('crops', () => {
  void it('centre crop of 256 to 224 starts at (16, 16)', () => {
    assert.deepEqual(centerBox(256, 256, 224), { top: 16, left: 16, size: 224, mirror: false });
    const n = tf.memory().numTensors;
    const crop = centerCrop(image, 224);
    assert.deepEqual(crop.shape, [224, 224, 3]);
    assert.equal(at(crop, 0, 0, 0), 16 * 1000 + 16);
    assert.equal(at(crop, 223, 223, 0), 239 * 1000 + 239);
    crop.dispose();
    assert.equal(tf.memory().numTensors, n);
  });

  void it('mirrors horizontally', () => {
    const m = mirror(image);
    assert.equal(at(m, 5, 0, 0), 5 * 1000 + 255);
    assert.equal(at(m, 5, 255, 0), 5 * 1000);
    m.dispose();
  });

  void it('multi-crop: centre + 4 corners, then mirrored', () => {
    const boxes = multiCropBoxes(256, 256, 224);
    assert.deepEqual(
      boxes.map((b) => [b.top, b.left, b.mirror]),
      [
        [16, 16, false],
        [0, 0, false],
        [0, 32, false],
        [32, 0, false],
        [32, 32, false],
        [16, 16, true],
        [0, 0, true],
        [0, 32, true],
        [32, 0, true],
        [32, 32, true],
      ],
    );
    const n = tf.memory().numTensors;
    const crops = applyCrops(image, boxes);
    assert.deepEqual(crops.shape, [10, 224, 224, 3]);
    assert.equal(at(crops, 4, 0, 0, 0), 32 * 1000 + 32); // bottom-right corner crop
    assert.equal(at(crops, 9, 0, 0, 0), 32 * 1000 + 255); // ...mirrored: its right edge first
    crops.dispose();
    assert.equal(tf.memory().numTensors, n);
  });

  void it('views: centre first, then seeded random crops fixed by (seed, key)', () => {
    const a = viewBoxes(256, 256, 224, 6, 1, 'sha-of-image');
    assert.deepEqual(a[0], centerBox(256, 256, 224));
    assert.deepEqual(viewBoxes(256, 256, 224, 6, 1, 'sha-of-image'), a);
    assert.notDeepEqual(viewBoxes(256, 256, 224, 6, 2, 'sha-of-image'), a);
    assert.notDeepEqual(viewBoxes(256, 256, 224, 6, 1, 'other-image'), a);
    for (const b of viewBoxes(256, 256, 224, 200, 3, 'k').slice(1)) {
      assert.ok(b.top >= 0 && b.top <= 32 && b.left >= 0 && b.left <= 32);
    }
    const mirrored = viewBoxes(256, 256, 224, 401, 3, 'k').filter((b) => b.mirror).length;
    assert.ok(mirrored > 150 && mirrored < 250, `about half mirrored (${mirrored} of 400)`);
    const n = tf.memory().numTensors;
    const views = augmentViews(image, { size: 224, views: 6, seed: 1, key: 'sha-of-image' });
    assert.deepEqual(views.shape, [6, 224, 224, 3]);
    const b = a[3]!;
    const expected = b.top * 1000 + (b.mirror ? b.left + 223 : b.left);
    assert.equal(at(views, 3, 0, 0, 0), expected);
    views.dispose();
    assert.equal(tf.memory().numTensors, n);
  });

  void it('refuses crops that do not fit', () => {
    assert.throws(
      () => centerBox(200, 256, 224),
      (e: unknown) => e instanceof AppError && e.code === 'BAD_ARGUMENT',
    );
    assert.throws(
      () => applyCrops(image, [{ top: 40, left: 0, size: 224, mirror: false }]),
      (e: unknown) => e instanceof AppError && e.code === 'BAD_ARGUMENT',
    );
  });
});

void describe('test-time augmentation', () => {
  // A fake classifier: P(class 1) = top-left value of the crop / 100000, P(class 0) the rest.
  const predict = (batch: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const p1 = tf.div(tf.slice(batch, [0, 0, 0, 0], [-1, 1, 1, 1]).reshape([-1, 1]), 100000);
      return tf.concat([tf.sub(1, p1), p1], 1) as tf.Tensor2D;
    });

  void it('centre crop uses one view; multi-crop averages all ten', async () => {
    const n = tf.memory().numTensors;
    const centre = await ttaProbabilities(image, 'center', 224, predict);
    assert.ok(Math.abs(centre[1]! - 16016 / 100000) < 1e-6);
    const multi = await ttaProbabilities(image, 'multiCrop', 224, predict);
    const firsts = multiCropBoxes(256, 256, 224).map(
      (b) => b.top * 1000 + (b.mirror ? b.left + 223 : b.left),
    );
    const mean = firsts.reduce((a, b) => a + b, 0) / 10 / 100000;
    assert.ok(Math.abs(multi[1]! - mean) < 1e-6);
    assert.ok(Math.abs(multi[0]! + multi[1]! - 1) < 1e-6);
    assert.equal(tf.memory().numTensors, n);
  });
});
