// Away from a terminal, `train`, `features` and `predict` print a progress line at a modest
// interval (#14): a log or CI run never sits silent for minutes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobEvent } from '../../src/shared/contract/job-types';
import type { CommandContext } from '../../src/main/cli/command';
import { progressIntervalMs, progressReporter } from '../../src/main/cli/progress-reporter';

function fakeContext(lines: string[]): CommandContext {
  const stderr = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
  return { io: { stderr }, log: (line: string) => lines.push(line) } as unknown as CommandContext;
}

const progress = (done: number, total: number, message: string | null = null): JobEvent => ({
  type: 'progress',
  jobId: 'j1',
  kind: 'features',
  done,
  total,
  message,
});

describe('progress lines away from a terminal', () => {
  it('10% steps, and between them a line once the interval has passed', () => {
    const lines: string[] = [];
    let clock = 0;
    const reporter = progressReporter(fakeContext(lines), 'features', {
      intervalMs: 30_000,
      now: () => clock,
    });
    reporter.onEvent(progress(0, 1000));
    clock = 10_000;
    reporter.onEvent(progress(5, 1000));
    clock = 31_000;
    reporter.onEvent(progress(9, 1000, 'Extracting features'));
    clock = 32_000;
    reporter.onEvent(progress(10, 1000));
    clock = 33_000;
    reporter.onEvent(progress(100, 1000));
    reporter.finish();
    assert.deepEqual(lines, [
      'features: 0/1000 (0%)',
      'features: 9/1000 (0%) — Extracting features',
      'features: 100/1000 (10%)',
    ]);
  });

  it('training (no step lines) still gets a line per interval', () => {
    const lines: string[] = [];
    let clock = 0;
    const reporter = progressReporter(fakeContext(lines), 'train', {
      steps: false,
      intervalMs: 30_000,
      now: () => clock,
    });
    for (let i = 1; i <= 90; i++) {
      clock = i * 1000;
      reporter.onEvent(progress(i, 90, 'Stage 1, epoch 3'));
    }
    reporter.finish();
    assert.deepEqual(lines, [
      'train: 30/90 (33%) — Stage 1, epoch 3',
      'train: 60/90 (66%) — Stage 1, epoch 3',
      'train: 90/90 (100%) — Stage 1, epoch 3',
    ]);
  });

  it('a stretch with no events at all still gets its line; finish stops them', async () => {
    const lines: string[] = [];
    const reporter = progressReporter(fakeContext(lines), 'predict', { intervalMs: 20 });
    reporter.onEvent(progress(0, 0, 'Loading the model'));
    await new Promise((r) => setTimeout(r, 75));
    reporter.finish();
    const seen = lines.length;
    assert.ok(seen >= 1, 'at least one line while nothing happened');
    assert.equal(lines[0], 'predict: Loading the model');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(lines.length, seen, 'no line after finish');
  });

  it('the interval is 30 s unless LP_PROGRESS_INTERVAL_MS says otherwise', () => {
    assert.equal(progressIntervalMs(undefined), 30_000);
    assert.equal(progressIntervalMs('500'), 500);
    assert.equal(progressIntervalMs('nonsense'), 30_000);
  });
});
