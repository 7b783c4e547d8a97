import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { inferenceMatrix, supervisedData } from '../linear/common.js';
import type { FittedRegressor } from '../target.js';
import { checkK, KnnOptions, type KnnParams, neighbours } from './common.js';
import { KdTree } from './kd-tree.js';

/** Options of {@link KNeighborsRegressor}. @example `const o: KNeighborsRegressorOptions = { k: 10 };` */
export type KNeighborsRegressorOptions = import('zod').input<typeof KnnOptions>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * k-nearest-neighbours regression, as scikit-learn's `KNeighborsRegressor`: the (weighted) mean
 * target of the `k` nearest training rows.
 *
 * @example
 * ```ts
 * import { Dataset, KNeighborsRegressor } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 10, 11], y: [1, 2, 3, 10, 11] });
 * const fitted = await new KNeighborsRegressor({ k: 2 }).fit(ds, { target: 'y' });
 * fitted.predict(Dataset.from({ x: [10.4] })); // [10.5]
 * ```
 */
export class KNeighborsRegressor implements Model<FittedKNeighborsRegressor> {
  readonly kind = 'model' as const;
  readonly type = 'KNeighborsRegressor';
  readonly tags = TAGS;
  readonly params: KnnParams;

  constructor(options: KNeighborsRegressorOptions = {}) {
    this.params = parseOptions(KnnOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedKNeighborsRegressor> {
    const d = supervisedData(ds, this.params.columns, options, this.type, 'regression');
    checkK(this.params.k, d.n, this.type);
    return new FittedKNeighborsRegressor(this.params, d.columns, d.target, d.X, d.y.y);
  }
}

interface State {
  columns: string[];
  target: string;
  X: string;
  y: string;
}

/**
 * A fitted {@link KNeighborsRegressor} (it keeps the training rows).
 *
 * @example
 * ```ts
 * const fitted = await new KNeighborsRegressor().fit(ds, { target: 'y' });
 * fitted.predict(ds);
 * ```
 */
export class FittedKNeighborsRegressor implements FittedRegressor {
  readonly kind = 'model' as const;
  readonly type = 'FittedKNeighborsRegressor';
  readonly tags = TAGS;
  readonly params: KnnParams;
  readonly inputColumns: readonly string[];
  readonly target: string;
  private readonly X: Float64Array;
  private readonly y: Float64Array;
  private tree: KdTree | undefined;

  constructor(params: KnnParams, columns: readonly string[], target: string, X: Float64Array, y: Float64Array) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.X = X;
    this.y = y;
  }

  predict(ds: Dataset): Float64Array {
    const Q = inferenceMatrix(ds, this.inputColumns, this.type);
    const p = this.inputColumns.length;
    const n = this.y.length;
    if (!this.tree && this.params.algorithm !== 'brute' && (this.params.algorithm === 'kdTree' || p <= 15)) {
      this.tree = new KdTree(this.X, n, p, this.params.leafSize, this.params.metric === 'manhattan');
    }
    const m = ds.nrows;
    const { index, weight, k } = neighbours(this.X, n, p, Q, m, this.params, this.type, this.tree);
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      let ws = 0;
      for (let j = 0; j < k; j++) {
        const w = weight[i * k + j] as number;
        s += w * (this.y[index[i * k + j] as number] as number);
        ws += w;
      }
      out[i] = s / ws;
    }
    return out;
  }

  toJSON(): Serialized<KnnParams, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: { columns: [...this.inputColumns], target: this.target, X: encodeArray(this.X), y: encodeArray(this.y) },
    };
  }

  /** Restores from {@link FittedKNeighborsRegressor.toJSON} output. */
  static fromJSON(json: Serialized): FittedKNeighborsRegressor {
    const { params, state: s } = expectType<State, KnnParams>(json, 'FittedKNeighborsRegressor');
    return new FittedKNeighborsRegressor(parseOptions(KnnOptions, params, 'KNeighborsRegressor'), s.columns, s.target, decodeFloat64(s.X), decodeFloat64(s.y));
  }
}

registerLoader('FittedKNeighborsRegressor', 1, FittedKNeighborsRegressor.fromJSON);
