// The `maximise.image` op: the class-maximising image of one of a trained model's cities, by
// gradient ascent. The ascent needs gradients through every convolution with respect to its
// input; the wasm backend has none, so there the whole run moves to the plain-JS cpu backend (with
// the fast filter- and input-gradient kernels) while holding the tensor lock exclusively, as stage
// 2 training does. Native backends (tfjs-node) use their own kernels.
import { AppError } from '../../../shared/contract/errors';
import type { BackendInfo } from '../backend';
import { withBackend } from '../backend';
import { maximiseClass } from '../explain/maximise';
import { installFastCpuGradKernels } from './cpu-grad-kernels';
import { installFastCpuInputGradKernels } from './cpu-input-grad-kernels';
import { tensorLock } from './host-resources';
import { withModelRunner } from './model-runner';
import type { LibraryLocation } from './types';

export type MaximiseRunParams = LibraryLocation & {
  modelDir: string;
  /** The city's class index in the model's classes. */
  classIndex: number;
  size: number;
  steps: number;
  seed: number;
  /**
   * The job draws several cities one op each (each cached as soon as it is done, so a cancel
   * keeps them): steps already done before this city, and the job's total steps, for progress.
   */
  progressBase: number;
  progressTotal: number;
};

export type MaximiseRunResult = {
  classIndex: number;
  city: string;
  size: number;
  /** Interleaved 8-bit RGB, row-major. */
  rgb: Uint8Array;
  /** The model's probabilities of every city on the noise it started from, and on the result. */
  start: number[];
  probabilities: number[];
  /** The backend the ascent ran on ('cpu' when the process backend has no conv gradients). */
  backend: string;
};

export type MaximiseCallbacks = {
  signal: AbortSignal;
  backend: BackendInfo;
  progress(done: number, total: number, message: string | null): void;
};

export async function maximiseImage(
  p: MaximiseRunParams,
  cb: MaximiseCallbacks,
): Promise<MaximiseRunResult> {
  const native = cb.backend.convGradients;
  if (!native) {
    installFastCpuGradKernels();
    installFastCpuInputGradKernels();
  }
  const lock = <T>(fn: () => Promise<T>): Promise<T> =>
    native ? tensorLock.shared(fn) : tensorLock.exclusive(fn);
  const onGradBackend = <T>(fn: () => Promise<T>): Promise<T> =>
    native ? fn() : withBackend('cpu', fn);
  return lock(() =>
    withModelRunner(p.modelDir, p.backbonesRoot, (runner) =>
      onGradBackend(async () => {
        const classes = runner.classes;
        if (!Number.isInteger(p.classIndex) || p.classIndex < 0 || p.classIndex >= classes.length) {
          throw new AppError(
            'BAD_ARGUMENT',
            `Class ${p.classIndex} is not one of the model's ${classes.length} cities.`,
          );
        }
        const city = classes[p.classIndex] as string;
        const message = `Drawing ${city}`;
        cb.progress(p.progressBase, p.progressTotal, message);
        const image = await maximiseClass(runner.maximiseParts(), {
          classIndex: p.classIndex,
          size: p.size,
          steps: p.steps,
          seed: p.seed,
          normalisation: runner.spec.normalisation,
          onStep: (done) => {
            cb.progress(p.progressBase + done, p.progressTotal, message);
            return cb.signal.aborted;
          },
        });
        return {
          classIndex: p.classIndex,
          city,
          ...image,
          backend: native ? cb.backend.name : 'cpu',
        };
      }),
    ),
  );
}
