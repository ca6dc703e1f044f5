import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { CityProbability, EvaluationReport } from '../../../shared/contract/ml-types';
import { evaluate } from '../../../shared/domain/metrics';
import { headProbabilities, type HeadModel } from '../train/head';
import type { ExampleSet, HeadState } from '../train/types';

/**
 * The `k` most likely classes of each row of `probabilities` (flat [n, K], rows summing to 1),
 * most likely first; ties keep class order.
 */
export function topK(
  probabilities: Float32Array,
  classes: readonly string[],
  k: number,
): CityProbability[][] {
  const K = classes.length;
  if (probabilities.length % K !== 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${probabilities.length} probabilities are not rows of ${K}.`,
    );
  }
  const take = Math.max(1, Math.min(k, K));
  const out: CityProbability[][] = [];
  for (let off = 0; off < probabilities.length; off += K) {
    const row = classes.map((city, j) => ({ city, probability: probabilities[off + j] as number }));
    out.push(row.sort((a, b) => b.probability - a.probability).slice(0, take));
  }
  return out;
}

/** Top-k cities for cached features [n, D] (row-major) through a trained head. */
export async function predictTopK(
  head: HeadState,
  features: Float32Array,
  classes: readonly string[],
  k: number,
): Promise<CityProbability[][]> {
  if (classes.length !== head.config.numClasses) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${classes.length} class names for a ${head.config.numClasses}-class head.`,
    );
  }
  return topK(await headProbabilities(head, features), classes, k);
}

/**
 * Class probabilities [V, K] for a batch through the (optionally fine-tuned) upper model and the
 * head: `input` is features [V, D] when `upper` is null, else block inputs [V, h, w, c]. Used as
 * the `predict` of ttaProbabilities. The caller disposes the result.
 */
export function modelProbabilities(
  head: HeadModel,
  upper: tf.LayersModel | null,
  input: tf.Tensor,
): tf.Tensor2D {
  return tf.tidy(() => {
    let f = upper === null ? input : (upper.predict(input) as tf.Tensor);
    if (f.rank === 4) f = tf.mean(f, [1, 2]);
    return tf.softmax(head.logits(f as tf.Tensor2D));
  });
}

/**
 * Runs the head over a cached feature set and evaluates it: the numbers of an EvaluationReport
 * (accuracy with its interval, confusion, per-city metrics, calibration, chance baselines).
 * `priorCounts` (training class counts) picks the majority-class baseline.
 */
export async function evaluateHead(
  head: HeadState,
  set: ExampleSet & { x: Float32Array },
  classes: readonly string[],
  priorCounts?: readonly number[],
): Promise<EvaluationReport> {
  const probabilities = await headProbabilities(head, set.x);
  return evaluate({
    classes,
    labels: set.labels,
    probabilities,
    ...(priorCounts === undefined ? {} : { priorCounts }),
  });
}
