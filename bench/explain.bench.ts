/**
 * Explanation benchmarks (issue #5): an occlusion heatmap (box 32, stride 16 at 224: 169 masked
 * copies), a Grad-CAM map, and t-SNE of 1,000 x 1280 features, each beside the plain cost of the
 * forward passes it needs, measured in the same run on the shared MobileNetV2 (wasm), and a step of
 * the class-maximising gradient ascent (on the cpu backend, as the app runs it without native
 * TensorFlow). Runs in this process: only times are reported here, no peak memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { sharedFixtures } from '../test/helpers/shared-fixtures';
import { Prng } from '../src/main/ml-host/train/prng';
import { loadNote } from './ml-proc';
import { percentiles, type BenchSection } from './types';

const fmt = (x: number, digits = 1): string => x.toFixed(digits);
const MAXIMISE_STEPS = 3;

type Backbone = import('../src/main/ml-host/backbone/index.js').LayersBackbone;

/**
 * Seconds per class-maximising ascent step (forward + backward to the input, jitter, blur) on the
 * cpu backend, before and after the fast input-gradient kernels, at the app's 160 px and at 224,
 * beside one forward pass through the same layers at the same size. The head is a fixed random
 * 1280 → 3 dense layer (its cost is nil next to the backbone's).
 */
async function maximiseSteps(backbone: Backbone): Promise<{ note: string; rows: string[][] }> {
  const tf = await import('@tensorflow/tfjs');
  const { maximiseClass } = await import('../src/main/ml-host/explain/maximise.js');
  const { applyForInputGradient } = await import('../src/main/ml-host/explain/maximise-graph.js');
  const { installFastCpuGradKernels } =
    await import('../src/main/ml-host/pipeline/cpu-grad-kernels.js');
  const { installFastCpuInputGradKernels } =
    await import('../src/main/ml-host/pipeline/cpu-input-grad-kernels.js');
  const { withBackend } = await import('../src/main/ml-host/backend/index.js');
  const prng = new Prng(2);
  return withBackend('cpu', async () => {
    installFastCpuGradKernels();
    const head = tf.tensor2d(
      Float32Array.from({ length: 1280 * 3 }, () => prng.next() - 0.5),
      [1280, 3],
    );
    // The feature model ends in the global pool: [1, 1280] features.
    const logits = (x: import('@tensorflow/tfjs').Tensor4D): import('@tensorflow/tfjs').Tensor2D =>
      tf.matMul<import('@tensorflow/tfjs').Tensor2D>(
        applyForInputGradient(backbone.featureModel, x),
        head,
      );
    const stepSeconds = async (size: number): Promise<number> => {
      const stamps: number[] = [];
      await maximiseClass(
        { logits },
        {
          classIndex: 0,
          size,
          steps: MAXIMISE_STEPS + 1,
          seed: 1,
          normalisation: backbone.meta.normalisation,
          onStep: () => stamps.push(performance.now()) < 0,
        },
      );
      // The first step (from the start of the run) pays the warm-up: timed from step 1 on.
      const gaps = stamps.slice(1).map((t, i) => t - (stamps[i] as number));
      return percentiles(gaps).median / 1000;
    };
    const forwardSeconds = (size: number): number => {
      const x = tf.randomUniform([1, size, size, 3], -1, 1);
      const times = Array.from({ length: 3 }, () => {
        const t0 = performance.now();
        tf.tidy(() =>
          (backbone.featureModel.apply(x) as import('@tensorflow/tfjs').Tensor).dataSync(),
        );
        return performance.now() - t0;
      });
      x.dispose();
      return percentiles(times).median / 1000;
    };
    try {
      const before160 = await stepSeconds(160);
      installFastCpuInputGradKernels();
      const rows: string[][] = [];
      for (const size of [160, 224]) {
        const step = await stepSeconds(size);
        const forward = forwardSeconds(size);
        rows.push([
          `class-maximising ascent step, ${size} px (cpu backend)`,
          `${fmt(step, 2)} s`,
          `${fmt(forward, 2)} s (one pass, cpu)`,
          fmt(forward / step, 2),
        ]);
      }
      return {
        note: `Class-maximising images: one gradient-ascent step (forward + backward to the input through the whole backbone, its convolutions as plain ops so no filter gradient is computed; jitter, every 4th step a blur) on the plain-JS cpu backend with the fast filter- and input-gradient kernels (median of ${MAXIMISE_STEPS} steps after one warm-up), beside one forward pass through the same layers. With only the filter-gradient kernels (tfjs' own input-gradient kernels) a 160 px step took ${fmt(before160, 2)} s in this run.`,
        rows,
      };
    } finally {
      head.dispose();
    }
  });
}
const TSNE_ROWS = Number(process.env.LP_BENCH_TSNE_ROWS ?? 1000);

export async function runExplainBench(): Promise<BenchSection> {
  const shared = sharedFixtures();
  if (shared === null) {
    return {
      name: 'explain',
      title: 'Explanations',
      notes: ['Skipped: ../shared (the pretrained MobileNetV2 TFLite) is absent.'],
      tables: [],
    };
  }
  const load = loadNote();
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../src/main/ml-host/backend/index.js');
  const ml = await import('../src/main/ml-host/backbone/index.js');
  const { slidingMap } = await import('../src/main/ml-host/explain/occlusion.js');
  const { gradCam } = await import('../src/main/ml-host/explain/gradcam.js');
  const { tsne } = await import('../src/main/ml-host/explain/tsne.js');
  const info = await selectBackend({ preference: 'wasm', env: {}, strict: true });
  const root = mkdtempSync(join(tmpdir(), 'lp-bench-explain-'));
  try {
    await ml.importBackbone({ source: shared.mobilenetV2Tflite, name: 'mnv2', root });
    const backbone = await ml.loadBackbone(root, 'mnv2');
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    const { scale, offset } = backbone.meta.normalisation;
    const pixels = await sharp(join(shared.sanityDir, 'parrot.jpg'))
      .resize(224, 224, { fit: 'cover' })
      .removeAlpha()
      .raw()
      .toBuffer();
    const image = { data: Float32Array.from(pixels, (p) => p * scale + offset), size: 224 };
    const probs = (batch: import('@tensorflow/tfjs').Tensor4D) =>
      ml.classifierProbabilities(backbone, batch);
    const macaw = 89; // any class works for timing

    // Warm-up (kernels compiled, weights uploaded).
    probs(tf.tensor4d(image.data, [1, 224, 224, 3])).dispose();

    const timed = async (fn: () => unknown, rounds: number): Promise<number[]> => {
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      return times;
    };
    const occlusionMs = await timed(async () => {
      await slidingMap(image, probs, {
        method: 'occlusion',
        classIndex: macaw,
        box: 32,
        stride: 16,
        fill: 128 * scale + offset,
        batchSize: 16,
      });
    }, 2);
    const passes = 1 + 13 * 13;
    // The plain cost: the same number of single-image forward passes through predict().
    const plainMs = await timed(() => {
      for (let i = 0; i < passes; i++) {
        tf.tidy(() => {
          (
            backbone.model.predict(
              tf.tensor4d(image.data, [1, 224, 224, 3]),
            ) as import('@tensorflow/tfjs').Tensor
          ).dataSync();
        });
      }
    }, 1);
    const pool = backbone.featureModel.getLayer(backbone.meta.featureLayer);
    const camModel = tf.model({
      inputs: backbone.featureModel.inputs,
      outputs: pool.input,
    });
    const classifier = backbone.model.layers.find(
      (l) => l.getClassName() === 'Conv2D' && l.getWeights()[0]?.shape.at(-1) === 1001,
    );
    if (classifier === undefined) throw new Error('no classifier layer');
    const [kernel, bias] = classifier.getWeights();
    const dense = tf.reshape(kernel!, [1280, 1001]);
    const parts = {
      activation: (x: import('@tensorflow/tfjs').Tensor4D) =>
        ml.runInference(camModel, x) as import('@tensorflow/tfjs').Tensor4D,
      logits: (f: import('@tensorflow/tfjs').Tensor2D) =>
        tf.add<import('@tensorflow/tfjs').Tensor2D>(tf.matMul(f, dense), bias!),
    };
    await gradCam(image, parts, macaw);
    const camMs = await timed(() => gradCam(image, parts, macaw), 10);
    const oneForwardMs = await timed(() => {
      tf.tidy(() => {
        (
          backbone.model.predict(
            tf.tensor4d(image.data, [1, 224, 224, 3]),
          ) as import('@tensorflow/tfjs').Tensor
        ).dataSync();
      });
    }, 10);
    dense.dispose();
    const maximise = await maximiseSteps(backbone);
    backbone.dispose();

    // t-SNE on clustered synthetic features of the backbone's width (10 "cities").
    const prng = new Prng(1);
    const d = 1280;
    const centres = Array.from({ length: 10 }, () =>
      Float32Array.from({ length: d }, () => 3 * prng.next()),
    );
    const x = new Float32Array(TSNE_ROWS * d);
    for (let i = 0; i < TSNE_ROWS; i++) {
      const c = centres[i % 10] as Float32Array;
      for (let k = 0; k < d; k++) x[i * d + k] = (c[k] as number) + prng.next();
    }
    const t0 = performance.now();
    tsne(x, TSNE_ROWS, d, { seed: 1, iterations: 1000 });
    const tsneMs = performance.now() - t0;

    const occ = Math.min(...occlusionMs);
    const plain = Math.min(...plainMs);
    return {
      name: 'explain',
      title: 'Explanations: heatmaps and feature maps',
      notes: [
        load,
        `Shared MobileNetV2 on ${info.name}, its own 1001-way classifier as the explained model, one 224x224 photo (parrot.jpg).`,
        `Occlusion: box 32, stride 16 → 13x13 = 169 masked copies + the whole image, scored 16 per forward pass through the fused runner (best of 2). Plain cost: the same ${passes} forward passes one by one through predict().`,
        'Grad-CAM: forward to the last convolutional activation + backward through the pool and classifier (median of 10), beside one plain forward pass.',
        maximise.note,
        `t-SNE: Barnes-Hut, ${TSNE_ROWS} x ${d} synthetic features in 10 clusters, 1000 iterations, in plain TypeScript (one thread); larger samples in the tsne section. The features themselves come from the feature cache (see the extraction section for their cost).`,
      ],
      tables: [
        {
          title: 'Seconds / milliseconds per image',
          columns: ['what', 'time', 'plain forward passes it needs', 'ratio'],
          rows: [
            [
              'occlusion heatmap (169 windows)',
              `${fmt(occ / 1000, 2)} s`,
              `${fmt(plain / 1000, 2)} s`,
              fmt(plain / occ, 2),
            ],
            [
              'Grad-CAM',
              `${fmt(percentiles(camMs).median, 0)} ms`,
              `${fmt(percentiles(oneForwardMs).median, 0)} ms (one pass)`,
              fmt(percentiles(oneForwardMs).median / percentiles(camMs).median, 2),
            ],
            [`t-SNE, ${TSNE_ROWS} x ${d}`, `${fmt(tsneMs / 1000, 1)} s`, '-', '-'],
            ...maximise.rows,
          ],
        },
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
