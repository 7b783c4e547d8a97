import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { Rng } from '../../core/random.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { featureMatrix } from '../../dataset/features.js';
import type { ClassLabel } from '../target.js';
import { fitBins } from '../tree/binning.js';
import { CartScratch, type Criterion, concatTrees, type ForestArrays, growTree, type TreeBuilder } from '../tree/cart.js';
import {
  decodeTreeState,
  FittedTreeClassifierBase,
  FittedTreeRegressorBase,
  normalise,
  prepareFit,
  resolveMaxFeatures,
  type TreeModelState,
  yielder,
} from '../tree/common.js';

const maxFeaturesSchema = z.union([z.enum(['sqrt', 'log2', 'all']), z.number().positive()]);

const common = {
  /** Number of trees. Default 100. */
  nEstimators: z.number().int().min(1).max(100_000).default(100),
  /** Maximum depth; default unlimited. */
  maxDepth: z.number().int().min(1).max(10_000).optional(),
  /** Minimum rows to split a node. Default 2. */
  minSamplesSplit: z.number().int().min(2).default(2),
  /** Minimum rows in each leaf. Default 1. */
  minSamplesLeaf: z.number().int().min(1).default(1),
  /** A split must decrease the weighted impurity by at least this. Default 0. */
  minImpurityDecrease: z.number().min(0).default(0),
  /** Draw a bootstrap sample per tree. Default true. */
  bootstrap: z.boolean().default(true),
  /** Bootstrap sample size as a fraction of the rows (0, 1]. Default 1. */
  maxSamples: z.number().gt(0).max(1).default(1),
  /** Bins per numeric feature (2..255). Default 255. */
  maxBins: z.number().int().min(2).max(255).default(255),
  /** Features with at most this many distinct values are split exactly (every CART threshold); others on `maxBins` percentile bins. Default 1024 (max 65535). */
  exactBins: z.number().int().min(2).max(65_535).default(1024),
  /** Seed: tree `t` uses the `t`-th fork of `new Rng(seed)`. Default 0. */
  seed: z.number().int().default(0),
  /** Feature columns; default every column without an id/target/time role (they must be numeric). */
  columns: z.array(z.string()).optional(),
};

const ClfOptions = z
  .object({
    criterion: z.enum(['gini', 'entropy']).default('gini'),
    /** Features tried per split; default 'sqrt' (scikit-learn's classifier default). */
    maxFeatures: maxFeaturesSchema.default('sqrt'),
    ...common,
  })
  .strict();
const RegOptions = z
  .object({
    criterion: z.enum(['squared_error']).default('squared_error'),
    /** Features tried per split; default 'all' (scikit-learn's regressor default, 1.0). */
    maxFeatures: maxFeaturesSchema.default('all'),
    ...common,
  })
  .strict();

/** Options of {@link RandomForestClassifier}. @example `const o: RandomForestClassifierOptions = { nEstimators: 200, seed: 1 };` */
export type RandomForestClassifierOptions = z.input<typeof ClfOptions>;
/** Options of {@link RandomForestRegressor}. @example `const o: RandomForestRegressorOptions = { nEstimators: 50, maxFeatures: 'sqrt' };` */
export type RandomForestRegressorOptions = z.input<typeof RegOptions>;
type ClfParams = z.output<typeof ClfOptions>;
type RegParams = z.output<typeof RegOptions>;
type AnyParams = Omit<ClfParams, 'criterion'> & { criterion: Criterion };

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, stochastic: true };

async function fitForest(ds: Dataset, options: ModelFitOptions | undefined, p: AnyParams, task: 'classification' | 'regression', owner: string) {
  const { target, columns } = prepareFit(ds, options, p.columns, task, owner);
  const m = featureMatrix(ds, columns, { owner, allowMissing: false });
  const n = m.nrows;
  const data = fitBins(m.data, n, m.ncols, p.maxBins, new Uint8Array(m.ncols), undefined, p.exactBins);
  const k = target.task === 'classification' ? target.classes.length : 1;
  const cfg = {
    criterion: p.criterion,
    nOutputs: k,
    maxDepth: p.maxDepth ?? Number.MAX_SAFE_INTEGER,
    minSamplesSplit: p.minSamplesSplit,
    minSamplesLeaf: p.minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(p.maxFeatures, m.ncols),
    minImpurityDecrease: p.minImpurityDecrease,
  };
  const scratch = new CartScratch(m.ncols, k, Math.max(...data.nBins));
  const rng = new Rng(p.seed);
  const trees: TreeBuilder[] = [];
  const importances = new Float64Array(m.ncols);
  const treeImp = new Float64Array(m.ncols);
  const w = p.bootstrap ? new Float64Array(n) : null;
  const rowsAll = new Int32Array(n);
  const nDraw = Math.max(1, Math.round(p.maxSamples * n));
  const tick = yielder(options?.signal);
  const yc = target.task === 'classification' ? target.y : null;
  const yr = target.task === 'regression' ? target.y : null;
  for (let t = 0; t < p.nEstimators; t++) {
    const tr = rng.fork();
    let nRows = n;
    if (w) {
      w.fill(0);
      for (let i = 0; i < nDraw; i++) {
        const r = tr.int(n);
        w[r] = (w[r] as number) + 1;
      }
      nRows = 0;
      for (let i = 0; i < n; i++) if ((w[i] as number) > 0) rowsAll[nRows++] = i;
    } else for (let i = 0; i < n; i++) rowsAll[i] = i;
    treeImp.fill(0);
    trees.push(growTree(data, yc, yr, w, rowsAll.subarray(0, nRows), cfg, tr, scratch, treeImp, m.data));
    normalise(treeImp);
    for (let f = 0; f < m.ncols; f++) importances[f] = (importances[f] as number) + (treeImp[f] as number);
    options?.onProgress?.({ stage: 'tree', step: t + 1, total: p.nEstimators });
    await tick();
  }
  return { target, columns, importances: normalise(importances), forest: concatTrees(trees, k) };
}

/**
 * A random forest classifier (scikit-learn's `RandomForestClassifier`): `nEstimators` CART trees,
 * each grown fully on a bootstrap sample, trying `maxFeatures` ('sqrt' by default) random features
 * per split; probabilities are the mean of the trees' leaf class frequencies. Splits are searched
 * on features binned once (at most 255 bins, scikit-learn's `_BinMapper` cut points), rows are
 * partitioned in place in an `Int32Array`, and the trees are stored as flat typed arrays.
 * Features must be numeric and complete: category/text columns are refused by name (encode them)
 * and missing values with `E_MISSING_VALUES` (impute them, or use
 * {@link HistGradientBoostingClassifier}, which takes both natively).
 *
 * @example
 * ```ts
 * import { Dataset, RandomForestClassifier } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 10, 11, 12], z: [0, 1, 0, 1, 0, 1], y: ['a', 'a', 'a', 'b', 'b', 'b'] });
 * const fitted = await new RandomForestClassifier({ nEstimators: 20, seed: 1 }).fit(ds, { target: 'y' });
 * fitted.predict(ds);          // ['a', 'a', 'a', 'b', 'b', 'b']
 * fitted.featureImportances;   // x matters most
 * ```
 */
export class RandomForestClassifier implements Model<FittedRandomForestClassifier> {
  readonly kind = 'model' as const;
  readonly type = 'RandomForestClassifier';
  readonly tags = TAGS;
  readonly params: ClfParams;

  constructor(options: RandomForestClassifierOptions = {}) {
    this.params = parseOptions(ClfOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedRandomForestClassifier> {
    const r = await fitForest(ds, options, this.params, 'classification', this.type);
    if (r.target.task !== 'classification') throw new Error('unreachable');
    return new FittedRandomForestClassifier(this.params, r.columns, r.target.column, r.target.classes, r.importances, r.forest);
  }
}

/**
 * A fitted {@link RandomForestClassifier}.
 *
 * @example
 * ```ts
 * const fitted = await new RandomForestClassifier().fit(ds, { target: 'churn' });
 * fitted.predictProba(ds); fitted.featureImportances; fitted.forest.roots.length; // 100
 * ```
 */
export class FittedRandomForestClassifier extends FittedTreeClassifierBase<ClfParams> {
  readonly type = 'FittedRandomForestClassifier';
  constructor(params: ClfParams, columns: readonly string[], target: string, classes: readonly ClassLabel[], importances: Float64Array, forest: ForestArrays) {
    super(params, TAGS, columns, target, classes, importances, forest);
  }
  /** Restores from {@link FittedRandomForestClassifier.toJSON} output. */
  static fromJSON(json: Serialized): FittedRandomForestClassifier {
    const { params, state } = expectType<TreeModelState, ClfParams>(json, 'FittedRandomForestClassifier');
    const s = decodeTreeState(state);
    return new FittedRandomForestClassifier(
      parseOptions(ClfOptions, params, 'RandomForestClassifier'),
      s.columns,
      s.target,
      s.classes,
      s.importances,
      s.forest,
    );
  }
}

/**
 * A random forest regressor (scikit-learn's `RandomForestRegressor`): the mean of `nEstimators`
 * squared-error CART trees grown on bootstrap samples, all features tried per split by default.
 * Same binning and input rules as {@link RandomForestClassifier}.
 *
 * @example
 * ```ts
 * import { Dataset, RandomForestRegressor } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 5, 6], y: [1.1, 1.9, 3.2, 3.9, 5.1, 6] });
 * const fitted = await new RandomForestRegressor({ nEstimators: 50 }).fit(ds, { target: 'y' });
 * fitted.predict(ds); // close to y
 * ```
 */
export class RandomForestRegressor implements Model<FittedRandomForestRegressor> {
  readonly kind = 'model' as const;
  readonly type = 'RandomForestRegressor';
  readonly tags = TAGS;
  readonly params: RegParams;

  constructor(options: RandomForestRegressorOptions = {}) {
    this.params = parseOptions(RegOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedRandomForestRegressor> {
    const r = await fitForest(ds, options, this.params, 'regression', this.type);
    return new FittedRandomForestRegressor(this.params, r.columns, r.target.column, r.importances, r.forest);
  }
}

/**
 * A fitted {@link RandomForestRegressor}.
 *
 * @example
 * ```ts
 * const fitted = await new RandomForestRegressor().fit(ds, { target: 'mpg' });
 * fitted.predict(ds); fitted.featureImportances;
 * ```
 */
export class FittedRandomForestRegressor extends FittedTreeRegressorBase<RegParams> {
  readonly type = 'FittedRandomForestRegressor';
  constructor(params: RegParams, columns: readonly string[], target: string, importances: Float64Array, forest: ForestArrays) {
    super(params, TAGS, columns, target, importances, forest);
  }
  /** Restores from {@link FittedRandomForestRegressor.toJSON} output. */
  static fromJSON(json: Serialized): FittedRandomForestRegressor {
    const { params, state } = expectType<TreeModelState, RegParams>(json, 'FittedRandomForestRegressor');
    const s = decodeTreeState(state);
    return new FittedRandomForestRegressor(parseOptions(RegOptions, params, 'RandomForestRegressor'), s.columns, s.target, s.importances, s.forest);
  }
}

registerLoader('FittedRandomForestClassifier', 1, FittedRandomForestClassifier.fromJSON);
registerLoader('FittedRandomForestRegressor', 1, FittedRandomForestRegressor.fromJSON);
