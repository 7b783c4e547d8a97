import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import {
  columnMeans,
  decodeLinear,
  FittedLinearRegressor,
  inferenceMatrix,
  interceptFrom,
  type LinearState,
  linearPredict,
  supervisedData,
  symmetricEigen,
} from './common.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Maximum evidence iterations (scikit-learn's `n_iter`). Default 300. */
    maxIter: z.number().int().min(1).max(100_000).default(300),
    /** Stop when the coefficients move less than this (L1). Default 1e-3. */
    tol: z.number().positive().default(1e-3),
    /** Gamma prior shape over the noise precision alpha. Default 1e-6. */
    alpha1: z.number().min(0).default(1e-6),
    /** Gamma prior rate over alpha. Default 1e-6. */
    alpha2: z.number().min(0).default(1e-6),
    /** Gamma prior shape over the weights' precision lambda. Default 1e-6. */
    lambda1: z.number().min(0).default(1e-6),
    /** Gamma prior rate over lambda. Default 1e-6. */
    lambda2: z.number().min(0).default(1e-6),
    /** Initial alpha; default 1 / var(y). */
    alphaInit: z.number().positive().optional(),
    /** Initial lambda; default 1. */
    lambdaInit: z.number().positive().optional(),
    /** Fit an intercept. Default true. */
    fitIntercept: z.boolean().default(true),
  })
  .strict();

/** Options of {@link BayesianRidge}. @example `const o: BayesianRidgeOptions = { maxIter: 500 };` */
export type BayesianRidgeOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Bayesian ridge regression, scikit-learn's `BayesianRidge` algorithm: Gaussian prior on the
 * weights with precision `lambda`, Gaussian noise with precision `alpha`, Gamma hyperpriors
 * (`alpha1`, `alpha2`, `lambda1`, `lambda2`), both precisions re-estimated by MacKay's evidence
 * updates over the eigen-decomposition of `XᵀX`. `predictWithStd` gives the predictive standard
 * deviation (as scikit-learn's `predict(X, return_std=True)`), which multiple imputation samples from.
 *
 * @example
 * ```ts
 * import { BayesianRidge, Dataset } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 5], y: [1.1, 1.9, 3.2, 3.9, 5.1] });
 * const fitted = await new BayesianRidge().fit(ds, { target: 'y' });
 * const { mean, std } = fitted.predictWithStd(ds);
 * ```
 */
export class BayesianRidge implements Model<FittedBayesianRidge> {
  readonly kind = 'model' as const;
  readonly type = 'BayesianRidge';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: BayesianRidgeOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedBayesianRidge> {
    const P = this.params;
    const d = supervisedData(ds, P.columns, options, this.type, 'regression');
    const r = solve(d.X, d.n, d.p, d.y.y, P);
    options?.onProgress?.({ stage: 'iteration', step: r.nIter, total: P.maxIter });
    return new FittedBayesianRidge(P, d.columns, d.target, r.coef, r.intercept, r.alpha, r.lambda, r.nIter, r.sigma);
  }
}

/**
 * Result of {@link fitBayesianRidgeMatrix}: what a fitted {@link BayesianRidge} holds, without the
 * column names.
 *
 * @example
 * ```ts
 * const r: BayesianRidgeMatrixFit = fitBayesianRidgeMatrix(X, n, p, y);
 * r.coef; r.intercept; r.alpha; r.lambda; r.sigma;
 * ```
 */
export interface BayesianRidgeMatrixFit {
  /** Coefficients (p). */
  coef: Float64Array;
  intercept: number;
  /** Estimated precision of the noise. */
  alpha: number;
  /** Estimated precision of the weights. */
  lambda: number;
  /** Evidence iterations made. */
  nIter: number;
  /** Posterior covariance of the coefficients (p x p, row-major). */
  sigma: Float64Array;
}

/**
 * {@link BayesianRidge} on a dense row-major matrix, without a Dataset: the same algorithm and the
 * same numbers as `new BayesianRidge(options).fit(ds, { target })`, for callers that fit many
 * models in a loop. When `n > p` the rows are read for the means and then once for the centred
 * `XᵀX`, `Xᵀy` (see {@link fitBayesianRidgeGram}); every evidence iteration then works on the
 * `p × p` eigen-decomposition only. When `n <= p` it uses the SVD of the centred matrix, as
 * scikit-learn does. Inputs are not modified; the `columns` option does not apply and is refused.
 *
 * @example
 * ```ts
 * import { fitBayesianRidgeMatrix } from 'tessera';
 * const X = new Float64Array([1, 0, 2, 1, 3, 0, 4, 1]); // 4 x 2, row-major
 * const y = new Float64Array([1.1, 2.9, 3.2, 5.1]);
 * const { coef, intercept, alpha } = fitBayesianRidgeMatrix(X, 4, 2, y);
 * ```
 */
export function fitBayesianRidgeMatrix(X: Float64Array, n: number, p: number, y: Float64Array, options: BayesianRidgeOptions = {}): BayesianRidgeMatrixFit {
  const owner = 'fitBayesianRidgeMatrix';
  const P = matrixParams(options, owner);
  checkSize(n, p, owner);
  if (X.length !== n * p) throw new TesseraError('E_SHAPE', `${owner}: X has ${X.length} values, expected n * p = ${n * p}`, { option: 'X' });
  if (y.length !== n) throw new TesseraError('E_SHAPE', `${owner}: y has ${y.length} values, expected n = ${n}`, { option: 'y' });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i] as number)) throw new TesseraError('E_NON_FINITE', `${owner}: y[${i}] is ${y[i]}`, { option: 'y', row: i });
    for (let j = 0; j < p; j++) {
      const v = X[i * p + j] as number;
      if (!Number.isFinite(v))
        throw new TesseraError('E_NON_FINITE', `${owner}: X at row ${i}, column ${j} is ${v}`, { option: 'X', row: i, column: String(j) });
    }
  }
  return solve(X, n, p, y, P);
}

/**
 * Sufficient statistics of a linear fit, for {@link fitBayesianRidgeGram}. With an intercept
 * (the default) `gram`, `xty` and `yty` are those of the centred data and `xMean`, `yMean` the
 * means; without one, those of the raw data, with zero means.
 *
 * @example
 * ```ts
 * const s: BayesianRidgeStats = { n: 100, p: 2, gram, xty, yty, xMean, yMean };
 * ```
 */
export interface BayesianRidgeStats {
  /** Number of rows. */
  n: number;
  /** Number of features. */
  p: number;
  /** `XcᵀXc`, p x p row-major (symmetric). */
  gram: Float64Array;
  /** `Xcᵀyc` (p). */
  xty: Float64Array;
  /** `ycᵀyc`. */
  yty: number;
  /** Column means of X (p). */
  xMean: Float64Array;
  /** Mean of y. */
  yMean: number;
  /** Variance of y, for the initial alpha; default `yty / n` (right when y is centred). */
  yVar?: number;
}

/**
 * {@link BayesianRidge} from sufficient statistics (the centred Gram matrix `XᵀX`, `Xᵀy`, `yᵀy`
 * and the means): one eigen-decomposition of the `p × p` Gram matrix, then the evidence iterations
 * on it, with the residual sum of squares taken from the decomposition
 * (`yᵀy − Σ_k proj_k² (e_k + 2r) / (e_k + r)²`). When that sum is below 1e-6 of `yᵀy` the
 * shortcut loses digits; `exactRss(coef)` (the sum over the rows, centred data) is then asked
 * instead when given (without it the sum is floored at the rounding level of `yᵀy`). Suits callers that can update `XᵀX` cheaply (chained equations, streaming
 * rows); needs `n > p` for scikit-learn's numbers (with `n <= p` use {@link fitBayesianRidgeMatrix}).
 *
 * @example
 * ```ts
 * import { fitBayesianRidgeGram } from 'tessera';
 * // x = [1, 2, 3], y = [2, 4, 6.5]: centred sums
 * const fit = fitBayesianRidgeGram({ n: 3, p: 1, gram: Float64Array.of(2), xty: Float64Array.of(4.5), yty: 10.1667, xMean: Float64Array.of(2), yMean: 4.1667 });
 * fit.coef[0]; // about 2.25
 * ```
 */
export function fitBayesianRidgeGram(
  stats: BayesianRidgeStats,
  options: BayesianRidgeOptions = {},
  exactRss?: (coef: Float64Array) => number,
): BayesianRidgeMatrixFit {
  const owner = 'fitBayesianRidgeGram';
  const P = matrixParams(options, owner);
  const { n, p, gram: G, xty: b, yty, xMean, yMean } = stats;
  checkSize(n, p, owner);
  for (const [name, a, len] of [
    ['gram', G, p * p],
    ['xty', b, p],
    ['xMean', xMean, p],
  ] as const) {
    if (a.length !== len) throw new TesseraError('E_SHAPE', `${owner}: ${name} has ${a.length} values, expected ${len}`, { option: name });
    for (let i = 0; i < len; i++) {
      if (!Number.isFinite(a[i] as number)) throw new TesseraError('E_NON_FINITE', `${owner}: ${name}[${i}] is ${a[i]}`, { option: name });
    }
  }
  for (const [name, v] of [
    ['yty', yty],
    ['yMean', yMean],
    ['yVar', stats.yVar ?? 0],
  ] as const) {
    if (!Number.isFinite(v) || ((name === 'yty' || name === 'yVar') && v < 0)) {
      throw new TesseraError('E_NON_FINITE', `${owner}: ${name} is ${v}; must be finite${name === 'yMean' ? '' : ' and >= 0'}`, { option: name });
    }
  }
  return fromGram(G, b, yty, stats.yVar ?? yty / n, n, p, xMean, yMean, P, exactRss);
}

function matrixParams(options: BayesianRidgeOptions, owner: string): Params {
  const P = parseOptions(Options, options, owner);
  if (P.columns !== undefined) throw new TesseraError('E_OPTION', `${owner}: the columns option does not apply to a matrix`, { option: 'columns' });
  return P;
}

function checkSize(n: number, p: number, owner: string): void {
  if (!Number.isInteger(n) || n < 1) throw new TesseraError('E_SHAPE', `${owner}: n must be a positive integer (got ${n})`, { option: 'n' });
  if (!Number.isInteger(p) || p < 1) throw new TesseraError('E_SHAPE', `${owner}: p must be a positive integer (got ${p})`, { option: 'p' });
}

/** The shared fit on a row-major matrix: means, then the Gram route (n > p) or the SVD route (n <= p). */
function solve(X: Float64Array, n: number, p: number, y: Float64Array, P: Params): BayesianRidgeMatrixFit {
  const xMean = P.fitIntercept ? columnMeans(X, n, p) : new Float64Array(p);
  let yMean = 0;
  if (P.fitIntercept) {
    for (let i = 0; i < n; i++) yMean += y[i] as number;
    yMean /= n;
  }
  let yVar: number | undefined;
  if (!P.fitIntercept) {
    // the initial alpha is 1 / var(y) around y's mean, even without an intercept
    let mu = 0;
    for (let i = 0; i < n; i++) mu += y[i] as number;
    mu /= n;
    yVar = 0;
    for (let i = 0; i < n; i++) yVar += ((y[i] as number) - mu) ** 2;
    yVar /= n;
  }
  const exact = (coef: Float64Array) => exactRss(X, n, p, y, coef, xMean, yMean);
  if (n > p) {
    const { G, b, yy } = centredGram(X, n, p, y, xMean, yMean);
    return fromGram(G, b, yy, yVar ?? yy / n, n, p, xMean, yMean, P, exact);
  }
  const A = new Matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A.set(i, j, (X[i * p + j] as number) - (xMean[j] as number));
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const m = Math.min(n, p);
  const e = Float64Array.from(svd.diagonal.slice(0, m), (s) => s * s);
  const V = svd.rightSingularVectors;
  const U = svd.leftSingularVectors;
  const proj = new Float64Array(m);
  let yy = 0;
  for (let i = 0; i < n; i++) yy += ((y[i] as number) - yMean) ** 2;
  for (let k = 0; k < m; k++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += U.get(i, k) * ((y[i] as number) - yMean);
    proj[k] = t;
  }
  const Vd = new Float64Array(p * m);
  for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) Vd[j * m + k] = V.get(j, k);
  return evidence(e, Vd, proj, true, yy, yVar ?? yy / n, n, p, xMean, yMean, P, exact);
}

/** Eigen-decomposition of the centred Gram matrix, then the evidence iterations. */
function fromGram(
  G: Float64Array,
  b: Float64Array,
  yy: number,
  yVar: number,
  n: number,
  p: number,
  xMean: Float64Array,
  yMean: number,
  P: Params,
  exact: ((coef: Float64Array) => number) | undefined,
): BayesianRidgeMatrixFit {
  const { values: e, vectors: Vd } = symmetricEigen(G, p);
  const proj = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let t = 0;
    for (let j = 0; j < p; j++) t += (Vd[j * p + k] as number) * (b[j] as number);
    proj[k] = t;
  }
  return evidence(e, Vd, proj, false, yy, yVar, n, p, xMean, yMean, P, exact);
}

/**
 * MacKay's evidence iterations over a spectral decomposition: eigenvalues `e` (m), eigenvectors `Vd`
 * (p x m row-major), projections `proj` (`Vᵀ Xcᵀ yc`, or `Uᵀ yc` when `viaSvd`). No allocation per
 * iteration (two coefficient buffers swap).
 */
function evidence(
  e: Float64Array,
  Vd: Float64Array,
  proj: Float64Array,
  viaSvd: boolean,
  yy: number,
  yVar: number,
  n: number,
  p: number,
  xMean: Float64Array,
  yMean: number,
  P: Params,
  exact: ((coef: Float64Array) => number) | undefined,
): BayesianRidgeMatrixFit {
  const m = e.length;
  // n > p: w = V diag(1/(e + r)) proj; n <= p: w = V diag(s/(e + r)) Uᵀy. The fitted values have
  // coordinates proj_k·e_k/(e_k + r) (n > p: over sqrt(e_k)) on an orthonormal basis, so
  // rss = yᵀy − Σ proj_k² (e_k + 2r)/(e_k + r)² (n <= p: times e_k); exact pass when tiny.
  const fk = new Float64Array(m);
  const coefFor = (alpha: number, lambda: number, coef: Float64Array): number => {
    const r = lambda / alpha;
    let explained = 0;
    for (let k = 0; k < m; k++) {
      const ek = e[k] as number;
      const pk = proj[k] as number;
      const inv = 1 / (ek + r);
      fk[k] = viaSvd ? Math.sqrt(ek) * pk * inv : pk * inv;
      explained += (viaSvd ? ek : 1) * pk * pk * (ek + 2 * r) * inv * inv;
    }
    for (let j = 0; j < p; j++) {
      let t = 0;
      const o = j * m;
      for (let k = 0; k < m; k++) t += (fk[k] as number) * (Vd[o + k] as number);
      coef[j] = t;
    }
    const rss = yy - explained;
    if (rss > 1e-6 * yy) return rss;
    // cancellation: ask for the exact sum, else keep a floor at the rounding level of yᵀy
    return exact ? exact(coef) : Math.max(rss, 2.220446049250313e-16 * yy);
  };
  let alpha = P.alphaInit ?? 1 / (yVar + 2.220446049250313e-16);
  let lambda = P.lambdaInit ?? 1;
  let coef = new Float64Array(p);
  let old = new Float64Array(p);
  let iter = 0;
  for (; iter < P.maxIter; iter++) {
    const rss = coefFor(alpha, lambda, coef);
    let gamma = 0;
    for (let k = 0; k < m; k++) gamma += (alpha * (e[k] as number)) / (lambda + alpha * (e[k] as number));
    let w2 = 0;
    for (let j = 0; j < p; j++) w2 += (coef[j] as number) ** 2;
    lambda = (gamma + 2 * P.lambda1) / (w2 + 2 * P.lambda2);
    alpha = (n - gamma + 2 * P.alpha1) / (rss + 2 * P.alpha2);
    if (iter !== 0) {
      let d = 0;
      for (let j = 0; j < p; j++) d += Math.abs((old[j] as number) - (coef[j] as number));
      if (d < P.tol) break;
    }
    const t = old;
    old = coef;
    coef = t;
  }
  const nIter = Math.min(iter + 1, P.maxIter);
  coefFor(alpha, lambda, coef);
  const sigma = new Float64Array(p * p);
  const r = lambda / alpha;
  for (let k = 0; k < m; k++) {
    const f = 1 / ((e[k] as number) + r) / alpha;
    for (let a = 0; a < p; a++) {
      const va = (Vd[a * m + k] as number) * f;
      if (va === 0) continue;
      for (let c = 0; c < p; c++) sigma[a * p + c] = (sigma[a * p + c] as number) + va * (Vd[c * m + k] as number);
    }
  }
  return { coef, intercept: interceptFrom(xMean, yMean, coef), alpha, lambda, nIter, sigma };
}

/** Centred `XᵀX` (p x p), `Xᵀy` and `yᵀy` in one pass over the rows (no centred copy of X). */
function centredGram(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  xMean: Float64Array,
  yMean: number,
): { G: Float64Array; b: Float64Array; yy: number } {
  const G = new Float64Array(p * p);
  const b = new Float64Array(p);
  const c = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const yi = (y[i] as number) - yMean;
    yy += yi * yi;
    for (let j = 0; j < p; j++) {
      const v = (X[o + j] as number) - (xMean[j] as number);
      c[j] = v;
      b[j] = (b[j] as number) + v * yi;
    }
    for (let a = 0; a < p; a++) {
      const ca = c[a] as number;
      if (ca === 0) continue;
      const ga = a * p;
      for (let d = a; d < p; d++) G[ga + d] = (G[ga + d] as number) + ca * (c[d] as number);
    }
  }
  for (let a = 0; a < p; a++) for (let d = 0; d < a; d++) G[a * p + d] = G[d * p + a] as number;
  return { G, b, yy };
}

/** `Σ (yc − Xc·w)²` by a pass over the rows. */
function exactRss(X: Float64Array, n: number, p: number, y: Float64Array, w: Float64Array, xMean: Float64Array, yMean: number): number {
  const off = interceptFrom(xMean, yMean, w);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let t = (y[i] as number) - off;
    for (let j = 0; j < p; j++) t -= (X[o + j] as number) * (w[j] as number);
    rss += t * t;
  }
  return rss;
}

/**
 * A fitted {@link BayesianRidge}: `alpha` (noise precision), `lambda` (weights' precision),
 * `sigma` (posterior covariance of the weights, p x p row-major).
 *
 * @example
 * ```ts
 * const fitted = await new BayesianRidge().fit(ds, { target: 'y' });
 * fitted.predictWithStd(ds).std;
 * ```
 */
export class FittedBayesianRidge extends FittedLinearRegressor<Params> {
  readonly type = 'FittedBayesianRidge';
  /** Estimated precision of the noise. */
  readonly alpha: number;
  /** Estimated precision of the weights. */
  readonly lambda: number;
  /** Evidence iterations made. */
  readonly nIter: number;
  /** Posterior covariance of the coefficients (p x p, row-major). */
  readonly sigma: Float64Array;
  constructor(
    params: Params,
    columns: readonly string[],
    target: string,
    coef: Float64Array,
    intercept: number,
    alpha: number,
    lambda: number,
    nIter: number,
    sigma: Float64Array,
  ) {
    super(params, TAGS, columns, target, coef, intercept);
    this.alpha = alpha;
    this.lambda = lambda;
    this.nIter = nIter;
    this.sigma = sigma;
  }

  /**
   * Predictive mean and standard deviation per row: `std = sqrt(xᵀ Σ x + 1/alpha)`, computed on
   * the raw feature values exactly as scikit-learn 1.2's `predict(X, return_std=True)` does.
   *
   * @example
   * ```ts
   * const { mean, std } = fitted.predictWithStd(ds);
   * ```
   */
  predictWithStd(ds: Dataset): { mean: Float64Array; std: Float64Array } {
    const X = inferenceMatrix(ds, this.inputColumns, this.type);
    const n = ds.nrows;
    const p = this.coef.length;
    const mean = linearPredict(X, n, this.coef, this.intercept);
    const std = new Float64Array(n);
    const S = this.sigma;
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let q = 0;
      for (let a = 0; a < p; a++) {
        let t = 0;
        for (let b = 0; b < p; b++) t += (X[o + b] as number) * (S[b * p + a] as number);
        q += t * (X[o + a] as number);
      }
      std[i] = Math.sqrt(q + 1 / this.alpha);
    }
    return { mean, std };
  }

  protected override extraState(): Record<string, number | string> {
    return { alpha: this.alpha, lambda: this.lambda, nIter: this.nIter, sigma: encodeArray(this.sigma) };
  }

  /** Restores from {@link FittedBayesianRidge.toJSON} output. */
  static fromJSON(json: Serialized): FittedBayesianRidge {
    const { params, state } = expectType<LinearState, Params>(json, 'FittedBayesianRidge');
    const s = decodeLinear(state);
    const x = s.extra;
    return new FittedBayesianRidge(
      parseOptions(Options, params, 'BayesianRidge'),
      s.columns,
      s.target,
      s.coef,
      s.intercept,
      Number(x.alpha),
      Number(x.lambda),
      Number(x.nIter),
      decodeFloat64(x.sigma),
    );
  }
}

registerLoader('FittedBayesianRidge', 1, FittedBayesianRidge.fromJSON);
