// `label`, `suggest` and `suspects`: the labeling queues from scripts (issue #15's CLI contract).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LabelStrategy } from '../../shared/contract/label-queue-types';
import { UsageError } from './args';
import type { CommandSpec } from './command';
import {
  choiceOption,
  defined,
  flag,
  numberOption,
  runCancellableJob,
  stringOption,
} from './ml-job';
import { labelQueueMethods } from '../../shared/contract/label-queue-methods';
import { paramsShape } from '../../shared/contract/param-info';
import { defaultMark, paramOption } from './param-option';

const STRATEGIES: Record<LabelStrategy, LabelStrategy> = {
  margin: 'margin',
  entropy: 'entropy',
  diverse: 'diverse',
  hybrid: 'hybrid',
  random: 'random',
};

const LABEL: CommandSpec = {
  name: 'label',
  args: 'PATH...',
  summary: 'Label photos the library holds (or clear their labels)',
  details:
    "Sets the city of each photo (a person's label), or with --clear removes it. Paths must be in\nthe library already; one that is not changes nothing and exits 2.",
  positionals: { min: 1, max: 100_000 },
  options: {
    city: { type: 'string', value: 'NAME', description: 'the city (a library city)' },
    clear: { type: 'boolean', description: 'remove the labels instead' },
  },
  library: 'open',
  async run(ctx) {
    const city = stringOption(ctx, 'city');
    const clear = flag(ctx, 'clear');
    if ((city === undefined) === !clear)
      throw new UsageError('Give --city NAME or --clear (one of them).');
    const result = await ctx.client.call('labels.setByPath', {
      paths: ctx.positionals.map((p) => resolve(ctx.io.cwd, p)),
      city: clear ? null : (city ?? null),
    });
    ctx.output(
      result,
      () =>
        `${clear ? 'Cleared' : `Labelled ${city ?? ''}:`} ${result.updated} photo${result.updated === 1 ? '' : 's'} changed.`,
    );
  },
};

const suggestParams = paramsShape(labelQueueMethods['queue.suggest'].params);
const suspectParams = paramsShape(labelQueueMethods['suspects.start'].params);

const mark = (strategy: LabelStrategy): string => defaultMark(suggestParams.strategy, strategy);

const SUGGEST: CommandSpec = {
  name: 'suggest',
  summary: 'The photos without a human label most worth labeling next',
  details: [
    'Prints [{imageId, path, score}] most useful first, ranked from cached features (computed',
    `first where missing) and the model's head. margin${mark('margin')} / entropy${mark('entropy')}: the least sure photos; diverse${mark('diverse')}:`,
    `spread over the feature space; hybrid${mark('hybrid')}: the least sure, spread; random${mark('random')}: seeded control.`,
  ].join('\n'),
  positionals: { min: 0, max: 0 },
  options: {
    model: {
      type: 'string',
      value: 'ID',
      description: 'the model whose head ranks',
      required: true,
    },
    n: paramOption(suggestParams.n, { value: 'N', description: 'how many photos' }),
    strategy: paramOption(suggestParams.strategy, {
      value: 'margin|entropy|diverse|hybrid|random',
      description: 'how to rank',
    }),
    seed: paramOption(suggestParams.seed, {
      value: 'S',
      description: 'seed of random and of the projection',
    }),
  },
  library: 'open',
  async run(ctx) {
    const result = await runCancellableJob(
      ctx,
      'queue.suggest',
      {
        modelId: stringOption(ctx, 'model') ?? '',
        ...defined({
          n: numberOption(ctx, 'n'),
          strategy: choiceOption(ctx, 'strategy', STRATEGIES),
          seed: numberOption(ctx, 'seed'),
        }),
      },
      { what: 'ranking', label: 'suggest' },
    );
    if (result.uncached > 0)
      ctx.log(`littleplanet: ${result.uncached} photos left out (no features).`);
    const rows = result.items.map((i) => ({ imageId: i.imageId, path: i.path, score: i.score }));
    ctx.output(rows, () =>
      rows.length === 0
        ? 'No photo without a human label.'
        : rows.map((r) => `${r.score.toFixed(3)}  ${r.path}`).join('\n'),
    );
  },
};

const SUSPECTS: CommandSpec = {
  name: 'suspects',
  summary: 'Labelled photos that are probably mislabelled, most suspect first',
  details:
    "Prints [{imageId, path, label, suggested, score}]: k-fold heads on cached features judge each\nphoto without having trained on it; a photo is suspect when another city clears that city's own\nthreshold and beats the label (confident learning). score = p(suggested) − p(label).",
  positionals: { min: 0, max: 0 },
  options: {
    model: {
      type: 'string',
      value: 'ID',
      description: 'the model whose cities to judge',
      required: true,
    },
    folds: paramOption(suspectParams.folds, { value: 'K', description: 'folds' }),
    seed: paramOption(suspectParams.seed, { value: 'S', description: 'fold seed' }),
  },
  library: 'open',
  async run(ctx) {
    const result = await runCancellableJob(
      ctx,
      'suspects.start',
      {
        modelId: stringOption(ctx, 'model') ?? '',
        ...defined({ folds: numberOption(ctx, 'folds'), seed: numberOption(ctx, 'seed') }),
      },
      { what: 'suspect search', label: 'suspects' },
    );
    const rows = result.items.map((i) => ({
      imageId: i.imageId,
      path: i.path,
      label: i.label,
      suggested: i.suggested,
      score: i.score,
    }));
    for (const c of result.perCity) {
      if (c.suspect > 0) ctx.log(`littleplanet: ${c.city}: ${c.suspect} of ${c.labelled} suspect`);
    }
    ctx.output(rows, () =>
      rows.length === 0
        ? `No suspect among ${result.judged} labelled photos.`
        : rows
            .map((r) => `${r.score.toFixed(3)}  ${r.label} → ${r.suggested}  ${r.path}`)
            .join('\n'),
    );
  },
};

const LABELS_EXPORT: CommandSpec = {
  name: 'labels export',
  summary: 'Every label as CSV, with who gave it (source) and the exclusion flag',
  details:
    'Prints (or writes to --out) path,city,source,labelled_at,excluded for every labelled photo;\nsource "queue" marks labels given in the labeling queues. The file imports back as a manifest.',
  positionals: { min: 0, max: 0 },
  options: { out: { type: 'string', value: 'FILE', description: 'write the CSV here' } },
  library: 'open',
  async run(ctx) {
    const result = await ctx.client.call('labels.export', {});
    const out = stringOption(ctx, 'out');
    if (out !== undefined) writeFileSync(resolve(ctx.io.cwd, out), result.csv);
    ctx.output({ rows: result.rows, ...(out === undefined ? { csv: result.csv } : { out }) }, () =>
      out === undefined ? result.csv.trimEnd() : `Wrote ${result.rows} labels to ${out}.`,
    );
  },
};

export const LABELING_COMMANDS: readonly CommandSpec[] = [LABEL, SUGGEST, SUSPECTS, LABELS_EXPORT];
