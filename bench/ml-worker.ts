/**
 * One measured ML phase in its own process (started by ml-proc.ts runWorker), so the peak RSS it
 * reports is the phase's alone. Modes:
 *   baseline TFLITE WORKDIR LISTFILE INFER  single-process tfjs-wasm feature loop over the listed
 *                                     images; INFER 'predict' (plain tfjs) or 'fused' (the app's runner)
 *   features LIBRARY BACKBONE VIEWS   the app's `features.start` job on an existing library
 *   train N VAL EPOCHS WORKDIR        stage 1 on N synthetic cached features through the ML host
 * Progress goes to stderr (lines indented by two spaces are echoed by the parent); the result is
 * one marked JSON line on stdout.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { createClient } from '../src/shared/contract/client';
import { inProcessTransport } from '../src/main/core/in-process-transport';
import { StudioCore } from '../src/main/core/studio-core';
import { MlHostClient, forkSpawner } from '../src/main/ml-host/host';
import { syntheticFeatures } from '../src/main/ml-host/train/synthetic';
import { percentiles } from './types';
import { ownPeakMiB, reportResult, sampleChildPeaks, type ChildPeaks } from './ml-proc';

/** How the plain loop runs the model: tfjs' own LayersModel.predict, or the app's fused runner. */
export type BaselineInference = 'predict' | 'fused';

export type BaselineResult = {
  backend: string;
  inference: BaselineInference;
  images: number;
  convertMs: number;
  /**
   * Process start (node, tsx, tfjs and wasm init) plus model load, up to the first image; the
   * one-off backbone conversion is left out (the app does it once, at import).
   */
  startupMs: number;
  loopMs: number;
  medianImageMs: number;
  featureDim: number;
  peakMiB: number;
};

export type FeaturesRunResult = {
  wallMs: number;
  /** From the start call to the first progress event with done > 0 (host start, model load). */
  firstRowMs: number | null;
  /** Images done at that first event (their time is part of firstRowMs). */
  firstDone: number;
  images: number;
  computed: number;
  peakMiB: number;
  hosts: ChildPeaks;
};

export type TrainRunResult = {
  backend: string;
  epochMs: number[];
  bestAccuracy: number | null;
  generateMs: number;
  peakMiB: number;
  hosts: ChildPeaks;
};

const BASELINE_BACKBONE = 'mobilenet_v2_bench';

async function baseline(
  tflite: string,
  workdir: string,
  listFile: string,
  inference: BaselineInference,
): Promise<BaselineResult> {
  // Loaded here, not at the top: the app side of the other modes never loads TensorFlow (the ML
  // host does), and its peak memory must not include it.
  const tf = await import('@tensorflow/tfjs');
  const { selectBackend } = await import('../src/main/ml-host/backend/index.js');
  const ml = await import('../src/main/ml-host/backbone/index.js');
  const { centerBox } = await import('../src/main/ml-host/augment/index.js');
  const info = await selectBackend({ preference: 'wasm', env: {}, strict: true });
  const files = (await readFile(listFile, 'utf8')).split('\n').filter((l) => l !== '');
  const root = join(workdir, 'baseline-backbones');
  await rm(root, { recursive: true, force: true });

  const t0 = performance.now();
  await ml.importBackbone({ source: tflite, name: BASELINE_BACKBONE, root });
  const t1 = performance.now();
  const backbone = await ml.loadBackbone(root, BASELINE_BACKBONE);
  const t2 = performance.now();
  if (backbone.kind !== 'layers') throw new Error('the bench backbone converts to a layers model');
  const { featureModel } = backbone;
  // What anyone writing a tfjs loop would do: predict() on the feature model, pooled if needed.
  const plainFeatures = (input: Tensor4D): Tensor =>
    tf.tidy(() => {
      const out = featureModel.predict(input) as Tensor;
      return out.rank === 4 ? tf.mean(out, [1, 2]) : out;
    });

  const size = backbone.meta.inputSize;
  const times: number[] = [];
  let featureDim = 0;
  for (const [i, file] of files.entries()) {
    const started = performance.now();
    const image = sharp(file).resize(256, 256, { fit: 'cover' }).removeAlpha();
    const box = centerBox(256, 256, size);
    const rgb = await image
      .extract({ left: box.left, top: box.top, width: size, height: size })
      .raw()
      .toBuffer();
    const input = ml.preprocess(rgb, size, size, backbone.meta);
    const features =
      inference === 'predict' ? plainFeatures(input) : ml.extractFeatures(backbone, input, 1);
    const values = await features.data();
    tf.dispose([input, features]);
    if (!values.every(Number.isFinite)) throw new Error(`non-finite features for ${file}`);
    featureDim = values.length;
    times.push(performance.now() - started);
    if ((i + 1) % 50 === 0) console.error(`  baseline: ${i + 1}/${files.length}`);
  }
  const loopMs = performance.now() - t2;
  backbone.dispose();
  return {
    backend: info.name,
    inference,
    images: files.length,
    convertMs: t1 - t0,
    // performance.now() counts from the start of this process.
    startupMs: t0 + (t2 - t1),
    loopMs,
    medianImageMs: percentiles(times).median,
    featureDim,
    peakMiB: ownPeakMiB(),
  };
}

async function features(library: string, backbone: string, views: number) {
  const core = new StudioCore({ version: 'bench' });
  const client = createClient(inProcessTransport(core));
  try {
    await client.call('library.open', { dir: library, create: false });
    const sampler = sampleChildPeaks();
    const started = performance.now();
    let firstRowMs: number | null = null;
    let firstDone = 0;
    let lastStep = -1;
    const result = await client.runJob('features.start', { backbone, views }, (event) => {
      if (event.type !== 'progress' || event.done === 0 || event.total === 0) return;
      if (firstRowMs === null) {
        firstRowMs = performance.now() - started;
        firstDone = event.done;
      }
      const step = Math.floor((10 * event.done) / event.total);
      if (step !== lastStep) console.error(`  features job: ${event.done}/${event.total}`);
      lastStep = step;
    });
    const wallMs = performance.now() - started;
    const hosts = sampler.stop();
    const out: FeaturesRunResult = {
      wallMs,
      firstRowMs,
      firstDone,
      images: result.images,
      computed: result.computed,
      peakMiB: ownPeakMiB(),
      hosts,
    };
    return out;
  } finally {
    await core.close();
  }
}

async function train(n: number, val: number, epochs: number, workdir: string) {
  const dim = 1280;
  const classes = 10;
  const g0 = performance.now();
  // Class structure: 10 Gaussian clusters, overlapping enough that accuracy is not trivially 1.
  const trainSet = syntheticFeatures({ n, dim, classes, seed: 1, spread: 3 });
  const valSet = syntheticFeatures({ n: val, dim, classes, seed: 2, spread: 3 });
  await mkdir(workdir, { recursive: true });
  // Like the app's feature cache: raw float32 rows in a file the host reads itself.
  const file = join(workdir, 'train-features.f32');
  await writeFile(
    file,
    Buffer.from(trainSet.x.buffer, trainSet.x.byteOffset, trainSet.x.byteLength),
  );
  const generateMs = performance.now() - g0;
  const trainLabels = trainSet.labels;
  trainSet.x = new Float32Array(0); // the host reads the file; free this copy

  const host = new MlHostClient({
    spawn: forkSpawner({ env: { ...process.env, LITTLEPLANET_BACKEND: 'wasm' } }),
  });
  const sampler = sampleChildPeaks();
  try {
    const result = await host.run(
      'train.head',
      {
        train: { rowShape: [dim], labels: trainLabels, file },
        val: { rowShape: [dim], labels: valSet.labels, x: valSet.x },
        numClasses: classes,
        // The paper's recipe otherwise (SGD, momentum 0.9, L2); no early stop inside the timing.
        hyper: { epochs, batchSize: 256, earlyStopPatience: null },
      },
      {
        onEvent: (event) => {
          if (event.kind !== 'epoch') return;
          const m = event.metrics;
          console.error(
            `  epoch ${m.epoch}: loss ${m.loss.toFixed(4)}, acc ${m.accuracy.toFixed(3)}, val acc ${m.valAccuracy?.toFixed(3) ?? '-'}`,
          );
        },
      },
    );
    const out: TrainRunResult = {
      backend: result.summary.backend,
      epochMs: result.summary.epochMs,
      bestAccuracy: result.summary.bestAccuracy,
      generateMs,
      peakMiB: ownPeakMiB(),
      hosts: sampler.stop(),
    };
    return out;
  } finally {
    sampler.stop();
    await host.dispose();
    await rm(file, { force: true });
  }
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  const arg = (i: number): string => {
    const value = args[i];
    if (value === undefined) throw new Error(`bench worker ${mode}: missing argument ${i + 1}`);
    return value;
  };
  if (mode === 'baseline') {
    const inference = arg(3);
    if (inference !== 'predict' && inference !== 'fused') throw new Error(`bad INFER ${inference}`);
    reportResult(await baseline(arg(0), arg(1), arg(2), inference));
  } else if (mode === 'features') reportResult(await features(arg(0), arg(1), Number(arg(2))));
  else if (mode === 'train')
    reportResult(await train(Number(arg(0)), Number(arg(1)), Number(arg(2)), arg(3)));
  else throw new Error(`unknown bench worker mode '${mode ?? ''}'`);
}

main().then(
  // tfjs-wasm keeps the event loop alive: leave once the result is out.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
