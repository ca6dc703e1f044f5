// Where the WebGPU tests run: on SwiftShader (Chromium's software Vulkan) when this machine has no
// GPU. Sets up the environment Dawn's Vulkan loader needs before Dawn is first loaded, and says
// whether the tests can run, or why not. Locally a missing piece skips them; under CI=true it must
// not (.ci/run installs what they need), so the caller turns the reason into a failure.
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dawnModulePath } from '../../src/main/ml-host/backend/webgpu';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Null when the WebGPU tests can run here, else why they cannot. */
export function webgpuMissing(): string | null {
  const req = createRequire(__filename);
  try {
    req.resolve(dawnModulePath());
    req.resolve('@tensorflow/tfjs-backend-webgpu');
  } catch {
    return 'the optional packages webgpu and @tensorflow/tfjs-backend-webgpu are not installed';
  }
  // A machine with a GPU driver needs no software adapter; everywhere else use SwiftShader.
  if (process.env.VK_ICD_FILENAMES === undefined && process.env.VK_DRIVER_FILES === undefined) {
    if (!existsSync(SWIFTSHADER_ICD)) {
      return `no Vulkan driver is named and SwiftShader (${SWIFTSHADER_ICD}, Debian's chromium) is absent`;
    }
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  process.env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'lp-xdg-'));
  const loaderFound = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].some(
    (dir) => existsSync(join(dir, 'libvulkan.so.1')),
  );
  if (!loaderFound && process.platform === 'linux') {
    return 'the Vulkan loader libvulkan.so.1 is not installed (Debian: apt-get install libvulkan1)';
  }
  return null;
}

/** Skip locally with the reason; under CI=true, fail instead (CI must run these tests). */
export function webgpuSkip(): string | false {
  const missing = webgpuMissing();
  if (missing === null) return false;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but the WebGPU tests cannot run: ${missing}.`);
  }
  return `WebGPU tests skipped: ${missing}`;
}
