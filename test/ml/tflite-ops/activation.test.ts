// RELU, RELU6, TANH, LOGISTIC and SOFTMAX builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AppError } from '../../../src/shared/contract/errors';
import { ACTIVATION_BUILDERS } from '../../../src/main/ml/tflite/ops/activation';
import type { OperatorOptions } from '../../../src/main/ml/tflite/schema';
import { buildOne, maxDiff, sample, type OneOp } from './harness';

const unary = (op: string, options?: OperatorOptions): OneOp => ({
  op,
  tensors: [
    { name: 'x', shape: [1, 6] },
    { name: 'net/block/act', shape: [1, 6] },
  ],
  inputs: [0],
  outputs: [1],
  ...(options ? { options } : {}),
});

void describe('TFLite activation builders', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  void it('each activation operator computes what its tf op computes', () => {
    const start = tf.memory().numTensors;
    const x = sample([4, 6], 14, -8, 8);
    const cases = [
      ['RELU', (t: tf.Tensor) => tf.relu(t), 'net_block_relu'],
      ['RELU6', (t: tf.Tensor) => tf.relu6(t), 'net_block_relu6'],
      ['TANH', (t: tf.Tensor) => tf.tanh(t), 'net_block_tanh'],
      ['LOGISTIC', (t: tf.Tensor) => tf.sigmoid(t), 'net_block_act'],
      ['SOFTMAX', (t: tf.Tensor) => tf.softmax(t), 'net_block_act'],
    ] as const;
    for (const [op, reference, layer] of cases) {
      const built = buildOne(ACTIVATION_BUILDERS[op], unary(op));
      assert.equal(built.output?.sourceLayer.name, layer, op);
      const got = built.run(x);
      const want = reference(x);
      assert.ok(maxDiff(got, want) < 1e-6, op);
      tf.dispose([got, want]);
      built.dispose();
    }
    x.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('rejects a softmax with beta other than 1', () => {
    assert.throws(
      () => buildOne(ACTIVATION_BUILDERS.SOFTMAX, unary('SOFTMAX', { kind: 'softmax', beta: 2 })),
      (e: unknown) => e instanceof AppError && e.code === 'UNSUPPORTED' && /beta 2/.test(e.message),
    );
  });
});
