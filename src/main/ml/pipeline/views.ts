// Image → normalised network crops. The paper feeds 224 crops of 256x256 images; a backbone with
// another input size s keeps that ratio: the 256 cache image is resized to round(s * 256 / 224)
// first, then cut into s x s crops (for s = 224 nothing is resized).
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { applyCrops, centerBox, multiCropBoxes, viewBoxes, type CropBox } from '../augment';
import type { Rgb } from './images';

/** The backbone facts that decide its input. */
export type InputSpec = { inputSize: number; normalisation: { scale: number; offset: number } };

const PAPER_RESIZE = 256;
const PAPER_CROP = 224;

/** Side the cache image is resized to before cropping `inputSize` crops (256 for 224). */
export function resizeSide(inputSize: number): number {
  return Math.round((inputSize * PAPER_RESIZE) / PAPER_CROP);
}

/** The cached training views of one image (view 0 = centre), see augment/viewBoxes. */
export function trainingBoxes(
  spec: InputSpec,
  count: number,
  seed: number,
  contentHash: string,
): CropBox[] {
  const side = resizeSide(spec.inputSize);
  return viewBoxes(side, side, spec.inputSize, count, seed, contentHash);
}

/** Test-time views: the centre crop, or the 10 multi-crop views (corners + centre, mirrored). */
export function ttaBoxes(spec: InputSpec, tta: 'center' | 'multiCrop'): CropBox[] {
  const side = resizeSide(spec.inputSize);
  return tta === 'center'
    ? [centerBox(side, side, spec.inputSize)]
    : multiCropBoxes(side, side, spec.inputSize);
}

/**
 * The crops `boxes` of one image as a normalised float batch [boxes.length, s, s, 3]
 * (x = p * scale + offset). The caller disposes it.
 */
export function cropBatch(rgb: Rgb, boxes: readonly CropBox[], spec: InputSpec): tf.Tensor4D {
  if (rgb.data.length !== rgb.width * rgb.height * 3) {
    throw new AppError('INTERNAL', `Expected ${rgb.width}x${rgb.height} RGB pixels.`);
  }
  const side = resizeSide(spec.inputSize);
  const { scale, offset } = spec.normalisation;
  return tf.tidy(() => {
    let image: tf.Tensor3D = tf.cast(
      tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32'),
      'float32',
    );
    if (rgb.width !== side || rgb.height !== side) {
      image = tf.image.resizeBilinear(image, [side, side]);
    }
    return tf.add(tf.mul(applyCrops(image, boxes), scale), offset);
  });
}

/** Several images' crops stacked into one batch (rows in image order, then box order). */
export function cropBatches(
  images: readonly { rgb: Rgb; boxes: readonly CropBox[] }[],
  spec: InputSpec,
): tf.Tensor4D {
  if (images.length === 0) throw new AppError('INTERNAL', 'No images to crop.');
  return tf.tidy(() => {
    const parts = images.map((i) => cropBatch(i.rgb, i.boxes, spec));
    return parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, 0);
  });
}
