// The WebGPU backend for real, through Dawn: on SwiftShader (software Vulkan) on machines without a
// GPU, forced with LITTLEPLANET_BACKEND=webgpu, since a software adapter is never chosen by itself.
// Kept small: SwiftShader runs MobileNetV2 at a few images per second. No timings here.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { importBackbone, loadBackbone, type LoadedBackbone } from '../../src/main/ml-host/backbone';
import { extractFeatures } from '../../src/main/ml-host/backbone/features';
import {
  defaultLoader,
  selectBackend,
  takeFloats,
  type PackageLoader,
} from '../../src/main/ml-host/backend';
import { dawnModulePath, isSoftwareAdapter } from '../../src/main/ml-host/backend/webgpu';
import { gradCam } from '../../src/main/ml-host/explain/gradcam';
import { maximiseClass } from '../../src/main/ml-host/explain/maximise';
import { slidingMap } from '../../src/main/ml-host/explain/occlusion';
import { headProbabilities } from '../../src/main/ml-host/train/head';
import { Prng } from '../../src/main/ml-host/train/prng';
import { trainHead } from '../../src/main/ml-host/train/stage1';
import { fineTune } from '../../src/main/ml-host/train/stage2';
import type { ExampleSet } from '../../src/main/ml-host/train/types';
import { resolveHyperParams } from '../../src/shared/contract/ml-methods';
import { SHARED_MISSING, sharedFixtures } from '../helpers/shared-fixtures';
import { webgpuSkip } from './webgpu-env';

const skip = webgpuSkip();
const shared = sharedFixtures();
const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/** The native packages absent; everything else (Dawn included) loaded for real. */
const withoutNative: PackageLoader = (pkg) => {
  if (NATIVE.includes(pkg)) {
    throw Object.assign(new Error(`Cannot find module '${pkg}'`), { code: 'MODULE_NOT_FOUND' });
  }
  return defaultLoader(pkg);
};

const forceWebgpu = () =>
  selectBackend({ env: { LITTLEPLANET_BACKEND: 'webgpu' }, loader: withoutNative, strict: true });

/** GPU memory in use by tfjs' webgpu backend (its buffer manager's count). */
const gpuBytes = (): number => (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? -1;

/** Three separable classes of `dim`-wide features around seeded centres. */
function clusters(n: number, dim: number, seed: number): ExampleSet & { x: Float32Array } {
  const prng = new Prng(seed);
  const centres = [0, 1, 2].map(() => Float32Array.from({ length: dim }, () => prng.next() * 2));
  const x = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let d = 0; d < dim; d++) x[i * dim + d] = centres[i % 3]![d]! + (prng.next() - 0.5);
  }
  return { x, rowShape: [dim], labels };
}

/** A tiny last block (1x1 conv, depthwise 3x3, pool): stage 2's gradients through both convs. */
function tinyUpper(size: number, channels: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, channels] });
  const conv = tf.layers
    .conv2d({
      filters: 6,
      kernelSize: 1,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const dw = tf.layers
    .depthwiseConv2d({
      kernelSize: 3,
      padding: 'same',
      depthwiseInitializer: tf.initializers.glorotUniform({ seed: 4 }),
    })
    .apply(conv) as tf.SymbolicTensor;
  return tf.model({
    inputs: input,
    outputs: tf.layers.globalAveragePooling2d({}).apply(dw) as tf.SymbolicTensor,
  });
}

void describe('adapter judgement', () => {
  void it('knows software adapters by Dawn’s flag or their names', () => {
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: '' };
    assert.equal(isSoftwareAdapter(swiftshader), true);
    assert.equal(isSoftwareAdapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }), true);
    assert.equal(isSoftwareAdapter({ vendor: 'nvidia', isFallbackAdapter: true }), true);
    assert.equal(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper' }), false);
    assert.equal(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3' }, false), false);
    assert.equal(dawnModulePath('darwin', 'arm64'), 'webgpu/dist/darwin-universal/dawn.node');
    assert.equal(dawnModulePath('win32', 'x64'), 'webgpu/dist/win32-x64/dawn.node');
  });

  void it('without Dawn installed, the reason says so and the order goes on', async () => {
    const absent: PackageLoader = (pkg) => {
      if (pkg.startsWith('webgpu/')) {
        throw Object.assign(new Error(`Cannot find module '${pkg}'`), { code: 'MODULE_NOT_FOUND' });
      }
      return withoutNative(pkg);
    };
    const info = await selectBackend({ loader: absent, env: {} });
    assert.equal(info.attempts[0]?.candidate, 'webgpu');
    assert.match(
      info.attempts[0]?.reason ?? '',
      /^WebGPU \(the webgpu package\) is not installed for /,
    );
    assert.notEqual(info.name, 'webgpu');
  });
});

void describe('WebGPU backend (Dawn)', { skip }, () => {
  void it('never picks a software adapter by itself; LITTLEPLANET_BACKEND=webgpu forces it', async () => {
    const auto = await selectBackend({ loader: withoutNative, env: {} });
    assert.notEqual(auto.name, 'webgpu');
    assert.equal(auto.attempts[0]?.candidate, 'webgpu');
    assert.match(
      auto.reason,
      /^WebGPU found only the software adapter SwiftShader.*set LITTLEPLANET_BACKEND=webgpu to use it anyway\); /,
    );
    const forced = await forceWebgpu();
    assert.equal(forced.name, 'webgpu');
    assert.equal(tf.getBackend(), 'webgpu');
    assert.equal(forced.gpu, false, 'a software adapter is no GPU');
    assert.equal(forced.convGradients, true);
    assert.match(forced.reason, /^Using WebGPU on the software adapter SwiftShader/);
  });

  void it('puts a real adapter first and names it (SwiftShader dressed as a GPU)', async () => {
    type Adapter = {
      info: object;
      features: unknown;
      limits: unknown;
      requestDevice(d: unknown): Promise<unknown>;
    };
    type Dawn = {
      create(flags: string[]): { requestAdapter(o: unknown): Promise<Adapter | null> };
      globals: object;
    };
    const real = defaultLoader(dawnModulePath()) as Dawn;
    const dressed: Dawn = {
      globals: real.globals,
      create: (flags) => {
        const gpu = real.create(flags);
        return {
          requestAdapter: async (o) => {
            const a = await gpu.requestAdapter(o);
            if (a === null) return null;
            return {
              info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB' },
              features: a.features,
              limits: a.limits,
              requestDevice: (d) => a.requestDevice(d),
            };
          },
        };
      },
    };
    const loader: PackageLoader = (pkg) =>
      pkg === dawnModulePath() ? dressed : withoutNative(pkg);
    try {
      const info = await selectBackend({ loader, env: {} });
      assert.equal(info.name, 'webgpu');
      assert.equal(info.gpu, true);
      assert.equal(info.reason, 'Using WebGPU on NVIDIA H100 80GB (nvidia/hopper)');
      const sum = await takeFloats(tf.sum(tf.tensor1d([1, 2, 3])));
      assert.deepEqual(Array.from(sum), [6]);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  void it('stage 1: an epoch lowers the loss; no tensor or GPU buffer is left; cancel stops mid-epoch', async () => {
    await forceWebgpu();
    const train = clusters(96, 16, 1);
    const hyper = resolveHyperParams({
      epochs: 3,
      batchSize: 16,
      learningRate: 0.05,
      earlyStopPatience: null,
    });
    const run = () => trainHead({ train, val: null, numClasses: 3, hyper });
    await run(); // warm-up: shaders compiled, buffers pooled
    const tensors = tf.memory().numTensors;
    const bytes = gpuBytes();
    const result = await run();
    assert.equal(result.summary.backend, 'webgpu');
    const losses = result.history.map((m) => m.loss);
    assert.ok(losses[2]! < losses[0]!, `loss falls: ${losses.join(', ')}`);
    assert.equal(tf.memory().numTensors, tensors, 'no tensor left');
    assert.equal(gpuBytes(), bytes, 'no GPU buffer left in use');
    const probs = await headProbabilities(result.head, train.x.subarray(0, 16 * 3));
    assert.ok(Math.abs(probs[0]! + probs[1]! + probs[2]! - 1) < 1e-5);

    const controller = new AbortController();
    const cancelled = await trainHead({
      train,
      val: null,
      numClasses: 3,
      hyper,
      signal: controller.signal,
      onProgress: (p) => p.batch === 2 && controller.abort(),
    });
    assert.equal(cancelled.summary.stopReason, 'cancelled');
    assert.equal(cancelled.summary.epochsRun, 0);
    assert.equal(tf.memory().numTensors, tensors, 'no tensor left after a cancel');
  });

  void it('stage 2: convolution gradients run on webgpu itself and an epoch lowers the loss', async () => {
    await forceWebgpu();
    const S = 6;
    const C = 4;
    const prng = new Prng(5);
    const n = 48;
    const x = new Float32Array(n * S * S * C);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (let j = 0; j < S * S * C; j++) {
        x[i * S * S * C + j] = (j % C === i % 3 ? 1 : 0) + 0.3 * (prng.next() - 0.5);
      }
    }
    const upper = tinyUpper(S, C);
    try {
      const pooled = await takeFloats(
        tf.tidy(() => upper.predict(tf.tensor4d(x, [n, S, S, C])) as tf.Tensor),
      );
      const stage1 = await trainHead({
        train: { x: pooled, rowShape: [6], labels },
        val: null,
        numClasses: 3,
        hyper: resolveHyperParams({ epochs: 2, batchSize: 16, learningRate: 0.05 }),
      });
      const tensors = tf.memory().numTensors;
      const result = await fineTune({
        upper,
        head: stage1.head,
        train: { x, rowShape: [S, S, C], labels },
        val: null,
        hyper: resolveHyperParams({
          epochs: 3,
          batchSize: 16,
          learningRate: 0.02,
          earlyStopPatience: null,
        }),
      });
      assert.equal(result.summary.backend, 'webgpu', 'no detour through the cpu backend');
      const losses = result.history.map((m) => m.loss);
      assert.ok(losses.at(-1)! < losses[0]!, `loss falls: ${losses.join(', ')}`);
      assert.equal(tf.memory().numTensors, tensors);
    } finally {
      upper.dispose();
    }
  });

  void it('explanations: occlusion, Grad-CAM and a class-maximising image read back asynchronously', async () => {
    await forceWebgpu();
    const weights = tf.tensor2d([
      [1, -1],
      [-1, 1],
    ]);
    const logits = (f: tf.Tensor2D): tf.Tensor2D => tf.matMul(f, weights);
    // Class 0: the red channel's mean; class 1: the green channel's.
    const parts = {
      activation: (x: tf.Tensor4D) => tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 2]),
      logits,
    };
    const data = Float32Array.from({ length: 8 * 8 * 3 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const image = { data, size: 8 };
    const tensors = tf.memory().numTensors;
    const cam = await gradCam(image, parts, 0);
    assert.deepEqual([cam.rows, cam.cols], [8, 8]);
    assert.ok(cam.baseline > 0.5, `red wins (${cam.baseline})`);
    const occ = await slidingMap(
      image,
      (b) => tf.softmax(logits(tf.mean<tf.Tensor2D>(parts.activation(b), [1, 2]))),
      { method: 'occlusion', classIndex: 0, box: 4, stride: 4, fill: 0 },
    );
    assert.ok(
      occ.values.flat().every((v) => v > 0),
      'hiding red lowers red everywhere',
    );
    const drawn = await maximiseClass(
      { logits: (x) => logits(tf.mean<tf.Tensor2D>(parts.activation(x), [1, 2])) },
      { classIndex: 1, size: 32, steps: 2, seed: 1, normalisation: { scale: 1 / 255, offset: 0 } },
    );
    assert.ok(drawn.probabilities[1]! > drawn.start[1]!, 'the ascent raises green');
    assert.equal(tf.memory().numTensors, tensors);
    weights.dispose();
  });

  void describe('MobileNetV2 features', { skip: shared === null ? SHARED_MISSING : false }, () => {
    let root = '';
    let batch: tf.Tensor4D | null = null;
    const features = async (backbone: LoadedBackbone): Promise<Float32Array> =>
      takeFloats(tf.tidy(() => extractFeatures(backbone, batch!)));

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'lp-webgpu-'));
      await selectBackend({ env: { LITTLEPLANET_BACKEND: 'wasm' } });
      await importBackbone({ source: shared!.mobilenetV2Tflite, name: 'mnv2', root });
    });
    after(async () => {
      batch?.dispose();
      await rm(root, { recursive: true, force: true });
    });

    void it('match wasm within 1e-3, and repeated calls leak nothing', async () => {
      // One photo: SwiftShader takes seconds per MobileNetV2 pass.
      const pixels = await sharp(join(shared!.sanityDir, 'parrot.jpg'))
        .resize(224, 224, { fit: 'cover' })
        .removeAlpha()
        .raw()
        .toBuffer();
      const wasmBackbone = await loadBackbone(root, 'mnv2');
      const { scale, offset } = wasmBackbone.meta.normalisation;
      const input = Float32Array.from(pixels, (p) => p * scale + offset);
      batch = tf.tensor4d(input, [1, 224, 224, 3]);
      const reference = await features(wasmBackbone);
      wasmBackbone.dispose();
      batch.dispose();

      await forceWebgpu();
      // Tensors are built from data on each backend, never moved across (that read is sync).
      batch = tf.tensor4d(input, [1, 224, 224, 3]);
      const backbone = await loadBackbone(root, 'mnv2');
      try {
        const first = await features(backbone);
        let maxDiff = 0;
        for (let i = 0; i < first.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(first[i]! - reference[i]!));
        }
        assert.ok(maxDiff < 1e-3, `max |webgpu - wasm| = ${maxDiff}`);
        assert.ok(
          reference.some((v) => v > 0.1),
          'features are not all zero',
        );
        const tensors = tf.memory().numTensors;
        const bytes = gpuBytes();
        await features(backbone);
        assert.equal(tf.memory().numTensors, tensors);
        assert.equal(gpuBytes(), bytes, 'no GPU buffer left in use');
      } finally {
        backbone.dispose();
      }
    });
  });
});
