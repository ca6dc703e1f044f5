import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/errors';
import type { OptimizerName } from '../../../shared/contract/ml-types';
import type { NamedArray } from './types';
import { copyFloats } from '../backend/read';

/**
 * SGD with momentum and Adam over a fixed list of variables, written out here rather than taken from
 * tf.train so that (1) the learning rate is a plain number changed between epochs, (2) the whole
 * state (slots + step count) reads and writes as named arrays for exact checkpoint/resume, and
 * (3) dispose() frees everything (tf.train.momentum leaks its learning-rate scalar).
 *
 * Updates match tf.train: momentum  a = m*a + g;  w -= lr*a.
 * Adam (Kingma & Ba with bias correction): m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
 * w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps).
 */
export type OptimizerSettings = {
  kind: OptimizerName;
  learningRate: number;
  momentum: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
};

export type OptimizerState = { kind: OptimizerName; iterations: number; slots: NamedArray[] };

export class TrainOptimizer {
  learningRate: number;
  private iterations = 0;
  private readonly slots: tf.Variable[][];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly settings: OptimizerSettings,
  ) {
    this.learningRate = settings.learningRate;
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-7;
    const perVariable = settings.kind === 'adam' ? 2 : 1;
    this.slots = variables.map((v) =>
      Array.from({ length: perVariable }, () => tf.tidy(() => tf.variable(tf.zerosLike(v), false))),
    );
  }

  /**
   * Computes the gradients of `loss` (a scalar) with respect to the variables and applies one
   * update. Call inside tf.tidy: the returned loss tensor belongs to the caller's scope.
   */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(loss, [...this.variables]);
    const ordered = this.variables.map((v) => grads[v.name] ?? null);
    this.apply(ordered);
    tf.dispose(ordered.filter((g): g is tf.Tensor => g !== null));
    return value;
  }

  /**
   * One update from `grads` (one per variable in the constructor's order; null skips it): a
   * data-parallel step adds the threads' gradients up first. The caller owns them.
   */
  apply(grads: readonly (tf.Tensor | null)[]): void {
    if (grads.length !== this.variables.length) {
      throw new AppError(
        'INTERNAL',
        `Expected ${this.variables.length} gradients, got ${grads.length}.`,
      );
    }
    this.iterations += 1;
    const lr = this.learningRate;
    const t = this.iterations;
    const adamRate = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    this.variables.forEach((variable, i) => {
      const g = grads[i];
      if (g === null || g === undefined) return;
      const slots = this.slots[i] as tf.Variable[];
      tf.tidy(() => {
        if (this.settings.kind === 'sgd') {
          const a = slots[0] as tf.Variable;
          const next = a.mul(this.settings.momentum).add(g);
          a.assign(next);
          variable.assign(variable.sub(next.mul(lr)));
        } else {
          const [m, v] = slots as [tf.Variable, tf.Variable];
          const nextM = m.mul(this.beta1).add(g.mul(1 - this.beta1));
          const nextV = v.mul(this.beta2).add(g.square().mul(1 - this.beta2));
          m.assign(nextM);
          v.assign(nextV);
          variable.assign(variable.sub(nextM.mul(adamRate).div(nextV.sqrt().add(this.epsilon))));
        }
      });
    });
  }

  /** Copies the state out (call between batches). */
  async readState(): Promise<OptimizerState> {
    const slots: NamedArray[] = [];
    for (const [i, list] of this.slots.entries()) {
      for (const [j, slot] of list.entries()) {
        slots.push({ name: `${i}/${j}`, shape: [...slot.shape], values: await copyFloats(slot) });
      }
    }
    return { kind: this.settings.kind, iterations: this.iterations, slots };
  }

  writeState(state: OptimizerState): void {
    if (state.kind !== this.settings.kind) {
      throw new AppError(
        'CONFLICT',
        `Checkpoint optimizer is ${state.kind}, this run uses ${this.settings.kind}.`,
      );
    }
    const flat = this.slots.flatMap((list, i) =>
      list.map((slot, j) => ({ slot, name: `${i}/${j}` })),
    );
    if (flat.length !== state.slots.length) {
      throw new AppError('MODEL_INVALID', 'Checkpoint optimizer state does not fit this model.');
    }
    flat.forEach(({ slot, name }, k) => {
      const saved = state.slots[k] as NamedArray;
      if (saved.name !== name || saved.values.length !== slot.size) {
        throw new AppError('MODEL_INVALID', `Checkpoint optimizer slot ${name} does not fit.`);
      }
      tf.tidy(() => slot.assign(tf.tensor(saved.values, slot.shape)));
    });
    this.iterations = state.iterations;
  }

  dispose(): void {
    this.slots.forEach((list) => list.forEach((s) => s.dispose()));
  }
}
