import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { type ClassLabel, type FittedClassifier, probaToLabels } from '../target.js';
import { inferenceMatrix, sampleWeights, supervisedData } from './common.js';
import { lbfgs } from './lbfgs.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Inverse of the L2 penalty strength (scikit-learn's `C`). Default 1. */
    C: z.number().positive().finite().default(1),
    /** L-BFGS gradient tolerance (max absolute entry, on the summed loss as scikit-learn 1.2). Default 1e-4. */
    tol: z.number().positive().default(1e-4),
    /** Maximum L-BFGS iterations. Default 100. */
    maxIter: z.number().int().min(1).max(1_000_000).default(100),
    /** Fit an (unpenalised) intercept. Default true. */
    fitIntercept: z.boolean().default(true),
    /** `balanced` (weights n / (k · count)) or a weight per class label (labels as strings). */
    classWeight: z.union([z.literal('balanced'), z.record(z.string(), z.number().positive().finite())]).optional(),
  })
  .strict();

/** Options of {@link LogisticRegression}. @example `const o: LogisticRegressionOptions = { C: 0.5, classWeight: 'balanced' };` */
export type LogisticRegressionOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, sampleWeight: true };

/**
 * L2-regularised logistic regression, as scikit-learn's `LogisticRegression` with the `lbfgs`
 * solver: binary (one coefficient row, class `classes[1]` positive) for two classes, multinomial
 * (softmax, one row per class) for more. Minimises `Σ wᵢ·logloss(i) + ‖W‖²/(2C)` with the
 * intercept unpenalised, by L-BFGS with scikit-learn's stopping rules (`tol`, `maxIter`;
 * `fitted.converged` says whether the tolerance was met). Class weights multiply sample weights.
 *
 * @example
 * ```ts
 * import { Dataset, LogisticRegression } from 'tessera';
 * const ds = Dataset.from({ x: [0, 1, 2, 3, 4, 5], y: ['no', 'no', 'yes', 'no', 'yes', 'yes'] });
 * const fitted = await new LogisticRegression().fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.predictProba(ds); // [P(no), P(yes)] per row
 * ```
 */
export class LogisticRegression implements Model<FittedLogisticRegression> {
  readonly kind = 'model' as const;
  readonly type = 'LogisticRegression';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: LogisticRegressionOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedLogisticRegression> {
    const P = this.params;
    const exclude = typeof options?.sampleWeight === 'string' ? [options.sampleWeight] : [];
    const cols = P.columns ?? undefined;
    const d = supervisedData(ds, cols, options, this.type, 'classification', false, exclude);
    const { X, n, p } = d;
    const { y, classes } = d.y;
    const k = classes.length;
    const sw = sampleWeights(ds, options?.sampleWeight, n, this.type);
    if (P.classWeight) {
      const cw = new Float64Array(k);
      if (P.classWeight === 'balanced') {
        const counts = new Float64Array(k);
        for (let i = 0; i < n; i++) counts[y[i] as number] = (counts[y[i] as number] as number) + 1;
        for (let c = 0; c < k; c++) cw[c] = n / (k * (counts[c] as number));
      } else {
        const map = P.classWeight;
        for (let c = 0; c < k; c++) {
          const key = String(classes[c]);
          cw[c] = Object.hasOwn(map, key) ? (map[key] as number) : 1;
        }
        for (const key of Object.keys(map)) {
          if (!classes.some((c) => String(c) === key)) {
            throw new TesseraError('E_OPTION', `LogisticRegression option "classWeight": class "${key}" is not in target "${d.target}"`, {
              option: 'classWeight',
            });
          }
        }
      }
      for (let i = 0; i < n; i++) sw[i] = (sw[i] as number) * (cw[y[i] as number] as number);
    }
    const rows = k === 2 ? 1 : k;
    const stride = p + 1;
    const lam = 1 / P.C;
    const fitB = P.fitIntercept;
    const z = new Float64Array(rows);
    const fg = rows === 1 ? binaryLoss(X, y, sw, n, p, lam, fitB) : multinomialLoss(X, y, sw, n, p, rows, lam, fitB, z);
    const r = await lbfgs(fg, new Float64Array(rows * stride), {
      maxIter: P.maxIter,
      gtol: P.tol,
      signal: options?.signal,
      onIteration: (step, loss) => options?.onProgress?.({ stage: 'iteration', step, total: P.maxIter, loss }),
    });
    const coef = new Float64Array(rows * p);
    const intercept = new Float64Array(rows);
    for (let c = 0; c < rows; c++) {
      for (let j = 0; j < p; j++) coef[c * p + j] = r.x[c * stride + j] as number;
      intercept[c] = r.x[c * stride + p] as number;
    }
    return new FittedLogisticRegression(P, d.columns, d.target, classes, coef, intercept, r.nIter, r.converged);
  }
}

function binaryLoss(X: Float64Array, y: Int32Array, sw: Float64Array, n: number, p: number, lam: number, fitB: boolean) {
  const p4 = p - (p % 4);
  return (w: Float64Array, g: Float64Array): number => {
    g.fill(0);
    const b = fitB ? (w[p] as number) : 0;
    let f = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const o = i * p;
      // four accumulators: about 1.4x faster in V8 than one
      let t0 = b;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      let j = 0;
      for (; j < p4; j += 4) {
        t0 += (X[o + j] as number) * (w[j] as number);
        t1 += (X[o + j + 1] as number) * (w[j + 1] as number);
        t2 += (X[o + j + 2] as number) * (w[j + 2] as number);
        t3 += (X[o + j + 3] as number) * (w[j + 3] as number);
      }
      for (; j < p; j++) t0 += (X[o + j] as number) * (w[j] as number);
      const t = t0 + t1 + t2 + t3;
      const yi = y[i] as number;
      const s = sw[i] as number;
      // one exp for both the loss and the sigmoid
      const e = Math.exp(-Math.abs(t));
      f += s * ((t > 0 ? t : 0) + Math.log1p(e) - yi * t);
      const r = s * ((t >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi);
      if (r !== 0) {
        j = 0;
        for (; j < p4; j += 4) {
          g[j] = (g[j] as number) + r * (X[o + j] as number);
          g[j + 1] = (g[j + 1] as number) + r * (X[o + j + 1] as number);
          g[j + 2] = (g[j + 2] as number) + r * (X[o + j + 2] as number);
          g[j + 3] = (g[j + 3] as number) + r * (X[o + j + 3] as number);
        }
        for (; j < p; j++) g[j] = (g[j] as number) + r * (X[o + j] as number);
      }
      gb += r;
    }
    let w2 = 0;
    for (let j = 0; j < p; j++) {
      w2 += (w[j] as number) ** 2;
      g[j] = (g[j] as number) + lam * (w[j] as number);
    }
    g[p] = fitB ? gb : 0;
    return f + 0.5 * lam * w2;
  };
}

function multinomialLoss(X: Float64Array, y: Int32Array, sw: Float64Array, n: number, p: number, k: number, lam: number, fitB: boolean, z: Float64Array) {
  const stride = p + 1;
  return (w: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let f = 0;
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let zmax = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const wo = c * stride;
        let t = fitB ? (w[wo + p] as number) : 0;
        for (let j = 0; j < p; j++) t += (X[o + j] as number) * (w[wo + j] as number);
        z[c] = t;
        if (t > zmax) zmax = t;
      }
      let se = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp((z[c] as number) - zmax);
        z[c] = e;
        se += e;
      }
      const yi = y[i] as number;
      const s = sw[i] as number;
      f += s * (Math.log(se) - Math.log(z[yi] as number));
      for (let c = 0; c < k; c++) {
        const r = s * ((z[c] as number) / se - (c === yi ? 1 : 0));
        const wo = c * stride;
        for (let j = 0; j < p; j++) g[wo + j] = (g[wo + j] as number) + r * (X[o + j] as number);
        g[wo + p] = (g[wo + p] as number) + r;
      }
    }
    let w2 = 0;
    for (let c = 0; c < k; c++) {
      const wo = c * stride;
      for (let j = 0; j < p; j++) {
        w2 += (w[wo + j] as number) ** 2;
        g[wo + j] = (g[wo + j] as number) + lam * (w[wo + j] as number);
      }
      if (!fitB) g[wo + p] = 0;
    }
    return f + 0.5 * lam * w2;
  };
}

interface State {
  columns: string[];
  target: string;
  classes: ClassLabel[];
  coef: string;
  intercept: string;
  nIter: number;
  converged: boolean;
}

/**
 * A fitted {@link LogisticRegression}: `coef` is `rows x p` row-major (one row for two classes,
 * for `classes[1]`; one per class otherwise), `intercept` one per row.
 *
 * @example
 * ```ts
 * const fitted = await new LogisticRegression().fit(ds, { target: 'species' });
 * fitted.classes; fitted.coef; fitted.predictProba(ds);
 * ```
 */
export class FittedLogisticRegression implements FittedClassifier {
  readonly kind = 'model' as const;
  readonly type = 'FittedLogisticRegression';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  readonly target: string;
  readonly classes: readonly ClassLabel[];
  readonly coef: Float64Array;
  readonly intercept: Float64Array;
  /** L-BFGS iterations made. */
  readonly nIter: number;
  /** Whether a stopping tolerance was met before `maxIter`. */
  readonly converged: boolean;

  constructor(
    params: Params,
    columns: readonly string[],
    target: string,
    classes: readonly ClassLabel[],
    coef: Float64Array,
    intercept: Float64Array,
    nIter: number,
    converged: boolean,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.classes = Object.freeze([...classes]);
    this.coef = coef;
    this.intercept = intercept;
    this.nIter = nIter;
    this.converged = converged;
  }

  /** Decision values (`n x rows`, row-major): the linear scores before the sigmoid or softmax. */
  decisionFunction(ds: Dataset): Float64Array {
    const X = inferenceMatrix(ds, this.inputColumns, this.type);
    const n = ds.nrows;
    const p = this.inputColumns.length;
    const rows = this.intercept.length;
    const out = new Float64Array(n * rows);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < rows; c++) {
        let t = this.intercept[c] as number;
        for (let j = 0; j < p; j++) t += (X[i * p + j] as number) * (this.coef[c * p + j] as number);
        out[i * rows + c] = t;
      }
    }
    return out;
  }

  predictProba(ds: Dataset): Float64Array {
    const z = this.decisionFunction(ds);
    const n = ds.nrows;
    const k = this.classes.length;
    const out = new Float64Array(n * k);
    if (this.intercept.length === 1) {
      for (let i = 0; i < n; i++) {
        const s = 1 / (1 + Math.exp(-(z[i] as number)));
        out[i * 2] = 1 - s;
        out[i * 2 + 1] = s;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) m = Math.max(m, z[i * k + c] as number);
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp((z[i * k + c] as number) - m);
        out[i * k + c] = e;
        s += e;
      }
      for (let c = 0; c < k; c++) out[i * k + c] = (out[i * k + c] as number) / s;
    }
    return out;
  }

  predict(ds: Dataset): ClassLabel[] {
    return probaToLabels(this.predictProba(ds), this.classes);
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
        coef: encodeArray(this.coef),
        intercept: encodeArray(this.intercept),
        nIter: this.nIter,
        converged: this.converged,
      },
    };
  }

  /** Restores from {@link FittedLogisticRegression.toJSON} output. */
  static fromJSON(json: Serialized): FittedLogisticRegression {
    const { params, state: s } = expectType<State, Params>(json, 'FittedLogisticRegression');
    return new FittedLogisticRegression(
      parseOptions(Options, params, 'LogisticRegression'),
      s.columns,
      s.target,
      s.classes,
      decodeFloat64(s.coef),
      decodeFloat64(s.intercept),
      s.nIter,
      s.converged,
    );
  }
}

registerLoader('FittedLogisticRegression', 1, FittedLogisticRegression.fromJSON);
