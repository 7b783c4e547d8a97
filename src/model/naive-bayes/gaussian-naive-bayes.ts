import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { inferenceMatrix, supervisedData } from '../linear/common.js';
import { type ClassLabel, type FittedClassifier, probaToLabels } from '../target.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Share of the largest feature variance added to every variance (scikit-learn's `var_smoothing`). Default 1e-9. */
    varSmoothing: z.number().min(0).default(1e-9),
    /** Class priors in `classes` order (summing to 1); default the class shares in the training data. */
    priors: z.array(z.number().min(0)).optional(),
  })
  .strict();

/** Options of {@link GaussianNaiveBayes}. @example `const o: GaussianNaiveBayesOptions = { varSmoothing: 1e-8 };` */
export type GaussianNaiveBayesOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/**
 * Gaussian naive Bayes, as scikit-learn's `GaussianNB`: per class, independent normal features
 * (mean `theta`, population variance `variance` plus `varSmoothing` times the largest feature
 * variance), combined with the class priors.
 *
 * @example
 * ```ts
 * import { Dataset, GaussianNaiveBayes } from 'tessera';
 * const ds = Dataset.from({ x: [1, 1.2, 0.8, 5, 5.3, 4.9], y: ['a', 'a', 'a', 'b', 'b', 'b'] });
 * const fitted = await new GaussianNaiveBayes().fit(ds, { target: 'y' });
 * fitted.predictProba(Dataset.from({ x: [4] }));
 * ```
 */
export class GaussianNaiveBayes implements Model<FittedGaussianNaiveBayes> {
  readonly kind = 'model' as const;
  readonly type = 'GaussianNaiveBayes';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: GaussianNaiveBayesOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedGaussianNaiveBayes> {
    const d = supervisedData(ds, this.params.columns, options, this.type, 'classification');
    const { X, n, p } = d;
    const { y, classes } = d.y;
    const k = classes.length;
    // largest feature variance (population), for the smoothing epsilon
    let maxVar = 0;
    for (let j = 0; j < p; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X[i * p + j] as number;
      m /= n;
      let s = 0;
      for (let i = 0; i < n; i++) s += ((X[i * p + j] as number) - m) ** 2;
      maxVar = Math.max(maxVar, s / n);
    }
    const eps = this.params.varSmoothing * maxVar;
    const theta = new Float64Array(k * p);
    const variance = new Float64Array(k * p);
    const count = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = y[i] as number;
      count[c] = (count[c] as number) + 1;
      for (let j = 0; j < p; j++) theta[c * p + j] = (theta[c * p + j] as number) + (X[i * p + j] as number);
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) theta[c * p + j] = (theta[c * p + j] as number) / (count[c] as number);
    for (let i = 0; i < n; i++) {
      const c = y[i] as number;
      for (let j = 0; j < p; j++) variance[c * p + j] = (variance[c * p + j] as number) + ((X[i * p + j] as number) - (theta[c * p + j] as number)) ** 2;
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) variance[c * p + j] = (variance[c * p + j] as number) / (count[c] as number) + eps;
    let prior: Float64Array;
    if (this.params.priors) {
      const pr = this.params.priors;
      if (pr.length !== k) throw new TesseraError('E_OPTION', `GaussianNaiveBayes option "priors": ${pr.length} priors for ${k} classes`, { option: 'priors' });
      const s = pr.reduce((a, b) => a + b, 0);
      if (Math.abs(s - 1) > 1e-8) throw new TesseraError('E_OPTION', `GaussianNaiveBayes option "priors" must sum to 1, got ${s}`, { option: 'priors' });
      prior = Float64Array.from(pr);
    } else prior = Float64Array.from(count, (c) => c / n);
    for (let j = 0; j < k * p; j++) {
      if (!((variance[j] as number) > 0)) {
        throw new TesseraError('E_SCHEMA', `GaussianNaiveBayes: every feature is constant within a class and varSmoothing is 0; set varSmoothing > 0`, {
          option: 'varSmoothing',
        });
      }
    }
    return new FittedGaussianNaiveBayes(this.params, d.columns, d.target, classes, theta, variance, prior);
  }
}

interface State {
  columns: string[];
  target: string;
  classes: ClassLabel[];
  theta: string;
  variance: string;
  prior: string;
}

/**
 * A fitted {@link GaussianNaiveBayes}: `theta` and `variance` are `classes x p` row-major.
 *
 * @example
 * ```ts
 * const fitted = await new GaussianNaiveBayes().fit(ds, { target: 'y' });
 * fitted.theta; fitted.predictProba(ds);
 * ```
 */
export class FittedGaussianNaiveBayes implements FittedClassifier {
  readonly kind = 'model' as const;
  readonly type = 'FittedGaussianNaiveBayes';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  readonly target: string;
  readonly classes: readonly ClassLabel[];
  readonly theta: Float64Array;
  readonly variance: Float64Array;
  readonly prior: Float64Array;

  constructor(
    params: Params,
    columns: readonly string[],
    target: string,
    classes: readonly ClassLabel[],
    theta: Float64Array,
    variance: Float64Array,
    prior: Float64Array,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.classes = Object.freeze([...classes]);
    this.theta = theta;
    this.variance = variance;
    this.prior = prior;
  }

  /** Joint log-likelihood `log P(c) + log P(x | c)` per row and class (`n x k`). */
  jointLogLikelihood(ds: Dataset): Float64Array {
    const X = inferenceMatrix(ds, this.inputColumns, this.type);
    const n = ds.nrows;
    const p = this.inputColumns.length;
    const k = this.classes.length;
    const base = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += Math.log(2 * Math.PI * (this.variance[c * p + j] as number));
      base[c] = Math.log(this.prior[c] as number) - 0.5 * s;
    }
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += ((X[i * p + j] as number) - (this.theta[c * p + j] as number)) ** 2 / (this.variance[c * p + j] as number);
        out[i * k + c] = (base[c] as number) - 0.5 * s;
      }
    }
    return out;
  }

  predictProba(ds: Dataset): Float64Array {
    const j = this.jointLogLikelihood(ds);
    const k = this.classes.length;
    const n = ds.nrows;
    for (let i = 0; i < n; i++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) m = Math.max(m, j[i * k + c] as number);
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp((j[i * k + c] as number) - m);
      const lse = m + Math.log(s);
      for (let c = 0; c < k; c++) j[i * k + c] = Math.exp((j[i * k + c] as number) - lse);
    }
    return j;
  }

  predict(ds: Dataset): ClassLabel[] {
    return probaToLabels(this.jointLogLikelihood(ds), this.classes);
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        target: this.target,
        classes: [...this.classes],
        theta: encodeArray(this.theta),
        variance: encodeArray(this.variance),
        prior: encodeArray(this.prior),
      },
    };
  }

  /** Restores from {@link FittedGaussianNaiveBayes.toJSON} output. */
  static fromJSON(json: Serialized): FittedGaussianNaiveBayes {
    const { params, state: s } = expectType<State, Params>(json, 'FittedGaussianNaiveBayes');
    return new FittedGaussianNaiveBayes(
      parseOptions(Options, params, 'GaussianNaiveBayes'),
      s.columns,
      s.target,
      s.classes,
      decodeFloat64(s.theta),
      decodeFloat64(s.variance),
      decodeFloat64(s.prior),
    );
  }
}

registerLoader('FittedGaussianNaiveBayes', 1, FittedGaussianNaiveBayes.fromJSON);
