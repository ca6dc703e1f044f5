// The FULLY_CONNECTED builder on a tiny hand-built operator, against a matMul with the weights
// transposed by hand.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FULLY_CONNECTED_BUILDERS } from '../../../src/main/ml-host/tflite/ops/fully-connected';
import type { OperatorOptions } from '../../../src/main/ml-host/tflite/schema';
import {
  assertComputes,
  buildOne,
  describeOps,
  sample,
  seq,
  unsupportedError,
  withoutLeaks,
  type OneOp,
} from './harness';

const W = Float32Array.from(seq(3 * 8, (i) => Math.cos(i) * 0.4)); // [out 3, in 8]
const B = Float32Array.from([0.2, -0.1, 0]);
const dense = (options: OperatorOptions, inShape = [1, 2, 2, 2]): OneOp => ({
  op: 'FULLY_CONNECTED',
  tensors: [
    { name: 'x', shape: inShape },
    { name: 'head/fc/weights', shape: [3, 8], data: W },
    { name: 'head/fc/bias', shape: [3], data: B },
    { name: 'head/fc/out', shape: [1, 3] },
  ],
  inputs: [0, 1, 2],
  outputs: [3],
  options,
});
const build = (options: OperatorOptions, inShape?: number[]) =>
  buildOne(FULLY_CONNECTED_BUILDERS.FULLY_CONNECTED, dense(options, inShape));

describeOps('TFLite fully-connected builder', () => {
  void it('flattens a [N, 2, 2, 2] input, multiplies by the [in, out] kernel, adds the bias, RELU', () =>
    withoutLeaks(() => {
      const built = build({ kind: 'fullyConnected', activation: 'RELU', keepNumDims: false });
      assert.equal(built.output?.sourceLayer.name, 'head_fc_relu');
      const x = sample([3, 2, 2, 2], 4);
      const kernel = (): tf.Tensor => tf.tensor2d(W, [3, 8]).transpose();
      const reference = (t: tf.Tensor) =>
        tf.relu(t.reshape([3, 8]).matMul(kernel()).add(tf.tensor1d(B)));
      assertComputes(built, [x], reference, 1e-5);
      x.dispose();
    }));

  void it('rejects keep_num_dims and inputs whose size the weights do not expect', () => {
    assert.throws(
      () => build({ kind: 'fullyConnected', activation: 'NONE', keepNumDims: true }),
      unsupportedError(/keep_num_dims/),
    );
    assert.throws(
      () => build({ kind: 'none' }, [1, 5]),
      unsupportedError(/input has 5 features, weights expect 8/),
    );
  });
});
