// PAD and RESHAPE builders on tiny hand-built operators.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SHAPE_BUILDERS } from '../../../src/main/ml/tflite/ops/shape';
import {
  assertComputes,
  buildOne,
  describeOps,
  sample,
  unsupportedError,
  withoutLeaks,
  type OneOp,
} from './harness';

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

describeOps('TFLite shape builders', () => {
  void it('PAD pads the spatial axes with zeros, top/bottom and left/right apart', () =>
    withoutLeaks(() => {
      const built = buildOne(SHAPE_BUILDERS.PAD, pad([0, 0, 1, 0, 2, 1, 0, 0]));
      assert.deepEqual(built.output?.shape, [null, 4, 6, 2]);
      const x = sample([2, 3, 3, 2], 12);
      const paddings: [number, number][] = [
        [0, 0],
        [1, 0],
        [2, 1],
        [0, 0],
      ];
      assertComputes(built, [x], (t) => tf.pad(t, paddings), 0);
      x.dispose();
    }));

  void it('RESHAPE keeps the batch axis; the target comes from the output tensor or the options', () =>
    withoutLeaks(() => {
      const x = sample([3, 1, 1, 6], 13);
      const byTensor = buildOne(SHAPE_BUILDERS.RESHAPE, reshape([1, 2, 3]));
      assertComputes(byTensor, [x], (t) => t.reshape([3, 2, 3]), 0);
      const byOptions = buildOne(SHAPE_BUILDERS.RESHAPE, reshape([], [-1, 6]));
      assertComputes(byOptions, [x], (t) => t.reshape([3, 6]), 0);
      x.dispose();
    }));

  void it('rejects padding the batch or channel axes, and reshapes across the batch or of another size', () => {
    assert.throws(
      () => buildOne(SHAPE_BUILDERS.PAD, pad([1, 0, 1, 1, 1, 1, 0, 0])),
      unsupportedError(/paddings 1,0,1,1,1,1,0,0/),
    );
    assert.throws(
      () => buildOne(SHAPE_BUILDERS.RESHAPE, reshape([2, 3])),
      unsupportedError(/target shape \[2,3\]/),
    );
    assert.throws(
      () => buildOne(SHAPE_BUILDERS.RESHAPE, reshape([1, 5])),
      unsupportedError(/changes the size/),
    );
  });
});
