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

/**
 * The normalised value of every byte, p * scale + offset rounded as float32 tensor ops round it
 * (product, then sum), so both crop paths give bit-identical network input.
 */
function normalisedBytes(spec: InputSpec): Float32Array {
  const scale = Math.fround(spec.normalisation.scale);
  const offset = Math.fround(spec.normalisation.offset);
  const table = new Float32Array(256);
  for (let p = 0; p < 256; p++) table[p] = Math.fround(Math.fround(p * scale) + offset);
  return table;
}

/**
 * Writes the normalised crops of one RGB image into `out` from element `offset` on, row-major
 * [boxes.length, size, size, 3]; mirrored boxes are read right to left. Plain loops over the
 * bytes: cutting, mirroring and scaling as tensor ops cost several passes and kernel calls per
 * crop (about 2 ms per image on wasm), this one pass a fraction of that.
 */
export function writeCrops(
  rgb: Rgb,
  boxes: readonly CropBox[],
  spec: InputSpec,
  out: Float32Array,
  offset: number,
): number {
  const value = normalisedBytes(spec);
  const { data, width, height } = rgb;
  let o = offset;
  for (const box of boxes) {
    const { top, left, size } = box;
    if (top < 0 || left < 0 || top + size > height || left + size > width) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Crop box ${JSON.stringify(box)} is outside the ${width}x${height} image.`,
      );
    }
    for (let y = 0; y < size; y++) {
      const row = ((top + y) * width + left) * 3;
      if (box.mirror) {
        for (let x = size - 1; x >= 0; x--) {
          const i = row + x * 3;
          out[o++] = value[data[i] as number] as number;
          out[o++] = value[data[i + 1] as number] as number;
          out[o++] = value[data[i + 2] as number] as number;
        }
      } else {
        for (let i = row, end = row + size * 3; i < end; i++) {
          out[o++] = value[data[i] as number] as number;
        }
      }
    }
  }
  return o;
}

/** Several images' crops stacked into one batch (rows in image order, then box order). */
export function cropBatches(
  images: readonly { rgb: Rgb; boxes: readonly CropBox[] }[],
  spec: InputSpec,
): tf.Tensor4D {
  if (images.length === 0) throw new AppError('INTERNAL', 'No images to crop.');
  const side = resizeSide(spec.inputSize);
  const size = spec.inputSize;
  const direct = images.every(
    (i) =>
      i.rgb.width === side &&
      i.rgb.height === side &&
      i.rgb.data.length === side * side * 3 &&
      i.boxes.every((b) => b.size === size),
  );
  if (direct) {
    // The common case (the cache image is already at the crop side): one pass in plain code.
    const count = images.reduce((n, i) => n + i.boxes.length, 0);
    const out = new Float32Array(count * size * size * 3);
    let offset = 0;
    for (const i of images) offset = writeCrops(i.rgb, i.boxes, spec, out, offset);
    return tf.tensor4d(out, [count, size, size, 3]);
  }
  return tf.tidy(() => {
    const parts = images.map((i) => cropBatch(i.rgb, i.boxes, spec));
    return parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, 0);
  });
}
