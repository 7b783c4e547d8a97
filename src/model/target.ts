import { TesseraError } from '../core/errors.js';
import type { FittedModel } from '../core/protocol.js';
import { cellValue, isMissing } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';

/**
 * A class label as given by the user (the target column's values).
 *
 * @example
 * ```ts
 * const label: ClassLabel = 'churned';
 * ```
 */
export type ClassLabel = string | number | boolean;

/**
 * An encoded target: class indices for classification (`classes` sorted as scikit-learn does:
 * numbers ascending, strings by code unit, false before true), values for regression.
 *
 * @example
 * ```ts
 * const t = encodeTarget(ds, 'churn', 'classification', 'LogisticRegression');
 * if (t.task === 'classification') t.classes; // ['No', 'Yes']
 * ```
 */
export type EncodedTarget =
  | { task: 'classification'; column: string; classes: ClassLabel[]; y: Int32Array }
  | { task: 'regression'; column: string; y: Float64Array };

/**
 * Encodes the target column for a supervised fit. Missing target values are refused
 * (`E_MISSING_VALUES`, naming the first row); classification needs at least two classes
 * (`E_SCHEMA`); regression needs a numeric column.
 *
 * @example
 * ```ts
 * const { y } = encodeTarget(ds, 'price', 'regression', 'Ridge') as { y: Float64Array };
 * ```
 */
export function encodeTarget(ds: Dataset, column: string, task: 'classification' | 'regression', owner: string): EncodedTarget {
  const col = ds.column(column);
  for (let i = 0; i < col.length; i++) {
    if (isMissing(col, i)) {
      throw new TesseraError('E_MISSING_VALUES', `${owner}: target "${column}" is missing at row ${i}; drop or impute those rows first`, { column, row: i });
    }
  }
  if (task === 'regression') {
    if (col.kind !== 'number' && col.kind !== 'integer' && col.kind !== 'boolean') {
      throw new TesseraError('E_SCHEMA', `${owner}: regression target "${column}" must be numeric, got ${col.kind}`, { column });
    }
    const y = ds.matrix([column]);
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i] as number)) throw new TesseraError('E_NON_FINITE', `${owner}: target "${column}" is ${y[i]} at row ${i}`, { column, row: i });
    }
    return { task, column, y };
  }
  const raw: ClassLabel[] = new Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = cellValue(col, i);
    raw[i] = v instanceof Date ? v.getTime() : (v as ClassLabel);
  }
  const classes = sortLabels([...new Set(raw)]);
  if (classes.length < 2) {
    throw new TesseraError(
      'E_SCHEMA',
      `${owner}: target "${column}" has ${classes.length} class${classes.length === 1 ? ` (${String(classes[0])})` : 'es'}; classification needs at least 2`,
      {
        column,
      },
    );
  }
  const index = new Map<ClassLabel, number>(classes.map((c, k) => [c, k]));
  const y = new Int32Array(col.length);
  for (let i = 0; i < col.length; i++) y[i] = index.get(raw[i] as ClassLabel) as number;
  return { task, column, classes, y };
}

/**
 * Sorts labels the way scikit-learn's `np.unique` does for one type: numbers ascending, strings by
 * code unit, `false` before `true`; mixed types by type name first.
 *
 * @example
 * ```ts
 * sortLabels(['b', 'a']); // ['a', 'b']
 * ```
 */
export function sortLabels(labels: ClassLabel[]): ClassLabel[] {
  return labels.sort((a, b) => {
    const ta = typeof a;
    const tb = typeof b;
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (ta === 'number') return (a as number) - (b as number);
    if (ta === 'boolean') return Number(a) - Number(b);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * Guesses the task from a target column: category, text and boolean columns, and integer columns
 * with at most 20 distinct values, are classification; other numeric columns regression.
 *
 * @example
 * ```ts
 * inferTask(ds, 'species'); // 'classification'
 * ```
 */
export function inferTask(ds: Dataset, column: string): 'classification' | 'regression' {
  const col = ds.column(column);
  if (col.kind === 'category' || col.kind === 'text' || col.kind === 'boolean') return 'classification';
  if (col.kind === 'integer') {
    const distinct = new Set<number>();
    for (const v of col.values) {
      if (!Number.isNaN(v)) distinct.add(v);
      if (distinct.size > 20) return 'regression';
    }
    return 'classification';
  }
  return 'regression';
}

/**
 * A fitted classifier: `predict` gives labels, `predictProba` the class probabilities as a
 * row-major `Float64Array` of `nrows x classes.length`, columns in `classes` order.
 *
 * @example
 * ```ts
 * const fitted: FittedClassifier = await new LogisticRegression().fit(ds, { target: 'species' });
 * const p = fitted.predictProba(ds); // p[i * k + c]
 * ```
 */
export interface FittedClassifier extends FittedModel<ClassLabel[]> {
  readonly classes: readonly ClassLabel[];
  predictProba(ds: Dataset): Float64Array;
}

/**
 * A fitted regressor: `predict` gives a `Float64Array`.
 *
 * @example
 * ```ts
 * const fitted: FittedRegressor = await new Ridge().fit(ds, { target: 'price' });
 * ```
 */
export type FittedRegressor = FittedModel<Float64Array>;

/**
 * Turns probability rows into labels (argmax, first class wins ties).
 *
 * @example
 * ```ts
 * probaToLabels(new Float64Array([0.2, 0.8]), ['a', 'b']); // ['b']
 * ```
 */
export function probaToLabels(proba: Float64Array, classes: readonly ClassLabel[]): ClassLabel[] {
  const k = classes.length;
  const n = proba.length / k;
  const out = new Array<ClassLabel>(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = proba[i * k] as number;
    for (let c = 1; c < k; c++) {
      const v = proba[i * k + c] as number;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = classes[best] as ClassLabel;
  }
  return out;
}
