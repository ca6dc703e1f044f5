// The k nearest neighbours of each row, which is all Barnes-Hut t-SNE needs of the input space:
// exact for small samples, from a seeded random-projection forest for large ones (computing all
// n² distances in 1,280 dimensions is what made 10,000 photos take minutes).
import { Prng } from '../train/prng';

/** Rows each point's neighbours; `index[i * k + r]` is i's r-th nearest, `dist2` its distance². */
export type Neighbours = { k: number; index: Int32Array; dist2: Float64Array };

/** Up to this many rows, every pair is measured (about a second at 1,280 dimensions). */
export const EXACT_NEIGHBOURS_MAX_ROWS = 2000;
const FOREST_TREES = 4;

function squaredDistance(x: Float32Array, a: number, b: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  // Two accumulators: the loop runs about a fifth faster than with one.
  for (; k + 1 < d; k += 2) {
    const e0 = (x[a + k] as number) - (x[b + k] as number);
    const e1 = (x[a + k + 1] as number) - (x[b + k + 1] as number);
    s0 += e0 * e0;
    s1 += e1 * e1;
  }
  if (k < d) {
    const e = (x[a + k] as number) - (x[b + k] as number);
    s0 += e * e;
  }
  return s0 + s1;
}

/** Keeps the k smallest (distance, index) pairs seen, in a max-heap. */
class NearestK {
  readonly dist: Float64Array;
  readonly index: Int32Array;
  size = 0;
  constructor(private readonly k: number) {
    this.dist = new Float64Array(k);
    this.index = new Int32Array(k);
  }

  reset(): void {
    this.size = 0;
  }

  offer(dist: number, index: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((this.dist[parent] as number) >= dist) break;
        this.dist[i] = this.dist[parent] as number;
        this.index[i] = this.index[parent] as number;
        i = parent;
      }
      this.dist[i] = dist;
      this.index[i] = index;
      return;
    }
    if (dist >= (this.dist[0] as number)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.k) break;
      const r = l + 1;
      const c = r < this.k && (this.dist[r] as number) > (this.dist[l] as number) ? r : l;
      if ((this.dist[c] as number) <= dist) break;
      this.dist[i] = this.dist[c] as number;
      this.index[i] = this.index[c] as number;
      i = c;
    }
    this.dist[i] = dist;
    this.index[i] = index;
  }

  /** Writes the pairs nearest first (ties by index, so the order is reproducible). */
  writeSorted(index: Int32Array, dist2: Float64Array, at: number): void {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) =>
        (this.dist[a] as number) - (this.dist[b] as number) ||
        (this.index[a] as number) - (this.index[b] as number),
    );
    order.forEach((o, r) => {
      index[at + r] = this.index[o] as number;
      dist2[at + r] = this.dist[o] as number;
    });
  }
}

/**
 * Leaves of one random-projection tree (as in Annoy and UMAP's NN-descent start): each node splits
 * its rows by the hyperplane halfway between two of them picked at random, down to leaves of at
 * most `leafSize` rows. Returns, per row, the rows of its leaf (as [start, end) into `members`).
 */
function projectionTreeLeaves(
  x: Float32Array,
  n: number,
  d: number,
  leafSize: number,
  prng: Prng,
): { members: Int32Array; leafStart: Int32Array; leafEnd: Int32Array } {
  const members = Int32Array.from({ length: n }, (_, i) => i);
  const leafStart = new Int32Array(n);
  const leafEnd = new Int32Array(n);
  const normal = new Float64Array(d);
  const side = new Float64Array(n);
  const stack: [number, number][] = [[0, n]];
  while (stack.length > 0) {
    const [start, end] = stack.pop() as [number, number];
    const count = end - start;
    let split = -1;
    if (count > leafSize) {
      const a = members[start + Math.floor(prng.next() * count)] as number;
      let b = members[start + Math.floor(prng.next() * count)] as number;
      if (b === a) b = members[start + ((a - start + 1) % count)] as number;
      let offset = 0;
      for (let k = 0; k < d; k++) {
        const va = x[a * d + k] as number;
        const vb = x[b * d + k] as number;
        normal[k] = va - vb;
        offset += ((va - vb) * (va + vb)) / 2;
      }
      for (let m = start; m < end; m++) {
        const row = (members[m] as number) * d;
        let s = -offset;
        for (let k = 0; k < d; k++) s += (normal[k] as number) * (x[row + k] as number);
        side[m] = s;
      }
      // Partition: rows on the positive side first. Ties (or identical rows) go by turns, so a
      // split always shrinks both halves.
      let lo = start;
      let hi = end - 1;
      let turn = false;
      while (lo <= hi) {
        const s = side[lo] as number;
        const positive = s > 0 || (s === 0 && (turn = !turn));
        if (positive) lo++;
        else {
          const t = members[lo] as number;
          members[lo] = members[hi] as number;
          members[hi] = t;
          const ts = side[lo] as number;
          side[lo] = side[hi] as number;
          side[hi] = ts;
          hi--;
        }
      }
      if (lo > start && lo < end) split = lo;
      else split = start + (count >> 1); // degenerate hyperplane: halve as the rows lie
    }
    if (split < 0) {
      for (let m = start; m < end; m++) {
        const row = members[m] as number;
        leafStart[row] = start;
        leafEnd[row] = end;
      }
    } else {
      stack.push([split, end], [start, split]);
    }
  }
  return { members, leafStart, leafEnd };
}

/**
 * The k nearest neighbours of every row of x [n, d] (never the row itself). Exact for up to
 * EXACT_NEIGHBOURS_MAX_ROWS rows; above, the candidates are the rows sharing a leaf with it in any
 * of a few seeded random-projection trees, and their neighbours in the graph (one step of
 * NN-descent), measured exactly. `checkCancel` is called between rows every so often.
 */
export function nearestNeighbours(
  x: Float32Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  checkCancel: () => void = () => undefined,
): Neighbours {
  const index = new Int32Array(n * k);
  const dist2 = new Float64Array(n * k);
  const heap = new NearestK(k);
  if (n <= EXACT_NEIGHBOURS_MAX_ROWS) {
    for (let i = 0; i < n; i++) {
      if (i % 256 === 0) checkCancel();
      heap.reset();
      for (let j = 0; j < n; j++) {
        if (j !== i) heap.offer(squaredDistance(x, i * d, j * d, d), j);
      }
      heap.writeSorted(index, dist2, i * k);
    }
    return { k, index, dist2 };
  }

  const prng = new Prng(seed);
  const leafSize = Math.max(2 * k, 128);
  const trees = Array.from({ length: FOREST_TREES }, () =>
    projectionTreeLeaves(x, n, d, leafSize, prng),
  );
  checkCancel();
  const seen = new Int32Array(n).fill(-1);
  const measure = (i: number, j: number): void => {
    if (j === i || seen[j] === i) return;
    seen[j] = i;
    heap.offer(squaredDistance(x, i * d, j * d, d), j);
  };
  for (let i = 0; i < n; i++) {
    if (i % 256 === 0) checkCancel();
    heap.reset();
    for (const tree of trees) {
      for (let m = tree.leafStart[i] as number; m < (tree.leafEnd[i] as number); m++) {
        measure(i, tree.members[m] as number);
      }
    }
    // Lopsided splits can leave fewer than k candidates: the next rows fill the list.
    for (let j = (i + 1) % n; heap.size < k; j = (j + 1) % n) measure(i, j);
    heap.writeSorted(index, dist2, i * k);
  }
  // One refinement: a neighbour's nearest few neighbours are likely near too.
  const hops = Math.min(k, 12);
  const refined = { index: new Int32Array(n * k), dist2: new Float64Array(n * k) };
  for (let i = 0; i < n; i++) {
    if (i % 256 === 0) checkCancel();
    heap.reset();
    for (let r = 0; r < k; r++) {
      heap.offer(dist2[i * k + r] as number, index[i * k + r] as number);
      seen[index[i * k + r] as number] = n + i;
    }
    seen[i] = n + i;
    for (let r = 0; r < hops; r++) {
      const j = index[i * k + r] as number;
      for (let s = 0; s < hops; s++) {
        const l = index[j * k + s] as number;
        if (seen[l] === n + i) continue;
        seen[l] = n + i;
        heap.offer(squaredDistance(x, i * d, l * d, d), l);
      }
    }
    heap.writeSorted(refined.index, refined.dist2, i * k);
  }
  return { k, ...refined };
}
