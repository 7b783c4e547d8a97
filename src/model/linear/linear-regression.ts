import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { centre, decodeLinear, FittedLinearRegressor, interceptFrom, type LinearState, supervisedData } from './common.js';
import { lstsq } from './lstsq.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target (non-numeric ones are refused by name). */
    columns: z.array(z.string()).optional(),
    /** Fit an intercept (centre X and y first). Default true. */
    fitIntercept: z.boolean().default(true),
  })
  .strict();

/** Options of {@link LinearRegression}. @example `const o: LinearRegressionOptions = { fitIntercept: false };` */
export type LinearRegressionOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Ordinary least squares, as scikit-learn's `LinearRegression`: Householder QR on the centred data
 * when the columns are linearly independent; otherwise (perfectly collinear columns, or more
 * columns than rows) the minimum-norm least-squares solution from the SVD, as `numpy.linalg.lstsq`
 * gives, with the rank found in `fitted.rank`.
 *
 * @example
 * ```ts
 * import { Dataset, LinearRegression } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4], y: [3, 5, 7, 9] });
 * const fitted = await new LinearRegression().fit(ds, { target: 'y' });
 * fitted.coef; // [2]
 * fitted.intercept; // 1
 * ```
 */
export class LinearRegression implements Model<FittedLinearRegression> {
  readonly kind = 'model' as const;
  readonly type = 'LinearRegression';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: LinearRegressionOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedLinearRegression> {
    const d = supervisedData(ds, this.params.columns, options, this.type, 'regression');
    const { Xc, yc, xMean, yMean } = centre(d.X, d.y.y, d.n, d.p, this.params.fitIntercept);
    const { w, rank } = lstsq(Xc, yc, d.n, d.p);
    return new FittedLinearRegression(this.params, d.columns, d.target, w, interceptFrom(xMean, yMean, w), rank);
  }
}

/**
 * A fitted {@link LinearRegression}.
 *
 * @example
 * ```ts
 * const fitted = await new LinearRegression().fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.rank;
 * ```
 */
export class FittedLinearRegression extends FittedLinearRegressor<Params> {
  readonly type = 'FittedLinearRegression';
  /** Numerical rank of the (centred) design matrix; below the number of columns when some are collinear. */
  readonly rank: number;
  constructor(params: Params, columns: readonly string[], target: string, coef: Float64Array, intercept: number, rank: number) {
    super(params, TAGS, columns, target, coef, intercept);
    this.rank = rank;
  }
  protected override extraState(): Record<string, number> {
    return { rank: this.rank };
  }
  /** Restores from {@link FittedLinearRegression.toJSON} output. */
  static fromJSON(json: Serialized): FittedLinearRegression {
    const { params, state } = expectType<LinearState, Params>(json, 'FittedLinearRegression');
    const s = decodeLinear(state);
    return new FittedLinearRegression(parseOptions(Options, params, 'LinearRegression'), s.columns, s.target, s.coef, s.intercept, Number(s.extra.rank));
  }
}

registerLoader('FittedLinearRegression', 1, FittedLinearRegression.fromJSON);
