// Runs one step on another backend and switches back. The case it exists for: the WebAssembly
// backend has no Conv2DBackpropFilter / depthwise backprop kernels, so a stage-2 fine-tuning step
// (gradients through conv layers) runs on 'cpu' while feature extraction stays on 'wasm'. Tensors
// created on one backend move to the other on first use (tfjs copies their data), so weights are
// shared, not duplicated for good.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { BackendName } from './select';

/**
 * Makes `name` the current backend, runs `fn`, and restores the previous backend even when `fn`
 * throws. The backend is process-global: do not run other tensor work concurrently with `fn`.
 * Throws BACKEND_UNAVAILABLE when `name` is not registered or fails to initialise.
 */
export async function withBackend<T>(name: BackendName, fn: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (previous === name) return await fn();
  if (tf.findBackendFactory(name) === null) {
    throw new AppError('BACKEND_UNAVAILABLE', `The '${name}' backend is not loaded.`, { name });
  }
  if (!(await tf.setBackend(name))) {
    throw new AppError('BACKEND_UNAVAILABLE', `The '${name}' backend failed to start.`, { name });
  }
  try {
    return await fn();
  } finally {
    await tf.setBackend(previous);
  }
}
