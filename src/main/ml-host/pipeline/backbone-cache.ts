// The host keeps the last backbone it loaded for feature extraction: consecutive chunks of one
// features job (and the next job on the same backbone) then skip the load (~1 s for MobileNetV2).
// Model runners load their own copy, since stage-2 models overwrite the upper weights in place.
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import {
  checkBackboneName,
  loadBackbone,
  readBackboneMeta,
  type BackboneMeta,
  type LoadedBackbone,
} from '../backbone';
import { SharedCache } from './host-resources';
import type { BackboneRef } from './types';

const cache = new SharedCache<LoadedBackbone>();

/**
 * The backbone's metadata, checked against the checksum the job was planned with: a folder
 * replaced meanwhile (same name, other file) is refused rather than mixed into one cache.
 */
export async function backboneMeta(root: string, ref: BackboneRef): Promise<BackboneMeta> {
  const meta = await readBackboneMeta(join(root, checkBackboneName(ref.name)));
  if (meta.sha256 !== ref.sha256) {
    throw new AppError(
      'CONFLICT',
      `Backbone '${ref.name}' changed while the job was queued (sha256 ${meta.sha256.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…); start the job again.`,
      { name: ref.name },
    );
  }
  return meta;
}

/** Runs `fn` with the shared, unmodified backbone `ref` (loaded once, kept for the next op). */
export async function withSharedBackbone<R>(
  root: string,
  ref: BackboneRef,
  fn: (backbone: LoadedBackbone) => Promise<R>,
): Promise<R> {
  await backboneMeta(root, ref);
  return cache.use(`${root}\n${ref.name}\n${ref.sha256}`, () => loadBackbone(root, ref.name), fn);
}

export function releaseSharedBackbone(): void {
  cache.release();
}
