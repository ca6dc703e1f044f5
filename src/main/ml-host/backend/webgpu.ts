// The WebGPU backend in plain Node: Dawn (Chromium's WebGPU implementation) through the `webgpu`
// package's prebuilt dawn.node, and TensorFlow.js' WebGPU kernels on top. It runs on Metal
// (macOS), Vulkan (Linux, Windows) and D3D12 (Windows), so any vendor's GPU with a current driver.
// The adapter is picked and judged here, before TensorFlow.js sees it: a software adapter
// (SwiftShader, llvmpipe/lavapipe, Microsoft's WARP) is slower than wasm on the CPU and must never
// be chosen by itself, only when a user (or a test) forces the backend.
import * as tf from '@tensorflow/tfjs';
import type { PackageLoader } from './select';

export const DAWN_PACKAGE = 'webgpu';
export const WEBGPU_TFJS_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** What a user needs to know about the adapter (from GPUAdapterInfo). */
export type AdapterSummary = {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  software: boolean;
};

export type WebGpuStart = { ok: true; adapter: AdapterSummary } | { ok: false; reason: string };

/** The subset of the WebGPU API used here (the `webgpu` package ships no CommonJS types). */
type AdapterInfoLike = {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
};
type AdapterLike = {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: {
    requiredFeatures: string[];
    requiredLimits: Record<string, number>;
  }): Promise<unknown>;
};
type GpuLike = {
  requestAdapter(options: { powerPreference: string }): Promise<AdapterLike | null>;
};
type DawnModule = { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
type WebGpuBackendClass = new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

/** True for a CPU-emulated adapter: Dawn's fallback flag, or a known software driver's name. */
export function isSoftwareAdapter(info: AdapterInfoLike, adapterFlag?: boolean): boolean {
  if (info.isFallbackAdapter === true || adapterFlag === true) return true;
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  return SOFTWARE.test(text);
}

/** "NVIDIA H100 (nvidia/hopper)": the words a user recognises first. */
export function adapterName(a: AdapterSummary): string {
  const main = a.description || a.device || a.vendor || 'an unnamed adapter';
  const detail = [a.vendor, a.architecture].filter((s) => s !== '').join('/');
  return detail !== '' && !main.toLowerCase().includes(detail.toLowerCase())
    ? `${main} (${detail})`
    : main;
}

/** dawn.node's path inside the `webgpu` package (its index.js is ESM-only; this loads anywhere). */
export function dawnModulePath(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return `${DAWN_PACKAGE}/dist/${platform}-${platform === 'darwin' ? 'universal' : arch}/dawn.node`;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim().slice(0, 200);
}

function notInstalled(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'MODULE_NOT_FOUND'
  );
}

/**
 * One GPU instance per Dawn module for the life of the process: Dawn aborts the process
 * (std::system_error) when an instance whose device is still in use is garbage-collected.
 */
const instances = new Map<DawnModule, GpuLike>();

/** The adapter tfjs' 'webgpu' backend was registered on, and the Dawn module it came from. */
let registered: { dawn: DawnModule; adapter: AdapterSummary } | null = null;

/**
 * Loads Dawn, asks it for the high-performance adapter, judges it, and registers tfjs' 'webgpu'
 * backend on exactly that adapter (tfjs' own registration would ask for one again). Does not make
 * the backend current. A software adapter is refused unless `allowSoftware`.
 */
export async function prepareWebGpu(
  loader: PackageLoader,
  allowSoftware: boolean,
): Promise<WebGpuStart> {
  let dawn: DawnModule;
  try {
    dawn = loader(dawnModulePath()) as DawnModule;
  } catch (error) {
    return {
      ok: false,
      reason: notInstalled(error)
        ? `WebGPU (the ${DAWN_PACKAGE} package) is not installed for ${process.platform}-${process.arch}`
        : `WebGPU (the ${DAWN_PACKAGE} package) failed to load (${errorText(error)})`,
    };
  }
  // Registered once per process: re-registering would drop a backend that may hold tensors.
  if (registered?.dawn === dawn && tf.findBackendFactory('webgpu') !== null) {
    const adapter = registered.adapter;
    return adapter.software && !allowSoftware
      ? { ok: false, reason: softwareRefusal(adapter) }
      : { ok: true, adapter };
  }
  // tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode... as globals, as in a browser.
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) scope[name] ??= value;

  let adapter: AdapterLike | null;
  try {
    const gpu = instances.get(dawn) ?? dawn.create([]);
    instances.set(dawn, gpu);
    exposeGpu(gpu);
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { ok: false, reason: `WebGPU found no adapter (${errorText(error)})` };
  }
  if (adapter === null) {
    return {
      ok: false,
      reason: 'WebGPU found no GPU adapter (no Vulkan, Metal or Direct3D 12 driver answered)',
    };
  }
  const info = adapter.info ?? {};
  const summary: AdapterSummary = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: isSoftwareAdapter(info, adapter.isFallbackAdapter),
  };
  if (summary.software && !allowSoftware) return { ok: false, reason: softwareRefusal(summary) };

  let backendClass: WebGpuBackendClass;
  try {
    const mod = loader(WEBGPU_TFJS_PACKAGE) as { WebGPUBackend?: WebGpuBackendClass };
    if (typeof mod.WebGPUBackend !== 'function') {
      return { ok: false, reason: `${WEBGPU_TFJS_PACKAGE} loaded but has no WebGPUBackend` };
    }
    backendClass = mod.WebGPUBackend;
  } catch (error) {
    return {
      ok: false,
      reason: notInstalled(error)
        ? `${WEBGPU_TFJS_PACKAGE} is not installed`
        : `${WEBGPU_TFJS_PACKAGE} failed to load (${errorText(error)})`,
    };
  }
  const chosen = adapter;
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  // Priority 0: never picked implicitly; selectBackend makes it current on purpose.
  tf.registerBackend(
    'webgpu',
    async () => {
      // The limits tfjs' own factory asks for: the adapter's, not WebGPU's small defaults.
      const limits = chosen.limits;
      const requiredLimits: Record<string, number> = {};
      for (const name of [
        'maxComputeWorkgroupStorageSize',
        'maxComputeWorkgroupsPerDimension',
        'maxStorageBufferBindingSize',
        'maxBufferSize',
        'maxComputeWorkgroupSizeX',
        'maxComputeInvocationsPerWorkgroup',
      ]) {
        const value = limits[name];
        if (value !== undefined) requiredLimits[name] = value;
      }
      const requiredFeatures = ['timestamp-query'].filter((f) => chosen.features.has(f));
      const device = await chosen.requestDevice({ requiredFeatures, requiredLimits });
      return new backendClass(device, chosen.info);
    },
    0,
  );
  registered = { dawn, adapter: summary };
  return { ok: true, adapter: summary };
}

/** tfjs-backend-webgpu checks `navigator.gpu` (Node 21+ has a navigator without one, Node 20 none). */
function exposeGpu(gpu: GpuLike): void {
  const scope = globalThis as { navigator?: object };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  }
}

function softwareRefusal(a: AdapterSummary): string {
  return `WebGPU found only the software adapter ${adapterName(a)}, which is slower than the CPU backends (set LITTLEPLANET_BACKEND=webgpu to use it anyway)`;
}
