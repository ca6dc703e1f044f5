// The Train view's pure logic (no DOM, no browser): the time-left estimate from progress events,
// which stopped runs offer Resume, and the status bar's backend helpers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addSample,
  estimateEta,
  formatRemaining,
  phaseOf,
  type ProgressSample,
} from '../../src/renderer/features/train/eta';
import { resumableRuns } from '../../src/renderer/features/train/resume';
import { backendLabel, provesHostRunning } from '../../src/renderer/shell/backend-status';
import type { RunSummary } from '../../src/shared/contract/ml-types';

const s = (at: number, done: number, total: number, message: string | null): ProgressSample => ({
  at,
  done,
  total,
  message,
});

/** Folds samples the way the view receives them, one progress event at a time. */
const fold = (samples: ProgressSample[]): ProgressSample[] =>
  samples.reduce<ProgressSample[]>((list, x) => addSample(list, x), []);

void describe('training ETA', () => {
  void it('names the phase from the progress message', () => {
    assert.equal(phaseOf('Stage 1, epoch 4'), 'Stage 1');
    assert.equal(phaseOf('Stage 2, epoch 1'), 'Stage 2');
    assert.equal(phaseOf('Features: 3/40 images'), 'Features');
    assert.equal(phaseOf("Stage 2: caching block inputs at 'block_16'"), 'Stage 2');
    assert.equal(phaseOf(null), '');
  });

  void it('extrapolates the measured speed to the rest of the phase', () => {
    // 100 batches in 10 s, 400 left: 40 s, less the 2 s since the last event.
    const samples = fold([
      s(1_000, 0, 500, 'Stage 1, epoch 1'),
      s(6_000, 50, 500, 'Stage 1, epoch 1'),
      s(11_000, 100, 500, 'Stage 1, epoch 1'),
    ]);
    const eta = estimateEta(samples, 13_000);
    assert.deepEqual(eta, { phase: 'Stage 1', remainingMs: 38_000, fraction: 0.2 });
    assert.equal(estimateEta(samples, 100_000)?.remainingMs, 0, 'never below zero');
  });

  void it('waits for enough measured time and for progress with a total', () => {
    assert.equal(estimateEta([], 0), null);
    assert.equal(estimateEta(fold([s(0, 10, 100, 'Stage 1, epoch 1')]), 5_000), null);
    const tooSoon = fold([s(0, 0, 100, 'Stage 1, epoch 1'), s(1_000, 5, 100, 'Stage 1, epoch 1')]);
    assert.equal(estimateEta(tooSoon, 1_000), null, 'one second of first batches is noise');
    const stuck = fold([s(0, 5, 100, 'Stage 1, epoch 1'), s(5_000, 5, 100, 'Stage 1, epoch 1')]);
    assert.equal(estimateEta(stuck, 5_000), null, 'no progress, no rate');
    const reading = fold([s(0, 0, 0, 'Reading cached features'), s(9_000, 0, 0, null)]);
    assert.equal(estimateEta(reading, 9_000), null);
  });

  void it('starts over when the phase or its total changes', () => {
    const samples = fold([
      s(0, 0, 40, 'Features: 0/40 images'),
      s(20_000, 40, 40, 'Features: 40/40 images'),
      s(21_000, 0, 0, 'Reading cached features'),
      s(22_000, 0, 300, 'Stage 1, epoch 1'),
      s(25_000, 30, 300, 'Stage 1, epoch 1'),
    ]);
    assert.deepEqual(
      samples.map((x) => x.done),
      [0, 30],
      'only the running phase is measured',
    );
    // 30 batches in 3 s: 270 left take 27 s.
    assert.equal(estimateEta(samples, 25_000)?.remainingMs, 27_000);
    assert.equal(estimateEta(samples, 25_000)?.phase, 'Stage 1');
    // A resume reports the same phase from a later point with a new total: measured afresh.
    const resumed = addSample(samples, s(30_000, 200, 600, 'Stage 1, epoch 7'));
    assert.equal(resumed.length, 1);
  });

  void it('measures over the last minute, so a change of speed shows', () => {
    const samples = fold([
      s(0, 0, 10_000, 'Stage 1, epoch 1'),
      // Slow start: 10 batches in the first 60 s...
      s(60_000, 10, 10_000, 'Stage 1, epoch 1'),
      // ...then 100 batches a minute.
      s(90_000, 60, 10_000, 'Stage 1, epoch 2'),
      s(120_000, 110, 10_000, 'Stage 1, epoch 2'),
    ]);
    const eta = estimateEta(samples, 120_000);
    assert.equal(eta?.remainingMs, (10_000 - 110) * 600);
  });

  void it('keeps a bounded number of samples', () => {
    let list: ProgressSample[] = [];
    for (let i = 0; i < 1_000; i++)
      list = addSample(list, s(i * 100, i, 5_000, 'Stage 1, epoch 1'));
    assert.equal(list.length, 120);
    assert.equal(list[list.length - 1]?.done, 999);
  });

  void it('says the time left the way a person would', () => {
    assert.equal(formatRemaining(0), 'a few seconds');
    assert.equal(formatRemaining(9_999), 'a few seconds');
    assert.equal(formatRemaining(24_000), 'about 20 s');
    assert.equal(formatRemaining(56_000), 'about 1 min');
    assert.equal(formatRemaining(150_000), 'about 3 min');
    assert.equal(formatRemaining(60 * 60_000), 'about 1 h');
    assert.equal(formatRemaining(80 * 60_000 + 10_000), 'about 1 h 20 min');
  });
});

function run(jobId: string, status: string, resumedFrom: string | null = null): RunSummary {
  return {
    jobId,
    name: jobId,
    status,
    backbone: 'bb',
    modelId: null,
    createdAt: '2024-01-01T00:00:00Z',
    finishedAt: null,
    backend: null,
    epochs: [],
    summaries: [],
    classes: [],
    classCounts: null,
    resumedFrom,
  };
}

void describe('resumable runs', () => {
  void it('offers Resume on cancelled, failed and interrupted runs only', () => {
    const runs = ['done', 'cancelled', 'failed', 'interrupted', 'running', 'queued'].map((st) =>
      run(st, st),
    );
    assert.deepEqual([...resumableRuns(runs)].sort(), ['cancelled', 'failed', 'interrupted']);
  });

  void it('offers it on the latest link of a resumed chain', () => {
    const runs = [run('c', 'cancelled', 'b'), run('b', 'cancelled', 'a'), run('a', 'interrupted')];
    assert.deepEqual([...resumableRuns(runs)], ['c']);
    const finished = [run('b', 'done', 'a'), run('a', 'cancelled')];
    assert.equal(resumableRuns(finished).size, 0, 'a finished resume ends the chain');
  });
});

void describe('status bar backend', () => {
  void it('names the backend in one word', () => {
    assert.equal(backendLabel({ name: 'tensorflow', gpu: true }), 'GPU');
    assert.equal(backendLabel({ name: 'tensorflow', gpu: false }), 'native');
    assert.equal(backendLabel({ name: 'wasm', gpu: false }), 'wasm');
    assert.equal(backendLabel({ name: 'cpu', gpu: false }), 'cpu');
  });

  void it('asks for the backend only once an ML job has the host at work', () => {
    const progress = { type: 'progress', done: 1, total: 2, message: null } as const;
    assert.equal(provesHostRunning({ ...progress, jobId: 'j', kind: 'train' }), true);
    assert.equal(provesHostRunning({ ...progress, jobId: 'j', kind: 'import' }), false);
    assert.equal(provesHostRunning({ type: 'queued', jobId: 'j', kind: 'evaluate' }), false);
    assert.equal(
      provesHostRunning({
        type: 'failed',
        jobId: 'j',
        kind: 'train',
        error: { code: 'ML_HOST_CRASHED', message: 'gone' },
      }),
      false,
      'a crash leaves no host to ask',
    );
  });
});
