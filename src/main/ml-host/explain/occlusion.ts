// The paper's two sliding-window heatmaps (section 6.2). Occlusion (Zeiler & Fergus): cover one
// square of the photo with grey and see how much the chosen city's probability drops. Inclusion
// (the paper's own): show only that square, everything else grey, and see how much probability it
// earns on its own. Both take any probability function, so they explain a trained city head or a
// backbone's own classifier alike; masked copies are built in plain code and scored in batches.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { takeFloats } from '../backend/read';

export type SlidingMethod = 'occlusion' | 'inclusion';

/** A normalised network input [size, size, 3], row-major, as cropBatch produces. */
export type NetworkImage = { data: Float32Array; size: number };

export type SlidingOptions = {
  method: SlidingMethod;
  /** Class (city) index whose probability is explained. */
  classIndex: number;
  /** Side of the grey (occlusion) or visible (inclusion) square, pixels of the network input. */
  box: number;
  stride: number;
  /** The grey, in normalised units (pixel 128 through the backbone's normalisation). */
  fill: number;
  /** Masked images scored per forward pass. */
  batchSize?: number;
  /** Called after each batch; returning true stops early (cancel). */
  onProgress?: (done: number, total: number) => boolean | void;
};

/**
 * rows × cols values laid over the image, row 0 at the top. Occlusion: the drop of the class's
 * probability when that square is hidden (larger = more important). Inclusion: the class's
 * probability when only that square is shown.
 */
export type SlidingMap = {
  method: SlidingMethod;
  rows: number;
  cols: number;
  values: number[][];
  /** The class's probability on the whole, unmasked image. */
  baseline: number;
  box: number;
  stride: number;
};

/** Window positions along one side: 0, stride, … while the box fits, plus the far edge. */
export function windowStarts(size: number, box: number, stride: number): number[] {
  if (!Number.isInteger(box) || box < 1 || box > size) {
    throw new AppError('BAD_ARGUMENT', `The box must be 1..${size} pixels, got ${box}.`);
  }
  if (!Number.isInteger(stride) || stride < 1) {
    throw new AppError('BAD_ARGUMENT', `The stride must be a positive integer, got ${stride}.`);
  }
  const starts: number[] = [];
  for (let s = 0; s + box <= size; s += stride) starts.push(s);
  // Cover the far edge too when the stride does not land on it.
  if ((starts.at(-1) ?? 0) + box < size) starts.push(size - box);
  return starts;
}

/** One masked copy of the image into `out` at `offset`. */
function writeMasked(
  image: NetworkImage,
  method: SlidingMethod,
  top: number,
  left: number,
  box: number,
  fill: number,
  out: Float32Array,
  offset: number,
): void {
  const { data, size } = image;
  if (method === 'occlusion') {
    out.set(data, offset);
    for (let y = top; y < top + box; y++) {
      out.fill(fill, offset + (y * size + left) * 3, offset + (y * size + left + box) * 3);
    }
  } else {
    out.fill(fill, offset, offset + size * size * 3);
    for (let y = top; y < top + box; y++) {
      const from = (y * size + left) * 3;
      out.set(data.subarray(from, from + box * 3), offset + from);
    }
  }
}

/**
 * Slides the square over the image and scores every masked copy with `probabilities` (a batch
 * [n, size, size, 3] → [n, classes]; it must not keep its input). Tensors are freed as it goes.
 */
export async function slidingMap(
  image: NetworkImage,
  probabilities: (batch: tf.Tensor4D) => tf.Tensor2D,
  options: SlidingOptions,
): Promise<SlidingMap> {
  const { size, data } = image;
  if (data.length !== size * size * 3) {
    throw new AppError('BAD_ARGUMENT', `Expected ${size}x${size}x3 values, got ${data.length}.`);
  }
  const { method, classIndex, box, stride, fill } = options;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 16));
  const starts = windowStarts(size, box, stride);
  const score = (batch: Float32Array, n: number): Promise<Float32Array> => {
    const column = tf.tidy(() => {
      const probs = probabilities(tf.tensor4d(batch, [n, size, size, 3]));
      if (classIndex < 0 || classIndex >= (probs.shape[1] ?? 0) || !Number.isInteger(classIndex)) {
        throw new AppError(
          'BAD_ARGUMENT',
          `Class ${classIndex} is not one of the model's ${probs.shape[1]} classes.`,
        );
      }
      return tf.slice(probs, [0, classIndex], [n, 1]);
    });
    return takeFloats(column);
  };
  const baseline = (await score(data, 1))[0] as number;

  const windows = starts.flatMap((top) => starts.map((left) => ({ top, left })));
  const results = new Float32Array(windows.length);
  const pixels = size * size * 3;
  for (let first = 0; first < windows.length; first += batchSize) {
    const part = windows.slice(first, first + batchSize);
    const batch = new Float32Array(part.length * pixels);
    part.forEach((w, i) => writeMasked(image, method, w.top, w.left, box, fill, batch, i * pixels));
    results.set(await score(batch, part.length), first);
    if (options.onProgress?.(first + part.length, windows.length) === true) {
      throw new AppError('CANCELLED', 'The heatmap was cancelled.');
    }
  }
  const values = starts.map((_, r) =>
    starts.map((__, c) => {
      const p = results[r * starts.length + c] as number;
      return method === 'occlusion' ? baseline - p : p;
    }),
  );
  return { method, rows: starts.length, cols: starts.length, values, baseline, box, stride };
}
