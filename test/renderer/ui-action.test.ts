// The renderer kit's busy / error / result state (src/renderer/ui/action-state.ts): the reducer
// behind useAction and the runner that drives it, without a browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/shared/contract/errors';
import {
  actionReducer,
  IDLE_ACTION,
  runAction,
  type ActionEvent,
  type ActionState,
} from '../../src/renderer/ui/action-state';

const idle: ActionState<string> = IDLE_ACTION;
const fold = (events: ActionEvent<string>[]): ActionState<string> =>
  events.reduce(actionReducer<string>, idle);
const oops = { code: 'IO_ERROR', message: 'disk full' } as const;

void describe('actionReducer', () => {
  void it('is busy from start to done, then holds the result', () => {
    const started = fold([{ type: 'start', run: 1 }]);
    assert.deepEqual(started, { busy: true, error: null, result: null, run: 1 });
    assert.deepEqual(
      fold([
        { type: 'start', run: 1 },
        { type: 'done', run: 1, result: 'ok' },
      ]),
      {
        busy: false,
        error: null,
        result: 'ok',
        run: 1,
      },
    );
  });

  void it('holds the error of a failed run, and a new start clears error and old result', () => {
    const failed = fold([
      { type: 'start', run: 1 },
      { type: 'done', run: 1, result: 'first' },
      { type: 'start', run: 2 },
      { type: 'failed', run: 2, error: oops },
    ]);
    assert.deepEqual(failed, { busy: false, error: oops, result: null, run: 2 });
    assert.deepEqual(actionReducer(failed, { type: 'start', run: 3 }), {
      busy: true,
      error: null,
      result: null,
      run: 3,
    });
  });

  void it('drops the late answer of an older run', () => {
    const state = fold([
      { type: 'start', run: 1 },
      { type: 'start', run: 2 },
      { type: 'failed', run: 1, error: oops },
      { type: 'done', run: 1, result: 'stale' },
    ]);
    assert.deepEqual(state, { busy: true, error: null, result: null, run: 2 });
    assert.equal(actionReducer(state, { type: 'done', run: 2, result: 'fresh' }).result, 'fresh');
  });

  void it('reset forgets error and result; report shows an error without touching busy', () => {
    const done = fold([
      { type: 'start', run: 4 },
      { type: 'done', run: 4, result: 'x' },
    ]);
    assert.deepEqual(actionReducer(done, { type: 'reset' }), { ...IDLE_ACTION, run: 4 });
    const busy = fold([{ type: 'start', run: 5 }]);
    assert.deepEqual(actionReducer(busy, { type: 'report', error: oops }), {
      ...busy,
      error: oops,
    });
  });
});

void describe('runAction', () => {
  void it('dispatches start then done and resolves true', async () => {
    const events: ActionEvent<number>[] = [];
    const ok = await runAction(
      (e) => events.push(e),
      7,
      () => Promise.resolve(42),
    );
    assert.equal(ok, true);
    assert.deepEqual(events, [
      { type: 'start', run: 7 },
      { type: 'done', run: 7, result: 42 },
    ]);
  });

  void it('turns a thrown AppError into its data, calls onError and resolves false', async () => {
    const events: ActionEvent<number>[] = [];
    const seen: unknown[] = [];
    const thrown = new AppError('NOT_FOUND', 'no such model');
    const ok = await runAction(
      (e) => events.push(e),
      2,
      () => Promise.reject(thrown),
      (e) => seen.push(e),
    );
    assert.equal(ok, false);
    assert.deepEqual(events, [
      { type: 'start', run: 2 },
      { type: 'failed', run: 2, error: { code: 'NOT_FOUND', message: 'no such model' } },
    ]);
    assert.deepEqual(seen, [thrown]);
  });

  void it('reports a plain Error with a code too (never rejects)', async () => {
    const events: ActionEvent<number>[] = [];
    const ok = await runAction(
      (e) => events.push(e),
      1,
      () => Promise.reject(new Error('boom')),
    );
    assert.equal(ok, false);
    assert.deepEqual(events.at(-1), {
      type: 'failed',
      run: 1,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });
});
