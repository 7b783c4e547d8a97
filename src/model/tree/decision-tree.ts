import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { Rng } from '../../core/random.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { featureMatrix } from '../../dataset/features.js';
import type { ClassLabel } from '../target.js';
import { fitBins } from './binning.js';
import { CartScratch, type Criterion, concatTrees, type ForestArrays, growTree } from './cart.js';
import {
  decodeTreeState,
  FittedTreeClassifierBase,
  FittedTreeRegressorBase,
  normalise,
  prepareFit,
  resolveMaxFeatures,
  type TreeModelState,
} from './common.js';

const maxFeaturesSchema = z.union([z.enum(['sqrt', 'log2', 'all']), z.number().positive()]);

const common = {
  /** Maximum depth; default unlimited (grow until leaves are pure or too small). */
  maxDepth: z.number().int().min(1).max(10_000).optional(),
  /** Minimum rows to split a node. Default 2. */
  minSamplesSplit: z.number().int().min(2).default(2),
  /** Minimum rows in each leaf. Default 1. */
  minSamplesLeaf: z.number().int().min(1).default(1),
  /** Features tried per split: 'all' (default), 'sqrt', 'log2', a count (>= 1) or a fraction (< 1). */
  maxFeatures: maxFeaturesSchema.default('all'),
  /** A split must decrease the weighted impurity by at least this (scikit-learn's definition). Default 0. */
  minImpurityDecrease: z.number().min(0).default(0),
  /** Bins per numeric feature (2..255). Features with at most this many distinct values split exactly. Default 255. */
  maxBins: z.number().int().min(2).max(255).default(255),
  /** Features with at most this many distinct values are split exactly (every CART threshold); others on `maxBins` percentile bins. Default 1024 (max 65535). */
  exactBins: z.number().int().min(2).max(65_535).default(1024),
  /** Seed of the feature draws (when `maxFeatures` < all). Default 0. */
  seed: z.number().int().default(0),
  /** Feature columns; default every column without an id/target/time role (they must be numeric). */
  columns: z.array(z.string()).optional(),
};

const ClfOptions = z.object({ criterion: z.enum(['gini', 'entropy']).default('gini'), ...common }).strict();
const RegOptions = z.object({ criterion: z.enum(['squared_error']).default('squared_error'), ...common }).strict();

/** Options of {@link DecisionTreeClassifier}. @example `const o: DecisionTreeClassifierOptions = { maxDepth: 4, criterion: 'entropy' };` */
export type DecisionTreeClassifierOptions = z.input<typeof ClfOptions>;
/** Options of {@link DecisionTreeRegressor}. @example `const o: DecisionTreeRegressorOptions = { maxDepth: 4, minSamplesLeaf: 5 };` */
export type DecisionTreeRegressorOptions = z.input<typeof RegOptions>;
type ClfParams = z.output<typeof ClfOptions>;
type RegParams = z.output<typeof RegOptions>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, stochastic: true };

type CommonParams = Omit<ClfParams, 'criterion'> & { criterion: Criterion };

async function fitOneTree(ds: Dataset, options: ModelFitOptions | undefined, p: CommonParams, task: 'classification' | 'regression', owner: string) {
  const { target, columns } = prepareFit(ds, options, p.columns, task, owner);
  const m = featureMatrix(ds, columns, { owner, allowMissing: false });
  const data = fitBins(m.data, m.nrows, m.ncols, p.maxBins, new Uint8Array(m.ncols), undefined, p.exactBins);
  const k = target.task === 'classification' ? target.classes.length : 1;
  const rows = new Int32Array(m.nrows);
  for (let i = 0; i < m.nrows; i++) rows[i] = i;
  const importances = new Float64Array(m.ncols);
  const tree = growTree(
    data,
    target.task === 'classification' ? target.y : null,
    target.task === 'regression' ? target.y : null,
    null,
    rows,
    {
      criterion: p.criterion,
      nOutputs: k,
      maxDepth: p.maxDepth ?? Number.MAX_SAFE_INTEGER,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      maxFeatures: resolveMaxFeatures(p.maxFeatures, m.ncols),
      minImpurityDecrease: p.minImpurityDecrease,
    },
    new Rng(p.seed),
    new CartScratch(m.ncols, k, Math.max(...data.nBins)),
    importances,
    m.data,
  );
  options?.onProgress?.({ stage: 'tree', step: 1, total: 1 });
  return { target, columns, importances: normalise(importances), forest: concatTrees([tree], k) };
}

/**
 * A CART decision tree classifier (scikit-learn's `DecisionTreeClassifier`): binary splits chosen
 * by Gini impurity or entropy, grown depth-first until leaves are pure or a limit stops them.
 * Splits are searched on binned features (up to `maxBins` = 255 bins per feature); a feature with
 * at most 255 distinct values gets exactly scikit-learn's thresholds (midpoints between distinct
 * values). Features must be numeric: category/text columns are refused by name (encode them, or
 * use {@link HistGradientBoostingClassifier}, which takes categories natively); missing values are
 * refused with `E_MISSING_VALUES`.
 *
 * @example
 * ```ts
 * import { Dataset, DecisionTreeClassifier } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 10, 11, 12], y: ['a', 'a', 'a', 'b', 'b', 'b'] });
 * const fitted = await new DecisionTreeClassifier({ maxDepth: 3 }).fit(ds, { target: 'y' });
 * fitted.predict(ds);        // ['a', 'a', 'a', 'b', 'b', 'b']
 * fitted.predictProba(ds);   // Float64Array, 6 x 2 row-major
 * fitted.featureImportances; // Float64Array [1]
 * ```
 */
export class DecisionTreeClassifier implements Model<FittedDecisionTreeClassifier> {
  readonly kind = 'model' as const;
  readonly type = 'DecisionTreeClassifier';
  readonly tags = TAGS;
  readonly params: ClfParams;

  constructor(options: DecisionTreeClassifierOptions = {}) {
    this.params = parseOptions(ClfOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedDecisionTreeClassifier> {
    const r = await fitOneTree(ds, options, this.params, 'classification', this.type);
    if (r.target.task !== 'classification') throw new Error('unreachable');
    return new FittedDecisionTreeClassifier(this.params, r.columns, r.target.column, r.target.classes, r.importances, r.forest);
  }
}

/**
 * A fitted {@link DecisionTreeClassifier}: `predict`, `predictProba`, `featureImportances`, and
 * the tree as flat typed arrays in `forest`.
 *
 * @example
 * ```ts
 * const fitted = await new DecisionTreeClassifier().fit(ds, { target: 'species' });
 * fitted.classes; fitted.nodeCount; fitted.predictProba(ds);
 * ```
 */
export class FittedDecisionTreeClassifier extends FittedTreeClassifierBase<ClfParams> {
  readonly type = 'FittedDecisionTreeClassifier';
  constructor(params: ClfParams, columns: readonly string[], target: string, classes: readonly ClassLabel[], importances: Float64Array, forest: ForestArrays) {
    super(params, TAGS, columns, target, classes, importances, forest);
  }
  /** Restores from {@link FittedDecisionTreeClassifier.toJSON} output. */
  static fromJSON(json: Serialized): FittedDecisionTreeClassifier {
    const { params, state } = expectType<TreeModelState, ClfParams>(json, 'FittedDecisionTreeClassifier');
    const s = decodeTreeState(state);
    return new FittedDecisionTreeClassifier(
      parseOptions(ClfOptions, params, 'DecisionTreeClassifier'),
      s.columns,
      s.target,
      s.classes,
      s.importances,
      s.forest,
    );
  }
}

/**
 * A CART regression tree (scikit-learn's `DecisionTreeRegressor`, squared error): leaves predict
 * the mean of their rows. Same binning, limits and input rules as {@link DecisionTreeClassifier}.
 *
 * @example
 * ```ts
 * import { Dataset, DecisionTreeRegressor } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4], y: [1, 1, 5, 5] });
 * const fitted = await new DecisionTreeRegressor({ maxDepth: 1 }).fit(ds, { target: 'y' });
 * fitted.predict(ds); // Float64Array [1, 1, 5, 5]
 * ```
 */
export class DecisionTreeRegressor implements Model<FittedDecisionTreeRegressor> {
  readonly kind = 'model' as const;
  readonly type = 'DecisionTreeRegressor';
  readonly tags = TAGS;
  readonly params: RegParams;

  constructor(options: DecisionTreeRegressorOptions = {}) {
    this.params = parseOptions(RegOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedDecisionTreeRegressor> {
    const r = await fitOneTree(ds, options, this.params, 'regression', this.type);
    return new FittedDecisionTreeRegressor(this.params, r.columns, r.target.column, r.importances, r.forest);
  }
}

/**
 * A fitted {@link DecisionTreeRegressor}.
 *
 * @example
 * ```ts
 * const fitted = await new DecisionTreeRegressor().fit(ds, { target: 'price' });
 * fitted.predict(ds); fitted.featureImportances;
 * ```
 */
export class FittedDecisionTreeRegressor extends FittedTreeRegressorBase<RegParams> {
  readonly type = 'FittedDecisionTreeRegressor';
  constructor(params: RegParams, columns: readonly string[], target: string, importances: Float64Array, forest: ForestArrays) {
    super(params, TAGS, columns, target, importances, forest);
  }
  /** Restores from {@link FittedDecisionTreeRegressor.toJSON} output. */
  static fromJSON(json: Serialized): FittedDecisionTreeRegressor {
    const { params, state } = expectType<TreeModelState, RegParams>(json, 'FittedDecisionTreeRegressor');
    const s = decodeTreeState(state);
    return new FittedDecisionTreeRegressor(parseOptions(RegOptions, params, 'DecisionTreeRegressor'), s.columns, s.target, s.importances, s.forest);
  }
}

registerLoader('FittedDecisionTreeClassifier', 1, FittedDecisionTreeClassifier.fromJSON);
registerLoader('FittedDecisionTreeRegressor', 1, FittedDecisionTreeRegressor.fromJSON);
