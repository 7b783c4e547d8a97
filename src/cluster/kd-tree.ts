/**
 * A static KD-tree over the rows of a dense row-major matrix, for radius and nearest-neighbour
 * queries in Euclidean distance. Splits on the widest dimension at the median; leaves hold up to
 * `leafSize` rows; every node keeps its bounding box, so a query skips boxes out of reach and
 * takes whole boxes that lie inside the radius without measuring each row.
 *
 * @example
 * ```ts
 * const tree = new KDTree(new Float64Array([0, 0, 1, 1, 5, 5]), 3, 2);
 * tree.radius(new Float64Array([0, 0]), 1.5); // [0, 1] (in some order)
 * ```
 */
export class KDTree {
  readonly n: number;
  readonly d: number;
  /** Row index of each position in the tree's order. */
  private readonly order: Int32Array;
  /** The rows permuted into tree order (contiguous per leaf). */
  private readonly points: Float64Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** Per node: d minima then d maxima. */
  private readonly box: Float64Array;
  private nodes = 0;

  constructor(data: Float64Array, n: number, d: number, leafSize = 16) {
    this.n = n;
    this.d = d;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const cap = 4 * Math.ceil(n / Math.max(1, leafSize)) + 8;
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.left = new Int32Array(cap).fill(-1);
    this.right = new Int32Array(cap).fill(-1);
    this.box = new Float64Array(cap * 2 * d);
    const stack: number[] = [];
    const root = this.newNode(0, n);
    if (n > 0) stack.push(root);
    const keys = new Float64Array(n);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const s = this.start[node] as number;
      const e = this.end[node] as number;
      const bo = node * 2 * d;
      for (let q = 0; q < d; q++) {
        this.box[bo + q] = Number.POSITIVE_INFINITY;
        this.box[bo + d + q] = Number.NEGATIVE_INFINITY;
      }
      for (let p = s; p < e; p++) {
        const o = (order[p] as number) * d;
        for (let q = 0; q < d; q++) {
          const v = data[o + q] as number;
          if (v < (this.box[bo + q] as number)) this.box[bo + q] = v;
          if (v > (this.box[bo + d + q] as number)) this.box[bo + d + q] = v;
        }
      }
      if (e - s <= leafSize) continue;
      let dim = 0;
      let width = -1;
      for (let q = 0; q < d; q++) {
        const w = (this.box[bo + d + q] as number) - (this.box[bo + q] as number);
        if (w > width) {
          width = w;
          dim = q;
        }
      }
      if (width <= 0) continue; // all rows identical: keep as one leaf
      const mid = (s + e) >>> 1;
      for (let p = s; p < e; p++) keys[p] = data[(order[p] as number) * d + dim] as number;
      select(order, keys, s, e - 1, mid);
      const l = this.newNode(s, mid);
      const r = this.newNode(mid, e);
      this.left[node] = l;
      this.right[node] = r;
      stack.push(r, l);
    }
    this.order = order;
    this.points = new Float64Array(n * d);
    for (let p = 0; p < n; p++) {
      const o = (order[p] as number) * d;
      for (let q = 0; q < d; q++) this.points[p * d + q] = data[o + q] as number;
    }
  }

  private newNode(s: number, e: number): number {
    const id = this.nodes++;
    this.start[id] = s;
    this.end[id] = e;
    return id;
  }

  /**
   * Calls `visit(row)` for every row within distance `r` of `query` (distance <= r), and returns
   * how many there were.
   */
  radiusVisit(query: Float64Array, r: number, visit: (row: number) => void, qOffset = 0): number {
    if (this.n === 0) return 0;
    const d = this.d;
    const r2 = r * r;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    let count = 0;
    while (top > 0) {
      const node = stack[--top] as number;
      const bo = node * 2 * d;
      let minD = 0;
      let maxD = 0;
      for (let q = 0; q < d; q++) {
        const v = query[qOffset + q] as number;
        const lo = this.box[bo + q] as number;
        const hi = this.box[bo + d + q] as number;
        const below = lo - v;
        const above = v - hi;
        if (below > 0) minD += below * below;
        else if (above > 0) minD += above * above;
        const far = Math.max(Math.abs(v - lo), Math.abs(hi - v));
        maxD += far * far;
      }
      if (minD > r2) continue;
      const s = this.start[node] as number;
      const e = this.end[node] as number;
      if (maxD <= r2) {
        for (let p = s; p < e; p++) visit(this.order[p] as number);
        count += e - s;
        continue;
      }
      const l = this.left[node] as number;
      if (l < 0) {
        for (let p = s; p < e; p++) {
          let s2 = 0;
          const o = p * d;
          for (let q = 0; q < d; q++) {
            const t = (this.points[o + q] as number) - (query[qOffset + q] as number);
            s2 += t * t;
          }
          if (s2 <= r2) {
            visit(this.order[p] as number);
            count++;
          }
        }
        continue;
      }
      // depth-first: at most two entries per level of a balanced tree, far below the stack's size
      stack[top++] = this.right[node] as number;
      stack[top++] = l;
    }
    return count;
  }

  private readonly stack = new Int32Array(256);

  /** Rows within distance `r` of `query` (distance <= r), in tree order. */
  radius(query: Float64Array, r: number, qOffset = 0): number[] {
    const out: number[] = [];
    this.radiusVisit(query, r, (row) => out.push(row), qOffset);
    return out;
  }

  /** The nearest row to `query` and its distance (`[-1, Infinity]` for an empty tree). */
  nearest(query: Float64Array, qOffset = 0): [number, number] {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    if (this.n === 0) return [best, bestD];
    const d = this.d;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const bo = node * 2 * d;
      let minD = 0;
      for (let q = 0; q < d; q++) {
        const v = query[qOffset + q] as number;
        const lo = this.box[bo + q] as number;
        const hi = this.box[bo + d + q] as number;
        if (v < lo) minD += (lo - v) * (lo - v);
        else if (v > hi) minD += (v - hi) * (v - hi);
      }
      if (minD >= bestD) continue;
      const l = this.left[node] as number;
      if (l < 0) {
        for (let p = this.start[node] as number; p < (this.end[node] as number); p++) {
          let s2 = 0;
          for (let q = 0; q < d; q++) {
            const t = (this.points[p * d + q] as number) - (query[qOffset + q] as number);
            s2 += t * t;
          }
          const row = this.order[p] as number;
          if (s2 < bestD || (s2 === bestD && row < best)) {
            bestD = s2;
            best = row;
          }
        }
        continue;
      }
      const r = this.right[node] as number;
      // visit the nearer child first (pushed last)
      const dl = boxDist(this.box, l, d, query, qOffset);
      const dr = boxDist(this.box, r, d, query, qOffset);
      if (dl <= dr) stack.push(r, l);
      else stack.push(l, r);
    }
    return [best, Math.sqrt(bestD)];
  }
}

function boxDist(box: Float64Array, node: number, d: number, query: Float64Array, qOffset: number): number {
  const bo = node * 2 * d;
  let s = 0;
  for (let q = 0; q < d; q++) {
    const v = query[qOffset + q] as number;
    const lo = box[bo + q] as number;
    const hi = box[bo + d + q] as number;
    if (v < lo) s += (lo - v) * (lo - v);
    else if (v > hi) s += (v - hi) * (v - hi);
  }
  return s;
}

/** Quickselect on `order[lo..hi]` by `keys` (kept in step) so that position `k` holds its order statistic. */
function select(order: Int32Array, keys: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = keys[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((keys[i] as number) < pivot) i++;
      while ((keys[j] as number) > pivot) j--;
      if (i <= j) {
        const tk = keys[i] as number;
        keys[i] = keys[j] as number;
        keys[j] = tk;
        const to = order[i] as number;
        order[i] = order[j] as number;
        order[j] = to;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
