// The FULLY_CONNECTED builder on a tiny hand-built operator, against a matMul with the weights
// transposed by hand.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AppError } from '../../../src/shared/contract/errors';
import { FULLY_CONNECTED_BUILDERS } from '../../../src/main/ml/tflite/ops/fully-connected';
import type { OperatorOptions } from '../../../src/main/ml/tflite/schema';
import { buildOne, maxDiff, sample, seq, type OneOp } from './harness';

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

void describe('TFLite fully-connected builder', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  void it('flattens a [N, 2, 2, 2] input, multiplies by the [in, out] kernel, adds the bias, RELU', () => {
    const start = tf.memory().numTensors;
    const built = buildOne(
      FULLY_CONNECTED_BUILDERS.FULLY_CONNECTED,
      dense({ kind: 'fullyConnected', activation: 'RELU', keepNumDims: false }),
    );
    assert.equal(built.output?.sourceLayer.name, 'head_fc_relu');
    const x = sample([3, 2, 2, 2], 4);
    const got = built.run(x);
    const want = tf.tidy(() =>
      tf.relu(
        x
          .reshape([3, 8])
          .matMul(tf.tensor2d(W, [3, 8]).transpose())
          .add(tf.tensor1d(B)),
      ),
    );
    assert.ok(maxDiff(got, want) < 1e-5);
    tf.dispose([x, got, want]);
    built.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('rejects keep_num_dims and inputs whose size the weights do not expect', () => {
    const unsupported = (pattern: RegExp) => (e: unknown) =>
      e instanceof AppError && e.code === 'UNSUPPORTED' && pattern.test(e.message);
    assert.throws(
      () =>
        buildOne(
          FULLY_CONNECTED_BUILDERS.FULLY_CONNECTED,
          dense({ kind: 'fullyConnected', activation: 'NONE', keepNumDims: true }),
        ),
      unsupported(/keep_num_dims/),
    );
    assert.throws(
      () => buildOne(FULLY_CONNECTED_BUILDERS.FULLY_CONNECTED, dense({ kind: 'none' }, [1, 5])),
      unsupported(/input has 5 features, weights expect 8/),
    );
  });
});
