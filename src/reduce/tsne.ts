import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { COLUMN_KINDS, type Column, makeColumn } from '../dataset/column.js';
import { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';
import { numericMatrix } from './matrix.js';
import { PCA, withPassthrough } from './pca.js';

const Options = z
  .object({
    /** Output dimensions: 2 for Barnes-Hut; 1 to 3 with `method: 'exact'`. Default 2. */
    nComponents: z.number().int().min(1).max(3).default(2),
    /** Effective number of neighbours (scikit-learn's default 30); must be below the number of rows. */
    perplexity: z.number().positive().finite().default(30),
    /** Factor on the affinities during the first 250 iterations. Default 12. */
    earlyExaggeration: z.number().min(1).finite().default(12),
    /** Step size, or `auto` = max(rows / earlyExaggeration / 4, 50) (Belkina et al. 2019, scikit-learn's `auto`). */
    learningRate: z.union([z.literal('auto'), z.number().positive().finite()]).default('auto'),
    /** Total gradient-descent iterations (at least 250, as scikit-learn). Default 1000. */
    maxIter: z.number().int().min(250).max(100_000).default(1000),
    /** `barnes-hut` (default, O(n log n) per iteration, 2-D) or `exact` (O(n²) per iteration; small data). */
    method: z.enum(['barnes-hut', 'exact']).default('barnes-hut'),
    /** Barnes-Hut accuracy: a cell is summarised when its width / distance < angle. Default 0.5. */
    angle: z.number().min(0).max(1).default(0.5),
    /** `pca` (default: principal components scaled to sd 1e-4, as scikit-learn) or `random`. */
    init: z.enum(['pca', 'random']).default('pca'),
    /** Stop when the gradient norm falls below this. Default 1e-7. */
    minGradNorm: z.number().min(0).default(1e-7),
    /** Stop after this many iterations without improving the objective (checked every 50). Default 300. */
    nIterWithoutProgress: z.number().int().min(50).default(300),
    /** Seed (random init). Default 0. */
    seed: z.number().int().default(0),
    /** Prefix of the output columns. Default `tsne` (tsne0, tsne1). */
    prefix: z.string().min(1).default('tsne'),
    /** Input columns; default every column without an id/target/time role (all numeric). */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link TSNE}. @example `const o: TSNEOptions = { perplexity: 20, seed: 1 };` */
export type TSNEOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true };
const EXPLORATION_ITER = 250;
const MACHINE_EPSILON = 2.220446049250313e-16;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten and Hinton 2008), following
 * scikit-learn's `TSNE`: affinities from the `3·perplexity` nearest neighbours with a per-row
 * binary search on the perplexity, early exaggeration for 250 iterations (momentum 0.5, then 0.8),
 * gains, automatic learning rate, PCA initialisation, and a Barnes-Hut quadtree for the repulsive
 * forces (or the exact O(n²) gradient with `method: 'exact'`). Progress is reported every 50
 * iterations with the KL divergence as `loss`.
 *
 * t-SNE has no out-of-sample mapping (nor does scikit-learn's): the fitted object holds the
 * `embedding` of the training rows, and `transform` accepts only that same data (checked by a
 * fingerprint of its input columns), throwing `E_UNSUPPORTED` for any other Dataset.
 *
 * @example
 * ```ts
 * import { TSNE } from 'tessera';
 * const fitted = await new TSNE({ perplexity: 30, seed: 0 }).fit(ds, { onProgress: (p) => console.log(p.step, p.loss) });
 * fitted.embedding;          // Float64Array, nrows x 2
 * fitted.transform(ds);      // Dataset with tsne0, tsne1 (+ id/target/time columns)
 * ```
 */
export class TSNE implements Transform<FittedTSNE> {
  readonly kind = 'transform' as const;
  readonly type = 'TSNE';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: TSNEOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    if (this.params.method === 'barnes-hut' && this.params.nComponents !== 2) {
      throw new TesseraError('E_OPTION', `TSNE option "nComponents" must be 2 with the Barnes-Hut method (use method: 'exact' for 1 or 3)`, {
        option: 'nComponents',
      });
    }
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedTSNE> {
    checkAbort(options?.signal);
    const p = this.params;
    requireRows(ds, this.type, 2);
    const cols = resolveColumns(ds, p.columns, COLUMN_KINDS, this.type);
    if (cols.length === 0) throw new TesseraError('E_SCHEMA', 'TSNE found no feature columns; pass { columns: [...] }', { option: 'columns' });
    const { data: X, nrows: n, ncols: d } = numericMatrix(ds, cols, this.type);
    if (p.perplexity >= n) {
      throw new TesseraError('E_OPTION', `TSNE option "perplexity" (${p.perplexity}) must be less than the number of rows (${n})`, { option: 'perplexity' });
    }
    const dim = p.nComponents;
    // affinities
    const P = p.method === 'exact' ? exactAffinities(X, n, d, p.perplexity) : knnAffinities(X, n, d, p.perplexity);
    checkAbort(options?.signal);
    // initial embedding
    let Y: Float64Array;
    if (p.init === 'pca') {
      const pcaDs = Dataset.fromMatrix(X, n, d);
      const k = Math.min(dim, n, d);
      const pca = await new PCA({ nComponents: k }).fit(pcaDs);
      const s = pca.scores(pcaDs);
      Y = new Float64Array(n * dim);
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) Y[i * dim + c] = s[i * k + c] as number;
      let m = 0;
      for (let i = 0; i < n; i++) m += Y[i * dim] as number;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += ((Y[i * dim] as number) - m) ** 2;
      const sd = Math.sqrt(v / n);
      const scale = sd > 0 ? 1e-4 / sd : 1;
      for (let q = 0; q < Y.length; q++) Y[q] = (Y[q] as number) * scale;
    } else {
      const rng = new Rng(p.seed);
      Y = new Float64Array(n * dim);
      for (let q = 0; q < Y.length; q++) Y[q] = 1e-4 * rng.normal();
    }
    const lr = p.learningRate === 'auto' ? Math.max(n / p.earlyExaggeration / 4, 50) : p.learningRate;
    const grad = new Float64Array(n * dim);
    const update = new Float64Array(n * dim);
    const gains = new Float64Array(n * dim).fill(1);
    const tree = p.method === 'barnes-hut' ? new QuadTree(n) : undefined;
    const theta2 = p.angle * p.angle;
    let bestError = Number.POSITIVE_INFINITY;
    let bestIter = 0;
    let klDivergence = Number.NaN;
    let iterations = 0;
    let last = now();
    for (let it = 0; it < p.maxIter; it++) {
      const exploring = it < EXPLORATION_ITER;
      const exaggeration = exploring ? p.earlyExaggeration : 1;
      const momentum = exploring ? 0.5 : 0.8;
      const check = (it + 1) % 50 === 0 || it === p.maxIter - 1;
      const error = tree
        ? bhGradient(P, Y, n, exaggeration, tree, theta2, grad, check)
        : exactGradient(P.dense as Float64Array, Y, n, dim, exaggeration, grad, check);
      let gradNorm = 0;
      for (let q = 0; q < grad.length; q++) {
        const g = grad[q] as number;
        const u = update[q] as number;
        let gain = gains[q] as number;
        gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
        if (gain < 0.01) gain = 0.01;
        gains[q] = gain;
        const step = momentum * u - lr * g * gain;
        update[q] = step;
        Y[q] = (Y[q] as number) + step;
        gradNorm += g * g;
      }
      iterations = it + 1;
      if (check) {
        klDivergence = error;
        options?.onProgress?.({ stage: exploring ? 'early exaggeration' : 'iteration', step: it + 1, total: p.maxIter, loss: error });
        if (!exploring) {
          if (error < bestError) {
            bestError = error;
            bestIter = it;
          } else if (it - bestIter > p.nIterWithoutProgress) break;
          if (Math.sqrt(gradNorm) < p.minGradNorm) break;
        }
      }
      if (now() - last > 40) {
        await yieldToEventLoop(options?.signal);
        last = now();
      }
    }
    return new FittedTSNE(p, cols, Y, n, fingerprint(X), klDivergence, iterations);
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Symmetric joint probabilities in CSR form (rows, cols, vals), plus a dense copy for the exact method. */
interface Affinities {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
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

/** Sparse affinities from the k = min(n - 1, floor(3·perplexity + 1)) nearest neighbours, symmetrised: P = (P + Pᵀ) / sum, rows sorted by column. */
function knnAffinities(X: Float64Array, n: number, d: number, perplexity: number): Affinities {
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
  return { ptr, idx, val };
}

/** Dense affinities over all pairs (exact method), symmetrised and normalised, floored at machine epsilon. */
function exactAffinities(X: Float64Array, n: number, d: number, perplexity: number): Affinities {
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
 */
class QuadTree {
  private cap: number;
  private sx: Float64Array;
  private sy: Float64Array;
  private x0: Float64Array;
  private x1: Float64Array;
  private y0: Float64Array;
  private y1: Float64Array;
  private count: Int32Array;
  /** First of the four children, -1 for a leaf. */
  first: Int32Array;
  /** 4 per cell: barycentre x, barycentre y, squared max width, count. */
  private packed: Float64Array;
  size = 0;
  /** Depth-first layout of the non-empty cells, 4 per cell: barycentre x, y, squared max width, count. */
  node: Float64Array;
  /** Index just past each cell's subtree in `node` order (c + 1 for a leaf). */
  skip: Int32Array;
  /** Number of cells in `node`. */
  nodes = 0;
  private stack = new Int32Array(8 * 64 + 8);
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
    this.packed = new Float64Array(this.cap * 4);
    this.node = new Float64Array(this.cap * 4);
    this.skip = new Int32Array(this.cap);
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
    this.packed = f(this.packed, 4);
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
    const pk = this.packed;
    for (let c = 0; c < this.size; c++) {
      const m = this.count[c] as number;
      const wx = (this.x1[c] as number) - (this.x0[c] as number);
      const wy = (this.y1[c] as number) - (this.y0[c] as number);
      pk[4 * c] = m > 0 ? (this.sx[c] as number) / m : 0;
      pk[4 * c + 1] = m > 0 ? (this.sy[c] as number) / m : 0;
      pk[4 * c + 2] = wx > wy ? wx * wx : wy * wy;
      pk[4 * c + 3] = m;
    }
    this.layout();
  }

  /** Writes the non-empty cells to `node`/`skip` in depth-first order (children in block order). */
  private layout(): void {
    const { packed: pk, first, count, node, skip, stack } = this;
    let out = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const c = stack[--top] as number;
      if (c < 0) {
        skip[~c] = out; // all of the cell's children are laid out
        continue;
      }
      if ((count[c] as number) === 0) continue;
      const at = out++;
      const o = 4 * c;
      const q = 4 * at;
      node[q] = pk[o] as number;
      node[q + 1] = pk[o + 1] as number;
      node[q + 2] = pk[o + 2] as number;
      node[q + 3] = pk[o + 3] as number;
      const f = first[c] as number;
      if (f < 0) {
        skip[at] = at + 1;
        continue;
      }
      stack[top++] = ~at;
      stack[top++] = f + 3;
      stack[top++] = f + 2;
      stack[top++] = f + 1;
      stack[top++] = f;
    }
    this.nodes = out;
  }

  private insert(x: number, y: number): void {
    let c = 0;
    for (let depth = 0; ; depth++) {
      const f = this.first[c] as number;
      if (f < 0) {
        const m = this.count[c] as number;
        if (m === 0) {
          this.count[c] = 1;
          this.sx[c] = x;
          this.sy[c] = y;
          return;
        }
        const qx = (this.sx[c] as number) / m;
        const qy = (this.sy[c] as number) / m;
        if ((Math.abs(qx - x) <= 1e-6 && Math.abs(qy - y) <= 1e-6) || depth > 60) {
          // a duplicate (within 1e-6, as scikit-learn): the leaf counts it
          this.count[c] = m + 1;
          this.sx[c] = (this.sx[c] as number) + x;
          this.sy[c] = (this.sy[c] as number) + y;
          return;
        }
        // split: four children, the resident point(s) move down one level, then p continues
        if (this.size + 4 > this.cap) this.grow();
        const x0 = this.x0[c] as number;
        const x1 = this.x1[c] as number;
        const y0 = this.y0[c] as number;
        const y1 = this.y1[c] as number;
        const mx = (x0 + x1) / 2;
        const my = (y0 + y1) / 2;
        const first = this.cell(x0, mx, y0, my);
        this.cell(x0, mx, my, y1);
        this.cell(mx, x1, y0, my);
        this.cell(mx, x1, my, y1);
        this.first[c] = first;
        const qc = first + (qx >= mx ? 2 : 0) + (qy >= my ? 1 : 0);
        this.count[qc] = m;
        this.sx[qc] = this.sx[c] as number;
        this.sy[qc] = this.sy[c] as number;
      }
      this.count[c] = (this.count[c] as number) + 1;
      this.sx[c] = (this.sx[c] as number) + x;
      this.sy[c] = (this.sy[c] as number) + y;
      const mx = ((this.x0[c] as number) + (this.x1[c] as number)) / 2;
      const my = ((this.y0[c] as number) + (this.y1[c] as number)) / 2;
      c = (this.first[c] as number) + (x >= mx ? 2 : 0) + (y >= my ? 1 : 0);
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

/** Barnes-Hut gradient (scikit-learn's `_barnes_hut_tsne.gradient` times 4); returns the KL divergence when `withError`. */
function bhGradient(
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
  const { node, skip, nodes, order } = tree;
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
    grad[2 * i] = fx;
    grad[2 * i + 1] = fy;
  }
  const invQ = 1 / Math.max(sumQ, MACHINE_EPSILON);
  // attractive forces and the gradient
  const { ptr, idx, val } = P;
  let error = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i] as number;
    const yi = Y[2 * i + 1] as number;
    let px = 0;
    let py = 0;
    for (let e = ptr[i] as number; e < (ptr[i + 1] as number); e++) {
      const j = idx[e] as number;
      const dx = xi - (Y[2 * j] as number);
      const dy = yi - (Y[2 * j + 1] as number);
      const q = 1 / (1 + dx * dx + dy * dy);
      const pij = (val[e] as number) * exaggeration;
      const pq = pij * q;
      px += pq * dx;
      py += pq * dy;
      if (withError) {
        const qn = q * invQ;
        error += pij * Math.log(Math.max(pij, MACHINE_EPSILON) / Math.max(qn, MACHINE_EPSILON));
      }
    }
    grad[2 * i] = 4 * (px - (grad[2 * i] as number) * invQ);
    grad[2 * i + 1] = 4 * (py - (grad[2 * i + 1] as number) * invQ);
  }
  return error;
}

/** Exact gradient over all pairs (dense P); returns the KL divergence when `withError`. */
function exactGradient(P: Float64Array, Y: Float64Array, n: number, dim: number, exaggeration: number, grad: Float64Array, withError: boolean): number {
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

/** A 52-bit fingerprint of a matrix's values (FNV-1a over the bytes, two lanes), to recognise the fitted data. */
function fingerprint(X: Float64Array): string {
  const bytes = new Uint8Array(X.buffer, X.byteOffset, X.byteLength);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ X.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    h1 = Math.imul(h1 ^ b, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ b ^ (i & 0xff), 0x5bd1e995) >>> 0;
  }
  return `${X.length}:${h1.toString(16)}:${h2.toString(16)}`;
}

interface State {
  columns: string[];
  embedding: string;
  nrows: number;
  fingerprint: string;
  klDivergence: number;
  iterations: number;
}

/**
 * A fitted {@link TSNE}: the `embedding` of the training rows (nrows x nComponents, row-major),
 * the final `klDivergence` and `iterations`. `transform` returns the embedding as columns for
 * the fitted data only (t-SNE has no out-of-sample mapping): another Dataset throws `E_UNSUPPORTED`.
 *
 * @example
 * ```ts
 * const fitted = await new TSNE().fit(ds);
 * const out = fitted.transform(ds); // tsne0, tsne1
 * ```
 */
export class FittedTSNE implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedTSNE';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** nrows x nComponents, row-major. */
  readonly embedding: Float64Array;
  /** KL divergence at the last check (every 50 iterations and at the end). */
  readonly klDivergence: number;
  /** Iterations run. */
  readonly iterations: number;
  private readonly nrows: number;
  private readonly print: string;

  constructor(params: Params, columns: readonly string[], embedding: Float64Array, nrows: number, print: string, klDivergence: number, iterations: number) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.embedding = embedding;
    this.nrows = nrows;
    this.print = print;
    this.klDivergence = klDivergence;
    this.iterations = iterations;
  }

  /** The output column names (`tsne0`, `tsne1`, ...). */
  get outputColumns(): string[] {
    return Array.from({ length: this.params.nComponents }, (_, c) => `${this.params.prefix}${c}`);
  }

  /** The embedding as columns, for the fitted data only (`E_UNSUPPORTED` otherwise). */
  transform(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, this.type);
    const { data } = numericMatrix(ds, this.inputColumns, this.type);
    if (ds.nrows !== this.nrows || fingerprint(data) !== this.print) {
      throw new TesseraError(
        'E_UNSUPPORTED',
        `TSNE has no out-of-sample transform: it embeds only the ${this.nrows} rows it was fitted on; fit it on the new data (or on old and new rows together)`,
        { rows: ds.nrows },
      );
    }
    const k = this.params.nComponents;
    const cols: Column[] = this.outputColumns.map((name, c) => {
      const v = new Float64Array(this.nrows);
      for (let i = 0; i < this.nrows; i++) v[i] = this.embedding[i * k + c] as number;
      return makeColumn(name, 'number', { values: v });
    });
    return withPassthrough(ds, cols, this.inputColumns);
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        embedding: encodeArray(this.embedding),
        nrows: this.nrows,
        fingerprint: this.print,
        klDivergence: this.klDivergence,
        iterations: this.iterations,
      },
    };
  }

  /** Restores from {@link FittedTSNE.toJSON} output. */
  static fromJSON(json: Serialized): FittedTSNE {
    const { params, state } = expectType<State, Params>(json, 'FittedTSNE');
    return new FittedTSNE(
      parseOptions(Options, params, 'TSNE'),
      state.columns,
      decodeFloat64(state.embedding),
      state.nrows,
      state.fingerprint,
      state.klDivergence,
      state.iterations,
    );
  }
}

registerLoader('FittedTSNE', 1, FittedTSNE.fromJSON);
