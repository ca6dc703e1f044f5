// Comparing two stored evaluations (no DOM): per-city rows over both sets of cities, the headline
// difference and whether the intervals separate, and the grouped bar chart's traces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MlBarTrace } from 'plotly.js/dist/plotly-basic.min.js';
import type { StoredEvaluation } from '../../src/shared/contract/ml-types';
import {
  compareChart,
  compareCities,
  compareHeadline,
} from '../../src/renderer/features/evaluate/compare-data';
import { evaluate } from '../../src/shared/domain/metrics';

function stored(
  id: number,
  classes: string[],
  labels: number[],
  predicted: number[],
): StoredEvaluation {
  const report = evaluate({
    classes,
    labels,
    probabilities: predicted.map((p) =>
      classes.map((_, j) => (j === p ? 0.9 : 0.1 / (classes.length - 1))),
    ),
  });
  return {
    id,
    modelId: `m${id}`,
    dataset: 'test',
    openSet: null,
    sources: [],
    tta: 'center',
    createdAt: '2026-11-25T10:00:00Z',
    report,
    skipped: [],
  };
}

describe('comparing two evaluations', () => {
  // A: London 2/2, Paris 1/2. B: London 1/2, Paris 2/2, Rome 1/1 (a city A does not have).
  const a = stored(1, ['London', 'Paris'], [0, 0, 1, 1], [0, 0, 1, 0]);
  const b = stored(2, ['London', 'Paris', 'Rome'], [0, 0, 1, 1, 2], [0, 1, 1, 1, 2]);

  it('per-city rows over the cities of both, with the difference where both have photos', () => {
    const rows = compareCities(a, b);
    assert.deepEqual(
      rows.map((r) => [r.city, r.a?.value ?? null, r.b?.value ?? null, r.delta]),
      [
        ['London', 1, 0.5, -0.5],
        ['Paris', 0.5, 1, 0.5],
        ['Rome', null, 1, null],
      ],
    );
  });

  it('headline: accuracies, the difference, and whether the 95% intervals overlap', () => {
    const h = compareHeadline(a, b);
    assert.equal(h.accuracy[0].value, 0.75);
    assert.equal(h.accuracy[1].value, 0.8);
    assert.ok(Math.abs((h.delta as number) - 0.05) < 1e-12);
    assert.equal(h.separated, false, 'four and five photos cannot tell these apart');
    const zeros = (n: number): number[] => Array.from({ length: n }, () => 0);
    const ones = (n: number): number[] => Array.from({ length: n }, () => 1);
    const big = stored(3, ['X', 'Y'], zeros(200), zeros(200));
    const bad = stored(4, ['X', 'Y'], zeros(200), ones(200));
    assert.equal(compareHeadline(big, bad).separated, true);
  });

  it('grouped bars with asymmetric 95% error bars, named after the two evaluations', () => {
    const chart = compareChart(compareCities(a, b), ['A: m1', 'B: m2']);
    const [ta, tb] = chart.data as MlBarTrace[];
    assert.equal(chart.layout.barmode, 'group');
    assert.deepEqual([ta?.name, tb?.name], ['A: m1', 'B: m2']);
    assert.deepEqual(ta?.x, ['London', 'Paris', 'Rome']);
    assert.deepEqual(ta?.y, [1, 0.5, 0]);
    assert.deepEqual(ta?.customdata?.[2], 'no photo of this city');
    const london = a.report.perClass[0]!.recall;
    assert.ok(Math.abs((ta?.error_y?.arrayminus[0] ?? 0) - (1 - (london.lo as number))) < 1e-12);
    assert.equal(ta?.error_y?.array[0], 0, 'no room above 100%');
  });
});
