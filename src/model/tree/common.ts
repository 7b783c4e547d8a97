/**
 * Shared plumbing of the tree models (internal): fit preparation, the predict matrix, the
 * fitted base classes that DecisionTree and RandomForest share.
 */
import { checkAbort, yieldToEventLoop } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import type { ModelFitOptions, Serialized, Tags } from '../../core/protocol.js';
import { decodeFloat64, encodeArray } from '../../core/serialize.js';
import type { ColumnKind } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { featureMatrix, requireColumns, requireRows, resolveColumns, resolveTarget } from '../../dataset/features.js';
import { type ClassLabel, type EncodedTarget, encodeTarget, type FittedClassifier, type FittedRegressor, probaToLabels } from '../target.js';
import { decodeForest, encodeForest, type ForestArrays, type ForestState, predictForest } from './cart.js';

const ALL_KINDS: readonly ColumnKind[] = ['number', 'integer', 'boolean', 'datetime', 'category', 'text'];

/**
 * A cooperative scheduler for long fits: checks the abort signal on every call and yields to the
 * event loop at most every `everyMs` milliseconds.
 */
export function yielder(signal: AbortSignal | undefined, everyMs = 40): () => Promise<void> {
  let last = Date.now();
  return async () => {
    checkAbort(signal);
    if (Date.now() - last >= everyMs) {
      await yieldToEventLoop(signal);
      last = Date.now();
    }
  };
}

/** Feature columns of a supervised fit: the given ones, or every feature column (any kind) but the target. */
export function featureColumns(ds: Dataset, columns: readonly string[] | undefined, target: string, owner: string): string[] {
  if (columns?.includes(target)) {
    throw new TesseraError('E_OPTION', `${owner} option "columns" includes the target "${target}"`, { option: 'columns', column: target });
  }
  const cols = resolveColumns(ds, columns, ALL_KINDS, owner, [target]);
  if (cols.length === 0) throw new TesseraError('E_SCHEMA', `${owner} found no feature columns besides the target "${target}"`, { column: target });
  return cols;
}

/** Everything a supervised tree fit starts with: checks, target, feature columns. */
export function prepareFit(
  ds: Dataset,
  options: ModelFitOptions | undefined,
  columns: readonly string[] | undefined,
  task: 'classification' | 'regression',
  owner: string,
): { target: EncodedTarget; columns: string[] } {
  checkAbort(options?.signal);
  requireRows(ds, owner);
  if (options?.sampleWeight !== undefined) {
    throw new TesseraError('E_UNSUPPORTED', `${owner} does not take sample weights`, { option: 'sampleWeight' });
  }
  const t = resolveTarget(ds, options?.target, owner);
  const cols = featureColumns(ds, columns, t, owner);
  return { target: encodeTarget(ds, t, task, owner), columns: cols };
}

/** Resolves `maxFeatures` to a count in [1, p]. */
export function resolveMaxFeatures(m: 'sqrt' | 'log2' | 'all' | number, p: number): number {
  let v: number;
  if (m === 'all') v = p;
  else if (m === 'sqrt') v = Math.floor(Math.sqrt(p));
  else if (m === 'log2') v = Math.floor(Math.log2(p));
  else if (m < 1) v = Math.floor(m * p);
  else v = Math.floor(m);
  return Math.min(p, Math.max(1, v));
}

/** Numeric matrix at predict time, with the fitted columns checked by name. */
export function predictMatrix(ds: Dataset, columns: readonly string[], owner: string): Float64Array {
  requireColumns(ds, columns, owner);
  return featureMatrix(ds, columns, { owner, allowMissing: false }).data;
}

/** Normalises to sum 1 (all zeros stay zeros). */
export function normalise(a: Float64Array): Float64Array {
  let s = 0;
  for (const v of a) s += v;
  if (s > 0) for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) / s;
  return a;
}

/** JSON state shared by the fitted tree models. */
export interface TreeModelState {
  columns: string[];
  target: string;
  classes?: ClassLabel[];
  importances: string;
  forest: ForestState;
}

/**
 * Base of fitted tree classifiers (DecisionTree, RandomForest): averaged leaf class probabilities.
 */
export abstract class FittedTreeClassifierBase<P extends object> implements FittedClassifier {
  readonly kind = 'model' as const;
  abstract readonly type: string;
  readonly tags: Tags;
  readonly params: P;
  readonly inputColumns: readonly string[];
  readonly target: string;
  readonly classes: readonly ClassLabel[];
  /** Impurity-based (mean decrease in impurity) importances, one per input column, summing to 1. */
  readonly featureImportances: Float64Array;
  /** The trees as flat typed arrays. */
  readonly forest: ForestArrays;

  constructor(
    params: P,
    tags: Tags,
    columns: readonly string[],
    target: string,
    classes: readonly ClassLabel[],
    importances: Float64Array,
    forest: ForestArrays,
  ) {
    this.params = params;
    this.tags = tags;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.classes = Object.freeze([...classes]);
    this.featureImportances = importances;
    this.forest = forest;
  }

  /** Number of nodes over all trees. */
  get nodeCount(): number {
    return this.forest.feature.length;
  }

  /** Class probabilities, row-major `nrows x classes.length`. */
  predictProba(ds: Dataset): Float64Array {
    const X = predictMatrix(ds, this.inputColumns, this.type);
    return predictForest(this.forest, X, ds.nrows, this.inputColumns.length);
  }

  /** The most probable class of each row. */
  predict(ds: Dataset): ClassLabel[] {
    return probaToLabels(this.predictProba(ds), this.classes);
  }

  toJSON(): Serialized<P, TreeModelState> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        target: this.target,
        classes: [...this.classes],
        importances: encodeArray(this.featureImportances),
        forest: encodeForest(this.forest),
      },
    };
  }
}

/** Base of fitted tree regressors: averaged leaf means. */
export abstract class FittedTreeRegressorBase<P extends object> implements FittedRegressor {
  readonly kind = 'model' as const;
  abstract readonly type: string;
  readonly tags: Tags;
  readonly params: P;
  readonly inputColumns: readonly string[];
  readonly target: string;
  /** Impurity-based importances, one per input column, summing to 1. */
  readonly featureImportances: Float64Array;
  /** The trees as flat typed arrays. */
  readonly forest: ForestArrays;

  constructor(params: P, tags: Tags, columns: readonly string[], target: string, importances: Float64Array, forest: ForestArrays) {
    this.params = params;
    this.tags = tags;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.featureImportances = importances;
    this.forest = forest;
  }

  /** Number of nodes over all trees. */
  get nodeCount(): number {
    return this.forest.feature.length;
  }

  /** Predicted values. */
  predict(ds: Dataset): Float64Array {
    const X = predictMatrix(ds, this.inputColumns, this.type);
    return predictForest(this.forest, X, ds.nrows, this.inputColumns.length);
  }

  toJSON(): Serialized<P, TreeModelState> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        target: this.target,
        importances: encodeArray(this.featureImportances),
        forest: encodeForest(this.forest),
      },
    };
  }
}

/** Decodes the shared state. */
export function decodeTreeState(state: TreeModelState): {
  columns: string[];
  target: string;
  classes: ClassLabel[];
  importances: Float64Array;
  forest: ForestArrays;
} {
  return {
    columns: [...state.columns],
    target: state.target,
    classes: [...(state.classes ?? [])],
    importances: decodeFloat64(state.importances),
    forest: decodeForest(state.forest),
  };
}
