// Evaluation and prediction jobs, core side: pick the images (a split of the library, an external
// set, ids and files), let the ML host run the model, store what comes back.
import { AppError } from '../../../shared/contract/errors';
import type {
  Calibration,
  EvaluationOpenSet,
  ImagePrediction,
  PredictJobResult,
  StoredEvaluation,
} from '../../../shared/contract/ml-types';
import {
  auroc,
  coverageCurve,
  flaggedShare,
  fprAt95,
  isUnknown,
} from '../../../shared/domain/open-set';
import type { ParamsOut } from '../../../shared/contract/methods';
import { PAPER_CITIES } from '../../../shared/domain/cities';
import type { LatLon } from '../../../shared/domain/geo';
import { geoErrorReport } from '../../../shared/domain/geo-errors';
import type { EvaluateRunResult, InferItem } from '../../ml-host/pipeline/types';

type EvaluateItem = EvaluateRunResult['items'][number];
import type { JobContext } from '../jobs/job-manager';
import { sqlOf, type Sql } from '../db/sql';
import { listCities } from '../repo/cities';
import { readSettings } from '../repo/settings';
import { imagesById, labeledImages } from './dataset';
import { externalItems, predictionFiles, type Skipped } from './external-set';
import type { MlCore } from './ml-core';
import type { MlHosts } from './ml-hosts';
import { fileItem, libraryItem, mlPaths, type MlPaths } from './ml-paths';
import {
  insertEvaluation,
  insertEvaluationItems,
  modelDirOf,
  modelRecord,
  storePredictions,
  type ModelRecord,
} from './models-repo';

/** What the host's model.evaluate and model.predict ops both need. */
function modelRunParams(
  paths: MlPaths,
  sql: ReturnType<typeof sqlOf>,
  model: ModelRecord,
  items: InferItem[],
  tta: ParamsOut<'predict.start'>['tta'],
) {
  return {
    dbPath: paths.dbPath,
    backbonesRoot: paths.backbonesRoot,
    modelDir: modelDirOf(paths, model),
    items,
    tta,
    maxImagePixels: readSettings(sql).maxImagePixels,
  };
}

export function startEvaluate(
  core: MlCore,
  hosts: MlHosts,
  params: ParamsOut<'evaluate.start'>,
): string {
  const model = modelRecord(sqlOf(core.db()), params.modelId);
  return core.startJob('evaluate', params, (ctx) => runEvaluate(core, hosts, model, params, ctx));
}

async function runEvaluate(
  core: MlCore,
  hosts: MlHosts,
  model: ModelRecord,
  params: ParamsOut<'evaluate.start'>,
  ctx: JobContext,
): Promise<StoredEvaluation> {
  const db = core.db();
  const sql = sqlOf(db);
  const paths = mlPaths(db);
  const classes = model.meta.classes;
  let items: InferItem[];
  let skipped: Skipped[];
  let dataset: string;
  let sources: string[];
  if (params.external === null) {
    dataset = params.split;
    sources = [];
    const index = new Map(classes.map((c, i) => [c, i]));
    const images = labeledImages(sql).filter((i) => i.split === params.split);
    skipped = images
      .filter((i) => !index.has(i.city))
      .map((i) => ({
        path: i.path,
        reason: `labelled ${i.city}, which is not one of the model's cities`,
      }));
    items = images
      .filter((i) => index.has(i.city))
      .map((i) => libraryItem(paths, { ...i, imageId: i.id }, index.get(i.city)!));
  } else {
    dataset = 'external';
    sources = [
      ...params.external.paths,
      ...(params.external.csv === null ? [] : [params.external.csv]),
    ];
    if (sources.length === 0) {
      throw new AppError(
        'BAD_ARGUMENT',
        'An external evaluation needs at least one folder or a CSV manifest.',
      );
    }
    ctx.progress(0, 0, 'Looking for photos…');
    ({ items, skipped } = await externalItems(
      sql,
      params.external,
      classes,
      () => ctx.signal.aborted,
    ));
  }
  if (ctx.signal.aborted) throw new AppError('CANCELLED', 'The evaluation was cancelled.');
  if (items.length === 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      dataset === 'external'
        ? `No usable labelled image in ${sources.join(', ')} (${skipped.length} files skipped${skipped[0] ? `, e.g. ${skipped[0].path}: ${skipped[0].reason}` : ''}).`
        : `The ${dataset} split has no images of the model's cities; assign splits first.`,
      { skipped: skipped.slice(0, 20) },
    );
  }
  const result = await hosts.run(
    'model.evaluate',
    { ...modelRunParams(paths, sql, model, items, params.tta), priorCounts: model.trainCounts },
    ctx,
  );
  const outside =
    params.outside === null
      ? null
      : await scoreOutsideSet(hosts, paths, sql, model, params.outside.paths, params.tta, ctx);
  const openSet = evaluationOpenSet(model, result, items, outside);
  // Each evaluated photo's answer: for the distances, and stored with the report.
  const answered = result.items.map((r) => {
    const item = items[r.index] as InferItem;
    return {
      imageId: item.imageId,
      path: item.display,
      trueIndex: item.label as number,
      predictedIndex: r.predicted,
      probability: r.probability,
    };
  });
  const geo = geoErrorReport(classes, classCentres(sql, classes), answered);
  // The report and its per-photo answers are one write: a crash never leaves one without the other.
  const stored = sql.transaction(() => {
    const evaluation = insertEvaluation(sql, {
      modelId: model.id,
      dataset,
      sources,
      tta: params.tta,
      report: { ...result.report, geo },
      skipped: [...skipped, ...result.skipped],
      openSet,
      jobId: ctx.jobId,
    });
    insertEvaluationItems(sql, evaluation.id, answered);
    return evaluation;
  });
  core.notifyChanged('models');
  return stored;
}

type OutsideScores = { sources: string[]; scores: number[]; skipped: number };

/** oodScores of the photos in `folders` (none of the model's cities); nothing is stored. */
async function scoreOutsideSet(
  hosts: MlHosts,
  paths: MlPaths,
  sql: ReturnType<typeof sqlOf>,
  model: ModelRecord,
  folders: string[],
  tta: ParamsOut<'evaluate.start'>['tta'],
  ctx: JobContext,
): Promise<OutsideScores> {
  ctx.progress(0, 0, 'Looking for outside photos…');
  const scan = await predictionFiles(folders, () => ctx.signal.aborted);
  if (scan.files.length === 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `No photos in the outside set ${folders.join(', ')}${scan.errors[0] ? ` (${scan.errors[0].path}: ${scan.errors[0].reason})` : ''}.`,
    );
  }
  const items = scan.files.map((file) => fileItem(file));
  const result = await hosts.run(
    'model.predict',
    { ...modelRunParams(paths, sql, model, items, tta), k: 1 },
    ctx,
  );
  return {
    sources: folders,
    scores: result.predictions.flatMap((p) => (p.oodScore === null ? [] : [p.oodScore])),
    skipped: scan.errors.length + result.errors.length,
  };
}

/**
 * Calibration before temperature scaling, what the model's threshold keeps of the evaluated
 * photos, the coverage / accuracy curve and the outside set's figures. Null for models without
 * open-set statistics.
 */
function evaluationOpenSet(
  model: ModelRecord,
  result: { calibrationBefore: Calibration; items: EvaluateItem[] },
  items: InferItem[],
  outside: OutsideScores | null,
): EvaluationOpenSet | null {
  const threshold = model.unknownThreshold;
  const fitted = model.meta.openSet;
  if (threshold === null || fitted === undefined) return null;
  const scored = result.items.filter((i) => i.oodScore !== null);
  const scores = scored.map((i) => i.oodScore!);
  const correct = scored.map((i) => items[i.index]!.label === i.predicted);
  const keptIdx = scored.flatMap((i, n) => (isUnknown(i.oodScore, threshold) ? [] : [n]));
  const keptRight = keptIdx.filter((n) => correct[n]).length;
  return {
    temperature: fitted.temperature,
    calibrationBefore: result.calibrationBefore,
    threshold,
    kept: {
      coverage: scored.length === 0 ? 0 : keptIdx.length / scored.length,
      accuracy: keptIdx.length === 0 ? null : keptRight / keptIdx.length,
    },
    coverage: coverageCurve(scores, correct),
    outside:
      outside === null
        ? null
        : {
            sources: outside.sources,
            n: outside.scores.length,
            flagged: flaggedShare(outside.scores, threshold) ?? 0,
            auroc: auroc(scores, outside.scores),
            fprAt95: fprAt95(scores, outside.scores),
            skipped: outside.skipped,
          },
  };
}

/** Each class's centre: the library's city of that name, else the paper's, else unknown. */
function classCentres(sql: Sql, classes: readonly string[]): (LatLon | null)[] {
  const known = new Map<string, LatLon>(
    PAPER_CITIES.map((c) => [c.name, { lat: c.lat, lon: c.lon }]),
  );
  for (const c of listCities(sql)) known.set(c.name, { lat: c.lat, lon: c.lon });
  return classes.map((c) => known.get(c) ?? null);
}

export function startPredict(
  core: MlCore,
  hosts: MlHosts,
  params: ParamsOut<'predict.start'>,
): string {
  const model = modelRecord(sqlOf(core.db()), params.modelId);
  return core.startJob('predict', params, (ctx) => runPredict(core, hosts, model, params, ctx));
}

async function runPredict(
  core: MlCore,
  hosts: MlHosts,
  model: ModelRecord,
  params: ParamsOut<'predict.start'>,
  ctx: JobContext,
): Promise<PredictJobResult> {
  const db = core.db();
  const sql = sqlOf(db);
  const paths = mlPaths(db);
  const errors: Skipped[] = [];
  const items: InferItem[] = [];
  const found = imagesById(sql, params.imageIds);
  for (const id of params.imageIds) {
    const image = found.get(id);
    if (image === undefined) {
      errors.push({ path: `image ${id}`, reason: 'no image with this id in the library' });
      continue;
    }
    items.push(libraryItem(paths, { ...image, imageId: id }, null));
  }
  const scan = await predictionFiles(params.paths, () => ctx.signal.aborted);
  errors.push(...scan.errors);
  for (const file of scan.files) {
    items.push(fileItem(file));
  }
  if (items.length === 0) return { modelId: model.id, predictions: [], errors };
  const result = await hosts.run(
    'model.predict',
    { ...modelRunParams(paths, sql, model, items, params.tta), k: params.topK },
    ctx,
  );
  const predictions: ImagePrediction[] = result.predictions.map((p) => ({
    imageId: items[p.index]!.imageId,
    path: items[p.index]!.display,
    top: p.top,
    oodScore: p.oodScore,
    unknown: isUnknown(p.oodScore, model.unknownThreshold),
  }));
  storePredictions(sql, model.id, params.tta, ctx.jobId, predictions);
  return { modelId: model.id, predictions, errors: [...errors, ...result.errors] };
}
