import type { JobEvent } from '../../shared/contract/job-types';
import type { BackendReport } from '../../shared/contract/ml-types';

/**
 * The backend in one word for the status bar: GPU (WebGPU on a real adapter, or native TensorFlow
 * with CUDA), webgpu (forced onto a software adapter), native
 * (TensorFlow's C library on the CPU), wasm or cpu (plain JavaScript).
 */
export function backendLabel(b: Pick<BackendReport, 'name' | 'gpu'>): string {
  if (b.gpu) return 'GPU';
  if (b.name === 'tensorflow') return 'native';
  return b.name;
}

/**
 * Events that prove the ML host is up: every job kind but import does its work there, and a job
 * that reports progress, an epoch or a result has started it. (Queued jobs may not have yet.)
 */
export function provesHostRunning(event: JobEvent): boolean {
  return (
    event.kind !== 'import' &&
    (event.type === 'progress' || event.type === 'epoch' || event.type === 'done')
  );
}
