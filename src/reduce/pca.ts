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
 * `fit` computes the training rows' scores anyway (for the sign convention); the first
 * `transform`/`scores` call on that same Dataset reuses them, as scikit-learn's `fit_transform`
 * does (bit-identical to a fresh projection).
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
    const sums = new Float64Array(d);
    const values = p.solver !== 'gram' && !(p.solver === 'auto' && d > n) ? numericColumns(ds, cols, this.type, sums) : undefined;
    let r: ReturnType<typeof pcaMatrix>;
    if (values) r = pcaColumns(values, sums, n, p.nComponents);
    else {
      const m = numericMatrix(ds, cols, this.type);
      r = pcaMatrix(m.data, n, d, p.nComponents, p.solver);
    }
    checkAbort(options?.signal);
    options?.onProgress?.({ stage: 'eigen', step: 1, total: 1 });
    const fitted = new FittedPCA(p, cols, r.mean, r.components, r.explainedVariance, r.explainedVarianceRatio, r.totalVariance);
    // the training rows' scores (computed for the sign convention) serve the first transform of
    // this same immutable Dataset, as scikit-learn's fit_transform reuses them
    fitScores.set(fitted, { ds: new WeakRef(ds), scores: r.scores });
    return fitted;
  }
}

/** The result of the PCA solvers; `scores` are the training rows' (unwhitened) component scores, one array per component. */
interface PcaResult {
  mean: Float64Array;
  components: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  totalVariance: number;
  scores: Float64Array[];
}

/** Rows per block of the blocked kernels (a centred block of 256 rows x 50 columns is 100 KB: it stays in L2). */
const BLOCK = 256;

/** Writes the centred rows `i0..i1` column-major into `buf` (column j at `j * BLOCK`); padding columns stay 0. */
type Fill = (i0: number, i1: number, buf: Float64Array) => void;

function columnFill(cols: readonly Float64Array[], mean: Float64Array): Fill {
  return (i0, i1, buf) => {
    for (let j = 0; j < cols.length; j++) {
      const v = cols[j] as Float64Array;
      const m = mean[j] as number;
      const o = j * BLOCK - i0;
      for (let i = i0; i < i1; i++) buf[o + i] = (v[i] as number) - m;
    }
  };
}

function rowFill(data: Float64Array, d: number, mean: Float64Array): Fill {
  return (i0, i1, buf) => {
    for (let i = i0; i < i1; i++) {
      const o = i * d;
      const r = i - i0;
      for (let j = 0; j < d; j++) buf[j * BLOCK + r] = (data[o + j] as number) - (mean[j] as number);
    }
  };
}

function checkK(n: number, d: number, nComponents: number | undefined): void {
  const maxK = Math.min(n, d);
  if (nComponents !== undefined && nComponents >= 1 && nComponents > maxK) {
    throw new TesseraError('E_OPTION', `PCA option "nComponents" (${nComponents}) exceeds min(rows, columns) = ${maxK}`, { option: 'nComponents' });
  }
}

/**
 * The synchronous core of {@link PCA} on a dense row-major matrix: column means, components
 * (k x d, scikit-learn's sign convention), explained variance and its ratio, and the rows'
 * scores (one Float64Array per component).
 *
 * @example
 * ```ts
 * const { components } = pcaMatrix(X, n, d, 2);
 * ```
 */
export function pcaMatrix(data: Float64Array, n: number, d: number, nComponents?: number, solver: 'auto' | 'covariance' | 'gram' = 'auto'): PcaResult {
  checkK(n, d, nComponents);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (data[i * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  const fill = rowFill(data, d, mean);
  const gram = solver === 'gram' || (solver === 'auto' && d > n);
  if (!gram) return covarianceSolve(fill, n, d, mean, nComponents);
  if (n > MAX_GRAM_ROWS) {
    throw new TesseraError('E_LIMIT', `PCA solver "gram" needs a ${n} x ${n} matrix; at most ${MAX_GRAM_ROWS} rows (use solver "covariance")`, {
      option: 'solver',
    });
  }
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = (data[i * d + j] as number) - (mean[j] as number);
  const { values, vectors } = gramEigen(Xc, n, d);
  // Gram: the ignored eigenvalues are all zero, so the trace is the exact total
  let total = 0;
  for (let q = 0; q < Xc.length; q++) total += (Xc[q] as number) * (Xc[q] as number);
  return finish(values, vectors, fill, n, d, total, nComponents, mean);
}

/** The covariance route of {@link pcaMatrix} straight from column arrays (no row-major copy); `sums`: the column sums. */
function pcaColumns(cols: readonly Float64Array[], sums: Float64Array, n: number, nComponents: number | undefined): PcaResult {
  const d = cols.length;
  checkK(n, d, nComponents);
  const mean = new Float64Array(d);
  for (let j = 0; j < d; j++) mean[j] = (sums[j] as number) / n;
  return covarianceSolve(columnFill(cols, mean), n, d, mean, nComponents);
}

/** Covariance solver: blocked XcᵀXc of the centred rows, eigendecomposition of that d x d matrix, then {@link finish}. */
function covarianceSolve(fill: Fill, n: number, d: number, mean: Float64Array, nComponents: number | undefined): PcaResult {
  const dp = (d + 3) & ~3; // padded to a multiple of the 4 x 4 tile; padding columns are zero
  const buf = new Float64Array(dp * BLOCK);
  const G = new Float64Array(dp * dp);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    fill(i0, i1, buf);
    addCrossProducts(buf, i1 - i0, dp, G);
  }
  const C = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let l = j; l < d; l++) {
      const v = G[j * dp + l] as number;
      C[j * d + l] = v;
      C[l * d + j] = v;
    }
  }
  const { values, vectors } = symmetricEigen(C, d);
  let total = 0;
  for (let c = 0; c < d; c++) total += Math.max(0, values[c] as number);
  return finish(values, vectors, fill, n, d, total, nComponents, mean);
}

/**
 * Adds the upper triangle (by 4 x 4 tiles) of BᵀB to `G` (dp x dp), B being the `m` rows of a
 * column-major block (`buf`, column stride BLOCK, dp columns). Each tile keeps its 16 sums in
 * locals over the block's rows, so G is touched once per tile and block.
 */
function addCrossProducts(buf: Float64Array, m: number, dp: number, G: Float64Array): void {
  for (let J = 0; J < dp; J += 4) {
    const a0 = J * BLOCK;
    const a1 = a0 + BLOCK;
    const a2 = a1 + BLOCK;
    const a3 = a2 + BLOCK;
    for (let L = J; L < dp; L += 4) {
      const b0 = L * BLOCK;
      const b1 = b0 + BLOCK;
      const b2 = b1 + BLOCK;
      const b3 = b2 + BLOCK;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let r = 0; r < m; r++) {
        const x0 = buf[a0 + r] as number;
        const x1 = buf[a1 + r] as number;
        const x2 = buf[a2 + r] as number;
        const x3 = buf[a3 + r] as number;
        const y0 = buf[b0 + r] as number;
        const y1 = buf[b1 + r] as number;
        const y2 = buf[b2 + r] as number;
        const y3 = buf[b3 + r] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      const g0 = J * dp + L;
      const g1 = g0 + dp;
      const g2 = g1 + dp;
      const g3 = g2 + dp;
      G[g0] = (G[g0] as number) + s00;
      G[g0 + 1] = (G[g0 + 1] as number) + s01;
      G[g0 + 2] = (G[g0 + 2] as number) + s02;
      G[g0 + 3] = (G[g0 + 3] as number) + s03;
      G[g1] = (G[g1] as number) + s10;
      G[g1 + 1] = (G[g1 + 1] as number) + s11;
      G[g1 + 2] = (G[g1 + 2] as number) + s12;
      G[g1 + 3] = (G[g1 + 3] as number) + s13;
      G[g2] = (G[g2] as number) + s20;
      G[g2 + 1] = (G[g2 + 1] as number) + s21;
      G[g2 + 2] = (G[g2 + 2] as number) + s22;
      G[g2 + 3] = (G[g2 + 3] as number) + s23;
      G[g3] = (G[g3] as number) + s30;
      G[g3 + 1] = (G[g3 + 1] as number) + s31;
      G[g3 + 2] = (G[g3 + 2] as number) + s32;
      G[g3 + 3] = (G[g3 + 3] as number) + s33;
    }
  }
}

/**
 * Scores of all rows on the `k` axes `W` (k x d, row-major): one array per component. Every score
 * is its dot product summed in column order from 0 (whatever the tiling), so fit and `transform`
 * give bit-identical values. Tiles of 4 rows x 4 components keep 16 sums in locals.
 */
function project(fill: Fill, n: number, d: number, W: Float64Array, k: number): Float64Array[] {
  const out = Array.from({ length: k }, () => new Float64Array(n));
  const buf = new Float64Array(d * BLOCK);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    fill(i0, i1, buf);
    const m = i1 - i0;
    const m4 = m & ~3;
    let c = 0;
    for (; c + 3 < k; c += 4) {
      const w0 = c * d;
      const w1 = w0 + d;
      const w2 = w1 + d;
      const w3 = w2 + d;
      const o0 = out[c] as Float64Array;
      const o1 = out[c + 1] as Float64Array;
      const o2 = out[c + 2] as Float64Array;
      const o3 = out[c + 3] as Float64Array;
      for (let r = 0; r < m4; r += 4) {
        let t00 = 0;
        let t01 = 0;
        let t02 = 0;
        let t03 = 0;
        let t10 = 0;
        let t11 = 0;
        let t12 = 0;
        let t13 = 0;
        let t20 = 0;
        let t21 = 0;
        let t22 = 0;
        let t23 = 0;
        let t30 = 0;
        let t31 = 0;
        let t32 = 0;
        let t33 = 0;
        for (let j = 0, q = r; j < d; j++, q += BLOCK) {
          const x0 = buf[q] as number;
          const x1 = buf[q + 1] as number;
          const x2 = buf[q + 2] as number;
          const x3 = buf[q + 3] as number;
          const v0 = W[w0 + j] as number;
          const v1 = W[w1 + j] as number;
          const v2 = W[w2 + j] as number;
          const v3 = W[w3 + j] as number;
          t00 += x0 * v0;
          t01 += x0 * v1;
          t02 += x0 * v2;
          t03 += x0 * v3;
          t10 += x1 * v0;
          t11 += x1 * v1;
          t12 += x1 * v2;
          t13 += x1 * v3;
          t20 += x2 * v0;
          t21 += x2 * v1;
          t22 += x2 * v2;
          t23 += x2 * v3;
          t30 += x3 * v0;
          t31 += x3 * v1;
          t32 += x3 * v2;
          t33 += x3 * v3;
        }
        const i = i0 + r;
        // + 0: a zero score is +0 on every path
        o0[i] = t00 + 0;
        o1[i] = t01 + 0;
        o2[i] = t02 + 0;
        o3[i] = t03 + 0;
        o0[i + 1] = t10 + 0;
        o1[i + 1] = t11 + 0;
        o2[i + 1] = t12 + 0;
        o3[i + 1] = t13 + 0;
        o0[i + 2] = t20 + 0;
        o1[i + 2] = t21 + 0;
        o2[i + 2] = t22 + 0;
        o3[i + 2] = t23 + 0;
        o0[i + 3] = t30 + 0;
        o1[i + 3] = t31 + 0;
        o2[i + 3] = t32 + 0;
        o3[i + 3] = t33 + 0;
      }
      for (let r = m4; r < m; r++) {
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let t3 = 0;
        for (let j = 0, q = r; j < d; j++, q += BLOCK) {
          const x = buf[q] as number;
          t0 += x * (W[w0 + j] as number);
          t1 += x * (W[w1 + j] as number);
          t2 += x * (W[w2 + j] as number);
          t3 += x * (W[w3 + j] as number);
        }
        o0[i0 + r] = t0 + 0;
        o1[i0 + r] = t1 + 0;
        o2[i0 + r] = t2 + 0;
        o3[i0 + r] = t3 + 0;
      }
    }
    for (; c < k; c++) {
      const w0 = c * d;
      const o0 = out[c] as Float64Array;
      for (let r = 0; r < m4; r += 4) {
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        let t3 = 0;
        for (let j = 0, q = r; j < d; j++, q += BLOCK) {
          const v = W[w0 + j] as number;
          t0 += (buf[q] as number) * v;
          t1 += (buf[q + 1] as number) * v;
          t2 += (buf[q + 2] as number) * v;
          t3 += (buf[q + 3] as number) * v;
        }
        o0[i0 + r] = t0 + 0;
        o0[i0 + r + 1] = t1 + 0;
        o0[i0 + r + 2] = t2 + 0;
        o0[i0 + r + 3] = t3 + 0;
      }
      for (let r = m4; r < m; r++) {
        let t0 = 0;
        for (let j = 0, q = r; j < d; j++, q += BLOCK) t0 += (buf[q] as number) * (W[w0 + j] as number);
        o0[i0 + r] = t0 + 0;
      }
    }
  }
  return out;
}

/**
 * Shared tail of the PCA solvers: picks k, projects the rows on the k leading eigenvectors, fixes
 * signs as scikit-learn's `svd_flip` (the score of largest magnitude of each component is
 * positive; flipping negates the axis and its scores exactly), and computes the explained variance.
 */
function finish(
  values: Float64Array,
  vectors: Float64Array,
  fill: Fill,
  n: number,
  d: number,
  total: number,
  want: number | undefined,
  mean: Float64Array,
): PcaResult {
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
  const components = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) components[c * d + j] = vectors[j * m + c] as number;
  const scores = project(fill, n, d, components, k);
  const ev = new Float64Array(k);
  const ratio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const s = scores[c] as Float64Array;
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < n; i++) {
      const t = s[i] as number;
      const a = t < 0 ? -t : t;
      if (a > best) {
        best = a;
        bestScore = t;
      }
    }
    if (bestScore < 0) {
      for (let j = 0; j < d; j++) components[c * d + j] = -(components[c * d + j] as number);
      for (let i = 0; i < n; i++) s[i] = -(s[i] as number) + 0;
    }
    const lambda = Math.max(0, values[c] as number);
    ev[c] = lambda / (n - 1);
    ratio[c] = total > 0 ? lambda / total : 0;
  }
  return { mean, components, explainedVariance: ev, explainedVarianceRatio: ratio, totalVariance: total / (n - 1), scores };
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

/**
 * Scores of the training rows kept by `PCA.fit` for the first `transform`/`scores` call on that
 * same Dataset: used once, then dropped; bit-identical to a fresh projection (same kernel).
 */
const fitScores = new WeakMap<FittedPCA, { ds: WeakRef<Dataset>; scores: Float64Array[] }>();

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

  /** One Float64Array of unwhitened scores per component (blocked projection, no row-major copy of the input). */
  private rawScores(ds: Dataset): Float64Array[] {
    const cached = fitScores.get(this);
    if (cached) {
      fitScores.delete(this);
      if (cached.ds.deref() === ds) {
        requireColumns(ds, this.inputColumns, this.type);
        return cached.scores;
      }
    }
    requireColumns(ds, this.inputColumns, this.type);
    const d = this.inputColumns.length;
    const n = ds.nrows;
    const values = numericColumns(ds, this.inputColumns, this.type);
    const fill = values ? columnFill(values, this.mean) : rowFill(numericMatrix(ds, this.inputColumns, this.type).data, d, this.mean);
    return project(fill, n, d, this.components, this.nComponents);
  }

  /** One Float64Array of scores per component (whitened when `whiten`). */
  private scoreColumns(ds: Dataset): Float64Array[] {
    const out = this.rawScores(ds);
    if (this.params.whiten) {
      const n = ds.nrows;
      out.forEach((o, c) => {
        const scale = 1 / whitenScale(this.explainedVariance[c] as number);
        for (let i = 0; i < n; i++) o[i] = (o[i] as number) * scale;
      });
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
