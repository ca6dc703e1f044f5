// Pixels → backbone input, backbone → features and class probabilities. All tensor work is inside
// tf.tidy; callers own (and must dispose) the tensors returned.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { runInference, runInferenceWithTap } from './fused-runner';
import type { BackboneMeta } from '../../platform/backbone-meta';
import type { LoadedBackbone } from './store';

/**
 * Interleaved 8-bit RGB (or RGBA, alpha dropped), row-major, `width`×`height` → float32
 * [1, inputSize, inputSize, 3] with x = p * scale + offset (e.g. [-1, 1) for MobileNetV2).
 * Other sizes are resized bilinearly (no crop: crop beforehand to keep the aspect ratio).
 */
export function preprocess(
  rgb: Uint8Array,
  width: number,
  height: number,
  meta: Pick<BackboneMeta, 'inputSize' | 'normalisation'>,
): tf.Tensor4D {
  const pixels = width * height;
  const channels = pixels > 0 ? rgb.length / pixels : 0;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    pixels <= 0 ||
    (channels !== 3 && channels !== 4)
  ) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Expected ${width}x${height} RGB or RGBA pixels (${pixels * 3} or ${pixels * 4} bytes), got ${rgb.length} bytes.`,
    );
  }
  const { scale, offset } = meta.normalisation;
  const size = meta.inputSize;
  return tf.tidy(() => {
    let x: tf.Tensor3D = tf.tensor3d(rgb, [height, width, channels], 'int32');
    if (channels === 4) x = tf.slice(x, [0, 0, 0], [height, width, 3]);
    let f = tf.cast(x, 'float32');
    if (width !== size || height !== size) f = tf.image.resizeBilinear(f, [size, size]);
    return tf.expandDims<tf.Tensor4D>(tf.add(tf.mul(f, scale), offset), 0);
  });
}

function checkBatch(backbone: LoadedBackbone, batch: tf.Tensor): void {
  const s = backbone.meta.inputSize;
  const [n, h, w, c] = batch.shape;
  if (batch.rank !== 4 || h !== s || w !== s || c !== 3 || !n) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Backbone '${backbone.meta.name}' takes [N, ${s}, ${s}, 3] images, got [${batch.shape.join(', ')}].`,
    );
  }
}

/** Rank-4 [N, h, w, c] feature maps become [N, c] by global average pooling; rank 2 passes. */
function asVectors(t: tf.Tensor): tf.Tensor2D {
  if (t.rank === 4) return tf.mean<tf.Tensor2D>(t, [1, 2]);
  if (t.rank === 2) return t as tf.Tensor2D;
  return tf.reshape<tf.Rank.R2>(t, [t.shape[0] ?? -1, -1]);
}

/**
 * Normalised float batch [N, inputSize, inputSize, 3] → features [N, featureDim] (for MobileNetV2
 * the 1280 globally pooled post-ReLU6 activations, values in [0, 6]). Runs in batches of
 * `batchSize` to bound memory. The caller disposes the result.
 */
export function extractFeatures(
  backbone: LoadedBackbone,
  batch: tf.Tensor4D,
  batchSize = 32,
): tf.Tensor2D {
  checkBatch(backbone, batch);
  return tf.tidy(() => {
    if (backbone.kind === 'layers') {
      return asVectors(runInference(backbone.featureModel, batch, batchSize));
    }
    const n = batch.shape[0];
    const parts: tf.Tensor2D[] = [];
    for (let i = 0; i < n; i += batchSize) {
      const slice = tf.slice(batch, [i, 0, 0, 0], [Math.min(batchSize, n - i), -1, -1, -1]);
      parts.push(asVectors(backbone.model.execute(slice, backbone.meta.featureLayer) as tf.Tensor));
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
  });
}

/**
 * extractFeatures plus, from the same forward pass, the block inputs at `layerName` ([N, ...cut
 * shape], what stage 2 trains on). Null for a graph backbone or a model the fused runner cannot
 * tap there. The caller disposes both.
 */
export function extractFeaturesAndBlocks(
  backbone: LoadedBackbone,
  batch: tf.Tensor4D,
  layerName: string,
  batchSize = 32,
): { features: tf.Tensor2D; blocks: tf.Tensor } | null {
  checkBatch(backbone, batch);
  if (backbone.kind !== 'layers') return null;
  const run = runInferenceWithTap(backbone.featureModel, batch, layerName, batchSize);
  if (run === null) return null;
  const features = tf.tidy(() => asVectors(run.output));
  if ((features as tf.Tensor) !== run.output) run.output.dispose();
  return { features, blocks: run.tap };
}

/**
 * Class probabilities [N, classes] from the backbone's own classifier (softmax applied when the
 * output is not already a distribution).
 */
export function classifierProbabilities(backbone: LoadedBackbone, batch: tf.Tensor4D): tf.Tensor2D {
  checkBatch(backbone, batch);
  return tf.tidy(() => {
    const raw =
      backbone.kind === 'layers'
        ? runInference(backbone.model, batch)
        : (backbone.model.execute(batch) as tf.Tensor);
    const out = tf.reshape<tf.Rank.R2>(raw, [batch.shape[0], -1]);
    const nonNegative = tf.all(tf.greaterEqual(out, 0));
    const sumsToOne = tf.all(tf.less(tf.abs(tf.sub(tf.sum(out, 1), 1)), 1e-3));
    // Chosen on the device: a synchronous read is impossible on webgpu in Node.
    const isDistribution = tf.logicalAnd(nonNegative, sumsToOne);
    return tf.where(isDistribution, out, tf.softmax(out));
  });
}

export type Prediction = { index: number; label: string | null; probability: number };

/** The top `k` classes of each image, most probable first (labels from backbone.json). */
export async function classify(
  backbone: LoadedBackbone,
  batch: tf.Tensor4D,
  k = 5,
): Promise<Prediction[][]> {
  const probs = classifierProbabilities(backbone, batch);
  const top = tf.topk(probs, Math.min(k, probs.shape[1]));
  try {
    const [values, indices] = await Promise.all([top.values.array(), top.indices.array()]);
    const labels = backbone.meta.classifierLabels;
    return indices.map((row, i) =>
      row.map((index, j) => ({
        index,
        label: labels?.[index] ?? null,
        probability: values[i]?.[j] ?? 0,
      })),
    );
  } finally {
    tf.dispose([probs, top.values, top.indices]);
  }
}
