import { resolve } from 'node:path';
import type { BackboneSummary, FeatureJobResult } from '../../shared/contract/ml-types';
import { UsageError } from './args';
import type { CommandSpec } from './command';
import { plural, seconds, table } from './format';
import { backbonesText, backendText, modelsText, pct, runsText } from './ml-format';
import { defined, flag, numberOption, runCancellableJob, stringOption } from './ml-job';
import { ML_TRAIN_COMMANDS } from './ml-train-commands';
import { mlMethods } from '../../shared/contract/ml-methods';
import { paramsShape } from '../../shared/contract/param-info';
import { paramOption } from './param-option';

function backboneText(verb: string, b: BackboneSummary): string {
  return [
    `${verb} backbone ${b.name} (${b.format}, ${b.inputSize}x${b.inputSize} input, ${b.featureDim}-d features from ${b.featureLayer}).`,
    `${plural(b.blockLayers.length, 'block')} for fine-tuning; source ${b.source}, sha256 ${b.sha256}.`,
  ].join('\n');
}

const backboneImport: CommandSpec = {
  name: 'backbone import',
  args: 'FILE_OR_FOLDER',
  summary: 'Import a backbone: a TensorFlow Lite file or a TF.js model folder',
  positionals: { min: 1, max: 1 },
  options: {
    name: { type: 'string', value: 'NAME', description: 'name to use it by', required: true },
  },
  library: 'open',
  async run(ctx) {
    const backbone = await runCancellableJob(
      ctx,
      'backbones.import',
      {
        path: resolve(ctx.io.cwd, ctx.positionals[0] ?? ''),
        name: stringOption(ctx, 'name') ?? '',
      },
      { what: 'import', label: 'backbone' },
    );
    ctx.output(backbone, () => backboneText('Imported', backbone));
  },
};

const backboneList: CommandSpec = {
  name: 'backbone list',
  aliases: ['backbone', 'backbones'],
  summary: 'List the imported backbones',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'open',
  async run(ctx) {
    const backbones = await ctx.client.call('backbones.list', {});
    ctx.output(backbones, () => backbonesText(backbones));
  },
};

const backboneCatalogue: CommandSpec = {
  name: 'backbone catalogue',
  summary: 'Backbones `backbone download NAME` can fetch (when online)',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'none',
  async run(ctx) {
    const entries = await ctx.client.call('backbones.catalogue', {});
    ctx.output(entries, () =>
      entries.length === 0
        ? 'The catalogue is empty; download with --name, --url and --sha256.'
        : table(
            ['Name', 'Format', 'URL'],
            entries.map((e) => [e.name, e.format, e.url]),
          ),
    );
  },
};

const backboneDownload: CommandSpec = {
  name: 'backbone download',
  args: '[NAME]',
  summary: 'Download and import a backbone (catalogue NAME, or --name --url --sha256)',
  details:
    'The file is verified against its sha256 before it is imported; nothing is kept otherwise.',
  positionals: { min: 0, max: 1 },
  options: {
    name: { type: 'string', value: 'NAME', description: 'name for a backbone given by --url' },
    url: { type: 'string', value: 'URL', description: 'where to download it from' },
    sha256: { type: 'string', value: 'HEX', description: 'its expected sha256 (64 hex digits)' },
  },
  library: 'open',
  async run(ctx) {
    const positional = ctx.positionals[0];
    const named = stringOption(ctx, 'name');
    const url = stringOption(ctx, 'url');
    const sha256 = stringOption(ctx, 'sha256');
    if (positional !== undefined && named !== undefined) {
      throw new UsageError('Give the name once: `backbone download NAME` or --name NAME.');
    }
    const name = positional ?? named;
    if (name === undefined) {
      throw new UsageError(
        'backbone download needs a catalogue NAME, or --name NAME --url URL --sha256 HEX.',
      );
    }
    if ((url === undefined) !== (sha256 === undefined)) {
      throw new UsageError('Give --url and --sha256 together (the download is verified).');
    }
    const backbone = await runCancellableJob(
      ctx,
      'backbones.download',
      { name, url: url ?? null, sha256: sha256 ?? null },
      { what: 'download', label: 'download' },
    );
    ctx.output(backbone, () => backboneText('Downloaded and imported', backbone));
  },
};

const backboneRemove: CommandSpec = {
  name: 'backbone remove',
  args: 'NAME',
  summary: 'Remove an imported backbone',
  positionals: { min: 1, max: 1 },
  options: {},
  library: 'open',
  async run(ctx) {
    const result = await ctx.client.call('backbones.remove', { name: ctx.positionals[0] ?? '' });
    ctx.output(result, () => `Removed backbone ${result.removed}.`);
  },
};

function featuresText(r: FeatureJobResult): string {
  return [
    `Features of ${plural(r.images, 'image')} with ${r.backbone} (${plural(r.views, 'view')} per training image):`,
    `${r.computed} computed, ${r.cached} already cached, in ${seconds(r.durationMs)}.`,
  ].join('\n');
}

const featureParams = paramsShape(mlMethods['features.start'].params);

const features: CommandSpec = {
  name: 'features',
  summary: 'Cache the backbone features of the labeled images',
  details: 'Runs on all cores in ML host processes; Ctrl-C cancels and keeps what is cached.',
  positionals: { min: 0, max: 0 },
  options: {
    backbone: paramOption(featureParams.backbone, { value: 'NAME', description: 'backbone' }),
    views: paramOption(featureParams.views, {
      value: 'N',
      description: 'augmented views per training image',
    }),
  },
  library: 'open',
  async run(ctx) {
    const params = defined({
      backbone: stringOption(ctx, 'backbone'),
      views: numberOption(ctx, 'views'),
    });
    const result = await runCancellableJob(ctx, 'features.start', params, {
      what: 'feature extraction',
      label: 'features',
    });
    ctx.output(result, () => featuresText(result));
  },
};

const modelsList: CommandSpec = {
  name: 'models list',
  aliases: ['models'],
  summary: 'List the trained models',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'open',
  async run(ctx) {
    const models = await ctx.client.call('models.list', {});
    ctx.output(models, () => modelsText(models));
  },
};

const modelsExport: CommandSpec = {
  name: 'models export',
  args: 'ID FILE',
  summary: 'Write a model to one portable .lpmodel file',
  positionals: { min: 2, max: 2 },
  options: {},
  library: 'open',
  async run(ctx) {
    const [modelId = '', file = ''] = ctx.positionals;
    const result = await ctx.client.call('models.export', {
      modelId,
      path: resolve(ctx.io.cwd, file),
    });
    ctx.output(result, () => `Wrote model ${modelId} to ${result.path} (${result.bytes} bytes).`);
  },
};

const modelsImport: CommandSpec = {
  name: 'models import',
  args: 'FILE',
  summary: 'Add a model from a .lpmodel file (checked before use)',
  positionals: { min: 1, max: 1 },
  options: { name: { type: 'string', value: 'NAME', description: 'rename it' } },
  library: 'open',
  async run(ctx) {
    const model = await ctx.client.call('models.import', {
      path: resolve(ctx.io.cwd, ctx.positionals[0] ?? ''),
      name: stringOption(ctx, 'name') ?? null,
    });
    ctx.output(
      model,
      () =>
        `Imported model ${model.id} ("${model.name}", ${model.classes.length} cities, ${model.backbone}, accuracy ${pct(model.accuracy)}).`,
    );
  },
};

const modelsRemove: CommandSpec = {
  name: 'models remove',
  args: 'ID',
  summary: 'Delete a trained model',
  positionals: { min: 1, max: 1 },
  options: {},
  library: 'open',
  async run(ctx) {
    const result = await ctx.client.call('models.remove', { modelId: ctx.positionals[0] ?? '' });
    ctx.output(result, () => `Removed model ${result.removed}.`);
  },
};

const modelsUnknown: CommandSpec = {
  name: 'models unknown',
  args: 'ID',
  summary: 'When a model answers "unknown" (none of its cities)',
  details:
    "Prints the model's open-set threshold. --keep RATE (0.5-1) sets it so that that share of the\nvalidation photos keep their city; --reset goes back to the default fitted at training (0.95).\nStored predictions and geolocation batches follow the new threshold at once.",
  positionals: { min: 1, max: 1 },
  options: {
    keep: { type: 'number', value: 'RATE', description: 'share of validation photos kept (0.5-1)' },
    reset: { type: 'boolean', description: 'back to the threshold fitted at training' },
  },
  library: 'open',
  async run(ctx) {
    const modelId = ctx.positionals[0] ?? '';
    const keep = numberOption(ctx, 'keep');
    const reset = flag(ctx, 'reset');
    if (keep !== undefined && reset) throw new UsageError('Give --keep or --reset, not both.');
    const model =
      keep === undefined && !reset
        ? await ctx.client.call('models.get', { modelId })
        : await ctx.client.call('models.setUnknown', { modelId, keepRate: reset ? null : keep! });
    const o = model.openSet;
    ctx.output({ modelId: model.id, openSet: o }, () =>
      o === null
        ? `Model ${model.id} was trained before open-set statistics: it never answers unknown.`
        : `Model ${model.id}: unknown above ${o.threshold.toFixed(4)} (keeps ${(100 * o.keepRate).toFixed(1)}% of its ${o.fittedOn === 'val' ? 'validation' : 'training'} photos${o.custom ? `; default ${o.defaultThreshold.toFixed(4)}` : ', the default'}); temperature ${o.temperature.toFixed(3)}.`,
    );
  },
};

const runsList: CommandSpec = {
  name: 'runs list',
  aliases: ['runs'],
  summary: 'List training runs with their epochs and backend',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'open',
  async run(ctx) {
    const runs = await ctx.client.call('runs.list', {});
    ctx.output(runs, () => runsText(runs));
  },
};

const mlInfo: CommandSpec = {
  name: 'ml info',
  summary: 'The TensorFlow.js backend in use, and why',
  positionals: { min: 0, max: 0 },
  options: {},
  library: 'none',
  async run(ctx) {
    const info = await ctx.client.call('ml.info', {});
    ctx.output(info, () => backendText(info.backend, info.hostPid));
  },
};

/** The ML commands, in help order (spread into COMMANDS in commands.ts). */
export const ML_COMMANDS: readonly CommandSpec[] = [
  backboneImport,
  backboneList,
  backboneCatalogue,
  backboneDownload,
  backboneRemove,
  features,
  ...ML_TRAIN_COMMANDS,
  modelsList,
  modelsExport,
  modelsImport,
  modelsRemove,
  modelsUnknown,
  runsList,
  mlInfo,
];
