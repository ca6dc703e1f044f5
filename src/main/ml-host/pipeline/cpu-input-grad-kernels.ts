// Input-gradient kernels for the plain-JS cpu backend, the companion of cpu-grad-kernels.ts (the
// filter gradients). Class-maximising images differentiate the score with respect to the input
// image, so every Conv2D and depthwise layer of the backbone runs Conv2DBackpropInput /
// DepthwiseConv2dNativeBackpropInput once per ascent step. tfjs-backend-cpu's versions walk the
// output channel-first (d1 outermost) and recompute strided bounds with divisions per element;
// these gather per input pixel instead: for each filter tap that reaches the pixel, one
// contiguous dot product over the output channels per input channel, summed in doubles. Same
// sums as the original kernel (up to float rounding); anything outside the common case (NCHW,
// dilations) keeps the original kernel. The wasm backend's input gradients use the same gather for
// what is not a matrix product (wasm-grad-kernels.ts).
import * as tf from '@tensorflow/tfjs';
import {
  cpuIO,
  isUnitDilation,
  type Dilations,
  type Info,
  type KernelArgs,
  type TensorIO,
} from './grad-kernel-io';

export type InputGradAttrs = {
  inputShape: [number, number, number, number];
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: Dilations;
};

/**
 * The filter taps along one axis that reach input index `x`: pairs (w, y) with
 * x = y * stride + w - pad, 0 <= y < outSize. Written into `taps` (w at 2i, y at 2i + 1).
 */
function tapsOf(
  x: number,
  pad: number,
  stride: number,
  filter: number,
  outSize: number,
  taps: Int32Array,
): number {
  let n = 0;
  for (let w = 0; w < filter; w++) {
    const t = x + pad - w;
    if (t < 0 || t % stride !== 0) continue;
    const y = t / stride;
    if (y >= outSize) continue;
    taps[2 * n] = w;
    taps[2 * n + 1] = y;
    n++;
  }
  return n;
}

/**
 * Conv2D, one filter tap: acc[d1] += dy[dyOff + 0..n) . W[wOff + d1 * n + 0..n) for every d1.
 * Four input channels per pass share each dy load (the 1x1 layers, most of MobileNetV2's work,
 * are bound by memory reads, not multiplies).
 */
function denseTap(
  dyv: Float32Array,
  dyOff: number,
  wv: Float32Array,
  wOff: number,
  inChannels: number,
  n: number,
  acc: Float64Array,
): void {
  let d1 = 0;
  for (; d1 + 4 <= inChannels; d1 += 4) {
    const w0 = wOff + d1 * n;
    const w1 = w0 + n;
    const w2 = w1 + n;
    const w3 = w2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let q = 0; q < n; q++) {
      const g = dyv[dyOff + q] as number;
      s0 += g * (wv[w0 + q] as number);
      s1 += g * (wv[w1 + q] as number);
      s2 += g * (wv[w2 + q] as number);
      s3 += g * (wv[w3 + q] as number);
    }
    acc[d1]! += s0;
    acc[d1 + 1]! += s1;
    acc[d1 + 2]! += s2;
    acc[d1 + 3]! += s3;
  }
  for (; d1 < inChannels; d1++) {
    const w0 = wOff + d1 * n;
    let sum = 0;
    for (let q = 0; q < n; q++) sum += (dyv[dyOff + q] as number) * (wv[w0 + q] as number);
    acc[d1]! += sum;
  }
}

/** Depthwise, one filter tap: acc[d1] += the multiplier's outputs of d1 times their weights. */
function sparseTap(
  dyv: Float32Array,
  dyOff: number,
  wv: Float32Array,
  wOff: number,
  inChannels: number,
  mult: number,
  acc: Float64Array,
): void {
  for (let d1 = 0; d1 < inChannels; d1++) {
    const row = d1 * mult;
    let sum = 0;
    for (let q = 0; q < mult; q++) {
      sum += (dyv[dyOff + row + q] as number) * (wv[wOff + row + q] as number);
    }
    acc[d1]! += sum;
  }
}

type Geometry = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/**
 * dx[b, xR, xC, d1] = sum over the taps reaching (xR, xC) and over q < perTap of
 * dy[b, yR, yC, channel(d1, q)] * W[wR, wC, weight(d1, q)]: the shared gather of both kernels.
 * `dense` selects the layout: Conv2D (W[wR, wC, d1, d2], all outChannels per d1) or depthwise
 * (W[wR, wC, d1, q], the multiplier's outputs of d1 only).
 */
function gatherInputGrad(info: Geometry, dyv: Float32Array, wv: Float32Array, dense: boolean) {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const perTap = dense ? outChannels : outChannels / inChannels;
  const tapSize = dense ? inChannels * outChannels : outChannels;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  const acc = new Float64Array(inChannels);
  const rowTaps = new Int32Array(2 * filterHeight);
  const colTaps = new Int32Array(2 * filterWidth);
  for (let b = 0; b < batchSize; b++) {
    for (let xR = 0; xR < inHeight; xR++) {
      const nR = tapsOf(xR, top, strideHeight, filterHeight, outHeight, rowTaps);
      for (let xC = 0; xC < inWidth; xC++) {
        const nC = tapsOf(xC, left, strideWidth, filterWidth, outWidth, colTaps);
        acc.fill(0);
        for (let i = 0; i < nR; i++) {
          const wR = rowTaps[2 * i] as number;
          const yR = rowTaps[2 * i + 1] as number;
          for (let j = 0; j < nC; j++) {
            const wC = colTaps[2 * j] as number;
            const yC = colTaps[2 * j + 1] as number;
            const dyOff = ((b * outHeight + yR) * outWidth + yC) * outChannels;
            const wOff = (wR * filterWidth + wC) * tapSize;
            if (dense) denseTap(dyv, dyOff, wv, wOff, inChannels, perTap, acc);
            else sparseTap(dyv, dyOff, wv, wOff, inChannels, perTap, acc);
          }
        }
        const xOff = ((b * inHeight + xR) * inWidth + xC) * inChannels;
        for (let d1 = 0; d1 < inChannels; d1++) dx[xOff + d1] = acc[d1] as number;
      }
    }
  }
  return dx;
}

export function conv2dInputGrad(args: KernelArgs, io: TensorIO): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const a = args.attrs as InputGradAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const dx = gatherInputGrad(info, io.read(dy), io.read(filter), true);
  return io.make(a.inputShape, dx);
}

export function depthwiseInputGrad(args: KernelArgs, io: TensorIO): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const a = args.attrs as InputGradAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  const dx = gatherInputGrad(info, io.read(dy), io.read(filter), false);
  return io.make(a.inputShape, dx);
}

let installed = false;
const originals = new Map<string, tf.KernelConfig>();

/**
 * Replaces the cpu backend's two input-gradient kernels with the gather above, keeping the
 * originals for the cases it does not cover. Idempotent; affects this (ML host) process only.
 */
export function installFastCpuInputGradKernels(): void {
  if (installed) return;
  installed = true;
  for (const [name, fast] of [
    ['Conv2DBackpropInput', conv2dInputGrad],
    ['DepthwiseConv2dNativeBackpropInput', depthwiseInputGrad],
  ] as const) {
    const original = tf.getKernel(name, 'cpu');
    if (original === undefined) continue;
    originals.set(name, original);
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({
      kernelName: name,
      backendName: 'cpu',
      kernelFunc: (args) => {
        const attrs = args.attrs as unknown as InputGradAttrs;
        const inputs = args.inputs as unknown as { dy: Info; filter: Info };
        const common =
          attrs.dataFormat !== 'NCHW' &&
          isUnitDilation(attrs.dilations) &&
          inputs.dy.dtype === 'float32' &&
          inputs.filter.dtype === 'float32';
        return common
          ? fast(args as unknown as KernelArgs, cpuIO(args.backend))
          : original.kernelFunc(args);
      },
    });
  }
}

/** The kernel tfjs-backend-cpu shipped (once installed), for tests that compare against it. */
export function originalCpuKernel(name: string): tf.KernelConfig | undefined {
  return originals.get(name);
}
