// What the hand-written convolution-gradient kernels (cpu-grad-kernels.ts, cpu-input-grad-kernels.ts)
// need from a backend: the float values of an input and a way to hand back a result. The sums are
// the same on every backend; only where a tensor's values live differs (a JS array on the plain-JS
// cpu backend, the WebAssembly heap on wasm), so each backend passes its own TensorIO.
import type * as tf from '@tensorflow/tfjs';

type DataId = object;
export type Info = { dataId: DataId; shape: number[]; dtype: tf.DataType };
export type KernelArgs = { inputs: Record<string, Info>; backend: unknown; attrs?: unknown };

export type TensorIO = {
  /** The tensor's float32 values. Read-only; valid until the backend allocates again. */
  read(t: Info): Float32Array;
  /** A new backend tensor holding `values`. */
  make(shape: number[], values: Float32Array): Info;
};

export type Dilations = [number, number] | number | undefined;

export function isUnitDilation(d: Dilations): boolean {
  return d === undefined || d === 1 || (Array.isArray(d) && d[0] === 1 && d[1] === 1);
}

type CpuBackend = {
  data: { get(id: DataId): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
};

/** TensorIO of tfjs-backend-cpu: values are plain typed arrays in its data map. */
export function cpuIO(backend: unknown): TensorIO {
  const cpu = backend as CpuBackend;
  return {
    read: (t) => cpu.data.get(t.dataId).values as Float32Array,
    make: (shape, values) => cpu.makeTensorInfo(shape, 'float32', values),
  };
}
