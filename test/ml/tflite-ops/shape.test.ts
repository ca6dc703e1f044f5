// PAD and RESHAPE builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SHAPE_BUILDERS } from '../../../src/main/ml-host/tflite/ops/shape';
import * as harness from './harness';

const pad = (paddings: number[]): harness.OneOp => ({
  op: 'PAD',
  tensors: [
    { name: 'x', shape: [1, 3, 3, 2] },
    { name: 'paddings', shape: [4, 2], type: 'int32', data: Int32Array.from(paddings) },
    { name: 'net/pad', shape: [1, 4, 6, 2] },
  ],
  inputs: [0, 1],
  outputs: [2],
});
const reshape = (out: number[], newShape: number[] = []): harness.OneOp => ({
  op: 'RESHAPE',
  tensors: [
    { name: 'x', shape: [1, 1, 1, 6] },
    { name: 'net/flat', shape: out },
  ],
  inputs: [0],
  outputs: [1],
  options: { kind: 'reshape', newShape },
});

harness.describeOps('TFLite shape builders', () => {
  void it('PAD pads the spatial axes with zeros, top/bottom and left/right apart', () =>
    harness.withoutLeaks(() => {
      const built = harness.buildOne(SHAPE_BUILDERS.PAD, pad([0, 0, 1, 0, 2, 1, 0, 0]));
      assert.deepEqual(built.output?.shape, [null, 4, 6, 2]);
      const x = harness.sample([2, 3, 3, 2], 12);
      const paddings: [number, number][] = [
        [0, 0],
        [1, 0],
        [2, 1],
        [0, 0],
      ];
      harness.assertComputes(built, [x], (t) => tf.pad(t, paddings), 0);
      x.dispose();
    }));

  void it('RESHAPE keeps the batch axis; the target comes from the output tensor or the options', () =>
    harness.withoutLeaks(() => {
      const x = harness.sample([3, 1, 1, 6], 13);
      const byTensor = harness.buildOne(SHAPE_BUILDERS.RESHAPE, reshape([1, 2, 3]));
      harness.assertComputes(byTensor, [x], (t) => t.reshape([3, 2, 3]), 0);
      const byOptions = harness.buildOne(SHAPE_BUILDERS.RESHAPE, reshape([], [-1, 6]));
      harness.assertComputes(byOptions, [x], (t) => t.reshape([3, 6]), 0);
      x.dispose();
    }));

  void it('rejects padding the batch or channel axes, and reshapes across the batch or of another size', () => {
    assert.throws(
      () => harness.buildOne(SHAPE_BUILDERS.PAD, pad([1, 0, 1, 1, 1, 1, 0, 0])),
      harness.unsupportedError(/paddings 1,0,1,1,1,1,0,0/),
    );
    assert.throws(
      () => harness.buildOne(SHAPE_BUILDERS.RESHAPE, reshape([2, 3])),
      harness.unsupportedError(/target shape \[2,3\]/),
    );
    assert.throws(
      () => harness.buildOne(SHAPE_BUILDERS.RESHAPE, reshape([1, 5])),
      harness.unsupportedError(/changes the size/),
    );
  });
});
