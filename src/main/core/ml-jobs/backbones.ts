// Backbones as the core sees them: folders under <library>/backbones/, described by their
// backbone.json (read here without TensorFlow.js; importing and converting runs in the ML host).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { BackboneSummary } from '../../../shared/contract/ml-types';
import {
  checkBackboneName,
  readBackboneMeta,
  type BackboneMeta,
} from '../../platform/backbone-meta';
import type { Sql } from '../db/sql';
import type { MlPaths } from './ml-paths';

export function backboneSummary(m: BackboneMeta): BackboneSummary {
  return {
    name: m.name,
    format: m.format,
    inputSize: m.inputSize,
    featureDim: m.featureDim,
    featureLayer: m.featureLayer,
    blockLayers: m.blockLayers,
    normalisation: m.normalisation,
    source: m.source,
    sha256: m.sha256,
    createdAt: m.createdAt,
  };
}

/** Every readable backbone folder, by name (broken folders are left out; backbones.get says why). */
export async function listBackboneMetas(paths: MlPaths): Promise<BackboneMeta[]> {
  let names: string[];
  try {
    names = await readdir(paths.backbonesRoot);
  } catch {
    return [];
  }
  const metas: BackboneMeta[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    try {
      metas.push(await readBackboneMeta(join(paths.backbonesRoot, name)));
    } catch {
      // Not a backbone (or a damaged one): not listed.
    }
  }
  return metas;
}

/** The backbone `name`, or NOT_FOUND saying how to get one. */
export async function requireBackbone(paths: MlPaths, name: string): Promise<BackboneMeta> {
  const dir = join(paths.backbonesRoot, checkBackboneName(name));
  try {
    return await readBackboneMeta(dir);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw new AppError(
        'NOT_FOUND',
        `No backbone named '${name}' in this library. Import one (backbones.import) or download one (backbones.download).`,
        { backbone: name },
      );
    }
    throw error;
  }
}

/** Removes the folder, its cached features and its cached stage-2 block inputs. */
export async function removeBackbone(sql: Sql, paths: MlPaths, name: string): Promise<void> {
  const meta = await requireBackbone(paths, name);
  await rm(join(paths.backbonesRoot, meta.name), { recursive: true, force: true });
  sql.run('DELETE FROM features WHERE backbone = ?', [meta.name]);
  let blockDirs: string[] = [];
  try {
    blockDirs = await readdir(paths.blocksDir);
  } catch {
    // No stage-2 cache yet.
  }
  // Folders are '<name>-<first 12 hex of sha256>' (see ml-host/pipeline/block-cache.ts).
  const ours = (d: string): boolean =>
    d.startsWith(`${meta.name}-`) && /^[0-9a-f]{12}$/.test(d.slice(meta.name.length + 1));
  for (const dir of blockDirs.filter(ours)) {
    await rm(join(paths.blocksDir, dir), { recursive: true, force: true });
  }
}
