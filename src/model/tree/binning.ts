/**
 * Feature binning shared by the tree learners (internal; not part of the public API).
 *
 * Numeric features are cut into at most `maxBins` bins exactly as scikit-learn's
 * `_BinMapper`: when a feature has at most `maxBins` distinct values the cut points are the
 * midpoints between consecutive distinct values (so a split on bins is an exact CART split),
 * otherwise they are the midpoint percentiles of the values. A value `x` goes to the smallest bin
 * `b` with `x <= thresholds[b]` (the last bin when none), so `bin(x) <= b` if and only if
 * `x <= thresholds[b]`, and a split found on bins is applied to raw values at predict time.
 * `MISSING_BIN` (255) holds missing values (and, for categorical features, unknown categories).
 */

/** Bin index of missing values. */
export const MISSING_BIN = 255;
/** Histogram width per feature (255 value bins + the missing bin). */
export const HIST_BINS = 256;

/**
 * Binned training data: column-major (`binned[f * nrows + i]`); `Uint16Array` when some feature
 * has more than 255 bins (exact CART bins, never with missing values).
 */
export interface BinnedData {
  readonly binned: Uint8Array | Uint16Array;
  readonly nrows: number;
  readonly ncols: number;
  /** Per feature: cut points (length `nBins[f] - 1`) for numeric features; empty for categorical. */
  readonly thresholds: readonly Float64Array[];
  /** Per feature: number of non-missing bins used. */
  readonly nBins: Int32Array;
  /** Per feature: 1 when the feature is categorical (bins are category codes). */
  readonly categorical: Uint8Array;
}

/**
 * Cut points of one numeric column (`NaN` ignored), as scikit-learn's `_find_binning_thresholds`:
 * midpoints between distinct values when there are at most `exactUpTo` (default `maxBins`) of
 * them, else `maxBins` midpoint percentiles.
 */
export function findThresholds(values: Float64Array, maxBins: number, exactUpTo = maxBins): Float64Array {
  let m = 0;
  const v = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (!Number.isNaN(x)) v[m++] = x;
  }
  const sorted = v.subarray(0, m).sort();
  if (m === 0) return new Float64Array(0);
  let nd = 1;
  for (let i = 1; i < m; i++) if ((sorted[i] as number) !== (sorted[i - 1] as number)) nd++;
  if (nd <= Math.max(maxBins, exactUpTo)) {
    const out = new Float64Array(nd - 1);
    let w = 0;
    for (let i = 1; i < m; i++) {
      const a = sorted[i - 1] as number;
      const b = sorted[i] as number;
      if (a !== b) out[w++] = a + (b - a) / 2;
    }
    return out;
  }
  // numpy.percentile(col, linspace(0, 100, maxBins + 1)[1:-1], method='midpoint'), then unique
  const out: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const pos = ((m - 1) * q) / maxBins;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const t = ((sorted[lo] as number) + (sorted[hi] as number)) / 2;
    if (out.length === 0 || t > (out[out.length - 1] as number)) out.push(t);
  }
  return Float64Array.from(out);
}

/** The bin of one value: the smallest `b` with `x <= thr[b]`, else `thr.length`; `MISSING_BIN` for NaN. */
export function binOf(x: number, thr: Float64Array): number {
  if (Number.isNaN(x)) return MISSING_BIN;
  let lo = 0;
  let hi = thr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= (thr[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bins a row-major matrix. Categorical columns (`categorical[f] === 1`) must already hold small
 * integer codes (or NaN); they are copied as bins (`MISSING_BIN` for NaN).
 */
export function binMatrix(
  X: Float64Array,
  nrows: number,
  ncols: number,
  thresholds: readonly Float64Array[],
  categorical: Uint8Array,
  rows?: Int32Array,
  wide = false,
): Uint8Array | Uint16Array {
  const n = rows ? rows.length : nrows;
  const out = wide ? new Uint16Array(n * ncols) : new Uint8Array(n * ncols);
  for (let f = 0; f < ncols; f++) {
    const thr = thresholds[f] as Float64Array;
    const base = f * n;
    const cat = categorical[f] === 1;
    for (let i = 0; i < n; i++) {
      const r = rows ? (rows[i] as number) : i;
      const x = X[r * ncols + f] as number;
      out[base + i] = cat ? (Number.isNaN(x) ? MISSING_BIN : x) : binOf(x, thr);
    }
  }
  return out;
}

/**
 * Learns cut points for every numeric column of a row-major matrix (optionally on a subset of rows)
 * and bins it. `exactUpTo` > 255 (CART only: no missing bin) keeps features with up to that many
 * distinct values exact, in a `Uint16Array`.
 */
export function fitBins(
  X: Float64Array,
  nrows: number,
  ncols: number,
  maxBins: number,
  categorical: Uint8Array,
  rows?: Int32Array,
  exactUpTo = maxBins,
): BinnedData {
  const thresholds: Float64Array[] = [];
  const nBins = new Int32Array(ncols);
  const n = rows ? rows.length : nrows;
  const col = new Float64Array(n);
  for (let f = 0; f < ncols; f++) {
    if (categorical[f] === 1) {
      let mx = -1;
      for (let i = 0; i < n; i++) {
        const x = X[(rows ? (rows[i] as number) : i) * ncols + f] as number;
        if (!Number.isNaN(x) && x > mx) mx = x;
      }
      thresholds.push(new Float64Array(0));
      nBins[f] = mx + 1;
      continue;
    }
    for (let i = 0; i < n; i++) col[i] = X[(rows ? (rows[i] as number) : i) * ncols + f] as number;
    const thr = findThresholds(col, maxBins, exactUpTo);
    thresholds.push(thr);
    nBins[f] = thr.length + 1;
  }
  let wide = false;
  for (let f = 0; f < ncols; f++) if ((nBins[f] as number) > MISSING_BIN) wide = true;
  return { binned: binMatrix(X, nrows, ncols, thresholds, categorical, rows, wide), nrows: n, ncols, thresholds, nBins, categorical };
}
