// The Evaluate view's chart data (no DOM, no browser): per-city bars with the paper's reference
// lines, the headline/top-k bars and the reliability diagram, from a report the metrics compute.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MlBarTrace, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';
import {
  errorLengths,
  headlineBars,
  headlineChart,
} from '../../src/renderer/features/evaluate/headline-data';
import {
  cityBars,
  labelAnchors,
  perCityChart,
} from '../../src/renderer/features/evaluate/per-city-data';
import { paperCitySeries, referenceLines } from '../../src/renderer/features/evaluate/references';
import {
  reliabilityChart,
  reliabilityPoints,
} from '../../src/renderer/features/evaluate/reliability-data';
import {
  coverageChart,
  domainShift,
  keptWords,
} from '../../src/renderer/features/evaluate/open-set-data';
import type { EvaluationOpenSet, StoredEvaluation } from '../../src/shared/contract/ml-types';
import { evaluate } from '../../src/shared/domain/metrics';

const CLASSES = ['London', 'Paris', 'Sydney', 'Tokyo'];

/** A one-hot-ish row: `p` on `top`, the rest spread evenly. */
function row(top: number, p: number): number[] {
  return CLASSES.map((_, j) => (j === top ? p : (1 - p) / (CLASSES.length - 1)));
}

/**
 * London: 4 photos, 3 right. Paris: 2 photos, both right. Sydney: 2 photos, none right (both
 * called London). Tokyo: no photo at all, so its accuracy is undefined.
 */
const REPORT = evaluate({
  classes: CLASSES,
  labels: [0, 0, 0, 0, 1, 1, 2, 2],
  probabilities: [
    row(0, 0.9),
    row(0, 0.8),
    row(0, 0.7),
    row(1, 0.55),
    row(1, 0.95),
    row(1, 0.6),
    row(0, 0.5),
    row(0, 0.45),
  ],
  topK: [1, 3],
  priorCounts: [10, 5, 5, 1],
});

function bar(trace: MlTrace | undefined): MlBarTrace {
  assert.ok(trace !== undefined && trace.type === 'bar', 'a bar trace');
  return trace;
}

void describe('per-city accuracy chart', () => {
  void it('has one bar per city with its recall and Wilson interval', () => {
    const bars = cityBars(REPORT);
    assert.deepEqual(
      bars.map((b) => [b.city, b.value, b.defined]),
      [
        ['London', 0.75, true],
        ['Paris', 1, true],
        ['Sydney', 0, true],
        ['Tokyo', 0, false],
      ],
    );
    const london = REPORT.perClass[0]!.recall;
    assert.ok(london.lo !== null && london.hi !== null);
    assert.ok(Math.abs(bars[0]!.minus - (0.75 - london.lo)) < 1e-12);
    assert.ok(Math.abs(bars[0]!.plus - (london.hi - 0.75)) < 1e-12);
    assert.ok(bars[0]!.minus > 0 && bars[0]!.plus > 0, 'a 3-of-4 interval is wide');
    assert.equal(bars[3]!.minus, 0, 'no interval for a city without photos');
    assert.match(bars[0]!.hover, /^3 of 4 photos, 95% CI \d/);
    assert.equal(bars[3]!.hover, 'no photo of this city in the set');

    const chart = perCityChart(REPORT);
    const trace = bar(chart.data[0]);
    assert.deepEqual(trace.x, CLASSES);
    assert.deepEqual(trace.y, [0.75, 1, 0, 0]);
    assert.deepEqual(trace.text, ['75%', '100%', '0%', '—']);
    assert.equal(trace.error_y?.array.length, 4);
  });

  void it("draws the paper's model, its humans and chance as lines", () => {
    const refs = referenceLines(CLASSES.length);
    assert.deepEqual(
      refs.map((r) => [r.id, r.value]),
      [
        ['paper', 0.753],
        ['humans', 0.272],
        ['chance', 0.25],
      ],
    );
    assert.deepEqual(
      refs.map((r) => r.label),
      ['paper model 75.3%', 'paper humans 27.2%', 'chance 1/4 = 25.0%'],
    );
    const { layout, data } = perCityChart(REPORT);
    assert.equal(data.length, 2, "the bars and the paper's per-city points");
    assert.deepEqual(
      layout.shapes?.map((s) => [s.y0, s.y1, s.xref, s.x0, s.x1]),
      [
        [0.753, 0.753, 'paper', 0, 1],
        [0.272, 0.272, 'paper', 0, 1],
        [0.25, 0.25, 'paper', 0, 1],
      ],
    );
    assert.deepEqual(
      layout.annotations?.map((a) => [a.text, a.yanchor, a.x, a.xanchor]),
      [
        ['paper model 75.3%', 'middle', 1.01, 'left'],
        ['paper humans 27.2%', 'bottom', 1.01, 'left'],
        ['chance 1/4 = 25.0%', 'top', 1.01, 'left'],
      ],
      'labels in the right margin; chance (25%) below its line, humans (27.2%) above theirs',
    );
    // With 3 cities chance (33.3%) is just above the humans' 27.2%: the labels swap sides.
    assert.deepEqual(labelAnchors(referenceLines(3)), ['middle', 'top', 'bottom']);
    assert.deepEqual(labelAnchors(referenceLines(10)), ['middle', 'middle', 'middle']);
    assert.deepEqual(labelAnchors(referenceLines(2)), ['middle', 'middle', 'middle']);
    assert.equal(referenceLines(10)[2]?.value, 0.1);
    assert.equal(referenceLines(0)[2]?.value, 0, 'no division by zero');
  });

  void it("adds the paper's per-city accuracies (Table 2) on the cities it had (#14)", () => {
    const { data, layout } = perCityChart(REPORT);
    const paper = data[1] as { type?: string; x?: unknown[]; y?: unknown[]; name?: string };
    assert.equal(paper.type, 'scatter');
    assert.equal(paper.name, 'paper, Table 2');
    // Tokyo was not one of the paper's cities: no point there.
    assert.deepEqual(paper.x, ['London', 'Paris', 'Sydney']);
    assert.deepEqual(paper.y, [0.735, 0.479, 0.785]);
    assert.equal(layout.showlegend, true);
    assert.deepEqual(paperCitySeries(['barcelona', 'Washington DC', 'Rio de Janeiro', 'Arezzo']), [
      { city: 'barcelona', value: 0.785 },
      { city: 'Washington DC', value: 0.82 },
      { city: 'Rio de Janeiro', value: 0.64 },
    ]);
    // A library without any of the paper's cities gets no series and no legend.
    const own = perCityChart(
      evaluate({
        classes: ['Arezzo', 'Tokyo'],
        labels: [0, 1],
        probabilities: [
          [0.9, 0.1],
          [0.2, 0.8],
        ],
      }),
    );
    assert.equal(own.data.length, 1);
    assert.equal(own.layout.showlegend, false);
  });
});

void describe('headline and top-k chart', () => {
  void it('puts the model and its top-k above chance, majority, humans and the paper', () => {
    const bars = headlineBars(REPORT);
    assert.deepEqual(
      bars.map((b) => [b.label, b.value]),
      [
        ['Uniform chance', 0.25],
        ['Majority class', 0.5],
        ['Humans (paper)', 0.272],
        ['Paper (10 cities)', 0.753],
        ['This model', 5 / 8],
        ['This model, top-3', REPORT.topK.find((t) => t.k === 3)?.value],
      ],
    );
    assert.equal(REPORT.chance.majority.class, 'London', 'the prior picks the majority class');
    assert.deepEqual(errorLengths(bars[0]!), { minus: 0, plus: 0 }, 'chance is exact');
    const model = errorLengths(bars[4]!);
    assert.ok(model.minus > 0 && model.plus > 0, 'measured figures carry their interval');
    assert.ok(
      Math.abs(bars[4]!.value - model.minus - (REPORT.accuracy.lo ?? NaN)) < 1e-12,
      'the error bar reaches the Wilson low end',
    );
  });

  void it('lays the bars out horizontally, taller with more bars', () => {
    const bars = headlineBars(REPORT);
    const chart = headlineChart(bars);
    const trace = bar(chart.data[0]);
    assert.equal(trace.orientation, 'h');
    assert.deepEqual(
      trace.y,
      bars.map((b) => b.label),
    );
    assert.deepEqual(trace.text?.slice(0, 5), ['25.0%', '50.0%', '27.2%', '75.3%', '62.5%']);
    assert.equal(chart.layout.height, 70 + 30 * 6);
    assert.ok((headlineChart(bars.slice(0, 5)).layout.height ?? 0) < (chart.layout.height ?? 0));
    const withoutTopK = headlineBars({ ...REPORT, topK: REPORT.topK.filter((t) => t.k === 1) });
    assert.equal(withoutTopK.length, 5, 'top-1 is the model bar itself, not a second one');
  });
});

void describe('reliability diagram', () => {
  void it('plots only the bins with photos, at their centres', () => {
    const points = reliabilityPoints(REPORT.calibration);
    const used = REPORT.calibration.bins.filter((b) => b.count > 0);
    assert.equal(points.length, used.length);
    assert.ok(points.length >= 3 && points.length < REPORT.calibration.bins.length);
    assert.equal(
      points.reduce((n, p) => n + p.count, 0),
      8,
      'every photo is in one plotted bin',
    );
    // The 0.9 and 0.95 confident photos share the last bin: both right.
    const top = points[points.length - 1]!;
    assert.equal(top.count, 2);
    assert.equal(top.accuracy, 1);
    assert.ok(Math.abs(top.confidence - 0.925) < 1e-12);
    assert.ok(Math.abs(top.x - 0.95) < 1e-12);
    assert.ok(Math.abs(top.width - 0.092) < 1e-12);
    assert.match(top.hover, /^90%–100% confidence: 2 photos, mean confidence 92\.5%$/);

    const chart = reliabilityChart(REPORT.calibration);
    assert.deepEqual(
      chart.data.map((t) => t.name),
      ['accuracy in bin', 'mean confidence', 'perfect calibration'],
    );
    assert.deepEqual(
      bar(chart.data[0]).y,
      points.map((p) => p.accuracy),
    );
    assert.deepEqual(chart.data[2]?.y, [0, 1]);
  });
});

void describe('reliability diagram before and after temperature scaling', () => {
  void it('adds the unscaled answers as a line of accuracy against mean confidence', () => {
    const before = evaluate({
      classes: CLASSES,
      labels: [0, 0, 1, 2],
      probabilities: [row(0, 0.99), row(1, 0.98), row(1, 0.97), row(2, 0.96)],
      topK: [1],
      priorCounts: [1, 1, 1, 1],
    }).calibration;
    const chart = reliabilityChart(REPORT.calibration, before);
    assert.deepEqual(
      chart.data.map((t) => t.name),
      [
        'accuracy in bin (after scaling)',
        'mean confidence',
        'perfect calibration',
        'before scaling (T = 1)',
      ],
    );
    const line = chart.data[3];
    assert.ok(line !== undefined && line.type === 'scatter');
    // All four unscaled answers fall in the 90–100% bin: 3 of 4 right at mean confidence 97.5%.
    assert.equal(line.x.length, 1);
    assert.ok(Math.abs(Number(line.x[0]) - 0.975) < 1e-12);
    assert.equal(line.y[0], 0.75);
  });
});

const OPEN_SET: EvaluationOpenSet = {
  temperature: 1.8,
  calibrationBefore: REPORT.calibration,
  threshold: 4.2,
  kept: { coverage: 0.95, accuracy: 0.912 },
  coverage: [
    { threshold: 1, coverage: 0.5, accuracy: 1 },
    { threshold: 2, coverage: 0.75, accuracy: null },
    { threshold: 4.2, coverage: 0.95, accuracy: 0.912 },
    { threshold: 9, coverage: 1, accuracy: 0.875 },
  ],
  outside: null,
};

void describe('coverage and accuracy', () => {
  void it("draws the curve without empty points and marks the model's threshold", () => {
    assert.equal(keptWords(OPEN_SET.kept), 'keeps 95% of the photos at 91.2% accuracy');
    const chart = coverageChart(OPEN_SET);
    const [curve, mark] = chart.data;
    assert.deepEqual(curve?.x, [0.5, 0.95, 1]);
    assert.deepEqual(curve?.y, [1, 0.912, 0.875]);
    assert.deepEqual([mark?.x, mark?.y], [[0.95], [0.912]]);
    assert.equal(chart.layout.shapes?.[0]?.x0, 0.95);
    // The y axis starts a little under the lowest accuracy shown (0.875 → 0.75).
    assert.ok(Math.abs((chart.layout.yaxis?.range?.[0] ?? -1) - 0.75) < 1e-12);
  });
});

void describe('domain shift', () => {
  const stored = (
    id: number,
    dataset: string,
    createdAt: string,
    outside: EvaluationOpenSet['outside'] = null,
  ): StoredEvaluation => ({
    id,
    modelId: 'm',
    dataset,
    sources: [],
    tta: 'center',
    createdAt,
    report: REPORT,
    skipped: [],
    openSet: { ...OPEN_SET, outside },
  });
  const outside = { sources: ['/o'], n: 8, flagged: 0.875, auroc: 1, fprAt95: 0, skipped: 0 };

  void it('takes the latest test, external and outside-set evaluations', () => {
    const shift = domainShift([
      stored(1, 'test', '2026-01-01T00:00:00Z'),
      stored(2, 'test', '2026-01-02T00:00:00Z', outside),
      stored(3, 'external', '2026-01-03T00:00:00Z'),
      stored(4, 'val', '2026-01-04T00:00:00Z'),
      stored(5, 'test', '2026-01-02T00:00:00Z'),
    ]);
    // Same time: the higher id is the later one.
    assert.equal(shift.test?.id, 5);
    assert.equal(shift.external?.id, 3);
    assert.equal(shift.outside?.evaluation.id, 2);
    assert.equal(shift.outside?.result.flagged, 0.875);
    assert.deepEqual(domainShift([]), { test: null, external: null, outside: null });
  });
});
