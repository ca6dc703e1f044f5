// The open-set score on the tfjs backend, for prediction: the same numbers as openSetScores
// (open-set.ts, plain code, used when fitting), but the whitening is one matrix product over the
// batch instead of a triangular solve per photo, so the score stays a small share of predict time
// on every backend (`npm run bench -- openset` measures it).
import * as tf from '@tensorflow/tfjs';
import { takeFloats } from '../backend/read';
import type { ClassGaussians } from '../../platform/model-bundle/open-set-arrays';

export class BackendOpenSetScorer {
  /** Wᵀ [D, D] (so that y = f Wᵀ) and the whitened city means [K, D]. */
  private readonly wT: tf.Tensor2D;
  private readonly means: tf.Tensor2D;

  constructor(private readonly g: ClassGaussians) {
    const { dim, numClasses, whitening, whitenedMeans } = g;
    const wT = new Float32Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      const ri = (i * (i + 1)) / 2;
      for (let k = 0; k <= i; k++) wT[k * dim + i] = whitening[ri + k]!;
    }
    this.wT = tf.tensor2d(wT, [dim, dim]);
    this.means = tf.tensor2d(whitenedMeans, [numClasses, dim]);
  }

  /**
   * Scores of backbone features [n, D] (any real values): L2-normalise, whiten, squared distance
   * to the nearest whitened city mean, per feature dimension. Reads with `await data()`.
   */
  score(features: Float32Array): Promise<Float32Array> {
    const dim = this.g.dim;
    const rows = features.length / dim;
    return takeFloats(
      tf.tidy(() => {
        const f = tf.tensor2d(features, [rows, dim]);
        const unit = tf.div(f, tf.maximum(tf.norm(f, 'euclidean', 1, true), 1e-12));
        const y = tf.matMul(unit, this.wT);
        // ||y - m||² = ||y||² - 2 y·m + ||m||², for every photo and city at once.
        const d2 = tf.add(
          tf.sub(tf.sum(tf.square(y), 1, true), tf.mul(2, tf.matMul(y, this.means, false, true))),
          tf.sum(tf.square(this.means), 1),
        );
        return tf.div(tf.maximum(tf.min(d2, 1), 0), dim);
      }),
    );
  }

  dispose(): void {
    tf.dispose([this.wT, this.means]);
  }
}
