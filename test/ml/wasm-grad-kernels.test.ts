// The wasm backend's convolution gradients (installed by backend selection) against
// tfjs-backend-cpu's own kernels: the same random inputs, the gradient of sum(conv(x, W) * dy) with
// respect to x and W on both backends. Covers the matrix-product path (1x1 stride 1), the typed-array
// path (3x3, strided, valid, depthwise with multipliers), a MobileNetV2-shaped block through a
// layers model, clipByValue's one-pass gradient, the clear error for NCHW, and that no tensor
// or wasm buffer is left behind.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { selectBackend } from '../../src/main/ml-host/backend';
import { mulberry32 } from '../../src/shared/domain/random';

function randomValues(shape: number[], seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => next() * 2 - 1);
}

type Conv = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
type Case = { what: string; x: number[]; w: number[]; conv: Conv };

const CASES: Case[] = [
  {
    what: '1x1 stride 1 (matrix product)',
    x: [3, 7, 7, 16],
    w: [1, 1, 16, 24],
    conv: (x, w) => tf.conv2d(x, w, 1, 'same'),
  },
  {
    what: '1x1 stride 1 valid',
    x: [2, 5, 4, 8],
    w: [1, 1, 8, 5],
    conv: (x, w) => tf.conv2d(x, w, 1, 'valid'),
  },
  {
    what: '1x1 stride 2 (loops)',
    x: [2, 7, 7, 6],
    w: [1, 1, 6, 4],
    conv: (x, w) => tf.conv2d(x, w, 2, 'same'),
  },
  {
    what: '3x3 stride 2 same',
    x: [2, 9, 8, 3],
    w: [3, 3, 3, 5],
    conv: (x, w) => tf.conv2d(x, w, 2, 'same'),
  },
  {
    what: '3x3 stride 1 valid',
    x: [1, 7, 7, 4],
    w: [3, 3, 4, 3],
    conv: (x, w) => tf.conv2d(x, w, 1, 'valid'),
  },
  {
    what: 'depthwise 3x3 stride 1 same',
    x: [2, 7, 7, 12],
    w: [3, 3, 12, 1],
    conv: (x, w) => tf.depthwiseConv2d(x, w, 1, 'same'),
  },
  {
    what: 'depthwise 3x3 stride 2, multiplier 2',
    x: [1, 9, 9, 3],
    w: [3, 3, 3, 2],
    conv: (x, w) => tf.depthwiseConv2d(x, w, 2, 'same'),
  },
];

/** d/dx and d/dW of sum(conv(x, W) * dy) on `backend`. */
async function gradients(backend: string, c: Case, seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randomValues(c.x, seed), c.x as [number, number, number, number]);
  const w = tf.tensor4d(randomValues(c.w, seed + 1), c.w as [number, number, number, number]);
  const y = tf.tidy(() => c.conv(x, w));
  const dy = tf.tensor(randomValues(y.shape, seed + 2), y.shape);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(c.conv(a as tf.Tensor4D, b as tf.Tensor4D), dy)),
  )([x, w]);
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose([x, w, y, dy, ...grads]);
  return values;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  assert.ok(scale > 0, `${what}: the reference gradient is all zeros`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs((actual[i] as number) - (expected[i] as number));
    assert.ok(diff <= 1e-4 * scale, `${what}: element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Live wasm buffers: a kernel that forgot an intermediate leaves one behind per call. */
function wasmBuffers(): number {
  return (tf.findBackend('wasm') as unknown as { numDataIds(): number }).numDataIds();
}

describe('wasm convolution gradients', () => {
  before(async () => {
    const info = await selectBackend({ preference: 'wasm', env: {}, strict: true });
    assert.equal(info.name, 'wasm');
    assert.equal(info.convGradients, true, 'backend selection installs the wasm gradient kernels');
  });

  for (const [i, c] of CASES.entries()) {
    it(`equals the cpu backend: ${c.what}`, async () => {
      const expected = await gradients('cpu', c, 100 + i * 3);
      await tf.setBackend('wasm');
      const tensors = tf.memory().numTensors;
      const buffers = wasmBuffers();
      const actual = await gradients('wasm', c, 100 + i * 3);
      await tf.setBackend('wasm');
      assert.equal(tf.memory().numTensors, tensors, 'no tensor leaks');
      assert.equal(wasmBuffers(), buffers, 'no wasm buffer is left behind');
      assertClose(actual[0] as Float32Array, expected[0] as Float32Array, `${c.what}: dx`);
      assertClose(actual[1] as Float32Array, expected[1] as Float32Array, `${c.what}: dW`);
    });
  }

  it('trains an inverted-residual block of layers on wasm as the cpu backend does', async () => {
    const build = (): tf.LayersModel => {
      const input = tf.input({ shape: [7, 7, 8] });
      let y = tf.layers.conv2d({ filters: 24, kernelSize: 1, name: 'expand' }).apply(input);
      y = tf.layers.reLU({ maxValue: 6 }).apply(y);
      y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }).apply(y);
      y = tf.layers.reLU({ maxValue: 6 }).apply(y);
      y = tf.layers.conv2d({ filters: 8, kernelSize: 1, name: 'project' }).apply(y);
      const out = tf.layers.add().apply([input, y as tf.SymbolicTensor]) as tf.SymbolicTensor;
      return tf.model({
        inputs: input,
        outputs: tf.layers.globalAveragePooling2d({}).apply(out) as tf.SymbolicTensor,
      });
    };
    const step = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const model = build();
      model.setWeights(
        model.getWeights().map((w, k) => tf.tensor(randomValues(w.shape, 7 + k), w.shape)),
      );
      const x = tf.tensor4d(randomValues([4, 7, 7, 8], 3), [4, 7, 7, 8]);
      const target = tf.tensor2d(randomValues([4, 8], 5), [4, 8]);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(
        () => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, model.apply(x) as tf.Tensor),
        vars,
      );
      const values = await Promise.all(
        vars.map((v) => grads[v.name]!.data() as Promise<Float32Array>),
      );
      tf.dispose([x, target, ...Object.values(grads)]);
      model.dispose();
      return values;
    };
    const expected = await step('cpu');
    const actual = await step('wasm');
    assert.equal(actual.length, 6, 'kernels and biases of three layers');
    actual.forEach((a, k) => assertClose(a, expected[k] as Float32Array, `weight ${k}`));
  });

  it('takes the gradient of clipByValue in one kernel, bounds included, on wasm and cpu', async () => {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const x = tf.tensor1d([-1, 0, 3, 6, 7, 2.5]);
      const dy = tf.tensor1d([10, 20, 30, 40, 50, 60]);
      const before = tf.memory().numTensors;
      const [g] = tf.grads((a: tf.Tensor) => tf.mul(tf.clipByValue(a, 0, 6), dy))([x]);
      assert.deepEqual(Array.from(await g!.data()), [0, 20, 30, 40, 0, 60], backend);
      g!.dispose();
      assert.equal(tf.memory().numTensors, before, `${backend}: no tensor leaks`);
      tf.dispose([x, dy]);
    }
  });

  it('refuses NCHW convolutions with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 2, 7, 7]);
    const dy = tf.ones([1, 2, 7, 7]);
    assert.throws(
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 2, 2] },
          ),
      /no gradients for NCHW or dilated convolutions/,
    );
    tf.dispose([x, dy]);
  });
});
