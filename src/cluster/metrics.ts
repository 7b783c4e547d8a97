import { TesseraError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { Dataset } from '../dataset/dataset.js';
import type { DenseMatrix } from '../reduce/index.js';
import { fitMatrix } from './common.js';

/**
 * Cluster labels: a typed array or an array of numbers or strings (e.g. an external class column).
 *
 * @example
 * ```ts
 * const l: Labels = fitted.labels; const truth: Labels = ['a', 'b', 'a'];
 * ```
 */
export type Labels = ArrayLike<number> | readonly (string | number | boolean | null)[];

/**
 * Numeric input of a cluster metric: a Dataset (every column without an id/target/time role, or
 * the named `columns`) or a dense matrix.
 *
 * @example
 * ```ts
 * const x: MetricInput = ds; const y: MetricInput = { data, nrows, ncols, columns: [] };
 * ```
 */
export type MetricInput = Dataset | DenseMatrix;

/**
 * Options of {@link silhouetteScore}.
 *
 * @example
 * ```ts
 * const o: SilhouetteOptions = { sampleSize: 2000, seed: 1 };
 * ```
 */
export interface SilhouetteOptions {
  /** Rows to sample when there are more; default 5000 (`Infinity` for the exact O(n²) score). */
  sampleSize?: number;
  /** Seed of the row sample. Default 0. */
  seed?: number;
  /** Columns of a Dataset input. */
  columns?: readonly string[];
}

function toMatrix(x: MetricInput, columns: readonly string[] | undefined, owner: string): DenseMatrix {
  return x instanceof Dataset ? fitMatrix(x, columns, owner) : x;
}

/**
 * Encodes labels to codes 0..m-1 (in order of first appearance) and returns the number of labels.
 *
 * @example
 * ```ts
 * encodeLabels(['b', 'a', 'b']); // { codes: Int32Array [0, 1, 0], count: 2 }
 * ```
 */
export function encodeLabels(labels: Labels): { codes: Int32Array; count: number } {
  const map = new Map<unknown, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    let c = map.get(v);
    if (c === undefined) {
      c = map.size;
      map.set(v, c);
    }
    codes[i] = c;
  }
  return { codes, count: map.size };
}

function checkLength(n: number, labels: Labels, owner: string): void {
  if (labels.length !== n) {
    throw new TesseraError('E_SHAPE', `${owner}: ${labels.length} labels for ${n} rows`, { option: 'labels', rows: n, labels: labels.length });
  }
}

function checkClusterCount(count: number, n: number, owner: string): void {
  if (count < 2 || count > n - 1) {
    throw new TesseraError('E_OPTION', `${owner} needs between 2 and nrows - 1 (${n - 1}) distinct labels, got ${count}`, { option: 'labels', count });
  }
}

/**
 * Mean silhouette coefficient (Rousseeuw 1987), Euclidean: for each row, `(b - a) / max(a, b)`
 * with `a` the mean distance to its own cluster and `b` to the nearest other cluster (0 for a row
 * alone in its cluster). In [-1, 1], higher is better. Above `sampleSize` rows (default 5000) it
 * is computed on a seeded random sample of rows, as scikit-learn's `sample_size`. Label -1 is an
 * ordinary label (drop noise rows first to leave it out).
 *
 * @example
 * ```ts
 * const fitted = await new KMeans({ k: 3 }).fit(ds);
 * silhouetteScore(ds, fitted.labels); // e.g. 0.46
 * ```
 */
export function silhouetteScore(x: MetricInput, labels: Labels, options: SilhouetteOptions = {}): number {
  const m = toMatrix(x, options.columns, 'silhouetteScore');
  checkLength(m.nrows, labels, 'silhouetteScore');
  const sampleSize = options.sampleSize ?? 5000;
  if (!(sampleSize >= 2)) throw new TesseraError('E_OPTION', `silhouetteScore option "sampleSize" must be >= 2, got ${sampleSize}`, { option: 'sampleSize' });
  let rows: Int32Array | undefined;
  if (m.nrows > sampleSize) rows = new Rng(options.seed ?? 0).sample(m.nrows, Math.floor(sampleSize));
  const n = rows ? rows.length : m.nrows;
  const d = m.ncols;
  const lab: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) lab[i] = labels[rows ? (rows[i] as number) : i];
  const { codes, count } = encodeLabels(lab as Labels);
  checkClusterCount(count, n, 'silhouetteScore');
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const src = rows ? (rows[i] as number) : i;
    X.set(m.data.subarray(src * d, src * d + d), i * d);
  }
  const size = new Float64Array(count);
  for (let i = 0; i < n; i++) size[codes[i] as number] = (size[codes[i] as number] as number) + 1;
  const sums = new Float64Array(n * count);
  for (let i = 0; i < n; i++) {
    const ci = codes[i] as number;
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const t = (X[i * d + q] as number) - (X[j * d + q] as number);
        s += t * t;
      }
      const dist = Math.sqrt(s);
      const cj = codes[j] as number;
      sums[i * count + cj] = (sums[i * count + cj] as number) + dist;
      sums[j * count + ci] = (sums[j * count + ci] as number) + dist;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const ci = codes[i] as number;
    const own = size[ci] as number;
    if (own <= 1) continue;
    const a = (sums[i * count + ci] as number) / (own - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < count; c++) {
      if (c === ci) continue;
      const v = (sums[i * count + c] as number) / (size[c] as number);
      if (v < b) b = v;
    }
    const mx = Math.max(a, b);
    total += mx > 0 ? (b - a) / mx : 0;
  }
  return total / n;
}

function centroidsOf(m: DenseMatrix, codes: Int32Array, count: number): { centers: Float64Array; size: Float64Array } {
  const d = m.ncols;
  const centers = new Float64Array(count * d);
  const size = new Float64Array(count);
  for (let i = 0; i < m.nrows; i++) {
    const c = codes[i] as number;
    size[c] = (size[c] as number) + 1;
    for (let q = 0; q < d; q++) centers[c * d + q] = (centers[c * d + q] as number) + (m.data[i * d + q] as number);
  }
  for (let c = 0; c < count; c++) for (let q = 0; q < d; q++) centers[c * d + q] = (centers[c * d + q] as number) / (size[c] as number);
  return { centers, size };
}

/**
 * Davies-Bouldin index: the mean over clusters of the worst ratio of within-cluster scatter to
 * between-centroid distance. Lower is better; 0 is the minimum. Same definition as scikit-learn.
 *
 * @example
 * ```ts
 * daviesBouldinScore(ds, fitted.labels); // e.g. 0.83
 * ```
 */
export function daviesBouldinScore(x: MetricInput, labels: Labels, options: { columns?: readonly string[] } = {}): number {
  const m = toMatrix(x, options.columns, 'daviesBouldinScore');
  checkLength(m.nrows, labels, 'daviesBouldinScore');
  const { codes, count } = encodeLabels(labels);
  checkClusterCount(count, m.nrows, 'daviesBouldinScore');
  const d = m.ncols;
  const { centers, size } = centroidsOf(m, codes, count);
  const intra = new Float64Array(count);
  for (let i = 0; i < m.nrows; i++) {
    const c = codes[i] as number;
    let s = 0;
    for (let q = 0; q < d; q++) {
      const t = (m.data[i * d + q] as number) - (centers[c * d + q] as number);
      s += t * t;
    }
    intra[c] = (intra[c] as number) + Math.sqrt(s);
  }
  let allIntraZero = true;
  for (let c = 0; c < count; c++) {
    intra[c] = (intra[c] as number) / (size[c] as number);
    if (Math.abs(intra[c] as number) > 1e-8) allIntraZero = false;
  }
  let allCentroidZero = true;
  const cd = new Float64Array(count * count);
  for (let a = 0; a < count; a++) {
    for (let b = 0; b < count; b++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const t = (centers[a * d + q] as number) - (centers[b * d + q] as number);
        s += t * t;
      }
      cd[a * count + b] = Math.sqrt(s);
      if (Math.sqrt(s) > 1e-8) allCentroidZero = false;
    }
  }
  if (allIntraZero || allCentroidZero) return 0;
  let total = 0;
  for (let a = 0; a < count; a++) {
    let worst = 0;
    for (let b = 0; b < count; b++) {
      if (a === b) continue;
      const dist = cd[a * count + b] as number;
      const r = dist === 0 ? 0 : ((intra[a] as number) + (intra[b] as number)) / dist;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / count;
}

/**
 * Calinski-Harabasz index (variance ratio criterion): between-cluster dispersion over
 * within-cluster dispersion, each divided by its degrees of freedom. Higher is better.
 *
 * @example
 * ```ts
 * calinskiHarabaszScore(ds, fitted.labels); // e.g. 561.6
 * ```
 */
export function calinskiHarabaszScore(x: MetricInput, labels: Labels, options: { columns?: readonly string[] } = {}): number {
  const m = toMatrix(x, options.columns, 'calinskiHarabaszScore');
  checkLength(m.nrows, labels, 'calinskiHarabaszScore');
  const { codes, count } = encodeLabels(labels);
  checkClusterCount(count, m.nrows, 'calinskiHarabaszScore');
  const n = m.nrows;
  const d = m.ncols;
  const { centers, size } = centroidsOf(m, codes, count);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let q = 0; q < d; q++) mean[q] = (mean[q] as number) + (m.data[i * d + q] as number) / n;
  let extra = 0;
  for (let c = 0; c < count; c++) {
    let s = 0;
    for (let q = 0; q < d; q++) s += ((centers[c * d + q] as number) - (mean[q] as number)) ** 2;
    extra += (size[c] as number) * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number;
    for (let q = 0; q < d; q++) intra += ((m.data[i * d + q] as number) - (centers[c * d + q] as number)) ** 2;
  }
  return intra === 0 ? 1 : (extra * (n - count)) / (intra * (count - 1));
}

function contingency(a: Labels, b: Labels, owner: string): { table: Map<number, number>; ca: Int32Array; cb: Int32Array; na: number; nb: number; n: number } {
  if (a.length !== b.length) throw new TesseraError('E_SHAPE', `${owner}: label arrays differ in length (${a.length} vs ${b.length})`, { option: 'labels' });
  const A = encodeLabels(a);
  const B = encodeLabels(b);
  const table = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = (A.codes[i] as number) * B.count + (B.codes[i] as number);
    table.set(key, (table.get(key) ?? 0) + 1);
  }
  const ca = new Int32Array(A.count);
  const cb = new Int32Array(B.count);
  for (let i = 0; i < a.length; i++) {
    ca[A.codes[i] as number] = (ca[A.codes[i] as number] as number) + 1;
    cb[B.codes[i] as number] = (cb[B.codes[i] as number] as number) + 1;
  }
  return { table, ca, cb, na: A.count, nb: B.count, n: a.length };
}

/**
 * Adjusted Rand index between two labelings (1 = identical up to renaming, about 0 for random).
 * Same formula as scikit-learn (through the pair confusion matrix).
 *
 * @example
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * ```
 */
export function adjustedRandIndex(a: Labels, b: Labels): number {
  const { table, ca, cb, na, nb, n } = contingency(a, b, 'adjustedRandIndex');
  if (na === nb && (na === 0 || na === 1 || na === n)) return 1;
  let sumSquares = 0;
  let rowDot = 0; // C . n_k summed
  let colDot = 0; // C^T . n_c summed
  for (const [key, v] of table) {
    sumSquares += v * v;
    const i = Math.floor(key / nb);
    const j = key - i * nb;
    rowDot += v * (cb[j] as number);
    colDot += v * (ca[i] as number);
  }
  const tp = sumSquares - n;
  const fp = rowDot - sumSquares;
  const fn = colDot - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/**
 * Normalised mutual information between two labelings, arithmetic-mean normalisation (scikit-learn's
 * default): 1 = identical up to renaming, 0 = independent.
 *
 * @example
 * ```ts
 * normalizedMutualInfo([0, 0, 1, 1], ['x', 'x', 'y', 'y']); // 1
 * ```
 */
export function normalizedMutualInfo(a: Labels, b: Labels): number {
  const { table, ca, cb, na, nb, n } = contingency(a, b, 'normalizedMutualInfo');
  if ((na === 1 && nb === 1) || (na === 0 && nb === 0)) return 1;
  let mi = 0;
  for (const [key, v] of table) {
    const i = Math.floor(key / nb);
    const j = key - i * nb;
    mi += (v / n) * (Math.log(v) + Math.log(n) - Math.log(ca[i] as number) - Math.log(cb[j] as number));
  }
  if (mi < 0) mi = 0;
  const h = (c: Int32Array): number => {
    let s = 0;
    for (const v of c) if (v > 0) s -= (v / n) * Math.log(v / n);
    return s;
  };
  const norm = Math.max((h(ca) + h(cb)) / 2, Number.EPSILON);
  return mi / norm;
}
