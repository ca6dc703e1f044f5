// ADD and CONCATENATION builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AppError } from '../../../src/shared/contract/errors';
import { MERGE_BUILDERS } from '../../../src/main/ml/tflite/ops/merge';
import type { OperatorOptions } from '../../../src/main/ml/tflite/schema';
import { buildOne, maxDiff, sample, type OneOp } from './harness';

const two = (op: string, out: number[], options: OperatorOptions, b = [1, 2, 2, 3]): OneOp => ({
  op,
  tensors: [
    { name: 'a', shape: [1, 2, 2, 3] },
    { name: 'b', shape: b },
    { name: 'block/joined', shape: out },
  ],
  inputs: [0, 1],
  outputs: [2],
  options,
});
const unsupported = (pattern: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === 'UNSUPPORTED' && pattern.test(e.message);

void describe('TFLite merge builders', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  void it('ADD with a fused RELU is relu(a + b)', () => {
    const start = tf.memory().numTensors;
    const built = buildOne(
      MERGE_BUILDERS.ADD,
      two('ADD', [1, 2, 2, 3], { kind: 'activation', activation: 'RELU' }),
    );
    assert.equal(built.output?.sourceLayer.name, 'block_joined_relu');
    const [a, b] = [sample([2, 2, 2, 3], 5), sample([2, 2, 2, 3], 6)];
    const got = built.run(a, b);
    const want = tf.tidy(() => tf.relu(tf.add(a, b)));
    assert.ok(maxDiff(got, want) < 1e-6);
    tf.dispose([a, b, got, want]);
    built.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('CONCATENATION along axis -1 is tf.concat on the channels', () => {
    const start = tf.memory().numTensors;
    const built = buildOne(
      MERGE_BUILDERS.CONCATENATION,
      two(
        'CONCATENATION',
        [1, 2, 2, 5],
        { kind: 'concatenation', axis: -1, activation: 'NONE' },
        [1, 2, 2, 2],
      ),
    );
    const [a, b] = [sample([1, 2, 2, 3], 7), sample([1, 2, 2, 2], 8)];
    const got = built.run(a, b);
    const want = tf.concat([a, b], 3);
    assert.ok(maxDiff(got, want) === 0);
    tf.dispose([a, b, got, want]);
    built.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('rejects a constant operand and a concatenation along the batch axis', () => {
    const withConstant: OneOp = {
      ...two('ADD', [1, 2, 2, 3], { kind: 'activation', activation: 'NONE' }),
      tensors: [
        { name: 'a', shape: [1, 2, 2, 3] },
        { name: 'b', shape: [1, 2, 2, 3], data: new Float32Array(12) },
        { name: 'sum', shape: [1, 2, 2, 3] },
      ],
    };
    assert.throws(
      () => buildOne(MERGE_BUILDERS.ADD, withConstant),
      unsupported(/constant operand/),
    );
    assert.throws(
      () =>
        buildOne(
          MERGE_BUILDERS.CONCATENATION,
          two('CONCATENATION', [2, 2, 2, 3], {
            kind: 'concatenation',
            axis: 0,
            activation: 'NONE',
          }),
        ),
      unsupported(/batch axis/),
    );
  });
});
