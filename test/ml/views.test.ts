// The plain-code crop path (cache image already at the crop side) must give the network exactly
// the input the tensor path gives: same crops, same mirroring, bit-identical normalisation.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend } from '../../src/main/ml-host/backend';
import { AppError } from '../../src/shared/contract/errors';
import { cropBatch, cropBatches, writeCrops } from '../../src/main/ml-host/pipeline/views';
import type { Rgb } from '../../src/main/ml-host/pipeline/images';
import { mulberry32 } from '../../src/shared/domain/random';

const spec = { inputSize: 224, normalisation: { scale: 1 / 128, offset: -1 } };

function noiseImage(seed: number, side = 256): Rgb {
  const rnd = mulberry32(seed);
  const data = new Uint8Array(side * side * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
  return { data, width: side, height: side };
}

before(async () => {
  await selectBackend({ preference: 'wasm', env: {} });
});

void describe('crop batches', () => {
  void it('the direct path equals the tensor path bit for bit (offsets, mirroring, several images)', () => {
    const images = [
      {
        rgb: noiseImage(1),
        boxes: [
          { top: 16, left: 16, size: 224, mirror: false },
          { top: 0, left: 32, size: 224, mirror: true },
        ],
      },
      { rgb: noiseImage(2), boxes: [{ top: 32, left: 0, size: 224, mirror: true }] },
    ];
    const before = tf.memory().numTensors;
    const direct = cropBatches(images, spec);
    const viaTensors = tf.tidy(() => tf.concat(images.map((i) => cropBatch(i.rgb, i.boxes, spec))));
    assert.deepEqual(direct.shape, [3, 224, 224, 3]);
    const a = direct.dataSync();
    const b = viaTensors.dataSync();
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
    assert.equal(differing, 0);
    // Spot values: first pixel of the mirrored crop is the right end of its row.
    const p = images[0]!.rgb.data[(0 * 256 + 32 + 223) * 3] as number;
    assert.equal(a[224 * 224 * 3], Math.fround(Math.fround(p * (1 / 128)) - 1));
    tf.dispose([direct, viaTensors]);
    assert.equal(tf.memory().numTensors, before);
  });

  void it('other image sizes still take the tensor path (resize first)', () => {
    const small = noiseImage(3, 200);
    const batch = cropBatches(
      [{ rgb: small, boxes: [{ top: 16, left: 16, size: 224, mirror: false }] }],
      spec,
    );
    assert.deepEqual(batch.shape, [1, 224, 224, 3]);
    batch.dispose();
  });

  void it('refuses a box outside the image', () => {
    const out = new Float32Array(224 * 224 * 3);
    assert.throws(
      () =>
        writeCrops(noiseImage(4), [{ top: 40, left: 0, size: 224, mirror: false }], spec, out, 0),
      (e: unknown) => e instanceof AppError && e.code === 'BAD_ARGUMENT',
    );
  });
});
