import type { Rng } from '../core/random.js';

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

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (both with `d` columns). */
function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const oa = i * d;
  const ob = j * d;
  for (let t = 0; t < d; t++) {
    const v = (a[oa + t] as number) - (b[ob + t] as number);
    s += v * v;
  }
  return s;
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
 * @example
 * ```ts
 * const { centers, labels, dist } = seedPlusPlus(X, n, d, 3, new Rng(0));
 * ```
 */
export function seedPlusPlus(X: Float64Array, n: number, d: number, k: number, rng: Rng): { centers: Float64Array; labels: Int32Array; dist: Float64Array } {
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(X.subarray(first * d, first * d + d), 0);
  // closest: squared distance to the nearest chosen centre; root: its square root; assign: that centre
  const closest = new Float64Array(n);
  const root = new Float64Array(n);
  const assign = new Int32Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const v = sqDist(X, i, centers, 0, d);
    closest[i] = v;
    root[i] = Math.sqrt(v);
    pot += v;
  }
  // per seed: the potential and the largest distance of the rows it holds. A candidate at least twice
  // that distance from the seed cannot get closer to any of those rows (triangle inequality).
  const groupPot = new Float64Array(k);
  const groupMax = new Float64Array(k);
  const regroup = (): void => {
    groupPot.fill(0);
    groupMax.fill(0);
    for (let i = 0; i < n; i++) {
      const a = assign[i] as number;
      groupPot[a] = (groupPot[a] as number) + (closest[i] as number);
      if ((root[i] as number) > (groupMax[a] as number)) groupMax[a] = root[i] as number;
    }
  };
  regroup();
  const cum = new Float64Array(n);
  const cand = new Int32Array(trials);
  const candPot = new Float64Array(trials);
  const toCenter = new Float64Array(trials * k); // distance from each candidate to each chosen seed
  const mask = new Int32Array(k); // per seed: bit t set when candidate t may improve some of its rows
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i] as number;
      cum[i] = acc;
    }
    for (let t = 0; t < trials; t++) {
      const r = rng.next() * pot;
      // searchsorted(cum, r, 'left'), clipped to n - 1
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cum[mid] as number) < r) lo = mid + 1;
        else hi = mid;
      }
      cand[t] = Math.min(lo, n - 1);
      candPot[t] = 0;
      for (let j = 0; j < c; j++) toCenter[t * k + j] = Math.sqrt(sqDist(X, cand[t] as number, centers, j, d));
    }
    for (let a = 0; a < c; a++) {
      let m = 0;
      for (let t = 0; t < trials; t++) {
        if ((toCenter[t * k + a] as number) >= 2 * (groupMax[a] as number)) candPot[t] = (candPot[t] as number) + (groupPot[a] as number);
        else m |= 1 << t;
      }
      mask[a] = m;
    }
    // rows in order (sequential memory); a distance sum stops once it exceeds the row's closest distance
    for (let i = 0; i < n; i++) {
      const a = assign[i] as number;
      const m = mask[a] as number;
      if (m === 0) continue;
      const ci = closest[i] as number;
      const ri2 = 2 * (root[i] as number);
      const oi = i * d;
      for (let t = 0; t < trials; t++) {
        if ((m & (1 << t)) === 0) continue;
        let s = ci;
        if ((toCenter[t * k + a] as number) < ri2) {
          const oc = (cand[t] as number) * d;
          let w = 0;
          for (let q = 0; q < d && w < ci; q++) {
            const v = (X[oi + q] as number) - (X[oc + q] as number);
            w += v * v;
          }
          if (w < s) s = w;
        }
        candPot[t] = (candPot[t] as number) + s;
      }
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if ((candPot[t] as number) < (candPot[best] as number)) best = t;
    pot = candPot[best] as number;
    const oc = (cand[best] as number) * d;
    const tb = best * k;
    const bit = 1 << best;
    for (let i = 0; i < n; i++) {
      const a = assign[i] as number;
      if (((mask[a] as number) & bit) === 0) continue;
      const ci = closest[i] as number;
      if ((toCenter[tb + a] as number) >= 2 * (root[i] as number)) continue;
      const oi = i * d;
      let w = 0;
      for (let q = 0; q < d && w < ci; q++) {
        const v = (X[oi + q] as number) - (X[oc + q] as number);
        w += v * v;
      }
      if (w < ci) {
        closest[i] = w;
        root[i] = Math.sqrt(w);
        assign[i] = c;
      }
    }
    centers.set(X.subarray(oc, oc + d), c * d);
    if (c + 1 < k) regroup();
  }
  return { centers, labels: assign, dist: root };
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
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i * d + j] as number;
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = (X[i * d + j] as number) - m;
      s += v * v;
    }
    total += s / n;
  }
  return total / d;
}

/** New centres from labels: sums divided by counts, relocating empty clusters to the farthest rows (as scikit-learn). */
function updateCenters(X: Float64Array, n: number, d: number, k: number, labels: Int32Array, old: Float64Array, out: Float64Array, counts: Float64Array): void {
  out.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const a = labels[i] as number;
    counts[a] = (counts[a] as number) + 1;
    const oi = i * d;
    const oa = a * d;
    for (let q = 0; q < d; q++) out[oa + q] = (out[oa + q] as number) + (X[oi + q] as number);
  }
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length > 0) {
    const dist = new Float64Array(n);
    for (let i = 0; i < n; i++) dist[i] = sqDist(X, i, old, labels[i] as number, d);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (dist[b] as number) - (dist[a] as number) || a - b);
    empty.forEach((j, e) => {
      const far = order[e] as number;
      const from = labels[far] as number;
      for (let q = 0; q < d; q++) {
        const v = X[far * d + q] as number;
        out[from * d + q] = (out[from * d + q] as number) - v;
        out[j * d + q] = v;
      }
      counts[from] = (counts[from] as number) - 1;
      counts[j] = 1;
    });
  }
  for (let j = 0; j < k; j++) {
    const c = counts[j] as number;
    if (c > 0) for (let q = 0; q < d; q++) out[j * d + q] = (out[j * d + q] as number) / c;
    else for (let q = 0; q < d; q++) out[j * d + q] = old[j * d + q] as number;
  }
}

/**
 * One k-means run from given centres: Lloyd iterations, optionally accelerated with Hamerly's
 * bounds (same assignments, fewer distance computations). Convergence as scikit-learn: stops when
 * no label changes, or when the total squared centre shift is at most `tolAbs`; in the latter
 * case labels are recomputed once so that they match the final centres.
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
  const counts = new Float64Array(k);
  const labels = new Int32Array(n).fill(-1);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const shift = new Float64Array(k);
  const half = new Float64Array(k);
  let iterations = 0;
  let converged = false;

  const fullScan = (i: number): boolean => {
    let b1 = Number.POSITIVE_INFINITY;
    let b2 = Number.POSITIVE_INFINITY;
    let a = 0;
    const oi = i * d;
    for (let j = 0; j < k; j++) {
      const oj = j * d;
      let s = 0;
      for (let q = 0; q < d; q++) {
        const v = (X[oi + q] as number) - (centers[oj + q] as number);
        s += v * v;
      }
      if (s < b1) {
        b2 = b1;
        b1 = s;
        a = j;
      } else if (s < b2) b2 = s;
    }
    const changed = labels[i] !== a;
    labels[i] = a;
    upper[i] = Math.sqrt(b1);
    lower[i] = Math.sqrt(b2);
    return changed;
  };

  const assign = (first: boolean): number => {
    let changed = 0;
    if (first || !hamerly) {
      for (let i = 0; i < n; i++) if (fullScan(i)) changed++;
      return changed;
    }
    // half the distance from each centre to its nearest other centre
    for (let j = 0; j < k; j++) {
      let m = Number.POSITIVE_INFINITY;
      for (let l = 0; l < k; l++) {
        if (l === j) continue;
        const s = sqDist(centers, j, centers, l, d);
        if (s < m) m = s;
      }
      half[j] = 0.5 * Math.sqrt(m);
    }
    for (let i = 0; i < n; i++) {
      const a = labels[i] as number;
      const lb = lower[i] as number;
      const ha = half[a] as number;
      const m = lb > ha ? lb : ha;
      if ((upper[i] as number) <= m) continue;
      const u = Math.sqrt(sqDist(X, i, centers, a, d));
      upper[i] = u;
      if (u <= m) continue;
      if (fullScan(i)) changed++;
    }
    return changed;
  };

  const seeded = hamerly && start !== undefined;
  if (seeded) {
    // the seeding already found each row's nearest seed: exact upper bounds, lower bounds 0
    labels.set(start.labels);
    upper.set(start.dist);
  }
  for (let it = 0; it < maxIter; it++) {
    let changed: number;
    if (it === 0 && seeded) {
      assign(false);
      changed = n; // the first assignment always counts as a change (as scikit-learn's labels_old = -1)
    } else changed = assign(it === 0);
    updateCenters(X, n, d, k, labels, centers, next, counts);
    let total = 0;
    let max1 = 0;
    let max2 = 0;
    let arg1 = -1;
    for (let j = 0; j < k; j++) {
      const s = sqDist(next, j, centers, j, d);
      total += s;
      const p = Math.sqrt(s);
      shift[j] = p;
      if (p > max1) {
        max2 = max1;
        max1 = p;
        arg1 = j;
      } else if (p > max2) max2 = p;
    }
    if (hamerly) {
      for (let i = 0; i < n; i++) {
        const a = labels[i] as number;
        upper[i] = (upper[i] as number) + (shift[a] as number);
        lower[i] = (lower[i] as number) - (a === arg1 ? max2 : max1);
      }
    }
    [centers, next] = [next, centers];
    iterations = it + 1;
    if (changed === 0) {
      converged = true;
      break;
    }
    if (total <= tolAbs) break;
    if (tick) await tick(it);
  }
  if (!converged) assign(false);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(X, i, centers, labels[i] as number, d);
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
 * Index of the nearest centre for each row, and (optionally) the squared distance to it.
 *
 * @example
 * ```ts
 * const labels = nearestCenters(X, n, d, centers, k);
 * ```
 */
export function nearestCenters(X: Float64Array, n: number, d: number, centers: Float64Array, k: number, sq?: Float64Array): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY;
    let a = 0;
    for (let j = 0; j < k; j++) {
      const s = sqDist(X, i, centers, j, d);
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
