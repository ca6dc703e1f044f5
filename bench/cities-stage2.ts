/**
 * The ml-cities harness's second table: what fine-tuning the backbone's top (stage 2) adds over
 * stage 1, trained the way the app trains — `train.start` through the contract on the library and
 * split the harness made — and measured with `evaluate.start` on the test split. Three recipes:
 * stage 1 alone (today's default), stage 2 cut at `Conv_1`, and stage 2 at the app's default cut
 * (splitLayer omitted: `expanded_conv_16_expand` on CPU backends).
 */
import type { Client } from '../src/shared/contract/client';
import type { JobEvent } from '../src/shared/contract/job-types';
import { STAGE2_DEFAULTS } from '../src/shared/contract/ml-methods';
import type { ParamsIn } from '../src/shared/contract/methods';
import type { TrainSummary } from '../src/shared/contract/ml-types';
import { wilson } from '../src/shared/domain/metrics';
import type { BenchTable } from './types';

export type Stage2Settings = {
  /** LP_BENCH_CITY_STAGE2=0 leaves the stage-2 table out (it trains three models per data set). */
  enabled: boolean;
  /** Stage-2 epochs at most (LP_BENCH_CITY_STAGE2_EPOCHS); the app's default otherwise. */
  epochs: number;
};

export function stage2Settings(env: NodeJS.ProcessEnv = process.env): Stage2Settings {
  const raw = env.LP_BENCH_CITY_STAGE2_EPOCHS;
  const epochs = raw === undefined ? STAGE2_DEFAULTS.epochs : Number(raw);
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error(`LP_BENCH_CITY_STAGE2_EPOCHS must be a positive whole number, not '${raw}'.`);
  }
  return { enabled: env.LP_BENCH_CITY_STAGE2 !== '0', epochs };
}

export type Recipe = {
  label: string;
  /** Whether stage 2 runs after stage 1. */
  stage2: boolean;
  /** The cut asked for; null lets the app choose (its default for the backend in use). */
  splitLayer: string | null;
};

export const STAGE2_RECIPES: readonly Recipe[] = [
  { label: 'stage 1 only (today’s default)', stage2: false, splitLayer: null },
  { label: 'stage 1 + stage 2, cut at Conv_1', stage2: true, splitLayer: 'Conv_1' },
  { label: 'stage 1 + stage 2, the app’s default cut', stage2: true, splitLayer: null },
];

type Stage2Row = {
  recipe: string;
  /** The stage-2 split layer the trained model reports (null: stage 1 only). */
  cut: string | null;
  val: number | null;
  test: number | null;
  testCi: string;
  tta: number | null;
  stage1Epochs: number;
  stage2Epochs: number;
  stage2Ms: number;
  jobMs: number;
};

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

function stageOf(summaries: readonly TrainSummary[], stage: 1 | 2): TrainSummary | undefined {
  return summaries.find((s) => s.stage === stage);
}

/** Echoes the job's log lines (feature pass, stage 2, early stops) so a long run shows progress. */
function logJob(label: string): (event: JobEvent) => void {
  return (event) => {
    if (event.type === 'log') console.log(`    [${label}] ${event.message}`);
  };
}

/** How the stage-2 table is made: one note for the whole section. */
export function stage2MethodNote(views: number, epochs: number): string {
  return `Stage-2 tables: each recipe is trained by \`train.start\` on the data set's split (${views} view(s) per training photo, the app's default hyper-parameters, stage 2 at most ${epochs} epoch(s)) and tested by \`evaluate.start\` on the test split (centre crop with its Wilson 95% interval, and 10-crop). "train job s" is the job's wall time, including the app's own feature pass (first recipe) and caching the cut's block inputs in that pass (stage-2 recipes); "stage-2 s" sums the stage-2 epochs.`;
}

/** What `train.start` is asked for: the app's defaults except views, the cut and stage-2 epochs. */
export function trainParamsFor(
  recipe: Recipe,
  views: number,
  stage2Epochs: number,
): ParamsIn<'train.start'> {
  return {
    name: `bench ${recipe.label}`,
    views,
    // Omitted rather than null, as a user who never chose a cut would leave it.
    ...(recipe.splitLayer === null ? {} : { splitLayer: recipe.splitLayer }),
    stage2: recipe.stage2 ? { epochs: stage2Epochs } : null,
  };
}

async function trainAndTest(
  client: Client,
  recipe: Recipe,
  views: number,
  stage2Epochs: number,
): Promise<Stage2Row> {
  const started = performance.now();
  const trained = await client.runJob(
    'train.start',
    trainParamsFor(recipe, views, stage2Epochs),
    logJob(recipe.label),
  );
  const jobMs = performance.now() - started;
  const { modelId } = trained;
  const detail = await client.call('models.get', { modelId });
  const centre = await client.runJob('evaluate.start', { modelId, split: 'test' });
  const multiCrop = await client.runJob('evaluate.start', {
    modelId,
    split: 'test',
    tta: 'multiCrop',
  });
  const hits = centre.report.accuracy;
  const ci = wilson(hits.successes, hits.trials);
  const stage2 = stageOf(trained.summaries, 2);
  return {
    recipe: recipe.label,
    cut: detail.meta.hasUpper ? detail.meta.backbone.splitLayer : null,
    val: trained.validation?.accuracy.value ?? null,
    test: ci.value,
    testCi: `${pct(ci.lo)} – ${pct(ci.hi)}`,
    tta: multiCrop.report.accuracy.value,
    stage1Epochs: stageOf(trained.summaries, 1)?.epochsRun ?? 0,
    stage2Epochs: stage2?.epochsRun ?? 0,
    stage2Ms: stage2?.epochMs.reduce((a, b) => a + b, 0) ?? 0,
    jobMs,
  };
}

/**
 * Trains the three recipes on the library's current split (train/val) with the app's default
 * hyper-parameters and `views` cached views per training photo, and tests each on the test split.
 */
export async function stage2Comparison(
  client: Client,
  label: string,
  views: number,
  stage2Epochs: number,
): Promise<{ notes: string[]; table: BenchTable }> {
  const rows: Stage2Row[] = [];
  for (const recipe of STAGE2_RECIPES) {
    console.log(`  ${recipe.label}: training through train.start…`);
    const row = await trainAndTest(client, recipe, views, stage2Epochs);
    rows.push(row);
    console.log(
      `  ${recipe.label}: cut ${row.cut ?? '-'}, val ${pct(row.val)}, test ${pct(row.test)}, job ${(row.jobMs / 1000).toFixed(1)} s`,
    );
  }
  const backend = (await client.call('ml.info', {})).backend;
  const summary = rows
    .map((r) => `${r.cut ?? 'stage 1 only'} val ${pct(r.val)}, test ${pct(r.test)}`)
    .join('; ');
  return {
    notes: [`${label}, stage 2 (ML host on ${backend.name}): ${summary}.`],
    table: {
      title: `${label}: stage 2: fine-tuning the backbone's top`,
      columns: [
        'recipe',
        'stage-2 cut (model)',
        'val acc',
        'test acc',
        'test 95% CI',
        'test, 10-crop TTA',
        'stage-1 epochs',
        'stage-2 epochs',
        'stage-2 s',
        'train job s',
      ],
      rows: rows.map((r) => [
        r.recipe,
        r.cut ?? '-',
        pct(r.val),
        pct(r.test),
        r.testCi,
        pct(r.tta),
        r.stage1Epochs,
        r.stage2Epochs,
        (r.stage2Ms / 1000).toFixed(1),
        (r.jobMs / 1000).toFixed(1),
      ]),
    },
  };
}
