// The labeling queues' plain typed-array math: the softmax head, uncertainty scores, k-center
// greedy, the strategies' ranking and confident-learning suspects, on seeded synthetic features.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kCenterGreedy } from '../../src/main/ml-host/labeling/k-center';
import {
  centresFor,
  projectorOf,
  entropyScores,
  marginScores,
  rankCandidates,
} from '../../src/main/ml-host/labeling/rank';
import { chunksOf, scorePool } from '../../src/main/ml-host/labeling/score-pool';
import {
  accuracyOf,
  headProbabilitiesPlain,
  trainSoftmaxHead,
  type FeatureMatrix,
} from '../../src/main/ml-host/labeling/softmax-head';
import {
  confidentSuspects,
  outOfFoldProbabilities,
  stratifiedFolds,
} from '../../src/main/ml-host/labeling/suspects';
import { syntheticFeatures } from '../../src/main/ml-host/train/synthetic';

const K = 4;
const DIM = 24;

function task(n: number, seed: number, spread = 0.6): { data: FeatureMatrix; labels: Int32Array } {
  const set = syntheticFeatures({ n, dim: DIM, classes: K, seed, spread, centreSeed: 7 });
  return { data: { x: set.x, n, dim: DIM }, labels: set.labels };
}

const all = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

void describe('softmax head in typed arrays', () => {
  it('learns separable clusters and generalises to new draws of them', () => {
    const train = task(200, 1);
    const head = trainSoftmaxHead(train.data, all(200), train.labels, K, { seed: 3 });
    assert.deepEqual(
      head.weights.map((w) => [w.name, w.shape]),
      [
        ['logits/kernel', [DIM, K]],
        ['logits/bias', [K]],
      ],
    );
    const test = task(200, 2);
    const probs = headProbabilitiesPlain(head, test.data);
    for (let i = 0; i < 200; i++) {
      const row = probs.subarray(i * K, (i + 1) * K).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(row - 1) < 1e-5);
    }
    assert.ok((accuracyOf(probs, K, test.labels) ?? 0) > 0.95);
    // Seeded: the same call gives the same weights.
    const again = trainSoftmaxHead(train.data, all(200), train.labels, K, { seed: 3 });
    assert.deepEqual(again.weights[0]?.values, head.weights[0]?.values);
  });

  it('applies a hidden ReLU layer exactly as the app head does', () => {
    const head = {
      config: { inputDim: 2, numClasses: 2, hidden: 2, dropout: 0 },
      weights: [
        { name: 'hidden/kernel', shape: [2, 2], values: Float32Array.from([1, 0, 0, -1]) },
        { name: 'hidden/bias', shape: [2], values: Float32Array.from([0, 0]) },
        { name: 'logits/kernel', shape: [2, 2], values: Float32Array.from([1, 0, 0, 1]) },
        { name: 'logits/bias', shape: [2], values: Float32Array.from([0, 0]) },
      ],
    };
    // x = (2, 3): hidden = relu(2, -3) = (2, 0); logits (2, 0); softmax = (e^2, 1) / (e^2 + 1).
    const p = headProbabilitiesPlain(head, { x: Float32Array.from([2, 3]), n: 1, dim: 2 });
    assert.ok(Math.abs((p[0] as number) - Math.exp(2) / (Math.exp(2) + 1)) < 1e-6);
  });
});

void describe('uncertainty scores', () => {
  const probs = Float32Array.from([0.5, 0.5, 0, 1, 0, 0, 0.7, 0.2, 0.1]);
  it('margin is 1 − (top − second)', () => {
    assert.deepEqual(
      [...marginScores(probs, 3, 3)].map((v) => +v.toFixed(4)),
      [1, 0, 0.5],
    );
  });
  it('entropy is normalised by ln k', () => {
    const h = entropyScores(probs, 3, 3);
    assert.ok(Math.abs((h[0] as number) - Math.log(2) / Math.log(3)) < 1e-6);
    assert.equal(h[1], 0);
  });
});

void describe('k-center greedy', () => {
  it('picks the point farthest from the centres, then the one farthest from both', () => {
    const candidates = { x: Float32Array.from([0.1, 0, 5, 0, 10, 0, 9, 0]), n: 4, dim: 2 };
    const centres = { x: Float32Array.from([0, 0]), n: 1, dim: 2 };
    const picks = kCenterGreedy(candidates, centres, 3);
    assert.deepEqual(
      picks.map((p) => p.index),
      [2, 1, 3],
    );
    assert.equal(picks[0]?.distance, 10);
  });
});

void describe('ranking strategies', () => {
  const pool = task(400, 5, 1.2);
  const seedSet = task(40, 6, 1.2);
  const head = trainSoftmaxHead(seedSet.data, all(40), seedSet.labels, K, { seed: 1 });
  const scored = scorePool(head, chunksOf(pool.data), () => undefined, 64);
  const input = {
    n: 20,
    seed: 4,
    count: scored.rows,
    probs: scored.probs,
    k: K,
    project: projectorOf(pool.data, 4),
    centres: centresFor(seedSet.data, 4),
  };

  it('margin puts the least decided photos first', () => {
    const ranked = rankCandidates({ ...input, strategy: 'margin' });
    const margins = marginScores(scored.probs, 400, K);
    const worstOutside = Math.min(
      ...[...margins].filter((_, i) => !ranked.some((r) => r.index === i)).map((m) => 1 - m),
    );
    assert.equal(ranked.length, 20);
    for (const r of ranked) assert.ok(1 - r.score <= worstOutside + 1e-6);
  });

  it('random is seeded', () => {
    const a = rankCandidates({ ...input, strategy: 'random' }).map((r) => r.index);
    const b = rankCandidates({ ...input, strategy: 'random' }).map((r) => r.index);
    const c = rankCandidates({ ...input, strategy: 'random', seed: 5 }).map((r) => r.index);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('hybrid picks only among the most uncertain, spread out', () => {
    const hybrid = rankCandidates({ ...input, strategy: 'hybrid' });
    const uncertain = new Set(
      rankCandidates({ ...input, n: 100, strategy: 'margin' }).map((r) => r.index),
    );
    assert.equal(new Set(hybrid.map((r) => r.index)).size, 20);
    for (const r of hybrid) assert.ok(uncertain.has(r.index));
  });

  it('diverse spreads its picks over more clusters than their share', () => {
    const picks = rankCandidates({ ...input, n: 8, strategy: 'diverse' });
    assert.ok(new Set(picks.map((p) => pool.labels[p.index])).size >= 3);
    for (let i = 1; i < picks.length; i++) {
      assert.ok((picks[i]?.score ?? 0) <= (picks[i - 1]?.score ?? 0) + 1e-9);
    }
  });
});

void describe('confident-learning suspects', () => {
  it('stratified folds spread every class evenly', () => {
    const labels = Int32Array.from({ length: 30 }, (_, i) => i % 3);
    const folds = stratifiedFolds(labels, 3, 5, 1);
    for (let f = 0; f < 5; f++) {
      assert.equal(folds.filter((g) => g === f).length, 6);
    }
  });

  it('finds flipped labels with out-of-fold heads', () => {
    const n = 400;
    const { data, labels } = task(n, 9, 0.5);
    const noisy = Int32Array.from(labels);
    const flipped = new Set<number>();
    for (let i = 0; i < n; i += 20) {
      noisy[i] = ((labels[i] as number) + 1) % K;
      flipped.add(i);
    }
    const probs = outOfFoldProbabilities(data, noisy, K, 5, { seed: 2 });
    const { suspects, thresholds } = confidentSuspects(probs, noisy, K);
    assert.equal(thresholds.length, K);
    const top = suspects.slice(0, flipped.size);
    const hits = top.filter((s) => flipped.has(s.index)).length;
    assert.ok(hits / top.length >= 0.8, `precision ${hits}/${top.length}`);
    assert.ok(hits >= flipped.size / 2, `recall ${hits}/${flipped.size}`);
    for (const s of top.filter((t) => flipped.has(t.index))) {
      assert.equal(s.suggested, labels[s.index]);
    }
  });
});
