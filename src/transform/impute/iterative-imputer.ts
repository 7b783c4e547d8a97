import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../../core/abort.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { Rng } from '../../core/random.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { ColumnKind } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../../dataset/features.js';
import { type BayesianRidgeStats, LogisticRegression, RandomForestClassifier, RandomForestRegressor } from '../../model/index.js';
import {
  addIndicators,
  type ColumnSpec,
  checkFinite,
  checkKinds,
  decodeFilled,
  encodeMatrix,
  type ImputeResult,
  isCategorical,
  makeReport,
  missingCounts,
  refuseEmptyColumns,
} from './common.js';
import { buildSpecs } from './fallback.js';
import {
  bayesianRidgeLearner,
  type ColumnClassifier,
  type ColumnLearner,
  type ColumnRegressor,
  ConstantModel,
  type LearnerState,
  loadClassifier,
  loadRegressor,
  modelLearner,
} from './learners.js';

const Options = z
  .object({
    /** Columns to impute and to use as predictors; default: every number/integer/datetime/boolean/category feature (text passes through). */
    columns: z.array(z.string()).optional(),
    /** Per-column model: `'bayesianRidge'` (numbers; logistic regression for categories) or `'randomForest'` (missForest). */
    estimator: z.enum(['bayesianRidge', 'randomForest']).default('bayesianRidge'),
    /** Initial fill of numeric columns before the first round (categories always start from their mode). */
    initialStrategy: z.enum(['mean', 'median', 'mostFrequent', 'constant']).default('mean'),
    /** Order in which columns are visited: by ascending/descending share of missing cells, left to right (`roman`), right to left (`arabic`) or shuffled each round (`random`). */
    order: z.enum(['ascending', 'descending', 'roman', 'arabic', 'random']).default('ascending'),
    /** Maximum number of rounds over the columns. Default 10. */
    maxIter: z.number().int().min(1).max(1000).default(10),
    /** Stop when the largest change of a row (sum of absolute changes) falls below `tol` times the largest absolute observed value (scikit-learn's rule). Not used when sampling. */
    tol: z.number().min(0).default(1e-3),
    /** Draw each fill from the model's predictive distribution (normal for numbers, class probabilities for categories) instead of using its mean/mode. */
    sampleFromPosterior: z.boolean().default(false),
    /** Number of imputations (chains) for multiple imputation; `transformMultiple` returns them all. Needs `sampleFromPosterior` or the random forest. */
    m: z.number().int().min(1).max(100).default(1),
    /** Fit no model for columns with no gap when fitting (they keep their initial fill at transform time). Default false, as scikit-learn. */
    skipComplete: z.boolean().default(false),
    /** Keep numeric fills within the observed range of the column (clip means; draws come from the normal truncated to that range). Default true. */
    clip: z.boolean().default(true),
    /** Trees per forest for `estimator: 'randomForest'`. Default 100. */
    nEstimators: z.number().int().min(1).max(1000).default(100),
    /** Append a boolean `<column>_missing` column for each column that had gaps when fitting. */
    addIndicator: z.boolean().default(false),
    /** A column with no observed value when fitting: `'error'` (default) or `'constant'`. */
    emptyColumns: z.enum(['error', 'constant']).default('error'),
    /** Round fills of integer and datetime columns to whole numbers. Default true. */
    roundIntegers: z.boolean().default(true),
    /** Seed for sampling, random order and forests. */
    seed: z.number().int().default(0),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.m > 1 && !o.sampleFromPosterior && o.estimator !== 'randomForest') {
      ctx.addIssue({ code: 'custom', path: ['m'], message: 'm > 1 needs sampleFromPosterior: true (otherwise the imputations are identical)' });
    }
  });

/** Options of {@link IterativeImputer}. @example `const o: IterativeImputerOptions = { maxIter: 10, sampleFromPosterior: true, m: 5 };` */
export type IterativeImputerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true, stochastic: true };
const KINDS: readonly ColumnKind[] = ['number', 'integer', 'datetime', 'boolean', 'category'];

/** The per-column learners: BayesianRidge + LogisticRegression, or random forests (missForest). */
function learnerFor(p: Params): ColumnLearner {
  if (p.estimator === 'randomForest') {
    return modelLearner(
      'randomForest',
      (seed, columns) => new RandomForestRegressor({ nEstimators: p.nEstimators, seed, columns }),
      (seed, columns) => new RandomForestClassifier({ nEstimators: p.nEstimators, seed, columns }),
    );
  }
  return bayesianRidgeLearner((_seed, columns) => new LogisticRegression({ columns }));
}

/** One fitted step of the chained equations: the column visited and its model. */
interface Step {
  col: number;
  model: ColumnRegressor | ColumnClassifier;
}

/** Column layout of the design matrices: numeric columns take one slot, categorical ones one slot per level (one-hot). */
class Layout {
  readonly offset: Int32Array;
  readonly width: Int32Array;
  readonly total: number;
  readonly cat: boolean[];
  /** Reused buffer for design matrices (models must not keep the matrix they are given). */
  private scratch = new Float64Array(0);
  constructor(readonly specs: readonly ColumnSpec[]) {
    const p = specs.length;
    this.offset = new Int32Array(p);
    this.width = new Int32Array(p);
    this.cat = specs.map((s) => isCategorical(s.kind));
    let o = 0;
    specs.forEach((s, j) => {
      this.offset[j] = o;
      const w = this.cat[j] ? Math.max(1, s.levels.length) : 1;
      this.width[j] = w;
      o += w;
    });
    this.total = o;
  }
  /** Column-major design buffer of {@link Layout.centredStats}. */
  private scratchT = new Float64Array(0);
  /**
   * Sufficient statistics of the design of column `target` over `rows` (centred Gram matrix of the
   * predictors, their products with `y`, means), from a column-major centred copy of the design
   * (kept in a reused buffer, so `exactRss` can sum residuals until the next call).
   */
  centredStats(
    Xt: Float64Array,
    p: number,
    rows: Int32Array,
    target: number,
    y: Float64Array,
  ): { stats: BayesianRidgeStats; exactRss: (coef: Float64Array) => number } {
    const q = this.total - (this.width[target] as number);
    const m = rows.length;
    if (this.scratchT.length < m * q) this.scratchT = new Float64Array(m * q);
    const T = this.scratchT;
    // Fill column by column (slot s occupies T[s·m .. s·m + m)).
    let slot = 0;
    for (let j = 0; j < p; j++) {
      if (j === target) continue;
      const w = this.width[j] as number;
      if (this.cat[j]) {
        T.fill(0, slot * m, (slot + w) * m);
        for (let r = 0; r < m; r++) {
          const v = Xt[(rows[r] as number) * p + j] as number;
          if (!Number.isNaN(v)) T[(slot + v) * m + r] = 1;
        }
      } else {
        const o = slot * m;
        for (let r = 0; r < m; r++) T[o + r] = Xt[(rows[r] as number) * p + j] as number;
      }
      slot += w;
    }
    const xMean = new Float64Array(q);
    for (let s = 0; s < q; s++) {
      const o = s * m;
      let t = 0;
      for (let r = 0; r < m; r++) t += T[o + r] as number;
      const mu = t / m;
      xMean[s] = mu;
      for (let r = 0; r < m; r++) T[o + r] = (T[o + r] as number) - mu;
    }
    let yMean = 0;
    for (let r = 0; r < m; r++) yMean += y[r] as number;
    yMean /= m;
    const yc = new Float64Array(m);
    let yty = 0;
    for (let r = 0; r < m; r++) {
      const v = (y[r] as number) - yMean;
      yc[r] = v;
      yty += v * v;
    }
    const gram = new Float64Array(q * q);
    const xty = new Float64Array(q);
    for (let a = 0; a < q; a++) {
      const oa = a * m;
      xty[a] = dot(T, oa, yc, 0, m);
      for (let c = a; c < q; c++) {
        const g = dot(T, oa, T, c * m, m);
        gram[a * q + c] = g;
        gram[c * q + a] = g;
      }
    }
    const exactRss = (coef: Float64Array): number => {
      let rss = 0;
      for (let r = 0; r < m; r++) {
        let t = yc[r] as number;
        for (let s = 0; s < q; s++) t -= (T[s * m + r] as number) * (coef[s] as number);
        rss += t * t;
      }
      return rss;
    };
    return { stats: { n: m, p: q, gram, xty, yty, xMean, yMean }, exactRss };
  }
  /** Predictors of column `target` for `rows` of the current matrix `Xt` (n × p): every other column. */
  design(Xt: Float64Array, p: number, rows: Int32Array, target: number): { A: Float64Array; q: number } {
    const q = this.total - (this.width[target] as number);
    const m = rows.length;
    if (this.scratch.length < m * q) this.scratch = new Float64Array(m * q);
    const A = this.scratch.subarray(0, m * q);
    A.fill(0);
    for (let r = 0; r < m; r++) {
      const base = (rows[r] as number) * p;
      let o = r * q;
      for (let j = 0; j < p; j++) {
        if (j === target) continue;
        const v = Xt[base + j] as number;
        if (this.cat[j]) {
          if (!Number.isNaN(v)) A[o + v] = 1;
          o += this.width[j] as number;
        } else A[o++] = v;
      }
    }
    return { A, q };
  }
}

/**
 * Multivariate imputation by chained equations (MICE), as scikit-learn's `IterativeImputer`: after
 * an initial fill, each column in turn is modelled from all the others on the rows where it is
 * observed, and its gaps are replaced by the model's prediction; rounds repeat until the change is
 * below `tol` or `maxIter` rounds. Numbers use tessera's `BayesianRidge` (its predictive standard
 * deviation drives `sampleFromPosterior`), categories and booleans `LogisticRegression` over their
 * levels (one-hot predictors), or random forests for
 * both (`estimator: 'randomForest'`, i.e. missForest). With `sampleFromPosterior` each fill is a
 * draw from the predictive distribution, and `m` chains give `m` completed tables
 * (`transformMultiple`) for multiple imputation; pool an estimate across them with {@link poolRubin}.
 * The fitted object stores every round's models and replays them at transform time.
 *
 * A category level seen only at transform time is kept as a value and counts as no level (all
 * one-hot zeros) as a predictor. A column with no observed value is refused unless
 * `emptyColumns: 'constant'`.
 *
 * @example
 * ```ts
 * import { Dataset, IterativeImputer } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 5, 6], y: [2, 4, 6, null, 10, 12] });
 * const fitted = await new IterativeImputer({ roundIntegers: false }).fit(ds);
 * fitted.transform(ds).get(3, 'y'); // close to 8
 * ```
 */
export class IterativeImputer implements Transform<FittedIterativeImputer> {
  readonly kind = 'transform' as const;
  readonly type = 'IterativeImputer';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: IterativeImputerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedIterativeImputer> {
    checkAbort(options?.signal);
    requireRows(ds, this.type);
    const P = this.params;
    const cols = resolveColumns(ds, P.columns, KINDS, this.type);
    const counts = missingCounts(ds, cols);
    const n = ds.nrows;
    const empty = cols.filter((_, j) => counts[j] === n);
    if (P.emptyColumns === 'error') refuseEmptyColumns(this.type, empty);
    const specs = buildSpecs(ds, cols, counts);
    const { X, missing, p } = encodeMatrix(ds, specs);
    checkFinite(X, n, p, specs, this.type);
    const init = initialFill(X, n, p, specs, P.initialStrategy);
    const lo = new Float64Array(p).fill(Number.NEGATIVE_INFINITY);
    const hi = new Float64Array(p).fill(Number.POSITIVE_INFINITY);
    let maxAbs = 0;
    for (let j = 0; j < p; j++) {
      if (isCategorical((specs[j] as ColumnSpec).kind) || counts[j] === n) continue;
      let a = Number.POSITIVE_INFINITY;
      let b = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const v = X[i * p + j] as number;
        if (Number.isNaN(v)) continue;
        if (v < a) a = v;
        if (v > b) b = v;
        if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
      }
      if (P.clip) {
        lo[j] = a;
        hi[j] = b;
      }
    }
    // Columns visited: those with an observed value (and, with skipComplete, a gap), in the chosen order.
    let visit = Array.from({ length: p }, (_, j) => j).filter((j) => (counts[j] as number) < n && (!P.skipComplete || (counts[j] as number) > 0));
    if (P.order === 'ascending' || P.order === 'descending') {
      const sign = P.order === 'ascending' ? 1 : -1;
      visit = visit
        .map((j, r) => [j, r] as const)
        .sort((a, b) => sign * ((counts[a[0]] as number) - (counts[b[0]] as number)) || a[1] - b[1])
        .map((x) => x[0]);
    } else if (P.order === 'arabic') visit.reverse();
    const layout = new Layout(specs);
    const learner = learnerFor(P);
    const engine = new Engine(specs, layout, init, lo, hi, P.sampleFromPosterior);
    const chains: Step[][][] = [];
    let firstChain: Float64Array | undefined;
    const total = P.m * P.maxIter;
    let done = 0;
    for (let c = 0; c < P.m; c++) {
      const rng = new Rng(P.seed * 1000 + c);
      const Xt = engine.start(X, missing, n);
      const rounds: Step[][] = [];
      const obsRows = visit.map((j) => rowsWhere(missing, n, p, j, 0));
      const misRows = visit.map((j) => rowsWhere(missing, n, p, j, 1));
      // All-numeric tables with the Gram-route learner: sums over all rows, updated per column.
      const tracker = learner.fitRegressorGram && !layout.cat.some(Boolean) ? new GramTracker(n, p, init) : undefined;
      tracker?.reset(Xt);
      // the matrix before each round, for the convergence check (not when sampling)
      const prev = P.sampleFromPosterior ? undefined : new Float64Array(n * p);
      for (let it = 0; it < P.maxIter; it++) {
        prev?.set(Xt);
        const order = P.order === 'random' ? rng.shuffle(visit.map((_, t) => t)) : visit.map((_, t) => t);
        const steps: Step[] = [];
        for (const t of order) {
          const j = visit[t] as number;
          const mis = misRows[t] as Int32Array;
          const model = await engine.fitColumn(learner, Xt, n, p, j, obsRows[t] as Int32Array, X, rng.uint32(), tracker, mis);
          tracker?.before(Xt, j, mis);
          engine.applyColumn(model, Xt, p, j, mis, rng);
          tracker?.after(Xt, j, mis);
          steps.push({ col: j, model });
        }
        rounds.push(steps);
        done++;
        options?.onProgress?.({ stage: 'iteration', step: done, total });
        await yieldToEventLoop(options?.signal);
        if (prev && converged(Xt, prev, n, p, layout.cat, P.tol * maxAbs)) break;
      }
      chains.push(rounds);
      if (c === 0) firstChain = Xt;
    }
    const withGaps = cols.filter((_, j) => (counts[j] as number) > 0);
    const fitted = new FittedIterativeImputer(P, specs, init, lo, hi, chains, withGaps, learner.name);
    // Without sampling, replaying the rounds on the fitted Dataset gives exactly the fit's last
    // matrix; keep it (for that immutable Dataset only) so fit-then-transform does not redo the work.
    if (!P.sampleFromPosterior && firstChain) fitted.remember(ds, firstChain);
    return fitted;
  }
}

/**
 * Sums over all rows of the current all-numeric matrix (shifted by the initial fills: `S1 = Σ x̃`,
 * `S2 = Σ x̃ x̃ᵀ`), so that the centred Gram statistics of column j's observed rows come from the
 * totals minus a pass over its missing rows (usually far fewer), and re-imputing column j updates
 * only row and column j of `S2`. Computed from scratch once per chain; the updates are exact
 * differences, so rounding drift stays at the level of a few ulps per update.
 */
class GramTracker {
  private readonly S1: Float64Array;
  private readonly S2: Float64Array;
  private readonly M1: Float64Array;
  private readonly M2: Float64Array;
  private readonly row: Float64Array;
  private old: Float64Array;
  constructor(
    private readonly n: number,
    private readonly p: number,
    private readonly shift: Float64Array,
  ) {
    this.S1 = new Float64Array(p);
    this.S2 = new Float64Array(p * p);
    this.M1 = new Float64Array(p);
    this.M2 = new Float64Array(p * p);
    this.row = new Float64Array(p);
    this.old = new Float64Array(0);
  }

  /** Adds the shifted row `i` of `Xt` to `s1`/`s2` (upper triangle). */
  private add(Xt: Float64Array, i: number, s1: Float64Array, s2: Float64Array): void {
    const { p, shift, row } = this;
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const v = (Xt[o + a] as number) - (shift[a] as number);
      row[a] = v;
      s1[a] = (s1[a] as number) + v;
    }
    for (let a = 0; a < p; a++) {
      const va = row[a] as number;
      const ga = a * p;
      for (let b = a; b < p; b++) s2[ga + b] = (s2[ga + b] as number) + va * (row[b] as number);
    }
  }

  reset(Xt: Float64Array): void {
    const { n, p, S1, S2 } = this;
    S1.fill(0);
    S2.fill(0);
    for (let i = 0; i < n; i++) this.add(Xt, i, S1, S2);
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) S2[a * p + b] = S2[b * p + a] as number;
  }

  /** Centred statistics of the other columns against column `j` over its observed rows (`obs`; `mis` is the rest). */
  stats(
    Xt: Float64Array,
    j: number,
    obs: Int32Array,
    mis: Int32Array,
    y: Float64Array,
  ): { stats: BayesianRidgeStats; exactRss: (coef: Float64Array) => number } {
    const { p, shift, S1, S2, M1, M2 } = this;
    M1.fill(0);
    M2.fill(0);
    for (let r = 0; r < mis.length; r++) this.add(Xt, mis[r] as number, M1, M2);
    const m = obs.length;
    const q = p - 1;
    const mu = new Float64Array(p);
    for (let a = 0; a < p; a++) mu[a] = ((S1[a] as number) - (M1[a] as number)) / m;
    // Σ over observed rows of x̃_a x̃_b, centred: S2 − M2 − m·μ_a·μ_b (M2 holds the upper triangle).
    const centred = (a: number, b: number): number => {
      const u = a < b ? a * p + b : b * p + a;
      return (S2[u] as number) - (M2[u] as number) - m * (mu[a] as number) * (mu[b] as number);
    };
    const gram = new Float64Array(q * q);
    const xty = new Float64Array(q);
    const xMean = new Float64Array(q);
    const cols = new Int32Array(q);
    for (let a = 0, s = 0; a < p; a++) if (a !== j) cols[s++] = a;
    for (let s = 0; s < q; s++) {
      const a = cols[s] as number;
      xMean[s] = (mu[a] as number) + (shift[a] as number);
      xty[s] = centred(a, j);
      for (let t = s; t < q; t++) {
        const g = centred(a, cols[t] as number);
        gram[s * q + t] = g;
        gram[t * q + s] = g;
      }
    }
    const yty = Math.max(0, centred(j, j));
    const yMean = (mu[j] as number) + (shift[j] as number);
    const exactRss = (coef: Float64Array): number => {
      let rss = 0;
      for (let r = 0; r < m; r++) {
        const o = (obs[r] as number) * p;
        let t = (y[r] as number) - yMean;
        for (let s = 0; s < q; s++) t -= ((Xt[o + (cols[s] as number)] as number) - (xMean[s] as number)) * (coef[s] as number);
        rss += t * t;
      }
      return rss;
    };
    return { stats: { n: m, p: q, gram, xty, yty, xMean, yMean }, exactRss };
  }

  /** Remembers column `j` on its missing rows before they are re-imputed. */
  before(Xt: Float64Array, j: number, mis: Int32Array): void {
    if (this.old.length < mis.length) this.old = new Float64Array(mis.length);
    for (let r = 0; r < mis.length; r++) this.old[r] = Xt[(mis[r] as number) * this.p + j] as number;
  }

  /** Updates row and column `j` of the sums for the re-imputed cells. */
  after(Xt: Float64Array, j: number, mis: Int32Array): void {
    const { p, shift, S1, S2, old } = this;
    const sj = shift[j] as number;
    for (let r = 0; r < mis.length; r++) {
      const o = (mis[r] as number) * p;
      const nv = (Xt[o + j] as number) - sj;
      const ov = (old[r] as number) - sj;
      const d = nv - ov;
      if (d === 0) continue;
      S1[j] = (S1[j] as number) + d;
      for (let b = 0; b < p; b++) {
        if (b === j) continue;
        const t = d * ((Xt[o + b] as number) - (shift[b] as number));
        S2[j * p + b] = (S2[j * p + b] as number) + t;
        S2[b * p + j] = (S2[b * p + j] as number) + t;
      }
      S2[j * p + j] = (S2[j * p + j] as number) + nv * nv - ov * ov;
    }
  }
}

/** `Σ a[ao + r] · b[bo + r]` for r < m, four accumulators. */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let r = 0;
  for (; r + 3 < m; r += 4) {
    s0 += (a[ao + r] as number) * (b[bo + r] as number);
    s1 += (a[ao + r + 1] as number) * (b[bo + r + 1] as number);
    s2 += (a[ao + r + 2] as number) * (b[bo + r + 2] as number);
    s3 += (a[ao + r + 3] as number) * (b[bo + r + 3] as number);
  }
  for (; r < m; r++) s0 += (a[ao + r] as number) * (b[bo + r] as number);
  return s0 + s1 + s2 + s3;
}

function rowsWhere(missing: Uint8Array, n: number, p: number, j: number, flag: 0 | 1): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (missing[i * p + j] === flag) out.push(i);
  return Int32Array.from(out);
}

/** scikit-learn's stopping rule: ‖Xt − prev‖∞ (largest row sum of absolute changes, numeric columns) below `tol`. */
function converged(Xt: Float64Array, prev: Float64Array, n: number, p: number, cat: readonly boolean[], tol: number): boolean {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) if (!cat[j]) s += Math.abs((Xt[i * p + j] as number) - (prev[i * p + j] as number));
    if (s > worst) worst = s;
  }
  return worst < tol;
}

/** Initial fill per column (encoded units): mean/median/mode/0 for numbers (median for datetimes), the mode for categories. */
function initialFill(X: Float64Array, n: number, p: number, specs: readonly ColumnSpec[], strategy: Params['initialStrategy']): Float64Array {
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const s = specs[j] as ColumnSpec;
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = X[i * p + j] as number;
      if (!Number.isNaN(x)) v.push(x);
    }
    if (v.length === 0) {
      out[j] = 0;
      continue;
    }
    const cat = isCategorical(s.kind);
    if (cat || strategy === 'mostFrequent') {
      const counts = new Map<number, number>();
      for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
      let best = Number.POSITIVE_INFINITY;
      let bestN = -1;
      for (const [x, c] of counts) if (c > bestN || (c === bestN && x < best)) [best, bestN] = [x, c];
      out[j] = best;
    } else if (strategy === 'constant') out[j] = 0;
    else if (strategy === 'median' || s.kind === 'datetime') {
      v.sort((a, b) => a - b);
      const m = v.length >> 1;
      out[j] = v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
    } else {
      let m = 0;
      for (let t = 0; t < v.length; t++) m += ((v[t] as number) - m) / (t + 1);
      out[j] = m;
    }
  }
  return out;
}

/** The shared fit/replay machinery. */
class Engine {
  constructor(
    readonly specs: readonly ColumnSpec[],
    readonly layout: Layout,
    readonly init: Float64Array,
    readonly lo: Float64Array,
    readonly hi: Float64Array,
    readonly sample: boolean,
  ) {}

  /** Reused target buffer of {@link Engine.fitColumn} (models do not keep it). */
  private yBuf = new Float64Array(0);

  /** The matrix with every gap set to its initial fill. */
  start(X: Float64Array, missing: Uint8Array, n: number): Float64Array {
    const p = this.specs.length;
    const Xt = X.slice();
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) if (missing[i * p + j]) Xt[i * p + j] = this.init[j] as number;
    return Xt;
  }

  async fitColumn(
    learner: ColumnLearner,
    Xt: Float64Array,
    _n: number,
    p: number,
    j: number,
    obs: Int32Array,
    X: Float64Array,
    seed: number,
    tracker?: GramTracker,
    mis?: Int32Array,
  ): Promise<ColumnRegressor | ColumnClassifier> {
    const cat = this.layout.cat[j] as boolean;
    const m = obs.length;
    if (cat) {
      const L = Math.max(1, (this.specs[j] as ColumnSpec).levels.length);
      const y = new Int32Array(m);
      const seen = new Float64Array(L);
      for (let r = 0; r < m; r++) {
        const v = X[(obs[r] as number) * p + j] as number;
        y[r] = v;
        seen[v] = (seen[v] as number) + 1;
      }
      const distinct = seen.reduce((a, c) => a + (c > 0 ? 1 : 0), 0);
      if (m < 2 || distinct < 2) {
        const probs = new Float64Array(L);
        if (m === 0) probs[this.init[j] as number] = 1;
        else for (let l = 0; l < L; l++) probs[l] = (seen[l] as number) / m;
        return new ConstantModel(probs);
      }
      const { A, q } = this.layout.design(Xt, p, obs, j);
      return learner.fitClassifier(A, m, q, y, L, seed);
    }
    if (this.yBuf.length < m) this.yBuf = new Float64Array(m);
    const y = this.yBuf.subarray(0, m);
    for (let r = 0; r < m; r++) y[r] = X[(obs[r] as number) * p + j] as number;
    if (m < 2) return new ConstantModel(Float64Array.of(m === 1 ? (y[0] as number) : (this.init[j] as number)));
    if (learner.fitRegressorGram && m > this.layout.total - (this.layout.width[j] as number)) {
      const { stats, exactRss } = tracker && mis ? tracker.stats(Xt, j, obs, mis, y) : this.layout.centredStats(Xt, p, obs, j, y);
      return learner.fitRegressorGram(stats, exactRss);
    }
    const { A, q } = this.layout.design(Xt, p, obs, j);
    return learner.fitRegressor(A, m, q, y, seed);
  }

  /** Writes the model's fills (mean/mode, or draws) for `rows` of column `j`. */
  applyColumn(model: ColumnRegressor | ColumnClassifier, Xt: Float64Array, p: number, j: number, rows: Int32Array, rng: Rng): void {
    const m = rows.length;
    if (m === 0) return;
    const { A, q } = this.layout.design(Xt, p, rows, j);
    if (this.layout.cat[j]) {
      const L = Math.max(1, (this.specs[j] as ColumnSpec).levels.length);
      const P = (model as ColumnClassifier).proba(A, m, q);
      for (let r = 0; r < m; r++) {
        let pick = 0;
        if (this.sample) {
          let u = rng.next();
          pick = L - 1;
          for (let l = 0; l < L; l++) {
            u -= P[r * L + l] as number;
            if (u < 0) {
              pick = l;
              break;
            }
          }
        } else for (let l = 1; l < L; l++) if ((P[r * L + l] as number) > (P[r * L + pick] as number)) pick = l;
        Xt[(rows[r] as number) * p + j] = pick;
      }
      return;
    }
    const { mean, std } = (model as ColumnRegressor).predict(A, m, q, this.sample);
    const a = this.lo[j] as number;
    const b = this.hi[j] as number;
    for (let r = 0; r < m; r++) {
      let v = mean[r] as number;
      const sd = std ? (std[r] as number) : 0;
      if (this.sample && sd > 0) {
        // A draw from the normal truncated to [lo, hi] (by rejection; clipped after 50 tries).
        const mu = v;
        for (let tries = 0; tries < 50; tries++) {
          v = mu + sd * rng.normal();
          if (v >= a && v <= b) break;
        }
      }
      Xt[(rows[r] as number) * p + j] = v < a ? a : v > b ? b : v;
    }
  }
}

interface State {
  specs: ColumnSpec[];
  init: string;
  lo: string;
  hi: string;
  learner: string;
  chains: { col: number; model: LearnerState }[][][];
  indicators: string[];
}

/**
 * A fitted {@link IterativeImputer}: the models of every round of every chain, replayed at
 * transform time. `iterations` says how many rounds chain 0 ran (fewer than `maxIter` when it
 * converged).
 *
 * @example
 * ```ts
 * const fitted = await new IterativeImputer({ sampleFromPosterior: true, m: 5, seed: 1 }).fit(ds);
 * const tables = fitted.transformMultiple(ds); // 5 completed Datasets
 * ```
 */
export class FittedIterativeImputer implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedIterativeImputer';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Columns that get a missing indicator when `addIndicator`. */
  readonly indicatorColumns: readonly string[];
  /** Rounds run by each chain. */
  readonly iterations: readonly number[];
  /** Which per-column learner was used (e.g. the private ridge fallback). */
  readonly learner: string;
  private readonly engine: Engine;
  private readonly chains: readonly (readonly (readonly Step[])[])[];
  private fitted: { ds: WeakRef<Dataset>; Xt: Float64Array } | undefined;

  constructor(
    params: Params,
    specs: readonly ColumnSpec[],
    init: Float64Array,
    lo: Float64Array,
    hi: Float64Array,
    chains: readonly (readonly (readonly Step[])[])[],
    indicators: readonly string[],
    learner: string,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze(specs.map((s) => s.name));
    this.indicatorColumns = Object.freeze([...indicators]);
    this.engine = new Engine(specs, new Layout(specs), init, lo, hi, params.sampleFromPosterior);
    this.chains = chains;
    this.iterations = Object.freeze(chains.map((c) => c.length));
    this.learner = learner;
  }

  /** @internal Keeps the fit's own result for the (immutable) Dataset it was fitted on. */
  remember(ds: Dataset, Xt: Float64Array): void {
    this.fitted = { ds: new WeakRef(ds), Xt };
  }

  transform(ds: Dataset): Dataset {
    return this.transformWithReport(ds).data;
  }

  /** Fills gaps (chain 0) and reports how many cells were filled per column. */
  transformWithReport(ds: Dataset): ImputeResult {
    return this.run(ds, 0);
  }

  /** The `m` completed Datasets, one per chain (for multiple imputation; see {@link poolRubin}). */
  transformMultiple(ds: Dataset): Dataset[] {
    return this.chains.map((_, c) => this.run(ds, c).data);
  }

  private run(ds: Dataset, chain: number): ImputeResult {
    requireColumns(ds, this.inputColumns, this.type);
    const specs = this.engine.specs;
    checkKinds(
      ds,
      this.inputColumns,
      specs.map((s) => s.kind),
      this.type,
    );
    const { X, missing, n, p } = encodeMatrix(ds, specs);
    checkFinite(X, n, p, specs, this.type);
    const cached = chain === 0 && this.fitted?.ds.deref() === ds ? this.fitted.Xt : undefined;
    if (cached) {
      const { data, counts } = decodeFilled(ds, specs, cached, missing, this.params.roundIntegers);
      const result = this.params.addIndicator ? addIndicators(data, ds, this.indicatorColumns, this.type) : data;
      return { data: result, report: makeReport(specs, counts) };
    }
    const Xt = this.engine.start(X, missing, n);
    const rng = new Rng(this.params.seed * 1000 + chain + 500_000);
    const rows = Array.from({ length: p }, (_, j) => rowsWhere(missing, n, p, j, 1));
    for (const round of this.chains[chain] ?? []) {
      for (const step of round) this.engine.applyColumn(step.model, Xt, p, step.col, rows[step.col] as Int32Array, rng);
    }
    const { data, counts } = decodeFilled(ds, specs, Xt, missing, this.params.roundIntegers);
    const result = this.params.addIndicator ? addIndicators(data, ds, this.indicatorColumns, this.type) : data;
    return { data: result, report: makeReport(specs, counts) };
  }

  toJSON(): Serialized<Params, State> {
    const e = this.engine;
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        specs: e.specs.map((s) => ({ ...s, levels: [...s.levels] })),
        init: encodeArray(e.init),
        lo: encodeArray(e.lo),
        hi: encodeArray(e.hi),
        learner: this.learner,
        chains: this.chains.map((rounds) => rounds.map((steps) => steps.map((s) => ({ col: s.col, model: s.model.toJSON() })))),
        indicators: [...this.indicatorColumns],
      },
    };
  }

  /** Restores from {@link FittedIterativeImputer.toJSON} output. */
  static fromJSON(json: Serialized): FittedIterativeImputer {
    const { params, state } = expectType<State, Params>(json, 'FittedIterativeImputer');
    const specs = state.specs;
    const chains = state.chains.map((rounds) =>
      rounds.map((steps) =>
        steps.map((s) => ({
          col: s.col,
          model: isCategorical((specs[s.col] as ColumnSpec).kind) ? loadClassifier(s.model) : loadRegressor(s.model),
        })),
      ),
    );
    return new FittedIterativeImputer(
      parseOptions(Options, params, 'IterativeImputer'),
      specs,
      decodeFloat64(state.init),
      decodeFloat64(state.lo),
      decodeFloat64(state.hi),
      chains,
      state.indicators,
      state.learner,
    );
  }
}

registerLoader('FittedIterativeImputer', 1, FittedIterativeImputer.fromJSON);
