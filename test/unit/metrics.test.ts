import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import { calibration, evaluate, wilson } from '../../src/shared/domain/metrics';

const close = (actual: number | null, expected: number, eps = 1e-6): void => {
  assert.ok(actual !== null, `expected ${expected}, got null`);
  assert.ok(Math.abs(actual - expected) < eps, `expected ${expected}, got ${actual}`);
};

// Six images, three classes. Hand-worked below: predictions A, B, C, B, B, A.
const classes = ['A', 'B', 'C'];
const labels = [0, 0, 0, 1, 1, 2];
const probabilities = [
  [0.7, 0.2, 0.1], // A -> A (rank 1), conf .7
  [0.2, 0.5, 0.3], // A -> B (true class rank 3), conf .5
  [0.4, 0.1, 0.5], // A -> C (rank 2), conf .5
  [0.1, 0.8, 0.1], // B -> B, conf .8
  [0.3, 0.6, 0.1], // B -> B, conf .6
  [0.6, 0.3, 0.1], // C -> A (rank 3), conf .6
];

void describe('wilson', () => {
  void it('matches published intervals for 8/10 and 0/10', () => {
    const a = wilson(8, 10);
    close(a.value, 0.8);
    close(a.lo, 0.4902, 1e-4);
    close(a.hi, 0.9433, 1e-4);
    const b = wilson(0, 10);
    assert.equal(b.lo, 0);
    close(b.hi, 0.2775, 1e-4);
  });

  void it('is null (not NaN) with no trials and rejects impossible counts', () => {
    assert.deepEqual(wilson(0, 0), { successes: 0, trials: 0, value: null, lo: null, hi: null });
    assert.throws(
      () => wilson(3, 2),
      (e: unknown) => e instanceof AppError && e.code === 'BAD_ARGUMENT',
    );
  });
});

void describe('evaluate', () => {
  const report = evaluate({ classes, labels, probabilities, topK: [1, 2, 3, 5] });

  void it('builds the confusion matrix with rows true and columns predicted', () => {
    assert.deepEqual(report.confusion, [
      [1, 1, 1],
      [0, 2, 0],
      [1, 0, 0],
    ]);
    assert.equal(report.n, 6);
    assert.equal(report.accuracy.successes, 3);
    close(report.accuracy.value, 0.5);
  });

  void it('computes top-k accuracy and drops k above the class count', () => {
    assert.deepEqual(
      report.topK.map((t) => [t.k, t.successes]),
      [
        [1, 3],
        [2, 4],
        [3, 6],
      ],
    );
  });

  void it('computes per-class precision, recall, F1 and one-vs-rest accuracy', () => {
    const [a, b, c] = report.perClass;
    assert.ok(a && b && c);
    assert.deepEqual([a.support, a.predicted, a.truePositives], [3, 2, 1]);
    close(a.precision.value, 1 / 2);
    close(a.recall.value, 1 / 3);
    close(a.f1, 0.4);
    close(a.binaryAccuracy.value, 3 / 6);
    close(b.precision.value, 2 / 3);
    close(b.recall.value, 1);
    close(b.f1, 0.8);
    close(b.binaryAccuracy.value, 5 / 6);
    close(c.precision.value, 0);
    close(c.recall.value, 0);
    close(c.f1, 0);
    close(report.macro.precision.value, (0.5 + 2 / 3 + 0) / 3);
    close(report.macro.recall.value, (1 / 3 + 1 + 0) / 3);
    close(report.macro.f1.value, 0.4);
  });

  void it('lists the largest confusions', () => {
    assert.deepEqual(report.topConfusions, [
      { true: 'A', predicted: 'B', count: 1 },
      { true: 'A', predicted: 'C', count: 1 },
      { true: 'C', predicted: 'A', count: 1 },
    ]);
  });

  void it('computes log loss, Brier score and calibration', () => {
    const nll = -[0.7, 0.2, 0.4, 0.8, 0.6, 0.1].reduce((s, v) => s + Math.log(v), 0) / 6;
    close(report.logLoss, nll);
    close(report.brier, 3.32 / 6);
    // Bins 5: {.5 wrong, .5 wrong}, 6: {.6 right, .6 wrong}, 7: {.7 right}, 8: {.8 right}.
    close(report.calibration.ece, (2 * 0.5 + 2 * 0.1 + 0.3 + 0.2) / 6);
    close(report.calibration.mce, 0.5);
    const bins = report.calibration.bins;
    assert.equal(bins.length, 10);
    assert.deepEqual(
      bins.map((b) => b.count),
      [0, 0, 0, 0, 0, 2, 2, 1, 1, 0],
    );
    assert.deepEqual(bins[0], { lo: 0, hi: 0.1, count: 0, confidence: null, accuracy: null });
    close(bins[6]!.accuracy, 0.5);
    close(bins[6]!.confidence, 0.6);
  });

  void it('reports uniform and majority-class chance baselines', () => {
    close(report.chance.uniform, 1 / 3);
    assert.equal(report.chance.majority.class, 'A');
    assert.equal(report.chance.majority.source, 'evaluated');
    close(report.chance.majority.accuracy.value, 0.5);
    const withPrior = evaluate({ classes, labels, probabilities, priorCounts: [1, 5, 2] });
    assert.equal(withPrior.chance.majority.class, 'B');
    assert.equal(withPrior.chance.majority.source, 'prior');
    close(withPrior.chance.majority.accuracy.value, 2 / 6);
  });

  void it('accepts a flat Float32Array and gives the same counts', () => {
    const flat = Float32Array.from(probabilities.flat());
    const r = evaluate({ classes, labels: Int32Array.from(labels), probabilities: flat });
    assert.deepEqual(r.confusion, report.confusion);
    assert.deepEqual(
      r.topK.map((t) => t.k),
      [1, 3],
    );
  });

  void it('is null, never NaN, for a class absent from truth and predictions, and JSON-safe', () => {
    const r = evaluate({
      classes: ['A', 'B', 'Z'],
      labels: [0, 1],
      probabilities: [
        [0.9, 0.1, 0],
        [0.2, 0.8, 0],
      ],
    });
    const z = r.perClass[2]!;
    assert.equal(z.precision.value, null);
    assert.equal(z.recall.value, null);
    assert.equal(z.f1, null);
    assert.equal(r.macro.recall.classes, 2);
    close(r.macro.recall.value, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  });

  void it('handles an empty set', () => {
    const r = evaluate({ classes, labels: [], probabilities: [] });
    assert.equal(r.accuracy.value, null);
    assert.equal(r.calibration.ece, 0);
    assert.deepEqual(r.confusion, [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  void it('rejects bad labels, logits and shape mismatches with BAD_ARGUMENT', () => {
    const bad = (fn: () => unknown, pattern: RegExp): void =>
      assert.throws(
        fn,
        (e: unknown) =>
          e instanceof AppError && e.code === 'BAD_ARGUMENT' && pattern.test(e.message),
      );
    bad(() => evaluate({ classes, labels: [3], probabilities: [[1, 0, 0]] }), /labels must be/);
    bad(() => evaluate({ classes, labels: [0], probabilities: [[2, -1, 0.5]] }), /expected >= 0/);
    bad(() => evaluate({ classes, labels: [0], probabilities: [[2, 1, 0.5]] }), /not logits/);
    bad(() => evaluate({ classes, labels: [0, 1], probabilities: [1, 0, 0] }), /Expected 2 x 3/);
    bad(() => evaluate({ classes: ['A'], labels: [], probabilities: [] }), /two classes/);
  });
});

void describe('calibration', () => {
  void it('puts confidence 1 in the last bin', () => {
    const c = calibration([1, 0.05], [true, false]);
    assert.equal(c.bins[9]!.count, 1);
    assert.equal(c.bins[0]!.count, 1);
    close(c.ece, (0 + 0.05) / 2);
  });
});
