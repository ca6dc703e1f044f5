// Chooses the fastest TensorFlow.js backend this machine can run, and says why in words a user
// understands. Order: WebGPU on a real GPU (any vendor: Metal, Vulkan, D3D12) → native TensorFlow
// with CUDA → native TensorFlow on the CPU → WebAssembly → plain JavaScript. The native packages are optionalDependencies that are often absent or broken
// (no prebuilt binary for this platform, missing CUDA libraries), so each one is loaded at run
// time through an injectable loader and every failure is recorded rather than thrown.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { AppError } from '../../../shared/contract/errors';
// The wasm gradient kernels sit beside the cpu ones they share their loops with.
import { installClipGradKernel } from '../pipeline/clip-grad-kernel';
import { installWasmGradKernels } from '../pipeline/wasm-grad-kernels';
import { asPrefix, resolveWasmDir, WASM_PACKAGE } from './wasm-paths';
import {
  adapterName,
  DAWN_PACKAGE,
  prepareWebGpu,
  WEBGPU_TFJS_PACKAGE,
  type AdapterSummary,
} from './webgpu';

export const BACKEND_PREFERENCES = [
  'auto',
  'webgpu',
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
/** tfjs backend names as registered in the engine (the GPU package also registers 'tensorflow'). */
export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export type CandidateId = Exclude<BackendPreference, 'auto'>;

export type BackendAttempt = { candidate: string; ok: boolean; reason: string };

export type BackendInfo = {
  name: BackendName;
  /** The npm package that provides it. */
  package: string;
  gpu: boolean;
  /** One sentence for the user: what was tried, what failed, what is used. */
  reason: string;
  attempts: BackendAttempt[];
  /** False on wasm: fine-tuning conv layers must run that step through withBackend('cpu', …). */
  convGradients: boolean;
};

/** Loads a package by name (default: Node's require); injectable so tests can fake absence. */
export type PackageLoader = (pkg: string) => unknown;

export type SelectBackendOptions = {
  /** From the app settings; the environment variable LITTLEPLANET_BACKEND overrides it. */
  preference?: BackendPreference;
  loader?: PackageLoader;
  /** Defaults to process.env (read for LITTLEPLANET_BACKEND). */
  env?: Record<string, string | undefined>;
  /** Folder holding the .wasm binaries, when not beside the installed package (bundles). */
  wasmDir?: string | null;
  /** Throw BACKEND_UNAVAILABLE instead of falling back when the preferred backend fails. */
  strict?: boolean;
};

type Candidate = { id: CandidateId; package: string; backend: BackendName; gpu: boolean };

const CANDIDATES: readonly Candidate[] = [
  {
    id: 'webgpu',
    package: `${DAWN_PACKAGE} + ${WEBGPU_TFJS_PACKAGE}`,
    backend: 'webgpu',
    gpu: true,
  },
  { id: 'tensorflow-gpu', package: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow', gpu: true },
  { id: 'tensorflow', package: '@tensorflow/tfjs-node', backend: 'tensorflow', gpu: false },
  { id: 'wasm', package: WASM_PACKAGE, backend: 'wasm', gpu: false },
  { id: 'cpu', package: '@tensorflow/tfjs-backend-cpu', backend: 'cpu', gpu: false },
];

/** Kernels a backward pass through conv and depthwise-conv layers needs. */
const CONV_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

export const defaultLoader: PackageLoader = (pkg) => createRequire(__filename)(pkg);

/** True when `backendName` has every kernel needed to back-propagate through conv layers. */
export function hasConvGradients(backendName: string): boolean {
  return CONV_GRADIENT_KERNELS.every((k) => tf.getKernel(k, backendName) !== undefined);
}

export function parsePreference(value: string, source: string): BackendPreference {
  const v = value.trim().toLowerCase();
  if ((BACKEND_PREFERENCES as readonly string[]).includes(v)) return v as BackendPreference;
  throw new AppError(
    'BAD_ARGUMENT',
    `${source} is '${value}', which is not one of ${BACKEND_PREFERENCES.join(', ')}.`,
    { source, value },
  );
}

function describe(c: Candidate, simd: boolean, adapter: AdapterSummary | null): string {
  switch (c.id) {
    case 'webgpu':
      return adapter?.software === true
        ? `using WebGPU on the software adapter ${adapterName(adapter)} because it was asked for (slow: no GPU)`
        : `using WebGPU on ${adapter === null ? 'the GPU' : adapterName(adapter)}`;
    case 'tensorflow-gpu':
      return `using native TensorFlow with CUDA (${c.package})`;
    case 'tensorflow':
      return `using native TensorFlow on the CPU (${c.package})`;
    case 'wasm':
      return `using WebAssembly (${simd ? 'SIMD, ' : ''}single thread)`;
    case 'cpu':
      return 'using the plain JavaScript CPU backend (slow)';
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim().slice(0, 200);
}

function isNotInstalled(error: unknown, pkg: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  return code === 'MODULE_NOT_FOUND' && message.includes(`'${pkg}'`);
}

let wasmPathsSet = false;

/** Loads the package behind `c` and makes its backend current: the adapter it runs on, or why not. */
async function tryCandidate(
  c: Candidate,
  loader: PackageLoader,
  wasmDir: string | null | undefined,
  allowSoftwareGpu: boolean,
): Promise<{ failure: string } | { adapter: AdapterSummary | null }> {
  let adapter: AdapterSummary | null = null;
  if (c.backend === 'webgpu') {
    const started = await prepareWebGpu(loader, allowSoftwareGpu);
    if (!started.ok) return { failure: started.reason };
    adapter = started.adapter;
  } else if (c.backend !== 'cpu') {
    let mod: unknown;
    try {
      mod = loader(c.package);
    } catch (error) {
      return {
        failure: isNotInstalled(error, c.package)
          ? `${c.package} is not installed`
          : `${c.package} failed to load (${errorText(error)})`,
      };
    }
    if (c.backend === 'wasm' && !wasmPathsSet && tf.engine().registry.wasm === undefined) {
      const setWasmPaths = (mod as { setWasmPaths?: unknown } | null)?.setWasmPaths;
      if (typeof setWasmPaths !== 'function') {
        return { failure: `${c.package} loaded but has no setWasmPaths()` };
      }
      const where = resolveWasmDir(wasmDir);
      if (!where.found) {
        return {
          failure: `the WebAssembly binaries were not found${where.dir ? ` in ${where.dir}` : ''}`,
        };
      }
      try {
        (setWasmPaths as (prefix: string) => void)(asPrefix(where.dir));
        wasmPathsSet = true;
      } catch (error) {
        return { failure: `WebAssembly could not be configured (${errorText(error)})` };
      }
    }
  }
  if (tf.findBackendFactory(c.backend) === null) {
    return { failure: `${c.package} loaded but registered no '${c.backend}' backend` };
  }
  // setBackend logs and resolves false when the backend's initialisation fails.
  const warn = console.warn;
  let initError = '';
  console.warn = (...args: unknown[]) => {
    initError = args.map((a) => errorText(a)).join(' ');
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(c.backend);
  } catch (error) {
    ok = false;
    initError = errorText(error);
  } finally {
    console.warn = warn;
  }
  if (!ok) return { failure: `${c.package} failed to start${initError ? ` (${initError})` : ''}` };
  await tf.ready();
  return { adapter };
}

/**
 * Picks and activates a backend. Preference: LITTLEPLANET_BACKEND, then `options.preference`,
 * then 'auto'. A preference that fails falls back to the backends after it in the order (unless
 * `strict`), and the reason says so. Never throws for a missing package; throws BAD_ARGUMENT for
 * an unknown preference and BACKEND_UNAVAILABLE when nothing (or, strict, the preferred) works.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env;
  const loader = options.loader ?? defaultLoader;
  const fromEnv = env.LITTLEPLANET_BACKEND;
  const preference =
    fromEnv !== undefined && fromEnv.trim() !== ''
      ? parsePreference(fromEnv, 'LITTLEPLANET_BACKEND')
      : (options.preference ?? 'auto');
  const source = fromEnv ? 'LITTLEPLANET_BACKEND' : 'the backend setting';

  const start = preference === 'auto' ? 0 : CANDIDATES.findIndex((c) => c.id === preference);
  const order = CANDIDATES.slice(start);
  const attempts: BackendAttempt[] = [];
  const failures: string[] = [];

  for (const c of order) {
    // A software WebGPU adapter only when WebGPU itself was asked for (never under 'auto').
    const tried = await tryCandidate(c, loader, options.wasmDir, preference === 'webgpu');
    if ('failure' in tried) {
      const failure = tried.failure;
      attempts.push({ candidate: c.id, ok: false, reason: failure });
      const first = preference !== 'auto' && failures.length === 0;
      failures.push(first ? `${source} asked for '${preference}', but ${failure}` : failure);
      if (first && options.strict) {
        throw new AppError('BACKEND_UNAVAILABLE', `${failures[0]}.`, { attempts });
      }
      continue;
    }
    // tfjs-backend-wasm has no convolution gradients; ours let stage 2 train on wasm itself.
    if (c.backend === 'wasm') {
      installWasmGradKernels();
      installClipGradKernel();
    }
    const simd =
      c.backend === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const used = describe(c, simd, tried.adapter);
    attempts.push({ candidate: c.id, ok: true, reason: used });
    const reason = [...failures, used].join('; ');
    return {
      name: c.backend,
      package: c.package,
      gpu: c.gpu && tried.adapter?.software !== true,
      reason: reason.charAt(0).toUpperCase() + reason.slice(1),
      attempts,
      convGradients: hasConvGradients(c.backend),
    };
  }
  throw new AppError(
    'BACKEND_UNAVAILABLE',
    `No TensorFlow.js backend works: ${failures.join('; ')}.`,
    {
      attempts,
    },
  );
}
