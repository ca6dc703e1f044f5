/**
 * Candidate feature vectors of the same backbone, all from one forward pass per view and cached on
 * disk by (backbone sha256, feature configuration, views, augmentation seed, photo content):
 *   gap         global average pool of Conv_1 (1280-d, what the app caches today)
 *   gem         generalised-mean pool of Conv_1, p = 3 (1280-d; weighs strong local activations)
 *   grid2x2     average pools of the four overlapping 4x4 quadrants of Conv_1's 7x7 map (5120-d)
 *   multiscale  average pools of block 13's and block 16's expansions and of Conv_1 (2816-d)
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersBackbone } from '../src/main/ml-host/backbone';
import { layerOutput } from '../src/main/ml-host/backbone';
import { readNormImage } from '../src/main/ml-host/pipeline/images';
import {
  cropBatch,
  trainingBoxes,
  ttaBoxes,
  type InputSpec,
} from '../src/main/ml-host/pipeline/views';

export const FEATURE_CONFIGS = ['gap', 'gem', 'grid2x2', 'multiscale'] as const;
export type FeatureConfig = (typeof FEATURE_CONFIGS)[number];

/** Layers read in the one pass (names of the converted MobileNetV2). */
const TAPS = ['expanded_conv_13_expand_relu6', 'expanded_conv_16_expand_relu6', 'Conv_1_relu6'];
/** Bumped when a configuration's definition changes, so stale cache files are never read. */
const DEFINITION_VERSION = 1;

export type PhotoViews = {
  contentHash: string;
  normPath: string;
  /** 'train': `views` seeded augmented views (view 0 = centre); 'tta': the 10 multi-crop views. */
  kind: 'train' | 'tta';
};

/** Rows of one configuration: photo-major, then view; `dim` floats each. */
export type FeatureRows = { dim: number; views: number; x: Float32Array };

export type ExtractOptions = {
  backbone: LayersBackbone;
  cacheDir: string;
  trainViews: number;
  augmentSeed: number;
  onProgress?: (done: number, total: number) => void;
};

function pooled(maps: tf.Tensor4D[]): Record<FeatureConfig, tf.Tensor2D> {
  const [e13, e16, top] = maps as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const gap = tf.mean<tf.Tensor2D>(top, [1, 2]);
  const gem = tf.pow<tf.Tensor2D>(tf.mean(tf.pow(tf.maximum(top, 1e-6), 3), [1, 2]), 1 / 3);
  const [h, w] = [top.shape[1], top.shape[2]];
  const half = Math.ceil(h / 2);
  const quads = [
    [0, 0],
    [0, w - half],
    [h - half, 0],
    [h - half, w - half],
  ].map(([y, x]) => tf.mean(tf.slice(top, [0, y!, x!, 0], [-1, half, half, -1]), [1, 2]));
  const grid2x2 = tf.concat(quads, 1) as tf.Tensor2D;
  const multiscale = tf.concat([tf.mean(e13, [1, 2]), tf.mean(e16, [1, 2]), gap], 1) as tf.Tensor2D;
  return { gap, gem, grid2x2, multiscale };
}

function cacheFile(o: ExtractOptions, config: FeatureConfig, p: PhotoViews): string {
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        backbone: o.backbone.meta.sha256,
        config,
        version: DEFINITION_VERSION,
        kind: p.kind,
        views: p.kind === 'train' ? o.trainViews : 10,
        seed: o.augmentSeed,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return join(o.cacheDir, config, key, `${p.contentHash}.f32`);
}

/**
 * The rows of every configuration for `photos` (all of one kind), computing only what the cache
 * lacks: one forward pass through the backbone per view gives all four configurations.
 */
export async function extractAll(
  photos: readonly PhotoViews[],
  o: ExtractOptions,
): Promise<Record<FeatureConfig, FeatureRows>> {
  const spec: InputSpec = {
    inputSize: o.backbone.meta.inputSize,
    normalisation: o.backbone.meta.normalisation,
  };
  const model = o.backbone.model;
  const taps = tf.model({
    inputs: model.inputs,
    outputs: TAPS.map((name) => layerOutput(model, name)),
  });
  const perPhoto = new Map<FeatureConfig, Float32Array[]>(FEATURE_CONFIGS.map((c) => [c, []]));
  let done = 0;
  for (const p of photos) {
    const cached = FEATURE_CONFIGS.map((c) => cacheFile(o, c, p));
    if (cached.every((f) => existsSync(f))) {
      FEATURE_CONFIGS.forEach((c, i) => {
        const b = readFileSync(cached[i]!);
        perPhoto.get(c)!.push(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
      });
    } else {
      const boxes =
        p.kind === 'train'
          ? trainingBoxes(spec, o.trainViews, o.augmentSeed, p.contentHash)
          : ttaBoxes(spec, 'multiCrop');
      const rgb = await readNormImage(p.normPath);
      const outs = tf.tidy(() => {
        const batch = cropBatch(rgb, boxes, spec);
        const maps = taps.predict(batch) as tf.Tensor4D[];
        return pooled(maps);
      });
      for (const [i, c] of FEATURE_CONFIGS.entries()) {
        const values = (await outs[c].data()) as Float32Array;
        outs[c].dispose();
        mkdirSync(join(cached[i]!, '..'), { recursive: true });
        writeFileSync(cached[i]!, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
        perPhoto.get(c)!.push(values);
      }
    }
    done += 1;
    o.onProgress?.(done, photos.length);
  }
  const views = photos[0]?.kind === 'tta' ? 10 : o.trainViews;
  return Object.fromEntries(
    FEATURE_CONFIGS.map((c) => {
      const rows = perPhoto.get(c)!;
      const dim = rows.length === 0 ? 0 : rows[0]!.length / views;
      const x = new Float32Array(rows.length * views * dim);
      rows.forEach((r, i) => x.set(r, i * views * dim));
      return [c, { dim, views, x }];
    }),
  ) as Record<FeatureConfig, FeatureRows>;
}
