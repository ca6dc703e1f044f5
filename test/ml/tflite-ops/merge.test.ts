// ADD and CONCATENATION builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MERGE_BUILDERS } from '../../../src/main/ml-host/tflite/ops/merge';
import type { OperatorOptions } from '../../../src/main/ml-host/tflite/schema';
import * as harness from './harness';

const two = (
  op: string,
  out: number[],
  options: OperatorOptions,
  b = [1, 2, 2, 3],
): harness.OneOp => ({
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
const concatenation = (axis: number, out: number[], b?: number[]): harness.OneOp =>
  two('CONCATENATION', out, { kind: 'concatenation', axis, activation: 'NONE' }, b);

harness.describeOps('TFLite merge builders', () => {
  void it('ADD with a fused RELU is relu(a + b)', () =>
    harness.withoutLeaks(() => {
      const built = harness.buildOne(
        MERGE_BUILDERS.ADD,
        two('ADD', [1, 2, 2, 3], { kind: 'activation', activation: 'RELU' }),
      );
      assert.equal(built.output?.sourceLayer.name, 'block_joined_relu');
      const xs = [harness.sample([2, 2, 2, 3], 5), harness.sample([2, 2, 2, 3], 6)];
      harness.assertComputes(built, xs, (a, b) => tf.relu(tf.add(a, b)));
      tf.dispose(xs);
    }));

  void it('CONCATENATION along axis -1 is tf.concat on the channels', () =>
    harness.withoutLeaks(() => {
      const built = harness.buildOne(
        MERGE_BUILDERS.CONCATENATION,
        concatenation(-1, [1, 2, 2, 5], [1, 2, 2, 2]),
      );
      const xs = [harness.sample([1, 2, 2, 3], 7), harness.sample([1, 2, 2, 2], 8)];
      harness.assertComputes(built, xs, (a, b) => tf.concat([a, b], 3), 0);
      tf.dispose(xs);
    }));

  void it('rejects a constant operand and a concatenation along the batch axis', () => {
    const withConstant: harness.OneOp = {
      ...two('ADD', [1, 2, 2, 3], { kind: 'activation', activation: 'NONE' }),
      tensors: [
        { name: 'a', shape: [1, 2, 2, 3] },
        { name: 'b', shape: [1, 2, 2, 3], data: new Float32Array(12) },
        { name: 'sum', shape: [1, 2, 2, 3] },
      ],
    };
    assert.throws(
      () => harness.buildOne(MERGE_BUILDERS.ADD, withConstant),
      harness.unsupportedError(/constant operand/),
    );
    assert.throws(
      () => harness.buildOne(MERGE_BUILDERS.CONCATENATION, concatenation(0, [2, 2, 2, 3])),
      harness.unsupportedError(/batch axis/),
    );
  });
});
