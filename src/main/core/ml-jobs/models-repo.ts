import { isAbsolute, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type {
  EvaluationCellPhoto,
  EvaluationOpenSet,
  EvaluationReport,
  ImagePrediction,
  ModelBundleMeta,
  ModelDetail,
  ModelOpenSet,
  ModelSummary,
  StoredEvaluation,
} from '../../../shared/contract/ml-types';
import { keepRateForThreshold, thresholdForKeepRate } from '../../../shared/domain/open-set';
import type { Sql } from '../db/sql';

type ModelRow = {
  id: string;
  name: string;
  dir: string;
  backbone: string;
  meta_json: string;
  train_counts_json: string | null;
  run_job_id: string | null;
  created_at: string;
  unknown_threshold: number | null;
  test_report: string | null;
};

/** The model's "unknown" answer now: the user's threshold, else the one fitted at training. */
function openSetOf(meta: ModelBundleMeta, custom: number | null): ModelOpenSet | null {
  const fitted = meta.openSet;
  if (fitted === undefined) return null;
  const threshold = custom ?? fitted.threshold;
  return {
    threshold,
    defaultThreshold: fitted.threshold,
    keepRate: custom === null ? fitted.keepRate : keepRateForThreshold(fitted.quantiles, custom),
    custom: custom !== null,
    temperature: fitted.temperature,
    fittedOn: fitted.fittedOn,
  };
}

/** A model as the core uses it: the bundle folder (relative to the library) and its metadata. */
export type ModelRecord = {
  id: string;
  name: string;
  /** Relative to the library folder, e.g. 'models/<id>'. */
  dir: string;
  meta: ModelBundleMeta;
  /** Training images per class, for the majority-class baseline (null for imported models). */
  trainCounts: number[] | null;
  createdAt: string;
  /** Photos scoring above this are "unknown"; null for models without open-set statistics. */
  unknownThreshold: number | null;
};

const SELECT = `SELECT m.*,
  (SELECT e.report_json FROM evaluations e WHERE e.model_id = m.id AND e.dataset = 'test'
   ORDER BY e.id DESC LIMIT 1) AS test_report
  FROM models m`;

function toSummary(r: ModelRow): ModelDetail {
  const meta = JSON.parse(r.meta_json) as ModelBundleMeta;
  const test =
    r.test_report === null ? null : (JSON.parse(r.test_report) as EvaluationReport).accuracy.value;
  const val = meta.metrics?.accuracy.value ?? null;
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    classes: meta.classes,
    backbone: meta.backbone.name,
    fineTuned: meta.hasUpper,
    accuracy: test ?? val,
    accuracySplit: test !== null ? 'test' : val !== null ? 'val' : null,
    openSet: openSetOf(meta, r.unknown_threshold),
    meta,
  };
}

export function insertModel(
  sql: Sql,
  m: Omit<ModelRecord, 'createdAt' | 'unknownThreshold'> & { runJobId: string | null },
): void {
  sql.run(
    `INSERT INTO models (id, name, dir, backbone, meta_json, train_counts_json, run_job_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      m.id,
      m.name,
      m.dir,
      m.meta.backbone.name,
      JSON.stringify(m.meta),
      m.trainCounts === null ? null : JSON.stringify(m.trainCounts),
      m.runJobId,
      new Date().toISOString(),
    ],
  );
}

export function listModels(sql: Sql): ModelSummary[] {
  return sql.all<ModelRow>(`${SELECT} ORDER BY m.created_at DESC, m.rowid DESC`).map((r) => {
    const { meta: _meta, ...summary } = toSummary(r);
    return summary;
  });
}

function row(sql: Sql, id: string): ModelRow {
  const r = sql.get<ModelRow>(`${SELECT} WHERE m.id = ?`, [id]);
  if (r === undefined)
    throw new AppError('NOT_FOUND', `No model with id "${id}".`, { modelId: id });
  return r;
}

export function getModel(sql: Sql, id: string): ModelDetail {
  return toSummary(row(sql, id));
}

/** The model's bundle folder (stored relative to the library folder). */
export function modelDirOf(paths: { dir: string }, model: Pick<ModelRecord, 'dir'>): string {
  return isAbsolute(model.dir) ? model.dir : join(paths.dir, model.dir);
}

export function modelRecord(sql: Sql, id: string): ModelRecord {
  const r = row(sql, id);
  const meta = JSON.parse(r.meta_json) as ModelBundleMeta;
  return {
    id: r.id,
    name: r.name,
    dir: r.dir,
    meta,
    trainCounts:
      r.train_counts_json === null ? null : (JSON.parse(r.train_counts_json) as number[]),
    createdAt: r.created_at,
    unknownThreshold: openSetOf(meta, r.unknown_threshold)?.threshold ?? null,
  };
}

/**
 * Sets the share of the model's validation photos that keep their city (null: back to the
 * default fitted at training time). Stored predictions and the model's geolocation batches
 * answer by the new threshold at once.
 */
export function setUnknownKeepRate(sql: Sql, id: string, keepRate: number | null): ModelDetail {
  const meta = modelRecord(sql, id).meta;
  if (meta.openSet === undefined) {
    throw new AppError(
      'UNSUPPORTED',
      'This model was trained before the app fitted open-set statistics, so it cannot answer "unknown"; train it again.',
      { modelId: id },
    );
  }
  const custom = keepRate === null ? null : thresholdForKeepRate(meta.openSet.quantiles, keepRate);
  sql.transaction(() => {
    sql.run('UPDATE models SET unknown_threshold = ? WHERE id = ?', [custom, id]);
    sql.run('UPDATE geo_batches SET unknown_above = ? WHERE model_id = ?', [
      custom ?? meta.openSet!.threshold,
      id,
    ]);
  });
  return getModel(sql, id);
}

/** Deletes the row; its evaluations and predictions go with it (foreign keys). */
export function deleteModel(sql: Sql, id: string): void {
  sql.run('DELETE FROM models WHERE id = ?', [id]);
}

type EvaluationRow = {
  id: number;
  model_id: string;
  dataset: string;
  sources_json: string;
  tta: 'center' | 'multiCrop';
  report_json: string;
  skipped_json: string;
  open_set_json: string | null;
  created_at: string;
};

const toEvaluation = (r: EvaluationRow): StoredEvaluation => ({
  id: r.id,
  modelId: r.model_id,
  dataset: r.dataset,
  sources: JSON.parse(r.sources_json) as string[],
  tta: r.tta,
  createdAt: r.created_at,
  report: JSON.parse(r.report_json) as EvaluationReport,
  skipped: JSON.parse(r.skipped_json) as StoredEvaluation['skipped'],
  openSet: r.open_set_json === null ? null : (JSON.parse(r.open_set_json) as EvaluationOpenSet),
});

export function insertEvaluation(
  sql: Sql,
  e: Omit<StoredEvaluation, 'id' | 'createdAt'> & { jobId: string },
): StoredEvaluation {
  const id = Number(
    sql.run(
      `INSERT INTO evaluations (model_id, dataset, sources_json, tta, report_json, skipped_json,
                                open_set_json, job_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        e.modelId,
        e.dataset,
        JSON.stringify(e.sources),
        e.tta,
        JSON.stringify(e.report),
        JSON.stringify(e.skipped),
        e.openSet === null ? null : JSON.stringify(e.openSet),
        e.jobId,
        new Date().toISOString(),
      ],
    ).lastInsertRowid,
  );
  return toEvaluation(sql.get<EvaluationRow>('SELECT * FROM evaluations WHERE id = ?', [id])!);
}

/** Each evaluated photo's answer, stored with the evaluation (for its confusion-matrix cells). */
export function insertEvaluationItems(
  sql: Sql,
  evaluationId: number,
  items: readonly {
    imageId: number | null;
    path: string;
    trueIndex: number;
    predictedIndex: number;
    probability: number;
  }[],
): void {
  sql.transaction(() => {
    for (const i of items) {
      sql.run(
        `INSERT INTO evaluation_items (evaluation_id, image_id, path, true_index, predicted_index,
                                       probability)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [evaluationId, i.imageId, i.path, i.trueIndex, i.predictedIndex, i.probability],
      );
    }
  });
}

/** The photos of one cell (true → predicted city) of a stored evaluation, most confident first. */
export function evaluationCell(
  sql: Sql,
  evaluationId: number,
  trueCity: string,
  predictedCity: string,
  limit: number,
): EvaluationCellPhoto[] {
  const row = sql.get<{ report_json: string }>('SELECT report_json FROM evaluations WHERE id = ?', [
    evaluationId,
  ]);
  if (row === undefined) {
    throw new AppError('NOT_FOUND', `No evaluation with id ${evaluationId}.`);
  }
  const classes = (JSON.parse(row.report_json) as EvaluationReport).classes;
  const indexOf = (city: string): number => {
    const i = classes.indexOf(city);
    if (i < 0) {
      throw new AppError(
        'BAD_ARGUMENT',
        `'${city}' is not one of this evaluation's cities (${classes.join(', ')}).`,
      );
    }
    return i;
  };
  return sql.all<EvaluationCellPhoto>(
    `SELECT image_id AS imageId, path, probability FROM evaluation_items
     WHERE evaluation_id = ? AND true_index = ? AND predicted_index = ?
     ORDER BY probability DESC, id LIMIT ?`,
    [evaluationId, indexOf(trueCity), indexOf(predictedCity), limit],
  );
}

export function listEvaluations(sql: Sql, modelId: string | null): StoredEvaluation[] {
  const rows =
    modelId === null
      ? sql.all<EvaluationRow>('SELECT * FROM evaluations ORDER BY id DESC')
      : sql.all<EvaluationRow>('SELECT * FROM evaluations WHERE model_id = ? ORDER BY id DESC', [
          modelId,
        ]);
  return rows.map(toEvaluation);
}

/** Stores (replacing earlier answers of the same model for the same image or file) predictions. */
export function storePredictions(
  sql: Sql,
  modelId: string,
  tta: 'center' | 'multiCrop',
  jobId: string,
  predictions: readonly ImagePrediction[],
): void {
  const now = new Date().toISOString();
  sql.transaction(() => {
    for (const p of predictions) {
      if (p.imageId !== null) {
        sql.run('DELETE FROM predictions WHERE model_id = ? AND image_id = ?', [
          modelId,
          p.imageId,
        ]);
      } else {
        sql.run('DELETE FROM predictions WHERE model_id = ? AND image_id IS NULL AND path = ?', [
          modelId,
          p.path,
        ]);
      }
      sql.run(
        `INSERT INTO predictions (model_id, image_id, path, tta, top_json, ood_score, job_id,
                                  created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [modelId, p.imageId, p.path, tta, JSON.stringify(p.top), p.oodScore, jobId, now],
      );
    }
  });
}
