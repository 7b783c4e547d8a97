import { TesseraError } from '../../core/errors.js';
import type { FittedModel, Model, Serialized } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, load } from '../../core/serialize.js';
import { Dataset } from '../../dataset/dataset.js';

/**
 * The per-column models of {@link IterativeImputer}, behind a small internal interface so that any
 * tessera Model (or the private fallback below) can serve. Matrices are dense row-major `m × q`.
 */
export interface ColumnRegressor {
  /** Predicted means and, when the model has them, predictive standard deviations. */
  predict(A: Float64Array, m: number, q: number): { mean: Float64Array; std: Float64Array | undefined };
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
  | { kind: 'ridge'; mean: string; scale: string; coef: string; intercept: number[]; sigma: number; L: number }
  | { kind: 'model'; task: 'regression' | 'classification'; L: number; classes: number[]; json: Serialized };

/** Fits per-column models. */
export interface ColumnLearner {
  readonly name: string;
  fitRegressor(A: Float64Array, m: number, q: number, y: Float64Array, seed: number): Promise<ColumnRegressor>;
  fitClassifier(A: Float64Array, m: number, q: number, y: Int32Array, L: number, seed: number): Promise<ColumnClassifier>;
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

/**
 * TEMPORARY private fallback while tessera's BayesianRidge / LogisticRegression are not exported:
 * ridge regression (alpha 1 on standardised predictors, closed form by Cholesky) with the residual
 * standard deviation as predictive spread; for categories, one-vs-rest ridge on the level indicators
 * with scores clipped to [0, 1] and normalised as probabilities.
 */
class RidgeModel implements ColumnRegressor, ColumnClassifier {
  constructor(
    private readonly mean: Float64Array,
    private readonly scale: Float64Array,
    private readonly coef: Float64Array, // q × L (L = 1 for regression)
    private readonly intercept: Float64Array,
    private readonly sigma: number,
    private readonly L: number,
  ) {}

  private scores(A: Float64Array, m: number, q: number): Float64Array {
    const L = this.L;
    const out = new Float64Array(m * L);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < L; l++) out[i * L + l] = this.intercept[l] as number;
      for (let a = 0; a < q; a++) {
        const z = ((A[i * q + a] as number) - (this.mean[a] as number)) / (this.scale[a] as number);
        if (z === 0) continue;
        for (let l = 0; l < L; l++) out[i * L + l] = (out[i * L + l] as number) + z * (this.coef[a * L + l] as number);
      }
    }
    return out;
  }
  predict(A: Float64Array, m: number, q: number): { mean: Float64Array; std: Float64Array | undefined } {
    return { mean: this.scores(A, m, q), std: new Float64Array(m).fill(this.sigma) };
  }
  proba(A: Float64Array, m: number, q: number): Float64Array {
    const s = this.scores(A, m, q);
    const L = this.L;
    for (let i = 0; i < m; i++) {
      let t = 0;
      for (let l = 0; l < L; l++) {
        const v = Math.min(1, Math.max(0, s[i * L + l] as number)) + 1e-6;
        s[i * L + l] = v;
        t += v;
      }
      for (let l = 0; l < L; l++) s[i * L + l] = (s[i * L + l] as number) / t;
    }
    return s;
  }
  toJSON(): LearnerState {
    return {
      kind: 'ridge',
      mean: encodeArray(this.mean),
      scale: encodeArray(this.scale),
      coef: encodeArray(this.coef),
      intercept: Array.from(this.intercept),
      sigma: this.sigma,
      L: this.L,
    };
  }
  static fit(A: Float64Array, m: number, q: number, Y: Float64Array, L: number, alpha: number): RidgeModel {
    const mean = new Float64Array(q);
    const scale = new Float64Array(q).fill(1);
    for (let i = 0; i < m; i++) for (let a = 0; a < q; a++) mean[a] = (mean[a] as number) + (A[i * q + a] as number);
    for (let a = 0; a < q; a++) mean[a] = (mean[a] as number) / m;
    const ss = new Float64Array(q);
    for (let i = 0; i < m; i++)
      for (let a = 0; a < q; a++) {
        const d = (A[i * q + a] as number) - (mean[a] as number);
        ss[a] = (ss[a] as number) + d * d;
      }
    for (let a = 0; a < q; a++) {
      const sd = Math.sqrt((ss[a] as number) / m);
      scale[a] = sd > 1e-12 ? sd : 1;
    }
    const ym = new Float64Array(L);
    for (let i = 0; i < m; i++) for (let l = 0; l < L; l++) ym[l] = (ym[l] as number) + (Y[i * L + l] as number);
    for (let l = 0; l < L; l++) ym[l] = (ym[l] as number) / m;
    const G = new Float64Array(q * q);
    const B = new Float64Array(q * L);
    gram(A, m, q, Y, L, mean, scale, ym, G, B);
    for (let a = 0; a < q; a++) {
      G[a * q + a] = (G[a * q + a] as number) + alpha;
      for (let c = 0; c < a; c++) G[a * q + c] = G[c * q + a] as number;
    }
    const coef = choleskySolve(G, q, B, L);
    const model = new RidgeModel(mean, scale, coef, ym, 0, L);
    let rss = 0;
    if (L === 1) {
      const pred = model.scores(A, m, q);
      for (let i = 0; i < m; i++) rss += ((Y[i] as number) - (pred[i] as number)) ** 2;
    }
    const sigma = L === 1 ? Math.sqrt(rss / Math.max(1, m - q - 1)) : 0;
    return new RidgeModel(mean, scale, coef, ym, sigma, L);
  }
  static fromState(s: Extract<LearnerState, { kind: 'ridge' }>): RidgeModel {
    return new RidgeModel(decodeFloat64(s.mean), decodeFloat64(s.scale), decodeFloat64(s.coef), Float64Array.from(s.intercept), s.sigma, s.L);
  }
}

/** Accumulates Zᵀ Z (upper triangle) and Zᵀ (Y − ȳ) for the standardised predictors Z. */
function gram(
  A: Float64Array,
  m: number,
  q: number,
  Y: Float64Array,
  L: number,
  mean: Float64Array,
  scale: Float64Array,
  ym: Float64Array,
  G: Float64Array,
  B: Float64Array,
): void {
  const z = new Float64Array(q);
  const inv = new Float64Array(q);
  for (let a = 0; a < q; a++) inv[a] = 1 / (scale[a] as number);
  for (let i = 0; i < m; i++) {
    const base = i * q;
    for (let a = 0; a < q; a++) z[a] = ((A[base + a] as number) - (mean[a] as number)) * (inv[a] as number);
    for (let a = 0; a < q; a++) {
      const za = z[a] as number;
      const row = a * q;
      for (let c = a; c < q; c++) G[row + c] = (G[row + c] as number) + za * (z[c] as number);
    }
    if (L === 1) {
      const dy = (Y[i] as number) - (ym[0] as number);
      for (let a = 0; a < q; a++) B[a] = (B[a] as number) + (z[a] as number) * dy;
    } else {
      for (let l = 0; l < L; l++) {
        const dy = (Y[i * L + l] as number) - (ym[l] as number);
        if (dy === 0) continue;
        for (let a = 0; a < q; a++) B[a * L + l] = (B[a * L + l] as number) + (z[a] as number) * dy;
      }
    }
  }
}

/** Solves G X = B for symmetric positive definite G (q × q), B (q × L); adds jitter if needed. */
function choleskySolve(G: Float64Array, q: number, B: Float64Array, L: number): Float64Array {
  const Lw = new Float64Array(q * q);
  let jitter = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    let ok = true;
    Lw.fill(0);
    for (let i = 0; i < q && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (G[i * q + j] as number) + (i === j ? jitter : 0);
        for (let k = 0; k < j; k++) s -= (Lw[i * q + k] as number) * (Lw[j * q + k] as number);
        if (i === j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          Lw[i * q + i] = Math.sqrt(s);
        } else Lw[i * q + j] = s / (Lw[j * q + j] as number);
      }
    }
    if (ok) {
      const X = B.slice();
      for (let l = 0; l < L; l++) {
        for (let i = 0; i < q; i++) {
          let s = X[i * L + l] as number;
          for (let k = 0; k < i; k++) s -= (Lw[i * q + k] as number) * (X[k * L + l] as number);
          X[i * L + l] = s / (Lw[i * q + i] as number);
        }
        for (let i = q - 1; i >= 0; i--) {
          let s = X[i * L + l] as number;
          for (let k = i + 1; k < q; k++) s -= (Lw[k * q + i] as number) * (X[k * L + l] as number);
          X[i * L + l] = s / (Lw[i * q + i] as number);
        }
      }
      return X;
    }
    jitter = jitter === 0 ? 1e-8 : jitter * 100;
  }
  throw new TesseraError('E_SINGULAR', 'IterativeImputer: could not solve a per-column ridge system');
}

/** The TEMPORARY private ridge fallback as a {@link ColumnLearner}. */
export const ridgeLearner: ColumnLearner = {
  name: 'ridge (private fallback)',
  async fitRegressor(A, m, q, y) {
    return RidgeModel.fit(A, m, q, y, 1, 1);
  },
  async fitClassifier(A, m, q, y, L) {
    const Y = new Float64Array(m * L);
    for (let i = 0; i < m; i++) Y[i * L + (y[i] as number)] = 1;
    return RidgeModel.fit(A, m, q, Y, L, 1);
  },
};

function designDataset(A: Float64Array, m: number, q: number): Dataset {
  const names = Array.from({ length: q }, (_, a) => `f${a}`);
  return Dataset.fromMatrix(A, m, q, names);
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
  predict(A: Float64Array, m: number, q: number): { mean: Float64Array; std: Float64Array | undefined } {
    const ds = designDataset(A, m, q);
    if (this.fitted.predictWithStd) {
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
 * A {@link ColumnLearner} from tessera Models: `regressor()` and `classifier()` build unfitted
 * Models; the design matrix becomes a Dataset with columns `f0..f{q-1}` and target `y` (level
 * indices as integers for classifiers, which must have `predictProba` and `classes`).
 */
export function modelLearner(name: string, regressor: (seed: number) => Model, classifier: (seed: number) => Model): ColumnLearner {
  return {
    name,
    async fitRegressor(A, m, q, y, seed) {
      const ds = designDataset(A, m, q).withColumn('y', y);
      const fitted = (await regressor(seed).fit(ds, { target: 'y' })) as StdModel;
      return new AdaptedRegressor(fitted);
    },
    async fitClassifier(A, m, q, y, L, seed) {
      const ds = designDataset(A, m, q).withColumn('y', Float64Array.from(y), 'integer');
      const fitted = (await classifier(seed).fit(ds, { target: 'y' })) as ProbaModel;
      if (typeof fitted.predictProba !== 'function') {
        throw new TesseraError('E_UNSUPPORTED', `IterativeImputer: the classifier for "${name}" has no predictProba`, { option: 'estimator' });
      }
      return new AdaptedClassifier(fitted, L, fitted.classes.map(Number));
    },
  };
}

/** Restores a per-column regressor from its state. */
export function loadRegressor(s: LearnerState): ColumnRegressor {
  if (s.kind === 'constant') return new ConstantModel(Float64Array.from(s.values));
  if (s.kind === 'ridge') return RidgeModel.fromState(s);
  return new AdaptedRegressor(load<FittedModel>(s.json) as StdModel);
}

/** Restores a per-column classifier from its state. */
export function loadClassifier(s: LearnerState): ColumnClassifier {
  if (s.kind === 'constant') return new ConstantModel(Float64Array.from(s.values));
  if (s.kind === 'ridge') return RidgeModel.fromState(s);
  return new AdaptedClassifier(load<FittedModel>(s.json) as ProbaModel, s.L, s.classes);
}
