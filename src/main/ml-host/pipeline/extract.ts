// Feature extraction for one chunk of library images (the `features.extract` op): decode the
// cached 256 image, cut the requested views, run the backbone, store one row per view. Decoding
// the next group (sharp, on libuv threads) overlaps the current group's forward pass. When the
// run will fine-tune (stage 2), the same forward pass also yields each view's block input at the
// cut, written to the block cache: caching them costs no second pass, and it runs in the process
// pool with the features instead of in the training process afterwards.
import { AppError } from '../../../shared/contract/errors';
import { takeFloats } from '../backend/read';
import {
  cutShapeAt,
  extractFeatures,
  extractFeaturesAndBlocks,
  type LoadedBackbone,
} from '../backbone';
import type { CropBox } from '../augment';
import { withSharedBackbone } from './backbone-cache';
import { blockFile, type BlockLocation } from '../../platform/block-files';
import { hasFile, writeBlockRow } from './block-cache';
import { withDatabase, writeFeatures, type FeatureRow } from './feature-db';
import { tensorLock } from './host-resources';
import { readNormImage, reasonOf, type Rgb } from './images';
import type { FeatureChunkParams, FeatureChunkResult, FeatureItem, ImageFailure } from './types';
import { cropBatches, trainingBoxes } from './views';

/** Images per forward pass: with 4 views, 16 crops (about 10 MB of input for 224 crops). */
const GROUP = 4;

export type ChunkCallbacks = {
  signal: AbortSignal;
  progress(done: number, total: number): void;
};

/** One image's work: the views to run, and which of them need a feature row or a block input. */
type Work = FeatureItem & { needFeatures: ReadonlySet<number>; needBlocks: ReadonlySet<number> };

type Decoded = { item: Work; rgb: Rgb } | { item: Work; error: string };

function decodeGroup(items: readonly Work[]): Promise<Decoded[]> {
  return Promise.all(
    items.map((item) =>
      readNormImage(item.normPath).then(
        (rgb) => ({ item, rgb }),
        (error: unknown) => ({ item, error: reasonOf(error) }),
      ),
    ),
  );
}

export function extractChunk(
  p: FeatureChunkParams,
  cb: ChunkCallbacks,
): Promise<FeatureChunkResult> {
  return tensorLock.shared(() =>
    withSharedBackbone(p.backbonesRoot, p.backbone, (backbone) => extractWith(backbone, p, cb)),
  );
}

/**
 * What each item needs: its missing feature rows, plus the block inputs asked for that are not on
 * disk yet. Items that need nothing are dropped.
 */
async function planWork(
  p: FeatureChunkParams,
  blocks: BlockLocation | null,
  rowBytes: number,
): Promise<Work[]> {
  const work: Work[] = [];
  for (const item of p.items) {
    const needBlocks = new Set<number>();
    if (blocks !== null) {
      for (const v of item.blockViews ?? []) {
        if (!(await hasFile(blockFile(blocks, item.contentHash, v), rowBytes))) needBlocks.add(v);
      }
    }
    const views = [...new Set([...item.views, ...needBlocks])].sort((a, b) => a - b);
    if (views.length > 0) {
      work.push({ ...item, views, needFeatures: new Set(item.views), needBlocks });
    }
  }
  return work;
}

async function extractWith(
  backbone: LoadedBackbone,
  p: FeatureChunkParams,
  cb: ChunkCallbacks,
): Promise<FeatureChunkResult> {
  const { meta } = backbone;
  const failed: ImageFailure[] = [];
  let computed = 0;
  let blocksComputed = 0;
  // Only a layers backbone can be cut (stage 2 refuses graph models).
  const blocks: BlockLocation | null =
    p.blocks === undefined || p.blocks === null || backbone.kind !== 'layers'
      ? null
      : { ...p.blocks, backbone: p.backbone, augmentSeed: p.augmentSeed };
  const cutFloats =
    blocks === null || backbone.kind !== 'layers'
      ? 0
      : cutShapeAt(backbone.featureModel, blocks.layer).reduce((a, b) => a * b, 1);
  const work = await planWork(p, blocks, cutFloats * 2);
  // Items without work still count as done for the caller's progress.
  let done = p.items.length - work.length;
  if (done > 0) cb.progress(done, p.items.length);
  const groups: Work[][] = [];
  for (let i = 0; i < work.length; i += GROUP) groups.push(work.slice(i, i + GROUP));

  await withDatabase(p.dbPath, async (db) => {
    let next = groups.length > 0 ? decodeGroup(groups[0] as Work[]) : null;
    for (let g = 0; g < groups.length; g++) {
      if (cb.signal.aborted) throw new AppError('CANCELLED', 'Feature extraction was cancelled.');
      const decoded = await (next as Promise<Decoded[]>);
      next = g + 1 < groups.length ? decodeGroup(groups[g + 1] as Work[]) : null;
      const ok: { item: Work; rgb: Rgb; boxes: CropBox[] }[] = [];
      for (const d of decoded) {
        if ('error' in d) {
          failed.push({ imageId: d.item.imageId, path: d.item.normPath, reason: d.error });
          continue;
        }
        const count = Math.max(...d.item.views) + 1;
        const all = trainingBoxes(meta, count, p.augmentSeed, d.item.contentHash);
        ok.push({ ...d, boxes: d.item.views.map((v) => all[v] as CropBox) });
      }
      if (ok.length > 0) {
        const wantBlocks = blocks !== null && ok.some((o) => o.item.needBlocks.size > 0);
        const { values, blockValues } = await forward(backbone, ok, wantBlocks ? blocks : null);
        const dim = meta.featureDim;
        const rows: FeatureRow[] = [];
        let r = 0;
        for (const o of ok) {
          for (const view of o.item.views) {
            if (o.item.needFeatures.has(view)) {
              rows.push({
                imageId: o.item.imageId,
                view,
                contentHash: o.item.contentHash,
                values: values.slice(r * dim, (r + 1) * dim),
              });
            }
            if (blockValues !== null && blocks !== null && o.item.needBlocks.has(view)) {
              await writeBlockRow(
                blockFile(blocks, o.item.contentHash, view),
                blockValues.subarray(r * cutFloats, (r + 1) * cutFloats),
              );
              blocksComputed++;
            }
            r++;
          }
        }
        try {
          writeFeatures(db, p.backbone, rows);
          computed += rows.length;
        } catch (error) {
          // An image deleted meanwhile (foreign key) must not sink the rest of the chunk.
          for (const o of ok) {
            failed.push({
              imageId: o.item.imageId,
              path: o.item.normPath,
              reason: `features not stored: ${reasonOf(error)}`,
            });
          }
        }
      }
      done += groups[g]!.length;
      cb.progress(done, p.items.length);
      // Let the cancel message in between groups.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await next;
  });
  return { computed, blocksComputed, failed };
}

/**
 * Features of every crop of the group, and its block inputs when `blocks` is given and the fused
 * runner can tap the cut (else null: the training run computes them itself).
 */
async function forward(
  backbone: LoadedBackbone,
  group: readonly { rgb: Rgb; boxes: CropBox[] }[],
  blocks: BlockLocation | null,
): Promise<{ values: Float32Array; blockValues: Float32Array | null }> {
  const batch = cropBatches(group, backbone.meta);
  try {
    const both = blocks === null ? null : extractFeaturesAndBlocks(backbone, batch, blocks.layer);
    if (both === null) {
      return { values: await takeFloats(extractFeatures(backbone, batch)), blockValues: null };
    }
    return { values: await takeFloats(both.features), blockValues: await takeFloats(both.blocks) };
  } finally {
    batch.dispose();
  }
}
