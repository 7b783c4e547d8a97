import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { decodeLinear, FittedLinearRegressor, type LinearState } from './common.js';
import { fitEnet } from './elastic-net.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** L1 penalty strength. Default 1 (scikit-learn's default). */
    alpha: z.number().positive().finite().default(1),
    /** Duality-gap tolerance, relative to ‖y‖². Default 1e-4. */
    tol: z.number().positive().default(1e-4),
    /** Maximum passes over the coefficients. Default 1000. */
    maxIter: z.number().int().min(1).max(10_000_000).default(1000),
    /** Fit an (unpenalised) intercept. Default true. */
    fitIntercept: z.boolean().default(true),
  })
  .strict();

/** Options of {@link Lasso}. @example `const o: LassoOptions = { alpha: 0.1 };` */
export type LassoOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Lasso regression (L1 penalty) by cyclic coordinate descent, as scikit-learn's `Lasso`: minimises
 * `1/(2n)‖y − Xw‖² + alpha·‖w‖₁`; the elastic net with `l1Ratio: 1`.
 *
 * @example
 * ```ts
 * import { Dataset, Lasso } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3, 4], noise: [0.1, -0.2, 0.05, 0], y: [2, 4, 6, 8] });
 * const fitted = await new Lasso({ alpha: 0.1 }).fit(ds, { target: 'y' });
 * fitted.coef; // noise's coefficient is exactly 0
 * ```
 */
export class Lasso implements Model<FittedLasso> {
  readonly kind = 'model' as const;
  readonly type = 'Lasso';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: LassoOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedLasso> {
    const r = await fitEnet(ds, this.params, 1, options, this.type);
    return new FittedLasso(this.params, r.columns, r.target, r.w, r.intercept, r.nIter, r.converged);
  }
}

/**
 * A fitted {@link Lasso}.
 *
 * @example
 * ```ts
 * const fitted = await new Lasso().fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.nIter;
 * ```
 */
export class FittedLasso extends FittedLinearRegressor<Params> {
  readonly type = 'FittedLasso';
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
  /** Restores from {@link FittedLasso.toJSON} output. */
  static fromJSON(json: Serialized): FittedLasso {
    const { params, state } = expectType<LinearState, Params>(json, 'FittedLasso');
    const s = decodeLinear(state);
    return new FittedLasso(parseOptions(Options, params, 'Lasso'), s.columns, s.target, s.coef, s.intercept, Number(s.extra.nIter), s.extra.converged === 1);
  }
}

registerLoader('FittedLasso', 1, FittedLasso.fromJSON);
