import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeGate } from '../../src/main/platform/image/decode-gate';

/** A promise with its resolve handle, to hold work open until a test lets it go. */
function held(): { promise: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DecodeGate', () => {
  it('shared work runs side by side', async () => {
    const gate = new DecodeGate();
    const a = held();
    const b = held();
    const both = [gate.shared(() => a.promise), gate.shared(() => b.promise)];
    await tick();
    assert.equal(gate.running, 2);
    a.release();
    b.release();
    await Promise.all(both);
    assert.equal(gate.running, 0);
  });

  it('solo work waits for running shared work and holds back new shared work', async () => {
    const gate = new DecodeGate();
    const order: string[] = [];
    const first = held();
    const solo = held();
    const running = gate.shared(async () => {
      await first.promise;
      order.push('shared-1 done');
    });
    await tick();
    const soloDone = gate.solo(async () => {
      order.push('solo start');
      assert.equal(gate.running, 0, 'nothing shared runs during solo work');
      await solo.promise;
      order.push('solo done');
    });
    const later = gate.shared(() => {
      order.push('shared-2 start');
      return Promise.resolve();
    });
    await tick();
    assert.deepEqual(order, [], 'solo waits for shared-1; shared-2 waits for solo');
    first.release();
    await running;
    await tick();
    assert.deepEqual(order, ['shared-1 done', 'solo start']);
    solo.release();
    await Promise.all([soloDone, later]);
    assert.deepEqual(order, ['shared-1 done', 'solo start', 'solo done', 'shared-2 start']);
  });

  it('a failing job releases the gate', async () => {
    const gate = new DecodeGate();
    await assert.rejects(
      gate.shared(() => Promise.reject(new Error('bad'))),
      /bad/,
    );
    await assert.rejects(
      gate.solo(() => Promise.reject(new Error('worse'))),
      /worse/,
    );
    assert.equal(await gate.shared(() => Promise.resolve(7)), 7);
    assert.equal(await gate.solo(() => Promise.resolve(8)), 8);
  });

  it('two solo jobs take turns', async () => {
    const gate = new DecodeGate();
    let alone = 0;
    let most = 0;
    const soloJob = async (): Promise<void> => {
      alone++;
      most = Math.max(most, alone);
      await tick();
      alone--;
    };
    await Promise.all([gate.solo(soloJob), gate.solo(soloJob), gate.solo(soloJob)]);
    assert.equal(most, 1);
  });
});
