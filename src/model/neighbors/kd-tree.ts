/**
 * A k-d tree over the rows of a row-major matrix (median splits on the widest dimension, leaves of
 * up to `leafSize` rows), for exact k-nearest-neighbour queries in low dimensions.
 *
 * @example
 * ```ts
 * const tree = new KdTree(X, n, p);
 * const { index, dist } = tree.query(point, 5);
 * ```
 */
export class KdTree {
  private readonly X: Float64Array;
  private readonly p: number;
  private readonly idx: Int32Array;
  // node arrays: for node t, [start, end), split dim (-1 = leaf), split value, children
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly dim: number[] = [];
  private readonly value: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly leafSize: number;
  private readonly manhattan: boolean;

  constructor(X: Float64Array, n: number, p: number, leafSize = 30, manhattan = false) {
    this.X = X;
    this.p = p;
    this.leafSize = leafSize;
    this.manhattan = manhattan;
    this.idx = new Int32Array(n);
    for (let i = 0; i < n; i++) this.idx[i] = i;
    if (n > 0) this.build(0, n);
  }

  private build(s: number, e: number): number {
    const t = this.start.length;
    this.start.push(s);
    this.end.push(e);
    this.dim.push(-1);
    this.value.push(0);
    this.left.push(-1);
    this.right.push(-1);
    if (e - s <= this.leafSize) return t;
    const p = this.p;
    let best = -1;
    let spread = 0;
    for (let j = 0; j < p; j++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = s; i < e; i++) {
        const v = this.X[(this.idx[i] as number) * p + j] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > spread) {
        spread = hi - lo;
        best = j;
      }
    }
    if (best < 0) return t; // all points equal
    const mid = (s + e) >> 1;
    this.select(s, e - 1, mid, best);
    this.dim[t] = best;
    this.value[t] = this.X[(this.idx[mid] as number) * p + best] as number;
    const l = this.build(s, mid);
    const r = this.build(mid, e);
    this.left[t] = l;
    this.right[t] = r;
    return t;
  }

  /** Quickselect on idx[lo..hi] by coordinate d so that position k holds the k-th smallest. */
  private select(lo: number, hi: number, k: number, d: number): void {
    const { X, p, idx } = this;
    const key = (i: number) => X[(idx[i] as number) * p + d] as number;
    while (hi > lo) {
      const pivot = key((lo + hi) >> 1);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (key(i) < pivot) i++;
        while (key(j) > pivot) j--;
        if (i <= j) {
          const tmp = idx[i] as number;
          idx[i] = idx[j] as number;
          idx[j] = tmp;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /**
   * The `k` nearest rows to `q` (starting at `q[qo]`), nearest first; distances are Euclidean
   * (or Manhattan). Ties are broken by row index.
   */
  query(q: Float64Array, k: number, qo = 0): { index: Int32Array; dist: Float64Array } {
    const heapD = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
    const heapI = new Int32Array(k).fill(-1);
    const p = this.p;
    const X = this.X;
    const man = this.manhattan;
    // max-heap by (distance, index)
    const worse = (a: number, b: number) =>
      (heapD[a] as number) > (heapD[b] as number) || (heapD[a] === heapD[b] && (heapI[a] as number) > (heapI[b] as number));
    const push = (d: number, i: number) => {
      if (d > (heapD[0] as number) || (d === heapD[0] && i > (heapI[0] as number))) return;
      heapD[0] = d;
      heapI[0] = i;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        const r = l + 1;
        let m = c;
        if (l < k && worse(l, m)) m = l;
        if (r < k && worse(r, m)) m = r;
        if (m === c) break;
        const td = heapD[c] as number;
        const ti = heapI[c] as number;
        heapD[c] = heapD[m] as number;
        heapI[c] = heapI[m] as number;
        heapD[m] = td;
        heapI[m] = ti;
        c = m;
      }
    };
    const visit = (t: number) => {
      const d = this.dim[t] as number;
      if (d < 0) {
        for (let a = this.start[t] as number; a < (this.end[t] as number); a++) {
          const i = this.idx[a] as number;
          let s = 0;
          const o = i * p;
          if (man) for (let j = 0; j < p; j++) s += Math.abs((X[o + j] as number) - (q[qo + j] as number));
          else
            for (let j = 0; j < p; j++) {
              const diff = (X[o + j] as number) - (q[qo + j] as number);
              s += diff * diff;
            }
          push(s, i);
        }
        return;
      }
      const diff = (q[qo + d] as number) - (this.value[t] as number);
      const near = diff < 0 ? (this.left[t] as number) : (this.right[t] as number);
      const far = diff < 0 ? (this.right[t] as number) : (this.left[t] as number);
      visit(near);
      const bound = man ? Math.abs(diff) : diff * diff;
      if (bound <= (heapD[0] as number)) visit(far);
    };
    if (this.start.length > 0) visit(0);
    // sort ascending
    const order = Array.from({ length: k }, (_, i) => i).sort(
      (a, b) => (heapD[a] as number) - (heapD[b] as number) || (heapI[a] as number) - (heapI[b] as number),
    );
    const index = new Int32Array(k);
    const dist = new Float64Array(k);
    order.forEach((o, r) => {
      index[r] = heapI[o] as number;
      dist[r] = man ? (heapD[o] as number) : Math.sqrt(heapD[o] as number);
    });
    return { index, dist };
  }
}

/**
 * Brute-force k nearest rows of `X` to the query row, nearest first (ties by index), with a
 * bounded max-heap (O(n log k) per query).
 *
 * @example
 * ```ts
 * bruteKnn(X, n, p, q, 0, 5, false);
 * ```
 */
export function bruteKnn(
  X: Float64Array,
  n: number,
  p: number,
  q: Float64Array,
  qo: number,
  k: number,
  manhattan: boolean,
): { index: Int32Array; dist: Float64Array } {
  const hd = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  const hi = new Int32Array(k).fill(-1);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * p;
    if (manhattan) for (let j = 0; j < p; j++) s += Math.abs((X[o + j] as number) - (q[qo + j] as number));
    else
      for (let j = 0; j < p; j++) {
        const diff = (X[o + j] as number) - (q[qo + j] as number);
        s += diff * diff;
      }
    if (s >= (hd[0] as number)) continue;
    // sift down from the root (max-heap by distance; earlier index kept on ties since we skip s >= root)
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let m = -1;
      let md = s;
      if (l < k && (hd[l] as number) > md) {
        m = l;
        md = hd[l] as number;
      }
      if (r < k && (hd[r] as number) > md) m = r;
      if (m < 0) break;
      hd[c] = hd[m] as number;
      hi[c] = hi[m] as number;
      c = m;
    }
    hd[c] = s;
    hi[c] = i;
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => (hd[a] as number) - (hd[b] as number) || (hi[a] as number) - (hi[b] as number));
  const index = new Int32Array(k);
  const dist = new Float64Array(k);
  order.forEach((o, r) => {
    index[r] = hi[o] as number;
    dist[r] = manhattan ? (hd[o] as number) : Math.sqrt(hd[o] as number);
  });
  return { index, dist };
}
