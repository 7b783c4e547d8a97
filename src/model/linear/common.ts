import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkAbort } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import type { FittedModel, ModelFitOptions, Serialized, Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray } from '../../core/serialize.js';
import type { ColumnKind } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { featureMatrix, requireColumns, requireRows, resolveColumns, resolveTarget } from '../../dataset/features.js';
import { type EncodedTarget, encodeTarget } from '../target.js';

/** Every kind: models list all feature columns and let `featureMatrix` refuse the non-numeric ones by name. */
export const ALL_KINDS: readonly ColumnKind[] = ['number', 'integer', 'boolean', 'datetime', 'category', 'text'];

/**
 * The numeric design matrix and encoded target of a supervised fit, with the checks every model
 * makes: rows present, target resolved and encoded, feature columns numeric and complete.
 *
 * @example
 * ```ts
 * const d = supervisedData(ds, undefined, options, 'Ridge', 'regression');
 * d.X; d.n; d.p; d.y;
 * ```
 */
export function supervisedData<T extends 'classification' | 'regression'>(
  ds: Dataset,
  columns: readonly string[] | undefined,
  options: ModelFitOptions | undefined,
  owner: string,
  task: T,
  allowMissing = false,
  exclude: readonly string[] = [],
): { X: Float64Array; n: number; p: number; columns: string[]; target: string; y: Extract<EncodedTarget, { task: T }> } {
  const s = supervisedTarget(ds, columns, options, owner, task, exclude);
  const X = fastMatrix(ds, s.columns, owner, allowMissing);
  return { X, ...s };
}

/**
 * {@link supervisedData} without the matrix: the checks, the feature columns and the encoded
 * target, for models that read the columns their own way (LogisticRegression's column kernel).
 *
 * @example
 * ```ts
 * const { columns, y, n, p } = supervisedTarget(ds, undefined, { target: 'churn' }, 'LogisticRegression', 'classification');
 * ```
 */
export function supervisedTarget<T extends 'classification' | 'regression'>(
  ds: Dataset,
  columns: readonly string[] | undefined,
  options: ModelFitOptions | undefined,
  owner: string,
  task: T,
  exclude: readonly string[] = [],
): { n: number; p: number; columns: string[]; target: string; y: Extract<EncodedTarget, { task: T }> } {
  checkAbort(options?.signal);
  requireRows(ds, owner);
  const target = resolveTarget(ds, options?.target, owner);
  const cols = resolveColumns(ds, columns, ALL_KINDS, owner, [target, ...exclude]).filter((c) => c !== target);
  if (cols.length === 0) throw new TesseraError('E_SCHEMA', `${owner}: no feature columns besides the target "${target}"`, { column: target });
  const y = encodeTarget(ds, target, task, owner) as Extract<EncodedTarget, { task: T }>;
  return { n: ds.nrows, p: cols.length, columns: cols, target, y };
}

/**
 * The feature matrix at inference time: the fitted columns must be present (`E_NOT_FITTED_COLUMNS`
 * names the absent ones), numeric and complete.
 *
 * @example
 * ```ts
 * const X = inferenceMatrix(ds, fitted.inputColumns, 'FittedRidge');
 * ```
 */
export function inferenceMatrix(ds: Dataset, columns: readonly string[], owner: string, allowMissing = false): Float64Array {
  requireColumns(ds, columns, owner);
  return fastMatrix(ds, columns, owner, allowMissing);
}

/**
 * The row-major feature matrix, filled column by column straight from the typed storage (several
 * times faster than a cell-by-cell read on wide data). Any problem (a non-numeric kind, a missing
 * or infinite value) is handed to `featureMatrix`, which throws its usual error naming the column.
 *
 * @example
 * ```ts
 * const X = fastMatrix(ds, ['a', 'b'], 'Ridge', false);
 * ```
 */
export function fastMatrix(ds: Dataset, columns: readonly string[], owner: string, allowMissing: boolean): Float64Array {
  const n = ds.nrows;
  const p = columns.length;
  const sources: ArrayLike<number>[] = [];
  for (let j = 0; j < p; j++) {
    const col = ds.column(columns[j] as string);
    let bad = false;
    if (col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime') {
      const v = col.values;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        // NaN or ±Infinity
        if (x - x !== 0 && !(allowMissing && Number.isNaN(x))) {
          bad = true;
          break;
        }
      }
      sources.push(v);
    } else if (col.kind === 'boolean') {
      const v = col.values;
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        if (x < 0) {
          if (!allowMissing) bad = true;
          f[i] = Number.NaN;
        } else f[i] = x;
      }
      sources.push(f);
    } else bad = true;
    if (bad) return featureMatrix(ds, columns, { owner, allowMissing }).data;
  }
  // blocks of 256 rows, column by column inside a block (keeps the written rows in cache)
  const X = new Float64Array(n * p);
  for (let s = 0; s < n; s += 256) {
    const e = Math.min(n, s + 256);
    for (let j = 0; j < p; j++) {
      const v = sources[j] as ArrayLike<number>;
      for (let i = s; i < e; i++) X[i * p + j] = v[i] as number;
    }
  }
  return X;
}

/**
 * Column means of a row-major matrix.
 *
 * @example
 * ```ts
 * columnMeans(new Float64Array([1, 2, 3, 4]), 2, 2); // [2, 3]
 * ```
 */
export function columnMeans(X: Float64Array, n: number, p: number): Float64Array {
  const m = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) m[j] = (m[j] as number) + (X[o + j] as number);
  }
  for (let j = 0; j < p; j++) m[j] = (m[j] as number) / n;
  return m;
}

/**
 * Centres a row-major matrix (a new array) and a vector; returns the offsets.
 *
 * @example
 * ```ts
 * const c = centre(X, y, n, p, true); // c.Xc, c.yc, c.xMean, c.yMean
 * ```
 */
export function centre(
  X: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  fitIntercept: boolean,
): { Xc: Float64Array; yc: Float64Array; xMean: Float64Array; yMean: number } {
  if (!fitIntercept) return { Xc: X.slice(), yc: y.slice(), xMean: new Float64Array(p), yMean: 0 };
  const xMean = columnMeans(X, n, p);
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i] as number;
  yMean /= n;
  const Xc = new Float64Array(n * p);
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) Xc[o + j] = (X[o + j] as number) - (xMean[j] as number);
    yc[i] = (y[i] as number) - yMean;
  }
  return { Xc, yc, xMean, yMean };
}

/**
 * The intercept that goes with coefficients fitted on centred data: `ȳ − x̄·w`.
 *
 * @example
 * ```ts
 * interceptFrom(xMean, yMean, coef);
 * ```
 */
export function interceptFrom(xMean: Float64Array, yMean: number, coef: Float64Array): number {
  let s = yMean;
  for (let j = 0; j < coef.length; j++) s -= (xMean[j] as number) * (coef[j] as number);
  return s;
}

/**
 * Serialised state of a fitted linear regressor.
 *
 * @example
 * ```ts
 * const s: LinearState = { columns: ['x'], target: 'y', coef: encodeArray(new Float64Array([2])), intercept: 1 };
 * ```
 */
export interface LinearState {
  columns: string[];
  target: string;
  coef: string;
  intercept: number;
  extra?: Record<string, number | string>;
}

/**
 * A fitted linear regressor: `predict(ds) = X·coef + intercept`. Subclasses name the type.
 *
 * @example
 * ```ts
 * const fitted = await new Ridge().fit(ds, { target: 'y' });
 * fitted.coef; fitted.intercept; fitted.predict(ds);
 * ```
 */
export abstract class FittedLinearRegressor<P extends object> implements FittedModel<Float64Array> {
  readonly kind = 'model' as const;
  abstract readonly type: string;
  readonly tags: Tags;
  readonly params: P;
  readonly inputColumns: readonly string[];
  readonly target: string;
  /** Coefficients, in `inputColumns` order. */
  readonly coef: Float64Array;
  readonly intercept: number;

  constructor(params: P, tags: Tags, columns: readonly string[], target: string, coef: Float64Array, intercept: number) {
    this.params = params;
    this.tags = tags;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.coef = coef;
    this.intercept = intercept;
  }

  predict(ds: Dataset): Float64Array {
    const X = inferenceMatrix(ds, this.inputColumns, this.type);
    return linearPredict(X, ds.nrows, this.coef, this.intercept);
  }

  /** Extra numbers to serialise (subclasses). */
  protected extraState(): Record<string, number | string> | undefined {
    return undefined;
  }

  toJSON(): Serialized<P, LinearState> {
    const state: LinearState = { columns: [...this.inputColumns], target: this.target, coef: encodeArray(this.coef), intercept: this.intercept };
    const extra = this.extraState();
    if (extra) state.extra = extra;
    return { type: this.type, version: 1, params: this.params, state };
  }
}

/**
 * Decodes a {@link LinearState}.
 *
 * @example
 * ```ts
 * const { columns, coef, intercept } = decodeLinear(json.state);
 * ```
 */
export function decodeLinear(state: LinearState): {
  columns: string[];
  target: string;
  coef: Float64Array;
  intercept: number;
  extra: Record<string, number | string>;
} {
  return { columns: [...state.columns], target: state.target, coef: decodeFloat64(state.coef), intercept: state.intercept, extra: state.extra ?? {} };
}

/**
 * `X·w + b` for a row-major matrix.
 *
 * @example
 * ```ts
 * linearPredict(new Float64Array([1, 2]), 2, new Float64Array([3]), 1); // [4, 7]
 * ```
 */
export function linearPredict(X: Float64Array, n: number, w: Float64Array, b: number): Float64Array {
  const p = w.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b;
    const o = i * p;
    for (let j = 0; j < p; j++) s += (X[o + j] as number) * (w[j] as number);
    out[i] = s;
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric `p x p` row-major matrix (ml-matrix, in its order): the
 * eigenvalues clamped at 0 and the eigenvectors `p x p` row-major (column k = vector k).
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen(gram(Xc, n, p), p);
 * ```
 */
export function symmetricEigen(G: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const A = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) A.set(a, c, G[a * p + c] as number);
  const eig = new EigenvalueDecomposition(A, { assumeSymmetric: true });
  const V = eig.eigenvectorMatrix;
  const vectors = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) vectors[j * p + k] = V.get(j, k);
  return { values: Float64Array.from(eig.realEigenvalues, (v) => Math.max(v, 0)), vectors };
}

/**
 * `XᵀX` (p x p, row-major) of a row-major n x p matrix.
 *
 * @example
 * ```ts
 * gram(X, n, p);
 * ```
 */
export function gram(X: Float64Array, n: number, p: number): Float64Array {
  const G = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const xa = X[o + a] as number;
      if (xa === 0) continue;
      const ga = a * p;
      for (let b = a; b < p; b++) G[ga + b] = (G[ga + b] as number) + xa * (X[o + b] as number);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) G[a * p + b] = G[b * p + a] as number;
  return G;
}

/**
 * `Xᵀy` of a row-major n x p matrix.
 *
 * @example
 * ```ts
 * xty(X, y, n, p);
 * ```
 */
export function xty(X: Float64Array, y: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const yi = y[i] as number;
    for (let j = 0; j < p; j++) out[j] = (out[j] as number) + (X[o + j] as number) * yi;
  }
  return out;
}

/**
 * Per-row sample weights from fit options: an array (one finite non-negative weight per row) or
 * the name of a numeric column; all ones when absent.
 *
 * @example
 * ```ts
 * const sw = sampleWeights(ds, options?.sampleWeight, ds.nrows, 'LogisticRegression');
 * ```
 */
export function sampleWeights(ds: Dataset, given: ArrayLike<number> | string | undefined, n: number, owner: string): Float64Array {
  if (given === undefined) return new Float64Array(n).fill(1);
  const w = typeof given === 'string' ? ds.matrix([given]) : Float64Array.from(given as ArrayLike<number>);
  if (w.length !== n) throw new TesseraError('E_SHAPE', `${owner}: ${w.length} sample weights for ${n} rows`, { option: 'sampleWeight' });
  for (let i = 0; i < n; i++) {
    const v = w[i] as number;
    if (!(v >= 0) || !Number.isFinite(v))
      throw new TesseraError('E_OPTION', `${owner}: sample weight at row ${i} is ${v}; weights must be finite and >= 0`, { option: 'sampleWeight', row: i });
  }
  return w;
}
