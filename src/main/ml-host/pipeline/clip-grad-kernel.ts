// The gradient of clipByValue in one pass. tfjs-layers' ReLU(maxValue = 6), the activation of every
// MobileNetV2 block, is relu then clipByValue, and tfjs-core's clipByValue gradient builds a
// boolean mask in four kernels (greaterEqual, lessEqual, logicalAnd, zerosLike) before a select:
// five passes over each 7x7x960 activation, about 14% of a stage-2 step on wasm. One loop over
// the saved input does the same. Backends without the kernel (WebGPU) keep tfjs-core's formula.
import * as tf from '@tensorflow/tfjs';
import { cpuIO, type Info, type KernelArgs, type TensorIO } from './grad-kernel-io';
import { wasmIO } from './wasm-grad-kernels';

export const CLIP_GRAD_KERNEL = 'LittlePlanetClipByValueGrad';

type ClipAttrs = { clipValueMin: number; clipValueMax: number };

function clipGrad(args: KernelArgs, io: TensorIO): Info {
  const { dy, x } = args.inputs as { dy: Info; x: Info };
  const { clipValueMin: lo, clipValueMax: hi } = args.attrs as ClipAttrs;
  const dyv = io.read(dy);
  const xv = io.read(x);
  const dx = new Float32Array(dyv.length);
  for (let i = 0; i < dx.length; i++) {
    const v = xv[i] as number;
    if (v >= lo && v <= hi) dx[i] = dyv[i] as number;
  }
  return io.make([...dy.shape], dx);
}

const IO_OF: Record<string, (backend: unknown) => TensorIO> = { cpu: cpuIO, wasm: wasmIO };

let installed = false;

/** Registers the one-pass kernel for cpu and wasm and routes clipByValue's gradient through it. */
export function installClipGradKernel(): void {
  if (installed) return;
  installed = true;
  for (const [backendName, io] of Object.entries(IO_OF)) {
    tf.registerKernel({
      kernelName: CLIP_GRAD_KERNEL,
      backendName,
      kernelFunc: (args) => clipGrad(args as unknown as KernelArgs, io(args.backend)),
    });
  }
  tf.registerGradient({
    kernelName: 'ClipByValue',
    inputsToSave: ['x'],
    gradFunc: (dyOrList, saved, attrs) => {
      const dy = dyOrList as tf.Tensor;
      const [x] = saved as [tf.Tensor];
      const { clipValueMin: lo, clipValueMax: hi } = attrs as unknown as ClipAttrs;
      const oneLoop = dy.dtype === 'float32' && x.dtype === 'float32' && tf.getBackend() in IO_OF;
      return {
        x: () =>
          oneLoop
            ? tf
                .engine()
                .runKernel<tf.Tensor>(
                  CLIP_GRAD_KERNEL,
                  { dy, x },
                  { clipValueMin: lo, clipValueMax: hi },
                )
            : tf.where(
                tf.logicalAnd(tf.greaterEqual(x, lo), tf.lessEqual(x, hi)),
                dy,
                tf.zerosLike(dy),
              ),
      };
    },
  });
}
