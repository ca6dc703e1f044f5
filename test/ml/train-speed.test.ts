import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { selectBackend } from '../../src/main/ml-host/backend';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { trainHead } from '../../src/main/ml-host/train/stage1';
import { syntheticFeatures } from '../../src/main/ml-host/train/synthetic';

// The paper's scale: ~90,000 training images x 1280 MobileNet v2 features, 10 cities. Prints the
// epoch time (a figure for docs/benchmarks.md, not a timed assertion: CI machines vary).
const N = 90_000;
const VAL = 5_000;
const D = 1280;
const K = 10;

/** N rows tiled from a small seeded synthetic set: realistic values, built in milliseconds. */
function tiled(
  n: number,
  seed: number,
): { x: Float32Array; labels: Int32Array; rowShape: number[] } {
  const tile = syntheticFeatures({ n: 1000, dim: D, classes: K, seed, spread: 1 });
  const x = new Float32Array(n * D);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i += 1000) {
    const rows = Math.min(1000, n - i);
    x.set(tile.x.subarray(0, rows * D), i * D);
    labels.set(tile.labels.subarray(0, rows), i);
  }
  return { x, labels, rowShape: [D] };
}

let backend = '';
before(async () => {
  backend = (await selectBackend({ preference: 'wasm', env: {} })).name;
});

void it(`one stage-1 epoch over ${N} x ${D} cached features`, async () => {
  const train = tiled(N, 1);
  const val = tiled(VAL, 2);
  const numTensors = tf.memory().numTensors;
  const result = await trainHead({
    train,
    val,
    numClasses: K,
    hyper: resolveHyperParams({ epochs: 2, batchSize: 256 }),
  });
  assert.equal(tf.memory().numTensors, numTensors);
  assert.equal(result.summary.epochsRun, 2);
  console.log(
    `[bench] stage-1 epoch, ${N} x ${D} features, batch 256, SGD momentum, +${VAL} validation, ` +
      `backend ${backend}: ${result.summary.epochMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`,
  );
});
