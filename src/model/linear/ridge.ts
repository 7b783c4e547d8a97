import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { centre, decodeLinear, FittedLinearRegressor, gram, interceptFrom, type LinearState, supervisedData, xty } from './common.js';
import { lstsq } from './lstsq.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** L2 penalty strength (scikit-learn's `alpha`). Default 1. */
    alpha: z.number().min(0).finite().default(1),
    /** Fit an (unpenalised) intercept. Default true. */
    fitIntercept: z.boolean().default(true),
  })
  .strict();

/** Options of {@link Ridge}. @example `const o: RidgeOptions = { alpha: 10 };` */
export type RidgeOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Ridge regression, as scikit-learn's `Ridge` (solver `cholesky`): minimises
 * `‖y − Xw − b‖² + alpha·‖w‖²` by solving `(XᵀX + alpha·I) w = Xᵀy` on centred data. Collinear
 * columns are fine for `alpha > 0`; with `alpha: 0` a singular system falls back to the
 * minimum-norm least-squares solution.
 *
 * @example
 * ```ts
 * import { Dataset, Ridge } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4], y: [3, 5, 7, 9] });
 * const fitted = await new Ridge({ alpha: 1 }).fit(ds, { target: 'y' });
 * fitted.coef; // [1.6667]
 * ```
 */
export class Ridge implements Model<FittedRidge> {
  readonly kind = 'model' as const;
  readonly type = 'Ridge';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: RidgeOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedRidge> {
    const d = supervisedData(ds, this.params.columns, options, this.type, 'regression');
    const { Xc, yc, xMean, yMean } = centre(d.X, d.y.y, d.n, d.p, this.params.fitIntercept);
    const w = ridgeSolve(Xc, yc, d.n, d.p, this.params.alpha);
    return new FittedRidge(this.params, d.columns, d.target, w, interceptFrom(xMean, yMean, w));
  }
}

/**
 * Solves `(XᵀX + alpha·I) w = Xᵀy` by Cholesky (minimum-norm least squares when singular).
 *
 * @example
 * ```ts
 * ridgeSolve(Xc, yc, n, p, 1);
 * ```
 */
export function ridgeSolve(X: Float64Array, y: Float64Array, n: number, p: number, alpha: number): Float64Array {
  const G = gram(X, n, p);
  for (let j = 0; j < p; j++) G[j * p + j] = (G[j * p + j] as number) + alpha;
  const A = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A.set(a, b, G[a * p + b] as number);
  const chol = new CholeskyDecomposition(A);
  if (chol.isPositiveDefinite()) {
    const rhs = xty(X, y, n, p);
    return Float64Array.from(chol.solve(Matrix.columnVector(Array.from(rhs))).getColumn(0));
  }
  return lstsq(X, y, n, p).w;
}

/**
 * A fitted {@link Ridge}.
 *
 * @example
 * ```ts
 * const fitted = await new Ridge().fit(ds, { target: 'y' });
 * fitted.predict(ds);
 * ```
 */
export class FittedRidge extends FittedLinearRegressor<Params> {
  readonly type = 'FittedRidge';
  constructor(params: Params, columns: readonly string[], target: string, coef: Float64Array, intercept: number) {
    super(params, TAGS, columns, target, coef, intercept);
  }
  /** Restores from {@link FittedRidge.toJSON} output. */
  static fromJSON(json: Serialized): FittedRidge {
    const { params, state } = expectType<LinearState, Params>(json, 'FittedRidge');
    const s = decodeLinear(state);
    return new FittedRidge(parseOptions(Options, params, 'Ridge'), s.columns, s.target, s.coef, s.intercept);
  }
}

registerLoader('FittedRidge', 1, FittedRidge.fromJSON);
