import { TesseraError } from '../../core/errors.js';
import type { FittedModel, Model, Serialized } from '../../core/protocol.js';
import { load } from '../../core/serialize.js';
import { Dataset } from '../../dataset/dataset.js';
import { BayesianRidge, type BayesianRidgeStats, FittedBayesianRidge, fitBayesianRidgeGram, fitBayesianRidgeMatrix } from '../../model/index.js';

/**
 * The per-column models of {@link IterativeImputer}, behind a small internal interface so that any
 * tessera Model can serve (BayesianRidge / LogisticRegression, random forests). Matrices are dense row-major `m × q`.
 */
export interface ColumnRegressor {
  /** Predicted means and, when asked and the model has them, predictive standard deviations. */
  predict(A: Float64Array, m: number, q: number, withStd?: boolean): { mean: Float64Array; std: Float64Array | undefined };
  toJSON(): LearnerState;
}

/** A per-column classifier: class probabilities over the column's fitted levels (`m × L`). */
export interface ColumnClassifier {
  proba(A: Float64Array, m: number, q: number): Float64Array;
  toJSON(): LearnerState;
}

/** Serialised form of a column model. */
export type LearnerState =
  | { kind: 'constant'; values: number[] }
  | { kind: 'model'; task: 'regression' | 'classification'; L: number; classes: number[]; json: Serialized };

/** Fits per-column models. */
export interface ColumnLearner {
  readonly name: string;
  fitRegressor(A: Float64Array, m: number, q: number, y: Float64Array, seed: number): Promise<ColumnRegressor>;
  fitClassifier(A: Float64Array, m: number, q: number, y: Int32Array, L: number, seed: number): Promise<ColumnClassifier>;
  /** Optional fast route for regressors fitted from sufficient statistics (centred Gram matrix); used when `m > q`. */
  fitRegressorGram?(stats: BayesianRidgeStats, exactRss: (coef: Float64Array) => number): ColumnRegressor;
}

/** A model that predicts one constant (a mean, or fixed class probabilities). */
export class ConstantModel implements ColumnRegressor, ColumnClassifier {
  constructor(private readonly values: Float64Array) {}
  predict(_A: Float64Array, m: number): { mean: Float64Array; std: Float64Array | undefined } {
    return { mean: new Float64Array(m).fill(this.values[0] as number), std: undefined };
  }
  proba(_A: Float64Array, m: number): Float64Array {
    const L = this.values.length;
    const out = new Float64Array(m * L);
    for (let i = 0; i < m; i++) out.set(this.values, i * L);
    return out;
  }
  toJSON(): LearnerState {
    return { kind: 'constant', values: Array.from(this.values) };
  }
}

const NAMES: string[] = [];
/** Column names `f0..f{q-1}` of the design Datasets (cached). */
function designNames(q: number): string[] {
  for (let a = NAMES.length; a < q; a++) NAMES.push(`f${a}`);
  return NAMES.slice(0, q);
}

function designDataset(A: Float64Array, m: number, q: number): Dataset {
  return Dataset.fromMatrix(A, m, q, designNames(q));
}

interface ProbaModel extends FittedModel {
  predictProba(ds: Dataset): Float64Array;
  readonly classes: readonly (string | number | boolean)[];
}
interface StdModel extends FittedModel {
  predictWithStd?(ds: Dataset): { mean: Float64Array; std: Float64Array };
}

class AdaptedRegressor implements ColumnRegressor {
  constructor(private readonly fitted: StdModel) {}
  predict(A: Float64Array, m: number, q: number, withStd = false): { mean: Float64Array; std: Float64Array | undefined } {
    const ds = designDataset(A, m, q);
    if (withStd && this.fitted.predictWithStd) {
      const r = this.fitted.predictWithStd(ds);
      return { mean: Float64Array.from(r.mean), std: Float64Array.from(r.std) };
    }
    return { mean: Float64Array.from(this.fitted.predict(ds) as ArrayLike<number>), std: undefined };
  }
  toJSON(): LearnerState {
    return { kind: 'model', task: 'regression', L: 1, classes: [], json: this.fitted.toJSON() };
  }
}

class AdaptedClassifier implements ColumnClassifier {
  constructor(
    private readonly fitted: ProbaModel,
    private readonly L: number,
    private readonly classes: readonly number[],
  ) {}
  proba(A: Float64Array, m: number, q: number): Float64Array {
    const P = this.fitted.predictProba(designDataset(A, m, q));
    const K = this.classes.length;
    const out = new Float64Array(m * this.L);
    for (let i = 0; i < m; i++) for (let c = 0; c < K; c++) out[i * this.L + (this.classes[c] as number)] = P[i * K + c] as number;
    return out;
  }
  toJSON(): LearnerState {
    return { kind: 'model', task: 'classification', L: this.L, classes: [...this.classes], json: this.fitted.toJSON() };
  }
}

/**
 * A {@link ColumnLearner} from tessera Models: `regressor(seed, columns)` and
 * `classifier(seed, columns)` build unfitted Models reading exactly `columns`; the design matrix becomes a Dataset with columns `f0..f{q-1}` and target `y` (level
 * indices as integers for classifiers, which must have `predictProba` and `classes`).
 */
export function modelLearner(
  name: string,
  regressor: (seed: number, columns: string[]) => Model,
  classifier: (seed: number, columns: string[]) => Model,
): ColumnLearner {
  return {
    name,
    async fitRegressor(A, m, q, y, seed) {
      const ds = designDataset(A, m, q).withColumn('y', y);
      const fitted = (await regressor(seed, designNames(q)).fit(ds, { target: 'y' })) as StdModel;
      return new AdaptedRegressor(fitted);
    },
    async fitClassifier(A, m, q, y, L, seed) {
      const ds = designDataset(A, m, q).withColumn('y', Float64Array.from(y), 'integer');
      const fitted = (await classifier(seed, designNames(q)).fit(ds, { target: 'y' })) as ProbaModel;
      if (typeof fitted.predictProba !== 'function') {
        throw new TesseraError('E_UNSUPPORTED', `IterativeImputer: the classifier for "${name}" has no predictProba`, { option: 'estimator' });
      }
      return new AdaptedClassifier(fitted, L, fitted.classes.map(Number));
    },
  };
}

/**
 * A BayesianRidge column model on matrices: fitted by `fitBayesianRidgeGram` (or
 * `fitBayesianRidgeMatrix` when there are no more rows than predictors; no Dataset per fit),
 * predicting straight from the design matrix. It serialises as a `FittedBayesianRidge` over
 * columns `f0..f{q-1}` (the same state as the Dataset route), so saved imputers load either way.
 */
class BayesianRidgeColumn implements ColumnRegressor {
  constructor(
    private readonly coef: Float64Array,
    private readonly intercept: number,
    private readonly alpha: number,
    private readonly lambda: number,
    private readonly nIter: number,
    private readonly sigma: Float64Array,
  ) {}
  predict(A: Float64Array, m: number, q: number, withStd = false): { mean: Float64Array; std: Float64Array | undefined } {
    const w = this.coef;
    const b = this.intercept;
    const mean = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = b;
      const o = i * q;
      for (let j = 0; j < q; j++) s += (A[o + j] as number) * (w[j] as number);
      mean[i] = s;
    }
    if (!withStd) return { mean, std: undefined };
    // std = sqrt(xᵀ Σ x + 1/alpha) on the raw predictors, as FittedBayesianRidge.predictWithStd.
    const S = this.sigma;
    const std = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const o = i * q;
      let t2 = 0;
      for (let a = 0; a < q; a++) {
        let t = 0;
        for (let c = 0; c < q; c++) t += (A[o + c] as number) * (S[c * q + a] as number);
        t2 += t * (A[o + a] as number);
      }
      std[i] = Math.sqrt(t2 + 1 / this.alpha);
    }
    return { mean, std };
  }
  toJSON(): LearnerState {
    const q = this.coef.length;
    const params = new BayesianRidge({ columns: designNames(q) }).params;
    const fitted = new FittedBayesianRidge(params, designNames(q), 'y', this.coef, this.intercept, this.alpha, this.lambda, this.nIter, this.sigma);
    return { kind: 'model', task: 'regression', L: 1, classes: [], json: fitted.toJSON() };
  }
  static from(f: FittedBayesianRidge): BayesianRidgeColumn {
    return new BayesianRidgeColumn(f.coef, f.intercept, f.alpha, f.lambda, f.nIter, f.sigma);
  }
}

/**
 * The default learner of {@link IterativeImputer}: BayesianRidge on matrices for numeric columns,
 * `classifier(seed, columns)` (a Model, through a Dataset) for categorical ones.
 */
export function bayesianRidgeLearner(classifier: (seed: number, columns: string[]) => Model): ColumnLearner {
  const viaModels = modelLearner('bayesianRidge', () => new BayesianRidge(), classifier);
  return {
    name: 'bayesianRidge',
    async fitRegressor(A, m, q, y) {
      const r = fitBayesianRidgeMatrix(A, m, q, y);
      return new BayesianRidgeColumn(r.coef, r.intercept, r.alpha, r.lambda, r.nIter, r.sigma);
    },
    fitRegressorGram(stats, exactRss) {
      const r = fitBayesianRidgeGram(stats, {}, exactRss);
      return new BayesianRidgeColumn(r.coef, r.intercept, r.alpha, r.lambda, r.nIter, r.sigma);
    },
    fitClassifier: viaModels.fitClassifier,
  };
}

/** Restores a per-column regressor from its state. */
export function loadRegressor(s: LearnerState): ColumnRegressor {
  if (s.kind === 'constant') return new ConstantModel(Float64Array.from(s.values));
  if (s.json.type === 'FittedBayesianRidge') return BayesianRidgeColumn.from(FittedBayesianRidge.fromJSON(s.json));
  return new AdaptedRegressor(load<FittedModel>(s.json) as StdModel);
}

/** Restores a per-column classifier from its state. */
export function loadClassifier(s: LearnerState): ColumnClassifier {
  if (s.kind === 'constant') return new ConstantModel(Float64Array.from(s.values));
  return new AdaptedClassifier(load<FittedModel>(s.json) as ProbaModel, s.L, s.classes);
}
