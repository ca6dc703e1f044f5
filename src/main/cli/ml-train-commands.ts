import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { hyperParamsSchema, mlMethods, resolveHyperParams } from '../../shared/contract/ml-methods';
import type {
  ImagePrediction,
  OptimizerName,
  StoredEvaluation,
} from '../../shared/contract/ml-types';
import { UsageError } from './args';
import type { CommandSpec, OptionSpec } from './command';
import { epochLine, evaluationText, trainText } from './ml-format';
import {
  choiceOption,
  defined,
  flag,
  numberOption,
  runCancellableJob,
  stringOption,
} from './ml-job';
import { paramsShape } from '../../shared/contract/param-info';
import { defaultMark, paramOption } from './param-option';

const TTA_CHOICES = { center: 'center', 'multi-crop': 'multiCrop' } as const;
const OPTIMIZER_CHOICES: Readonly<Record<string, OptimizerName>> = { sgd: 'sgd', adam: 'adam' };
const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
  '.avif',
]);

const hyper = hyperParamsSchema.shape;
const trainParams = paramsShape(mlMethods['train.start'].params);
const paperDefaults = resolveHyperParams({});

const tta = paramsShape(mlMethods['evaluate.start'].params).tta;
const ttaOption: OptionSpec = {
  type: 'string',
  value: 'center|multi-crop',
  description: `test-time views: the centre crop${defaultMark(tta, 'center')} or 10 crops averaged${defaultMark(tta, 'multiCrop')}`,
  param: tta,
};

const train: CommandSpec = {
  name: 'train',
  summary: 'Train a city classifier on the train split (validation on val)',
  details: [
    'Stage 1 trains the head on cached backbone features (computed first when missing); --stage2',
    'then fine-tunes the last block (the last three on a GPU backend) with the head at a ten times',
    'smaller rate. Epoch lines go to stderr; the result (with --json: {model, valAccuracy, ...}) to',
    'stdout. Ctrl-C cancels and keeps the checkpoints: continue with --resume JOB_ID (the id is',
    'printed at the start).',
  ].join('\n'),
  positionals: { min: 0, max: 0 },
  options: {
    backbone: paramOption(trainParams.backbone, { value: 'NAME', description: 'backbone' }),
    name: { type: 'string', value: 'NAME', description: 'model name (default: backbone and date)' },
    seed: { type: 'int', value: 'N', description: 'random seed of initialisation and batches' },
    epochs: paramOption(hyper.epochs, { value: 'N', description: 'stage-1 epochs at most' }),
    lr: paramOption(hyper.learningRate, { value: 'X', description: 'stage-1 learning rate' }),
    'batch-size': paramOption(hyper.batchSize, { value: 'N', description: 'stage-1 batch size' }),
    optimizer: {
      type: 'string',
      value: 'sgd|adam',
      description: `default ${paperDefaults.optimizer} (momentum ${paperDefaults.momentum})`,
      param: hyper.optimizer,
    },
    hidden: paramOption(hyper.hidden, {
      value: 'N',
      description: 'hidden layer width',
      none: 'none',
    }),
    dropout: { type: 'number', value: 'X', description: 'dropout rate before the last layer' },
    views: paramOption(trainParams.views, {
      value: 'N',
      description: 'cached augmented views per image',
    }),
    stage2: { type: 'boolean', description: 'fine-tune the last backbone block (stage 2)' },
    'stage2-epochs': { type: 'int', value: 'N', description: 'stage-2 epochs (implies --stage2)' },
    'split-layer': {
      type: 'string',
      value: 'L',
      description: 'layer where stage 2 splits the backbone (implies --stage2)',
    },
    resume: { type: 'string', value: 'JOB_ID', description: 'continue an interrupted training' },
  },
  library: 'open',
  async run(ctx) {
    const backbone = stringOption(ctx, 'backbone');
    const seed = numberOption(ctx, 'seed');
    const optimizer = choiceOption(ctx, 'optimizer', OPTIMIZER_CHOICES);
    const hidden = numberOption(ctx, 'hidden');
    const dropout = numberOption(ctx, 'dropout');
    const stage1 = defined({
      seed,
      optimizer,
      hidden,
      dropout,
      epochs: numberOption(ctx, 'epochs'),
      learningRate: numberOption(ctx, 'lr'),
      batchSize: numberOption(ctx, 'batch-size'),
    });
    const splitLayer = stringOption(ctx, 'split-layer');
    const stage2Epochs = numberOption(ctx, 'stage2-epochs');
    const withStage2 =
      flag(ctx, 'stage2') || stage2Epochs !== undefined || splitLayer !== undefined;
    // Stage 2 continues the stage-1 head, so it keeps its architecture and seed.
    const stage2 = withStage2
      ? defined({ seed, optimizer, hidden, dropout, epochs: stage2Epochs })
      : null;
    const name =
      stringOption(ctx, 'name') ??
      `${backbone ?? 'mobilenet_v2'} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
    // Invalid values are reported by the contract (exit 2) before anything runs; these are only
    // the totals shown in the epoch lines.
    const totals = new Map<number, number>();
    try {
      totals.set(1, resolveHyperParams(stage1).epochs);
      if (stage2 !== null) totals.set(2, resolveHyperParams(stage2, 2).epochs);
    } catch {
      // Left to the contract's own message.
    }

    let jobId: string | null = null;
    const result = await runCancellableJob(
      ctx,
      'train.start',
      {
        name,
        ...defined({ backbone, views: numberOption(ctx, 'views') }),
        splitLayer: splitLayer ?? null,
        stage1,
        stage2,
        resumeJobId: stringOption(ctx, 'resume') ?? null,
      },
      {
        what: 'training',
        label: 'train',
        // A bar on a terminal; elsewhere the epoch lines, and between them a line every progress
        // interval (an epoch of a large library takes minutes).
        stepLines: false,
        onStart: (id) => {
          jobId = id;
          ctx.log(`Training job ${id} started.`);
        },
        onEvent: (event, clearProgress) => {
          if (event.type !== 'epoch') return;
          clearProgress();
          ctx.log(epochLine(event.metrics, totals.get(event.metrics.stage) ?? null));
        },
      },
    );
    const last = result.summaries.at(-1);
    const monitoredVal = result.summaries.filter((s) => s.monitored === 'val').at(-1);
    const valAccuracy = result.validation?.accuracy.value ?? monitoredVal?.bestAccuracy ?? null;
    ctx.output(
      {
        model: result.modelId,
        valAccuracy,
        jobId,
        name,
        backend: last?.backend ?? null,
        summaries: result.summaries,
        validation: result.validation,
      },
      () => trainText(result.modelId, name, result.summaries, result.validation),
    );
  },
};

/** The JSON a script reads: headline numbers first, then the stored evaluation in full. */
export function evaluationJson(evaluation: StoredEvaluation) {
  const r = evaluation.report;
  const outside = evaluation.openSet?.outside ?? null;
  return {
    accuracy: r.accuracy.value,
    n: r.n,
    perCity: Object.fromEntries(r.perClass.map((c) => [c.class, c.recall.value])),
    confusion: { labels: r.classes, matrix: r.confusion },
    /** With --outside: photos scored, the share answered unknown, and oodScore's AUROC. */
    outside:
      outside === null
        ? null
        : {
            n: outside.n,
            flagged: outside.flagged,
            auroc: outside.auroc,
            fprAt95: outside.fprAt95,
            sources: outside.sources,
          },
    // GeoGuessr-style: 5000·exp(−km / 1492.7) per photo, right answers 5000 (null: no centres).
    meanScore: r.geo?.meanScore ?? null,
    meanDistanceKm: r.geo?.meanKm ?? null,
    /** Each wrong answer with its centre-to-centre distance and score, farthest first. */
    errors: r.geo?.errors ?? [],
    /** Class orders for the confusion matrix: west to east, and a nearest-neighbour tour. */
    geoOrder:
      r.geo === undefined
        ? null
        : {
            longitude: r.geo.order.longitude.map((i) => r.classes[i]),
            tour: r.geo.order.tour.map((i) => r.classes[i]),
          },
    ...evaluation,
  };
}

const evaluate: CommandSpec = {
  name: 'evaluate',
  args: '[PATH...]',
  summary: 'Evaluate a model on the test/val split or an external photo set',
  details: [
    'Per-city accuracy (the share of each city’s photos recognised) with 95% Wilson intervals',
    'beside chance, and the confusion matrix. --external takes folders named after cities (more',
    'folders may follow as arguments), --csv a manifest of `path,city` or `path,lat,lon` rows.',
    '--outside takes folders of photos from none of the model’s cities (more may follow as',
    'arguments when --external is not given): the share the model answers "unknown" and how well',
    'its score tells them from the evaluated photos (AUROC) are added as {outside: {n, flagged, auroc}}.',
    'The calibration before and after temperature scaling is in openSet.',
  ].join('\n'),
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  options: {
    model: { type: 'string', value: 'ID', description: 'the model to evaluate', required: true },
    split: paramOption(paramsShape(mlMethods['evaluate.start'].params).split, {
      value: 'test|val',
      description: 'library split',
    }),
    external: {
      type: 'string',
      value: 'PATH',
      description: 'evaluate on photos outside the library',
    },
    csv: { type: 'string', value: 'FILE', description: 'external photos listed in a CSV manifest' },
    outside: {
      type: 'string',
      value: 'DIR',
      description: 'photos from none of the model’s cities (open-set check)',
    },
    tta: ttaOption,
  },
  library: 'open',
  async run(ctx) {
    const split = choiceOption(ctx, 'split', { test: 'test', val: 'val' } as const);
    const first = stringOption(ctx, 'external');
    const csv = stringOption(ctx, 'csv');
    const firstOutside = stringOption(ctx, 'outside');
    if (first === undefined && firstOutside === undefined && ctx.positionals.length > 0) {
      throw new UsageError(
        `evaluate takes paths only after --external or --outside (got "${ctx.positionals.join(' ')}").`,
      );
    }
    if (first !== undefined && firstOutside !== undefined && ctx.positionals.length > 0) {
      throw new UsageError(
        'With both --external and --outside, give one folder each (extra paths would be ambiguous).',
      );
    }
    // Extra paths belong to whichever of --external / --outside was given.
    const extraOutside = first === undefined ? ctx.positionals : [];
    const outside =
      firstOutside === undefined
        ? null
        : { paths: [firstOutside, ...extraOutside].map((p) => resolve(ctx.io.cwd, p)) };
    const external = first !== undefined || csv !== undefined;
    if (external && split !== undefined) {
      throw new UsageError('Give either --split or --external/--csv, not both.');
    }
    const paths =
      first === undefined ? [] : [first, ...(firstOutside === undefined ? ctx.positionals : [])];
    const evaluation = await runCancellableJob(
      ctx,
      'evaluate.start',
      {
        modelId: stringOption(ctx, 'model') ?? '',
        ...defined({ split, tta: choiceOption(ctx, 'tta', TTA_CHOICES) }),
        external: external
          ? {
              paths: paths.map((p) => resolve(ctx.io.cwd, p)),
              csv: csv === undefined ? null : resolve(ctx.io.cwd, csv),
            }
          : null,
        outside,
      },
      { what: 'evaluation', label: 'evaluate' },
    );
    ctx.output(evaluationJson(evaluation), () => evaluationText(evaluation));
  },
};

type PredictEntry =
  | { path: string; top: { city: string; p: number }[]; unknown: boolean; oodScore: number | null }
  | { path: string; error: string };

/** Files to predict: files as given, image files directly inside folders; the rest are errors. */
async function expandPaths(
  paths: readonly string[],
): Promise<{ files: string[]; errors: { path: string; error: string }[] }> {
  const files: string[] = [];
  const errors: { path: string; error: string }[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info === null) errors.push({ path, error: 'no such file or folder' });
    else if (info.isFile()) files.push(path);
    else if (info.isDirectory()) {
      const names = (await readdir(path)).sort();
      const images = names.filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()));
      if (images.length === 0) errors.push({ path, error: 'folder without image files' });
      files.push(...images.map((n) => join(path, n)));
    } else errors.push({ path, error: 'not a file or folder' });
  }
  return { files, errors };
}

function predictionText(entries: readonly PredictEntry[]): string {
  return entries
    .filter((e): e is Extract<PredictEntry, { top: unknown }> => 'top' in e)
    .map((e) => {
      const top = e.top.map((t) => `${t.city} ${(100 * t.p).toFixed(1)}%`).join(', ');
      return e.unknown
        ? `${e.path}: unknown, like none of the model's cities (forced choice: ${top})`
        : `${e.path}: ${top}`;
    })
    .join('\n');
}

const predict: CommandSpec = {
  name: 'predict',
  args: 'PATH...',
  summary: 'Most likely cities of photos (files, or images in folders)',
  details:
    "Prints [{path, top: [{city, p}], unknown, oodScore}]: top is the forced-choice ranking of the\nmodel's cities; unknown is true when the photo looks like none of them (oodScore, higher = less\nlike the training photos, above the model's threshold). Unreadable files are reported on stderr\n(and as {path, error} with --json); exit 0 when at least one photo was predicted, 1 when none.",
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  options: {
    model: { type: 'string', value: 'ID', description: 'the model to use', required: true },
    top: paramOption(paramsShape(mlMethods['predict.start'].params).topK, {
      value: 'K',
      description: 'cities per photo',
    }),
    tta: ttaOption,
  },
  library: 'open',
  async run(ctx) {
    const { files, errors } = await expandPaths(ctx.positionals.map((p) => resolve(ctx.io.cwd, p)));
    const params = {
      modelId: stringOption(ctx, 'model') ?? '',
      ...defined({ topK: numberOption(ctx, 'top'), tta: choiceOption(ctx, 'tta', TTA_CHOICES) }),
    };
    let predictions: ImagePrediction[] = [];
    if (files.length > 0) {
      const result = await runCancellableJob(
        ctx,
        'predict.start',
        { ...params, paths: files },
        { what: 'prediction', label: 'predict' },
      );
      predictions = result.predictions;
      errors.push(...result.errors.map((e) => ({ path: e.path, error: e.reason })));
    } else {
      // Nothing readable: still check the model so an unknown id says so (exit 1 either way).
      await ctx.client.call('models.get', { modelId: params.modelId });
    }
    for (const e of errors) ctx.log(`littleplanet: cannot predict ${e.path}: ${e.error}`);
    if (predictions.length === 0) {
      throw new AppError(
        'IO_ERROR',
        `No photo could be predicted (${errors.length} of ${ctx.positionals.length} path(s) failed).`,
      );
    }
    const order = new Map(files.map((f, i) => [f, i]));
    const rank = (path: string): number => order.get(path) ?? files.length;
    const entries: PredictEntry[] = [
      ...predictions.map((p) => ({
        path: p.path,
        top: p.top.map((t) => ({ city: t.city, p: t.probability })),
        unknown: p.unknown,
        oodScore: p.oodScore,
      })),
      ...errors,
    ].sort((a, b) => rank(a.path) - rank(b.path));
    ctx.output(entries, () => predictionText(entries));
  },
};

export const ML_TRAIN_COMMANDS: readonly CommandSpec[] = [train, evaluate, predict];
