// Stage 2's one-view-per-epoch sampling: deterministic in (seed, epoch, photo), spread over every
// view, different between epochs, the centre view without an epoch, and rows mapped as photo *
// views + view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneViewPerEpoch, viewOf } from '../../src/main/ml-host/train/view-sampling';

void describe('one view per photo and epoch', () => {
  void it('is deterministic, uniform over the views and changes between epochs', () => {
    const counts = [0, 0, 0, 0];
    let changed = 0;
    for (let photo = 0; photo < 4000; photo++) {
      const v1 = viewOf(7, 1, photo, 4);
      assert.equal(viewOf(7, 1, photo, 4), v1, 'same inputs, same view');
      counts[v1]!++;
      if (viewOf(7, 2, photo, 4) !== v1) changed++;
    }
    for (const c of counts)
      assert.ok(c > 900 && c < 1100, `about a quarter each: ${counts.join()}`);
    assert.ok(changed > 2700 && changed < 3300, `about 3 in 4 photos change view: ${changed}`);
    assert.equal(viewOf(7, 0, 5, 4), 0, 'no epoch: the centre view');
    assert.equal(viewOf(7, 3, 5, 1), 0, 'one view: always it');
    assert.notDeepEqual(
      Array.from({ length: 20 }, (_, p) => viewOf(1, 1, p, 4)),
      Array.from({ length: 20 }, (_, p) => viewOf(2, 1, p, 4)),
      'the seed matters',
    );
  });

  void it('reads row photo * views + view of the epoch, and the centre row without an epoch', () => {
    const asked: number[][] = [];
    const reader = (indices: Int32Array, out: Float32Array) => {
      asked.push(Array.from(indices));
      indices.forEach((row, k) => (out[k] = row));
    };
    const sampled = oneViewPerEpoch(reader, 4, 3);
    const out = new Float32Array(3);
    sampled(Int32Array.from([2, 0, 9]), out, 5);
    assert.deepEqual(
      Array.from(out),
      [2, 0, 9].map((p) => p * 4 + viewOf(3, 5, p, 4)),
    );
    sampled(Int32Array.from([2, 0, 9]), out);
    assert.deepEqual(Array.from(out), [8, 0, 36]);
    assert.equal(oneViewPerEpoch(reader, 1, 3), reader, 'one view: the reader itself');
  });
});
