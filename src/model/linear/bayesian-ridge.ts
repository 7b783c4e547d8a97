import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import {
  centre,
  decodeLinear,
  FittedLinearRegressor,
  gram,
  inferenceMatrix,
  interceptFrom,
  type LinearState,
  linearPredict,
  supervisedData,
  xty,
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
    const { n, p } = d;
    const { Xc, yc, xMean, yMean } = centre(d.X, d.y.y, n, p, P.fitIntercept);
    // Spectral decomposition: V (p x m, column k = eigenvector) and eigenvalues e (= squared singular values of Xc).
    let e: Float64Array;
    let V: Matrix;
    let U: Matrix | undefined;
    if (n > p) {
      const G = gram(Xc, n, p);
      const A = new Matrix(p, p);
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A.set(a, b, G[a * p + b] as number);
      const eig = new EigenvalueDecomposition(A, { assumeSymmetric: true });
      e = Float64Array.from(eig.realEigenvalues, (v) => Math.max(v, 0));
      V = eig.eigenvectorMatrix;
    } else {
      const A = new Matrix(n, p);
      for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A.set(i, j, Xc[i * p + j] as number);
      const svd = new SingularValueDecomposition(A, { autoTranspose: true });
      const m = Math.min(n, p);
      e = Float64Array.from(svd.diagonal.slice(0, m), (s) => s * s);
      V = svd.rightSingularVectors.subMatrix(0, p - 1, 0, m - 1);
      U = svd.leftSingularVectors.subMatrix(0, n - 1, 0, m - 1);
    }
    const m = e.length;
    const Vt = V.transpose();
    // projections: c = Vᵀ Xᵀy (n > p), or Uᵀy (n <= p)
    let proj: Float64Array;
    if (U) {
      proj = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += U.get(i, k) * (yc[i] as number);
        proj[k] = s;
      }
    } else {
      const b = xty(Xc, yc, n, p);
      proj = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += Vt.get(k, j) * (b[j] as number);
        proj[k] = s;
      }
    }
    const coefFor = (alpha: number, lambda: number): { coef: Float64Array; rss: number } => {
      const coef = new Float64Array(p);
      const r = lambda / alpha;
      for (let k = 0; k < m; k++) {
        // n > p: w = V diag(1/(e + r)) Vᵀ Xᵀy; n <= p: w = Xᵀ U diag(1/(e + r)) Uᵀ y = V diag(s/(e + r)) Uᵀ y
        const f = U ? (Math.sqrt(e[k] as number) * (proj[k] as number)) / ((e[k] as number) + r) : (proj[k] as number) / ((e[k] as number) + r);
        for (let j = 0; j < p; j++) coef[j] = (coef[j] as number) + f * V.get(j, k);
      }
      const pred = linearPredict(Xc, n, coef, 0);
      let rss = 0;
      for (let i = 0; i < n; i++) rss += ((yc[i] as number) - (pred[i] as number)) ** 2;
      return { coef, rss };
    };
    let varY = 0;
    for (let i = 0; i < n; i++) varY += (yc[i] as number) ** 2;
    if (!P.fitIntercept) {
      let mu = 0;
      for (let i = 0; i < n; i++) mu += yc[i] as number;
      mu /= n;
      varY = 0;
      for (let i = 0; i < n; i++) varY += ((yc[i] as number) - mu) ** 2;
    }
    varY /= n;
    let alpha = P.alphaInit ?? 1 / (varY + 2.220446049250313e-16);
    let lambda = P.lambdaInit ?? 1;
    let old: Float64Array | undefined;
    let iter = 0;
    for (; iter < P.maxIter; iter++) {
      const { coef, rss } = coefFor(alpha, lambda);
      let gamma = 0;
      for (let k = 0; k < m; k++) gamma += (alpha * (e[k] as number)) / (lambda + alpha * (e[k] as number));
      let w2 = 0;
      for (let j = 0; j < p; j++) w2 += (coef[j] as number) ** 2;
      lambda = (gamma + 2 * P.lambda1) / (w2 + 2 * P.lambda2);
      alpha = (n - gamma + 2 * P.alpha1) / (rss + 2 * P.alpha2);
      if (iter !== 0 && old) {
        let d = 0;
        for (let j = 0; j < p; j++) d += Math.abs((old[j] as number) - (coef[j] as number));
        if (d < P.tol) break;
      }
      old = coef;
    }
    const nIter = Math.min(iter + 1, P.maxIter);
    const { coef } = coefFor(alpha, lambda);
    const sigma = new Float64Array(p * p);
    const r = lambda / alpha;
    for (let k = 0; k < m; k++) {
      const f = 1 / ((e[k] as number) + r) / alpha;
      for (let a = 0; a < p; a++) {
        const va = V.get(a, k) * f;
        for (let b = 0; b < p; b++) sigma[a * p + b] = (sigma[a * p + b] as number) + va * V.get(b, k);
      }
    }
    options?.onProgress?.({ stage: 'iteration', step: nIter, total: P.maxIter });
    return new FittedBayesianRidge(P, d.columns, d.target, coef, interceptFrom(xMean, yMean, coef), alpha, lambda, nIter, sigma);
  }
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
