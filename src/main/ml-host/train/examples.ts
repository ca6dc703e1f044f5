import { AppError } from '../../../shared/contract/errors';
import type { ImbalanceMode } from '../../../shared/contract/ml-types';
import type { Prng } from './prng';
import type { ExampleSet } from './types';

export function rowSizeOf(rowShape: readonly number[]): number {
  return rowShape.reduce((a, b) => a * b, 1);
}

/** Checks shapes and labels up front so a bad cache fails with a message, not a tfjs stack. */
export function checkExampleSet(set: ExampleSet, numClasses: number, what: string): void {
  if (set.rowShape.length === 0 || set.rowShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new AppError('BAD_ARGUMENT', `${what}: rowShape must be positive integers.`, {
      rowShape: [...set.rowShape],
    });
  }
  const n = set.labels.length;
  if (set.x instanceof Float32Array && set.x.length !== n * rowSizeOf(set.rowShape)) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${what}: ${set.x.length} values do not make ${n} rows of shape [${set.rowShape.join(', ')}].`,
    );
  }
  for (let i = 0; i < n; i++) {
    const y = set.labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new AppError(
        'BAD_ARGUMENT',
        `${what}: label ${i} is ${y}; labels must be integers in [0, ${numClasses}).`,
      );
    }
  }
}

export function classCounts(labels: ExampleSet['labels'], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i] as number]! += 1;
  return counts;
}

/**
 * 'balanced' class weights n / (present * n_c) (as scikit-learn computes them): every class then
 * carries the same total weight and the mean weight per example is 1. Absent classes get 0.
 */
export function balancedClassWeights(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? n / (present * c) : 0));
}

/** The per-class loss weights of a training set: balanced for 'classWeights', else all 1. */
export function lossClassWeights(
  labels: ExampleSet['labels'],
  numClasses: number,
  imbalance: ImbalanceMode,
): number[] {
  const counts = classCounts(labels, numClasses);
  return imbalance === 'classWeights' ? balancedClassWeights(counts) : counts.map(() => 1);
}

/** Label-order fingerprint of a set (FNV-1a over labels), so a checkpoint refuses other data. */
export function labelsHash(labels: ExampleSet['labels']): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < labels.length; i++) {
    h ^= (labels[i] as number) & 0xffff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${labels.length}:${h.toString(16)}`;
}

/**
 * The example order of one epoch: a permutation of [0, n) (every example once), or with
 * 'balancedSampling' n draws where each present class is equally likely (with replacement).
 */
export function epochOrder(
  labels: ExampleSet['labels'],
  numClasses: number,
  mode: ImbalanceMode,
  prng: Prng,
): Int32Array {
  const n = labels.length;
  if (mode !== 'balancedSampling') {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return prng.shuffle(order);
  }
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < n; i++) byClass[labels[i] as number]!.push(i);
  const present = byClass.filter((members) => members.length > 0);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const members = present[prng.int(present.length)] as number[];
    order[i] = members[prng.int(members.length)] as number;
  }
  return order;
}

/**
 * Copies the rows `indices` of a set into one new Float32Array [indices.length, ...rowShape].
 * A fresh array per batch: tfjs backends may keep a reference to the array a tensor was made from.
 */
export function gatherRows(set: ExampleSet, indices: Int32Array, epoch?: number): Float32Array {
  const rowSize = rowSizeOf(set.rowShape);
  const out = new Float32Array(indices.length * rowSize);
  if (typeof set.x === 'function') {
    set.x(indices, out, epoch);
    return out;
  }
  const x = set.x;
  for (let r = 0; r < indices.length; r++) {
    const start = (indices[r] as number) * rowSize;
    out.set(x.subarray(start, start + rowSize), r * rowSize);
  }
  return out;
}

export function gatherLabels(set: ExampleSet, indices: Int32Array): Int32Array {
  const out = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) out[r] = set.labels[indices[r] as number] as number;
  return out;
}
