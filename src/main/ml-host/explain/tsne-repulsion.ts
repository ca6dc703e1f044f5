// The repulsive half of the t-SNE gradient by Barnes-Hut (van der Maaten 2014): a quadtree over
// the map, where a cell far enough from a point (its width / distance below theta) pushes it as
// one body at its centre of mass. O(n log n) per iteration instead of O(n²).

/** Cells deeper than this hold every point that reaches them (identical positions). */
const MAX_DEPTH = 48;
const NO_CHILD = -1;

/** A quadtree in flat arrays (one build per iteration, no objects). */
class QuadTree {
  count: Int32Array;
  comX: Float64Array;
  comY: Float64Array;
  centreX: Float64Array;
  centreY: Float64Array;
  half: Float64Array;
  /** First of the four children, or NO_CHILD for a leaf. */
  firstChild: Int32Array;
  /** The one point a leaf holds (the first, when MAX_DEPTH made it hold several). */
  point: Int32Array;
  depth: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.count = new Int32Array(capacity);
    this.comX = new Float64Array(capacity);
    this.comY = new Float64Array(capacity);
    this.centreX = new Float64Array(capacity);
    this.centreY = new Float64Array(capacity);
    this.half = new Float64Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.point = new Int32Array(capacity);
    this.depth = new Int32Array(capacity);
  }

  private grow(): void {
    const capacity = this.count.length * 2;
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    this.count = more(this.count);
    this.comX = more(this.comX);
    this.comY = more(this.comY);
    this.centreX = more(this.centreX);
    this.centreY = more(this.centreY);
    this.half = more(this.half);
    this.firstChild = more(this.firstChild);
    this.point = more(this.point);
    this.depth = more(this.depth);
  }

  private addNode(cx: number, cy: number, half: number, depth: number): number {
    if (this.size === this.count.length) this.grow();
    const node = this.size++;
    this.count[node] = 0;
    this.comX[node] = 0;
    this.comY[node] = 0;
    this.centreX[node] = cx;
    this.centreY[node] = cy;
    this.half[node] = half;
    this.firstChild[node] = NO_CHILD;
    this.point[node] = -1;
    this.depth[node] = depth;
    return node;
  }

  private childFor(node: number, x: number, y: number): number {
    const quadrant =
      (x >= (this.centreX[node] as number) ? 1 : 0) + (y >= (this.centreY[node] as number) ? 2 : 0);
    return (this.firstChild[node] as number) + quadrant;
  }

  private split(node: number): void {
    const h = (this.half[node] as number) / 2;
    const cx = this.centreX[node] as number;
    const cy = this.centreY[node] as number;
    const depth = (this.depth[node] as number) + 1;
    const first = this.addNode(cx - h, cy - h, h, depth);
    this.addNode(cx + h, cy - h, h, depth);
    this.addNode(cx - h, cy + h, h, depth);
    this.addNode(cx + h, cy + h, h, depth);
    this.firstChild[node] = first;
  }

  build(y: Float64Array, n: number): void {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const px = y[2 * i] as number;
      const py = y[2 * i + 1] as number;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
    this.size = 0;
    const half = Math.max(maxX - minX, maxY - minY, 1e-9) / 2 + 1e-9;
    this.addNode((minX + maxX) / 2, (minY + maxY) / 2, half, 0);
    for (let i = 0; i < n; i++) this.insert(i, y[2 * i] as number, y[2 * i + 1] as number);
  }

  private insert(i: number, x: number, y: number): void {
    let node = 0;
    for (;;) {
      const c = this.count[node] as number;
      // Running centre of mass of every point below this cell.
      this.comX[node] = ((this.comX[node] as number) * c + x) / (c + 1);
      this.comY[node] = ((this.comY[node] as number) * c + y) / (c + 1);
      this.count[node] = c + 1;
      if (this.firstChild[node] !== NO_CHILD) {
        node = this.childFor(node, x, y);
        continue;
      }
      if (c === 0) {
        this.point[node] = i;
        return;
      }
      if ((this.depth[node] as number) >= MAX_DEPTH) return;
      // A leaf with a point already: split it and move that point down, then go on with i.
      const other = this.point[node] as number;
      this.point[node] = -1;
      this.split(node);
      const ox = (this.comX[node] as number) * (c + 1) - x;
      const oy = (this.comY[node] as number) * (c + 1) - y;
      const child = this.childFor(node, ox, oy);
      this.count[child] = 1;
      this.comX[child] = ox;
      this.comY[child] = oy;
      this.point[child] = other;
      node = this.childFor(node, x, y);
    }
  }

  /**
   * The points in the tree's depth-first order, so that points visited one after another are near
   * each other and walk mostly the same cells (a quarter faster than in index order). Points a
   * MAX_DEPTH leaf holds besides its own come last.
   */
  spatialOrder(n: number, out: Int32Array, stack: Int32Array): void {
    let count = 0;
    const placed = new Uint8Array(n);
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top] as number;
      const first = this.firstChild[node] as number;
      if (first === NO_CHILD) {
        const p = this.point[node] as number;
        if (p >= 0) {
          out[count++] = p;
          placed[p] = 1;
        }
      } else {
        stack[top++] = first + 3;
        stack[top++] = first + 2;
        stack[top++] = first + 1;
        stack[top++] = first;
      }
    }
    for (let i = 0; i < n && count < n; i++) if (placed[i] === 0) out[count++] = i;
  }

  /** Whether (x, y) falls in the cell (the same bounds childFor sends points by). */
  private holds(node: number, x: number, y: number): boolean {
    const h = this.half[node] as number;
    const cx = this.centreX[node] as number;
    const cy = this.centreY[node] as number;
    return x >= cx - h && x < cx + h && y >= cy - h && y < cy + h;
  }

  /**
   * Adds to rep[2i..2i+1] the unnormalised repulsion on point i, Σ_j q_ij² (y_i − y_j), and
   * returns its share of the normaliser, Σ_j q_ij, with q_ij = 1 / (1 + |y_i − y_j|²).
   */
  repel(i: number, px: number, py: number, theta2: number, rep: Float64Array, stack: Int32Array) {
    let sumQ = 0;
    let fx = 0;
    let fy = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top] as number;
      let count = this.count[node] as number;
      if (count === 0) continue;
      const leaf = this.firstChild[node] === NO_CHILD;
      // Not itself: a leaf holds i when i is its point, or, at MAX_DEPTH, when i lies inside it.
      if (leaf && (this.point[node] === i || (count > 1 && this.holds(node, px, py)))) count -= 1;
      if (count === 0) continue;
      const dx = px - (this.comX[node] as number);
      const dy = py - (this.comY[node] as number);
      const dist2 = dx * dx + dy * dy;
      const width = 2 * (this.half[node] as number);
      if (leaf || width * width < theta2 * dist2) {
        const q = 1 / (1 + dist2);
        sumQ += count * q;
        const m = count * q * q;
        fx += m * dx;
        fy += m * dy;
      } else {
        const first = this.firstChild[node] as number;
        stack[top++] = first;
        stack[top++] = first + 1;
        stack[top++] = first + 2;
        stack[top++] = first + 3;
      }
    }
    rep[2 * i] = fx;
    rep[2 * i + 1] = fy;
    return sumQ;
  }
}

/** Reusable state of the repulsion for one map (the tree's arrays grow once, then are kept). */
export class Repulsion {
  private readonly tree: QuadTree;
  private readonly stack = new Int32Array(4 * MAX_DEPTH + 8);
  private readonly order: Int32Array;

  constructor(
    private readonly n: number,
    private readonly theta: number,
  ) {
    this.tree = new QuadTree(Math.max(64, 4 * n));
    this.order = new Int32Array(n);
  }

  /**
   * Fills rep [n, 2] with each point's unnormalised repulsion and returns the normaliser
   * Z = Σ_{i≠j} q_ij; the repulsive gradient on i is rep_i / Z.
   */
  compute(y: Float64Array, rep: Float64Array): number {
    this.tree.build(y, this.n);
    this.tree.spatialOrder(this.n, this.order, this.stack);
    const theta2 = this.theta * this.theta;
    let z = 0;
    for (let o = 0; o < this.n; o++) {
      const i = this.order[o] as number;
      z += this.tree.repel(i, y[2 * i] as number, y[2 * i + 1] as number, theta2, rep, this.stack);
    }
    return z;
  }
}
