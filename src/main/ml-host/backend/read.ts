// Reading tensor values back from the backend. Always asynchronous: the webgpu backend in Node
// cannot read synchronously (its dataSync/readSync path needs OffscreenCanvas, which Node lacks),
// and an async read on the other backends costs nothing extra.
import type * as tf from '@tensorflow/tfjs';

/** A copy of the values of `t` (which stays alive: a variable, say). */
export async function copyFloats(t: tf.Tensor): Promise<Float32Array> {
  // The cpu backend hands out its own storage: copy, so later writes to `t` do not show through.
  return Float32Array.from((await t.data()) as ArrayLike<number>);
}

/** The values of `t` as a Float32Array; disposes `t` (even when the read fails). */
export async function takeFloats(t: tf.Tensor): Promise<Float32Array> {
  try {
    const values = await t.data();
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  } finally {
    t.dispose();
  }
}

/** The first value of `t` as a number; disposes `t`. */
export async function takeScalar(t: tf.Tensor): Promise<number> {
  return (await takeFloats(t))[0] ?? Number.NaN;
}
