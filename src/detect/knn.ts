/**
 * Exact k-nearest-neighbour search (Euclidean) for the detectors: a KD-tree for low dimensions
 * (p <= 16) and a brute-force scan otherwise, both with bounded memory (`k` entries per query).
 */

/**
 * The `k` nearest reference rows of each query row. Results are row-major `nq x k`: `index`
 * (reference row ids) and `dist` (Euclidean distances), nearest first. With `excludeSelf`, the
 * queries are the reference rows themselves and each row skips its own index.
 *
 * @example
 * ```ts
 * const ref = new Float64Array([0, 0, 1, 0, 5, 5]);
 * const r = kNearest(ref, 3, 2, ref, 3, 1, true);
 * r.index; // [1, 0, 1]
 * ```
 */
export function kNearest(
  ref: Float64Array,
  n: number,
  p: number,
  query: Float64Array,
  nq: number,
  k: number,
  excludeSelf: boolean,
): { index: Int32Array; dist: Float64Array } {
  const index = new Int32Array(nq * k);
  const dist = new Float64Array(nq * k);
  if (p <= 16 && n > 64) kdQuery(ref, n, p, query, nq, k, excludeSelf, index, dist);
  else bruteQuery(ref, n, p, query, nq, k, excludeSelf, index, dist);
  for (let i = 0; i < dist.length; i++) dist[i] = Math.sqrt(dist[i] as number);
  return { index, dist };
}

/** Max-heap of size k on squared distances (root = farthest kept). */
class Heap {
  readonly d: Float64Array;
  readonly ix: Int32Array;
  size = 0;
  constructor(readonly k: number) {
    this.d = new Float64Array(k);
    this.ix = new Int32Array(k);
  }
  reset(): void {
    this.size = 0;
  }
  worst(): number {
    return this.size < this.k ? Number.POSITIVE_INFINITY : (this.d[0] as number);
  }
  push(d: number, i: number): void {
    const { d: D, ix } = this;
    if (this.size < this.k) {
      let c = this.size++;
      while (c > 0) {
        const par = (c - 1) >> 1;
        if ((D[par] as number) >= d) break;
        D[c] = D[par] as number;
        ix[c] = ix[par] as number;
        c = par;
      }
      D[c] = d;
      ix[c] = i;
      return;
    }
    if (d >= (D[0] as number)) return;
    let c = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && (D[r] as number) > (D[l] as number) ? r : l;
      if ((D[m] as number) <= d) break;
      D[c] = D[m] as number;
      ix[c] = ix[m] as number;
      c = m;
    }
    D[c] = d;
    ix[c] = i;
  }
  /** Writes sorted (nearest first) into out arrays at offset. */
  drain(outI: Int32Array, outD: Float64Array, off: number): void {
    const order = Array.from({ length: this.size }, (_, t) => t).sort(
      (a, b) => (this.d[a] as number) - (this.d[b] as number) || (this.ix[a] as number) - (this.ix[b] as number),
    );
    for (let t = 0; t < order.length; t++) {
      outI[off + t] = this.ix[order[t] as number] as number;
      outD[off + t] = this.d[order[t] as number] as number;
    }
  }
}

function bruteQuery(ref: Float64Array, n: number, p: number, q: Float64Array, nq: number, k: number, excl: boolean, oi: Int32Array, od: Float64Array): void {
  const heap = new Heap(k);
  for (let a = 0; a < nq; a++) {
    heap.reset();
    const qa = a * p;
    for (let b = 0; b < n; b++) {
      if (excl && a === b) continue;
      const rb = b * p;
      let s = 0;
      const w = heap.worst();
      for (let j = 0; j < p; j++) {
        const t = (q[qa + j] as number) - (ref[rb + j] as number);
        s += t * t;
      }
      if (s < w) heap.push(s, b);
    }
    heap.drain(oi, od, a * k);
  }
}

function kdQuery(ref: Float64Array, n: number, p: number, q: Float64Array, nq: number, k: number, excl: boolean, oi: Int32Array, od: Float64Array): void {
  const LEAF = 16;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const cap = 4 * Math.ceil(n / LEAF) + 8;
  const nStart = new Int32Array(cap);
  const nEnd = new Int32Array(cap);
  const nDim = new Int32Array(cap).fill(-1);
  const nSplit = new Float64Array(cap);
  const nLeft = new Int32Array(cap);
  let count = 0;
  const build: number[] = [];
  const root = count++;
  nStart[root] = 0;
  nEnd[root] = n;
  build.push(root);
  const lo = new Float64Array(p);
  const hi = new Float64Array(p);
  while (build.length) {
    const node = build.pop() as number;
    const s = nStart[node] as number;
    const e = nEnd[node] as number;
    if (e - s <= LEAF) continue;
    lo.fill(Number.POSITIVE_INFINITY);
    hi.fill(Number.NEGATIVE_INFINITY);
    for (let r = s; r < e; r++) {
      const b = (order[r] as number) * p;
      for (let j = 0; j < p; j++) {
        const v = ref[b + j] as number;
        if (v < (lo[j] as number)) lo[j] = v;
        if (v > (hi[j] as number)) hi[j] = v;
      }
    }
    let dim = 0;
    let w = -1;
    for (let j = 0; j < p; j++) {
      const ww = (hi[j] as number) - (lo[j] as number);
      if (ww > w) {
        w = ww;
        dim = j;
      }
    }
    if (!(w > 0)) continue;
    const mid = (s + e) >> 1;
    select(ref, p, order, s, e - 1, mid, dim);
    const l = count;
    count += 2;
    nDim[node] = dim;
    nSplit[node] = ref[(order[mid] as number) * p + dim] as number;
    nLeft[node] = l;
    nStart[l] = s;
    nEnd[l] = mid;
    nStart[l + 1] = mid;
    nEnd[l + 1] = e;
    build.push(l, l + 1);
  }
  const heap = new Heap(k);
  const stackN = new Int32Array(cap);
  const stackD = new Float64Array(cap);
  for (let a = 0; a < nq; a++) {
    heap.reset();
    const qa = a * p;
    let sp = 0;
    stackN[sp] = root;
    stackD[sp++] = 0;
    while (sp > 0) {
      sp--;
      const node = stackN[sp] as number;
      const bound = stackD[sp] as number;
      if (bound >= heap.worst()) continue;
      const dim = nDim[node] as number;
      if (dim < 0) {
        for (let r = nStart[node] as number; r < (nEnd[node] as number); r++) {
          const b = order[r] as number;
          if (excl && b === a) continue;
          const rb = b * p;
          let s = 0;
          for (let j = 0; j < p; j++) {
            const t = (q[qa + j] as number) - (ref[rb + j] as number);
            s += t * t;
          }
          if (s < heap.worst()) heap.push(s, b);
        }
        continue;
      }
      const diff = (q[qa + dim] as number) - (nSplit[node] as number);
      const l = nLeft[node] as number;
      const near = diff < 0 ? l : l + 1;
      const far = diff < 0 ? l + 1 : l;
      // far side first on the stack so the near side is explored first
      stackN[sp] = far;
      stackD[sp++] = Math.max(bound, diff * diff);
      stackN[sp] = near;
      stackD[sp++] = bound;
    }
    heap.drain(oi, od, a * k);
  }
}

/** Quickselect: puts the element of rank `kth` (by column `dim`) at `kth` within order[lo..hi]. */
function select(ref: Float64Array, p: number, order: Int32Array, lo: number, hi: number, kth: number, dim: number): void {
  while (hi > lo) {
    const pivot = ref[(order[(lo + hi) >> 1] as number) * p + dim] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((ref[(order[i] as number) * p + dim] as number) < pivot) i++;
      while ((ref[(order[j] as number) * p + dim] as number) > pivot) j--;
      if (i <= j) {
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) hi = j;
    else if (kth >= i) lo = i;
    else return;
  }
}

/**
 * Visits the `k` nearest reference rows of every query row, querying in chunks of 4,096 rows so
 * memory stays O(chunk x k): `visit(row, index, dist, offset)` reads that row's neighbours at
 * `index[offset ..]` / `dist[offset ..]`, nearest first.
 *
 * @example
 * ```ts
 * const ref = new Float64Array([0, 1, 5]);
 * forEachNeighbours(ref, 3, 1, new Float64Array([0.9]), 1, 2, (row, index, dist, o) => console.log(index[o], dist[o])); // 1 0.1
 * ```
 */
export function forEachNeighbours(
  ref: Float64Array,
  n: number,
  p: number,
  query: Float64Array,
  nq: number,
  k: number,
  visit: (row: number, index: Int32Array, dist: Float64Array, offset: number) => void,
): void {
  const chunk = 4096;
  for (let s = 0; s < nq; s += chunk) {
    const e = Math.min(nq, s + chunk);
    const nn = kNearest(ref, n, p, query.subarray(s * p, e * p), e - s, k, false);
    for (let i = 0; i < e - s; i++) visit(s + i, nn.index, nn.dist, i * k);
  }
}
