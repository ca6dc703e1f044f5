// PAD and RESHAPE builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AppError } from '../../../src/shared/contract/errors';
import { SHAPE_BUILDERS } from '../../../src/main/ml/tflite/ops/shape';
import { buildOne, maxDiff, sample, type OneOp } from './harness';

const pad = (paddings: number[]): OneOp => ({
  op: 'PAD',
  tensors: [
    { name: 'x', shape: [1, 3, 3, 2] },
    { name: 'paddings', shape: [4, 2], type: 'int32', data: Int32Array.from(paddings) },
    { name: 'net/pad', shape: [1, 4, 6, 2] },
  ],
  inputs: [0, 1],
  outputs: [2],
});
const reshape = (out: number[], newShape: number[] = []): OneOp => ({
  op: 'RESHAPE',
  tensors: [
    { name: 'x', shape: [1, 1, 1, 6] },
    { name: 'net/flat', shape: out },
  ],
  inputs: [0],
  outputs: [1],
  options: { kind: 'reshape', newShape },
});
const unsupported = (pattern: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === 'UNSUPPORTED' && pattern.test(e.message);

void describe('TFLite shape builders', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  void it('PAD pads the spatial axes with zeros, top/bottom and left/right apart', () => {
    const start = tf.memory().numTensors;
    const built = buildOne(SHAPE_BUILDERS.PAD, pad([0, 0, 1, 0, 2, 1, 0, 0]));
    const x = sample([2, 3, 3, 2], 12);
    const got = built.run(x);
    const want = tf.pad(x, [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ]);
    assert.deepEqual(got.shape, [2, 4, 6, 2]);
    assert.ok(maxDiff(got, want) === 0);
    tf.dispose([x, got, want]);
    built.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('RESHAPE keeps the batch axis; the target comes from the output tensor or the options', () => {
    const start = tf.memory().numTensors;
    const x = sample([3, 1, 1, 6], 13);
    for (const spec of [reshape([1, 2, 3]), reshape([], [-1, 6])]) {
      const built = buildOne(SHAPE_BUILDERS.RESHAPE, spec);
      const got = built.run(x);
      const want = x.reshape(spec.tensors[1]!.shape.length > 0 ? [3, 2, 3] : [3, 6]);
      assert.ok(maxDiff(got, want) === 0);
      tf.dispose([got, want]);
      built.dispose();
    }
    x.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('rejects padding the batch or channel axes, and reshapes across the batch or of another size', () => {
    assert.throws(
      () => buildOne(SHAPE_BUILDERS.PAD, pad([1, 0, 1, 1, 1, 1, 0, 0])),
      unsupported(/paddings 1,0,1,1,1,1,0,0/),
    );
    assert.throws(
      () => buildOne(SHAPE_BUILDERS.RESHAPE, reshape([2, 3])),
      unsupported(/target shape \[2,3\]/),
    );
    assert.throws(
      () => buildOne(SHAPE_BUILDERS.RESHAPE, reshape([1, 5])),
      unsupported(/changes the size/),
    );
  });
});
