// Every ML host op on the webgpu backend: integration-host-ops.test.ts (features, training with
// stage 2, evaluation, prediction; values checked, no tensor left) run again with
// LITTLEPLANET_BACKEND=webgpu, on SwiftShader where there is no GPU. Its tiny backbone keeps this
// quick even there. Skips locally without Dawn or Vulkan; fails under CI=true instead.
import { createRequire } from 'node:module';
import { it } from 'node:test';
import { webgpuSkip } from './webgpu-env';

const skip = webgpuSkip();
if (skip === false) {
  process.env.LP_HOST_OPS_BACKEND = 'webgpu';
  // Loaded at run time, after the variable is set: its tests register in this file's process.
  createRequire(__filename)('./integration-host-ops.test.ts');
} else {
  void it('ML host ops on webgpu', { skip }, () => undefined);
}
