// The fast input-gradient kernels against tfjs-backend-cpu's own: random dy and filters, every
// geometry MobileNetV2 uses (1x1 and 3x3, strides 1 and 2, same and valid padding) plus odd sizes,
// explicit padding and channel multipliers, each computed by both kernels and compared.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  installFastCpuInputGradKernels,
  originalCpuKernel,
} from '../../src/main/ml-host/pipeline/cpu-input-grad-kernels';
import { mulberry32 } from '../../src/shared/domain/random';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

function random(shape: number[], seed: number): tf.Tensor {
  const next = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => next() * 2 - 1),
    shape,
  );
}

/** Runs the backend's kernel `name` directly with a given kernel function. */
function runKernel(
  fn: tf.KernelFunc,
  inputs: { dy: tf.Tensor; filter: tf.Tensor },
  attrs: Record<string, unknown>,
): Float32Array {
  const backend = tf.backend();
  const out = fn({
    inputs,
    backend,
    attrs: attrs as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo;
  const values = (backend.readSync(out.dataId) as Float32Array).slice();
  backend.disposeData(out.dataId);
  return values;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  assert.ok(scale > 0, `${what}: the reference gradient is all zeros`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs((actual[i] as number) - (expected[i] as number));
    assert.ok(diff <= 1e-5 * scale, `${what}: element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

type Case = {
  input: [number, number, number, number];
  filter: [number, number];
  outChannels: number;
  strides: number;
  pad: Pad;
};

const CASES: Case[] = [
  { input: [1, 8, 8, 5], filter: [1, 1], outChannels: 7, strides: 1, pad: 'same' },
  { input: [2, 9, 7, 3], filter: [3, 3], outChannels: 4, strides: 1, pad: 'same' },
  { input: [1, 9, 9, 3], filter: [3, 3], outChannels: 6, strides: 2, pad: 'same' },
  { input: [1, 10, 10, 4], filter: [3, 3], outChannels: 2, strides: 2, pad: 'same' },
  { input: [1, 11, 8, 2], filter: [3, 2], outChannels: 3, strides: 2, pad: 'valid' },
  { input: [1, 7, 7, 3], filter: [3, 3], outChannels: 5, strides: 1, pad: 'valid' },
  {
    input: [1, 6, 9, 2],
    filter: [3, 3],
    outChannels: 3,
    strides: 2,
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

function shapeLabel(c: Case, extra = ''): string {
  const pad = typeof c.pad === 'string' ? c.pad : 'explicit';
  return `${c.input.join('x')} filter ${c.filter.join('x')}${extra} stride ${c.strides} ${pad}`;
}

describe('fast cpu input-gradient kernels', () => {
  before(async () => {
    await tf.setBackend('cpu');
    installFastCpuInputGradKernels();
  });

  for (const [i, c] of CASES.entries()) {
    void it(`Conv2DBackpropInput matches tfjs: ${shapeLabel(c, ` → ${c.outChannels}`)}`, () => {
      const original = originalCpuKernel('Conv2DBackpropInput');
      const fast = tf.getKernel('Conv2DBackpropInput', 'cpu');
      assert.ok(original !== undefined && fast !== undefined);
      assert.notEqual(fast.kernelFunc, original.kernelFunc, 'the fast kernel is installed');
      const before = tf.memory().numTensors;
      const filter = random([...c.filter, c.input[3], c.outChannels], 10 + i);
      const outShape = tf.tidy(
        () =>
          tf.conv2d(tf.zeros<tf.Rank.R4>(c.input), filter as tf.Tensor4D, c.strides, c.pad).shape,
      );
      const dy = random(outShape, 20 + i);
      const attrs = {
        inputShape: c.input,
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
      };
      assertClose(
        runKernel(fast.kernelFunc, { dy, filter }, attrs),
        runKernel(original.kernelFunc, { dy, filter }, attrs),
        shapeLabel(c),
      );
      // Through the public op and its gradient too: tf.grad of a conv uses the installed kernel.
      const viaGrad = tf.tidy(() =>
        tf.grad((x: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad), dy)),
        )(tf.zeros(c.input)),
      );
      assertClose(
        viaGrad.dataSync() as Float32Array,
        runKernel(original.kernelFunc, { dy, filter }, attrs),
        `${shapeLabel(c)} via tf.grad`,
      );
      tf.dispose([filter, dy, viaGrad]);
      assert.equal(tf.memory().numTensors, before);
    });

    for (const multiplier of [1, 2]) {
      void it(`DepthwiseConv2dNativeBackpropInput matches tfjs: ${shapeLabel(c, ` x${multiplier}`)}`, () => {
        const original = originalCpuKernel('DepthwiseConv2dNativeBackpropInput');
        const fast = tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'cpu');
        assert.ok(original !== undefined && fast !== undefined);
        assert.notEqual(fast.kernelFunc, original.kernelFunc, 'the fast kernel is installed');
        const filter = random([...c.filter, c.input[3], multiplier], 30 + i);
        const outShape = tf.tidy(
          () =>
            tf.depthwiseConv2d(
              tf.zeros<tf.Rank.R4>(c.input),
              filter as tf.Tensor4D,
              c.strides,
              c.pad,
            ).shape,
        );
        const dy = random(outShape, 40 + i);
        const attrs = {
          inputShape: c.input,
          strides: c.strides,
          pad: c.pad,
          dilations: 1,
          dimRoundingMode: undefined,
        };
        assertClose(
          runKernel(fast.kernelFunc, { dy, filter }, attrs),
          runKernel(original.kernelFunc, { dy, filter }, attrs),
          shapeLabel(c),
        );
        tf.dispose([filter, dy]);
      });
    }
  }

  void it('dilated convolutions go to the original kernel (same answer)', () => {
    const original = originalCpuKernel('DepthwiseConv2dNativeBackpropInput');
    const fast = tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'cpu');
    assert.ok(original !== undefined && fast !== undefined);
    const filter = random([3, 3, 2, 1], 50);
    const dy = random([1, 9, 9, 2], 51);
    const attrs = { inputShape: [1, 9, 9, 2], strides: 1, pad: 'same', dilations: 2 };
    const viaFast = runKernel(fast.kernelFunc, { dy, filter }, attrs);
    assert.deepEqual(viaFast, runKernel(original.kernelFunc, { dy, filter }, attrs));
    // And that answer differs from the undilated one: the attribute was honoured.
    const undilated = runKernel(original.kernelFunc, { dy, filter }, { ...attrs, dilations: 1 });
    assert.notDeepEqual(viaFast, undilated);
    tf.dispose([filter, dy]);
  });
});
