// Convolution-gradient kernels for the wasm backend. tfjs-backend-wasm ships only
// Conv2DBackpropInput (for conv2dTranspose; a plain loop, ~1 s for one batch through MobileNetV2's
// Conv_1), so stage 2 had to move its training steps to the plain-JS cpu backend, 100-400x slower
// than PyTorch per step.
//
// Most of a fine-tuned MobileNetV2 block is 1x1 convolutions, and a 1x1 stride-1 convolution is a
// matrix product over the pixels: y[M, C'] = x[M, C] W[C, C'] with M = batch x height x width. Its
// gradients are matrix products too, dW = x^T dy and dx = dy W^T, which run here on wasm's own
// BatchMatMul (XNNPACK, SIMD). The transposes are explicit Transpose kernels because wasm's
// BatchMatMul with a transpose flag is about 10x slower than without (measured 0.4 against
// 4.6 G multiply-adds per second). Every other convolution (the 3x3 depthwise layers, strided or
// larger filters) uses wasm's own input-gradient kernel or the typed-array loops of the cpu kernels
// on the WebAssembly heap; a depthwise layer is ~3% of a block's multiply-adds. Our kernels refuse
// NCHW and dilated convolutions with a clear error: the app's backbones have none.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { conv2dFilterGrad, depthwiseFilterGrad, type ConvAttrs } from './cpu-grad-kernels';
import { conv2dInputGrad, depthwiseInputGrad, type InputGradAttrs } from './cpu-input-grad-kernels';
import { isUnitDilation, type Info, type KernelArgs, type TensorIO } from './grad-kernel-io';

type WasmBackend = {
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: Float32Array,
  ): Info;
  disposeData(dataId: object, force?: boolean): boolean;
};

const BACKEND = 'wasm';

/** TensorIO on the WebAssembly heap. The views are read before anything is allocated. */
export function wasmIO(backend: unknown): TensorIO {
  const wasm = backend as WasmBackend;
  return {
    read: (t) => {
      if (t.dtype !== 'float32') {
        throw new AppError('UNSUPPORTED', `Convolution gradients need float32, not ${t.dtype}.`);
      }
      return wasm.typedArrayFromHeap(t) as Float32Array;
    },
    make: (shape, values) => wasm.makeOutput(shape, 'float32', undefined, values),
  };
}

/** Runs wasm's own kernels, keeping what they make until finish() releases it. */
class Kernels {
  private readonly made: Info[] = [];
  constructor(private readonly backend: unknown) {}

  run(name: string, inputs: Record<string, Info>, attrs: Record<string, unknown>): Info {
    const kernel = tf.getKernel(name, BACKEND);
    if (kernel === undefined) throw new AppError('INTERNAL', `wasm has no ${name} kernel.`);
    const out = kernel.kernelFunc({
      inputs: inputs,
      backend: this.backend as tf.KernelBackend,
      attrs: attrs as tf.NamedAttrMap,
    }) as unknown as Info;
    this.made.push(out);
    return out;
  }

  /** Takes a tensor made here (not by a kernel) into the set released by finish(). */
  adopt(t: Info): Info {
    this.made.push(t);
    return t;
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  /** [1, rows, cols] -> [1, cols, rows]. */
  transpose(x: Info): Info {
    return this.run('Transpose', { x }, { perm: [0, 2, 1] });
  }

  matMul(a: Info, b: Info): Info {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  /** `result` reshaped to `shape` as a tensor of its own; every intermediate is released. */
  finish(result: Info, shape: number[]): Info {
    const out = this.run('Reshape', { x: result }, { shape });
    this.made.pop();
    for (const t of this.made) (this.backend as WasmBackend).disposeData(t.dataId);
    return out;
  }
}

type Conv4 = [number, number, number, number];

/** True for a 1x1, stride-1, unpadded convolution ('same' pads nothing then): a matrix product. */
function isPointwise(
  filterShape: readonly number[],
  a: Pick<ConvAttrs, 'strides' | 'pad'>,
): boolean {
  const [s0, s1] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
  const unpadded = a.pad === 'same' || a.pad === 'valid' || a.pad === 0;
  return filterShape[0] === 1 && filterShape[1] === 1 && s0 === 1 && s1 === 1 && unpadded;
}

function refuseUncommon(attrs: { dataFormat?: string; dilations?: ConvAttrs['dilations'] }): void {
  if (attrs.dataFormat === 'NCHW' || !isUnitDilation(attrs.dilations)) {
    throw new AppError(
      'UNSUPPORTED',
      'The wasm backend has no gradients for NCHW or dilated convolutions; choose the cpu backend for this model.',
    );
  }
}

/** dW[1, 1, C, C'] = x[M, C]^T dy[M, C'] for a pointwise convolution, else the cpu loops. */
function conv2dFilterGradWasm(args: KernelArgs): Info {
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const a = args.attrs as ConvAttrs;
  refuseUncommon(a);
  if (!isPointwise(a.filterShape, a)) return conv2dFilterGrad(args, wasmIO(args.backend));
  const [, , inC, outC] = a.filterShape;
  const k = new Kernels(args.backend);
  const m = (x.shape as Conv4).slice(0, 3).reduce((p, d) => p * d, 1);
  const xT = k.transpose(k.reshape(x, [1, m, inC]));
  return k.finish(k.matMul(xT, k.reshape(dy, [1, m, outC])), a.filterShape);
}

/** wasm's own Conv2DBackpropInput, kept for what is not a matrix product. */
const shipped = new Map<string, tf.KernelFunc>();

/**
 * dx[M, C] = dy[M, C'] W[C, C']^T for a pointwise convolution, else wasm's own kernel (or the cpu
 * gather where there is none).
 */
function conv2dInputGradWasm(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const a = args.attrs as InputGradAttrs;
  if (!isPointwise(filter.shape, a) || a.dataFormat === 'NCHW') {
    const own = shipped.get('Conv2DBackpropInput');
    if (own !== undefined)
      return own(args as unknown as Parameters<tf.KernelFunc>[0]) as unknown as Info;
    refuseUncommon(a);
    return conv2dInputGrad(args, wasmIO(args.backend));
  }
  refuseUncommon(a);
  const [, , inC, outC] = filter.shape as Conv4;
  const k = new Kernels(args.backend);
  const m = a.inputShape.slice(0, 3).reduce((p, d) => p * d, 1);
  const wT = k.transpose(k.reshape(filter, [1, inC, outC]));
  return k.finish(k.matMul(k.reshape(dy, [1, m, outC]), wT), [...a.inputShape]);
}

function depthwiseFilterGradWasm(args: KernelArgs): Info {
  refuseUncommon(args.attrs as ConvAttrs);
  return depthwiseFilterGrad(args, wasmIO(args.backend));
}

/**
 * A stride-1 'same' depthwise layer with an odd square filter and one output per channel (every
 * depthwise layer of a MobileNet's 7x7 stage): its input gradient is the same depthwise
 * convolution of dy with the filter turned by 180 degrees, which wasm runs in XNNPACK.
 */
function isMirrorable(filter: Info, a: InputGradAttrs): boolean {
  const [h, w, , mult] = filter.shape as Conv4;
  const [s0, s1] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
  return a.pad === 'same' && h === w && h % 2 === 1 && mult === 1 && s0 === 1 && s1 === 1;
}

function depthwiseInputGradWasm(args: KernelArgs): Info {
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const a = args.attrs as InputGradAttrs;
  refuseUncommon(a);
  if (!isMirrorable(filter, a)) return depthwiseInputGrad(args, wasmIO(args.backend));
  const io = wasmIO(args.backend);
  const [h, w, channels] = filter.shape as Conv4;
  const source = io.read(filter);
  const turned = new Float32Array(source.length);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const from = (r * w + c) * channels;
      turned.set(
        source.subarray(from, from + channels),
        ((h - 1 - r) * w + (w - 1 - c)) * channels,
      );
    }
  }
  const k = new Kernels(args.backend);
  const turnedFilter = k.adopt(io.make(filter.shape, turned));
  const dx = k.run(
    'DepthwiseConv2dNative',
    { x: dy, filter: turnedFilter },
    { strides: [1, 1], pad: 'same', dilations: [1, 1], dataFormat: 'NHWC' },
  );
  return k.finish(dx, [...a.inputShape]);
}

const KERNELS = [
  ['Conv2DBackpropFilter', conv2dFilterGradWasm],
  ['Conv2DBackpropInput', conv2dInputGradWasm],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseFilterGradWasm],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseInputGradWasm],
] as const;

let installed = false;

/**
 * Registers the four convolution-gradient kernels for the wasm backend, so layers models train on
 * wasm. wasm's own Conv2DBackpropInput is replaced (and still serves what is not pointwise).
 * Idempotent; affects this process only.
 */
export function installWasmGradKernels(): void {
  if (installed) return;
  installed = true;
  for (const [name, kernel] of KERNELS) {
    const own = tf.getKernel(name, BACKEND);
    if (own !== undefined) {
      shipped.set(name, own.kernelFunc);
      tf.unregisterKernel(name, BACKEND);
    }
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      kernelFunc: (args) => kernel(args as unknown as KernelArgs),
    });
  }
}
