import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { type ClassLabel, type FittedClassifier, probaToLabels } from '../target.js';
import { BLOCK, type ColumnKernel, columnKernel } from './column-kernel.js';
import { inferenceMatrix, sampleWeights, supervisedTarget } from './common.js';
import { lbfgs } from './lbfgs.js';

const Options = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Inverse of the L2 penalty strength (scikit-learn's `C`). Default 1. */
    C: z.number().positive().finite().default(1),
    /** L-BFGS gradient tolerance (max absolute entry, on the summed loss as scikit-learn 1.2). Default 1e-4. */
    tol: z.number().positive().default(1e-4),
    /**
     * L-BFGS relative-decrease tolerance: stop when `(f_prev − f) / max(|f_prev|, |f|, 1) <= ftol`.
     * Default 2.22e-9, SciPy L-BFGS-B's (`factr` 1e7 · machine ε), as scikit-learn runs it; 0 turns
     * the rule off (then only `tol` and `maxIter` stop, e.g. to reach the exact optimum).
     */
    ftol: z
      .number()
      .min(0)
      .finite()
      .default(1e7 * 2.220446049250313e-16),
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
 * intercept unpenalised, by L-BFGS with scikit-learn's (SciPy L-BFGS-B's) stopping rules (`tol`, `ftol`, `maxIter`;
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
    const d = supervisedTarget(ds, cols, options, this.type, 'classification', exclude);
    const { n, p } = d;
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
    // column-major copy of the features with the block products (WebAssembly SIMD where available)
    const K = columnKernel(ds, d.columns, rows, this.type);
    const fg = rows === 1 ? binaryLoss(K, y, sw, lam, fitB) : multinomialLoss(K, y, sw, rows, lam, fitB);
    let r: Awaited<ReturnType<typeof lbfgs>>;
    try {
      r = await lbfgs(fg, new Float64Array(rows * stride), {
        maxIter: P.maxIter,
        gtol: P.tol,
        ftol: P.ftol,
        signal: options?.signal,
        onIteration: (step, loss) => options?.onProgress?.({ stage: 'iteration', step, total: P.maxIter, loss }),
      });
    } finally {
      K.release();
    }
    const coef = new Float64Array(rows * p);
    const intercept = new Float64Array(rows);
    for (let c = 0; c < rows; c++) {
      for (let j = 0; j < p; j++) coef[c * p + j] = r.x[c * stride + j] as number;
      intercept[c] = r.x[c * stride + p] as number;
    }
    return new FittedLogisticRegression(P, d.columns, d.target, classes, coef, intercept, r.nIter, r.converged, r.nEval);
  }
}

/**
 * Objective and gradient of the binary problem, one pass over the rows per evaluation: per block of
 * rows, `z = Xw + b` (kernel), the loss and residuals `r = s·(σ(z) − y)` (here), then `g += Xᵀr`
 * (kernel) while the block is still in cache. No allocation per evaluation.
 */
function binaryLoss(K: ColumnKernel, y: Int32Array, sw: Float64Array, lam: number, fitB: boolean) {
  const { n, p, stride, z, r } = K;
  return (w: Float64Array, g: Float64Array): number => {
    K.w.set(w.subarray(0, p));
    K.g.fill(0);
    const b = fitB ? (w[p] as number) : 0;
    let f = 0;
    let gb = 0;
    for (let s = 0; s < stride; s += BLOCK) {
      const len = Math.min(BLOCK, stride - s);
      const e = Math.min(len, n - s);
      z.fill(b, 0, len);
      K.zBlock(s, len, 0);
      for (let i = 0; i < e; i++) {
        const t = z[i] as number;
        const yi = y[s + i] as number;
        const si = sw[s + i] as number;
        // one exp for both the loss and the sigmoid
        const ex = Math.exp(-Math.abs(t));
        f += si * ((t > 0 ? t : 0) + Math.log1p(ex) - yi * t);
        const ri = si * ((t >= 0 ? 1 / (1 + ex) : ex / (1 + ex)) - yi);
        r[i] = ri;
        gb += ri;
      }
      for (let i = e; i < len; i++) r[i] = 0;
      K.gBlock(s, len, 0);
    }
    let w2 = 0;
    const kg = K.g;
    for (let j = 0; j < p; j++) {
      const wj = w[j] as number;
      w2 += wj * wj;
      g[j] = (kg[j] as number) + lam * wj;
    }
    g[p] = fitB ? gb : 0;
    return f + 0.5 * lam * w2;
  };
}

/** Objective and gradient of the multinomial (softmax) problem, blocked as {@link binaryLoss}. */
function multinomialLoss(K: ColumnKernel, y: Int32Array, sw: Float64Array, k: number, lam: number, fitB: boolean) {
  const { n, p, pw, stride, z, r } = K;
  const ws = p + 1;
  const gb = new Float64Array(k);
  return (w: Float64Array, g: Float64Array): number => {
    for (let c = 0; c < k; c++) K.w.set(w.subarray(c * ws, c * ws + p), c * pw);
    K.g.fill(0);
    gb.fill(0);
    let f = 0;
    for (let s = 0; s < stride; s += BLOCK) {
      const len = Math.min(BLOCK, stride - s);
      const e = Math.min(len, n - s);
      for (let c = 0; c < k; c++) {
        z.fill(fitB ? (w[c * ws + p] as number) : 0, c * BLOCK, c * BLOCK + len);
        K.zBlock(s, len, c);
      }
      for (let i = 0; i < e; i++) {
        let zmax = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          const t = z[c * BLOCK + i] as number;
          if (t > zmax) zmax = t;
        }
        let se = 0;
        for (let c = 0; c < k; c++) {
          const ex = Math.exp((z[c * BLOCK + i] as number) - zmax);
          z[c * BLOCK + i] = ex;
          se += ex;
        }
        const yi = y[s + i] as number;
        const si = sw[s + i] as number;
        f += si * (Math.log(se) - Math.log(z[yi * BLOCK + i] as number));
        for (let c = 0; c < k; c++) {
          const ri = si * ((z[c * BLOCK + i] as number) / se - (c === yi ? 1 : 0));
          r[c * BLOCK + i] = ri;
          gb[c] = (gb[c] as number) + ri;
        }
      }
      for (let c = 0; c < k; c++) {
        r.fill(0, c * BLOCK + e, c * BLOCK + len);
        K.gBlock(s, len, c);
      }
    }
    let w2 = 0;
    const kg = K.g;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < p; j++) {
        const wj = w[c * ws + j] as number;
        w2 += wj * wj;
        g[c * ws + j] = (kg[c * pw + j] as number) + lam * wj;
      }
      g[c * ws + p] = fitB ? (gb[c] as number) : 0;
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
  nEval?: number;
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
  /** Objective-and-gradient evaluations made (SciPy's `nfev`). */
  readonly nEval: number;

  constructor(
    params: Params,
    columns: readonly string[],
    target: string,
    classes: readonly ClassLabel[],
    coef: Float64Array,
    intercept: Float64Array,
    nIter: number,
    converged: boolean,
    nEval = 0,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.classes = Object.freeze([...classes]);
    this.coef = coef;
    this.intercept = intercept;
    this.nIter = nIter;
    this.converged = converged;
    this.nEval = nEval;
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
        nEval: this.nEval,
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
      s.nEval ?? 0,
    );
  }
}

registerLoader('FittedLogisticRegression', 1, FittedLogisticRegression.fromJSON);
