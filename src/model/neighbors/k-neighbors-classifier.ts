import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { inferenceMatrix, supervisedData } from '../linear/common.js';
import { type ClassLabel, type FittedClassifier, probaToLabels } from '../target.js';
import { checkK, KnnOptions, type KnnParams, neighbours } from './common.js';
import { KdTree } from './kd-tree.js';

/** Options of {@link KNeighborsClassifier}. @example `const o: KNeighborsClassifierOptions = { k: 7, weights: 'distance' };` */
export type KNeighborsClassifierOptions = import('zod').input<typeof KnnOptions>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * k-nearest-neighbours classification, as scikit-learn's `KNeighborsClassifier`: the class
 * probabilities are the (weighted) shares of the `k` nearest training rows; neighbours are found
 * with a k-d tree in low dimensions, by brute force otherwise. Scale the features first.
 *
 * @example
 * ```ts
 * import { Dataset, KNeighborsClassifier } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.1, 0.2, 5, 5.1, 5.2], y: ['a', 'a', 'a', 'b', 'b', 'b'] });
 * const fitted = await new KNeighborsClassifier({ k: 3 }).fit(ds, { target: 'y' });
 * fitted.predict(Dataset.from({ x: [4.9] })); // ['b']
 * ```
 */
export class KNeighborsClassifier implements Model<FittedKNeighborsClassifier> {
  readonly kind = 'model' as const;
  readonly type = 'KNeighborsClassifier';
  readonly tags = TAGS;
  readonly params: KnnParams;

  constructor(options: KNeighborsClassifierOptions = {}) {
    this.params = parseOptions(KnnOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedKNeighborsClassifier> {
    const d = supervisedData(ds, this.params.columns, options, this.type, 'classification');
    checkK(this.params.k, d.n, this.type);
    return new FittedKNeighborsClassifier(this.params, d.columns, d.target, d.y.classes, d.X, d.y.y);
  }
}

interface State {
  columns: string[];
  target: string;
  classes: ClassLabel[];
  X: string;
  y: string;
}

/**
 * A fitted {@link KNeighborsClassifier} (it keeps the training rows).
 *
 * @example
 * ```ts
 * const fitted = await new KNeighborsClassifier().fit(ds, { target: 'y' });
 * fitted.predictProba(ds);
 * ```
 */
export class FittedKNeighborsClassifier implements FittedClassifier {
  readonly kind = 'model' as const;
  readonly type = 'FittedKNeighborsClassifier';
  readonly tags = TAGS;
  readonly params: KnnParams;
  readonly inputColumns: readonly string[];
  readonly target: string;
  readonly classes: readonly ClassLabel[];
  private readonly X: Float64Array;
  private readonly y: Int32Array;
  private tree: KdTree | undefined;

  constructor(params: KnnParams, columns: readonly string[], target: string, classes: readonly ClassLabel[], X: Float64Array, y: Int32Array) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.classes = Object.freeze([...classes]);
    this.X = X;
    this.y = y;
  }

  predictProba(ds: Dataset): Float64Array {
    const Q = inferenceMatrix(ds, this.inputColumns, this.type);
    const p = this.inputColumns.length;
    const n = this.y.length;
    if (!this.tree && this.params.algorithm !== 'brute' && (this.params.algorithm === 'kdTree' || p <= 15)) {
      this.tree = new KdTree(this.X, n, p, this.params.leafSize, this.params.metric === 'manhattan');
    }
    const m = ds.nrows;
    const { index, weight, k } = neighbours(this.X, n, p, Q, m, this.params, this.type, this.tree);
    const nc = this.classes.length;
    const out = new Float64Array(m * nc);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const c = this.y[index[i * k + j] as number] as number;
        const w = weight[i * k + j] as number;
        out[i * nc + c] = (out[i * nc + c] as number) + w;
        s += w;
      }
      for (let c = 0; c < nc; c++) out[i * nc + c] = (out[i * nc + c] as number) / s;
    }
    return out;
  }

  predict(ds: Dataset): ClassLabel[] {
    return probaToLabels(this.predictProba(ds), this.classes);
  }

  toJSON(): Serialized<KnnParams, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: { columns: [...this.inputColumns], target: this.target, classes: [...this.classes], X: encodeArray(this.X), y: encodeArray(this.y) },
    };
  }

  /** Restores from {@link FittedKNeighborsClassifier.toJSON} output. */
  static fromJSON(json: Serialized): FittedKNeighborsClassifier {
    const { params, state: s } = expectType<State, KnnParams>(json, 'FittedKNeighborsClassifier');
    return new FittedKNeighborsClassifier(
      parseOptions(KnnOptions, params, 'KNeighborsClassifier'),
      s.columns,
      s.target,
      s.classes,
      decodeFloat64(s.X),
      decodeInt32(s.y),
    );
  }
}

registerLoader('FittedKNeighborsClassifier', 1, FittedKNeighborsClassifier.fromJSON);
