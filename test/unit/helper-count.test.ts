import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shardRanges } from '../../src/main/ml-host/train/loop-epoch';
import { stage2HelperCount, TRAIN_THREADS_ENV } from '../../src/main/ml-host/train/helper-count';

void describe('stage-2 helper threads', () => {
  const count = (backend: string, batchSize: number, cores: number, env = {}) =>
    stage2HelperCount({ backend, batchSize, cores, env });

  void it('uses every core on wasm, at most four threads, at least 8 rows each', () => {
    assert.deepEqual(count('wasm', 32, 2), { helpers: 1, why: '2 cores', warning: null });
    assert.equal(count('wasm', 32, 16).helpers, 3);
    assert.match(count('wasm', 32, 16).why, /at most 4 threads/);
    assert.equal(count('wasm', 16, 8).helpers, 1);
    assert.match(count('wasm', 16, 8).why, /batches of 16 rows, at least 8 per thread/);
    assert.equal(count('wasm', 8, 2).helpers, 0);
    assert.equal(count('wasm', 32, 1).helpers, 0);
  });

  void it('starts none where the backend is parallel itself', () => {
    for (const backend of ['webgpu', 'tensorflow', 'cpu']) {
      assert.equal(count(backend, 32, 8).helpers, 0);
      assert.match(count(backend, 32, 8).why, new RegExp(`the ${backend} backend`));
    }
  });

  void it(`lets ${TRAIN_THREADS_ENV} set the total, and warns about a value it ignores`, () => {
    assert.equal(count('wasm', 32, 2, { [TRAIN_THREADS_ENV]: '1' }).helpers, 0);
    assert.equal(count('wasm', 8, 2, { [TRAIN_THREADS_ENV]: '3' }).helpers, 2);
    const bad = count('wasm', 32, 2, { [TRAIN_THREADS_ENV]: 'two' });
    assert.equal(bad.helpers, 1, 'the automatic count');
    assert.match(bad.warning ?? '', /LITTLEPLANET_TRAIN_THREADS=two is not a whole number/);
    assert.match(count('wasm', 32, 2, { [TRAIN_THREADS_ENV]: '0' }).warning ?? '', /ignored/);
    assert.equal(count('wasm', 32, 2, { [TRAIN_THREADS_ENV]: ' ' }).warning, null);
  });

  void it('splits a batch into near-equal shards that cover it once, in order', () => {
    assert.deepEqual(shardRanges(32, 2), [
      [0, 16],
      [16, 32],
    ]);
    assert.deepEqual(shardRanges(10, 3), [
      [0, 4],
      [4, 7],
      [7, 10],
    ]);
    for (const [size, parts] of [
      [1, 1],
      [7, 4],
      [33, 4],
    ] as const) {
      const ranges = shardRanges(size, parts);
      assert.equal(ranges.length, parts);
      assert.equal(ranges[0]![0], 0);
      assert.equal(ranges.at(-1)![1], size);
      ranges.slice(1).forEach(([start], i) => assert.equal(start, ranges[i]![1]));
      const sizes = ranges.map(([a, b]) => b - a);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }
  });
});
