// A training job, core side: resolve the settings (or those of the run being resumed), gather the
// train/val images, complete the feature cache, hand the run to the ML host, then register the
// model and the run. The host does all tensor work and writes checkpoints and the model bundle.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { TrainJobResult } from '../../../shared/contract/ml-types';
import { resolveHyperParams } from '../../../shared/contract/ml-methods';
import type { ParamsOut } from '../../../shared/contract/methods';
import { defaultSplitLayer } from '../../../shared/domain/stage2-cut';
import type { DatasetItem } from '../../ml-host/pipeline/types';
import type { JobContext } from '../jobs/job-manager';
import { ensureBackbone } from './bundled-backbone';
import { sqlOf } from '../db/sql';
import { countsOf, labeledImages, splitHash, trainingClasses } from './dataset';
import { AUGMENT_SEED, ensureFeatures } from './features-job';
import type { MlCore } from './ml-core';
import type { MlHosts } from './ml-hosts';
import { mlPaths, normFile } from './ml-paths';
import { insertModel } from './models-repo';
import {
  appendEpoch,
  finishRun,
  insertRun,
  runToResume,
  setRunData,
  type RunParams,
} from './runs-repo';

export type TrainParams = ParamsOut<'train.start'>;

/** A folder- and URL-safe model id: a slug of the name plus random hex. */
export function newModelId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'model'}-${randomBytes(4).toString('hex')}`;
}

function resolveRun(
  core: MlCore,
  params: TrainParams,
): {
  run: RunParams;
  runDir: string | null;
  resumedFrom: string | null;
} {
  if (params.resumeJobId === null) {
    return {
      run: {
        name: params.name,
        backbone: params.backbone,
        splitLayer: params.splitLayer,
        views: params.views,
        stage1: params.stage1,
        stage2: params.stage2,
      },
      runDir: null,
      resumedFrom: null,
    };
  }
  const previous = runToResume(sqlOf(core.db()), params.resumeJobId);
  if (previous.status === 'queued' || previous.status === 'running') {
    throw new AppError(
      'CONFLICT',
      `Training job ${params.resumeJobId} is still ${previous.status}; cancel it before resuming.`,
    );
  }
  // A resume continues the same run: its settings, its data, its checkpoints.
  return { run: previous.params, runDir: previous.runDir, resumedFrom: params.resumeJobId };
}

/** Starts a train job; unknown resume ids and running runs are refused before a job exists. */
export function startTrain(core: MlCore, hosts: MlHosts, params: TrainParams): string {
  const resolved = resolveRun(core, params);
  return core.startJob('train', params, (ctx) => runTrain(core, hosts, resolved, ctx));
}

async function runTrain(
  core: MlCore,
  hosts: MlHosts,
  resolved: ReturnType<typeof resolveRun>,
  ctx: JobContext,
): Promise<TrainJobResult> {
  const { run } = resolved;
  const db = core.db();
  const sql = sqlOf(db);
  const paths = mlPaths(db);
  const stage1 = resolveHyperParams(run.stage1, 1);
  const stage2 = run.stage2 === null ? null : resolveHyperParams(run.stage2, 2);
  const meta = await ensureBackbone(hosts, paths, run.backbone, ctx);

  const images = labeledImages(sql);
  const classes = trainingClasses(images);
  if (classes.length < 2) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Training needs labelled training images of at least two cities; this library has ${classes.length}. Import or label photos, then assign splits.`,
    );
  }
  const known = new Set(classes);
  let train = images.filter((i) => i.split === 'train');
  let val = images.filter((i) => i.split === 'val' && known.has(i.city));
  const unknownVal = images.filter((i) => i.split === 'val' && !known.has(i.city)).length;
  if (unknownVal > 0) {
    ctx.log(
      'warn',
      `${unknownVal} validation images are of cities without training images; left out.`,
    );
  }

  const runDir = resolved.runDir ?? join(paths.runsDir, ctx.jobId);
  insertRun(sql, { jobId: ctx.jobId, params: run, runDir, resumedFrom: resolved.resumedFrom });
  let epochs = 0;
  try {
    // Stage 2's cut, decided here so that the feature pass caches its block inputs too.
    const splitLayer =
      stage2 === null || meta.blockLayers.length === 0
        ? run.splitLayer
        : (run.splitLayer ?? defaultSplitLayer(meta, await hosts.backend()));
    const features = await ensureFeatures(
      hosts,
      sql,
      paths,
      meta,
      [...train, ...val],
      run.views,
      ctx,
      stage2 === null || splitLayer === null
        ? null
        : { layer: splitLayer, blocksDir: paths.blocksDir },
    );
    if (features.failed.length > 0) {
      const failed = new Set(features.failed.map((f) => f.imageId));
      train = train.filter((i) => !failed.has(i.id));
      val = val.filter((i) => !failed.has(i.id));
      ctx.log('warn', `${failed.size} images without features are left out of this run.`);
    }
    const counts = { train: countsOf(classes, train), val: countsOf(classes, val) };
    setRunData(sql, ctx.jobId, { classes, counts });
    ctx.log(
      'info',
      `Training ${classes.length} cities on ${train.length} images x ${run.views} views, validating on ${val.length}. ` +
        `Training images per city: ${classes.map((c, i) => `${c} ${counts.train[i]}`).join(', ')}; ` +
        `imbalance handling: ${stage1.imbalance}.`,
    );

    const label = new Map(classes.map((c, i) => [c, i]));
    const toItem = (i: (typeof images)[number]): DatasetItem => ({
      imageId: i.id,
      contentHash: i.contentHash,
      normPath: normFile(paths, i.contentHash),
      label: label.get(i.city)!,
    });
    const modelId = newModelId(run.name);
    const modelDir = join(paths.modelsDir, modelId);
    await mkdir(paths.modelsDir, { recursive: true });
    await mkdir(runDir, { recursive: true });

    const result = await hosts.run(
      'train.run',
      {
        dbPath: paths.dbPath,
        backbonesRoot: paths.backbonesRoot,
        backbone: { name: meta.name, sha256: meta.sha256 },
        blocksDir: paths.blocksDir,
        runDir,
        modelDir,
        resume: resolved.resumedFrom !== null,
        classes,
        train: train.map(toItem),
        val: val.map(toItem),
        views: run.views,
        augmentSeed: AUGMENT_SEED,
        stage1,
        stage2,
        splitLayer,
        splitHash: splitHash([...train, ...val].map((i) => ({ ...i, split: i.split ?? '' }))),
        createdAt: new Date().toISOString(),
      },
      {
        ...ctx,
        epoch: (metrics) => {
          epochs++;
          appendEpoch(sql, ctx.jobId, metrics);
          ctx.epoch(metrics);
        },
      },
    );
    insertModel(sql, {
      id: modelId,
      name: run.name,
      dir: relative(paths.dir, modelDir),
      meta: result.meta,
      trainCounts: counts.train,
      runJobId: ctx.jobId,
    });
    finishRun(sql, ctx.jobId, {
      backend: result.backend,
      epochs: result.history,
      summaries: result.summaries,
      modelId,
    });
    core.notifyChanged('models');
    const best = result.summaries.at(-1);
    ctx.log(
      result.cancelled ? 'warn' : 'info',
      `${result.cancelled ? 'Cancelled; saved' : 'Saved'} model ${modelId} (stage ${best?.stage ?? 1}, best epoch ${best?.bestEpoch ?? '-'}, ${best?.monitored ?? 'val'} accuracy ${best?.bestAccuracy?.toFixed(3) ?? '-'}).`,
    );
    return { modelId, summaries: result.summaries, validation: result.validation };
  } catch (error) {
    finishRun(sql, ctx.jobId, { backend: null, epochs: null, summaries: [], modelId: null });
    if (epochs > 0) {
      ctx.log(
        'warn',
        `The run stopped after ${epochs} epochs; resume it with resumeJobId ${ctx.jobId}.`,
      );
    }
    throw error;
  }
}
