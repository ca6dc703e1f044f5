/**
 * Train/val/test split algorithms: pure functions over plain items so they are easy to test and
 * give the same answer in every runtime. Reproducibility comes from keying every random choice on
 * (seed, image content hash) rather than on row order.
 */
import type { Split } from '../contract/library-types';
import { EARTH_RADIUS_KM, haversineKm } from './geo';
import { unitFromKey } from './random';

export type SplitRatios = { train: number; val: number; test: number };
export type SplitSettings = SplitRatios & { seed: number; spatialKm: number | null };

/** One image to place: `stratum` is its city, `key` its content hash. */
export type SplitItem = {
  id: number;
  stratum: string;
  key: string;
  lat: number | null;
  lon: number | null;
};

export type SplitAssignment = {
  splits: Map<number, Split>;
  /** Number of spatial clusters when spatialKm was given, else null. */
  clusters: number | null;
};

const ORDER: readonly Split[] = ['train', 'val', 'test'];

/** Exact per-split counts for n items (largest remainder, so they always add up to n). */
export function splitCounts(n: number, ratios: SplitRatios): Record<Split, number> {
  const raw = ORDER.map((s) => n * ratios[s]);
  const counts = raw.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  // Hand the remainder to the largest fractional parts; ties go to the earlier split (train first).
  const byFraction = ORDER.map((_, i) => i).sort(
    (a, b) =>
      (raw[b] as number) - (counts[b] as number) - ((raw[a] as number) - (counts[a] as number)) ||
      a - b,
  );
  for (const i of byFraction) {
    if (left <= 0) break;
    if (ratios[ORDER[i] as Split] <= 0) continue;
    counts[i] = (counts[i] as number) + 1;
    left--;
  }
  return { train: counts[0] as number, val: counts[1] as number, test: counts[2] as number };
}

/**
 * The split of one image from its key alone: used at import time, when whole-library
 * stratification is not available. Deterministic in (seed, key); a split with ratio 0 is never
 * chosen, even when floating-point ratios do not add up to exactly 1.
 */
export function splitForKey(seed: number, key: string, ratios: SplitRatios): Split {
  const u = unitFromKey(seed, key);
  let cumulative = 0;
  let last: Split = 'train';
  for (const split of ORDER) {
    if (ratios[split] <= 0) continue;
    last = split;
    cumulative += ratios[split];
    if (u < cumulative) return split;
  }
  return last;
}

/**
 * Groups points so that any two within `km` of each other share a group (single linkage, via
 * union-find). Neighbour search uses a lat/lon grid whose cells are at least `km` across, so only
 * the 3x3 surrounding cells need checking. Points without a position are their own group.
 * Returns a group index (0..groups-1) per point.
 */
export function clusterWithin(
  points: readonly { lat: number | null; lon: number | null }[],
  km: number,
): { groupOf: Int32Array; groups: number } {
  const n = points.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };

  const dLat = ((km / EARTH_RADIUS_KM) * 180) / Math.PI;
  let maxAbsLat = 0;
  for (const p of points)
    if (p.lat !== null && p.lon !== null) maxAbsLat = Math.max(maxAbsLat, Math.abs(p.lat));
  // Along a parallel, distance >= (2/pi) * R * cos(lat) * dLon for |dLon| <= pi; cells this wide
  // therefore never separate two points within km. Near the poles one column covers everything.
  const cosLat = Math.cos((Math.min(maxAbsLat, 90) * Math.PI) / 180);
  const minLonSpan = cosLat > 1e-9 ? dLat / (cosLat * (2 / Math.PI)) : 360;
  const cols = Math.max(1, Math.floor(360 / Math.min(360, minLonSpan)));
  const colWidth = 360 / cols;

  const cells = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const p = points[i] as { lat: number | null; lon: number | null };
    if (p.lat === null || p.lon === null) continue;
    const row = Math.floor((p.lat + 90) / dLat);
    const col = Math.floor((p.lon + 180) / colWidth) % cols;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        // Columns wrap at the antimeridian; with fewer than 3 columns avoid visiting one twice.
        if (cols < 3 && dc !== 0 && (cols === 1 || dc === 1)) continue;
        const members = cells.get(`${row + dr}:${(col + dc + cols) % cols}`);
        if (members === undefined) continue;
        for (const j of members) {
          const q = points[j] as { lat: number; lon: number };
          if (find(i) === find(j)) continue;
          if (haversineKm({ lat: p.lat, lon: p.lon }, q) <= km) parent[find(i)] = find(j);
        }
      }
    }
    const key = `${row}:${col}`;
    const list = cells.get(key);
    if (list === undefined) cells.set(key, [i]);
    else list.push(i);
  }

  const groupOf = new Int32Array(n);
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let g = index.get(root);
    if (g === undefined) {
      g = index.size;
      index.set(root, g);
    }
    groupOf[i] = g;
  }
  return { groupOf, groups: index.size };
}

/**
 * Stratified, seeded split of every item. Without `spatialKm`, each stratum (city) is ordered by a
 * seeded key and cut at exact largest-remainder counts. With `spatialKm`, nearby images are first
 * clustered and whole clusters are placed, largest first, into the split that is furthest below
 * its target for the cities in the cluster — so no two images within `spatialKm` straddle splits.
 */
export function assignSplits(
  items: readonly SplitItem[],
  settings: SplitSettings,
): SplitAssignment {
  const rank = new Map<number, number>();
  for (const item of items) rank.set(item.id, unitFromKey(settings.seed, item.key));
  const byRank = (a: SplitItem, b: SplitItem): number =>
    (rank.get(a.id) as number) - (rank.get(b.id) as number) || a.id - b.id;

  const splits = new Map<number, Split>();
  if (settings.spatialKm === null) {
    const strata = new Map<string, SplitItem[]>();
    for (const item of items) {
      const list = strata.get(item.stratum);
      if (list === undefined) strata.set(item.stratum, [item]);
      else list.push(item);
    }
    for (const members of strata.values()) {
      members.sort(byRank);
      const counts = splitCounts(members.length, settings);
      let i = 0;
      for (const split of ORDER) {
        for (let k = 0; k < counts[split]; k++) splits.set((members[i++] as SplitItem).id, split);
      }
    }
    return { splits, clusters: null };
  }

  const { groupOf, groups } = clusterWithin(items, settings.spatialKm);
  const clusters: SplitItem[][] = Array.from({ length: groups }, () => []);
  items.forEach((item, i) => (clusters[groupOf[i] as number] as SplitItem[]).push(item));
  for (const members of clusters) members.sort(byRank);
  // Largest clusters first (they are the hard ones to fit), ties in seeded order.
  clusters.sort((a, b) => b.length - a.length || byRank(a[0] as SplitItem, b[0] as SplitItem));

  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.stratum, (totals.get(item.stratum) ?? 0) + 1);
  const placed = new Map<string, Record<Split, number>>();
  for (const stratum of totals.keys()) placed.set(stratum, { train: 0, val: 0, test: 0 });

  for (const members of clusters) {
    const perStratum = new Map<string, number>();
    for (const m of members) perStratum.set(m.stratum, (perStratum.get(m.stratum) ?? 0) + 1);
    let best: Split = 'train';
    let bestScore = -Infinity;
    for (const split of ORDER) {
      if (settings[split] <= 0) continue;
      // Relative shortfall of this split, weighted by how many of the cluster's images each city has.
      let score = 0;
      for (const [stratum, count] of perStratum) {
        const total = totals.get(stratum) as number;
        const have = (placed.get(stratum) as Record<Split, number>)[split];
        score += (count * (total * settings[split] - have)) / total;
      }
      if (score > bestScore + 1e-12) {
        best = split;
        bestScore = score;
      }
    }
    for (const m of members) {
      splits.set(m.id, best);
      (placed.get(m.stratum) as Record<Split, number>)[best]++;
    }
  }
  return { splits, clusters: groups };
}
