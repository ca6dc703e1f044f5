// The training loop's plateau rules on plain numbers: best epoch, rate drop after lrPatience
// epochs without gain, early stop after earlyStopPatience, and completion at the last epoch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoopState } from '../../src/main/ml-host/train/checkpoint';
import { judgeEpoch, type PlateauHyper } from '../../src/main/ml-host/train/loop-plateau';

const HYPER: PlateauHyper = { epochs: 10, lrPatience: 2, lrDropFactor: 0.5, earlyStopPatience: 3 };
const START: LoopState = {
  epoch: 0,
  learningRate: 0.1,
  bestAccuracy: null,
  bestEpoch: null,
  stallLr: 0,
  stallStop: 0,
  prngState: 1,
  finished: null,
  history: [],
  epochMs: [],
};

/** Feeds one score per epoch and returns every judgement. */
function run(scores: number[], hyper = HYPER) {
  let state = START;
  return scores.map((score) => {
    const judged = judgeEpoch({ ...state, epoch: state.epoch + 1 }, score, hyper);
    state = judged.state;
    return judged;
  });
}

void describe('training loop plateau rules', () => {
  void it('keeps the best epoch and resets the stall counts on a gain', () => {
    const out = run([0.5, 0.4, 0.6]);
    assert.deepEqual(
      out.map((j) => j.improved),
      [true, false, true],
    );
    const last = out[2]!.state;
    assert.deepEqual(
      [last.bestAccuracy, last.bestEpoch, last.stallLr, last.stallStop, last.learningRate],
      [0.6, 3, 0, 0, 0.1],
    );
  });

  void it('drops the rate after lrPatience epochs without gain, stops after earlyStopPatience', () => {
    const out = run([0.5, 0.5, 0.4, 0.45]);
    assert.deepEqual(
      out.map((j) => j.state.learningRate),
      [0.1, 0.1, 0.05, 0.05],
    );
    assert.deepEqual(out[2]!.messages, ['No gain for 2 epochs: learning rate -> 0.0500.']);
    assert.equal(out[2]!.state.finished, null);
    assert.equal(out[3]!.state.finished, 'earlyStopped');
    assert.deepEqual(out[3]!.messages, ['Stopped early after epoch 4 (best epoch 1).']);
  });

  void it('an equal score is no gain; without earlyStopPatience the run completes at the last epoch', () => {
    const out = run([0.5, 0.5, 0.5], { ...HYPER, epochs: 3, earlyStopPatience: null });
    assert.deepEqual(
      out.map((j) => j.state.finished),
      [null, null, 'completed'],
    );
    assert.equal(out[2]!.state.bestEpoch, 1);
    assert.equal(START.learningRate, 0.1, 'the given state is not changed');
  });
});
