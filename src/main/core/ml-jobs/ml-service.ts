// The ML methods of the contract, implemented over the open library and the ML host process(es).
// This module (and everything it imports) stays free of TensorFlow.js: tensors live in the host.
import { rm } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { FeatureJobResult } from '../../../shared/contract/ml-types';
import { exportBundle, importBundle } from '../../platform/model-bundle/bundle';
import { predictLibraryImages, type ChunkPrediction } from '../geolocate/geo-predict';
import type { JobContext } from '../jobs/job-manager';
import type { Handlers } from '../../../shared/contract/methods';
import { mlMethods } from '../../../shared/contract/ml-methods';
import type { CoreServices } from '../core-services';
import { backboneSummary, listBackboneMetas, removeBackbone } from './backbones';
import { ensureBackbone } from './bundled-backbone';
import { sqlOf } from '../db/sql';
import { labeledImages } from './dataset';
import { ensureFeatures } from './features-job';
import { startEmbed } from './embed-jobs';
import { startExplain } from './explain-jobs';
import { listMaximised, startMaximise } from './maximise-jobs';
import { startEvaluate, startPredict } from './infer-jobs';
import type { LabelingMl } from '../labeling/labeling-core';
import type { MlCore } from './ml-core';
import { MlHosts, type MlServiceOptions } from './ml-hosts';
import { mlPaths } from './ml-paths';
import {
  deleteModel,
  getModel,
  insertModel,
  evaluationCell,
  listEvaluations,
  modelDirOf,
  listModels,
  modelRecord,
  setUnknownKeepRate,
} from './models-repo';
import { getRun, listRuns } from './runs-repo';
import { newModelId, startTrain } from './train-job';

export type { MlServiceOptions } from './ml-hosts';

/** The contract's ML methods: backbones, features, training, models, evaluation, explanations. */
export type MlHandlers = Pick<Handlers, keyof typeof mlMethods>;

/**
 * The ML methods of a core: its ML service's, or, for a core started without one, stand-ins that
 * answer BACKEND_UNAVAILABLE as data instead of the door crashing on a missing handler.
 */
export function createMlHandlers(services: CoreServices): MlHandlers {
  return services.ml?.handlers ?? unavailableMlHandlers();
}

function unavailableMlHandlers(): MlHandlers {
  const entries = Object.keys(mlMethods).map((name) => [
    name,
    () =>
      Promise.reject(
        new AppError(
          'BACKEND_UNAVAILABLE',
          `"${name}" needs the ML service, which this app core was started without.`,
          { method: name },
        ),
      ),
  ]);
  // Every ML method gets the same rejecting function, which fits any signature.
  return Object.fromEntries(entries) as MlHandlers;
}

const resolved = (path: string): string => resolve(path);

/**
 * The ML service: contract handlers plus the host processes behind them. StudioCore builds one
 * (with the door's spawner) and disposes it on close; it outlives library switches, since every
 * call reads the library it works on from `core.db()` at that moment.
 */
export class MlService {
  readonly handlers: MlHandlers;
  private readonly hosts: MlHosts;

  constructor(
    private readonly core: MlCore,
    options: MlServiceOptions = {},
  ) {
    this.hosts = new MlHosts(options);
    this.handlers = this.createHandlers();
  }

  /** The model's top cities for library photos, for a geolocation batch's chunk (not stored). */
  predictImages(
    modelId: string,
    imageIds: readonly number[],
    ctx: JobContext,
  ): Promise<ChunkPrediction> {
    return predictLibraryImages(this.hosts, this.core.db(), modelId, imageIds, ctx);
  }

  /** What the labeling queues need: their host ops and the centre-crop feature cache. */
  readonly labeling: LabelingMl = {
    run: (op, params, ctx) => this.hosts.run(op, params, ctx),
    ensureFeatures: async (backbone, images, ctx) => {
      const paths = this.paths();
      const meta = await ensureBackbone(this.hosts, paths, backbone, ctx);
      const plan = images.map((i) => ({ id: i.id, contentHash: i.contentHash, split: null }));
      const result = await ensureFeatures(this.hosts, this.sql(), paths, meta, plan, 1, ctx);
      return { meta, failed: result.failed.length };
    },
  };

  /** Stops the ML host (running jobs were cancelled by the core first). */
  async dispose(): Promise<void> {
    await this.hosts.dispose();
  }

  private paths() {
    return mlPaths(this.core.db());
  }

  private sql() {
    return sqlOf(this.core.db());
  }

  private createHandlers(): MlHandlers {
    const { core, hosts } = this;
    return {
      'ml.info': async () => ({ backend: await hosts.backend(), hostPid: hosts.pid }),

      'backbones.list': async () => (await listBackboneMetas(this.paths())).map(backboneSummary),
      'backbones.catalogue': () => hosts.run('backbone.catalogue', {}),
      'backbones.import': ({ path, name }) => {
        const paths = this.paths();
        const jobId = core.startJob('backbone', { path, name }, async (ctx) => {
          const meta = await hosts.run(
            'backbone.import',
            { root: paths.backbonesRoot, source: resolved(path), name },
            ctx,
          );
          core.notifyChanged('models');
          return backboneSummary(meta);
        });
        return Promise.resolve({ jobId });
      },
      'backbones.download': (params) => {
        const paths = this.paths();
        const jobId = core.startJob('backbone', params, async (ctx) => {
          const meta = await hosts.run(
            'backbone.download',
            {
              root: paths.backbonesRoot,
              name: params.name,
              url: params.url,
              sha256: params.sha256,
            },
            ctx,
          );
          core.notifyChanged('models');
          return backboneSummary(meta);
        });
        return Promise.resolve({ jobId });
      },
      'backbones.remove': async ({ name }) => {
        await removeBackbone(this.sql(), this.paths(), name);
        core.notifyChanged('models');
        return { removed: name };
      },

      'features.start': (params) => {
        const jobId = core.startJob('features', params, async (ctx): Promise<FeatureJobResult> => {
          const started = Date.now();
          const paths = this.paths();
          const meta = await ensureBackbone(hosts, paths, params.backbone, ctx);
          const images = labeledImages(this.sql()).filter((i) => i.split !== null);
          const done = await ensureFeatures(
            hosts,
            this.sql(),
            paths,
            meta,
            images,
            params.views,
            ctx,
          );
          return {
            backbone: meta.name,
            images: images.length,
            views: params.views,
            computed: done.computed,
            cached: done.cached,
            durationMs: Date.now() - started,
          };
        });
        return Promise.resolve({ jobId });
      },

      'train.start': (params) => Promise.resolve({ jobId: startTrain(core, hosts, params) }),
      'runs.list': () => Promise.resolve(listRuns(this.sql())),
      'runs.get': ({ jobId }) => Promise.resolve(getRun(this.sql(), jobId)),

      'evaluate.start': (params) => Promise.resolve({ jobId: startEvaluate(core, hosts, params) }),
      'evaluations.list': ({ modelId }) => Promise.resolve(listEvaluations(this.sql(), modelId)),
      'evaluations.cell': ({ evaluationId, trueCity, predictedCity, limit }) =>
        Promise.resolve(evaluationCell(this.sql(), evaluationId, trueCity, predictedCity, limit)),
      'predict.start': (params) => Promise.resolve({ jobId: startPredict(core, hosts, params) }),
      'explain.start': (params) => Promise.resolve({ jobId: startExplain(core, hosts, params) }),
      'embed.start': (params) => Promise.resolve({ jobId: startEmbed(core, hosts, params) }),
      'maximise.start': (params) => Promise.resolve({ jobId: startMaximise(core, hosts, params) }),
      'maximise.list': ({ modelId }) => listMaximised(core, modelId),

      'models.list': () => Promise.resolve(listModels(this.sql())),
      'models.get': ({ modelId }) => Promise.resolve(getModel(this.sql(), modelId)),
      'models.remove': async ({ modelId }) => {
        const model = modelRecord(this.sql(), modelId);
        deleteModel(this.sql(), modelId);
        const dir = modelDirOf(this.paths(), model);
        await rm(dir, { recursive: true, force: true });
        core.notifyChanged('models');
        return { removed: modelId };
      },
      'models.setUnknown': ({ modelId, keepRate }) => {
        const model = setUnknownKeepRate(this.sql(), modelId, keepRate);
        core.notifyChanged('models');
        return Promise.resolve(model);
      },
      'models.export': async ({ modelId, path }) => {
        const model = modelRecord(this.sql(), modelId);
        const dir = modelDirOf(this.paths(), model);
        try {
          return await exportBundle(dir, resolved(path));
        } catch (error) {
          if (error instanceof AppError) throw error;
          throw new AppError('IO_ERROR', `Cannot write ${path}: ${(error as Error).message}`, {
            path,
          });
        }
      },
      'models.import': async ({ path, name }) => {
        const file = resolved(path);
        const paths = this.paths();
        const modelName = name ?? (basename(file, extname(file)) || 'imported model');
        const id = newModelId(modelName);
        // Validated in full before anything is written (a hostile file fails with MODEL_INVALID).
        const bundle = await importBundle(file, join(paths.modelsDir, id));
        insertModel(this.sql(), {
          id,
          name: modelName,
          dir: join('models', id),
          meta: bundle.meta,
          trainCounts: null,
          runJobId: null,
        });
        core.notifyChanged('models');
        const { meta: _meta, ...summary } = getModel(this.sql(), id);
        return summary;
      },
    };
  }
}
