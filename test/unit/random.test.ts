import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hashString32,
  mulberry32,
  shuffleInPlace,
  unitFromKey,
} from '../../src/shared/domain/random';

describe('seeded random', () => {
  it('mulberry32 repeats per seed, differs across seeds, stays in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, mulberry32(1));
    assert.deepEqual(a, Array.from({ length: 1000 }, mulberry32(1)));
    assert.notDeepEqual(a.slice(0, 10), Array.from({ length: 10 }, mulberry32(2)));
    assert.ok(a.every((x) => x >= 0 && x < 1));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, String(mean));
    // Pinned values: a change here would silently change every library's splits.
    assert.deepEqual(
      Array.from({ length: 3 }, mulberry32(1)).map((x) => x.toFixed(8)),
      ['0.62707394', '0.00273572', '0.52744704'],
    );
  });

  it('hashString32 and unitFromKey are stable and spread', () => {
    assert.equal(hashString32('abc'), hashString32('abc'));
    assert.notEqual(hashString32('abc'), hashString32('abd'));
    assert.notEqual(hashString32('abc', 1), hashString32('abc', 2));
    const units = Array.from({ length: 2000 }, (_, i) => unitFromKey(9, `key-${i}`));
    assert.ok(units.every((u) => u >= 0 && u < 1));
    const buckets = new Array<number>(10).fill(0);
    for (const u of units) buckets[Math.floor(u * 10)]!++;
    assert.ok(
      buckets.every((n) => n > 140 && n < 260),
      buckets.join(','),
    );
    assert.notEqual(unitFromKey(1, 'k'), unitFromKey(2, 'k'));
  });

  it('shuffleInPlace permutes reproducibly', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffleInPlace([...items], mulberry32(3));
    assert.deepEqual(a, shuffleInPlace([...items], mulberry32(3)));
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      items,
    );
    assert.notDeepEqual(a, items);
  });
});
