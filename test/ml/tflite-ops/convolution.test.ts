// CONV_2D and DEPTHWISE_CONV_2D builders on tiny hand-built operators, against tf.conv2d and
// tf.depthwiseConv2d with kernels laid out by hand.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CONVOLUTION_BUILDERS } from '../../../src/main/ml-host/tflite/ops/convolution';
import type { ConvOptions } from '../../../src/main/ml-host/tflite/schema';
import { buildOne, describeOps, maxDiff, sample, seq, unsupportedError } from './harness';

const conv = (o: Partial<ConvOptions>): ConvOptions => ({
  kind: 'conv',
  padding: 'same',
  strideW: 1,
  strideH: 1,
  activation: 'NONE',
  dilationW: 1,
  dilationH: 1,
  depthMultiplier: 1,
  ...o,
});

describeOps('TFLite convolution builders', () => {
  void it('CONV_2D: [out, h, w, in] float weights, stride 2, bias and a fused RELU6', () => {
    const start = tf.memory().numTensors;
    const w = Float32Array.from(seq(4 * 3 * 3 * 2, (i) => Math.sin(i) * 0.5)); // [4, 3, 3, 2]
    const b = Float32Array.from([0.5, -0.5, 1, 0]);
    const built = buildOne(CONVOLUTION_BUILDERS.CONV_2D, {
      op: 'CONV_2D',
      tensors: [
        { name: 'x', shape: [1, 5, 5, 2] },
        { name: 'block/conv/weights', shape: [4, 3, 3, 2], data: w },
        { name: 'block/conv/bias', shape: [4], data: b },
        { name: 'block/conv/Relu6', shape: [1, 3, 3, 4] },
      ],
      inputs: [0, 1, 2],
      outputs: [3],
      options: conv({ strideW: 2, strideH: 2, activation: 'RELU6' }),
    });
    assert.equal(built.output?.sourceLayer.name, 'block_conv_relu6');
    const x = sample([2, 5, 5, 2], 1, -4, 4);
    const got = built.run(x);
    const want = tf.tidy(() => {
      const kernel = tf.tensor4d(w, [4, 3, 3, 2]).transpose<tf.Tensor4D>([1, 2, 3, 0]);
      const y = tf.conv2d(x as tf.Tensor4D, kernel, 2, 'same').add(tf.tensor1d(b));
      return tf.clipByValue(y, 0, 6);
    });
    assert.ok(maxDiff(got, want) < 1e-5);
    assert.ok(
      tf.tidy(() => tf.max(want).dataSync()[0]! > 0.5),
      'the check is not trivial',
    );
    tf.dispose([x, got, want]);
    built.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('DEPTHWISE_CONV_2D: uint8 weights and an int32 bias scaled by input × weight scale', () => {
    const start = tf.memory().numTensors;
    const wq = Uint8Array.from(seq(3 * 3 * 4, (i) => 100 + ((i * 13) % 57))); // [1, 3, 3, 2 × 2]
    const bq = Int32Array.from([40, -40, 8, 0]);
    const built = buildOne(CONVOLUTION_BUILDERS.DEPTHWISE_CONV_2D, {
      op: 'DEPTHWISE_CONV_2D',
      tensors: [
        { name: 'x', shape: [1, 4, 4, 2], type: 'uint8', quant: { scale: [0.5], zero: [0] } },
        {
          name: 'dw/weights',
          shape: [1, 3, 3, 4],
          type: 'uint8',
          data: wq,
          quant: { scale: [0.05], zero: [128] },
        },
        { name: 'dw/bias', shape: [4], type: 'int32', data: bq },
        { name: 'dw/out', shape: [1, 4, 4, 4] },
      ],
      inputs: [0, 1, 2],
      outputs: [3],
      options: conv({ depthMultiplier: 2, padding: 'valid' }),
    });
    assert.equal(built.output?.sourceLayer.name, 'dw');
    const x = sample([1, 4, 4, 2], 2);
    const got = built.run(x);
    const want = tf.tidy(() => {
      const kernel = tf
        .tensor1d(Array.from(wq))
        .sub(128)
        .mul(0.05)
        .reshape<tf.Tensor4D>([3, 3, 2, 2]);
      const bias = tf.tensor1d(Array.from(bq)).mul(0.5 * 0.05);
      return tf.depthwiseConv2d(x as tf.Tensor4D, kernel, 1, 'valid').add(bias);
    });
    assert.deepEqual(got.shape, [1, 2, 2, 4]);
    assert.ok(maxDiff(got, want) < 1e-5);
    tf.dispose([x, got, want]);
    built.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  void it('rejects grouped convolutions and a depthwise output that is not a multiple of its input', () => {
    const spec = (op: 'CONV_2D' | 'DEPTHWISE_CONV_2D', wShape: number[]) => ({
      op,
      tensors: [
        { name: 'x', shape: [1, 3, 3, 2] },
        { name: 'w', shape: wShape, data: new Float32Array(wShape.reduce((a, b) => a * b, 1)) },
        { name: 'y', shape: [1, 3, 3, 3] },
      ],
      inputs: [0, 1],
      outputs: [2],
      options: conv({}),
    });
    assert.throws(
      () => buildOne(CONVOLUTION_BUILDERS.CONV_2D, spec('CONV_2D', [3, 1, 1, 1])),
      unsupportedError(/grouped convolution/),
    );
    assert.throws(
      () =>
        buildOne(CONVOLUTION_BUILDERS.DEPTHWISE_CONV_2D, spec('DEPTHWISE_CONV_2D', [1, 1, 1, 3])),
      unsupportedError(/3 outputs for 2 inputs/),
    );
    assert.throws(
      () =>
        buildOne(CONVOLUTION_BUILDERS.CONV_2D, {
          ...spec('CONV_2D', [3, 1, 1, 2]),
          options: undefined,
        }),
      unsupportedError(/missing convolution options/),
    );
  });
});
