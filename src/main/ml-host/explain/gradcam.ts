// Grad-CAM (Selvaraju et al. 2017) on the last convolutional activation of the backbone: weight
// each channel by the mean gradient of the city's logit with respect to it, sum, keep the positive
// part. With a global-average-pool + dense head on top, that gradient only flows through the pool
// and the head, so no convolution gradient is needed and it runs on any backend (wasm included):
// one forward pass to the activation and a cheap backward pass, fast enough to feel live.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import { takeFloats } from '../backend/read';
import type { NetworkImage } from './occlusion';

export type GradCamParts = {
  /** Network input [1, s, s, 3] → last conv activation [1, h, w, c] (the pool's input). */
  activation: (input: tf.Tensor4D) => tf.Tensor4D;
  /** Pooled features [1, c] → class logits [1, K] (the head). */
  logits: (features: tf.Tensor2D) => tf.Tensor2D;
};

export type GradCamMap = {
  method: 'gradcam';
  rows: number;
  cols: number;
  /** ReLU of the gradient-weighted channel sum, row 0 at the top (not normalised). */
  values: number[][];
  /** The class's probability on the image. */
  baseline: number;
};

export async function gradCam(
  image: NetworkImage,
  parts: GradCamParts,
  classIndex: number,
): Promise<GradCamMap> {
  const { size, data } = image;
  if (data.length !== size * size * 3) {
    throw new AppError('BAD_ARGUMENT', `Expected ${size}x${size}x3 values, got ${data.length}.`);
  }
  const { map, probabilities, rows, cols } = tf.tidy(() => {
    const a = parts.activation(tf.tensor4d(data, [1, size, size, 3]));
    const [, h = 0, w = 0] = a.shape;
    const logitsOf = (act: tf.Tensor4D): tf.Tensor2D => parts.logits(tf.mean(act, [1, 2]));
    const logits = logitsOf(a);
    const classes = logits.shape[1] ?? 0;
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes) {
      throw new AppError(
        'BAD_ARGUMENT',
        `Class ${classIndex} is not one of the model's ${classes} classes.`,
      );
    }
    const score = (act: tf.Tensor): tf.Scalar =>
      tf.sum(tf.slice(logitsOf(act as tf.Tensor4D), [0, classIndex], [1, 1]));
    const grads = tf.grad(score)(a);
    const weights = tf.mean(grads, [1, 2], true); // [1, 1, 1, c]
    const map = tf.relu(tf.sum(tf.mul(a, weights), 3)); // [1, h, w]
    return { map, probabilities: tf.softmax(logits), rows: h, cols: w };
  });
  const probabilityRead = takeFloats(probabilities);
  const cam = await takeFloats(map);
  const probability = (await probabilityRead)[classIndex] ?? 0;
  const values = Array.from({ length: rows }, (_, r) =>
    Array.from(cam.subarray(r * cols, (r + 1) * cols)),
  );
  return { method: 'gradcam', rows, cols, values, baseline: probability };
}
