// The labeling queues' jobs, core side: read the pools, make sure their features are cached,
// and have the ML host rank, retrain, run the random control or judge the labels.
import { AppError } from '../../../shared/contract/errors';
import type {
  CityGuess,
  ControlCurve,
  CurvePoint,
  LabelStrategy,
  SuggestResult,
  SuspectsResult,
} from '../../../shared/contract/label-queue-types';
import { loadModelBundle } from '../../platform/model-bundle/bundle';
import type { BackboneMeta } from '../../platform/backbone-meta';
import type { ClassGuess, FeatureSource, LabelledRef } from '../../ml-host/labeling/host-op-types';
import type { HeadState } from '../../platform/model-bundle/weights';
import type { JobContext } from '../jobs/job-manager';
import { mlPaths } from '../ml-jobs/ml-paths';
import { modelDirOf, modelRecord, type ModelRecord } from '../ml-jobs/models-repo';
import { sqlOf, type Sql } from '../db/sql';
import {
  keptWithCurrentLabel,
  labelledPool,
  queueCandidates,
  type LabelledImage,
} from './label-pool';
import type { Session } from './label-sessions';
import type { LabelingCore, LabelingMl } from './labeling-core';

/** Top cities shown per photo. */
const TOP_K = 5;

type Context = { core: LabelingCore; ml: LabelingMl; model: ModelRecord; sql: Sql };

export function modelContext(core: LabelingCore, ml: LabelingMl, modelId: string): Context {
  const sql = sqlOf(core.db());
  return { core, ml, model: modelRecord(sql, modelId), sql };
}

function source(ctx: Context, meta: BackboneMeta): FeatureSource {
  return {
    dbPath: mlPaths(ctx.core.db()).dbPath,
    backbone: { name: meta.name, sha256: meta.sha256 },
    dim: meta.featureDim,
  };
}

const guesses = (classes: readonly string[], top: readonly ClassGuess[]): CityGuess[] =>
  top.map((g) => ({ city: classes[g.classIndex] as string, probability: g.p }));

function labelled(pool: readonly LabelledImage[], classes: readonly string[]): LabelledRef[] {
  const index = new Map(classes.map((c, i) => [c.toLowerCase(), i]));
  return pool.map((i) => ({
    imageId: i.id,
    contentHash: i.contentHash,
    label: index.get(i.city.toLowerCase()) as number,
  }));
}

/** Training and validation photos of the session head: the train (or no) split, and val. */
function trainVal(pool: readonly LabelledImage[]): {
  train: LabelledImage[];
  val: LabelledImage[];
} {
  return {
    train: pool.filter((i) => i.split !== 'val' && i.split !== 'test'),
    val: pool.filter((i) => i.split === 'val'),
  };
}

function requireTwoCities(ctx: Context, train: readonly LabelledRef[]): void {
  if (new Set(train.map((t) => t.label)).size < 2) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Retraining needs labelled training photos of at least two of the model's cities (${ctx.model.meta.classes.join(', ')}).`,
    );
  }
}

/** Retrains the session head on every current label (see recordCurvePoint). */
export async function retrainHead(
  ctx: Context,
  seed: number,
  job: JobContext,
): Promise<{ head: HeadState; point: CurvePoint }> {
  const classes = ctx.model.meta.classes;
  const pool = labelledPool(ctx.sql, classes);
  const { meta } = await ctx.ml.ensureFeatures(ctx.model.meta.backbone.name, pool, job);
  const { train, val } = trainVal(pool);
  const trainRefs = labelled(train, classes);
  requireTwoCities(ctx, trainRefs);
  const result = await ctx.ml.run(
    'label.train',
    {
      ...source(ctx, meta),
      train: trainRefs,
      val: labelled(val, classes),
      numClasses: classes.length,
      seed,
    },
    job,
  );
  const point: CurvePoint = {
    labels: result.trainCount,
    valAccuracy: result.valAccuracy,
    valCount: result.valCount,
    at: new Date().toISOString(),
  };
  return { head: result.head, point };
}

/**
 * The head that ranks: the session's retrained one, else the model's own when the cached
 * features are its input (a stage-1 model on today's backbone), else one trained now.
 */
async function rankingHead(
  ctx: Context,
  session: Session,
  meta: BackboneMeta,
  job: JobContext,
): Promise<{ head: HeadState; kind: 'model' | 'session' }> {
  if (session.head !== null) return { head: session.head, kind: 'session' };
  const m = ctx.model.meta;
  if (
    !m.hasUpper &&
    m.backbone.sha256 === meta.sha256 &&
    m.backbone.featureDim === meta.featureDim
  ) {
    const bundle = await loadModelBundle(modelDirOf(mlPaths(ctx.core.db()), ctx.model));
    return { head: bundle.head, kind: 'model' };
  }
  job.log(
    'info',
    'The model was fine-tuned past the cached features: training a head on them first.',
  );
  return { head: (await retrainHead(ctx, 1, job)).head, kind: 'session' };
}

export async function runSuggest(
  ctx: Context,
  session: Session,
  params: { n: number; strategy: LabelStrategy; seed: number },
  job: JobContext,
): Promise<SuggestResult> {
  const classes = ctx.model.meta.classes;
  const candidates = queueCandidates(ctx.sql);
  const pool = labelledPool(ctx.sql, classes);
  const { meta, failed } = await ctx.ml.ensureFeatures(
    ctx.model.meta.backbone.name,
    [...candidates, ...pool],
    job,
  );
  const { head, kind } = await rankingHead(ctx, session, meta, job);
  if (head.config.numClasses !== classes.length) {
    throw new AppError(
      'MODEL_INVALID',
      `The head has ${head.config.numClasses} outputs for ${classes.length} cities.`,
    );
  }
  const ranked = await ctx.ml.run(
    'label.rank',
    {
      ...source(ctx, meta),
      head,
      candidates: candidates.map((c) => ({ imageId: c.id, contentHash: c.contentHash })),
      labelled: pool.map((c) => ({ imageId: c.id, contentHash: c.contentHash })),
      strategy: params.strategy,
      n: params.n,
      seed: params.seed,
      topK: Math.min(TOP_K, classes.length),
    },
    job,
  );
  const paths = new Map(candidates.map((c) => [c.id, c.path]));
  return {
    modelId: ctx.model.id,
    strategy: params.strategy,
    seed: params.seed,
    head: kind,
    items: ranked.items.map((r) => ({
      imageId: r.imageId,
      path: paths.get(r.imageId) ?? '',
      score: r.score,
      top: guesses(classes, r.top),
    })),
    candidates: candidates.length,
    uncached: Math.max(failed, ranked.missing.length),
  };
}

/** Keeps a landed retrain's validation accuracy on the model's learning curve. */
export function recordCurvePoint(sql: Sql, modelId: string, point: CurvePoint): void {
  sql.run(
    'INSERT INTO label_curve (model_id, labels, val_accuracy, val_count, created_at) VALUES (?, ?, ?, ?, ?)',
    [modelId, point.labels, point.valAccuracy, point.valCount, point.at],
  );
}

export function curveOf(sql: Sql, modelId: string): CurvePoint[] {
  return sql
    .all<{ labels: number; val_accuracy: number | null; val_count: number; created_at: string }>(
      'SELECT labels, val_accuracy, val_count, created_at FROM label_curve WHERE model_id = ? ORDER BY id',
      [modelId],
    )
    .map((r) => ({
      labels: r.labels,
      valAccuracy: r.val_accuracy,
      valCount: r.val_count,
      at: r.created_at,
    }));
}

export async function runControl(
  ctx: Context,
  seed: number,
  job: JobContext,
): Promise<ControlCurve> {
  const classes = ctx.model.meta.classes;
  const pool = labelledPool(ctx.sql, classes);
  const { meta } = await ctx.ml.ensureFeatures(ctx.model.meta.backbone.name, pool, job);
  const { train, val } = trainVal(pool);
  const trainRefs = labelled(train, classes);
  requireTwoCities(ctx, trainRefs);
  const sizes = [...new Set(curveOf(ctx.sql, ctx.model.id).map((p) => p.labels))].sort(
    (a, b) => a - b,
  );
  const result = await ctx.ml.run(
    'label.control',
    {
      ...source(ctx, meta),
      train: trainRefs,
      val: labelled(val, classes),
      numClasses: classes.length,
      sizes: sizes.length > 0 ? sizes : [trainRefs.length],
      seed,
    },
    job,
  );
  return { modelId: ctx.model.id, seed, points: result.points };
}

export async function runSuspects(
  ctx: Context,
  params: { folds: number; seed: number },
  job: JobContext,
): Promise<SuspectsResult> {
  const classes = ctx.model.meta.classes;
  const pool = labelledPool(ctx.sql, classes);
  const { meta } = await ctx.ml.ensureFeatures(ctx.model.meta.backbone.name, pool, job);
  const refs = labelled(pool, classes);
  requireTwoCities(ctx, refs);
  const result = await ctx.ml.run(
    'label.suspects',
    {
      ...source(ctx, meta),
      items: refs,
      numClasses: classes.length,
      folds: params.folds,
      seed: params.seed,
      topK: Math.min(TOP_K, classes.length),
    },
    job,
  );
  const byId = new Map(pool.map((i) => [i.id, i]));
  const kept = keptWithCurrentLabel(ctx.sql);
  const missing = new Set(result.missing);
  const suspects = result.suspects.filter((s) => !kept.has(s.imageId));
  const perCity = classes.map((city, c) => ({
    city,
    labelled: refs.filter((r) => r.label === c && !missing.has(r.imageId)).length,
    suspect: suspects.filter((s) => s.label === c).length,
  }));
  return {
    modelId: ctx.model.id,
    folds: params.folds,
    items: suspects.map((s) => ({
      imageId: s.imageId,
      path: byId.get(s.imageId)?.path ?? '',
      label: classes[s.label] as string,
      suggested: classes[s.suggested] as string,
      score: s.score,
      labelProbability: s.labelProbability,
      top: guesses(classes, s.top),
    })),
    perCity,
    judged: result.judged,
  };
}
