// The ML views' pure logic (no DOM, no browser): form defaults and checks, curves, heatmap, jobs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cellColour,
  heatCells,
  rowNormalise,
} from '../../src/renderer/features/evaluate/confusion';
import { interval, pct, rate } from '../../src/renderer/ui/format';
import { foldJobEvent, IDLE, type JobState } from '../../src/renderer/ui/job-state';
import { nameFromPath, NAME_RE } from '../../src/renderer/features/models/backbone-name';
import { bestPoints, buildCurves } from '../../src/renderer/features/train/curves';
import {
  defaultForm,
  PAPER_DEFAULTS,
  validateTrain,
} from '../../src/renderer/features/train/hyper-form';
import type { EpochMetrics } from '../../src/shared/contract/job-types';
import { resolveHyperParams, STAGE2_DEFAULTS } from '../../src/shared/contract/ml-methods';
import type { PredictJobResult } from '../../src/shared/contract/ml-types';
import { methods } from '../../src/shared/contract/methods';

const epoch = (stage: number, e: number, lr: number, acc = 0.5): EpochMetrics => ({
  stage,
  epoch: e,
  loss: 1 / e,
  accuracy: acc,
  valLoss: 1.1 / e,
  valAccuracy: acc - 0.05,
  learningRate: lr,
});

void describe('train form', () => {
  void it("pre-fills the contract's defaults (the paper's recipe)", () => {
    assert.deepEqual(PAPER_DEFAULTS.stage1, resolveHyperParams({}));
    assert.deepEqual(PAPER_DEFAULTS.stage2, { ...STAGE2_DEFAULTS });
    const form = defaultForm('mobilenet', new Date('2024-05-01T10:20:00Z'));
    assert.equal(form.name, 'mobilenet 2024-05-01 10:20');
    assert.equal(form.learningRate, '0.01');
    assert.equal(form.l2, '0.0001');
    assert.equal(form.hidden, '', 'no hidden layer: softmax on the features');
  });

  void it('builds train.start parameters the contract accepts, stage 2 inheriting stage 1', () => {
    const checked = validateTrain({ ...defaultForm('bb'), epochs: '5', hidden: '128' });
    assert.ok(checked.ok);
    const parsed = methods['train.start'].params.safeParse(checked.value);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.equal(checked.value.stage1?.epochs, 5);
    assert.equal(checked.value.stage1?.hidden, 128);
    assert.equal(checked.value.stage1?.earlyStopPatience, 8);
    assert.deepEqual(checked.value.stage2, {
      optimizer: 'sgd',
      momentum: 0.9,
      l2: 1e-4,
      lrDropFactor: 0.1,
      lrPatience: 3,
      earlyStopPatience: 8,
      imbalance: 'classWeights',
      seed: 1,
      epochs: 10,
      learningRate: 0.001,
    });
    const noStage2 = validateTrain({ ...defaultForm('bb'), stage2: false, earlyStop: '' });
    assert.ok(noStage2.ok);
    assert.equal(noStage2.value.stage2, null);
    assert.equal(noStage2.value.stage1?.earlyStopPatience, null);
  });

  void it('names each bad field', () => {
    const bad = validateTrain({
      ...defaultForm(''),
      epochs: '0',
      learningRate: '0',
      dropout: '0.99',
      seed: '1.5',
      name: ' ',
    });
    assert.equal(bad.ok, false);
    const errors = bad.ok ? {} : bad.errors;
    assert.deepEqual(Object.keys(errors).sort(), [
      'backbone',
      'dropout',
      'epochs',
      'learningRate',
      'name',
      'seed',
    ]);
    assert.equal(errors.learningRate, 'A number above 0 to 10.');
  });
});

void describe('training curves', () => {
  void it('puts stage 2 after stage 1 on one axis and marks rate drops', () => {
    const c = buildCurves([
      epoch(2, 1, 0.001),
      epoch(1, 1, 0.01),
      epoch(1, 2, 0.01),
      epoch(1, 3, 0.001),
      epoch(2, 2, 0.001),
    ]);
    assert.deepEqual(c.x, [1, 2, 3, 4, 5]);
    assert.deepEqual(c.stageStarts, [{ stage: 2, x: 3.5 }]);
    assert.deepEqual(c.lrDrops, [{ x: 2.5, from: 0.01, to: 0.001 }], 'no drop across stages');
    assert.equal(c.labels[3], 'stage 2 · epoch 1');
    assert.ok(c.hasVal);
    assert.deepEqual(
      bestPoints(c, [
        { stage: 1, epoch: 2 },
        { stage: 2, epoch: null },
      ]),
      [2],
    );
  });
});

void describe('confusion heatmap', () => {
  const m = [
    [8, 2, 0],
    [1, 9, 0],
    [0, 0, 0],
  ];
  void it('normalises rows and leaves empty rows undefined', () => {
    assert.deepEqual(rowNormalise(m), [
      [0.8, 0.2, 0],
      [0.1, 0.9, 0],
      [null, null, null],
    ]);
  });

  void it('labels cells by count or row share, colour by the mode', () => {
    const counts = heatCells(m, 'counts');
    assert.equal(counts.length, 9);
    assert.deepEqual(
      counts.slice(0, 2).map((c) => [c.text, c.intensity]),
      [
        ['8', 8 / 9],
        ['2', 2 / 9],
      ],
    );
    const rows = heatCells(m, 'rows');
    assert.deepEqual(
      rows.slice(3, 6).map((c) => c.text),
      ['10%', '90%', '0%'],
    );
    assert.equal(rows[6]?.text, '—');
    assert.equal(cellColour(0), 'rgb(246,248,252)');
    assert.equal(cellColour(1), 'rgb(30,63,138)');
    assert.equal(cellColour(Number.NaN), cellColour(0));
  });
});

void describe('ML job state', () => {
  void it('folds progress, epochs (replacing repeats), logs and the result of its own job', () => {
    let s: JobState<PredictJobResult> = { ...IDLE, phase: 'running', jobId: 'j1' };
    const kind = 'predict' as const;
    s = foldJobEvent(s, { type: 'progress', jobId: 'j1', kind, done: 1, total: 4, message: 'a' });
    s = foldJobEvent(s, {
      type: 'progress',
      jobId: 'other',
      kind,
      done: 3,
      total: 4,
      message: 'b',
    });
    assert.deepEqual(s.progress, { done: 1, total: 4, message: 'a' });
    s = foldJobEvent(s, { type: 'epoch', jobId: 'j1', kind, metrics: epoch(1, 1, 0.01) });
    s = foldJobEvent(s, { type: 'epoch', jobId: 'j1', kind, metrics: epoch(1, 1, 0.01, 0.9) });
    assert.equal(s.epochs.length, 1);
    assert.equal(s.epochs[0]?.accuracy, 0.9);
    s = foldJobEvent(s, { type: 'log', jobId: 'j1', kind, level: 'warn', message: 'slow' }, 5);
    assert.deepEqual(s.logs, [{ level: 'warn', message: 'slow', at: 5 }]);
    const result: PredictJobResult = { modelId: 'm', predictions: [], errors: [] };
    s = foldJobEvent(s, { type: 'done', jobId: 'j1', kind, result });
    assert.equal(s.phase, 'done');
    assert.deepEqual(s.result, result);
    const failed = foldJobEvent(s, {
      type: 'failed',
      jobId: 'j1',
      kind,
      error: { code: 'IO_ERROR', message: 'gone' },
    });
    assert.deepEqual(failed.error, { code: 'IO_ERROR', message: 'gone' });
  });
});

void describe('ML formatting', () => {
  void it('shows proportions, intervals and rates the way the views do', () => {
    assert.equal(pct(0.7531), '75.3%');
    assert.equal(pct(null), '—');
    assert.equal(interval({ lo: 0.712, hi: 0.79 }), '71.2–79.0%');
    assert.equal(interval({ lo: null, hi: null }), '—');
    assert.equal(rate(0.001), '0.001');
    assert.equal(rate(1e-6), '1.0e-6');
  });

  void it('suggests a portable backbone name from the imported path', () => {
    assert.equal(
      nameFromPath('/models/mobilenet_v2_1.0_224_quant.tflite'),
      'mobilenet_v2_1.0_224_quant',
    );
    assert.equal(nameFromPath('C:\\nets\\my net (v2)\\'), 'my_net__v2_');
    assert.ok(NAME_RE.test(nameFromPath('/x/__weird name.tflite')));
  });
});
