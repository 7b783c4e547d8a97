/** t-SNE internals: affinities (kNN or dense), the Barnes-Hut quadtree and the two gradients. Not re-exported by `index.ts`. */

const MACHINE_EPSILON = 2.220446049250313e-16;

/**
 * Symmetric joint probabilities of t-SNE in CSR form (row pointers, column indices, values), or a
 * dense n x n copy for the exact method.
 *
 * @example
 * ```ts
 * const P: Affinities = knnAffinities(X, n, d, 30);
 * ```
 */
export interface Affinities {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  /** Per row, the first entry with column > row (rows are sorted and P is exactly symmetric): the upper triangle. */
  upper?: Int32Array;
  dense?: Float64Array;
}

/**
 * scikit-learn's `_binary_search_perplexity` for one row: finds the precision `beta` such that the
 * conditional distribution over the given squared distances has the wanted perplexity, and writes
 * the probabilities to `out`.
 */
function searchPerplexity(sq: Float64Array, count: number, perplexity: number, out: Float64Array): void {
  const desired = Math.log(perplexity);
  let betaMin = Number.NEGATIVE_INFINITY;
  let betaMax = Number.POSITIVE_INFINITY;
  let beta = 1;
  for (let step = 0; step < 100; step++) {
    let sum = 0;
    for (let j = 0; j < count; j++) {
      const v = Math.exp(-(sq[j] as number) * beta);
      out[j] = v;
      sum += v;
    }
    if (sum === 0) sum = 1e-8;
    let sumDist = 0;
    for (let j = 0; j < count; j++) {
      const v = (out[j] as number) / sum;
      out[j] = v;
      sumDist += (sq[j] as number) * v;
    }
    const entropy = Math.log(sum) + beta * sumDist;
    const diff = entropy - desired;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      betaMin = beta;
      beta = betaMax === Number.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
    } else {
      betaMax = beta;
      beta = betaMin === Number.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
    }
  }
}

/** Squared distances from row i to all rows. */
function rowDistances(X: Float64Array, n: number, d: number, i: number, out: Float64Array): void {
  const oi = i * d;
  for (let j = 0; j < n; j++) {
    let s = 0;
    const oj = j * d;
    for (let q = 0; q < d; q++) {
      const t = (X[oi + q] as number) - (X[oj + q] as number);
      s += t * t;
    }
    out[j] = s;
  }
}

/**
 * Squared distances from the `rows` (1 to 4) rows starting at `i0` to all n rows, into `out`
 * (rows x n). Four rows share each load of a row j (the differences are exact per pair, no
 * |x|² + |y|² - 2x·y cancellation).
 */
function blockDistances(X: Float64Array, n: number, d: number, i0: number, rows: number, out: Float64Array): void {
  if (rows < 4) {
    for (let r = 0; r < rows; r++) rowDistances(X, n, d, i0 + r, out.subarray(r * n, r * n + n));
    return;
  }
  const a0 = i0 * d;
  const a1 = a0 + d;
  const a2 = a1 + d;
  const a3 = a2 + d;
  for (let j = 0; j < n; j++) {
    const oj = j * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let q = 0; q < d; q++) {
      const x = X[oj + q] as number;
      const t0 = (X[a0 + q] as number) - x;
      const t1 = (X[a1 + q] as number) - x;
      const t2 = (X[a2 + q] as number) - x;
      const t3 = (X[a3 + q] as number) - x;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    out[j] = s0;
    out[n + j] = s1;
    out[2 * n + j] = s2;
    out[3 * n + j] = s3;
  }
}

/**
 * Sparse affinities from the k = min(n - 1, floor(3·perplexity + 1)) nearest neighbours (exact
 * search), each row's conditional distribution fitted to the perplexity, symmetrised:
 * P = (P + Pᵀ) / sum, rows sorted by column.
 *
 * @example
 * ```ts
 * const P = knnAffinities(X, n, d, 30); // X: n x d row-major
 * ```
 */
export function knnAffinities(X: Float64Array, n: number, d: number, perplexity: number): Affinities {
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const dist4 = new Float64Array(4 * n);
  const order = new Int32Array(n);
  const nbr = new Int32Array(n * k);
  const cond = new Float64Array(n * k);
  const sq = new Float64Array(k);
  const prob = new Float64Array(k);
  for (let i0 = 0; i0 < n; i0 += 4) {
    const rows = Math.min(4, n - i0);
    blockDistances(X, n, d, i0, rows, dist4);
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const dist = dist4.subarray(r * n, r * n + n);
      dist[i] = Number.POSITIVE_INFINITY;
      for (let j = 0; j < n; j++) order[j] = j;
      selectSmallest(order, dist, k);
      const head = Array.from(order.subarray(0, k)).sort((a, b) => (dist[a] as number) - (dist[b] as number) || a - b);
      for (let j = 0; j < k; j++) {
        nbr[i * k + j] = head[j] as number;
        sq[j] = dist[head[j] as number] as number;
      }
      searchPerplexity(sq, k, perplexity, prob);
      cond.set(prob, i * k);
    }
  }
  // P + Pᵀ in CSR: the incoming edges of each row (the transpose of the kNN lists) by counting sort
  const tptr = new Int32Array(n + 1);
  for (let e = 0; e < n * k; e++) tptr[(nbr[e] as number) + 1] = (tptr[(nbr[e] as number) + 1] as number) + 1;
  for (let i = 0; i < n; i++) tptr[i + 1] = (tptr[i + 1] as number) + (tptr[i] as number);
  const tfill = tptr.slice(0, n);
  const tsrc = new Int32Array(n * k);
  const tval = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let e = i * k; e < i * k + k; e++) {
      const j = nbr[e] as number;
      const pos = tfill[j] as number;
      tfill[j] = pos + 1;
      tsrc[pos] = i;
      tval[pos] = cond[e] as number;
    }
  }
  const ptr = new Int32Array(n + 1);
  const idxAll = new Int32Array(2 * n * k);
  const valAll = new Float64Array(2 * n * k);
  const acc = new Float64Array(n);
  const seen = new Uint8Array(n);
  let nnz = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const start = nnz;
    // row i of P: its own k neighbours, then the rows that have i among theirs
    for (let e = i * k, end = e + k, t = tptr[i] as number, tend = tptr[i + 1] as number; e < end || t < tend; ) {
      let j: number;
      let v: number;
      if (e < end) {
        j = nbr[e] as number;
        v = cond[e++] as number;
      } else {
        j = tsrc[t] as number;
        v = tval[t++] as number;
      }
      if (seen[j] === 0) {
        seen[j] = 1;
        acc[j] = 0;
        idxAll[nnz++] = j;
      }
      acc[j] = (acc[j] as number) + v;
    }
    idxAll.subarray(start, nnz).sort();
    for (let e = start; e < nnz; e++) {
      const j = idxAll[e] as number;
      const v = acc[j] as number;
      valAll[e] = v;
      total += v;
      seen[j] = 0;
    }
    ptr[i + 1] = nnz;
  }
  total = Math.max(total, MACHINE_EPSILON);
  const idx = idxAll.slice(0, nnz);
  const val = valAll.slice(0, nnz);
  for (let e = 0; e < nnz; e++) val[e] = (val[e] as number) / total;
  const upper = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let e = ptr[i] as number;
    while (e < (ptr[i + 1] as number) && (idx[e] as number) < i) e++;
    upper[i] = e;
  }
  return { ptr, idx, val, upper };
}

/**
 * Dense affinities over all pairs (exact method), symmetrised and normalised, floored at machine epsilon.
 *
 * @example
 * ```ts
 * const { dense } = exactAffinities(X, n, d, 30); // n x n
 * ```
 */
export function exactAffinities(X: Float64Array, n: number, d: number, perplexity: number): Affinities {
  const dense = new Float64Array(n * n);
  const dist = new Float64Array(n);
  const sq = new Float64Array(n - 1);
  const prob = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    rowDistances(X, n, d, i, dist);
    let w = 0;
    for (let j = 0; j < n; j++) if (j !== i) sq[w++] = dist[j] as number;
    searchPerplexity(sq, n - 1, perplexity, prob);
    w = 0;
    for (let j = 0; j < n; j++) if (j !== i) dense[i * n + j] = prob[w++] as number;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (dense[i * n + j] as number) + (dense[j * n + i] as number);
      dense[i * n + j] = v;
      dense[j * n + i] = v;
      total += 2 * v;
    }
  }
  total = Math.max(total, MACHINE_EPSILON);
  for (let q = 0; q < dense.length; q++) dense[q] = Math.max((dense[q] as number) / total, MACHINE_EPSILON);
  for (let i = 0; i < n; i++) dense[i * n + i] = 0;
  return { ptr: new Int32Array(0), idx: new Int32Array(0), val: new Float64Array(0), dense };
}

/** Partial selection: moves the `k` smallest `keys[order[.]]` to the front of `order`. */
function selectSmallest(order: Int32Array, keys: Float64Array, k: number): void {
  let lo = 0;
  let hi = order.length - 1;
  const target = k - 1;
  while (hi > lo) {
    const pivot = keys[order[(lo + hi) >>> 1] as number] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((keys[order[i] as number] as number) < pivot) i++;
      while ((keys[order[j] as number] as number) > pivot) j--;
      if (i <= j) {
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

/**
 * A 2-D quadtree over the embedding, rebuilt every iteration into the same typed arrays
 * (scikit-learn's `_QuadTree`): leaves hold one point (or several identical ones); a split cell
 * gets its four children as one block. `build` then lays the non-empty cells out in depth-first
 * order: `node` holds per cell its barycentre x, y, squared max width and point count, and
 * `skip[c]` the index just past c's subtree (c + 1 for a leaf), so a traversal is one forward scan
 * (descend: c + 1; summarise or leaf: skip[c]) with no stack and no empty cells.
 *
 * @example
 * ```ts
 * const tree = new QuadTree(n);
 * tree.build(Y, n); // Y: n x 2 row-major
 * ```
 */
export class QuadTree {
  private cap: number;
  /** Per cell while building: sums of the x and y of its points (leaves only; internal cells are summed by `layout`). */
  private sx: Float64Array;
  private sy: Float64Array;
  private x0: Float64Array;
  private x1: Float64Array;
  private y0: Float64Array;
  private y1: Float64Array;
  /** Points in a leaf (internal cells: not maintained while inserting). */
  private count: Int32Array;
  /** First of the four children, -1 for a leaf. */
  private first: Int32Array;
  private size = 0;
  /** Depth-first layout of the non-empty cells, 4 per cell: barycentre x, y, squared max width, count. */
  node: Float64Array;
  /** Index just past each cell's subtree in `node` order (c + 1 for a leaf). */
  skip: Int32Array;
  /** Number of cells in `node`. */
  nodes = 0;
  private stack = new Int32Array(8 * 64 + 8);
  /** Scratch: the repulsive force on each point (n x 2), before normalisation by the sum of q. */
  rep: Float64Array;
  /** The points in Morton (Z-curve) order of their last sort: neighbours in space are neighbours here. */
  order: Int32Array;
  private keys: Float64Array;
  private builds = 0;

  constructor(n: number) {
    this.cap = Math.max(16, 8 * n);
    this.sx = new Float64Array(this.cap);
    this.sy = new Float64Array(this.cap);
    this.x0 = new Float64Array(this.cap);
    this.x1 = new Float64Array(this.cap);
    this.y0 = new Float64Array(this.cap);
    this.y1 = new Float64Array(this.cap);
    this.count = new Int32Array(this.cap);
    this.first = new Int32Array(this.cap);
    this.node = new Float64Array(this.cap * 4);
    this.skip = new Int32Array(this.cap);
    this.rep = new Float64Array(2 * n);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.keys = new Float64Array(n);
  }

  /**
   * Re-sorts `order` along a Z-curve over the bounding box (every 10th build: points move little
   * between iterations). Visiting points in this order makes consecutive traversals take nearly
   * the same path through the tree (cache and branch friendly); it changes no result but rounding.
   */
  private sortPoints(Y: Float64Array, n: number, minX: number, maxX: number, minY: number, maxY: number): void {
    const idBits = Math.ceil(Math.log2(n + 1));
    const bits = Math.min(16, Math.floor((52 - idBits) / 2));
    const cells = 2 ** bits;
    const sx = (cells - 1) / (maxX - minX || 1);
    const sy = (cells - 1) / (maxY - minY || 1);
    const keys = this.keys;
    for (let i = 0; i < n; i++) {
      const qx = Math.floor(((Y[2 * i] as number) - minX) * sx);
      const qy = Math.floor(((Y[2 * i + 1] as number) - minY) * sy);
      keys[i] = interleave(qx, qy, bits) * 2 ** idBits + i;
    }
    keys.sort();
    const mask = 2 ** idBits;
    for (let t = 0; t < n; t++) this.order[t] = (keys[t] as number) % mask;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const f = (a: Float64Array, m = 1): Float64Array => {
      const b = new Float64Array(cap * m);
      b.set(a);
      return b;
    };
    const g = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.sx = f(this.sx);
    this.sy = f(this.sy);
    this.x0 = f(this.x0);
    this.x1 = f(this.x1);
    this.y0 = f(this.y0);
    this.y1 = f(this.y1);
    this.count = g(this.count);
    this.first = g(this.first);
    this.node = f(this.node, 4);
    this.skip = g(this.skip);
    this.cap = cap;
  }

  private cell(x0: number, x1: number, y0: number, y1: number): number {
    const c = this.size++;
    this.count[c] = 0;
    this.sx[c] = 0;
    this.sy[c] = 0;
    this.x0[c] = x0;
    this.x1[c] = x1;
    this.y0[c] = y0;
    this.y1[c] = y1;
    this.first[c] = -1;
    return c;
  }

  /** Rebuilds the tree over the n points of `Y` (n x 2, row-major) and lays it out in `node`/`skip`. */
  build(Y: Float64Array, n: number): void {
    this.size = 0;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = Y[2 * i] as number;
      const y = Y[2 * i + 1] as number;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    maxX = Math.max(maxX * (1 + 1e-3 * Math.sign(maxX)), maxX + 1e-3);
    maxY = Math.max(maxY * (1 + 1e-3 * Math.sign(maxY)), maxY + 1e-3);
    this.cell(minX, maxX, minY, maxY);
    if (this.builds++ % 10 === 0) this.sortPoints(Y, n, minX, maxX, minY, maxY);
    const order = this.order;
    for (let t = 0; t < n; t++) {
      const i = order[t] as number;
      this.insert(Y[2 * i] as number, Y[2 * i + 1] as number);
    }
    this.layout();
  }

  /** Descends to the leaf holding (x, y); an occupied leaf is split (its points move down one level) unless it holds a duplicate. */
  private insert(x: number, y: number): void {
    const { first, count, sx, sy } = this;
    let c = 0;
    for (let depth = 0; ; depth++) {
      const f = first[c] as number;
      if (f >= 0) {
        const mx = ((this.x0[c] as number) + (this.x1[c] as number)) / 2;
        const my = ((this.y0[c] as number) + (this.y1[c] as number)) / 2;
        c = f + (x >= mx ? 2 : 0) + (y >= my ? 1 : 0);
        continue;
      }
      const m = count[c] as number;
      if (m === 0) {
        count[c] = 1;
        sx[c] = x;
        sy[c] = y;
        return;
      }
      const qx = (sx[c] as number) / m;
      const qy = (sy[c] as number) / m;
      if ((Math.abs(qx - x) <= 1e-6 && Math.abs(qy - y) <= 1e-6) || depth > 60) {
        // a duplicate (within 1e-6, as scikit-learn): the leaf counts it
        count[c] = m + 1;
        sx[c] = (sx[c] as number) + x;
        sy[c] = (sy[c] as number) + y;
        return;
      }
      // split: four children, the resident point(s) move down one level, then (x, y) continues
      if (this.size + 4 > this.cap) {
        this.grow();
        this.insert(x, y); // the arrays were replaced: restart from the root (nothing was changed yet)
        return;
      }
      const x0 = this.x0[c] as number;
      const x1 = this.x1[c] as number;
      const y0 = this.y0[c] as number;
      const y1 = this.y1[c] as number;
      const mx = (x0 + x1) / 2;
      const my = (y0 + y1) / 2;
      const nf = this.cell(x0, mx, y0, my);
      this.cell(x0, mx, my, y1);
      this.cell(mx, x1, y0, my);
      this.cell(mx, x1, my, y1);
      first[c] = nf;
      const qc = nf + (qx >= mx ? 2 : 0) + (qy >= my ? 1 : 0);
      count[qc] = m;
      sx[qc] = sx[c] as number;
      sy[qc] = sy[c] as number;
      c = nf + (x >= mx ? 2 : 0) + (y >= my ? 1 : 0);
    }
  }

  /**
   * Writes the non-empty cells to `node`/`skip` in depth-first order (children in block order),
   * then sums counts and coordinates bottom-up (reverse order: children before parents) and turns
   * the sums into barycentres.
   */
  private layout(): void {
    const { first, count, sx, sy, x0, x1, y0, y1, node, skip, stack } = this;
    let out = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const c = stack[--top] as number;
      if (c < 0) {
        skip[~c] = out; // all of the cell's children are laid out
        continue;
      }
      const f = first[c] as number;
      if (f < 0 && (count[c] as number) === 0) continue; // empty leaf (an internal cell never is empty)
      const at = out++;
      const q = 4 * at;
      const wx = (x1[c] as number) - (x0[c] as number);
      const wy = (y1[c] as number) - (y0[c] as number);
      node[q + 2] = wx > wy ? wx * wx : wy * wy;
      if (f < 0) {
        node[q] = sx[c] as number;
        node[q + 1] = sy[c] as number;
        node[q + 3] = count[c] as number;
        skip[at] = at + 1;
        continue;
      }
      node[q] = 0;
      node[q + 1] = 0;
      node[q + 3] = 0;
      stack[top++] = ~at;
      stack[top++] = f + 3;
      stack[top++] = f + 2;
      stack[top++] = f + 1;
      stack[top++] = f;
    }
    this.nodes = out;
    for (let a = out - 1; a >= 0; a--) {
      const end = skip[a] as number;
      if (end === a + 1) continue;
      let s0 = 0;
      let s1 = 0;
      let m = 0;
      for (let ch = a + 1; ch < end; ch = skip[ch] as number) {
        s0 += node[4 * ch] as number;
        s1 += node[4 * ch + 1] as number;
        m += node[4 * ch + 3] as number;
      }
      node[4 * a] = s0;
      node[4 * a + 1] = s1;
      node[4 * a + 3] = m;
    }
    for (let a = 0; a < out; a++) {
      const m = node[4 * a + 3] as number;
      node[4 * a] = (node[4 * a] as number) / m;
      node[4 * a + 1] = (node[4 * a + 1] as number) / m;
    }
  }
}

/** Interleaves the low `bits` bits of x (even positions) and y (odd positions): a Z-curve index below 2^(2·bits). */
function interleave(x: number, y: number, bits: number): number {
  let lo = 0;
  let hi = 0;
  // 8 bit pairs per 16-bit half, so every partial result stays a small-integer (exact) number
  for (let b = 0; b < Math.min(bits, 8); b++) lo |= (((x >>> b) & 1) << (2 * b)) | (((y >>> b) & 1) << (2 * b + 1));
  for (let b = 8; b < bits; b++) hi |= (((x >>> b) & 1) << (2 * (b - 8))) | (((y >>> b) & 1) << (2 * (b - 8) + 1));
  return hi * 65536 + lo;
}

/**
 * Barnes-Hut gradient of the KL divergence (scikit-learn's `_barnes_hut_tsne.gradient` times 4)
 * for a 2-D embedding `Y` (n x 2), written to `grad`; returns the KL divergence when `withError`.
 * `theta2` is the squared angle: a cell is summarised when width² < theta2 · distance².
 *
 * @example
 * ```ts
 * const kl = bhGradient(P, Y, n, 12, new QuadTree(n), 0.25, grad, true);
 * ```
 */
export function bhGradient(
  P: Affinities,
  Y: Float64Array,
  n: number,
  exaggeration: number,
  tree: QuadTree,
  theta2: number,
  grad: Float64Array,
  withError: boolean,
): number {
  tree.build(Y, n);
  let sumQ = 0;
  const { node, skip, nodes, order, rep } = tree;
  // repulsive forces: one forward scan of the depth-first layout per point, points in Z-curve order
  for (let t = 0; t < n; t++) {
    const i = order[t] as number;
    const xi = Y[2 * i] as number;
    const yi = Y[2 * i + 1] as number;
    let fx = 0;
    let fy = 0;
    let c = 0;
    while (c < nodes) {
      const o = 4 * c;
      const dx = xi - (node[o] as number);
      const dy = yi - (node[o + 1] as number);
      const d2 = dx * dx + dy * dy;
      const next = skip[c] as number;
      const leaf = next === c + 1;
      if (leaf || (node[o + 2] as number) < theta2 * d2) {
        c = next;
        if (leaf && dx <= 1e-6 && dx >= -1e-6 && dy <= 1e-6 && dy >= -1e-6) continue; // no self interaction
        const q = 1 / (1 + d2);
        const mq = (node[o + 3] as number) * q;
        sumQ += mq;
        const mult = mq * q;
        fx += mult * dx;
        fy += mult * dy;
      } else c++;
    }
    rep[2 * i] = fx;
    rep[2 * i + 1] = fy;
  }
  const invQ = 1 / Math.max(sumQ, MACHINE_EPSILON);
  // attractive forces over the upper triangle of the symmetric P, each pair applied to both ends
  const { ptr, idx, val } = P;
  const upper = P.upper as Int32Array;
  grad.fill(0);
  let error = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i] as number;
    const yi = Y[2 * i + 1] as number;
    let px = 0;
    let py = 0;
    for (let e = upper[i] as number, end = ptr[i + 1] as number; e < end; e++) {
      const j = idx[e] as number;
      const dx = xi - (Y[2 * j] as number);
      const dy = yi - (Y[2 * j + 1] as number);
      const q = 1 / (1 + dx * dx + dy * dy);
      const pij = (val[e] as number) * exaggeration;
      const pq = pij * q;
      const fx = pq * dx;
      const fy = pq * dy;
      px += fx;
      py += fy;
      grad[2 * j] = (grad[2 * j] as number) - fx;
      grad[2 * j + 1] = (grad[2 * j + 1] as number) - fy;
      if (withError) {
        const qn = q * invQ;
        error += 2 * pij * Math.log(Math.max(pij, MACHINE_EPSILON) / Math.max(qn, MACHINE_EPSILON));
      }
    }
    grad[2 * i] = (grad[2 * i] as number) + px;
    grad[2 * i + 1] = (grad[2 * i + 1] as number) + py;
  }
  for (let q = 0; q < 2 * n; q++) grad[q] = 4 * ((grad[q] as number) - (rep[q] as number) * invQ);
  return error;
}

/**
 * Exact gradient over all pairs (dense P, embedding n x dim), written to `grad`; returns the KL divergence when `withError`.
 *
 * @example
 * ```ts
 * const kl = exactGradient(P.dense, Y, n, 2, 1, grad, true);
 * ```
 */
export function exactGradient(P: Float64Array, Y: Float64Array, n: number, dim: number, exaggeration: number, grad: Float64Array, withError: boolean): number {
  const W = new Float64Array(n * n);
  let sumQ = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const t = (Y[i * dim + c] as number) - (Y[j * dim + c] as number);
        s += t * t;
      }
      const q = 1 / (1 + s);
      W[i * n + j] = q;
      W[j * n + i] = q;
      sumQ += 2 * q;
    }
  }
  sumQ = Math.max(sumQ, MACHINE_EPSILON);
  grad.fill(0);
  let error = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const w = W[i * n + j] as number;
      const pij = (P[i * n + j] as number) * exaggeration;
      const qij = Math.max(w / sumQ, MACHINE_EPSILON);
      const coef = (pij - qij) * w;
      for (let c = 0; c < dim; c++) grad[i * dim + c] = (grad[i * dim + c] as number) + 4 * coef * ((Y[i * dim + c] as number) - (Y[j * dim + c] as number));
      if (withError) error += pij * Math.log(Math.max(pij, MACHINE_EPSILON) / qij);
    }
  }
  return error;
}
