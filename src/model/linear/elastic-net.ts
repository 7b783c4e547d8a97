import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { centre, decodeLinear, FittedLinearRegressor, interceptFrom, type LinearState, supervisedData } from './common.js';
import { enetCoordinateDescent } from './coordinate-descent.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Penalty strength, > 0 (for no penalty use LinearRegression). Default 1 (scikit-learn's default). */
    alpha: z.number().positive().finite().default(1),
    /** Mix of L1 (1) and L2 (0). Default 0.5. */
    l1Ratio: z.number().min(0).max(1).default(0.5),
    /** Duality-gap tolerance, relative to ‖y‖². Default 1e-4. */
    tol: z.number().positive().default(1e-4),
    /** Maximum passes over the coefficients. Default 1000. */
    maxIter: z.number().int().min(1).max(10_000_000).default(1000),
    /** Fit an (unpenalised) intercept. Default true. */
    fitIntercept: z.boolean().default(true),
  })
  .strict();

/** Options of {@link ElasticNet}. @example `const o: ElasticNetOptions = { alpha: 0.1, l1Ratio: 0.7 };` */
export type ElasticNetOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Elastic net regression by cyclic coordinate descent, as scikit-learn's `ElasticNet` (same
 * objective `1/(2n)‖y − Xw‖² + alpha·l1Ratio·‖w‖₁ + alpha·(1 − l1Ratio)/2·‖w‖²`, same defaults,
 * same duality-gap stopping rule). `fitted.converged` is false when `maxIter` was reached first.
 *
 * @example
 * ```ts
 * import { Dataset, ElasticNet } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3, 4], b: [0, 1, 0, 1], y: [1, 2, 3, 4] });
 * const fitted = await new ElasticNet({ alpha: 0.1 }).fit(ds, { target: 'y' });
 * fitted.coef; fitted.nIter;
 * ```
 */
export class ElasticNet implements Model<FittedElasticNet> {
  readonly kind = 'model' as const;
  readonly type = 'ElasticNet';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: ElasticNetOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedElasticNet> {
    const r = await fitEnet(ds, this.params, this.params.l1Ratio, options, this.type);
    return new FittedElasticNet(this.params, r.columns, r.target, r.w, r.intercept, r.nIter, r.converged);
  }
}

/**
 * Shared fit of {@link ElasticNet} and {@link Lasso}.
 *
 * @example
 * ```ts
 * await fitEnet(ds, params, 1, options, 'Lasso');
 * ```
 */
export async function fitEnet(
  ds: Dataset,
  params: { columns?: string[] | undefined; alpha: number; tol: number; maxIter: number; fitIntercept: boolean },
  l1Ratio: number,
  options: ModelFitOptions | undefined,
  owner: string,
): Promise<{ columns: string[]; target: string; w: Float64Array; intercept: number; nIter: number; converged: boolean }> {
  const d = supervisedData(ds, params.columns, options, owner, 'regression');
  const { Xc, yc, xMean, yMean } = centre(d.X, d.y.y, d.n, d.p, params.fitIntercept);
  const r = await enetCoordinateDescent(Xc, yc, d.n, d.p, params.alpha, l1Ratio, params.tol, params.maxIter, options?.signal);
  options?.onProgress?.({ stage: 'iteration', step: r.nIter, total: params.maxIter, loss: r.gap });
  return { columns: d.columns, target: d.target, w: r.w, intercept: interceptFrom(xMean, yMean, r.w), nIter: r.nIter, converged: r.converged };
}

/**
 * A fitted {@link ElasticNet}.
 *
 * @example
 * ```ts
 * const fitted = await new ElasticNet().fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.converged;
 * ```
 */
export class FittedElasticNet extends FittedLinearRegressor<Params> {
  readonly type = 'FittedElasticNet';
  /** Passes over the coefficients made. */
  readonly nIter: number;
  /** Whether the duality gap fell below the tolerance within `maxIter`. */
  readonly converged: boolean;
  constructor(params: Params, columns: readonly string[], target: string, coef: Float64Array, intercept: number, nIter: number, converged: boolean) {
    super(params, TAGS, columns, target, coef, intercept);
    this.nIter = nIter;
    this.converged = converged;
  }
  protected override extraState(): Record<string, number> {
    return { nIter: this.nIter, converged: this.converged ? 1 : 0 };
  }
  /** Restores from {@link FittedElasticNet.toJSON} output. */
  static fromJSON(json: Serialized): FittedElasticNet {
    const { params, state } = expectType<LinearState, Params>(json, 'FittedElasticNet');
    const s = decodeLinear(state);
    return new FittedElasticNet(
      parseOptions(Options, params, 'ElasticNet'),
      s.columns,
      s.target,
      s.coef,
      s.intercept,
      Number(s.extra.nIter),
      s.extra.converged === 1,
    );
  }
}

registerLoader('FittedElasticNet', 1, FittedElasticNet.fromJSON);
