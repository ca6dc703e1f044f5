// The Guess view's pure logic (no DOM, no browser): keys, countdown, the study form, results in
// words and as chart traces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confusionChart } from '../../src/renderer/features/guess/confusion-chart';
import {
  countdownLevel,
  formatCountdown,
  onTimeUp,
  remainingMs,
} from '../../src/renderer/features/guess/countdown';
import { fileStem } from '../../src/renderer/features/guess/export-file';
import {
  cityKeyIndex,
  cityKeyLabel,
  keyAction,
  stepConfidence,
} from '../../src/renderer/features/guess/keys';
import {
  cityChart,
  histogramBins,
  participantChart,
  responseChart,
  roundChart,
} from '../../src/renderer/features/guess/results-charts';
import {
  accuracyWithCI,
  formatP,
  kappaWords,
  learningWords,
  mcnemarWords,
} from '../../src/renderer/features/guess/results-words';
import {
  defaultStudyForm,
  toggleCity,
  validateStudyForm,
} from '../../src/renderer/features/guess/study-form';
import { methods } from '../../src/shared/contract/methods';
import type { StudyResults } from '../../src/shared/contract/study-types';

void describe('play keys', () => {
  void it('maps 1–9 to the first nine cities and 0 to the tenth', () => {
    assert.equal(cityKeyIndex('1'), 0);
    assert.equal(cityKeyIndex('9'), 8);
    assert.equal(cityKeyIndex('0'), 9);
    assert.equal(cityKeyIndex('a'), null);
    assert.equal(cityKeyIndex('10'), null);
    assert.deepEqual([0, 8, 9, 10].map(cityKeyLabel), ['1', '9', '0', null]);
  });

  void it('selects, commits and moves confidence while guessing; only a city that exists', () => {
    assert.deepEqual(keyAction('2', 'guessing', 3), { type: 'select', index: 1 });
    assert.equal(keyAction('4', 'guessing', 3), null, 'no fourth city');
    assert.equal(keyAction('0', 'guessing', 3), null);
    assert.deepEqual(keyAction('0', 'guessing', 10), { type: 'select', index: 9 });
    assert.deepEqual(keyAction('Enter', 'guessing', 3), { type: 'commit' });
    assert.deepEqual(keyAction('ArrowUp', 'guessing', 3), { type: 'confidence', delta: 0.1 });
    assert.deepEqual(keyAction('ArrowDown', 'guessing', 3), { type: 'confidence', delta: -0.1 });
    assert.equal(keyAction(' ', 'guessing', 3), null, 'Space does not commit a guess');
    assert.equal(keyAction('x', 'guessing', 3), null);
  });

  void it('goes on with Enter or Space after the reveal, and nothing else', () => {
    assert.deepEqual(keyAction('Enter', 'revealed', 3), { type: 'next' });
    assert.deepEqual(keyAction(' ', 'revealed', 3), { type: 'next' });
    assert.equal(keyAction('1', 'revealed', 3), null, 'no guessing on the reveal');
  });

  void it('steps confidence from 50% in clamped 10% steps', () => {
    assert.equal(stepConfidence(null, 0.1), 0.5);
    assert.equal(stepConfidence(0.5, 0.1), 0.6);
    assert.equal(stepConfidence(0.7, 0.1), 0.8, 'no floating-point drift');
    assert.equal(stepConfidence(1, 0.1), 1);
    assert.equal(stepConfidence(0, -0.1), 0);
  });
});

void describe('countdown', () => {
  void it('counts down from the photo load and never below zero', () => {
    assert.equal(remainingMs(10_000, 1000, 1000), 10_000);
    assert.equal(remainingMs(10_000, 1000, 4500), 6500);
    assert.equal(remainingMs(10_000, 1000, 20_000), 0);
    assert.equal(remainingMs(10_000, 1000, 500), 10_000, 'a clock before the start is no time');
  });

  void it('shows whole seconds rounded up, in m:ss', () => {
    assert.equal(formatCountdown(10_000), '0:10');
    assert.equal(formatCountdown(9001), '0:10');
    assert.equal(formatCountdown(1), '0:01');
    assert.equal(formatCountdown(0), '0:00');
    assert.equal(formatCountdown(75_000), '1:15');
  });

  void it('warns in the last seconds and says when time is out', () => {
    assert.equal(countdownLevel(20_000, 30_000), 'ok');
    assert.equal(countdownLevel(5000, 30_000), 'low');
    assert.equal(countdownLevel(1500, 5000), 'ok', 'a short limit warns in its last fifth');
    assert.equal(countdownLevel(900, 5000), 'low');
    assert.equal(countdownLevel(0, 5000), 'out');
  });

  void it('commits a selected city when time runs out, else flags the guess late', () => {
    assert.equal(onTimeUp(2), 'commit');
    assert.equal(onTimeUp(0), 'commit');
    assert.equal(onTimeUp(null), 'late');
  });
});

void describe('new study form', () => {
  const model = { id: 'm1', classes: ['London', 'Paris', 'Sydney'] };

  void it("defaults to the model's cities, the test split and reveal mode", () => {
    const form = defaultStudyForm(model, ['Berlin', 'London'], new Date('2024-05-01T10:00:00Z'));
    assert.equal(form.name, 'Study 2024-05-01');
    assert.deepEqual(form.cities, model.classes);
    assert.equal(form.split, 'test');
    assert.equal(form.reveal, 'reveal');
    const none = defaultStudyForm(null, ['Berlin', 'London']);
    assert.equal(none.modelId, '');
    assert.deepEqual(none.cities, ['Berlin', 'London'], 'every library city without a model');
  });

  void it('builds study.create parameters the contract accepts', () => {
    const checked = validateStudyForm({
      ...defaultStudyForm(model, []),
      name: ' pilot ',
      rounds: '5',
      timeLimit: '15',
      consent: '  I agree.  ',
      seed: '7',
      reveal: 'pure',
      split: 'val',
      paired: true,
    });
    assert.ok(checked.ok);
    assert.deepEqual(checked.value, {
      name: 'pilot',
      modelId: 'm1',
      cities: ['London', 'Paris', 'Sydney'],
      split: 'val',
      rounds: 5,
      paired: true,
      reveal: 'pure',
      timeLimitMs: 15_000,
      consentText: 'I agree.',
      seed: 7,
    });
    const parsed = methods['study.create'].params.safeParse(checked.value);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    const plain = validateStudyForm({ ...defaultStudyForm(null, ['A', 'B']) });
    assert.ok(plain.ok);
    assert.equal(plain.value.modelId, null);
    assert.equal(plain.value.timeLimitMs, null);
    assert.equal(plain.value.consentText, null);
  });

  void it('names each bad field', () => {
    const bad = validateStudyForm({
      ...defaultStudyForm(model, []),
      name: ' ',
      cities: ['Paris'],
      rounds: '0',
      timeLimit: '1.5',
      seed: '-1',
    });
    assert.equal(bad.ok, false);
    assert.deepEqual(Object.keys(bad.ok ? {} : bad.errors).sort(), [
      'cities',
      'name',
      'rounds',
      'seed',
      'timeLimit',
    ]);
  });

  void it('toggles cities keeping their order', () => {
    const all = ['A', 'B', 'C'];
    assert.deepEqual(toggleCity(['A', 'C'], all, 'B'), ['A', 'B', 'C']);
    assert.deepEqual(toggleCity(['A', 'B', 'C'], all, 'A'), ['B', 'C']);
  });

  void it('names export files after the study', () => {
    assert.equal(fileStem('Pilot #1: Paris?', 3), 'study-3-pilot-1-paris');
    assert.equal(fileStem('***', 4), 'study-4');
  });
});

const cell = (n: number, correct: number) => ({
  n,
  correct,
  accuracy: n === 0 ? null : correct / n,
});

const RESULTS: StudyResults = {
  studyId: 1,
  n: 6,
  humanAccuracy: 0.5,
  humanCI: [0.19, 0.81],
  paired: 6,
  modelAccuracy: 5 / 6,
  modelCI: [0.44, 0.97],
  pairedHumanAccuracy: 0.5,
  mcnemarP: 0.375,
  kappa: 0.25,
  perParticipant: [
    { participantId: 'P<1>', ...cell(4, 3), ci: [0.3, 0.95] },
    { participantId: 'P2', ...cell(2, 0), ci: [0, 0.66] },
  ],
  perCity: [
    { city: 'London', human: cell(3, 2), model: cell(3, 3) },
    { city: 'Paris', human: cell(3, 1), model: cell(3, 2) },
  ],
  confusion: {
    cities: ['London', 'Paris'],
    columns: ['London', 'Paris', 'Sydney'],
    human: [
      [2, 1, 0],
      [1, 1, 1],
    ],
    model: [
      [3, 0, 0],
      [1, 2, 0],
    ],
  },
  byRound: [
    { round: 1, ...cell(2, 0) },
    { round: 2, ...cell(2, 1) },
    { round: 3, ...cell(2, 2) },
  ],
  responseMs: { n: 6, mean: 2000, median: 1800, p10: 900, p90: 3500, min: 800, max: 4000 },
  distanceScore: { human: null, model: null },
};

void describe('results in words', () => {
  void it('writes p-values and intervals plainly', () => {
    assert.equal(formatP(0.375), '0.375');
    assert.equal(formatP(0.0002), '< 0.001');
    assert.equal(accuracyWithCI(0.5, [0.19, 0.81]), '50.0% (95% CI 19.0–81.0%)');
    assert.equal(accuracyWithCI(null, [0, 1]), '—');
  });

  void it("tells McNemar's verdict in plain words", () => {
    assert.match(mcnemarWords(0.375, 0.5, 0.83), /the model did better.*could well be chance/);
    assert.match(mcnemarWords(0.01, 0.9, 0.5), /people did better.*rarely/);
    assert.match(mcnemarWords(null, 0.5, null), /No paired comparison/);
    assert.match(mcnemarWords(1, 0.5, 0.5), /same share/);
  });

  void it("puts Cohen's kappa on the Landis & Koch scale", () => {
    assert.match(kappaWords(0.25), /κ = 0\.25: fair agreement/);
    assert.match(kappaWords(0.9), /almost perfect/);
    assert.match(kappaWords(-0.1), /less often than chance/);
    assert.match(kappaWords(null), /No agreement/);
  });

  void it('compares early and late rounds', () => {
    const rising = [1, 2, 3, 4].map((round) => ({ round, ...cell(10, round * 2) }));
    assert.match(learningWords(rising), /seem to learn/);
    const flat = [1, 2, 3, 4].map((round) => ({ round, ...cell(10, 5) }));
    assert.match(learningWords(flat), /no sign of learning/);
    assert.match(learningWords(RESULTS.byRound), /Too few rounds/);
  });
});

void describe('results as charts', () => {
  void it('draws a bar per participant with its Wilson interval, names escaped', () => {
    const chart = participantChart(RESULTS);
    const bar = chart.data[0];
    assert.ok(bar?.type === 'bar');
    assert.deepEqual(bar.x, ['P<1>', 'P2']);
    assert.deepEqual(bar.y, [0.75, 0]);
    assert.deepEqual(bar.error_y?.array, [0.95 - 0.75, 0.66]);
    assert.deepEqual(bar.error_y?.arrayminus, [0.75 - 0.3, 0]);
    assert.equal(bar.customdata?.[0], 'P&lt;1&gt;: 3 of 4 right');
  });

  void it('puts people beside the model per city', () => {
    const chart = cityChart(RESULTS);
    assert.equal(chart.data.length, 2);
    assert.deepEqual(chart.data[0]?.y, [2 / 3, 1 / 3]);
    assert.deepEqual(chart.data[1]?.y, [1, 2 / 3]);
    assert.equal(chart.layout.barmode, 'group');
    const noModel = cityChart({
      ...RESULTS,
      perCity: RESULTS.perCity.map((c) => ({ ...c, model: null })),
    });
    assert.equal(noModel.data.length, 1);
  });

  void it('plots accuracy by round', () => {
    const chart = roundChart(RESULTS);
    assert.deepEqual(chart.data[0]?.x, [1, 2, 3]);
    assert.deepEqual(chart.data[0]?.y, [0, 0.5, 1]);
  });

  void it('bins response times in nice widths that cover every time', () => {
    assert.deepEqual(histogramBins([]), []);
    const bins = histogramBins([0.8, 1.2, 1.9, 2.5, 4, 11.9], 12);
    assert.equal(bins[0]?.from, 0);
    assert.equal(bins[0].to - bins[0].from, 1, '11.9 s / 12 → 1 s bins');
    assert.equal(
      bins.reduce((a, b) => a + b.count, 0),
      6,
    );
    assert.equal(bins.at(-1)?.count, 1, 'the longest lands in the last bin');
    const chart = responseChart([800, 1200, null, 4000]);
    const bar = chart.data[0];
    assert.ok(bar?.type === 'bar');
    assert.equal(
      (bar.y as number[]).reduce((a, b) => a + b, 0),
      3,
      'unanswered times are left out',
    );
  });

  void it('draws a confusion matrix with one cell per count and no markup but <br>', () => {
    const chart = confusionChart(
      RESULTS.confusion.cities,
      RESULTS.confusion.columns,
      RESULTS.confusion.human,
      'people',
    );
    assert.equal(chart.layout.shapes?.length, 6);
    assert.deepEqual(
      chart.layout.annotations?.map((a) => a.text),
      ['2', '1', '0', '1', '1', '1'],
    );
    assert.deepEqual(chart.layout.xaxis?.ticktext, ['London', 'Paris', 'Sydney']);
    const hover = chart.data[0];
    assert.ok(hover?.type === 'scatter');
    for (const text of hover.customdata ?? []) {
      assert.doesNotMatch(String(text), /<(?!br>)/, 'no tags the CSP would block');
    }
  });
});
