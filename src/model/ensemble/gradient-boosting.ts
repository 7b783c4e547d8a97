import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { Rng } from '../../core/random.js';
import { decodeFloat64, decodeUint8, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Column } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { featureMatrix, requireColumns } from '../../dataset/features.js';
import { type ClassLabel, type EncodedTarget, type FittedClassifier, probaToLabels } from '../target.js';
import { binMatrix, fitBins, HIST_BINS } from '../tree/binning.js';
import { normalise, prepareFit, yielder } from '../tree/common.js';
import { type BoostedState, BoostedTrees, type GrowerConfig, GrowerContext, growBoostedTree } from './gbm-grower.js';

const common = {
  /** Shrinkage of each tree's contribution. Default 0.1. */
  learningRate: z.number().gt(0).max(10).default(0.1),
  /** Boosting iterations (trees per class). Default 100. */
  maxIter: z.number().int().min(1).max(100_000).default(100),
  /** Leaves per tree (leaf-wise growth). Default 31. */
  maxLeafNodes: z.number().int().min(2).max(100_000).default(31),
  /** Maximum depth; default unlimited (the leaf count limits the tree). */
  maxDepth: z.number().int().min(1).max(10_000).optional(),
  /** Minimum rows per leaf. Default 20. */
  minSamplesLeaf: z.number().int().min(1).default(20),
  /** L2 penalty on leaf values (added to the hessian sum). Default 0. */
  l2Regularization: z.number().min(0).default(0),
  /** Bins per numeric feature, 2..255 (one more bin holds missing values). Default 255. */
  maxBins: z.number().int().min(2).max(255).default(255),
  /** Early stopping on a held-out validation split: 'auto' (on when more than 10,000 rows, as scikit-learn), true or false. */
  earlyStopping: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  /** Share of rows held out for early stopping (stratified for classification). Default 0.1. */
  validationFraction: z.number().gt(0).lt(1).default(0.1),
  /** Stop when the validation loss has not improved by more than `tol` for this many iterations. Default 10. */
  nIterNoChange: z.number().int().min(1).default(10),
  /** Minimum improvement of the validation loss. Default 1e-7. */
  tol: z.number().min(0).default(1e-7),
  /** Seed of the validation split. Default 0. */
  seed: z.number().int().default(0),
  /** Feature columns; default every column without an id/target/time role. Category columns are native categorical features (at most 255 categories). */
  columns: z.array(z.string()).optional(),
};

const ClfOptions = z.object({ loss: z.enum(['log_loss']).default('log_loss'), ...common }).strict();
const RegOptions = z.object({ loss: z.enum(['squared_error', 'absolute_error']).default('squared_error'), ...common }).strict();

/** Options of {@link HistGradientBoostingClassifier}. @example `const o: HistGradientBoostingClassifierOptions = { maxIter: 200, learningRate: 0.05 };` */
export type HistGradientBoostingClassifierOptions = z.input<typeof ClfOptions>;
/** Options of {@link HistGradientBoostingRegressor}. @example `const o: HistGradientBoostingRegressorOptions = { loss: 'absolute_error' };` */
export type HistGradientBoostingRegressorOptions = z.input<typeof RegOptions>;
type ClfParams = z.output<typeof ClfOptions>;
type RegParams = z.output<typeof RegOptions>;
type AnyParams = Omit<ClfParams, 'loss'> & { loss: 'log_loss' | 'squared_error' | 'absolute_error' };

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, stochastic: true, allowMissing: true, categorical: true };

/** Feature layout learnt at fit: which columns are categorical and their categories. */
interface Layout {
  columns: string[];
  categorical: Uint8Array;
  /** Per column: the categories (bin = index) for categorical columns, `null` for numeric. */
  categories: (string[] | null)[];
}

function buildLayout(ds: Dataset, columns: string[], owner: string): Layout {
  const categorical = new Uint8Array(columns.length);
  const categories: (string[] | null)[] = [];
  columns.forEach((c, j) => {
    const col = ds.column(c);
    if (col.kind === 'text') {
      throw new TesseraError('E_SCHEMA', `${owner}: column "${c}" is free text; drop it or make it a category column`, { column: c });
    }
    if (col.kind === 'category') {
      if (col.dictionary.length > HIST_BINS - 1) {
        throw new TesseraError(
          'E_SCHEMA',
          `${owner}: category column "${c}" has ${col.dictionary.length} categories; at most ${HIST_BINS - 1} are supported (encode it instead)`,
          {
            column: c,
          },
        );
      }
      categorical[j] = 1;
      categories.push([...col.dictionary]);
    } else categories.push(null);
  });
  return { columns, categorical, categories };
}

/** Row-major matrix: numeric values (NaN missing), category columns as fitted category indices (NaN for missing or unknown). */
function layoutMatrix(ds: Dataset, layout: Layout, owner: string): Float64Array {
  const { columns, categorical, categories } = layout;
  const p = columns.length;
  const n = ds.nrows;
  const X = new Float64Array(n * p);
  const numeric = columns.filter((_, j) => categorical[j] === 0);
  for (let j = 0; j < p; j++) {
    const name = columns[j] as string;
    if (categorical[j] === 1 && ds.column(name).kind !== 'category') {
      throw new TesseraError('E_SCHEMA', `${owner} was fitted with "${name}" as a category column, got ${ds.column(name).kind}`, { column: name });
    }
  }
  const num = numeric.length > 0 ? featureMatrix(ds, numeric, { owner, allowMissing: true }).data : new Float64Array(0);
  let q = 0;
  const pn = numeric.length;
  for (let j = 0; j < p; j++) {
    if (categorical[j] === 0) {
      for (let i = 0; i < n; i++) X[i * p + j] = num[i * pn + q] as number;
      q++;
      continue;
    }
    const col = ds.column(columns[j] as string) as Extract<Column, { kind: 'category' }>;
    const cats = categories[j] as string[];
    const index = new Map(cats.map((c, k) => [c, k]));
    const map = col.dictionary.map((d) => index.get(d) ?? Number.NaN);
    for (let i = 0; i < n; i++) {
      const code = col.codes[i] as number;
      X[i * p + j] = code < 0 ? Number.NaN : (map[code] as number);
    }
  }
  return X;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Fills gradients/hessians (class-major: `g[c * n + i]`) for the loss. */
function gradients(
  loss: AnyParams['loss'],
  k: number,
  raw: Float64Array,
  yc: Int32Array | null,
  yr: Float64Array | null,
  n: number,
  g: Float64Array,
  h: Float64Array,
): void {
  if (loss === 'squared_error') {
    for (let i = 0; i < n; i++) g[i] = (raw[i] as number) - ((yr as Float64Array)[i] as number);
    return;
  }
  if (loss === 'absolute_error') {
    for (let i = 0; i < n; i++) g[i] = Math.sign((raw[i] as number) - ((yr as Float64Array)[i] as number));
    return;
  }
  const y = yc as Int32Array;
  if (k === 1) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i] as number);
      g[i] = p - (y[i] as number);
      h[i] = Math.max(p * (1 - p), 1e-16);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) mx = Math.max(mx, raw[i * k + c] as number);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp((raw[i * k + c] as number) - mx);
    const yi = y[i] as number;
    for (let c = 0; c < k; c++) {
      const p = Math.exp((raw[i * k + c] as number) - mx) / s;
      g[c * n + i] = p - (c === yi ? 1 : 0);
      h[c * n + i] = Math.max(p * (1 - p), 1e-16);
    }
  }
}

/** Mean loss (scikit-learn's half squared error, absolute error, log loss). */
function meanLoss(loss: AnyParams['loss'], k: number, raw: Float64Array, yc: Int32Array | null, yr: Float64Array | null, n: number): number {
  let s = 0;
  if (loss === 'squared_error') for (let i = 0; i < n; i++) s += 0.5 * ((raw[i] as number) - ((yr as Float64Array)[i] as number)) ** 2;
  else if (loss === 'absolute_error') for (let i = 0; i < n; i++) s += Math.abs((raw[i] as number) - ((yr as Float64Array)[i] as number));
  else if (k === 1) {
    for (let i = 0; i < n; i++) {
      const z = raw[i] as number;
      // log(1 + exp(z)) - y z
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - ((yc as Int32Array)[i] as number) * z;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) mx = Math.max(mx, raw[i * k + c] as number);
      let e = 0;
      for (let c = 0; c < k; c++) e += Math.exp((raw[i * k + c] as number) - mx);
      s += mx + Math.log(e) - (raw[i * k + ((yc as Int32Array)[i] as number)] as number);
    }
  }
  return s / Math.max(1, n);
}

function median(a: Float64Array): number {
  if (a.length === 0) return 0;
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Train/validation split of row indices (stratified by class when `yc` is given). */
function validationSplit(n: number, frac: number, yc: Int32Array | null, k: number, seed: number): { train: Int32Array; val: Int32Array } {
  const rng = new Rng(seed);
  const isVal = new Uint8Array(n);
  if (yc) {
    const groups: number[][] = Array.from({ length: Math.max(k, 2) }, () => []);
    for (let i = 0; i < n; i++) groups[yc[i] as number]?.push(i);
    for (const gr of groups) {
      const perm = rng.shuffle(gr);
      const m = Math.round(frac * perm.length);
      for (let t = 0; t < m; t++) isVal[perm[t] as number] = 1;
    }
  } else {
    const perm = rng.permutation(n);
    const m = Math.max(1, Math.round(frac * n));
    for (let t = 0; t < m; t++) isVal[perm[t] as number] = 1;
  }
  let nv = 0;
  for (let i = 0; i < n; i++) nv += isVal[i] as number;
  const train = new Int32Array(n - nv);
  const val = new Int32Array(nv);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (isVal[i]) val[b++] = i;
    else train[a++] = i;
  }
  return { train, val };
}

interface BoostResult {
  target: EncodedTarget;
  layout: Layout;
  k: number;
  baseline: Float64Array;
  trees: BoostedTrees;
  nIter: number;
  importances: Float64Array;
  trainLoss: number[];
  validationLoss: number[];
}

async function boost(
  ds: Dataset,
  options: ModelFitOptions | undefined,
  p: AnyParams,
  task: 'classification' | 'regression',
  owner: string,
): Promise<BoostResult> {
  const { target, columns } = prepareFit(ds, options, p.columns, task, owner);
  const layout = buildLayout(ds, columns, owner);
  const X = layoutMatrix(ds, layout, owner);
  const nAll = ds.nrows;
  const ncols = columns.length;
  const nClasses = target.task === 'classification' ? target.classes.length : 1;
  const k = nClasses > 2 ? nClasses : 1;
  const ycAll = target.task === 'classification' ? target.y : null;
  const yrAll = target.task === 'regression' ? target.y : null;
  const early = p.earlyStopping === 'auto' ? nAll > 10_000 : p.earlyStopping;
  let trainRows: Int32Array | undefined;
  let valRows: Int32Array | undefined;
  if (early) {
    const sp = validationSplit(nAll, p.validationFraction, ycAll, nClasses, p.seed);
    if (sp.train.length > 0 && sp.val.length > 0) {
      trainRows = sp.train;
      valRows = sp.val;
    }
  }
  const data = fitBins(X, nAll, ncols, p.maxBins, layout.categorical, trainRows);
  const n = data.nrows;
  const pick = <T extends Int32Array | Float64Array>(a: T | null, rows: Int32Array | undefined): T | null => {
    if (!a || !rows) return a;
    const out = (a instanceof Int32Array ? new Int32Array(rows.length) : new Float64Array(rows.length)) as T;
    for (let i = 0; i < rows.length; i++) out[i] = a[rows[i] as number] as number;
    return out;
  };
  const yc = pick(ycAll, trainRows);
  const yr = pick(yrAll, trainRows);
  const valBinned = valRows ? binMatrix(X, nAll, ncols, data.thresholds, layout.categorical, valRows) : null;
  const nv = valRows?.length ?? 0;
  const ycv = pick(ycAll, valRows);
  const yrv = pick(yrAll, valRows);

  // baseline (scikit-learn's fit_intercept_only)
  const baseline = new Float64Array(k);
  if (p.loss === 'squared_error') {
    let s = 0;
    for (let i = 0; i < n; i++) s += (yr as Float64Array)[i] as number;
    baseline[0] = s / n;
  } else if (p.loss === 'absolute_error') baseline[0] = median(yr as Float64Array);
  else {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[(yc as Int32Array)[i] as number] = (counts[(yc as Int32Array)[i] as number] as number) + 1;
    const eps = 1e-15;
    if (k === 1) {
      const pr = Math.min(1 - eps, Math.max(eps, (counts[1] as number) / n));
      baseline[0] = Math.log(pr / (1 - pr));
    } else {
      let mean = 0;
      for (let c = 0; c < k; c++) {
        baseline[c] = Math.log(Math.max(eps, (counts[c] as number) / n));
        mean += (baseline[c] as number) / k;
      }
      for (let c = 0; c < k; c++) baseline[c] = (baseline[c] as number) - mean;
    }
  }
  const raw = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) raw[i * k + c] = baseline[c] as number;
  const rawVal = new Float64Array(nv * k);
  for (let i = 0; i < nv; i++) for (let c = 0; c < k; c++) rawVal[i * k + c] = baseline[c] as number;

  const g = new Float64Array(n * k);
  const h = new Float64Array(n * k).fill(1);
  const gc = k === 1 ? g : new Float64Array(n);
  const hc = k === 1 ? h : new Float64Array(n);
  const importances = new Float64Array(ncols);
  const ctx = new GrowerContext(data, importances);
  const trees = new BoostedTrees();
  const cfg: GrowerConfig = {
    maxLeafNodes: p.maxLeafNodes,
    maxDepth: p.maxDepth ?? Number.MAX_SAFE_INTEGER,
    minSamplesLeaf: p.minSamplesLeaf,
    l2: p.l2Regularization,
    minHessian: 1e-3,
    learningRate: p.learningRate,
  };
  const tick = yielder(options?.signal);
  const validationLoss: number[] = [];
  const trainLoss: number[] = [];
  if (valBinned) validationLoss.push(meanLoss(p.loss, k, rawVal, ycv, yrv, nv));
  const resid = p.loss === 'absolute_error' ? new Float64Array(n) : null;
  let nIter = 0;
  for (let it = 0; it < p.maxIter; it++) {
    gradients(p.loss, k, raw, yc, yr, n, g, h);
    for (let c = 0; c < k; c++) {
      if (k > 1) {
        gc.set(g.subarray(c * n, (c + 1) * n));
        hc.set(h.subarray(c * n, (c + 1) * n));
      }
      const leaves = growBoostedTree(ctx, gc, hc, cfg, trees);
      const idx = ctx.idx;
      for (let t = 0; t < leaves.length; t += 3) {
        const start = leaves[t] as number;
        const end = leaves[t + 1] as number;
        const node = leaves[t + 2] as number;
        if (resid) {
          // absolute error: the leaf value is the median residual (scikit-learn's leaf update)
          const m = end - start;
          const r = resid.subarray(0, m);
          for (let q = 0; q < m; q++) {
            const i = idx[start + q] as number;
            r[q] = ((yr as Float64Array)[i] as number) - (raw[i] as number);
          }
          trees.value[node] = median(r) * p.learningRate;
        }
        const v = trees.value[node] as number;
        for (let q = start; q < end; q++) {
          const j = (idx[q] as number) * k + c;
          raw[j] = (raw[j] as number) + v;
        }
      }
      if (valBinned) trees.predictBinnedTree(trees.roots.length - 1, valBinned, nv, layout.categorical, k, c, rawVal);
    }
    nIter++;
    options?.onProgress?.({ stage: 'iteration', step: it + 1, total: p.maxIter });
    if (valBinned) {
      validationLoss.push(meanLoss(p.loss, k, rawVal, ycv, yrv, nv));
      if (shouldStop(validationLoss, p.nIterNoChange, p.tol)) break;
    }
    await tick();
  }
  trainLoss.push(meanLoss(p.loss, k, raw, yc, yr, n));
  return { target, layout, k, baseline, trees, nIter, importances: normalise(importances), trainLoss, validationLoss };
}

// scikit-learn's _should_stop on losses (lower is better): stop when none of the last
// nIterNoChange losses beats the one before them by more than tol.
function shouldStop(losses: number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (losses.length < ref) return false;
  const reference = (losses[losses.length - ref] as number) - tol;
  for (let i = losses.length - nIterNoChange; i < losses.length; i++) if ((losses[i] as number) < reference) return false;
  return true;
}

interface State {
  columns: string[];
  categorical: string;
  categories: (string[] | null)[];
  target: string;
  classes?: ClassLabel[];
  k: number;
  baseline: string;
  nIter: number;
  importances: string;
  validationLoss: number[];
  trees: BoostedState;
}

abstract class FittedBoostingBase<P extends AnyParams> {
  readonly kind = 'model' as const;
  abstract readonly type: string;
  readonly tags = TAGS;
  readonly params: P;
  readonly inputColumns: readonly string[];
  readonly target: string;
  /** Boosting iterations actually run (fewer than `maxIter` when early stopping stopped). */
  readonly nIter: number;
  /** Split-gain importances (LightGBM's 'gain'), one per input column, summing to 1. */
  readonly featureImportances: Float64Array;
  /** Validation loss after each iteration (index 0: the baseline) when early stopping was on; else empty. */
  readonly validationLoss: readonly number[];
  protected readonly layout: Layout;
  protected readonly k: number;
  protected readonly baseline: Float64Array;
  protected readonly trees: BoostedTrees;

  constructor(
    params: P,
    layout: Layout,
    target: string,
    k: number,
    baseline: Float64Array,
    trees: BoostedTrees,
    nIter: number,
    importances: Float64Array,
    validationLoss: readonly number[],
  ) {
    this.params = params;
    this.layout = layout;
    this.inputColumns = Object.freeze([...layout.columns]);
    this.target = target;
    this.k = k;
    this.baseline = baseline;
    this.trees = trees;
    this.nIter = nIter;
    this.featureImportances = importances;
    this.validationLoss = Object.freeze([...validationLoss]);
  }

  /** Raw scores (`nrows x k`): the baseline plus the sum of the trees (log-odds / logits for classifiers). */
  decisionFunction(ds: Dataset): Float64Array {
    requireColumns(ds, this.inputColumns, this.type);
    const X = layoutMatrix(ds, this.layout, this.type);
    const n = ds.nrows;
    const k = this.k;
    const raw = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) raw[i * k + c] = this.baseline[c] as number;
    this.trees.predictRaw(X, n, this.inputColumns.length, this.layout.categorical, k, raw);
    return raw;
  }

  protected state(classes?: readonly ClassLabel[]): State {
    return {
      columns: [...this.layout.columns],
      categorical: encodeArray(this.layout.categorical),
      categories: this.layout.categories.map((c) => (c ? [...c] : null)),
      target: this.target,
      ...(classes ? { classes: [...classes] } : {}),
      k: this.k,
      baseline: encodeArray(this.baseline),
      nIter: this.nIter,
      importances: encodeArray(this.featureImportances),
      validationLoss: [...this.validationLoss],
      trees: this.trees.encode(),
    };
  }
}

function decodeState(state: State) {
  return {
    layout: { columns: [...state.columns], categorical: decodeUint8(state.categorical), categories: state.categories.map((c) => (c ? [...c] : null)) },
    baseline: decodeFloat64(state.baseline),
    importances: decodeFloat64(state.importances),
    trees: BoostedTrees.decode(state.trees),
  };
}

/**
 * Histogram gradient boosting for classification (scikit-learn's `HistGradientBoostingClassifier`,
 * LightGBM's approach): features are binned once (at most 255 bins plus one for missing values),
 * each iteration grows one tree per class (one in total for two classes) leaf-wise to
 * `maxLeafNodes` leaves on the gradients and hessians of the log loss (binary: sigmoid,
 * multiclass: softmax). Missing values are native: every split learns which side they go to.
 * Category columns are native too: a split sends a set of categories left, found by sorting the
 * categories by gradient/hessian ratio; a category unseen at fit time is treated as missing.
 * Early stopping ('auto': on above 10,000 rows) holds out a stratified `validationFraction`.
 *
 * @example
 * ```ts
 * import { Dataset, HistGradientBoostingClassifier } from 'tessera';
 * const ds = Dataset.from({
 *   tenure: [1, 40, 3, 60, null, 2, 50, 4],
 *   plan: ['a', 'b', 'a', 'b', 'a', 'a', 'b', 'a'],
 *   churn: ['yes', 'no', 'yes', 'no', 'yes', 'yes', 'no', 'yes'],
 * });
 * const fitted = await new HistGradientBoostingClassifier({ minSamplesLeaf: 1 }).fit(ds, { target: 'churn' });
 * fitted.predict(ds);       // labels
 * fitted.predictProba(ds);  // 8 x 2 probabilities
 * ```
 */
export class HistGradientBoostingClassifier implements Model<FittedHistGradientBoostingClassifier> {
  readonly kind = 'model' as const;
  readonly type = 'HistGradientBoostingClassifier';
  readonly tags = TAGS;
  readonly params: ClfParams;

  constructor(options: HistGradientBoostingClassifierOptions = {}) {
    this.params = parseOptions(ClfOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedHistGradientBoostingClassifier> {
    const r = await boost(ds, options, this.params, 'classification', this.type);
    if (r.target.task !== 'classification') throw new Error('unreachable');
    return new FittedHistGradientBoostingClassifier(
      this.params,
      r.layout,
      r.target.column,
      r.target.classes,
      r.k,
      r.baseline,
      r.trees,
      r.nIter,
      r.importances,
      r.validationLoss,
    );
  }
}

/**
 * A fitted {@link HistGradientBoostingClassifier}.
 *
 * @example
 * ```ts
 * const fitted = await new HistGradientBoostingClassifier().fit(ds, { target: 'survived' });
 * fitted.predictProba(ds); fitted.nIter; fitted.featureImportances;
 * ```
 */
export class FittedHistGradientBoostingClassifier extends FittedBoostingBase<ClfParams> implements FittedClassifier {
  readonly type = 'FittedHistGradientBoostingClassifier';
  readonly classes: readonly ClassLabel[];

  constructor(
    params: ClfParams,
    layout: Layout,
    target: string,
    classes: readonly ClassLabel[],
    k: number,
    baseline: Float64Array,
    trees: BoostedTrees,
    nIter: number,
    importances: Float64Array,
    validationLoss: readonly number[],
  ) {
    super(params, layout, target, k, baseline, trees, nIter, importances, validationLoss);
    this.classes = Object.freeze([...classes]);
  }

  /** Class probabilities, row-major `nrows x classes.length`. */
  predictProba(ds: Dataset): Float64Array {
    const raw = this.decisionFunction(ds);
    const n = ds.nrows;
    const nc = this.classes.length;
    const out = new Float64Array(n * nc);
    if (this.k === 1) {
      for (let i = 0; i < n; i++) {
        const p1 = sigmoid(raw[i] as number);
        out[i * 2] = 1 - p1;
        out[i * 2 + 1] = p1;
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      let mx = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < nc; c++) mx = Math.max(mx, raw[i * nc + c] as number);
      let s = 0;
      for (let c = 0; c < nc; c++) {
        const e = Math.exp((raw[i * nc + c] as number) - mx);
        out[i * nc + c] = e;
        s += e;
      }
      for (let c = 0; c < nc; c++) out[i * nc + c] = (out[i * nc + c] as number) / s;
    }
    return out;
  }

  /** The most probable class of each row. */
  predict(ds: Dataset): ClassLabel[] {
    return probaToLabels(this.predictProba(ds), this.classes);
  }

  toJSON(): Serialized<ClfParams, State> {
    return { type: this.type, version: 1, params: this.params, state: this.state(this.classes) };
  }

  /** Restores from {@link FittedHistGradientBoostingClassifier.toJSON} output. */
  static fromJSON(json: Serialized): FittedHistGradientBoostingClassifier {
    const { params, state } = expectType<State, ClfParams>(json, 'FittedHistGradientBoostingClassifier');
    const s = decodeState(state);
    return new FittedHistGradientBoostingClassifier(
      parseOptions(ClfOptions, params, 'HistGradientBoostingClassifier'),
      s.layout,
      state.target,
      state.classes ?? [],
      state.k,
      s.baseline,
      s.trees,
      state.nIter,
      s.importances,
      state.validationLoss,
    );
  }
}

/**
 * Histogram gradient boosting for regression (scikit-learn's `HistGradientBoostingRegressor`):
 * squared error (default) or absolute error (leaves take the median residual). Same binning,
 * native missing values and categories, and early stopping as
 * {@link HistGradientBoostingClassifier}.
 *
 * @example
 * ```ts
 * import { Dataset, HistGradientBoostingRegressor } from 'tessera';
 * const x = Array.from({ length: 200 }, (_, i) => i / 10);
 * const ds = Dataset.from({ x, y: x.map((v) => Math.sin(v)) });
 * const fitted = await new HistGradientBoostingRegressor().fit(ds, { target: 'y' });
 * fitted.predict(ds); // close to sin(x)
 * ```
 */
export class HistGradientBoostingRegressor implements Model<FittedHistGradientBoostingRegressor> {
  readonly kind = 'model' as const;
  readonly type = 'HistGradientBoostingRegressor';
  readonly tags = TAGS;
  readonly params: RegParams;

  constructor(options: HistGradientBoostingRegressorOptions = {}) {
    this.params = parseOptions(RegOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedHistGradientBoostingRegressor> {
    const r = await boost(ds, options, this.params, 'regression', this.type);
    return new FittedHistGradientBoostingRegressor(this.params, r.layout, r.target.column, r.k, r.baseline, r.trees, r.nIter, r.importances, r.validationLoss);
  }
}

/**
 * A fitted {@link HistGradientBoostingRegressor}.
 *
 * @example
 * ```ts
 * const fitted = await new HistGradientBoostingRegressor().fit(ds, { target: 'mpg' });
 * fitted.predict(ds); fitted.nIter;
 * ```
 */
export class FittedHistGradientBoostingRegressor extends FittedBoostingBase<RegParams> implements FittedModel<Float64Array> {
  readonly type = 'FittedHistGradientBoostingRegressor';

  /** Predicted values. */
  predict(ds: Dataset): Float64Array {
    return this.decisionFunction(ds);
  }

  toJSON(): Serialized<RegParams, State> {
    return { type: this.type, version: 1, params: this.params, state: this.state() };
  }

  /** Restores from {@link FittedHistGradientBoostingRegressor.toJSON} output. */
  static fromJSON(json: Serialized): FittedHistGradientBoostingRegressor {
    const { params, state } = expectType<State, RegParams>(json, 'FittedHistGradientBoostingRegressor');
    const s = decodeState(state);
    return new FittedHistGradientBoostingRegressor(
      parseOptions(RegOptions, params, 'HistGradientBoostingRegressor'),
      s.layout,
      state.target,
      state.k,
      s.baseline,
      s.trees,
      state.nIter,
      s.importances,
      state.validationLoss,
    );
  }
}

registerLoader('FittedHistGradientBoostingClassifier', 1, FittedHistGradientBoostingClassifier.fromJSON);
registerLoader('FittedHistGradientBoostingRegressor', 1, FittedHistGradientBoostingRegressor.fromJSON);
