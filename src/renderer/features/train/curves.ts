import type { EpochMetrics } from '../../../shared/contract/job-types';

/** Epoch metrics laid out on one x axis: stage 2 continues where stage 1 ended. */
export type Curves = {
  /** Position on the x axis (1-based, across stages). */
  x: number[];
  /** "stage 1 · epoch 3", for hover text. */
  labels: string[];
  loss: number[];
  valLoss: (number | null)[];
  accuracy: number[];
  valAccuracy: (number | null)[];
  learningRate: number[];
  /** Where the rate was divided (between the epoch before and this one). */
  lrDrops: { x: number; from: number; to: number }[];
  /** Where each later stage starts (stage 2: fine-tuning the last block). */
  stageStarts: { x: number; stage: number }[];
  hasVal: boolean;
};

export function buildCurves(epochs: readonly EpochMetrics[]): Curves {
  const sorted = [...epochs].sort((a, b) => a.stage - b.stage || a.epoch - b.epoch);
  const stages = [...new Set(sorted.map((e) => e.stage))];
  const offsets = new Map<number, number>();
  let offset = 0;
  for (const stage of stages) {
    offsets.set(stage, offset);
    offset += Math.max(0, ...sorted.filter((e) => e.stage === stage).map((e) => e.epoch));
  }
  const c: Curves = {
    x: [],
    labels: [],
    loss: [],
    valLoss: [],
    accuracy: [],
    valAccuracy: [],
    learningRate: [],
    lrDrops: [],
    stageStarts: stages.slice(1).map((stage) => ({ stage, x: (offsets.get(stage) ?? 0) + 0.5 })),
    hasVal: sorted.some((e) => e.valAccuracy !== null),
  };
  let prev: EpochMetrics | null = null;
  for (const e of sorted) {
    const x = (offsets.get(e.stage) ?? 0) + e.epoch;
    c.x.push(x);
    c.labels.push(`stage ${e.stage} · epoch ${e.epoch}`);
    c.loss.push(e.loss);
    c.valLoss.push(e.valLoss);
    c.accuracy.push(e.accuracy);
    c.valAccuracy.push(e.valAccuracy);
    c.learningRate.push(e.learningRate);
    if (prev !== null && prev.stage === e.stage && e.learningRate < prev.learningRate) {
      c.lrDrops.push({ x: x - 0.5, from: prev.learningRate, to: e.learningRate });
    }
    prev = e;
  }
  return c;
}

/** The best epoch of each stage as an x position (to mark it on the accuracy chart). */
export function bestPoints(
  curves: Curves,
  best: readonly { stage: number; epoch: number | null }[],
): number[] {
  return best.flatMap((b) => {
    if (b.epoch === null) return [];
    const i = curves.labels.indexOf(`stage ${b.stage} · epoch ${b.epoch}`);
    const x = curves.x[i];
    return i < 0 || x === undefined ? [] : [x];
  });
}
