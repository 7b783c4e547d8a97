import type { Rng } from '../core/random.js';
import { type SeedArena, seedArena } from './distance-kernel.js';

/**
 * Result of one k-means run on a dense matrix.
 *
 * @example
 * ```ts
 * const r: KMeansRun = await runKMeans(X, n, d, 3, { rng: new Rng(0) });
 * r.inertia;
 * ```
 */
export interface KMeansRun {
  /** k x d centres, row-major. */
  centers: Float64Array;
  labels: Int32Array;
  /** Sum of squared distances of the rows to their centre. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
  /** Whether the labels stopped changing (else the run stopped on `tol` or `maxIter`). */
  converged: boolean;
}

/**
 * Options of {@link runKMeans}.
 *
 * @example
 * ```ts
 * const o: KMeansRunOptions = { rng: new Rng(0), nInit: 10, maxIter: 300, tol: 1e-4 };
 * ```
 */
export interface KMeansRunOptions {
  rng: Rng;
  nInit?: number;
  maxIter?: number;
  /** Relative tolerance: the run stops when the squared centre shift is at most `tol` times the mean column variance. */
  tol?: number;
  algorithm?: 'lloyd' | 'hamerly';
  /** Initial centres (k x d); when given, `nInit` is 1. */
  init?: Float64Array;
  /** Called after every run and iteration; may yield to the event loop. */
  tick?: (run: number, iteration: number) => Promise<void>;
}

/**
 * A bound prunes a distance only when it wins by this relative margin, far above the rounding of
 * the bounds (a few ulps per iteration), so that pruning never changes a label: Hamerly's
 * iterations give bit-for-bit the labels and centres of plain Lloyd.
 */
const SAFE = 1 + 1e-10;

/** Full refresh of the per-cluster sums (instead of add/subtract of moved rows) every this many iterations. */
const REFRESH = 32;

/**
 * Squared Euclidean distance between the `d` values of `a` from offset `oa` and of `b` from `ob`.
 * Every distance that decides a label goes through this one kernel (seeding, Lloyd, Hamerly,
 * `predict`), so they all agree to the last bit. Two accumulators (even and odd columns) let the
 * CPU overlap the multiply-adds.
 */
function sqDist(a: Float64Array, oa: number, b: Float64Array, ob: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let q = 0;
  for (; q + 1 < d; q += 2) {
    const v0 = (a[oa + q] as number) - (b[ob + q] as number);
    const v1 = (a[oa + q + 1] as number) - (b[ob + q + 1] as number);
    s0 += v0 * v0;
    s1 += v1 * v1;
  }
  if (q < d) {
    const v = (a[oa + q] as number) - (b[ob + q] as number);
    s0 += v * v;
  }
  return s0 + s1;
}

/**
 * {@link sqDist} from one row of `a` to four rows of `b` at once (offsets `o0`..`o3`), into
 * `out[0..3]`: the same arithmetic per distance (so the same bits), but the row is read once and
 * the four sums run side by side, which roughly halves the instructions per distance.
 */
function sqDist4(a: Float64Array, oa: number, b: Float64Array, o0: number, o1: number, o2: number, o3: number, d: number, out: Float64Array): void {
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let c0 = 0;
  let c1 = 0;
  let e0 = 0;
  let e1 = 0;
  let q = 0;
  for (; q + 1 < d; q += 2) {
    const x0 = a[oa + q] as number;
    const x1 = a[oa + q + 1] as number;
    const u0 = x0 - (b[o0 + q] as number);
    const u1 = x1 - (b[o0 + q + 1] as number);
    const v0 = x0 - (b[o1 + q] as number);
    const v1 = x1 - (b[o1 + q + 1] as number);
    const w0 = x0 - (b[o2 + q] as number);
    const w1 = x1 - (b[o2 + q + 1] as number);
    const z0 = x0 - (b[o3 + q] as number);
    const z1 = x1 - (b[o3 + q + 1] as number);
    a0 += u0 * u0;
    a1 += u1 * u1;
    b0 += v0 * v0;
    b1 += v1 * v1;
    c0 += w0 * w0;
    c1 += w1 * w1;
    e0 += z0 * z0;
    e1 += z1 * z1;
  }
  if (q < d) {
    const x = a[oa + q] as number;
    const u = x - (b[o0 + q] as number);
    const v = x - (b[o1 + q] as number);
    const w = x - (b[o2 + q] as number);
    const z = x - (b[o3 + q] as number);
    a0 += u * u;
    b0 += v * v;
    c0 += w * w;
    e0 += z * z;
  }
  out[0] = a0 + a1;
  out[1] = b0 + b1;
  out[2] = c0 + c1;
  out[3] = e0 + e1;
}

/**
 * k-means++ seeding as scikit-learn does it (greedy: `2 + floor(ln k)` candidates per centre,
 * keeping the one that lowers the potential most). Returns k x d centres.
 *
 * @example
 * ```ts
 * const centers = kmeansPlusPlus(X, n, d, 3, new Rng(0));
 * ```
 */
export function kmeansPlusPlus(X: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  return seedPlusPlus(X, n, d, k, rng).centers;
}

/**
 * {@link kmeansPlusPlus} that also returns, for every row, its nearest seed (`labels`) and the
 * distance to it (`dist`): the first assignment step of Lloyd's algorithm, for free.
 *
 * One pass over the rows per new centre scores all candidates at once (each row is read once,
 * the candidates stay in cache); a candidate is skipped for a row when, by the triangle
 * inequality, it cannot be closer than the row's nearest seed (`d(cand, seed)² >= 4 d(x, seed)²`).
 *
 * @example
 * ```ts
 * const { centers, labels, dist } = seedPlusPlus(X, n, d, 3, new Rng(0));
 * ```
 */
export function seedPlusPlus(X: Float64Array, n: number, d: number, k: number, rng: Rng): { centers: Float64Array; labels: Int32Array; dist: Float64Array } {
  const trials = 2 + Math.floor(Math.log(k));
  const arena = seedArena(X, n, d, k, k > 1 ? Math.ceil(trials / 4) : 1);
  return arena ? seedWasm(arena, X, n, d, k, rng, trials) : seedJs(X, n, d, k, rng, trials);
}

/** Draws a row with probability proportional to `closest`: searchsorted(cum, r, 'left'), clipped to n - 1. */
function draw(cum: Float64Array, n: number, r: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) < r) lo = mid + 1;
    else hi = mid;
  }
  return lo < n - 1 ? lo : n - 1;
}

/**
 * {@link seedPlusPlus} on the WebAssembly SIMD kernel: candidates are scored up to four at a
 * time, with one bound per seed (the group's smallest), which
 * gives the same numbers as the JavaScript path (a pruned distance is never below `closest`).
 */
function seedWasm(
  A: SeedArena,
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  trials: number,
): { centers: Float64Array; labels: Int32Array; dist: Float64Array } {
  const { closest, assign, bound, trial, pot: pots } = A;
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  const of = first * d;
  centers.set(X.subarray(of, of + d), 0);
  // first seed: every row scored (closest = +inf, bound -inf)
  closest.fill(Number.POSITIVE_INFINITY);
  assign.fill(0);
  bound[0] = Number.NEGATIVE_INFINITY;
  A.score(0, 1, first, first, first, first);
  const cum = new Float64Array(k > 1 ? n : 0);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = trial[i] as number;
    closest[i] = v;
    pot += v;
    if (k > 1) cum[i] = pot;
  }
  if (k > 1) {
    const groups = Math.ceil(trials / 4);
    const cand = new Int32Array(groups * 4);
    const candPot = new Float64Array(groups * 4);
    const toSeed = new Float64Array(trials * k);
    for (let c = 1; c < k; c++) {
      for (let t = 0; t < trials; t++) {
        const id = draw(cum, n, rng.next() * pot);
        cand[t] = id;
        for (let j = 0; j < c; j++) toSeed[t * k + j] = (0.25 / SAFE) * sqDist(X, id * d, centers, j * d, d);
      }
      for (let g = 0; g < groups; g++) {
        const t0 = 4 * g;
        const tn = Math.min(trials, t0 + 4);
        for (let a = 0; a < c; a++) {
          let m = toSeed[t0 * k + a] as number;
          for (let t = t0 + 1; t < tn; t++) if ((toSeed[t * k + a] as number) < m) m = toSeed[t * k + a] as number;
          bound[a] = m;
        }
        A.score(g, tn - t0, cand[t0] as number, cand[t0 + 1] as number, cand[t0 + 2] as number, cand[t0 + 3] as number);
        for (let t = t0; t < tn; t++) candPot[t] = pots[t - t0] as number;
      }
      pot = acceptWinner(X, n, d, c, trials, cand, candPot, trial, closest, assign, cum, centers);
    }
  }
  return { centers, labels: Int32Array.from(assign), dist: sqrtOf(closest, n) };
}

/** {@link seedPlusPlus} in plain JavaScript (where WebAssembly is not available). */
function seedJs(X: Float64Array, n: number, d: number, k: number, rng: Rng, trials: number): { centers: Float64Array; labels: Int32Array; dist: Float64Array } {
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  const of = first * d;
  centers.set(X.subarray(of, of + d), 0);
  // closest: squared distance to the nearest chosen seed; assign: that seed
  const closest = new Float64Array(n);
  const assign = new Int32Array(n);
  const cum = new Float64Array(k > 1 ? n : 0); // running sum of closest, for the draws
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(X, i * d, X, of, d);
    closest[i] = v;
    pot += v;
    if (k > 1) cum[i] = pot;
  }
  if (k > 1) {
    const cand = new Int32Array(trials);
    const candPot = new Float64Array(trials);
    const toSeed = new Float64Array(trials * k); // a quarter of the squared distance from each candidate to each chosen seed
    const trial = new Float64Array(trials * n); // per candidate and row: min(closest, d(x, candidate)²)
    for (let c = 1; c < k; c++) {
      for (let t = 0; t < trials; t++) {
        const id = draw(cum, n, rng.next() * pot);
        cand[t] = id;
        for (let j = 0; j < c; j++) toSeed[t * k + j] = (0.25 / SAFE) * sqDist(X, id * d, centers, j * d, d);
      }
      scoreCandidates(X, n, d, k, trials, cand, toSeed, closest, assign, trial, candPot);
      pot = acceptWinner(X, n, d, c, trials, cand, candPot, trial, closest, assign, cum, centers);
    }
  }
  return { centers, labels: assign, dist: sqrtOf(closest, n) };
}

/**
 * The k-means++ step shared by both seeding paths: the candidate with the smallest potential
 * becomes seed `c`; its distances become the closest ones (rows it wins move to `c`), and their
 * running sum is the next draws' `cum`. Returns the new potential.
 */
function acceptWinner(
  X: Float64Array,
  n: number,
  d: number,
  c: number,
  trials: number,
  cand: Int32Array,
  candPot: Float64Array,
  trial: Float64Array,
  closest: Float64Array,
  assign: Int32Array,
  cum: Float64Array,
  centers: Float64Array,
): number {
  let best = 0;
  for (let t = 1; t < trials; t++) if ((candPot[t] as number) < (candPot[best] as number)) best = t;
  const base = best * n;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = trial[base + i] as number;
    if (v < (closest[i] as number)) {
      closest[i] = v;
      assign[i] = c;
    }
    acc += v;
    cum[i] = acc;
  }
  const oc = (cand[best] as number) * d;
  centers.set(X.subarray(oc, oc + d), c * d);
  return acc;
}

/** Square roots of the first `n` squared distances. */
function sqrtOf(sq: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(sq[i] as number);
  return out;
}

/**
 * The candidates' potentials: for each row and candidate `t`, `trial[t * n + i] = min(closest,
 * d(x, cand_t)²)`, summed into `candPot`. Rows outer, candidates inner: each row is read once.
 */
function scoreCandidates(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  trials: number,
  cand: Int32Array,
  toSeed: Float64Array,
  closest: Float64Array,
  assign: Int32Array,
  trial: Float64Array,
  candPot: Float64Array,
): void {
  for (let t = 0; t < trials; t++) {
    candPot[t] = 0;
    cand[t] = (cand[t] as number) * d; // row offsets while scoring
  }
  const four = new Float64Array(4);
  // the first four candidates in registers (2 + ln k is 4 for k = 8..20), the rest one by one
  const m4 = trials >= 4;
  const c0 = cand[0] as number;
  const c1 = cand[1] as number;
  const c2 = m4 ? (cand[2] as number) : 0;
  const c3 = m4 ? (cand[3] as number) : 0;
  const b1 = n;
  const b2 = 2 * n;
  const b3 = 3 * n;
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  // per seed: the smallest bound of the first four candidates (one test per row)
  const min4 = new Float64Array(k);
  if (m4) {
    for (let a = 0; a < k; a++) {
      let m = toSeed[a] as number;
      for (let t = 1; t < 4; t++) if ((toSeed[t * k + a] as number) < m) m = toSeed[t * k + a] as number;
      min4[a] = m;
    }
  }
  for (let i = 0; i < n; i++) {
    const ci = closest[i] as number;
    const a = assign[i] as number;
    const oi = i * d;
    let t = 0;
    if (m4) {
      // all four are computed when any may help (the others' distances are then exact too, and
      // min() keeps the potential exact)
      if ((min4[a] as number) < ci) {
        sqDist4(X, oi, X, c0, c1, c2, c3, d, four);
        const w0 = four[0] as number;
        const w1 = four[1] as number;
        const w2 = four[2] as number;
        const w3 = four[3] as number;
        const v0 = w0 < ci ? w0 : ci;
        const v1 = w1 < ci ? w1 : ci;
        const v2 = w2 < ci ? w2 : ci;
        const v3 = w3 < ci ? w3 : ci;
        trial[i] = v0;
        trial[b1 + i] = v1;
        trial[b2 + i] = v2;
        trial[b3 + i] = v3;
        p0 += v0;
        p1 += v1;
        p2 += v2;
        p3 += v3;
      } else {
        trial[i] = ci;
        trial[b1 + i] = ci;
        trial[b2 + i] = ci;
        trial[b3 + i] = ci;
        p0 += ci;
        p1 += ci;
        p2 += ci;
        p3 += ci;
      }
      t = 4;
    }
    for (let ts = t * k + a, base = t * n + i; t < trials; t++, ts += k, base += n) {
      let v = ci;
      // d(cand, seed) >= 2 d(x, seed) => d(x, cand) >= d(x, seed): the candidate cannot help this row
      if ((toSeed[ts] as number) < ci) {
        const w = sqDist(X, oi, X, cand[t] as number, d);
        if (w < v) v = w;
      }
      trial[base] = v;
      candPot[t] = (candPot[t] as number) + v;
    }
  }
  if (m4) {
    candPot[0] = p0;
    candPot[1] = p1;
    candPot[2] = p2;
    candPot[3] = p3;
  }
  for (let t = 0; t < trials; t++) cand[t] = (cand[t] as number) / d;
}

/**
 * Mean of the per-column population variances (scikit-learn's scale for `tol`).
 *
 * @example
 * ```ts
 * meanVariance(new Float64Array([0, 0, 2, 2]), 2, 2); // 1
 * ```
 */
export function meanVariance(X: Float64Array, n: number, d: number): number {
  // one pass per block of four columns, on values shifted by the first row (no cancellation for
  // data far from the origin): var = (sum (x - K)² - (sum (x - K))² / n) / n
  let total = 0;
  for (let j = 0; j < d; j += 4) {
    const w = d - j < 4 ? d - j : 4;
    const k0 = X[j] as number;
    const k1 = w > 1 ? (X[j + 1] as number) : 0;
    const k2 = w > 2 ? (X[j + 2] as number) : 0;
    const k3 = w > 3 ? (X[j + 3] as number) : 0;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    let q3 = 0;
    if (w === 4) {
      for (let o = j; o < n * d; o += d) {
        const v0 = (X[o] as number) - k0;
        const v1 = (X[o + 1] as number) - k1;
        const v2 = (X[o + 2] as number) - k2;
        const v3 = (X[o + 3] as number) - k3;
        a0 += v0;
        a1 += v1;
        a2 += v2;
        a3 += v3;
        q0 += v0 * v0;
        q1 += v1 * v1;
        q2 += v2 * v2;
        q3 += v3 * v3;
      }
    } else {
      for (let o = j; o < n * d; o += d) {
        const v0 = (X[o] as number) - k0;
        a0 += v0;
        q0 += v0 * v0;
        if (w > 1) {
          const v1 = (X[o + 1] as number) - k1;
          a1 += v1;
          q1 += v1 * v1;
        }
        if (w > 2) {
          const v2 = (X[o + 2] as number) - k2;
          a2 += v2;
          q2 += v2 * v2;
        }
      }
    }
    const v = q0 - (a0 * a0) / n + (q1 - (a1 * a1) / n) + (q2 - (a2 * a2) / n) + (q3 - (a3 * a3) / n);
    total += v / n;
  }
  return Math.max(0, total) / d;
}

/** Per-cluster sums and counts of the rows, from scratch. */
function clusterSums(X: Float64Array, n: number, d: number, labels: Int32Array, sums: Float64Array, counts: Float64Array): void {
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const a = labels[i] as number;
    counts[a] = (counts[a] as number) + 1;
    const oi = i * d;
    const oa = a * d;
    for (let q = 0; q < d; q++) sums[oa + q] = (sums[oa + q] as number) + (X[oi + q] as number);
  }
}

/**
 * New centres from the cluster sums: sum / count, relocating empty clusters to the rows farthest
 * from their (old) centres, as scikit-learn does (the relocation changes `out`, not the sums).
 */
function centersFromSums(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  labels: Int32Array,
  old: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  out: Float64Array,
): void {
  let empty = 0;
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty++;
  if (empty === 0) {
    for (let j = 0; j < k; j++) {
      const c = counts[j] as number;
      const oj = j * d;
      for (let q = 0; q < d; q++) out[oj + q] = (sums[oj + q] as number) / c;
    }
    return;
  }
  out.set(sums);
  const cnt = Float64Array.from(counts);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDist(X, i * d, old, (labels[i] as number) * d, d);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (dist[b] as number) - (dist[a] as number) || a - b);
  let e = 0;
  for (let j = 0; j < k; j++) {
    if (counts[j] !== 0) continue;
    const far = order[e++] as number;
    const from = labels[far] as number;
    for (let q = 0; q < d; q++) {
      const v = X[far * d + q] as number;
      out[from * d + q] = (out[from * d + q] as number) - v;
      out[j * d + q] = v;
    }
    cnt[from] = (cnt[from] as number) - 1;
    cnt[j] = 1;
  }
  for (let j = 0; j < k; j++) {
    const c = cnt[j] as number;
    if (c > 0) for (let q = 0; q < d; q++) out[j * d + q] = (out[j * d + q] as number) / c;
    else for (let q = 0; q < d; q++) out[j * d + q] = old[j * d + q] as number;
  }
}

/** Moves row `i` from cluster `a` to `b` in the running sums. */
function moveRow(X: Float64Array, oi: number, d: number, a: number, b: number, sums: Float64Array, counts: Float64Array): void {
  const oa = a * d;
  const ob = b * d;
  for (let q = 0; q < d; q++) {
    const v = X[oi + q] as number;
    sums[oa + q] = (sums[oa + q] as number) - v;
    sums[ob + q] = (sums[ob + q] as number) + v;
  }
  counts[a] = (counts[a] as number) - 1;
  counts[b] = (counts[b] as number) + 1;
}

/**
 * Plain Lloyd assignment: every row against every centre (lowest index wins a tie). With `bounds`,
 * also stores Hamerly's exact upper (nearest) and lower (second nearest) distances. With `sums`,
 * rows that change cluster are moved in the running sums. Returns the number of changed labels.
 */
function fullPass(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  C: Float64Array,
  labels: Int32Array,
  bounds: boolean,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array | undefined,
  counts: Float64Array,
): number {
  const four = new Float64Array(4);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    let b1 = Number.POSITIVE_INFINITY;
    let b2 = Number.POSITIVE_INFINITY;
    let a = 0;
    let j = 0;
    for (; j + 3 < k; j += 4) {
      sqDist4(X, oi, C, j * d, (j + 1) * d, (j + 2) * d, (j + 3) * d, d, four);
      for (let t = 0; t < 4; t++) {
        const s = four[t] as number;
        if (s < b1) {
          b2 = b1;
          b1 = s;
          a = j + t;
        } else if (s < b2) b2 = s;
      }
    }
    for (; j < k; j++) {
      const s = sqDist(X, oi, C, j * d, d);
      if (s < b1) {
        b2 = b1;
        b1 = s;
        a = j;
      } else if (s < b2) b2 = s;
    }
    const old = labels[i] as number;
    if (old !== a) {
      changed++;
      labels[i] = a;
      if (sums !== undefined) moveRow(X, oi, d, old, a, sums, counts);
    }
    if (bounds) {
      upper[i] = Math.sqrt(b1);
      lower[i] = Math.sqrt(b2);
    }
  }
  return changed;
}

/** Per-iteration geometry of the centres for Hamerly's pass. */
interface Geometry {
  /** k x k centre-to-centre distances. */
  cc: Float64Array;
  /** Row `a` (k - 1 entries, stride k): the other centres by increasing distance from centre `a`. */
  near: Int32Array;
  /** Half the distance from each centre to its nearest other centre. */
  half: Float64Array;
  /** Centre shifts of the last update, and the largest two (applied to the bounds in the next pass). */
  shift: Float64Array;
  max1: number;
  max2: number;
  arg1: number;
  /** Sum of the prefetching reads (unused). */
  sink: number;
}

function geometry(C: Float64Array, k: number, d: number, g: Geometry): void {
  const { cc, near, half } = g;
  for (let a = 0; a < k; a++) {
    cc[a * k + a] = 0;
    for (let j = a + 1; j < k; j++) {
      const v = Math.sqrt(sqDist(C, a * d, C, j * d, d));
      cc[a * k + j] = v;
      cc[j * k + a] = v;
    }
  }
  for (let a = 0; a < k; a++) {
    // insertion sort of the other centres by distance from a (k is small next to n)
    const ra = a * k;
    let m = 0;
    for (let j = 0; j < k; j++) {
      if (j === a) continue;
      const v = cc[ra + j] as number;
      let p = m++;
      while (p > 0 && (cc[ra + (near[ra + p - 1] as number)] as number) > v) {
        near[ra + p] = near[ra + p - 1] as number;
        p--;
      }
      near[ra + p] = j;
    }
    half[a] = k > 1 ? 0.5 * (cc[ra + (near[ra] as number)] as number) : Number.POSITIVE_INFINITY;
  }
}

/**
 * Hamerly's assignment pass (Hamerly 2010), with the last centre shifts folded into the bounds as
 * each row is read. A row whose upper bound (distance to its centre) is below both its lower bound
 * (distance to the second nearest) and half the distance from its centre to the nearest other one
 * keeps its label without any distance computed. Otherwise the upper bound is made exact, and if
 * that is not enough, the row is compared with the other centres in order of their distance from
 * its centre, stopping at the first one farther than twice the row's distance (it and all later
 * ones cannot be closer, by the triangle inequality: the idea of Elkan's and exponion's filters).
 * Returns the number of changed labels.
 */
function hamerlyPass(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  C: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  g: Geometry,
): number {
  const { cc, near, half, shift, max1, max2, arg1 } = g;
  const four = new Float64Array(4);
  let changed = 0;
  // Reading the row 16 ahead (both ends) starts its cache misses early: a third of the rows need
  // their values, in no predictable pattern, and waiting for memory costs more than the distances.
  let sink = 0;
  const last = (n - 1) * d;
  for (let i = 0; i < n; i++) {
    const pf = (i + 16) * d;
    const po = pf < last ? pf : last;
    sink += (X[po] as number) + (X[po + d - 1] as number);
    const a = labels[i] as number;
    let u = (upper[i] as number) + (shift[a] as number);
    const l = (lower[i] as number) - (a === arg1 ? max2 : max1);
    const h = half[a] as number;
    const m = l > h ? l : h;
    if (u * SAFE < m) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    const oi = i * d;
    const sa = sqDist(X, oi, C, a * d, d);
    u = Math.sqrt(sa);
    if (u * SAFE < m) {
      upper[i] = u;
      lower[i] = l;
      continue;
    }
    // scan the centres near a, four at a time; a tie goes to the lowest index, as in a full scan
    let best = a;
    let bs = sa;
    let second = Number.POSITIVE_INFINITY;
    let skipped = Number.POSITIVE_INFINITY;
    const lim = 2 * u * SAFE;
    const ra = a * k;
    for (let r = 0; r < k - 1; r += 4) {
      const j0 = near[ra + r] as number;
      const dc = cc[ra + j0] as number;
      if (dc > lim) {
        skipped = dc - u; // d(x, c_j) >= d(c_a, c_j) - d(x, c_a) for this and every later centre
        break;
      }
      const m4 = k - 1 - r < 4 ? k - 1 - r : 4;
      if (m4 === 1) four[0] = sqDist(X, oi, C, j0 * d, d);
      else {
        // two or three left: the kernel for four, the last centre repeated (its extra results unused)
        const o1 = (near[ra + r + 1] as number) * d;
        const o2 = m4 > 2 ? (near[ra + r + 2] as number) * d : o1;
        const o3 = m4 > 3 ? (near[ra + r + 3] as number) * d : o2;
        sqDist4(X, oi, C, j0 * d, o1, o2, o3, d, four);
      }
      for (let t = 0; t < m4; t++) {
        const j = near[ra + r + t] as number;
        const s = four[t] as number;
        if (s < bs || (s === bs && j < best)) {
          second = bs;
          bs = s;
          best = j;
        } else if (s < second) second = s;
      }
    }
    const ls = Math.sqrt(second);
    lower[i] = ls < skipped ? ls : skipped;
    if (best !== a) {
      upper[i] = Math.sqrt(bs);
      labels[i] = best;
      changed++;
      moveRow(X, oi, d, a, best, sums, counts);
    } else upper[i] = u;
  }
  g.sink = sink; // a use of the reads that the compiler cannot drop
  return changed;
}

/**
 * One k-means run from given centres: Lloyd iterations, optionally accelerated with Hamerly's
 * bounds (bit-for-bit the same labels and centres, fewer distance computations). Centres are
 * kept as running per-cluster sums that only the rows changing cluster update. Convergence as
 * scikit-learn: stops when no label changes, or when the total squared centre shift is at most
 * `tolAbs`; in the latter case labels are recomputed once so that they match the final centres.
 *
 * @example
 * ```ts
 * const run = await lloyd(X, n, d, k, kmeansPlusPlus(X, n, d, k, rng), 300, 1e-4, true);
 * ```
 */
export async function lloyd(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  init: Float64Array,
  maxIter: number,
  tolAbs: number,
  hamerly: boolean,
  tick?: (iteration: number) => Promise<void>,
  start?: { labels: Int32Array; dist: Float64Array },
): Promise<KMeansRun> {
  let centers = Float64Array.from(init);
  let next = new Float64Array(k * d);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const labels = new Int32Array(n).fill(-1);
  const upper = new Float64Array(hamerly ? n : 0);
  const lower = new Float64Array(hamerly ? n : 0);
  const g: Geometry = {
    cc: new Float64Array(k * k),
    near: new Int32Array(k * k),
    half: new Float64Array(k),
    shift: new Float64Array(k),
    max1: 0,
    max2: 0,
    arg1: -1,
    sink: 0,
  };
  let iterations = 0;
  let converged = false;
  const seeded = hamerly && start !== undefined;
  if (seeded) {
    // the seeding already found each row's nearest seed: exact upper bounds, lower bounds 0
    labels.set(start.labels);
    upper.set(start.dist);
  }

  const assign = (it: number): number => {
    if (!hamerly || (it === 0 && !seeded)) return fullPass(X, n, d, k, centers, labels, hamerly, upper, lower, it === 0 ? undefined : sums, counts);
    geometry(centers, k, d, g);
    return hamerlyPass(X, n, d, k, centers, labels, upper, lower, sums, counts, g);
  };

  for (let it = 0; it < maxIter; it++) {
    let changed = assign(it);
    if (it === 0) changed = n; // the first assignment always counts as a change (as scikit-learn's labels_old = -1)
    if (it === 0 || (changed > 0 && it % REFRESH === 0)) clusterSums(X, n, d, labels, sums, counts);
    centersFromSums(X, n, d, k, labels, centers, sums, counts, next);
    let total = 0;
    let max1 = 0;
    let max2 = 0;
    let arg1 = -1;
    for (let j = 0; j < k; j++) {
      const s = sqDist(next, j * d, centers, j * d, d);
      total += s;
      const p = Math.sqrt(s);
      g.shift[j] = p;
      if (p > max1) {
        max2 = max1;
        max1 = p;
        arg1 = j;
      } else if (p > max2) max2 = p;
    }
    g.max1 = max1;
    g.max2 = max2;
    g.arg1 = arg1;
    [centers, next] = [next, centers];
    iterations = it + 1;
    if (changed === 0) {
      converged = true;
      break;
    }
    if (total <= tolAbs) break;
    if (tick) await tick(it);
  }
  if (!converged) assign(iterations);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(X, i * d, centers, (labels[i] as number) * d, d);
  return { centers, labels, inertia, iterations, converged };
}

/**
 * k-means on a dense matrix: `nInit` runs from k-means++ seeds (or one from `init`), keeping the
 * run with the lowest inertia.
 *
 * @example
 * ```ts
 * const best = await runKMeans(X, n, d, 3, { rng: new Rng(0), nInit: 10 });
 * ```
 */
export async function runKMeans(X: Float64Array, n: number, d: number, k: number, options: KMeansRunOptions): Promise<KMeansRun> {
  const { rng, maxIter = 300, tol = 1e-4, algorithm = 'hamerly', tick } = options;
  const nInit = options.init ? 1 : (options.nInit ?? 1);
  // distances are summed coordinate differences (not |x|² - 2x·c + |c|²), so no centring is needed for precision
  const tolAbs = tol * meanVariance(X, n, d);
  let best: KMeansRun | undefined;
  for (let r = 0; r < nInit; r++) {
    let init: Float64Array;
    let start: { labels: Int32Array; dist: Float64Array } | undefined;
    if (options.init) {
      init = Float64Array.from(options.init);
    } else {
      const seed = seedPlusPlus(X, n, d, k, rng);
      init = seed.centers;
      start = seed;
    }
    const run = await lloyd(X, n, d, k, init, maxIter, tolAbs, algorithm === 'hamerly', tick ? (it) => tick(r, it) : undefined, start);
    if (!best || run.inertia < best.inertia) best = run;
    if (tick) await tick(r, -1);
  }
  return best as KMeansRun;
}

/**
 * Index of the nearest centre for each row (lowest index on a tie), and (optionally) the squared
 * distance to it. Uses the same distance kernel as the fit, so the training rows get the fit's labels.
 *
 * @example
 * ```ts
 * const labels = nearestCenters(X, n, d, centers, k);
 * ```
 */
export function nearestCenters(X: Float64Array, n: number, d: number, centers: Float64Array, k: number, sq?: Float64Array): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    let best = Number.POSITIVE_INFINITY;
    let a = 0;
    for (let j = 0; j < k; j++) {
      const s = sqDist(X, oi, centers, j * d, d);
      if (s < best) {
        best = s;
        a = j;
      }
    }
    labels[i] = a;
    if (sq) sq[i] = best;
  }
  return labels;
}
