// The `embed.compute` op: penultimate features of a sample of library photos through a trained
// model, laid out in 2-d (t-SNE or UMAP), with the model's answer for each photo so the map can
// be coloured by predicted city and correctness. A stage-1 model reads the feature cache (its
// backbone is unmodified); a fine-tuned one, or any photo missing from the cache, runs the network.
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { argmaxRow } from '../../../shared/domain/metrics';
import { readBackboneMeta } from '../backbone';
import { headProbabilities } from '../train/head';
import { embed, type EmbedMethod } from '../explain/embed';
import { readFeatures, withDatabase } from './feature-db';
import { tensorLock } from './host-resources';
import { readNormImage, reasonOf } from './images';
import { withModelRunner } from './model-runner';
import type { InferItem, LibraryLocation } from './types';

export type EmbedRunParams = LibraryLocation & {
  modelDir: string;
  /** Library photos ('norm' items with image id and content hash). */
  items: InferItem[];
  method: EmbedMethod;
  seed: number;
};

export type EmbedRunResult = {
  /** One per photo that could be read, `index` into the params' items. */
  points: { index: number; x: number; y: number; predicted: number; probability: number }[];
  errors: { path: string; reason: string }[];
};

export type EmbedCallbacks = { signal: AbortSignal; progress(done: number, total: number): void };

export function embedImages(p: EmbedRunParams, cb: EmbedCallbacks): Promise<EmbedRunResult> {
  return tensorLock.shared(() =>
    withModelRunner(p.modelDir, p.backbonesRoot, async (runner) => {
      const dim = runner.meta.backbone.featureDim;
      const n = p.items.length;
      const features = new Float32Array(n * dim);
      const known = new Array<boolean>(n).fill(false);
      if (runner.usesCachedFeatures) {
        const { backbone } = runner.meta;
        const meta = await readBackboneMeta(join(p.backbonesRoot, backbone.name));
        const requests = p.items.map((item) => ({
          imageId: item.imageId as number,
          contentHash: item.contentHash as string,
          views: 1,
        }));
        const { x, missing } = await withDatabase(p.dbPath, (db) =>
          readFeatures(db, { name: backbone.name, sha256: meta.sha256 }, dim, requests),
        );
        const gaps = new Set(missing);
        p.items.forEach((item, i) => {
          if (gaps.has(item.imageId as number)) return;
          features.set(x.subarray(i * dim, (i + 1) * dim), i * dim);
          known[i] = true;
        });
      }
      const errors: EmbedRunResult['errors'] = [];
      const readable = new Array<boolean>(n).fill(true);
      const toCompute = known.filter((k) => !k).length;
      let computed = 0;
      // Feature extraction is most of the work when the cache cannot help; the layout the rest.
      const total = toCompute + 100;
      for (let i = 0; i < n; i++) {
        if (known[i] === true) continue;
        if (cb.signal.aborted) throw new AppError('CANCELLED', 'The feature map was cancelled.');
        const item = p.items[i] as InferItem;
        try {
          features.set(await runner.featuresOfImage(await readNormImage(item.file)), i * dim);
        } catch (error) {
          readable[i] = false;
          errors.push({ path: item.display, reason: reasonOf(error) });
        }
        computed++;
        cb.progress(computed, total);
      }
      const rows = [...readable.keys()].filter((i) => readable[i] === true);
      const x = new Float32Array(rows.length * dim);
      rows.forEach((i, r) => x.set(features.subarray(i * dim, (i + 1) * dim), r * dim));
      const probs = await headProbabilities(runner.headState, x);
      const k = runner.classes.length;
      const y =
        rows.length >= 3
          ? embed(p.method, x, rows.length, dim, {
              seed: p.seed,
              onProgress: (done, steps) => {
                cb.progress(toCompute + Math.round((100 * done) / steps), total);
                return cb.signal.aborted;
              },
            })
          : new Float64Array(rows.length * 2);
      const points = rows.map((index, r) => {
        const predicted = argmaxRow(probs, r * k, k);
        return {
          index,
          x: y[2 * r] as number,
          y: y[2 * r + 1] as number,
          predicted,
          probability: probs[r * k + predicted] as number,
        };
      });
      return { points, errors };
    }),
  );
}
