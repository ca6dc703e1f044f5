/**
 * WebGPU against wasm on one machine, on the same photos, through the app's own ML code: feature
 * extraction, a stage-1 epoch and a stage-2 training step at several fine-tuning depths. Standalone
 * (no library, no SQLite, no sharp) so that it can be bundled and carried to a lent GPU machine
 * that has no Node.js: bench/webgpu-device-pack.sh builds that folder. Prints one JSON document.
 *
 * Inputs (environment): LP_GPU_DIR (the packed folder: mobilenet_v2_1.0_224_quant.tflite,
 * photos.u8 = N x 256 x 256 x 3 norm images, wasm/ with the .wasm binaries), LP_GPU_BIN (where
 * dawn.node was unpacked; default LP_GPU_DIR),
 * LP_GPU_SMALL=1 for a quick functional run (SwiftShader here: no timings worth reading).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  importBackbone,
  loadBackbone,
  splitAtLayer,
  runInference,
} from '../src/main/ml-host/backbone';
import { extractFeatures } from '../src/main/ml-host/backbone/features';
import { takeFloats } from '../src/main/ml-host/backend/read';
import { selectBackend, withBackend, type BackendInfo } from '../src/main/ml-host/backend';
import { installFastCpuGradKernels } from '../src/main/ml-host/pipeline/cpu-grad-kernels';
import type { Rgb } from '../src/main/ml-host/pipeline/images';
import { cropBatches, trainingBoxes } from '../src/main/ml-host/pipeline/views';
import { resolveHyperParams } from '../src/shared/contract/ml-methods';
import { trainHead } from '../src/main/ml-host/train/stage1';
import { fineTune } from '../src/main/ml-host/train/stage2';
import type { HeadState } from '../src/main/ml-host/train/types';

const DIR = process.env.LP_GPU_DIR ?? '.gpu';
/** Where bin.tar.xz (node, dawn.node) was unpacked. */
const BIN = process.env.LP_GPU_BIN ?? DIR;
const SMALL = process.env.LP_GPU_SMALL === '1';
const SIDE = 256;
const K = 10;
const PHOTOS = SMALL ? 4 : 64;
const STAGE1_ROWS = SMALL ? 512 : 20_000;
const STAGE2_ROWS = SMALL ? 4 : 64;
const STAGE2_BATCH = SMALL ? 2 : 32;
/** Cut points, last first: the final 1x1 conv, then whole inverted-residual blocks. */
const CUTS_GPU = SMALL ? 2 : 6;
const CUTS_CPU = 1;
/** The cpu backend (wasm's stand-in for conv gradients) is slow: one batch per epoch there. */
const STAGE2_ROWS_CPU = SMALL ? 2 : 32;
/** Deeper cuts are skipped once this much time has gone (the GPU lease is short). */
const BUDGET_MS = Number(process.env.LP_GPU_BUDGET_MS ?? 200_000);
const started = performance.now();

type Timing = { ms: number; perItemMs: number };
type BackendResult = {
  backend: string;
  reason: string;
  gpu: boolean;
  features?: Timing & { images: number };
  stage1?: Timing & { rows: number; epochMs: number[] };
  stage2?: {
    cut: string;
    blockInput: number[];
    stepMs: number;
    epochMs: number[];
    trainable: number;
  }[];
  error?: string;
};

const partial: BackendResult[] = [];

/** Writes what is known so far to LP_GPU_OUT, so a run cut short still reports. */
function save(result: BackendResult): void {
  const file = process.env.LP_GPU_OUT;
  if (file === undefined) return;
  const all = partial.includes(result) ? partial : [...partial, result];
  writeFileSync(file, JSON.stringify(all, null, 2));
}

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function photos(): Rgb[] {
  const bytes = readFileSync(join(DIR, 'photos.u8'));
  const one = SIDE * SIDE * 3;
  const n = Math.min(PHOTOS, Math.floor(bytes.length / one));
  return Array.from({ length: n }, (_, i) => ({
    data: new Uint8Array(bytes.buffer, bytes.byteOffset + i * one, one),
    width: SIDE,
    height: SIDE,
  }));
}

/** dawn.node sits beside the bundle on the device; the loader maps the package path to it. */
function loader(pkg: string): unknown {
  const req = createRequire(__filename);
  if (pkg.startsWith('webgpu/') && pkg.endsWith('dawn.node')) return req(join(BIN, 'dawn.node'));
  if (pkg === '@tensorflow/tfjs-backend-wasm') return wasmModule;
  if (pkg === '@tensorflow/tfjs-backend-webgpu') return webgpuModule;
  return req(pkg);
}

// Bundled with the script (esbuild), handed out through the loader.
import * as wasmModule from '@tensorflow/tfjs-backend-wasm';
import * as webgpuModule from '@tensorflow/tfjs-backend-webgpu';

async function runOn(
  name: 'wasm' | 'webgpu',
  root: string,
  rgb: Rgb[],
  reference: Float32Array | null,
): Promise<{ result: BackendResult; features: Float32Array | null; maxDiff: number | null }> {
  let info: BackendInfo;
  try {
    info = await selectBackend({
      env: { LITTLEPLANET_BACKEND: name },
      loader,
      wasmDir: join(DIR, 'wasm'),
      strict: true,
    });
  } catch (error) {
    return {
      result: { backend: name, reason: '', gpu: false, error: String(error) },
      features: null,
      maxDiff: null,
    };
  }
  log(`${name}: ${info.reason}`);
  const result: BackendResult = { backend: info.name, reason: info.reason, gpu: info.gpu };
  const backbone = await loadBackbone(root, 'mnv2');
  if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
  const spec = { inputSize: backbone.meta.inputSize, normalisation: backbone.meta.normalisation };
  const centre = (i: number) => trainingBoxes(spec, 1, 1, `photo-${i}`).slice(0, 1);
  const dim = backbone.meta.featureDim;
  try {
    // Features: centre crops in batches of 32, after one warm-up batch (shader compilation).
    const batchOf = (from: number, to: number) =>
      tf.tidy(() =>
        cropBatches(
          rgb.slice(from, to).map((r, j) => ({ rgb: r, boxes: centre(from + j) })),
          spec,
        ),
      );
    const warm = batchOf(0, Math.min(rgb.length, 32));
    await takeFloats(tf.tidy(() => extractFeatures(backbone, warm)));
    warm.dispose();
    const features = new Float32Array(rgb.length * dim);
    const t0 = performance.now();
    for (let from = 0; from < rgb.length; from += 32) {
      const to = Math.min(rgb.length, from + 32);
      const batch = batchOf(from, to);
      features.set(await takeFloats(tf.tidy(() => extractFeatures(backbone, batch))), from * dim);
      batch.dispose();
    }
    const ms = performance.now() - t0;
    result.features = { ms, perItemMs: ms / rgb.length, images: rgb.length };
    log(`${name}: features ${(ms / rgb.length).toFixed(2)} ms/image`);
    let maxDiff: number | null = null;
    if (reference !== null) {
      maxDiff = 0;
      for (let i = 0; i < features.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs((features[i] ?? 0) - (reference[i] ?? 0)));
      }
    }

    // Stage 1: the photos' features tiled (with noise) to STAGE1_ROWS rows, 2 epochs; the second
    // epoch is the one reported (the first compiles shaders).
    const x = new Float32Array(STAGE1_ROWS * dim);
    const labels = new Int32Array(STAGE1_ROWS);
    let seed = 1;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.1;
    for (let r = 0; r < STAGE1_ROWS; r++) {
      const p = r % rgb.length;
      labels[r] = p % K;
      for (let d = 0; d < dim; d++) x[r * dim + d] = (features[p * dim + d] ?? 0) + noise();
    }
    const s1 = await trainHead({
      train: { x, rowShape: [dim], labels },
      val: null,
      numClasses: K,
      hyper: resolveHyperParams({ epochs: 2, earlyStopPatience: null }),
    });
    const epochMs = s1.summary.epochMs;
    result.stage1 = {
      ms: epochMs.at(-1) ?? NaN,
      perItemMs: (epochMs.at(-1) ?? NaN) / STAGE1_ROWS,
      rows: STAGE1_ROWS,
      epochMs,
    };
    log(`${name}: stage-1 epoch ${epochMs.join(', ')} ms`);
    save(result);

    // Stage 2 at growing depths: block inputs of STAGE2_ROWS photos, 2 epochs of batches of 32.
    const head: HeadState = s1.head;
    const cuts = [...backbone.meta.blockLayers]
      .reverse()
      .slice(0, name === 'webgpu' ? CUTS_GPU : CUTS_CPU);
    result.stage2 = [];
    if (!info.convGradients) installFastCpuGradKernels();
    for (const cut of cuts) {
      const { lower, upper, cutShape } = splitAtLayer(backbone.featureModel, cut);
      if (performance.now() - started > BUDGET_MS) {
        log(`${name}: time budget spent, no stage 2 from ${cut}`);
        break;
      }
      const n = Math.min(info.convGradients ? STAGE2_ROWS : STAGE2_ROWS_CPU, rgb.length);
      const input = batchOf(0, n);
      const blocks = await takeFloats(tf.tidy(() => runInference(lower, input)));
      input.dispose();
      const run = info.convGradients
        ? undefined
        : <T>(fn: () => Promise<T>): Promise<T> => withBackend('cpu', fn);
      const s2 = await fineTune({
        upper,
        head,
        train: { x: blocks, rowShape: cutShape, labels: labels.slice(0, n) },
        val: null,
        hyper: resolveHyperParams({
          epochs: 2,
          batchSize: STAGE2_BATCH,
          learningRate: 1e-4,
          earlyStopPatience: null,
        }),
        ...(run === undefined ? {} : { runOnGradBackend: run }),
      });
      const steps = Math.ceil(n / STAGE2_BATCH);
      const stepMs = (s2.summary.epochMs.at(-1) ?? NaN) / steps;
      result.stage2.push({
        cut,
        blockInput: cutShape,
        stepMs,
        epochMs: s2.summary.epochMs,
        trainable: upper.countParams(),
      });
      save(result);
      log(
        `${name}: stage-2 from ${cut} (${cutShape.join('x')}): ${stepMs.toFixed(0)} ms/step of ${STAGE2_BATCH}`,
      );
    }
    return { result, features, maxDiff };
  } catch (error) {
    result.error =
      error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    log(`${name}: failed: ${result.error}`);
    return { result, features: null, maxDiff: null };
  } finally {
    backbone.dispose();
    log(`${name}: tensors left ${tf.memory().numTensors}`);
  }
}

async function main(): Promise<void> {
  const rgb = photos();
  const root = await mkdtemp(join(tmpdir(), 'lp-gpu-'));
  await selectBackend({
    env: { LITTLEPLANET_BACKEND: 'wasm' },
    loader,
    wasmDir: join(DIR, 'wasm'),
  });
  await importBackbone({
    source: join(DIR, 'mobilenet_v2_1.0_224_quant.tflite'),
    name: 'mnv2',
    root,
  });
  log(`backbone imported; ${rgb.length} photos`);
  const wasm = await runOn('wasm', root, rgb, null);
  partial.push(wasm.result);
  const webgpu = await runOn('webgpu', root, rgb, wasm.features);
  const out = {
    node: process.version,
    small: SMALL,
    photos: rgb.length,
    featureMaxAbsDiffWebgpuVsWasm: webgpu.maxDiff,
    results: [wasm.result, webgpu.result],
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
