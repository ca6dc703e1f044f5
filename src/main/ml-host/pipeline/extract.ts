// Feature extraction for one chunk of library images (the `features.extract` op): decode the
// cached 256 image, cut the requested views, run the backbone, store one row per view. Decoding
// the next group (sharp, on libuv threads) overlaps the current group's forward pass.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { takeFloats } from '../backend/read';
import { extractFeatures, type LoadedBackbone } from '../backbone';
import type { CropBox } from '../augment';
import { withSharedBackbone } from './backbone-cache';
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

type Decoded = { item: FeatureItem; rgb: Rgb } | { item: FeatureItem; error: string };

function decodeGroup(items: readonly FeatureItem[]): Promise<Decoded[]> {
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

async function extractWith(
  backbone: LoadedBackbone,
  p: FeatureChunkParams,
  cb: ChunkCallbacks,
): Promise<FeatureChunkResult> {
  const { meta } = backbone;
  const failed: ImageFailure[] = [];
  let computed = 0;
  let done = 0;
  const groups: FeatureItem[][] = [];
  for (let i = 0; i < p.items.length; i += GROUP) groups.push(p.items.slice(i, i + GROUP));

  await withDatabase(p.dbPath, async (db) => {
    let next = groups.length > 0 ? decodeGroup(groups[0] as FeatureItem[]) : null;
    for (let g = 0; g < groups.length; g++) {
      if (cb.signal.aborted) throw new AppError('CANCELLED', 'Feature extraction was cancelled.');
      const decoded = await (next as Promise<Decoded[]>);
      next = g + 1 < groups.length ? decodeGroup(groups[g + 1] as FeatureItem[]) : null;
      const ok: { item: FeatureItem; rgb: Rgb; boxes: CropBox[] }[] = [];
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
        const values = await takeFloats(
          tf.tidy(() => extractFeatures(backbone, cropBatches(ok, meta))),
        );
        const dim = meta.featureDim;
        const rows: FeatureRow[] = [];
        let r = 0;
        for (const o of ok) {
          for (const view of o.item.views) {
            rows.push({
              imageId: o.item.imageId,
              view,
              contentHash: o.item.contentHash,
              values: values.slice(r * dim, (r + 1) * dim),
            });
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
  return { computed, failed };
}
