// Feature-map jobs, core side: draw the seeded sample of labelled photos of the model's cities,
// answer from the cache when the same sample was mapped before, else have the ML host compute it.
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { EmbedResult } from '../../../shared/contract/ml-types';
import type { ParamsOut } from '../../../shared/contract/methods';
import { mulberry32, shuffleInPlace } from '../../../shared/domain/random';
import type { JobContext } from '../jobs/job-manager';
import { sqlOf } from '../db/sql';
import { labeledImages, type LabeledImage } from './dataset';
import type { MlCore } from './ml-core';
import type { MlHosts } from './ml-hosts';
import { libraryItem, mlPaths } from './ml-paths';
import { modelDirOf, modelRecord, type ModelRecord } from './models-repo';

/** The seeded sample: labelled photos of the model's cities (and split), shuffled, first n. */
export function embedSample(
  images: readonly LabeledImage[],
  classes: readonly string[],
  params: Pick<ParamsOut<'embed.start'>, 'sample' | 'seed' | 'split'>,
): LabeledImage[] {
  const known = new Set(classes);
  const pool = images.filter(
    (i) => known.has(i.city) && (params.split === null || i.split === params.split),
  );
  shuffleInPlace(pool, mulberry32(params.seed));
  return pool.slice(0, params.sample).sort((a, b) => a.id - b.id);
}

function sampleKey(sample: readonly LabeledImage[], split: string | null): string {
  const hash = createHash('sha256').update(split ?? '*');
  for (const i of sample) hash.update(`|${i.id}:${i.contentHash}:${i.city}`);
  return hash.digest('hex');
}

export function startEmbed(core: MlCore, hosts: MlHosts, params: ParamsOut<'embed.start'>): string {
  const model = modelRecord(sqlOf(core.db()), params.modelId);
  return core.startJob('embed', params, (ctx) => runEmbed(core, hosts, model, params, ctx));
}

async function runEmbed(
  core: MlCore,
  hosts: MlHosts,
  model: ModelRecord,
  params: ParamsOut<'embed.start'>,
  ctx: JobContext,
): Promise<EmbedResult> {
  const db = core.db();
  const sql = sqlOf(db);
  const paths = mlPaths(db);
  const classes = model.meta.classes;
  const sample = embedSample(labeledImages(sql), classes, params);
  if (sample.length < 3) {
    throw new AppError(
      'BAD_ARGUMENT',
      `A feature map needs at least 3 labelled photos of the model's cities (${classes.join(', ')})${params.split === null ? '' : ` in the ${params.split} split`}; the library has ${sample.length}.`,
    );
  }
  const key = sampleKey(sample, params.split);
  const cached = sql.get<{ result_json: string }>(
    'SELECT result_json FROM embeddings WHERE model_id = ? AND method = ? AND seed = ? AND sample_key = ?',
    [model.id, params.method, params.seed, key],
  );
  if (cached !== undefined) {
    return { ...(JSON.parse(cached.result_json) as EmbedResult), cached: true };
  }
  ctx.log(
    'info',
    `Mapping ${sample.length} photos with ${params.method === 'tsne' ? 't-SNE' : 'UMAP'}.`,
  );
  const run = await hosts.run(
    'embed.compute',
    {
      dbPath: paths.dbPath,
      backbonesRoot: paths.backbonesRoot,
      modelDir: modelDirOf(paths, model),
      items: sample.map((i) => libraryItem(paths, { ...i, imageId: i.id }, null)),
      method: params.method,
      seed: params.seed,
    },
    ctx,
  );
  const result: EmbedResult = {
    modelId: model.id,
    method: params.method,
    seed: params.seed,
    requested: params.sample,
    points: run.points.map((p) => {
      const image = sample[p.index] as LabeledImage;
      return {
        imageId: image.id,
        x: p.x,
        y: p.y,
        city: image.city,
        predicted: classes[p.predicted] as string,
        probability: p.probability,
      };
    }),
    classes,
    errors: run.errors,
    cached: false,
  };
  sql.run(
    `INSERT INTO embeddings (model_id, method, seed, sample_key, result_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET result_json = excluded.result_json,
     created_at = excluded.created_at`,
    [model.id, params.method, params.seed, key, JSON.stringify(result), new Date().toISOString()],
  );
  return result;
}
