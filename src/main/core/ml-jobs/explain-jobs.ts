// Explanation jobs, core side: find the photo (a library image, or a file — which is a library
// image too when its path was imported), pick the city, answer from the cache when the same
// question was asked before, else have the ML host compute the heatmap and keep it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { argmaxRow } from '../../../shared/domain/metrics';
import type { ExplainMethod, ExplainResult } from '../../../shared/contract/ml-types';
import type { ParamsOut } from '../../../shared/contract/methods';
import { describeFsError } from '../../platform/fs-errors';
import type { InferItem } from '../../ml-host/pipeline/types';
import { sqlOf, type Sql } from '../db/sql';
import type { JobContext } from '../jobs/job-manager';
import { readSettings } from '../repo/settings';
import { imagesById, type ImageRef } from './dataset';
import type { MlCore } from './ml-core';
import type { MlHosts } from './ml-hosts';
import { fileItem, libraryItem, mlPaths, type MlPaths } from './ml-paths';
import { modelDirOf, modelRecord, type ModelRecord } from './models-repo';

type Target = { item: InferItem; contentHash: string; imageId: number | null; path: string };

type CachedRow = {
  rows: number;
  cols: number;
  values_json: string;
  probabilities_json: string;
  input_size: number;
};

/** The model's class index of a city name (case-insensitive), with the choices in the error. */
export function classIndexOf(classes: readonly string[], city: string): number {
  const wanted = city.trim().toLocaleLowerCase();
  const index = classes.findIndex((c) => c.toLocaleLowerCase() === wanted);
  if (index < 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `The model does not know the city '${city}'; it knows ${classes.join(', ')}.`,
      { city },
    );
  }
  return index;
}

async function findTarget(
  sql: Sql,
  paths: MlPaths,
  params: ParamsOut<'explain.start'>,
): Promise<Target> {
  const library = (image: ImageRef): Target => ({
    item: libraryItem(paths, { ...image, imageId: image.id }, null),
    contentHash: image.contentHash,
    imageId: image.id,
    path: image.path,
  });
  if (params.imageId !== null) {
    const image = imagesById(sql, [params.imageId]).get(params.imageId);
    if (image === undefined) {
      throw new AppError('NOT_FOUND', `No image with id ${params.imageId} in the library.`);
    }
    return library(image);
  }
  const path = resolve(params.path as string);
  const imported = sql.get<ImageRef>(
    'SELECT id, path, content_hash AS contentHash FROM images WHERE path = ?',
    [path],
  );
  if (imported !== undefined) return library(imported);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new AppError('NOT_FOUND', `Cannot read ${path}: ${describeFsError(error)}.`, { path });
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  return {
    item: fileItem(path),
    contentHash,
    imageId: null,
    path,
  };
}

/** The model's top class for a photo, from any stored explanation of it (null: none yet). */
function knownTopClass(sql: Sql, modelId: string, contentHash: string): number | null {
  const row = sql.get<{ probabilities_json: string }>(
    'SELECT probabilities_json FROM explanations WHERE model_id = ? AND content_hash = ? LIMIT 1',
    [modelId, contentHash],
  );
  if (row === undefined) return null;
  return argmaxRow(JSON.parse(row.probabilities_json) as number[]);
}

/** The stored grid's key: Grad-CAM has no box or stride (stored as 0). */
function geometry(method: ExplainMethod, params: ParamsOut<'explain.start'>) {
  return method === 'gradcam' ? { box: 0, stride: 0 } : { box: params.box, stride: params.stride };
}

export function startExplain(
  core: MlCore,
  hosts: MlHosts,
  params: ParamsOut<'explain.start'>,
): string {
  const model = modelRecord(sqlOf(core.db()), params.modelId);
  if (params.city !== null) classIndexOf(model.meta.classes, params.city);
  return core.startJob('explain', params, (ctx) => runExplain(core, hosts, model, params, ctx));
}

async function runExplain(
  core: MlCore,
  hosts: MlHosts,
  model: ModelRecord,
  params: ParamsOut<'explain.start'>,
  ctx: JobContext,
): Promise<ExplainResult> {
  const db = core.db();
  const sql = sqlOf(db);
  const paths = mlPaths(db);
  const classes = model.meta.classes;
  const target = await findTarget(sql, paths, params);
  const { box, stride } = geometry(params.method, params);
  const base = {
    modelId: model.id,
    imageId: target.imageId,
    path: target.path,
    method: params.method,
    classes,
    box: params.method === 'gradcam' ? null : box,
    stride: params.method === 'gradcam' ? null : stride,
  };
  const fromCache = (classIndex: number): ExplainResult | null => {
    const row = sql.get<CachedRow>(
      `SELECT rows, cols, values_json, probabilities_json, input_size FROM explanations
       WHERE model_id = ? AND content_hash = ? AND method = ? AND class_index = ? AND box = ?
         AND stride = ?`,
      [model.id, target.contentHash, params.method, classIndex, box, stride],
    );
    if (row === undefined) return null;
    return {
      ...base,
      city: classes[classIndex] as string,
      classIndex,
      probabilities: JSON.parse(row.probabilities_json) as number[],
      rows: row.rows,
      cols: row.cols,
      values: JSON.parse(row.values_json) as number[][],
      inputSize: row.input_size,
      cached: true,
    };
  };
  // Without a city the model's own top city is explained; any earlier explanation of this photo by
  // this model already knows it (its probabilities are stored), so the cache can answer too.
  const asked =
    params.city === null
      ? knownTopClass(sql, model.id, target.contentHash)
      : classIndexOf(classes, params.city);
  if (asked !== null) {
    const hit = fromCache(asked);
    if (hit !== null) return hit;
  }
  const result = await hosts.run(
    'explain.heatmap',
    {
      dbPath: paths.dbPath,
      backbonesRoot: paths.backbonesRoot,
      modelDir: modelDirOf(paths, model),
      item: target.item,
      method: params.method,
      classIndex: asked,
      box: params.box,
      stride: params.stride,
      maxImagePixels: readSettings(sql).maxImagePixels,
    },
    ctx,
  );
  sql.run(
    `INSERT INTO explanations (model_id, content_hash, method, class_index, box, stride, rows, cols,
                               values_json, probabilities_json, input_size, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET rows = excluded.rows, cols = excluded.cols,
       values_json = excluded.values_json, probabilities_json = excluded.probabilities_json,
       input_size = excluded.input_size, created_at = excluded.created_at`,
    [
      model.id,
      target.contentHash,
      params.method,
      result.classIndex,
      box,
      stride,
      result.rows,
      result.cols,
      JSON.stringify(result.values),
      JSON.stringify(result.probabilities),
      result.inputSize,
      new Date().toISOString(),
    ],
  );
  return {
    ...base,
    city: result.city,
    classIndex: result.classIndex,
    probabilities: result.probabilities,
    rows: result.rows,
    cols: result.cols,
    values: result.values,
    inputSize: result.inputSize,
    cached: false,
  };
}
