// One chunk of a geolocation batch through the ML host: the model's top cities for some library
// photos, read from their cached 256x256 images. Nothing is stored here; the batch job writes the
// chunk's answers into the library and the batch in one transaction.
import type Database from 'better-sqlite3';
import type { ImagePrediction } from '../../../shared/contract/ml-types';
import type { InferItem } from '../../ml-host/pipeline/types';
import type { JobContext } from '../jobs/job-manager';
import { sqlOf } from '../db/sql';
import { imagesById } from '../ml-jobs/dataset';
import type { MlHosts } from '../ml-jobs/ml-hosts';
import { libraryItem, mlPaths } from '../ml-jobs/ml-paths';
import { modelDirOf, modelRecord } from '../ml-jobs/models-repo';
import { readSettings } from '../repo/settings';
import { isUnknown } from '../../../shared/domain/open-set';

/** The cities kept per photo: enough for the review screen's "or maybe…" choices. */
export const GEO_TOP_K = 3;

export type ChunkPrediction = {
  predictions: ImagePrediction[];
  errors: { path: string; reason: string }[];
};

export async function predictLibraryImages(
  hosts: Pick<MlHosts, 'run'>,
  db: Database.Database,
  modelId: string,
  imageIds: readonly number[],
  ctx: JobContext,
): Promise<ChunkPrediction> {
  const sql = sqlOf(db);
  const paths = mlPaths(db);
  const model = modelRecord(sql, modelId);
  const found = imagesById(sql, imageIds);
  const errors: ChunkPrediction['errors'] = [];
  const items: InferItem[] = [];
  for (const id of imageIds) {
    const image = found.get(id);
    if (image === undefined)
      errors.push({ path: `image ${id}`, reason: 'no longer in the library' });
    else items.push(libraryItem(paths, { ...image, imageId: id }, null));
  }
  if (items.length === 0) return { predictions: [], errors };
  const result = await hosts.run(
    'model.predict',
    {
      dbPath: paths.dbPath,
      backbonesRoot: paths.backbonesRoot,
      modelDir: modelDirOf(paths, model),
      items,
      tta: 'center',
      maxImagePixels: readSettings(sql).maxImagePixels,
      k: GEO_TOP_K,
    },
    ctx,
  );
  const predictions = result.predictions.flatMap((p) => {
    const item = items[p.index];
    return item === undefined
      ? []
      : [
          {
            imageId: item.imageId,
            path: item.display,
            top: p.top,
            oodScore: p.oodScore,
            unknown: isUnknown(p.oodScore, model.unknownThreshold),
          },
        ];
  });
  return { predictions, errors: [...errors, ...result.errors] };
}
