// `study create | import | results`: human-vs-model studies from scripts (issue #7).
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { JobInfo } from '../../shared/contract/job-types';
import type { StudyResults } from '../../shared/contract/study-types';
import type { CommandContext, CommandSpec } from './command';
import { choiceOption, defined, flag, numberOption, stringOption } from './ml-job';
import { DEFAULT_STUDY_ROUNDS, studyMethods } from '../../shared/contract/study-methods';
import { paramDefault, paramsShape } from '../../shared/contract/param-info';
import { defaultMark, paramOption } from './param-option';

const SPLIT_CHOICES = { train: 'train', val: 'val', test: 'test' } as const;
const REVEAL_CHOICES = { reveal: 'reveal', pure: 'pure' } as const;

function requiredId(ctx: CommandContext): number {
  return numberOption(ctx, 'id') ?? 0;
}

/** One imported image path per line (blank lines and # comments skipped), resolved like import. */
async function readImageList(ctx: CommandContext, file: string): Promise<string[]> {
  const path = resolve(ctx.io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('IO_ERROR', `Cannot read ${path}: ${(error as Error).message}`, { path });
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => (isAbsolute(line) ? line : resolve(ctx.io.cwd, line)));
}

/**
 * Waits for a job the core started on its own (study.create's predict job): the CLI's in-process
 * core would cancel it on exit. Resolves with its final state.
 */
function waitForJob(ctx: CommandContext, jobId: string): Promise<JobInfo> {
  return new Promise((resolvePromise, reject) => {
    const finished = (): void => {
      unsubscribe();
      ctx.client.call('jobs.get', { jobId }).then(resolvePromise, reject);
    };
    const unsubscribe = ctx.client.subscribe((event) => {
      if (event.channel !== 'job' || event.payload.jobId !== jobId) return;
      const type = event.payload.type;
      if (type === 'done' || type === 'failed' || type === 'cancelled') finished();
    });
    // It may have ended before we subscribed.
    ctx.client.call('jobs.get', { jobId }).then((info) => {
      if (!['queued', 'running'].includes(info.status)) finished();
    }, reject);
  });
}

const createParams = paramsShape(studyMethods['study.create'].params);

const STUDY_CREATE: CommandSpec = {
  name: 'study create',
  summary: 'Create a human-vs-model study',
  details: `Prints {id, rounds, images, cities, warnings}. Photos come from a split (default ${paramDefault(createParams.split)}; never\nthe model's training photos) or, with --images, a fixed list every participant sees (one\nimported image path per line; photos the model was trained on are warned about on stderr).\nThe model's missing answers are predicted before the command returns.`,
  positionals: { min: 0, max: 0 },
  options: {
    name: { type: 'string', value: 'NAME', description: 'the study name', required: true },
    model: { type: 'string', value: 'ID', description: 'the model people are compared with' },
    // The contract's default is null (a fixed list shows all its photos); a split draws this many.
    rounds: paramOption(createParams.rounds, {
      value: 'N',
      description: `photos per participant (default ${DEFAULT_STUDY_ROUNDS})`,
    }),
    seed: paramOption(createParams.seed, { value: 'S', description: 'photo order seed' }),
    split: paramOption(createParams.split, { value: 'test|val|train', description: 'photo split' }),
    images: { type: 'string', value: 'FILE', description: 'fixed photo list, one path per line' },
    paired: {
      type: 'boolean',
      description: 'draw the rounds once (seeded): every participant sees the same photos',
    },
    reveal: {
      type: 'string',
      value: 'reveal|pure',
      description: `show truth and model after each guess${defaultMark(createParams.reveal, 'reveal')} or nothing until the end${defaultMark(createParams.reveal, 'pure')}`,
      param: createParams.reveal,
    },
    'time-limit': { type: 'int', value: 'MS', description: 'time limit per round' },
    consent: { type: 'string', value: 'TEXT', description: 'consent text participants accept' },
  },
  library: 'open',
  async run(ctx) {
    const images = stringOption(ctx, 'images');
    const study = await ctx.client.call('study.create', {
      name: stringOption(ctx, 'name') ?? '',
      ...defined({
        modelId: stringOption(ctx, 'model'),
        rounds: numberOption(ctx, 'rounds'),
        seed: numberOption(ctx, 'seed'),
        paired: flag(ctx, 'paired') ? true : undefined,
        split: choiceOption(ctx, 'split', SPLIT_CHOICES),
        reveal: choiceOption(ctx, 'reveal', REVEAL_CHOICES),
        timeLimitMs: numberOption(ctx, 'time-limit'),
        consentText: stringOption(ctx, 'consent'),
        imagePaths: images === undefined ? undefined : await readImageList(ctx, images),
      }),
    });
    for (const warning of study.warnings) ctx.log(`littleplanet: warning: ${warning}`);
    if (study.predictJobId !== null) {
      ctx.log(
        `littleplanet: predicting the model's answers for ${study.modelAnswersMissing} photos…`,
      );
      const job = await waitForJob(ctx, study.predictJobId);
      if (job.status !== 'done') {
        ctx.log(
          `littleplanet: warning: the predictions ${job.status}${job.error === null ? '' : `: ${job.error.message}`}; rounds wait for the model's answers`,
        );
      }
    }
    ctx.output(
      {
        id: study.id,
        rounds: study.rounds,
        images: study.images,
        cities: study.cities,
        warnings: study.warnings,
      },
      () =>
        `Study ${study.id} "${study.name}": ${study.rounds} rounds per participant from ${study.images} photos of ${study.cities.length} cities.`,
    );
  },
};

const STUDY_IMPORT: CommandSpec = {
  name: 'study import',
  args: 'FILE.csv',
  summary: 'Merge trials recorded elsewhere into a study',
  details:
    'Columns participant,image,guess,response_ms (+ optional confidence); image is a path as\nimported, guess a city name. Rows naming unknown photos or cities are rejected with their line\nnumbers (on stderr, and in --json output); the others are merged. Importing the same rows again\nchanges nothing. Exits 2 when no row could be used.',
  positionals: { min: 1, max: 1 },
  options: { id: { type: 'int', value: 'ID', description: 'the study', required: true } },
  library: 'open',
  async run(ctx) {
    const file = resolve(ctx.io.cwd, ctx.positionals[0] as string);
    const result = await ctx.client.call('study.import', { studyId: requiredId(ctx), path: file });
    for (const r of result.rejected) ctx.log(`littleplanet: line ${r.line} rejected: ${r.reason}`);
    if (result.merged + result.unchanged === 0) {
      throw new AppError(
        'BAD_ARGUMENT',
        `No row of ${file} could be merged (${result.rejected.length} rejected).`,
      );
    }
    ctx.output(
      result,
      () =>
        `Merged ${result.merged} trials (${result.unchanged} already there, ${result.rejected.length} rejected).`,
    );
  },
};

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

function resultsText(r: StudyResults): string {
  return [
    `${r.n} trials; humans ${pct(r.humanAccuracy)} (95% CI ${pct(r.humanCI[0])}–${pct(r.humanCI[1])})`,
    `model on the same ${r.paired} photos: ${pct(r.modelAccuracy)}`,
    `McNemar exact p = ${r.mcnemarP === null ? '—' : r.mcnemarP.toPrecision(3)}, Cohen's kappa = ${r.kappa === null ? '—' : r.kappa.toFixed(3)}`,
  ].join('\n');
}

const STUDY_RESULTS: CommandSpec = {
  name: 'study results',
  summary: 'Human vs model accuracy, intervals and paired tests of a study',
  details:
    'Prints {n, humanAccuracy, humanCI: [low, high] (Wilson 95%), modelAccuracy (same trials),\nmcnemarP (exact, two-sided), kappa (Cohen, human vs model)} and the per-participant, per-city,\nconfusion, by-round and response-time breakdowns.',
  positionals: { min: 0, max: 0 },
  options: { id: { type: 'int', value: 'ID', description: 'the study', required: true } },
  library: 'open',
  async run(ctx) {
    const results = await ctx.client.call('study.results', { studyId: requiredId(ctx) });
    ctx.output(results, () => resultsText(results));
  },
};

export const STUDY_COMMANDS: readonly CommandSpec[] = [STUDY_CREATE, STUDY_IMPORT, STUDY_RESULTS];
