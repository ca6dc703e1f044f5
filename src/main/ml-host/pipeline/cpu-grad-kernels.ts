// Faster filter-gradient kernels for the plain-JS cpu backend, and the general case of the wasm
// backend's filter gradients (wasm-grad-kernels.ts; tfjs-backend-wasm ships none).
// tfjs-backend-cpu computes Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter through
// TensorBuffer.get() per element: about 5 M multiply-adds per second, so one batch of 8 through
// MobileNetV2's Conv_1 (160 M) took ~50 s. The same sums as straight loops over the typed arrays,
// innermost loop over contiguous channels, run about two orders of magnitude faster. Same results
// (same sums, same order per element up to float rounding); anything outside the common case
// (NCHW, dilations) keeps the original kernel.
import * as tf from '@tensorflow/tfjs';
import {
  cpuIO,
  isUnitDilation,
  type Dilations,
  type Info,
  type KernelArgs,
  type TensorIO,
} from './grad-kernel-io';

export type ConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
  dilations?: Dilations;
};

/** dW[wR, wC, d1, d2] = sum over (b, yR, yC) of x[b, xR, xC, d1] * dy[b, yR, yC, d2]. */
export function conv2dFilterGrad(args: KernelArgs, io: TensorIO): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const a = args.attrs as ConvAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = io.read(x);
  const dyv = io.read(dy);
  const dW = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b = 0; b < info.batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyOff = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight + wR - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xOff = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wOff = (wR * filterWidth + wC) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xval = xv[xOff + d1] as number;
              if (xval === 0) continue;
              const row = wOff + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) {
                dW[row + d2]! += xval * (dyv[dyOff + d2] as number);
              }
            }
          }
        }
      }
    }
  }
  return io.make(a.filterShape, dW);
}

/** Depthwise: dW[wR, wC, d1, q] = sum of x[b, xR, xC, d1] * dy[b, yR, yC, d1 * mult + q]. */
export function depthwiseFilterGrad(args: KernelArgs, io: TensorIO): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const a = args.attrs as ConvAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    true,
  );
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const mult = outChannels / inChannels;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = io.read(x);
  const dyv = io.read(dy);
  const dW = new Float32Array(filterHeight * filterWidth * outChannels);
  for (let b = 0; b < info.batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyOff = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight + wR - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xOff = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wOff = (wR * filterWidth + wC) * outChannels;
            if (mult === 1) {
              // The usual case (MobileNet's depthwise layers): one contiguous triad per tap.
              for (let d = 0; d < inChannels; d++) {
                dW[wOff + d]! += (xv[xOff + d] as number) * (dyv[dyOff + d] as number);
              }
              continue;
            }
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xval = xv[xOff + d1] as number;
              for (let q = 0; q < mult; q++) {
                const d2 = d1 * mult + q;
                dW[wOff + d2]! += xval * (dyv[dyOff + d2] as number);
              }
            }
          }
        }
      }
    }
  }
  return io.make(a.filterShape, dW);
}

let installed = false;

/**
 * Replaces the cpu backend's two filter-gradient kernels with the loops above, keeping the
 * originals for the cases they do not cover. Idempotent; affects this (ML host) process only.
 */
export function installFastCpuGradKernels(): void {
  if (installed) return;
  installed = true;
  for (const [name, fast] of [
    ['Conv2DBackpropFilter', conv2dFilterGrad],
    ['DepthwiseConv2dNativeBackpropFilter', depthwiseFilterGrad],
  ] as const) {
    const original = tf.getKernel(name, 'cpu');
    if (original === undefined) continue;
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel({
      kernelName: name,
      backendName: 'cpu',
      kernelFunc: (args) => {
        const attrs = args.attrs as unknown as ConvAttrs;
        const common = attrs.dataFormat !== 'NCHW' && isUnitDilation(attrs.dilations);
        return common
          ? fast(args as unknown as KernelArgs, cpuIO(args.backend))
          : original.kernelFunc(args);
      },
    });
  }
}
