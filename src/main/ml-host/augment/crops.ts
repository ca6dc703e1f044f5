import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { hashString32 } from '../../../shared/domain/random';
import { takeFloats } from '../backend/read';
import { Prng } from '../train/prng';

/**
 * The paper's augmentation and test-time views, on one image tensor [H, W, C] (typically the
 * 256 x 256 x 3 resized photo, raw or normalised: crops do not care about values). Crops are
 * described as plain boxes first, so which views an image gets is testable and reproducible, and
 * cut out of the tensor in one place.
 */

export type CropBox = { top: number; left: number; size: number; mirror: boolean };

function checkFits(height: number, width: number, size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > height || size > width) {
    throw new AppError(
      'BAD_ARGUMENT',
      `A ${size} x ${size} crop does not fit a ${height} x ${width} image.`,
    );
  }
}

export function centerBox(height: number, width: number, size: number): CropBox {
  checkFits(height, width, size);
  return {
    top: Math.floor((height - size) / 2),
    left: Math.floor((width - size) / 2),
    size,
    mirror: false,
  };
}

/** A uniformly random crop position, mirrored with probability `mirrorProbability`. */
export function randomBox(
  height: number,
  width: number,
  size: number,
  prng: Prng,
  mirrorProbability = 0.5,
): CropBox {
  checkFits(height, width, size);
  return {
    top: prng.int(height - size + 1),
    left: prng.int(width - size + 1),
    size,
    mirror: prng.next() < mirrorProbability,
  };
}

/** Centre, top-left, top-right, bottom-left, bottom-right; then the same five mirrored. */
export function multiCropBoxes(
  height: number,
  width: number,
  size: number,
  withMirror = true,
): CropBox[] {
  const c = centerBox(height, width, size);
  const b = height - size;
  const r = width - size;
  const plain: CropBox[] = [
    c,
    { top: 0, left: 0, size, mirror: false },
    { top: 0, left: r, size, mirror: false },
    { top: b, left: 0, size, mirror: false },
    { top: b, left: r, size, mirror: false },
  ];
  return withMirror ? [...plain, ...plain.map((box) => ({ ...box, mirror: true }))] : plain;
}

/**
 * The training views cached for one image: view 0 is the centre crop (what prediction sees), the
 * others random crops with random mirroring. Fixed by (seed, key) — key being e.g. the image's
 * content hash — so re-running the cache gives the same views whatever the image order.
 */
export function viewBoxes(
  height: number,
  width: number,
  size: number,
  views: number,
  seed: number,
  key: string,
): CropBox[] {
  if (!Number.isInteger(views) || views < 1) {
    throw new AppError('BAD_ARGUMENT', `views must be a positive integer, got ${views}.`);
  }
  const prng = new Prng(hashString32(key, seed >>> 0));
  const boxes = [centerBox(height, width, size)];
  for (let v = 1; v < views; v++) boxes.push(randomBox(height, width, size, prng));
  return boxes;
}

/** Cuts `boxes` out of image [H, W, C]: [boxes.length, size, size, C] (same dtype and values). */
export function applyCrops(image: tf.Tensor3D, boxes: readonly CropBox[]): tf.Tensor4D {
  if (image.rank !== 3) {
    throw new AppError(
      'BAD_ARGUMENT',
      `Expected an image [H, W, C], got [${image.shape.join(', ')}].`,
    );
  }
  if (boxes.length === 0) throw new AppError('BAD_ARGUMENT', 'No crop boxes given.');
  const [h, w, c] = image.shape;
  const size = boxes[0]!.size;
  for (const box of boxes) {
    checkFits(h, w, box.size);
    if (
      box.size !== size ||
      box.top < 0 ||
      box.left < 0 ||
      box.top + size > h ||
      box.left + size > w
    ) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Crop box ${JSON.stringify(box)} is outside the image or differs in size.`,
      );
    }
  }
  return tf.tidy(
    () =>
      tf.stack(
        boxes.map((box) => {
          const crop = tf.slice(image, [box.top, box.left, 0], [size, size, c]);
          return box.mirror ? tf.reverse(crop, 1) : crop;
        }),
      ) as tf.Tensor4D,
  );
}

/** Centre crop [size, size, C] of image [H, W, C]. */
export function centerCrop(image: tf.Tensor3D, size = 224): tf.Tensor3D {
  const [h, w] = image.shape;
  return tf.tidy(() => tf.squeeze<tf.Tensor3D>(applyCrops(image, [centerBox(h, w, size)]), [0]));
}

/** Horizontal mirror of image [H, W, C] (column j becomes W - 1 - j). */
export function mirror(image: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => tf.reverse(image, 1));
}

/**
 * Test-time augmentation: the class probabilities [K] of one image, from the centre crop alone or
 * averaged over the 10 multi-crop views. `predict` maps a batch of crops [V, size, size, C] to
 * probabilities [V, K] (rows summing to 1); averages of distributions stay distributions.
 * Leaves no tensors behind (predict's result is disposed here).
 */
export async function ttaProbabilities(
  image: tf.Tensor3D,
  mode: 'center' | 'multiCrop',
  size: number,
  predict: (batch: tf.Tensor4D) => tf.Tensor2D,
): Promise<Float32Array> {
  const [h, w] = image.shape;
  const boxes = mode === 'center' ? [centerBox(h, w, size)] : multiCropBoxes(h, w, size);
  const mean = tf.tidy(() => {
    const probs = predict(applyCrops(image, boxes));
    if (probs.rank !== 2 || probs.shape[0] !== boxes.length) {
      throw new AppError(
        'INTERNAL',
        `predict gave [${probs.shape.join(', ')}] for ${boxes.length} views.`,
      );
    }
    return tf.mean(probs, 0);
  });
  return takeFloats(mean);
}

/**
 * The `views` crops [views, size, size, C] to cache for one image (see viewBoxes): feed them to
 * the backbone and store one feature row per view. The caller disposes the result.
 */
export function augmentViews(
  image: tf.Tensor3D,
  options: { size: number; views: number; seed: number; key: string },
): tf.Tensor4D {
  const [h, w] = image.shape;
  return applyCrops(image, viewBoxes(h, w, options.size, options.views, options.seed, options.key));
}
