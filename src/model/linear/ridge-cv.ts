import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { centre, decodeLinear, FittedLinearRegressor, gram, interceptFrom, type LinearState, supervisedData, symmetricEigen } from './common.js';

/** 25 values from 1e-3 to 1e3, evenly spaced in log scale (4 per decade). */
const DEFAULT_ALPHAS = Array.from({ length: 25 }, (_, i) => 10 ** (-3 + i / 4));

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Candidate penalties (each > 0). Default 25 values from 1e-3 to 1e3 (log-spaced). */
    alphas: z.array(z.number().positive().finite()).min(1).max(1000).default(DEFAULT_ALPHAS),
    /** Fit an (unpenalised) intercept. Default true. */
    fitIntercept: z.boolean().default(true),
  })
  .strict();

/** Options of {@link RidgeCV}. @example `const o: RidgeCVOptions = { alphas: [0.1, 1, 10] };` */
export type RidgeCVOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Ridge regression with the penalty chosen by exact leave-one-out cross-validation, as
 * scikit-learn's `RidgeCV` (its default "gcv" mode, squared error): one eigendecomposition of the
 * centred `XᵀX` gives, for every candidate `alpha`, the fitted values and the hat-matrix diagonal,
 * so each LOO residual `(yᵢ − ŷᵢ) / (1 − hᵢᵢ)` costs O(p) per row and alpha. The alpha with the
 * smallest mean squared LOO residual wins (the first on ties); the fit is then the usual ridge
 * solution for it. Default grid: 25 values from 1e-3 to 1e3 (scikit-learn's default is 0.1, 1, 10;
 * a wider grid costs little here).
 *
 * @example
 * ```ts
 * import { Dataset, RidgeCV } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 5], z: [2, 1, 4, 3, 6], y: [3.1, 4.9, 7.2, 8.8, 11.1] });
 * const fitted = await new RidgeCV().fit(ds, { target: 'y' });
 * fitted.alpha; fitted.coef; fitted.predict(ds);
 * ```
 */
export class RidgeCV implements Model<FittedRidgeCV> {
  readonly kind = 'model' as const;
  readonly type = 'RidgeCV';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: RidgeCVOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedRidgeCV> {
    const d = supervisedData(ds, this.params.columns, options, this.type, 'regression');
    const { n, p } = d;
    const { Xc, yc, xMean, yMean } = centre(d.X, d.y.y, n, p, this.params.fitIntercept);
    const G = gram(Xc, n, p);
    const { values: s, vectors: Vf } = symmetricEigen(G, p);
    // Q = Xc V (n x p), c = Qᵀ yc
    const Q = new Float64Array(n * p);
    const c = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const o = i * p;
      const yi = yc[i] as number;
      for (let a = 0; a < p; a++) {
        const x = Xc[o + a] as number;
        if (x === 0) continue;
        const vo = a * p;
        for (let k = 0; k < p; k++) Q[o + k] = (Q[o + k] as number) + x * (Vf[vo + k] as number);
      }
      for (let k = 0; k < p; k++) c[k] = (c[k] as number) + (Q[o + k] as number) * yi;
    }
    const h0 = this.params.fitIntercept ? 1 / n : 0;
    const inv = new Float64Array(p);
    let bestAlpha = this.params.alphas[0] as number;
    let bestLoo = Number.POSITIVE_INFINITY;
    const looMse: number[] = [];
    for (const alpha of this.params.alphas) {
      for (let k = 0; k < p; k++) inv[k] = 1 / ((s[k] as number) + alpha);
      let sse = 0;
      for (let i = 0; i < n; i++) {
        const o = i * p;
        let fit = 0;
        let h = h0;
        for (let k = 0; k < p; k++) {
          const q = Q[o + k] as number;
          const ik = inv[k] as number;
          fit += q * (c[k] as number) * ik;
          h += q * q * ik;
        }
        const e = ((yc[i] as number) - fit) / (1 - h);
        sse += e * e;
      }
      const mse = sse / n;
      looMse.push(mse);
      if (mse < bestLoo) {
        bestLoo = mse;
        bestAlpha = alpha;
      }
    }
    // w = V diag(1/(s + alpha)) c
    const w = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      const b = (c[k] as number) / ((s[k] as number) + bestAlpha);
      for (let a = 0; a < p; a++) w[a] = (w[a] as number) + (Vf[a * p + k] as number) * b;
    }
    return new FittedRidgeCV(this.params, d.columns, d.target, w, interceptFrom(xMean, yMean, w), bestAlpha, looMse);
  }
}

/**
 * A fitted {@link RidgeCV}: `alpha` is the chosen penalty, `looMse` the mean squared LOO residual
 * of every candidate (in `params.alphas` order).
 *
 * @example
 * ```ts
 * const fitted = await new RidgeCV({ alphas: [0.1, 1, 10] }).fit(ds, { target: 'y' });
 * fitted.alpha; fitted.looMse; fitted.predict(ds);
 * ```
 */
export class FittedRidgeCV extends FittedLinearRegressor<Params> {
  readonly type = 'FittedRidgeCV';
  /** The chosen penalty. */
  readonly alpha: number;
  /** Mean squared leave-one-out residual per candidate alpha. */
  readonly looMse: readonly number[];
  constructor(params: Params, columns: readonly string[], target: string, coef: Float64Array, intercept: number, alpha: number, looMse: readonly number[]) {
    super(params, TAGS, columns, target, coef, intercept);
    this.alpha = alpha;
    this.looMse = Object.freeze([...looMse]);
  }

  protected override extraState(): Record<string, number | string> {
    return { alpha: this.alpha, looMse: JSON.stringify(this.looMse) };
  }

  /** Restores from {@link FittedRidgeCV.toJSON} output. */
  static fromJSON(json: Serialized): FittedRidgeCV {
    const { params, state } = expectType<LinearState, Params>(json, 'FittedRidgeCV');
    const s = decodeLinear(state);
    const loo = JSON.parse(String(s.extra.looMse ?? '[]')) as (number | null)[];
    return new FittedRidgeCV(
      parseOptions(Options, params, 'RidgeCV'),
      s.columns,
      s.target,
      s.coef,
      s.intercept,
      Number(s.extra.alpha),
      loo.map((v) => (v === null ? Number.NaN : v)),
    );
  }
}

registerLoader('FittedRidgeCV', 1, FittedRidgeCV.fromJSON);
