import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Split } from '../../src/shared/contract/library-types';
import { haversineKm } from '../../src/shared/domain/geo';
import { mulberry32, shuffleInPlace } from '../../src/shared/domain/random';
import {
  assignSplits,
  clusterWithin,
  splitCounts,
  splitForKey,
  type SplitItem,
} from '../../src/shared/domain/splits';

type Point = { lat: number | null; lon: number | null };

/** Reference single-linkage grouping by brute force, to check the grid version against. */
function bruteGroups(points: readonly Point[], km: number): number[] {
  const parent = points.map((_, i) => i);
  const find = (i: number): number =>
    parent[i] === i ? i : (parent[i] = find(parent[i] as number));
  points.forEach((p, i) => {
    for (let j = 0; j < i; j++) {
      const q = points[j] as Point;
      if (p.lat === null || p.lon === null || q.lat === null || q.lon === null) continue;
      if (haversineKm({ lat: p.lat, lon: p.lon }, { lat: q.lat, lon: q.lon }) <= km)
        parent[find(i)] = find(j);
    }
  });
  return points.map((_, i) => find(i));
}

/** Two groupings are the same partition. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

describe('split algorithms', () => {
  it('splitCounts: exact largest-remainder counts that always add up', () => {
    assert.deepEqual(splitCounts(100, { train: 0.9, val: 0.05, test: 0.05 }), {
      train: 90,
      val: 5,
      test: 5,
    });
    assert.deepEqual(splitCounts(3, { train: 0.9, val: 0.05, test: 0.05 }), {
      train: 3,
      val: 0,
      test: 0,
    });
    assert.deepEqual(splitCounts(10, { train: 0.34, val: 0.33, test: 0.33 }), {
      train: 4,
      val: 3,
      test: 3,
    });
    assert.deepEqual(splitCounts(7, { train: 1, val: 0, test: 0 }), { train: 7, val: 0, test: 0 });
    for (let n = 0; n < 60; n++) {
      const c = splitCounts(n, { train: 0.7, val: 0.2, test: 0.1 });
      assert.equal(c.train + c.val + c.test, n);
    }
  });

  it('splitForKey: deterministic, follows the ratios, never picks a zero ratio', () => {
    const ratios = { train: 0.8, val: 0.1, test: 0.1 };
    const counts: Record<Split, number> = { train: 0, val: 0, test: 0 };
    for (let i = 0; i < 5000; i++) counts[splitForKey(4, `hash-${i}`, ratios)]++;
    assert.ok(Math.abs(counts.train / 5000 - 0.8) < 0.03, JSON.stringify(counts));
    assert.ok(Math.abs(counts.val / 5000 - 0.1) < 0.02, JSON.stringify(counts));
    assert.equal(splitForKey(4, 'x', ratios), splitForKey(4, 'x', ratios));
    for (let i = 0; i < 500; i++) {
      assert.notEqual(splitForKey(i, `k${i}`, { train: 0.95, val: 0.05, test: 0 }), 'test');
      assert.equal(splitForKey(i, `k${i}`, { train: 0, val: 0, test: 1 }), 'test');
    }
  });

  it('clusterWithin matches brute force at any latitude, across the antimeridian, near a pole', () => {
    const rnd = mulberry32(11);
    const around = (lat: number, lon: number, spread: number, n: number): Point[] =>
      Array.from({ length: n }, () => ({
        lat: Math.max(-90, Math.min(90, lat + (rnd() - 0.5) * spread)),
        lon: ((lon + (rnd() - 0.5) * spread * 2 + 540) % 360) - 180,
      }));
    const sets: [string, Point[], number][] = [
      ['equator', around(0, 10, 0.2, 150), 2],
      ['Moscow', around(55.75, 37.6, 0.3, 150), 1.5],
      ['antimeridian', around(-17, 179.99, 0.3, 150), 3],
      ['near the pole', around(89.5, 0, 1, 120), 20],
      [
        'mixed, with gaps',
        [
          ...around(48.85, 2.35, 0.2, 60),
          { lat: null, lon: null },
          ...around(-33.9, 151.2, 0.2, 60),
        ],
        1,
      ],
    ];
    for (const [name, points, km] of sets) {
      const { groupOf, groups } = clusterWithin(points, km);
      const brute = bruteGroups(points, km);
      assert.ok(samePartition(groupOf, brute), name);
      assert.equal(groups, new Set(brute).size, name);
    }
  });

  it('assignSplits: per-city counts exact, independent of input order, seed-dependent', () => {
    const items: SplitItem[] = [];
    for (const [city, n] of [
      ['A', 101],
      ['B', 37],
      ['C', 5],
    ] as const) {
      for (let i = 0; i < n; i++)
        items.push({
          id: items.length + 1,
          stratum: city,
          key: `${city}-${i}`,
          lat: null,
          lon: null,
        });
    }
    const settings = { train: 0.8, val: 0.1, test: 0.1, seed: 1, spatialKm: null };
    const first = assignSplits(items, settings);
    const shuffled = assignSplits(shuffleInPlace([...items], mulberry32(5)), settings);
    assert.deepEqual(
      [...shuffled.splits].sort((a, b) => a[0] - b[0]),
      [...first.splits].sort((a, b) => a[0] - b[0]),
    );
    for (const [city, n] of [
      ['A', 101],
      ['B', 37],
      ['C', 5],
    ] as const) {
      const got: Record<Split, number> = { train: 0, val: 0, test: 0 };
      for (const item of items.filter((i) => i.stratum === city))
        got[first.splits.get(item.id) as Split]++;
      assert.deepEqual(got, splitCounts(n, settings), city);
    }
    const other = assignSplits(items, { ...settings, seed: 2 });
    assert.ok(items.some((i) => other.splits.get(i.id) !== first.splits.get(i.id)));
  });

  it('assignSplits with spatialKm: close images share a split; ratios roughly kept', () => {
    const rnd = mulberry32(21);
    const items: SplitItem[] = [];
    for (let i = 0; i < 600; i++) {
      const city = i % 2 === 0 ? 'X' : 'Y';
      const hasGps = i % 10 !== 0;
      items.push({
        id: i + 1,
        stratum: city,
        key: `k${i}`,
        lat: hasGps ? (city === 'X' ? 40 : -20) + rnd() * 0.3 : null,
        lon: hasGps ? (city === 'X' ? -3 : 150) + rnd() * 0.3 : null,
      });
    }
    const km = 0.5;
    const { splits, clusters } = assignSplits(items, {
      train: 0.7,
      val: 0.15,
      test: 0.15,
      seed: 9,
      spatialKm: km,
    });
    assert.ok(clusters !== null && clusters < 600);
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i] as SplitItem;
        const b = items[j] as SplitItem;
        if (a.lat === null || b.lat === null) continue;
        if (
          haversineKm(a as { lat: number; lon: number }, b as { lat: number; lon: number }) <= km
        ) {
          assert.equal(splits.get(a.id), splits.get(b.id), `${a.id}/${b.id}`);
        }
      }
    }
    for (const city of ['X', 'Y']) {
      const mine = items.filter((i) => i.stratum === city);
      const train = mine.filter((i) => splits.get(i.id) === 'train').length / mine.length;
      assert.ok(Math.abs(train - 0.7) < 0.08, `${city}: train share ${train}`);
    }
  });
});
