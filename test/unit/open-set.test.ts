// The open-set numbers and the statistics behind the "unknown" answer, on hand-made data whose
// answers are known: AUROC with ties, thresholds, the Cholesky solve, Mahalanobis distances
// against a direct computation, temperature scaling recovering a known temperature.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  auroc,
  coverageCurve,
  defaultThreshold,
  flaggedShare,
  fprAt95,
  isUnknown,
  keepRateForThreshold,
  keepThreshold,
  normalQuantile,
  thresholdForKeepRate,
} from '../../src/shared/domain/open-set';
import { fitClassGaussians, mahalanobisDistances } from '../../src/main/ml-host/openset/gaussian';
import {
  choleskyPacked,
  forwardSolve,
  invertLowerPacked,
  lowerTimes,
  shrunkCovariance,
} from '../../src/main/ml-host/openset/linalg';
import {
  energyScores,
  knnScores,
  l2Normalised,
  mspScores,
} from '../../src/main/ml-host/openset/scores';
import { fitTemperature, meanNll, softmaxRows } from '../../src/main/ml-host/openset/temperature';
import { fitOpenSet, openSetScores } from '../../src/main/ml-host/openset/open-set';
import { Prng } from '../../src/main/ml-host/train/prng';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} is not within ${tol} of ${b}`);

/** Box-Muller normal samples from the app's seeded generator. */
function gaussian(prng: Prng): number {
  const u = Math.max(prng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
}

void describe('open-set metrics', () => {
  test('AUROC: perfect, reversed, chance and ties counted half', () => {
    assert.equal(auroc([1, 2, 3], [4, 5]), 1);
    assert.equal(auroc([4, 5], [1, 2, 3]), 0);
    assert.equal(auroc([1, 1], [1, 1]), 0.5);
    // Pairs (inside, outside): (1,2) win, (1,1) tie, (3,2) loss, (3,1) loss → (1 + 0.5) / 4.
    assert.equal(auroc([1, 3], [2, 1]), 0.375);
    assert.equal(auroc([], [1]), null);
  });

  test('thresholds keep the asked share; FPR at 95% TPR; flagged share', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    assert.equal(keepThreshold(scores, 0.95), 95);
    assert.equal(flaggedShare(scores, 95), 0.05);
    // Outside photos 90..109: those at or below 95 (90-95: 6 of 20) keep a city.
    const outside = Array.from({ length: 20 }, (_, i) => 90 + i);
    close(fprAt95(scores, outside)!, 6 / 20, 1e-12);
    assert.equal(isUnknown(96, 95), true);
    assert.equal(isUnknown(95, 95), false);
    assert.equal(isUnknown(null, 95), false);
    assert.equal(isUnknown(1000, null), false);
  });

  test('keep rate and threshold map onto each other through the stored quantiles', () => {
    const q = Array.from({ length: 101 }, (_, i) => i / 10); // score at quantile i/100 is i/10
    close(thresholdForKeepRate(q, 0.95), 9.5, 1e-12);
    close(thresholdForKeepRate(q, 0.955), 9.55, 1e-12);
    close(keepRateForThreshold(q, 9.55), 0.955, 1e-12);
    assert.equal(keepRateForThreshold(q, -1), 0);
    assert.equal(keepRateForThreshold(q, 11), 1);
  });

  test('coverage curve: most in-distribution first, accuracy of what is kept', () => {
    // Low scores right, high scores wrong: keeping fewer photos raises accuracy.
    const scores = [1, 2, 3, 4];
    const correct = [true, true, false, false];
    const curve = coverageCurve(scores, correct, 4);
    assert.deepEqual(
      curve.map((p) => [p.coverage, p.accuracy, p.threshold]),
      [
        [0.25, 1, 1],
        [0.5, 1, 2],
        [0.75, 2 / 3, 3],
        [1, 0.5, 4],
      ],
    );
  });

  test('normal quantiles', () => {
    close(normalQuantile(0.95), 1.6448536, 1e-6);
    close(normalQuantile(0.5), 0, 1e-12);
    close(normalQuantile(0.01), -2.3263479, 1e-6);
  });

  test('the default threshold widens for small sets and meets the quantile for large ones', () => {
    const prng = new Prng(3);
    const draw = (n: number) => Array.from({ length: n }, () => Math.exp(0.3 * gaussian(prng)));
    const small = draw(6);
    assert.ok(defaultThreshold(small, 0.95) > Math.max(...small));
    const large = draw(5000);
    assert.equal(defaultThreshold(large, 0.95), keepThreshold(large, 0.95));
    // For lognormal(0, 0.3) the true 95% point is exp(0.3 * 1.645) = 1.638.
    close(defaultThreshold(large, 0.95), 1.638, 0.05);
    // A fresh photo of the same kind is kept 95% of the time with the small-set threshold or more.
    const t = defaultThreshold(draw(20), 0.95);
    const fresh = draw(4000);
    assert.ok((flaggedShare(fresh, t) ?? 1) <= 0.05, `flagged ${flaggedShare(fresh, t)}`);
  });
});

void describe('open-set statistics', () => {
  test('Cholesky factor and forward solve reproduce a known matrix and system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]]
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const l = choleskyPacked(a, 3);
    // L L^T must give back A.
    const full = (i: number, j: number) => (j <= i ? l[(i * (i + 1)) / 2 + j]! : 0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += full(i, k) * full(j, k);
        close(s, a[i * 3 + j]!, 1e-12, `A[${i}][${j}]`);
      }
    }
    const y = forwardSolve(l, [2, 1, 3], 3);
    // L y = b
    close(full(0, 0) * y[0]!, 2, 1e-12);
    close(full(1, 0) * y[0]! + full(1, 1) * y[1]!, 1, 1e-12);
    close(full(2, 1) * y[1]! + full(2, 2) * y[2]!, 3, 1e-12);
    // The inverse whitens: L⁻¹ (L y) = y.
    const w = invertLowerPacked(l, 3);
    const back = lowerTimes(w, lowerTimes(l, [0.5, -2, 7], 3), 3);
    [0.5, -2, 7].forEach((v, i) => close(back[i]!, v, 1e-12, `component ${i}`));
    assert.throws(
      () => choleskyPacked(Float64Array.from([1, 2, 2, 1]), 2),
      /not positive definite/,
    );
  });

  test('Ledoit-Wolf: almost no shrinkage with plenty of rows, much with few', () => {
    const prng = new Prng(7);
    const rows = (n: number, d: number) =>
      Float64Array.from({ length: n * d }, (_, i) => gaussian(prng) * (1 + (i % d)));
    const many = shrunkCovariance(rows(4000, 4), 4000, 4);
    assert.ok(many.shrinkage < 0.05, `shrinkage ${many.shrinkage}`);
    close(many.covariance[3 * 4 + 3]!, 16, 1.5, 'variance of the 4th coordinate');
    const few = shrunkCovariance(rows(6, 40), 6, 40);
    assert.ok(few.shrinkage > 0.3, `shrinkage ${few.shrinkage}`);
  });

  test('Mahalanobis distance to the nearest class equals a direct computation', () => {
    const prng = new Prng(11);
    const d = 3;
    const n = 600;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const features = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      const shift = labels[r] === 0 ? -2 : 2;
      features[r * d] = shift + gaussian(prng);
      features[r * d + 1] = 0.5 * gaussian(prng);
      features[r * d + 2] = 3 * gaussian(prng);
    }
    const g = fitClassGaussians(features, labels, d, 2);
    // Rebuild Σ from the stored Cholesky factor and the class means from the whitened ones.
    // Σ = L Lᵀ with L the inverse of the stored whitening.
    const l = invertLowerPacked(g.whitening, d);
    const at = (i: number, j: number) => (j <= i ? l[(i * (i + 1)) / 2 + j]! : 0);
    const sigma = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => [0, 1, 2].reduce((s, k) => s + at(i, k) * at(j, k), 0)),
    );
    const mean = (c: number) =>
      [0, 1, 2].map((i) =>
        [0, 1, 2].reduce((s, k) => s + at(i, k) * g.whitenedMeans[c * d + k]!, 0),
      );
    close(mean(0)[0]!, -2, 0.2, 'class 0 mean');
    close(mean(1)[0]!, 2, 0.2, 'class 1 mean');
    close(sigma[2]![2]!, 9, 1.2, 'variance of the third coordinate');
    // Direct: min_c (f - μ_c)ᵀ Σ⁻¹ (f - μ_c), Σ⁻¹ by Cramer's rule on the 3x3 matrix.
    const [s0, s1, s2] = sigma as [number[], number[], number[]];
    const det =
      s0[0]! * (s1[1]! * s2[2]! - s1[2]! * s2[1]!) -
      s0[1]! * (s1[0]! * s2[2]! - s1[2]! * s2[0]!) +
      s0[2]! * (s1[0]! * s2[1]! - s1[1]! * s2[0]!);
    const inv = [0, 1, 2].map((i) =>
      [0, 1, 2].map((j) => {
        const rows = [0, 1, 2].filter((r) => r !== j);
        const cols = [0, 1, 2].filter((c) => c !== i);
        const m = (r: number, c: number) => sigma[rows[r]!]![cols[c]!]!;
        return (((i + j) % 2 === 0 ? 1 : -1) * (m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0))) / det;
      }),
    );
    const probe = Float32Array.from([0.3, 1.5, -4]);
    const direct = Math.min(
      ...[0, 1].map((c) => {
        const v = [0, 1, 2].map((i) => probe[i]! - mean(c)[i]!);
        return [0, 1, 2].reduce(
          (s, i) => s + [0, 1, 2].reduce((t, j) => t + v[i]! * inv[i]![j]! * v[j]!, 0),
          0,
        );
      }),
    );
    close(mahalanobisDistances(g, probe)[0]!, direct, 1e-3 * direct, 'distance');
  });

  test('a feature far from both classes scores far above the training photos', () => {
    const prng = new Prng(5);
    const d = 16;
    const n = 400;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const features = Float32Array.from({ length: n * d }, (_, i) => {
      const r = Math.floor(i / d);
      return (i % d === 0 ? (labels[r] === 0 ? -3 : 3) : 0) + gaussian(prng);
    });
    const g = fitClassGaussians(features, labels, d, 2);
    const inside = mahalanobisDistances(g, features);
    const far = Float32Array.from(
      { length: 20 * d },
      (_, i) => (i % d === 1 ? 8 : 0) + gaussian(prng),
    );
    const outside = mahalanobisDistances(g, far);
    assert.ok((auroc(inside, outside) ?? 0) > 0.99);
  });

  test('scores: softmax, MSP, energy, kNN on hand-made logits and features', () => {
    const logits = Float32Array.from([2, 0, 0, 0]); // two rows of two classes
    const p = softmaxRows(logits, 2);
    close(p[0]!, 1 / (1 + Math.exp(-2)), 1e-6);
    close(p[2]!, 0.5, 1e-9);
    const msp = mspScores(logits, 2);
    close(msp[1]!, 0.5, 1e-6);
    const energy = energyScores(logits, 2);
    close(energy[1]!, -Math.log(2), 1e-6);
    assert.ok(energy[0]! < energy[1]!);
    const bank = l2Normalised(Float32Array.from([1, 0, 0, 1]), 2);
    const q = l2Normalised(Float32Array.from([1, 0, 1, 1]), 2);
    const knn = knnScores(bank, q, 2, 1);
    close(knn[0]!, 0, 1e-6);
    close(knn[1]!, 1 - Math.SQRT1_2, 1e-6);
  });

  test('a library with no validation split and too few photos to cross-fit still gets a threshold', () => {
    const d = 4;
    const features = Float32Array.from([1, 0, 0, 0, 0.9, 0.1, 0, 0, 0, 1, 0, 0, 0.1, 0.9, 0, 0]);
    const model = fitOpenSet({
      head: { config: { inputDim: d, numClasses: 2, hidden: null, dropout: 0 }, weights: [] },
      train: { features, labels: [0, 0, 1, 1] },
      val: null,
      trainLogits: Float32Array.from([2, 0, 2, 0, 0, 2, 0, 2]),
    });
    assert.equal(model.stats.fittedOn, 'train');
    assert.equal(model.stats.count, 4);
    assert.ok(Number.isFinite(model.stats.threshold) && model.stats.threshold > 0);
    assert.ok(model.stats.quantiles.every(Number.isFinite));
    // A feature unlike both cities scores above it.
    assert.ok(openSetScores(model, Float32Array.from([0, 0, 1, 0]))[0]! > model.stats.threshold);
  });

  test('temperature scaling recovers the temperature that made the labels', () => {
    const prng = new Prng(9);
    const k = 3;
    const n = 3000;
    const trueT = 2.5;
    const logits = new Float32Array(n * k);
    const labels = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) logits[r * k + j] = 3 * gaussian(prng);
      // Sample the label from softmax(logits / trueT): the model is overconfident by 2.5x.
      const p = softmaxRows(logits.subarray(r * k, (r + 1) * k), k, trueT);
      const u = prng.next();
      labels[r] = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    }
    const t = fitTemperature(logits, labels, k);
    close(t, trueT, 0.25, 'fitted temperature');
    assert.ok(meanNll(logits, labels, k, t) < meanNll(logits, labels, k, 1));
    // Every validation photo right: nothing to calibrate on, the temperature stays 1.
    assert.equal(fitTemperature(Float32Array.from([5, 0, 0, 5]), [0, 1], 2), 1);
  });
});
