// The built-in backbone is imported into a library the first time a job asks for it by name, so a
// fresh install trains offline with no import or download step. Removing it from a library only
// removes that library's converted copy: the next job that names it imports it again.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLED_BACKBONE } from '../../../shared/domain/bundled-backbone';
import { bundledBackboneFile } from '../../platform/bundled-backbone-file';
import { BACKBONE_JSON, type BackboneMeta } from '../../platform/backbone-meta';
import type { JobContext } from '../jobs/job-manager';
import { requireBackbone } from './backbones';
import type { MlHosts } from './ml-hosts';
import type { MlPaths } from './ml-paths';

/** Imports in flight, by backbones folder: two jobs starting together convert the file once. */
const importing = new Map<string, Promise<unknown>>();

/**
 * The backbone `name` of this library; the built-in one is imported from the app's assets first
 * when the library lacks it. Errors as requireBackbone (NOT_FOUND saying how to get one).
 */
export async function ensureBackbone(
  hosts: MlHosts,
  paths: MlPaths,
  name: string,
  ctx: JobContext,
  assetFile: string | null = bundledBackboneFile(),
): Promise<BackboneMeta> {
  if (name === BUNDLED_BACKBONE.name && assetFile !== null) {
    const dir = join(paths.backbonesRoot, name);
    const present = await stat(join(dir, BACKBONE_JSON)).then(
      () => true,
      () => false,
    );
    if (!present) {
      let pending = importing.get(paths.backbonesRoot);
      if (pending === undefined) {
        ctx.log('info', `Importing the built-in backbone ${name} into this library.`);
        pending = hosts
          .run('backbone.import', { root: paths.backbonesRoot, source: assetFile, name })
          .finally(() => importing.delete(paths.backbonesRoot));
        importing.set(paths.backbonesRoot, pending);
      }
      await pending;
    }
  }
  return requireBackbone(paths, name);
}
