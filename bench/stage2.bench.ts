/**
 * `npm run bench -- ml-stage2`: one stage-2 training step from cached block inputs, against the
 * PyTorch reference on this CPU (1.48 and 1.74 ms per image on two days: the last two MobileNetV2
 * blocks, batch 32, two threads; the goal is within 3x). Times forward + backward + SGD-momentum
 * update of the upper backbone and a 2-city softmax head on wasm with the app's gradient kernels
 * (what stage 2 runs on when the native TensorFlow packages are absent), and, for comparison, on the
 * plain-JS cpu backend it used before (LP_BENCH_STAGE2_CPU=1: minutes per step) with the app's
 * filter- and input-gradient kernels (and tfjs' own with LP_BENCH_STAGE2_TFJS_KERNELS=1); plus the
 * forward pass that makes a block input (to cache it) on wasm; plus whole epochs through the app's
 * fineTune on one thread and with helper threads sharing each batch (wall time, as the threads
 * run side by side).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  extractFeatures,
  extractFeaturesAndBlocks,
  importBackbone,
  loadBackbone,
  runInference,
  splitAtLayer,
} from '../src/main/ml-host/backbone';
import { selectBackend, withBackend } from '../src/main/ml-host/backend';
import { installFastCpuGradKernels } from '../src/main/ml-host/pipeline/cpu-grad-kernels';
import { installFastCpuInputGradKernels } from '../src/main/ml-host/pipeline/cpu-input-grad-kernels';
import { initHead } from '../src/main/ml-host/train/head-spec';
import { fineTune } from '../src/main/ml-host/train/stage2';
import { resolveHyperParams } from '../src/shared/contract/ml-methods';
import { BUNDLED_MOBILENET_V2 } from '../test/helpers/shared-fixtures';
import { loadNote } from './ml-proc';
import type { BenchSection } from './types';

const BATCH = 32;
const STEPS = Number(process.env.LP_BENCH_STAGE2_STEPS ?? 1);
/** Set to 1 to time tfjs' own cpu gradient kernels too (minutes per step on two busy cores). */
const WITH_TFJS_KERNELS = process.env.LP_BENCH_STAGE2_TFJS_KERNELS === '1';
/** Set to 1 to time the plain-JS cpu backend too (what stage 2 ran on before the wasm kernels). */
const WITH_CPU = process.env.LP_BENCH_STAGE2_CPU === '1' || WITH_TFJS_KERNELS;
const TORCH_MS = [1.48, 1.74];
/** Cuts: the default (Conv_1 only), the last block, the last two blocks (each + Conv_1). */
const CUTS = [
  { layer: 'Conv_1', what: 'Conv_1 (1x1 320→1280) + head' },
  {
    layer: 'expanded_conv_16_expand',
    what: 'last inverted-residual block (16) + Conv_1 + head: the CPU default',
  },
  { layer: 'expanded_conv_15_expand', what: 'last two blocks (15, 16) + Conv_1 + head' },
];
const WASM_KERNELS = 'wasm: app gradient kernels (1x1 as matrix products; the app today)';
const KERNELS = [
  'cpu: tfjs kernels',
  'cpu: fast filter-gradient kernels (the app before)',
  'cpu: + fast input-gradient kernels',
] as const;

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

type Timing = { wall: number; cpu: number };

/** CPU ms of this process (user + system) since `from`: on a shared machine the honest figure. */
const cpuMs = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

/** Median ms (wall, CPU) of one SGD step on a batch through `upper` and a 2-way head. */
async function stepMs(upper: tf.LayersModel, cutShape: number[]): Promise<Timing> {
  const head = tf.variable(tf.randomNormal([1280, 2], 0, 0.01, 'float32', 3));
  const bias = tf.variable(tf.zeros([2]));
  const vars = [...upper.trainableWeights.map((w) => w.read() as tf.Variable), head, bias];
  const optimizer = tf.train.momentum(0.001, 0.9);
  const x = tf.randomUniform([BATCH, ...cutShape], 0, 6, 'float32', 5);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: BATCH }, (_, i) => i % 2),
      'int32',
    ),
    2,
  );
  const times: number[] = [];
  const cpus: number[] = [];
  for (let s = 0; s <= STEPS; s++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const loss = optimizer.minimize(
      () => {
        let f = upper.apply(x, { training: false }) as tf.Tensor;
        if (f.rank === 4) f = tf.mean(f, [1, 2]);
        const loss: tf.Scalar = tf.losses.softmaxCrossEntropy(
          y,
          tf.add(tf.matMul(f as tf.Tensor2D, head), bias),
        );
        return loss;
      },
      true,
      vars,
    );
    await loss?.data();
    loss?.dispose();
    if (s > 0) {
      // Step 0 warms up.
      times.push(performance.now() - t);
      cpus.push(cpuMs(c));
    }
    console.log(
      `    step ${s}: ${(performance.now() - t).toFixed(0)} ms wall, ${cpuMs(c).toFixed(0)} ms CPU`,
    );
  }
  tf.dispose([x, y, head, bias]);
  optimizer.dispose();
  return { wall: median(times), cpu: median(cpus) };
}

/** Rows of the threaded comparison: 10 batches of 32 per epoch. */
const THREAD_ROWS = 320;

/**
 * Wall ms per image of a stage-2 epoch through the app's own fineTune (the training loop with its
 * batches, dropout mask and L2), on one thread and with `helpers` helper threads computing a shard
 * of every batch. The second epoch is timed: the first includes warm-up.
 */
async function threadedEpochMs(root: string, layer: string, helpers: number): Promise<number> {
  const backbone = await loadBackbone(root, 'mnv2');
  if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
  try {
    const { upper, cutShape } = splitAtLayer(backbone.featureModel, layer);
    const x = tf.randomUniform([THREAD_ROWS, ...cutShape], 0, 6, 'float32', 5);
    const rows = (await x.data()) as Float32Array;
    x.dispose();
    const result = await fineTune({
      upper,
      head: initHead({ inputDim: 1280, numClasses: 2, hidden: null, dropout: 0 }, 1),
      train: {
        x: rows,
        rowShape: cutShape,
        labels: Int32Array.from({ length: THREAD_ROWS }, (_, i) => i % 2),
      },
      val: null,
      hyper: resolveHyperParams({ epochs: 2, batchSize: BATCH, earlyStopPatience: null }, 2),
      helperThreads: {
        count: helpers,
        backbonesRoot: root,
        backboneName: 'mnv2',
        splitLayer: layer,
      },
    });
    return result.summary.epochMs[1]! / THREAD_ROWS;
  } finally {
    backbone.dispose();
  }
}

export async function runStage2Bench(): Promise<BenchSection> {
  const load = loadNote();
  await selectBackend({ preference: 'wasm', env: {}, strict: true });
  const root = join(tmpdir(), 'littleplanet-bench-stage2');
  mkdirSync(root, { recursive: true });
  if (!existsSync(join(root, 'mnv2', 'backbone.json'))) {
    await importBackbone({ source: BUNDLED_MOBILENET_V2, name: 'mnv2', root });
  }
  const rows: (string | number)[][] = [];
  // What caching block inputs costs per view (wasm, batch 32, one process): the feature pass alone,
  // the same pass tapping the cut (what the app does), and the lower network alone (what a block
  // input costs when the features were cached before).
  const passMs: Record<string, number> = {};
  const lowerMs: Record<string, number> = {};
  let featuresMs = 0;
  {
    const backbone = await loadBackbone(root, 'mnv2');
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    const x = tf.randomUniform<tf.Rank.R4>([BATCH, 224, 224, 3], -1, 1, 'float32', 7);
    const perView = async (run: () => tf.Tensor[]): Promise<number> => {
      const cpus: number[] = [];
      for (let s = 0; s <= 2; s++) {
        const c = process.cpuUsage();
        const outs = run();
        for (const out of outs) await out.data();
        tf.dispose(outs);
        if (s > 0) cpus.push(cpuMs(c));
      }
      return median(cpus) / BATCH;
    };
    featuresMs = await perView(() => [extractFeatures(backbone, x, BATCH)]);
    for (const cut of CUTS) {
      passMs[cut.layer] = await perView(() => {
        const both = extractFeaturesAndBlocks(backbone, x, cut.layer, BATCH);
        if (both === null) throw new Error(`cannot tap ${cut.layer}`);
        return [both.features, both.blocks];
      });
    }
    // Cuts from the top down: each lower part holds only layers below its cut, which no earlier
    // split re-applied, so it still runs through the fused plan.
    for (const cut of CUTS) {
      const { lower } = splitAtLayer(backbone.featureModel, cut.layer);
      lowerMs[cut.layer] = await perView(() => [runInference(lower, x, BATCH)]);
    }
    x.dispose();
    backbone.dispose();
  }
  console.log(
    `  features ${featuresMs.toFixed(1)} ms/view; with block inputs ${JSON.stringify(passMs)}; lower alone ${JSON.stringify(lowerMs)}`,
  );
  const timeCuts = async (kernels: string): Promise<void> => {
    const backbone = await loadBackbone(root, 'mnv2');
    if (backbone.kind !== 'layers') throw new Error('expected a layers backbone');
    try {
      for (const cut of CUTS) {
        const { upper, cutShape } = splitAtLayer(backbone.featureModel, cut.layer);
        const t = await stepMs(upper, cutShape);
        const ms = t.cpu / BATCH;
        console.log(`  ${cut.layer}, ${kernels}: ${ms.toFixed(2)} CPU ms/image`);
        rows.push([
          cut.what,
          `[${cutShape.join('x')}]`,
          kernels,
          ms.toFixed(1),
          (t.wall / BATCH).toFixed(1),
          `${(ms / TORCH_MS[1]!).toFixed(1)}–${(ms / TORCH_MS[0]!).toFixed(1)}x`,
        ]);
      }
    } finally {
      backbone.dispose();
    }
  };
  await timeCuts(WASM_KERNELS);
  // The same steps shared with a helper thread (what stage 2 does on wasm with two cores or more).
  const helpers = Math.min(availableParallelism(), 4) - 1;
  const threaded: (string | number)[][] = [];
  const twoThreadMs: Record<string, number> = {};
  if (helpers > 0) {
    for (const cut of CUTS) {
      const one = await threadedEpochMs(root, cut.layer, 0);
      const shared = await threadedEpochMs(root, cut.layer, helpers);
      twoThreadMs[cut.layer] = shared;
      console.log(`  ${cut.layer}: epoch ${one.toFixed(1)} → ${shared.toFixed(1)} wall ms/image`);
      threaded.push([
        cut.what,
        one.toFixed(1),
        shared.toFixed(1),
        `${(one / shared).toFixed(2)}x`,
        `${(shared / TORCH_MS[1]!).toFixed(1)}–${(shared / TORCH_MS[0]!).toFixed(1)}x`,
      ]);
    }
  }
  for (const [k, kernels] of KERNELS.entries()) {
    if (!WITH_CPU || (k === 0 && !WITH_TFJS_KERNELS)) continue;
    if (k === 1) installFastCpuGradKernels();
    if (k === 2) installFastCpuInputGradKernels();
    await withBackend('cpu', () => timeCuts(kernels));
  }
  const best = (layer: string): number =>
    Number(
      rows.find(
        (r) => r[0] === CUTS.find((c) => c.layer === layer)!.what && r[2] === WASM_KERNELS,
      )![3],
    );
  // Stage 2 trains one cached view per photo per epoch (train/view-sampling.ts).
  const estimate = (layer: string, views: number, epochs: number, processes: number): string => {
    const extraS = (9000 * views * Math.max(0, passMs[layer]! - featuresMs)) / 1000 / processes;
    const laterS = (9000 * views * lowerMs[layer]!) / 1000 / processes;
    const trainS = (9000 * epochs * (twoThreadMs[layer] ?? best(layer))) / 1000;
    const min = (s: number): string => (s / 60).toFixed(s < 600 ? 1 : 0);
    return `${min(trainS)} min training + ${min(extraS)} min caching in the feature pass (${min(laterS)} min when the features were cached earlier) = ${min(trainS + extraS)}–${min(trainS + laterS)} min`;
  };
  return {
    name: 'ml-stage2',
    title: 'Stage 2: one fine-tuning step from cached block inputs',
    notes: [
      load,
      `Built-in MobileNetV2; a batch of ${BATCH} random block inputs; forward through the upper backbone (batch norm folded into the convolutions by the TFLite conversion), global average pool, a 1280→2 softmax head; backward; SGD momentum 0.9 update of every upper weight and the head. Median of ${STEPS} step(s) after one warm-up, in the bench process on wasm (one thread: tfjs-backend-wasm runs single-threaded in Node) with the app's convolution-gradient kernels.`,
      `PyTorch reference (issue #18): ${TORCH_MS.join(' and ')} ms per image for the last two blocks, batch 32, two threads. "vs PyTorch" divides by those two figures.`,
      "Before the wasm gradient kernels (this bench on 2026-12-06 12:18 UTC, load 13.5): stage 2 ran on the plain-JS cpu backend with the app's filter- and input-gradient loops at 178 (Conv_1), 399 (last block) and 606 (last two blocks) CPU ms per image, 103–410x PyTorch. `LP_BENCH_STAGE2_CPU=1` times that path again.",
      `Caching block inputs, CPU ms per view (fused runner, wasm, batch ${BATCH}, one process): the feature pass alone ${featuresMs.toFixed(1)}; the feature pass tapping the cut (what the app runs when the run will fine-tune) ${CUTS.map((c) => `${c.layer} ${passMs[c.layer]!.toFixed(1)}`).join(', ')}; the lower network alone (block inputs for photos whose features were cached before) ${CUTS.map((c) => `${c.layer} ${lowerMs[c.layer]!.toFixed(1)}`).join(', ')}. Writing a float16 row is not included.`,
      `Timed as CPU time of the bench process (user + system; one thread), because the two cores may be shared (load ${loadavg()[0]!.toFixed(1)} at the end); wall times beside it. The threaded epochs below are wall times, as their threads run side by side.`,
      `Estimated 9,000-photo stage 2 from these figures (4 cached views, 10 epochs of one view per photo, the feature pool's 2 processes; training at the ${helpers > 0 ? `${helpers + 1}-thread epoch wall time` : 'one-thread step CPU time'}): ${CUTS.map((c) => `${c.layer}: ${estimate(c.layer, 4, 10, 2)}`).join('; ')}. Target: under 30 minutes.`,
    ],
    tables: [
      {
        title: `ms per image of one training step (batch ${BATCH})`,
        columns: [
          'trained part',
          'block input',
          'gradient kernels',
          'CPU ms/image',
          'wall ms/image',
          'vs PyTorch (CPU)',
        ],
        rows,
      },
      ...(threaded.length === 0
        ? []
        : [
            {
              title: `Wall ms per image of a stage-2 epoch (fineTune, ${THREAD_ROWS} rows, batch ${BATCH}, second epoch): one thread against ${helpers + 1} threads (train/grad-worker.ts helpers)`,
              columns: [
                'trained part',
                'one thread',
                `${helpers + 1} threads`,
                'speed-up',
                'vs PyTorch (wall)',
              ],
              rows: threaded,
            },
          ]),
    ],
  };
}
