// Class-maximising images (Simonyan et al. 2014; the paper's section 6.3): gradient ascent on the
// input image, from seeded noise around mid grey, to raise one city's score. The score is the
// city's log-probability, not its pre-softmax logit: with a handful of cities and a linear head,
// raising one logit from noise mostly raised the others' too (measured: London's logit ascent took
// its probability from 0.29 down to 0.19 in 6 steps while Paris rose), whereas the log-probability
// moves the city up and the others down together. Without regularisation the ascent finds
// high-frequency noise the network happens to like, so each step looks at a randomly shifted copy
// (jitter), every few steps the image is blurred a little, an optional L2 decay pulls it back
// towards grey, and pixels stay in the valid range.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { mulberry32 } from '../../../shared/domain/random';
import { takeFloats } from '../backend/read';

export type MaximiseParts = {
  /** Network input [1, s, s, 3] (any s the backbone accepts) → class logits [1, K]. */
  logits: (input: tf.Tensor4D) => tf.Tensor2D;
};

export type MaximiseOptions = {
  classIndex: number;
  /** Side of the optimised image, in network-input pixels. */
  size: number;
  steps: number;
  seed: number;
  /** Network input = pixel (0-255) * scale + offset, as the backbone was trained. */
  normalisation: { scale: number; offset: number };
  /** Step length, as a fraction of the pixel range, for a gradient of unit mean magnitude. */
  stepSize?: number;
  /** Largest random shift per step, in pixels. */
  jitter?: number;
  /** Blur every `blurEvery` steps with a Gaussian of `blurSigma` pixels (0: never). */
  blurEvery?: number;
  blurSigma?: number;
  /** Fraction of the distance to grey removed each step (0: none). */
  decay?: number;
  /** Called after each step; return true to stop (the run then throws CANCELLED). */
  onStep?: (done: number, total: number) => boolean;
};

export type MaximisedImage = {
  size: number;
  /** Interleaved 8-bit RGB, row-major, size x size. */
  rgb: Uint8Array;
  /** The model's probabilities of every class on `rgb` (as saved), at the start and the end. */
  start: number[];
  probabilities: number[];
};

export const MAXIMISE_DEFAULTS = {
  stepSize: 0.01,
  jitter: 8,
  blurEvery: 4,
  blurSigma: 0.6,
  decay: 0.002,
} as const;

/** A normalised separable Gaussian as a [k, k, 3, 1] depthwise filter. */
function gaussianFilter(sigma: number): tf.Tensor4D {
  const radius = Math.max(1, Math.ceil(2 * sigma));
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = taps.reduce((a, b) => a + b, 0);
  const k = taps.length;
  const values = new Float32Array(k * k * 3);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const w = ((taps[r] as number) * (taps[c] as number)) / (total * total);
      for (let ch = 0; ch < 3; ch++) values[(r * k + c) * 3 + ch] = w;
    }
  }
  return tf.tensor4d(values, [k, k, 3, 1]);
}

/** Circular shift of an [1, s, s, 3] image by (dy, dx) pixels (both may be negative). */
function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => {
    const s = x.shape[1];
    const shiftAxis = (t: tf.Tensor4D, by: number, axis: 1 | 2): tf.Tensor4D => {
      const k = ((by % s) + s) % s;
      if (k === 0) return t;
      const begin = [0, 0, 0, 0];
      const size = [-1, -1, -1, -1];
      size[axis] = s - k;
      const head = tf.slice(t, begin, size);
      begin[axis] = s - k;
      size[axis] = k;
      const tail = tf.slice(t, begin, size);
      return tf.concat([tail, head], axis);
    };
    return shiftAxis(shiftAxis(x, dy, 1), dx, 2);
  });
}

function checkOptions(o: MaximiseOptions): void {
  const bad = (what: string): never => {
    throw new AppError('BAD_ARGUMENT', `Class-maximising image: ${what}.`);
  };
  if (!Number.isInteger(o.size) || o.size < 32 || o.size > 1024) bad('size must be 32-1024');
  if (!Number.isInteger(o.steps) || o.steps < 1 || o.steps > 10_000) bad('steps must be 1-10000');
  if (!Number.isInteger(o.seed) || o.seed < 0) bad('the seed must be a non-negative integer');
  if (!(o.normalisation.scale > 0)) bad('the normalisation scale must be positive');
}

/**
 * Runs the ascent (yielding to the event loop between steps) and returns the final image,
 * quantised to 8 bits, with the model's probabilities on exactly those pixels. Every tensor it
 * makes is disposed, on success, error and cancel alike.
 */
export async function maximiseClass(
  parts: MaximiseParts,
  o: MaximiseOptions,
): Promise<MaximisedImage> {
  checkOptions(o);
  const stepSize = o.stepSize ?? MAXIMISE_DEFAULTS.stepSize;
  const jitter = o.jitter ?? MAXIMISE_DEFAULTS.jitter;
  const blurEvery = o.blurEvery ?? MAXIMISE_DEFAULTS.blurEvery;
  const blurSigma = o.blurSigma ?? MAXIMISE_DEFAULTS.blurSigma;
  const decay = o.decay ?? MAXIMISE_DEFAULTS.decay;
  const { scale, offset } = o.normalisation;
  const { size, classIndex } = o;
  const lo = offset;
  const hi = 255 * scale + offset;
  const grey = 128 * scale + offset;
  const range = hi - lo;
  const random = mulberry32(o.seed);

  const probabilitiesOf = async (x: tf.Tensor4D): Promise<number[]> =>
    Array.from(await takeFloats(tf.tidy(() => tf.softmax(parts.logits(x)))));

  // Seeded noise, +-10 grey levels around mid grey: a start with no content of its own.
  const noise = Float32Array.from(
    { length: size * size * 3 },
    () => grey + (random() * 2 - 1) * 10 * scale,
  );
  let x = tf.tensor4d(noise, [1, size, size, 3]);
  const blur = blurEvery > 0 && blurSigma > 0 ? gaussianFilter(blurSigma) : null;
  try {
    const start = await probabilitiesOf(x);
    const classes = start.length;
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Class ${classIndex} is not one of the model's ${classes} classes.`,
      );
    }
    const score = (input: tf.Tensor): tf.Scalar =>
      tf.sum(tf.slice(tf.logSoftmax(parts.logits(input as tf.Tensor4D)), [0, classIndex], [1, 1]));
    const gradient = tf.grad(score);
    for (let step = 1; step <= o.steps; step++) {
      const dy = Math.round((random() * 2 - 1) * jitter);
      const dx = Math.round((random() * 2 - 1) * jitter);
      const next = tf.tidy(() => {
        const shifted = roll(x, dy, dx);
        const g = gradient(shifted);
        // Normalised step: the raw gradient's scale changes by orders of magnitude along the way.
        const unit = tf.div(g, tf.add(tf.mean(tf.abs(g)), 1e-8));
        let moved: tf.Tensor4D = roll(tf.add(shifted, tf.mul(unit, stepSize * range)), -dy, -dx);
        if (decay > 0) moved = tf.add(grey, tf.mul(tf.sub(moved, grey), 1 - decay));
        if (blur !== null && step % blurEvery === 0) {
          moved = tf.depthwiseConv2d(moved, blur, 1, 'same');
        }
        return tf.clipByValue(moved, lo, hi);
      });
      x.dispose();
      x = next;
      // A step takes seconds on cpu: let the host read its channel (a cancel) between steps.
      await new Promise((resolve) => setImmediate(resolve));
      if (o.onStep?.(step, o.steps) === true) {
        throw new AppError('CANCELLED', 'The class-maximising image was cancelled.');
      }
    }
    const values = await x.data();
    const rgb = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      rgb[i] = Math.min(255, Math.max(0, Math.round(((values[i] as number) - offset) / scale)));
    }
    // Scored on the 8-bit pixels as saved, so the stored probability is the image's own.
    const saved = tf.tensor4d(
      Float32Array.from(rgb, (p) => p * scale + offset),
      [1, size, size, 3],
    );
    try {
      return { size, rgb, start, probabilities: await probabilitiesOf(saved) };
    } finally {
      saved.dispose();
    }
  } finally {
    x.dispose();
    blur?.dispose();
  }
}
