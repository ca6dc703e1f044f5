// The geolocation methods of the contract over the open library. Reading, reviewing, mapping and
// exporting a batch is short SQL and file work; the one long part, import + prediction, is the
// `geolocate` job (geo-job.ts), which needs the ML service.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { geoMethods } from '../../../shared/contract/geo-methods';
import type { Handlers } from '../../../shared/contract/methods';
import { sync, type CoreServices } from '../core-services';
import { sqlOf } from '../db/sql';
import { modelRecord } from '../ml-jobs/models-repo';
import { readSettings } from '../repo/settings';
import type { GeoCore, GeoPredictor } from './geo-core';
import { exportBatch } from './geo-export';
import { batchItems } from './geo-items';
import { runGeoJob } from './geo-job';
import { batchMap } from './geo-map';
import { batchRow, getBatch, insertBatch, listBatches, removeBatch, updateBatch } from './geo-repo';
import { reviewItem } from './geo-review';

export type GeoHandlers = Pick<Handlers, keyof typeof geoMethods>;

function requirePredictor(core: GeoCore): GeoPredictor {
  if (core.predictor === null) {
    throw new AppError(
      'BACKEND_UNAVAILABLE',
      'Geolocating needs the ML service, which this app was started without.',
    );
  }
  return core.predictor;
}

/** "holiday 2026-11-25": the first folder's name (a file's folder) and today's date. */
function defaultName(paths: readonly string[]): string {
  const first = paths[0] ?? '';
  let folder = first;
  try {
    if (!statSync(first).isDirectory()) folder = dirname(first);
  } catch {
    // A missing path still names the batch; the import reports it.
  }
  return `${basename(folder) || folder} ${new Date().toISOString().slice(0, 10)}`;
}

export function createGeoHandlers(services: CoreServices): GeoHandlers {
  const core: GeoCore = {
    db: () => services.db(),
    startJob: (kind, params, run) => services.startJob(kind, params, run),
    notifyChanged: (what) => services.notifyChanged(what),
    runImport: (paths, ctx) => services.runImport(paths, null, ctx),
    predictor: services.ml,
  };
  const sql = () => sqlOf(core.db());

  const startJob = (predictor: GeoPredictor, batchId: number): string => {
    const jobId = core.startJob('geolocate', { batchId }, (ctx) =>
      runGeoJob(core, predictor, batchId, ctx),
    );
    sql().run('UPDATE geo_batches SET last_job_id = ? WHERE id = ?', [jobId, batchId]);
    return jobId;
  };

  return {
    'geo.create': sync((params) => {
      const predictor = requirePredictor(core);
      const model = modelRecord(sql(), params.modelId);
      const paths = [...new Set(params.paths.map((p) => resolve(p)))];
      if (!paths.some((p) => existsSync(p))) {
        throw new AppError(
          'BAD_ARGUMENT',
          `None of the given paths exists: ${paths.slice(0, 3).join(', ')}.`,
          { paths: paths.slice(0, 20) },
        );
      }
      const batchId = insertBatch(sql(), {
        name: params.name ?? defaultName(paths),
        modelId: model.id,
        classes: model.meta.classes,
        sources: paths,
        unsureBelow: params.unsureBelow,
        unknownAbove: model.unknownThreshold,
      });
      const jobId = startJob(predictor, batchId);
      return { ...getBatch(sql(), batchId), jobId };
    }),
    'geo.resume': sync(({ batchId }) => {
      const predictor = requirePredictor(core);
      const batch = batchRow(sql(), batchId);
      modelRecord(sql(), batch.model_id);
      return { jobId: startJob(predictor, batchId) };
    }),
    'geo.list': sync(() => listBatches(sql())),
    'geo.get': sync(({ batchId }) => getBatch(sql(), batchId)),
    'geo.update': sync((params) => updateBatch(sql(), params)),
    'geo.remove': sync(({ batchId }) => removeBatch(sql(), batchId)),
    'geo.items': sync((params) => batchItems(sql(), params)),
    'geo.review': sync((params) => {
      const { item, labelChanged } = reviewItem(sql(), params, readSettings(sql()).split);
      if (labelChanged) core.notifyChanged('labels');
      return item;
    }),
    'geo.map': sync(({ batchId, place }) => batchMap(sql(), batchId, place)),
    'geo.export': (params) => exportBatch(sql(), params),
  };
}
