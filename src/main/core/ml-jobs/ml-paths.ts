import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { InferItem } from '../../ml-host/pipeline/types';
import { assetFile, libraryPaths } from '../paths';

/**
 * Where a library keeps its ML files, beside library.sqlite:
 *   backbones/<name>/          imported or downloaded backbones (model.json, weights, backbone.json)
 *   models/<id>/               trained model bundles (model.json + weights.lptp)
 *   runs/<train job id>/       checkpoints of a training run (stage1/, stage2/), kept for resuming
 *   cache/blocks/...           stage-2 block inputs (features live in the database)
 */
export type MlPaths = {
  dir: string;
  dbPath: string;
  cacheDir: string;
  backbonesRoot: string;
  modelsDir: string;
  runsDir: string;
  blocksDir: string;
};

/** The ML paths of the library whose database `db` is (better-sqlite3 knows its file). */
export function mlPaths(db: Database.Database): MlPaths {
  const dir = dirname(db.name);
  const base = libraryPaths(dir);
  return {
    dir,
    dbPath: base.dbPath,
    cacheDir: base.cacheDir,
    backbonesRoot: join(dir, 'backbones'),
    modelsDir: join(dir, 'models'),
    runsDir: join(dir, 'runs'),
    blocksDir: join(base.cacheDir, 'blocks'),
  };
}

/** The 256x256 cache JPEG of an image. */
export function normFile(paths: MlPaths, contentHash: string): string {
  return assetFile(paths.cacheDir, 'norm', contentHash);
}

/** A library image for the ML host, read from its cached 256x256 norm image. */
/** Any image file outside the library, decoded as import would (`label`: evaluation only). */
export function fileItem(path: string, label: number | null = null): InferItem {
  return { imageId: null, contentHash: null, kind: 'file', file: path, display: path, label };
}

export function libraryItem(
  paths: MlPaths,
  image: { imageId: number; contentHash: string; path: string },
  label: number | null,
): InferItem {
  return {
    imageId: image.imageId,
    contentHash: image.contentHash,
    kind: 'norm',
    file: normFile(paths, image.contentHash),
    display: image.path,
    label,
  };
}
