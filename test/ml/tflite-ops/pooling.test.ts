// AVERAGE_POOL_2D, MAX_POOL_2D and MEAN builders on tiny hand-built operators; whole-map pools
// become the global average pool a backbone's features are read from.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { POOLING_BUILDERS } from '../../../src/main/ml-host/tflite/ops/pooling';
import type { OperatorOptions, PoolOptions } from '../../../src/main/ml-host/tflite/schema';
import * as harness from './harness';

const poolOptions = (o: Partial<PoolOptions>): PoolOptions => ({
  kind: 'pool',
  padding: 'valid',
  strideW: 2,
  strideH: 2,
  filterW: 2,
  filterH: 2,
  activation: 'NONE',
  ...o,
});
const pooling = (op: string, out: number[], options: OperatorOptions): harness.OneOp => ({
  op,
  tensors: [
    { name: 'x', shape: [1, 4, 4, 3] },
    { name: 'net/pool', shape: out },
  ],
  inputs: [0],
  outputs: [1],
  options,
});
const mean = (axes: number[], keepDims: boolean): harness.OneOp => ({
  op: 'MEAN',
  tensors: [
    { name: 'x', shape: [1, 4, 4, 3] },
    { name: 'net/mean/axes', shape: [axes.length], type: 'int32', data: Int32Array.from(axes) },
    { name: 'net/mean', shape: keepDims ? [1, 1, 1, 3] : [1, 3] },
  ],
  inputs: [0, 1],
  outputs: [2],
  options: { kind: 'reducer', keepDims },
});

harness.describeOps('TFLite pooling builders', () => {
  void it('MAX_POOL_2D and AVERAGE_POOL_2D 2×2 stride 2 match tf.maxPool and tf.avgPool', () =>
    harness.withoutLeaks(() => {
      const x = harness.sample([2, 4, 4, 3], 9);
      for (const [op, reference] of [
        ['MAX_POOL_2D', tf.maxPool],
        ['AVERAGE_POOL_2D', tf.avgPool],
      ] as const) {
        const built = harness.buildOne(
          POOLING_BUILDERS[op],
          pooling(op, [1, 2, 2, 3], poolOptions({})),
        );
        assert.equal(built.ctx.lastPool(), null, 'a local pool is not a feature layer');
        harness.assertComputes(
          built,
          [x],
          (t) => reference(t as tf.Tensor4D, 2, 2, 'valid'),
          1e-6,
          op,
        );
      }
      x.dispose();
    }));

  void it('an average pool over the whole map is a global pool [N, 1, 1, c], recorded as the feature layer', () =>
    harness.withoutLeaks(() => {
      const built = harness.buildOne(
        POOLING_BUILDERS.AVERAGE_POOL_2D,
        pooling('AVERAGE_POOL_2D', [1, 1, 1, 3], poolOptions({ filterH: 4, filterW: 4 })),
      );
      assert.deepEqual(built.ctx.lastPool(), { name: 'net_pool', dim: 3 });
      const x = harness.sample([2, 4, 4, 3], 10);
      harness.assertComputes(built, [x], (t) => tf.mean(t, [1, 2], true));
      x.dispose();
    }));

  void it('MEAN over axes 1, 2 (or -3, -2) is a global pool, with or without kept dims', () =>
    harness.withoutLeaks(() => {
      const x = harness.sample([2, 4, 4, 3], 11);
      for (const [axes, keepDims] of [
        [[1, 2], false],
        [[-3, -2], true],
      ] as const) {
        const built = harness.buildOne(POOLING_BUILDERS.MEAN, mean([...axes], keepDims));
        assert.deepEqual(built.ctx.lastPool(), { name: 'net_mean', dim: 3 });
        harness.assertComputes(built, [x], (t) => tf.mean(t, [1, 2], keepDims));
      }
      x.dispose();
    }));

  void it('rejects a MEAN over other axes and a pool without its options', () => {
    assert.throws(
      () => harness.buildOne(POOLING_BUILDERS.MEAN, mean([3], false)),
      harness.unsupportedError(/mean over axes 3/),
    );
    assert.throws(
      () =>
        harness.buildOne(
          POOLING_BUILDERS.MAX_POOL_2D,
          pooling('MAX_POOL_2D', [1, 2, 2, 3], { kind: 'none' }),
        ),
      harness.unsupportedError(/missing pooling options/),
    );
  });
});
