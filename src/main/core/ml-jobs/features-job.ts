// Completing the feature cache: find the (image, view) rows that are missing or stale for a
// backbone, and have the ML host(s) compute them in chunks. Training images get `views` views
// (view 0 = centre crop, the others seeded random crops + mirror); val/test images the centre one.
import { access } from 'node:fs/promises';
import type { BackboneMeta } from '../../platform/backbone-meta';
import { blockFile, type BlockLocation } from '../../platform/block-files';
import type { FeatureItem, ImageFailure } from '../../ml-host/pipeline/types';
import type { Sql } from '../db/sql';
import type { JobContext } from '../jobs/job-manager';
import type { LabeledImage } from './dataset';
import type { MlHosts } from './ml-hosts';
import { normFile, type MlPaths } from './ml-paths';

/** Seed of the cached augmented views (fixed: a cache row means the same crop in every run). */
export const AUGMENT_SEED = 1;
/** Images per chunk sent to one process: small enough to balance the pool and cancel quickly. */
const CHUNK_IMAGES = 8;
const LISTED_FAILURES = 10;

export type FeaturePlan = {
  items: FeatureItem[];
  /** Rows already valid in the cache. */
  cached: number;
  /** Rows to compute. */
  missing: number;
};

export function viewsFor(image: Pick<LabeledImage, 'split'>, views: number): number {
  return image.split === 'train' ? views : 1;
}

/** Stage 2's block inputs, cached from the feature pass (see ml/pipeline/extract.ts). */
export type BlockRequest = { layer: string; blocksDir: string };

/**
 * What is missing: a row counts only when its backbone checksum and content hash match today's
 * (so a replaced backbone, or a changed image, is recomputed). With `blocks`, every training and
 * validation image also asks for its block inputs; the host skips those already on disk.
 */
export function planFeatures(
  sql: Sql,
  paths: MlPaths,
  meta: BackboneMeta,
  images: readonly Pick<LabeledImage, 'id' | 'contentHash' | 'split'>[],
  views: number,
  blocks: BlockRequest | null = null,
): FeaturePlan {
  const valid = new Map<number, Set<number>>();
  const rows = sql.all<{ image_id: number; view: number }>(
    `SELECT f.image_id, f.view FROM features f JOIN images i ON i.id = f.image_id
     WHERE f.backbone = ? AND f.backbone_sha256 = ? AND f.dim = ? AND f.content_hash = i.content_hash`,
    [meta.name, meta.sha256, meta.featureDim],
  );
  for (const r of rows) {
    let set = valid.get(r.image_id);
    if (set === undefined) valid.set(r.image_id, (set = new Set()));
    set.add(r.view);
  }
  const items: FeatureItem[] = [];
  let cached = 0;
  let missing = 0;
  for (const image of images) {
    const have = valid.get(image.id);
    const todo: number[] = [];
    const count = viewsFor(image, views);
    for (let v = 0; v < count; v++) {
      if (have?.has(v) === true) cached++;
      else todo.push(v);
    }
    const blockViews =
      blocks !== null && (image.split === 'train' || image.split === 'val')
        ? Array.from({ length: count }, (_, v) => v)
        : [];
    if (todo.length > 0 || blockViews.length > 0) {
      missing += todo.length;
      items.push({
        imageId: image.id,
        contentHash: image.contentHash,
        normPath: normFile(paths, image.contentHash),
        views: todo,
        ...(blockViews.length > 0 ? { blockViews } : {}),
      });
    }
  }
  return { items, cached, missing };
}

/** At most this many block-file lookups at once. */
const LOOKUPS = 256;

/**
 * Drops the block views whose files are on disk already, and the items then left with nothing to
 * do, so that a run whose block inputs are all cached starts no extraction for them. Existence
 * only: the host still checks each file's size before it trusts one.
 */
export async function withoutCachedBlocks(
  items: readonly FeatureItem[],
  location: BlockLocation,
): Promise<FeatureItem[]> {
  const exists = (file: string): Promise<boolean> =>
    access(file).then(
      () => true,
      () => false,
    );
  const left: FeatureItem[] = [];
  for (let i = 0; i < items.length; i += LOOKUPS) {
    const pruned = await Promise.all(
      items.slice(i, i + LOOKUPS).map(async ({ blockViews, ...item }): Promise<FeatureItem> => {
        if (blockViews === undefined) return item;
        const present = await Promise.all(
          blockViews.map((v) => exists(blockFile(location, item.contentHash, v))),
        );
        const missing = blockViews.filter((_, k) => !present[k]);
        return missing.length > 0 ? { ...item, blockViews: missing } : item;
      }),
    );
    left.push(...pruned.filter((item) => item.views.length > 0 || item.blockViews !== undefined));
  }
  return left;
}

export type EnsureResult = { computed: number; cached: number; failed: ImageFailure[] };

/** Computes the missing rows of `images` (progress in images, failures logged as warnings). */
export async function ensureFeatures(
  hosts: MlHosts,
  sql: Sql,
  paths: MlPaths,
  meta: BackboneMeta,
  images: readonly Pick<LabeledImage, 'id' | 'contentHash' | 'split'>[],
  views: number,
  ctx: JobContext,
  blocks: BlockRequest | null = null,
): Promise<EnsureResult> {
  const plan = planFeatures(sql, paths, meta, images, views, blocks);
  const items =
    blocks === null
      ? plan.items
      : await withoutCachedBlocks(plan.items, {
          ...blocks,
          backbone: { name: meta.name, sha256: meta.sha256 },
          augmentSeed: AUGMENT_SEED,
        });
  if (items.length === 0) return { computed: 0, cached: plan.cached, failed: [] };
  ctx.log(
    'info',
    `Features of '${meta.name}': ${plan.missing} to compute for ${items.length} images, ${plan.cached} cached` +
      (blocks === null ? '.' : `; stage-2 block inputs at '${blocks.layer}' from the same pass.`),
  );
  const chunks: FeatureItem[][] = [];
  for (let i = 0; i < items.length; i += CHUNK_IMAGES) {
    chunks.push(items.slice(i, i + CHUNK_IMAGES));
  }
  const doneByChunk = chunks.map(() => 0);
  const total = items.length;
  ctx.progress(0, total, `Features: 0/${total} images`);
  const results = await hosts.runChunks(
    'features.extract',
    (backend) =>
      chunks.map((items) => ({
        dbPath: paths.dbPath,
        backbonesRoot: paths.backbonesRoot,
        backbone: { name: meta.name, sha256: meta.sha256 },
        backendPreference: backend.name === 'wasm' || backend.name === 'cpu' ? backend.name : null,
        augmentSeed: AUGMENT_SEED,
        items,
        blocks,
      })),
    ctx,
    (chunk, event) => {
      if (event.kind === 'progress') {
        doneByChunk[chunk] = event.done;
        const done = doneByChunk.reduce((a, b) => a + b, 0);
        ctx.progress(done, total, `Features: ${done}/${total} images`);
      } else if (event.kind === 'log') {
        ctx.log(event.level, event.message);
      }
    },
  );
  const failed = results.flatMap((r) => r.failed);
  for (const f of failed.slice(0, LISTED_FAILURES)) {
    ctx.log('warn', `No features for image ${f.imageId ?? '?'} (${f.path}): ${f.reason}`);
  }
  if (failed.length > LISTED_FAILURES) {
    ctx.log('warn', `…and ${failed.length - LISTED_FAILURES} more images without features.`);
  }
  const blocksComputed = results.reduce((n, r) => n + r.blocksComputed, 0);
  if (blocks !== null && blocksComputed > 0) {
    ctx.log('info', `Cached ${blocksComputed} stage-2 block inputs at '${blocks.layer}'.`);
  }
  return {
    computed: results.reduce((n, r) => n + r.computed, 0),
    cached: plan.cached,
    failed,
  };
}
