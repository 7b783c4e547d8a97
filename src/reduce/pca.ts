import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { COLUMN_KINDS, type Column, makeColumn } from '../dataset/column.js';
import { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';
import type { ColumnRole } from '../dataset/schema.js';
import { numericColumns, numericMatrix } from './matrix.js';

const Options = z
  .object({
    /**
     * Components to keep: an integer (at most min(rows, columns)), or a fraction in (0, 1) to keep
     * the fewest components explaining at least that share of the variance. Default: all.
     */
    nComponents: z.number().positive().optional(),
    /** Divide the scores by the components' standard deviations (unit variance output). Default false. */
    whiten: z.boolean().default(false),
    /**
     * `auto` (default): eigendecomposition of the covariance matrix (columns x columns) when there
     * are at least as many rows as columns, else of the Gram matrix (rows x rows); both exact.
     */
    solver: z.enum(['auto', 'covariance', 'gram']).default('auto'),
    /** Prefix of the output column names. Default `pc` (pc0, pc1, ...). */
    prefix: z.string().min(1).default('pc'),
    /** Input columns; default every column without an id/target/time role (all must be numeric). */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link PCA}. @example `const o: PCAOptions = { nComponents: 2, whiten: true };` */
export type PCAOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };
const MAX_GRAM_ROWS = 10_000;

/**
 * Principal component analysis. Centres the columns, then takes the exact eigendecomposition of
 * the covariance matrix (or of the Gram matrix when there are more columns than rows).
 * Components follow scikit-learn's sign convention (`svd_flip`: the largest absolute score of
 * each component is positive), so they equal scikit-learn's `PCA(svd_solver='full')` to rounding.
 *
 * The output has the component columns `pc0, pc1, ...` and, passed through unchanged, the columns
 * with an `id`, `target` or `time` role; other columns are dropped (as scikit-learn returns only
 * the components).
 *
 * @example
 * ```ts
 * import { Dataset, PCA } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3, 4], b: [2, 4.1, 5.9, 8], c: [0, 1, 0, 1] });
 * const pca = await new PCA({ nComponents: 2 }).fit(ds);
 * pca.explainedVarianceRatio; // Float64Array [0.98..., 0.01...]
 * pca.transform(ds).columnNames; // ['pc0', 'pc1']
 * ```
 */
export class PCA implements Transform<FittedPCA> {
  readonly kind = 'transform' as const;
  readonly type = 'PCA';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: PCAOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    const k = this.params.nComponents;
    if (k !== undefined && k >= 1 && !Number.isInteger(k)) {
      throw new TesseraError('E_OPTION', `PCA option "nComponents" must be an integer >= 1 or a fraction in (0, 1), got ${k}`, {
        option: 'nComponents',
      });
    }
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedPCA> {
    checkAbort(options?.signal);
    const p = this.params;
    requireRows(ds, this.type, 2);
    const cols = resolveColumns(ds, p.columns, COLUMN_KINDS, this.type);
    if (cols.length === 0) throw new TesseraError('E_SCHEMA', 'PCA found no feature columns; pass { columns: [...] }', { option: 'columns' });
    const n = ds.nrows;
    const d = cols.length;
    const values = p.solver !== 'gram' && !(p.solver === 'auto' && d > n) ? numericColumns(ds, cols, this.type) : undefined;
    let r: ReturnType<typeof pcaMatrix>;
    if (values) r = pcaColumns(values, n, p.nComponents);
    else {
      const m = numericMatrix(ds, cols, this.type);
      r = pcaMatrix(m.data, n, d, p.nComponents, p.solver);
    }
    checkAbort(options?.signal);
    options?.onProgress?.({ stage: 'eigen', step: 1, total: 1 });
    return new FittedPCA(p, cols, r.mean, r.components, r.explainedVariance, r.explainedVarianceRatio, r.totalVariance);
  }
}

/**
 * The synchronous core of {@link PCA} on a dense row-major matrix: column means, components
 * (k x d, scikit-learn's sign convention), explained variance and its ratio.
 *
 * @example
 * ```ts
 * const { components } = pcaMatrix(X, n, d, 2);
 * ```
 */
export function pcaMatrix(
  data: Float64Array,
  n: number,
  d: number,
  nComponents?: number,
  solver: 'auto' | 'covariance' | 'gram' = 'auto',
): { mean: Float64Array; components: Float64Array; explainedVariance: Float64Array; explainedVarianceRatio: Float64Array; totalVariance: number } {
  const maxK = Math.min(n, d);
  const want = nComponents;
  if (want !== undefined && want >= 1 && want > maxK) {
    throw new TesseraError('E_OPTION', `PCA option "nComponents" (${want}) exceeds min(rows, columns) = ${maxK}`, { option: 'nComponents' });
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (data[i * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = (data[i * d + j] as number) - (mean[j] as number);
  const gram = solver === 'gram' || (solver === 'auto' && d > n);
  if (gram && n > MAX_GRAM_ROWS) {
    throw new TesseraError('E_LIMIT', `PCA solver "gram" needs a ${n} x ${n} matrix; at most ${MAX_GRAM_ROWS} rows (use solver "covariance")`, {
      option: 'solver',
    });
  }
  const { values, vectors } = gram ? gramEigen(Xc, n, d) : covarianceEigen(Xc, n, d);
  let total = 0;
  for (let c = 0; c < values.length; c++) total += Math.max(0, values[c] as number);
  if (gram) total = traceOf(Xc); // Gram: the ignored eigenvalues are all zero, the trace is exact
  return finish(
    values,
    vectors,
    n,
    d,
    total,
    want,
    (k, comps, best, bestScore) => {
      const m = values.length;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          let t = 0;
          for (let j = 0; j < d; j++) t += (Xc[i * d + j] as number) * (comps[j * m + c] as number);
          const a = t < 0 ? -t : t;
          if (a > (best[c] as number)) {
            best[c] = a;
            bestScore[c] = t;
          }
        }
      }
    },
    mean,
  );
}

/** The covariance route of {@link pcaMatrix} straight from column arrays (no row-major copy): blocks of 256 rows are centred into a small buffer. */
function pcaColumns(cols: readonly Float64Array[], n: number, nComponents: number | undefined): ReturnType<typeof pcaMatrix> {
  const d = cols.length;
  const maxK = Math.min(n, d);
  if (nComponents !== undefined && nComponents >= 1 && nComponents > maxK) {
    throw new TesseraError('E_OPTION', `PCA option "nComponents" (${nComponents}) exceeds min(rows, columns) = ${maxK}`, { option: 'nComponents' });
  }
  const mean = new Float64Array(d);
  cols.forEach((v, j) => {
    let t = 0;
    for (let i = 0; i < n; i++) t += v[i] as number;
    mean[j] = t / n;
  });
  const B = 256;
  const buf = new Float64Array(B * d);
  const block = (i0: number, i1: number): void => {
    for (let j = 0; j < d; j++) {
      const v = cols[j] as Float64Array;
      const m = mean[j] as number;
      for (let i = i0; i < i1; i++) buf[(i - i0) * d + j] = (v[i] as number) - m;
    }
  };
  const C = new Float64Array(d * d);
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    block(i0, i1);
    accumulateXtX(buf, i1 - i0, d, C);
  }
  for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) C[j * d + l] = C[l * d + j] as number;
  const { values, vectors } = symmetricEigen(C, d);
  let total = 0;
  for (let c = 0; c < d; c++) total += Math.max(0, values[c] as number);
  return finish(
    values,
    vectors,
    n,
    d,
    total,
    nComponents,
    (k, comps, best, bestScore) => {
      // the k leading eigenvectors, one contiguous row each
      const W = new Float64Array(k * d);
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) W[c * d + j] = comps[j * d + c] as number;
      for (let i0 = 0; i0 < n; i0 += B) {
        const i1 = Math.min(n, i0 + B);
        block(i0, i1);
        for (let r = 0; r < i1 - i0; r++) {
          const o = r * d;
          for (let c = 0; c < k; c++) {
            const w = c * d;
            let t = 0;
            for (let j = 0; j < d; j++) t += (buf[o + j] as number) * (W[w + j] as number);
            const a = t < 0 ? -t : t;
            if (a > (best[c] as number)) {
              best[c] = a;
              bestScore[c] = t;
            }
          }
        }
      }
    },
    mean,
  );
}

/**
 * Shared tail of the PCA solvers: picks k, fixes signs as scikit-learn's `svd_flip` (the score of
 * largest magnitude of each component is positive; `scan` records per component the largest |score| and that score),
 * and computes the explained variance.
 */
function finish(
  values: Float64Array,
  vectors: Float64Array,
  n: number,
  d: number,
  total: number,
  want: number | undefined,
  scan: (k: number, vectors: Float64Array, best: Float64Array, bestScore: Float64Array) => void,
  mean: Float64Array,
): ReturnType<typeof pcaMatrix> {
  const maxK = Math.min(n, d);
  const m = values.length;
  let k: number;
  if (want === undefined) k = maxK;
  else if (want >= 1) k = want;
  else {
    let acc = 0;
    k = maxK;
    for (let c = 0; c < maxK; c++) {
      acc += Math.max(0, values[c] as number) / (total || 1);
      if (acc >= want - 1e-15) {
        k = c + 1;
        break;
      }
    }
  }
  const best = new Float64Array(k).fill(-1);
  const bestScore = new Float64Array(k);
  scan(k, vectors, best, bestScore);
  const components = new Float64Array(k * d);
  const ev = new Float64Array(k);
  const ratio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const sign = (bestScore[c] as number) < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) components[c * d + j] = sign * (vectors[j * m + c] as number);
    const lambda = Math.max(0, values[c] as number);
    ev[c] = lambda / (n - 1);
    ratio[c] = total > 0 ? lambda / total : 0;
  }
  return { mean, components, explainedVariance: ev, explainedVarianceRatio: ratio, totalVariance: total / (n - 1) };
}

function traceOf(Xc: Float64Array): number {
  let s = 0;
  for (let i = 0; i < Xc.length; i++) s += (Xc[i] as number) * (Xc[i] as number);
  return s;
}

/** Eigenvalues (descending) and eigenvectors (d x d, row-major, column c = vector c) of Xc^T Xc. */
function covarianceEigen(Xc: Float64Array, n: number, d: number): { values: Float64Array; vectors: Float64Array } {
  const C = new Float64Array(d * d);
  accumulateXtX(Xc, n, d, C);
  for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) C[j * d + l] = C[l * d + j] as number;
  return symmetricEigen(C, d);
}

/** Adds the upper triangle of XᵀX (X: n x d row-major) to C, four rows at a time (fewer passes over C). */
function accumulateXtX(Xc: Float64Array, n: number, d: number, C: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let j = 0; j < d; j++) {
      const a0 = Xc[o0 + j] as number;
      const a1 = Xc[o1 + j] as number;
      const a2 = Xc[o2 + j] as number;
      const a3 = Xc[o3 + j] as number;
      const row = j * d;
      for (let l = j; l < d; l++) {
        C[row + l] =
          (C[row + l] as number) + a0 * (Xc[o0 + l] as number) + a1 * (Xc[o1 + l] as number) + a2 * (Xc[o2 + l] as number) + a3 * (Xc[o3 + l] as number);
      }
    }
  }
  for (; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const a = Xc[o + j] as number;
      const row = j * d;
      for (let l = j; l < d; l++) C[row + l] = (C[row + l] as number) + a * (Xc[o + l] as number);
    }
  }
}

/** Eigenvectors of Xc^T Xc through the Gram matrix Xc Xc^T (for wide data): v = Xc^T u / sqrt(lambda). */
function gramEigen(Xc: Float64Array, n: number, d: number): { values: Float64Array; vectors: Float64Array } {
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (Xc[a * d + j] as number) * (Xc[b * d + j] as number);
      G[a * n + b] = s;
      G[b * n + a] = s;
    }
  }
  const { values, vectors: U } = symmetricEigen(G, n);
  const m = Math.min(n, d);
  const V = new Float64Array(d * m);
  for (let c = 0; c < m; c++) {
    const lambda = values[c] as number;
    const scale = lambda > 0 ? 1 / Math.sqrt(lambda) : 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let a = 0; a < n; a++) s += (Xc[a * d + j] as number) * (U[a * n + c] as number);
      V[j * m + c] = s * scale;
    }
  }
  return { values: values.slice(0, m), vectors: V };
}

/** Symmetric eigendecomposition (ml-matrix), sorted by decreasing eigenvalue. Vectors p x p row-major, column c = vector c. */
function symmetricEigen(A: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const M = new Matrix(p, p);
  for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) M.set(r, c, A[r * p + c] as number);
  const e = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const order = vals.map((_, i) => i).sort((a, b) => (vals[b] as number) - (vals[a] as number) || a - b);
  const V = e.eigenvectorMatrix;
  const values = new Float64Array(p);
  const vectors = new Float64Array(p * p);
  order.forEach((src, c) => {
    values[c] = vals[src] as number;
    for (let r = 0; r < p; r++) vectors[r * p + c] = V.get(r, src);
  });
  return { values, vectors };
}

interface State {
  columns: string[];
  mean: string;
  components: string;
  explainedVariance: string;
  explainedVarianceRatio: string;
  totalVariance: number;
}

/**
 * A fitted {@link PCA}: `components` (k x ncols, row-major), `explainedVariance`,
 * `explainedVarianceRatio`, `mean`; `transform` projects, `inverseTransform` maps scores back.
 *
 * @example
 * ```ts
 * const pca = await new PCA({ nComponents: 2 }).fit(ds);
 * const scores = pca.transform(ds);            // pc0, pc1 (+ id/target/time columns)
 * const back = pca.inverseTransform(scores);   // the input columns, approximately
 * ```
 */
export class FittedPCA implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedPCA';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Column means of the training data. */
  readonly mean: Float64Array;
  /** k x ncols principal axes, row-major, unit length. */
  readonly components: Float64Array;
  /** Variance of each component's scores (sample variance, n - 1). */
  readonly explainedVariance: Float64Array;
  /** Share of the total variance each component explains. */
  readonly explainedVarianceRatio: Float64Array;
  /** Total variance of the input (sum of the column variances, n - 1). */
  readonly totalVariance: number;

  constructor(
    params: Params,
    columns: readonly string[],
    mean: Float64Array,
    components: Float64Array,
    explainedVariance: Float64Array,
    explainedVarianceRatio: Float64Array,
    totalVariance: number,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.mean = mean;
    this.components = components;
    this.explainedVariance = explainedVariance;
    this.explainedVarianceRatio = explainedVarianceRatio;
    this.totalVariance = totalVariance;
  }

  /** Number of components kept. */
  get nComponents(): number {
    return this.explainedVariance.length;
  }

  /** Names of the output columns (`pc0`, `pc1`, ...). */
  get outputColumns(): string[] {
    return Array.from({ length: this.nComponents }, (_, c) => `${this.params.prefix}${c}`);
  }

  /** The scores as a dense `nrows x nComponents` matrix (row-major). */
  scores(ds: Dataset): Float64Array {
    const cols = this.scoreColumns(ds);
    const k = this.nComponents;
    const n = ds.nrows;
    const out = new Float64Array(n * k);
    for (let c = 0; c < k; c++) {
      const v = cols[c] as Float64Array;
      for (let i = 0; i < n; i++) out[i * k + c] = v[i] as number;
    }
    return out;
  }

  /** One Float64Array of scores per component, computed column by column (no row-major copy of the input). */
  private scoreColumns(ds: Dataset): Float64Array[] {
    requireColumns(ds, this.inputColumns, this.type);
    const d = this.inputColumns.length;
    const n = ds.nrows;
    const k = this.nComponents;
    let values = numericColumns(ds, this.inputColumns, this.type);
    if (!values) {
      const { data } = numericMatrix(ds, this.inputColumns, this.type);
      values = Array.from({ length: d }, (_, j) => Float64Array.from({ length: n }, (_, i) => data[i * d + j] as number));
    }
    const out: Float64Array[] = [];
    for (let c = 0; c < k; c++) {
      const o = new Float64Array(n);
      for (let j = 0; j < d; j++) {
        const w = this.components[c * d + j] as number;
        const m = this.mean[j] as number;
        const v = values[j] as Float64Array;
        for (let i = 0; i < n; i++) o[i] = (o[i] as number) + w * ((v[i] as number) - m);
      }
      if (this.params.whiten) {
        const scale = 1 / whitenScale(this.explainedVariance[c] as number);
        for (let i = 0; i < n; i++) o[i] = (o[i] as number) * scale;
      }
      out.push(o);
    }
    return out;
  }

  transform(ds: Dataset): Dataset {
    const scores = this.scoreColumns(ds);
    const cols: Column[] = this.outputColumns.map((name, c) => makeColumn(name, 'number', { values: scores[c] as Float64Array }));
    return withPassthrough(ds, cols, this.inputColumns);
  }

  /** Maps component scores (the output columns) back to the input columns' units. */
  inverseTransform(ds: Dataset): Dataset {
    const names = this.outputColumns;
    requireColumns(ds, names, this.type);
    const { data: Z, nrows: n } = numericMatrix(ds, names, this.type);
    const k = this.nComponents;
    const d = this.inputColumns.length;
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        let s = this.mean[j] as number;
        for (let c = 0; c < k; c++) {
          const z = (Z[i * k + c] as number) * (this.params.whiten ? whitenScale(this.explainedVariance[c] as number) : 1);
          s += z * (this.components[c * d + j] as number);
        }
        out[i * d + j] = s;
      }
    }
    const cols: Column[] = this.inputColumns.map((name, j) => {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = out[i * d + j] as number;
      return makeColumn(name, 'number', { values: v });
    });
    return withPassthrough(ds, cols, names);
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        mean: encodeArray(this.mean),
        components: encodeArray(this.components),
        explainedVariance: encodeArray(this.explainedVariance),
        explainedVarianceRatio: encodeArray(this.explainedVarianceRatio),
        totalVariance: this.totalVariance,
      },
    };
  }

  /** Restores from {@link FittedPCA.toJSON} output. */
  static fromJSON(json: Serialized): FittedPCA {
    const { params, state } = expectType<State, Params>(json, 'FittedPCA');
    return new FittedPCA(
      parseOptions(Options, params, 'PCA'),
      state.columns,
      decodeFloat64(state.mean),
      decodeFloat64(state.components),
      decodeFloat64(state.explainedVariance),
      decodeFloat64(state.explainedVarianceRatio),
      state.totalVariance,
    );
  }
}

/** Whitening divides by the component's sd; a zero-variance component is left at 0 instead of dividing by 0. */
function whitenScale(variance: number): number {
  return variance > 0 ? Math.sqrt(variance) : 1;
}

/**
 * A new Dataset of `cols` plus the columns of `ds` that have an id, target or time role (and are
 * not among `consumed`), in their original order after the new columns.
 *
 * @example
 * ```ts
 * withPassthrough(ds, [makeColumn('pc0', 'number', { values })], ['a', 'b']);
 * ```
 */
export function withPassthrough(ds: Dataset, cols: readonly Column[], consumed: readonly string[]): Dataset {
  const used = new Set(consumed);
  const made = new Set(cols.map((c) => c.name));
  const roles: Record<string, ColumnRole> = {};
  const out: Column[] = [...cols];
  for (const f of ds.schema.fields) {
    if (f.role && f.role !== 'feature' && !used.has(f.name) && !made.has(f.name)) {
      out.push(ds.column(f.name));
      roles[f.name] = f.role;
    }
  }
  return Dataset.fromColumnList(out, roles);
}

registerLoader('FittedPCA', 1, FittedPCA.fromJSON);
