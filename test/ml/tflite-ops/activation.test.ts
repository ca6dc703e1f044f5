// RELU, RELU6, TANH, LOGISTIC and SOFTMAX builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ACTIVATION_BUILDERS } from '../../../src/main/ml-host/tflite/ops/activation';
import type { OperatorOptions } from '../../../src/main/ml-host/tflite/schema';
import * as harness from './harness';

const unary = (op: string, options?: OperatorOptions): harness.OneOp => ({
  op,
  tensors: [
    { name: 'x', shape: [1, 6] },
    { name: 'net/block/act', shape: [1, 6] },
  ],
  inputs: [0],
  outputs: [1],
  ...(options ? { options } : {}),
});

harness.describeOps('TFLite activation builders', () => {
  void it('each activation operator computes what its tf op computes', () =>
    harness.withoutLeaks(() => {
      const x = harness.sample([4, 6], 14, -8, 8);
      const cases = [
        ['RELU', tf.relu, 'net_block_relu'],
        ['RELU6', tf.relu6, 'net_block_relu6'],
        ['TANH', tf.tanh, 'net_block_tanh'],
        ['LOGISTIC', tf.sigmoid, 'net_block_act'],
        ['SOFTMAX', (t: tf.Tensor) => tf.softmax(t), 'net_block_act'],
      ] as const;
      for (const [op, reference, layer] of cases) {
        const built = harness.buildOne(ACTIVATION_BUILDERS[op], unary(op));
        assert.equal(built.output?.sourceLayer.name, layer, op);
        harness.assertComputes(built, [x], (t) => reference(t), 1e-6, op);
      }
      x.dispose();
    }));

  void it('rejects a softmax with beta other than 1', () => {
    assert.throws(
      () =>
        harness.buildOne(
          ACTIVATION_BUILDERS.SOFTMAX,
          unary('SOFTMAX', { kind: 'softmax', beta: 2 }),
        ),
      harness.unsupportedError(/beta 2/),
    );
  });
});
