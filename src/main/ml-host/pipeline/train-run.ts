// One training run inside the ML host (the `train.run` op): stage 1 on cached features read
// straight from the library database, optionally stage 2 on cached block inputs, a validation
// report of the final model, and the model bundle written to disk. Checkpoints after every epoch
// let an interrupted run resume; a cancel keeps the best epoch and still saves a model.
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { EpochMetrics } from '../../../shared/contract/job-types';
import type {
  EvaluationReport,
  ModelBundleMeta,
  TrainSummary,
} from '../../../shared/contract/ml-types';
import { evaluate } from '../../../shared/domain/metrics';
import { defaultSplitLayer } from '../../../shared/domain/stage2-cut';
import { takeFloats, withBackend, type BackendInfo } from '../backend';
import { loadBackbone, splitAtLayer, type BackboneMeta } from '../backbone';
import { saveModelBundle } from '../eval';
import { classCounts } from '../train/examples';
import { headLogits, headProbabilities } from '../train/head';
import { fitOpenSet, type OpenSetModel } from '../openset/open-set';
import { trainHead } from '../train/stage1';
import { stage2HelperCount } from '../train/helper-count';
import { fineTune } from '../train/stage2';
import type { LoopCallbacks } from '../train/loop';
import { oneViewPerEpoch } from '../train/view-sampling';
import type {
  ExampleSet,
  GradBackendRunner,
  HeadState,
  NamedArray,
  RowReader,
} from '../train/types';
import { backboneMeta } from './backbone-cache';
import { ensureBlockInputs, type BlockCacheOptions } from './block-cache';
import { installFastCpuGradKernels } from './cpu-grad-kernels';
import { tensorLock } from './host-resources';
import { readFeatures, withDatabase } from './feature-db';
import type { DatasetItem, TrainRunParams, TrainRunResult } from './types';
import { resizeSide } from './views';

export type RunCallbacks = {
  signal: AbortSignal;
  backend: BackendInfo;
  epoch(metrics: EpochMetrics): void;
  progress(done: number, total: number, message: string): void;
  log(level: 'info' | 'warn', message: string): void;
};

/** The training loop's callbacks, reported to the run as stage `stage` of `epochs` epochs. */
function loopCallbacks(
  cb: RunCallbacks,
  stage: 1 | 2,
  epochs: number,
): Pick<LoopCallbacks, 'signal' | 'onEpoch' | 'onLog' | 'onProgress'> {
  return {
    signal: cb.signal,
    onEpoch: (m) => cb.epoch(m),
    onLog: (level, message) => cb.log(level, message),
    onProgress: ({ epoch, batch, batches }) =>
      cb.progress(
        (epoch - 1) * batches + batch,
        epochs * batches,
        `Stage ${stage}, epoch ${epoch}`,
      ),
  };
}

function featureSet(
  x: Float32Array,
  dim: number,
  items: readonly DatasetItem[],
  views: number,
): ExampleSet & { x: Float32Array } {
  const labels = new Int32Array(items.length * views);
  items.forEach((item, i) => labels.fill(item.label, i * views, (i + 1) * views));
  return { x, rowShape: [dim], labels };
}

async function loadFeatureSets(
  p: TrainRunParams,
  dim: number,
): Promise<{
  train: ExampleSet & { x: Float32Array };
  val: (ExampleSet & { x: Float32Array }) | null;
}> {
  return withDatabase(p.dbPath, (db) => {
    const read = (items: readonly DatasetItem[], views: number) => {
      const { x, missing } = readFeatures(
        db,
        p.backbone,
        dim,
        items.map((i) => ({ imageId: i.imageId, contentHash: i.contentHash, views })),
      );
      if (missing.length > 0) {
        throw new AppError(
          'CONFLICT',
          `${missing.length} images have no cached features for '${p.backbone.name}' (e.g. image ${missing[0]}); run features.start first.`,
        );
      }
      return featureSet(x, dim, items, views);
    };
    return { train: read(p.train, p.views), val: p.val.length > 0 ? read(p.val, 1) : null };
  });
}

function report(
  classes: string[],
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  prior: number[],
): EvaluationReport {
  return evaluate({ classes, labels, probabilities, priorCounts: prior });
}

/**
 * Backbone features [indices.length, D] of cached block inputs through the fine-tuned `upper`
 * (pooled when it ends in a feature map). Reads asynchronously, in batches of 32.
 */
async function blockFeatures(
  upper: tf.LayersModel,
  reader: RowReader,
  indices: Int32Array,
  cutShape: number[],
): Promise<Float32Array> {
  const rowFloats = cutShape.reduce((a, b) => a * b, 1);
  const parts: Float32Array[] = [];
  for (let start = 0; start < indices.length; start += 32) {
    const batch = indices.subarray(start, Math.min(indices.length, start + 32));
    const rows = new Float32Array(batch.length * rowFloats);
    reader(batch, rows);
    parts.push(
      await takeFloats(
        tf.tidy(() => {
          const f = upper.predict(tf.tensor(rows, [batch.length, ...cutShape])) as tf.Tensor;
          return f.rank === 4 ? tf.mean(f, [1, 2]) : f;
        }),
      ),
    );
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Features the open-set statistics are fitted on: training rows and validation photos. */
type OpenSetFeatures = {
  /** Training rows, `views` consecutive rows per photo. */
  train: { features: Float32Array; labels: Int32Array; views: number };
  val: { features: Float32Array; labels: Int32Array } | null;
};

/** At most this many training rows go through a fine-tuned upper part for the statistics. */
const OPEN_SET_ROWS = 4096;

function evenlySpaced(n: number, max: number): Int32Array {
  const m = Math.min(n, max);
  return Int32Array.from({ length: m }, (_, t) => Math.floor((t * n) / m));
}

/**
 * Fits the model's open-set statistics (see openset/open-set.ts) on the final model's features:
 * the Gaussians on the training rows, temperature and threshold on the validation photos.
 */
async function fitModelOpenSet(
  head: HeadState,
  input: OpenSetFeatures,
  cb: RunCallbacks,
): Promise<OpenSetModel> {
  cb.progress(0, 0, 'Fitting the open-set statistics');
  const val =
    input.val === null || input.val.labels.length === 0
      ? null
      : { ...input.val, logits: await headLogits(head, input.val.features) };
  if (val === null) {
    cb.log(
      'warn',
      'No validation photos: the temperature and the "unknown" threshold are fitted on the training photos, so more photos may be answered "unknown" than the 5% intended.',
    );
  }
  return fitOpenSet({
    head,
    train: input.train,
    val,
    trainViews: input.train.views,
    ...(val === null ? { trainLogits: await headLogits(head, input.train.features) } : {}),
  });
}

type Stage2Outcome = {
  summary: TrainSummary;
  history: EpochMetrics[];
  head: HeadState;
  upper: NamedArray[];
  splitLayer: string;
  validation: EvaluationReport | null;
  openSetFeatures: OpenSetFeatures;
};

async function runStage2(
  p: TrainRunParams,
  meta: BackboneMeta,
  head: HeadState,
  prior: number[],
  cb: RunCallbacks,
): Promise<Stage2Outcome> {
  const hyper = p.stage2!;
  const splitLayer = p.splitLayer ?? defaultSplitLayer(meta, cb.backend);
  // A private copy: fine-tuning writes into the backbone's layers.
  const backbone = await loadBackbone(p.backbonesRoot, meta.name);
  try {
    if (backbone.kind !== 'layers') {
      throw new AppError(
        'UNSUPPORTED',
        `Backbone '${meta.name}' is a graph model; stage 2 needs a layers model.`,
      );
    }
    const { lower, upper, cutShape } = splitAtLayer(backbone.featureModel, splitLayer);
    const options: BlockCacheOptions = {
      blocksDir: p.blocksDir,
      backbone: p.backbone,
      layer: splitLayer,
      augmentSeed: p.augmentSeed,
      spec: meta,
      cutShape,
      signal: cb.signal,
      onProgress: (done, total) =>
        cb.progress(done, total, `Stage 2: caching block inputs at '${splitLayer}'`),
    };
    const toBlocks = (items: readonly DatasetItem[], views: number) =>
      ensureBlockInputs(
        lower,
        items.map((i) => ({ contentHash: i.contentHash, normPath: i.normPath, views })),
        options,
      );
    const [trainBlocks, valBlocks] = await tensorLock.shared(async () => [
      await toBlocks(p.train, p.views),
      p.val.length > 0 ? await toBlocks(p.val, 1) : null,
    ]);
    cb.log(
      'info',
      `Stage 2 fine-tunes the backbone from '${splitLayer}' on ${cb.backend.name} (block inputs ${cutShape.join('x')}; ${trainBlocks.computed + (valBlocks?.computed ?? 0)} computed now, the rest cached from the feature pass${p.views > 1 ? `; one of ${p.views} views per photo each epoch` : ''}).`,
    );
    const labelsOf = (items: readonly DatasetItem[], views: number) => {
      const labels = new Int32Array(items.length * views);
      items.forEach((item, i) => labels.fill(item.label, i * views, (i + 1) * views));
      return labels;
    };
    // One cached view per photo and epoch (see train/view-sampling.ts); every view's row stays on
    // disk for the open-set statistics below.
    const rowLabels = labelsOf(p.train, p.views);
    const train: ExampleSet = {
      x: oneViewPerEpoch(trainBlocks.reader, p.views, hyper.seed),
      rowShape: cutShape,
      labels: labelsOf(p.train, 1),
    };
    const val: ExampleSet | null =
      valBlocks === null
        ? null
        : { x: valBlocks.reader, rowShape: cutShape, labels: labelsOf(p.val, 1) };

    let runOnGradBackend: GradBackendRunner | undefined;
    // Switching the process backend must not happen under other ops computing on it.
    let lock = <T>(fn: () => Promise<T>): Promise<T> => tensorLock.shared(fn);
    if (!cb.backend.convGradients) {
      cb.log(
        'warn',
        `The ${cb.backend.name} backend has no convolution gradients: stage 2 training steps run on the plain-JavaScript cpu backend (slower); feature and block extraction stay on ${cb.backend.name}.`,
      );
      installFastCpuGradKernels();
      runOnGradBackend = (fn) => withBackend('cpu', fn);
      lock = (fn) => tensorLock.exclusive(fn);
    }
    const threads = stage2HelperCount({
      backend: runOnGradBackend === undefined ? cb.backend.name : 'cpu',
      batchSize: hyper.batchSize,
      cores: availableParallelism(),
      env: process.env,
    });
    if (threads.warning !== null) cb.log('warn', threads.warning);
    cb.log(
      'info',
      `Stage 2 training steps run on ${threads.helpers + 1} thread${threads.helpers === 0 ? '' : 's'} (${threads.why}).`,
    );
    const result = await lock(() =>
      fineTune({
        upper,
        head,
        train,
        val,
        hyper,
        ...(runOnGradBackend === undefined ? {} : { runOnGradBackend }),
        helperThreads: {
          count: threads.helpers,
          backbonesRoot: p.backbonesRoot,
          backboneName: meta.name,
          splitLayer,
          onStartFailed: (error) =>
            cb.log(
              'warn',
              `Stage 2's helper threads did not start (${error instanceof Error ? error.message : String(error)}); training goes on in one thread.`,
            ),
        },
        checkpointDir: join(p.runDir, 'stage2'),
        resume: p.resume,
        identity: {
          backbone: p.backbone.sha256,
          splitLayer,
          views: p.views,
          splitHash: p.splitHash,
        },
        ...loopCallbacks(cb, 2, hyper.epochs),
      }),
    );
    // The fine-tuned features (upper holds the best weights) of the validation photos, computed
    // once: they serve the validation report and the open-set statistics, which describe the
    // fine-tuned features.
    const trainRows = evenlySpaced(rowLabels.length, OPEN_SET_ROWS);
    const { trainFeatures, valFeatures } = await tensorLock.shared(async () => ({
      trainFeatures: await blockFeatures(upper, trainBlocks.reader, trainRows, cutShape),
      valFeatures:
        val === null || valBlocks === null
          ? null
          : await blockFeatures(
              upper,
              valBlocks.reader,
              Int32Array.from({ length: p.val.length }, (_, i) => i),
              cutShape,
            ),
    }));
    const validation =
      val === null || valFeatures === null
        ? null
        : await tensorLock.shared(async () =>
            report(p.classes, await headProbabilities(result.head, valFeatures), val.labels, prior),
          );
    const openSetFeatures: OpenSetFeatures = {
      train: {
        features: trainFeatures,
        labels: Int32Array.from(trainRows, (r) => rowLabels[r] as number),
        // Sampled rows no longer group by photo: each row counts as a photo when cross-fitting.
        views: 1,
      },
      val:
        val === null || valFeatures === null
          ? null
          : { features: valFeatures, labels: Int32Array.from(val.labels) },
    };
    return { ...result, splitLayer, validation, openSetFeatures };
  } finally {
    backbone.dispose();
  }
}

export async function runTraining(p: TrainRunParams, cb: RunCallbacks): Promise<TrainRunResult> {
  const meta = await backboneMeta(p.backbonesRoot, p.backbone);
  const numClasses = p.classes.length;
  if (numClasses < 2) throw new AppError('BAD_ARGUMENT', 'Training needs at least two classes.');
  const dim = meta.featureDim;
  cb.progress(0, 0, 'Reading cached features');
  const sets = await loadFeatureSets(p, dim);
  const prior = classCounts(sets.train.labels, numClasses);

  const stage1 = await tensorLock.shared(() =>
    trainHead({
      train: sets.train,
      val: sets.val,
      numClasses,
      hyper: p.stage1,
      checkpointDir: join(p.runDir, 'stage1'),
      resume: p.resume,
      identity: { backbone: p.backbone.sha256, views: p.views, splitHash: p.splitHash },
      ...loopCallbacks(cb, 1, p.stage1.epochs),
    }),
  );
  const summaries: TrainSummary[] = [stage1.summary];
  const history = [...stage1.history];
  let head = stage1.head;
  let upper: NamedArray[] | null = null;
  let splitLayer: string | null = null;
  let openSetFeatures: OpenSetFeatures = {
    train: { features: sets.train.x, labels: Int32Array.from(sets.train.labels), views: p.views },
    val:
      sets.val === null ? null : { features: sets.val.x, labels: Int32Array.from(sets.val.labels) },
  };
  const valSet = sets.val;
  let validation: EvaluationReport | null =
    valSet === null
      ? null
      : await tensorLock.shared(async () =>
          report(p.classes, await headProbabilities(head, valSet.x), valSet.labels, prior),
        );

  if (stage1.summary.epochsRun === 0) {
    // Nothing learned yet: there is no model worth saving.
    throw new AppError('CANCELLED', 'Training was cancelled before the first epoch ended.');
  }
  if (p.stage2 !== null && !cb.signal.aborted) {
    const s2 = await runStage2(p, meta, head, prior, cb);
    history.push(...s2.history);
    if (s2.summary.epochsRun > 0) {
      summaries.push(s2.summary);
      head = s2.head;
      upper = s2.upper;
      splitLayer = s2.splitLayer;
      validation = s2.validation;
      openSetFeatures = s2.openSetFeatures;
    }
  }

  const cancelled = cb.signal.aborted;
  const openSet = await tensorLock.shared(() => fitModelOpenSet(head, openSetFeatures, cb));
  const bundleMeta: ModelBundleMeta = {
    format: 'littleplanet-model',
    version: 1,
    createdAt: p.createdAt,
    backbone: { name: meta.name, sha256: meta.sha256, splitLayer, featureDim: dim },
    classes: p.classes,
    preprocessing: {
      resize: resizeSide(meta.inputSize),
      crop: meta.inputSize,
      scale: meta.normalisation.scale,
      offset: meta.normalisation.offset,
      tta: 'center',
    },
    head: {
      inputDim: head.config.inputDim,
      hidden: head.config.hidden,
      dropout: head.config.dropout,
      numClasses: head.config.numClasses,
    },
    hasUpper: upper !== null,
    metrics: validation,
    splitHash: p.splitHash,
    hyperParams: { stage1: p.stage1, stage2: upper !== null ? p.stage2 : null },
    summaries,
    backend: cb.backend.name,
    openSet: openSet.stats,
  };
  await saveModelBundle(p.modelDir, { meta: bundleMeta, head, upper, openSet });
  if (cancelled) {
    cb.log(
      'warn',
      'Cancelled: the model was saved with the best epoch reached so far (checkpoints kept for resuming).',
    );
  }
  return { meta: bundleMeta, summaries, history, validation, backend: cb.backend, cancelled };
}
