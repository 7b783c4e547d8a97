import { TesseraError } from '../../core/errors.js';
import type { FittedModel } from '../../core/protocol.js';
import { cellValue } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { accuracy, averagePrecision, balancedAccuracy, f1, logLoss, precision, recall, rocAuc } from '../metrics/classification.js';
import { mae, mape, mse, r2, rmse } from '../metrics/regression.js';
import type { ClassLabel } from '../target.js';

/**
 * A scorer: scores a fitted model on a Dataset holding the target column; greater is better (error
 * metrics are negated, as scikit-learn's `neg_*` scorers).
 *
 * @example
 * ```ts
 * const s: Scorer = (fitted, ds, target) => -mae(ds.matrix([target]), fitted.predict(ds) as Float64Array);
 * ```
 */
export type Scorer = (fitted: FittedModel, ds: Dataset, target: string) => number;

/**
 * Names of the built-in scorers (scikit-learn's scorer names). Binary scorers (`f1`, `precision`,
 * `recall`, `roc_auc`, `average_precision`) take the model's second class (`classes[1]`) as positive.
 *
 * @example
 * ```ts
 * const name: ScorerName = 'roc_auc';
 * ```
 */
export type ScorerName =
  | 'accuracy'
  | 'balanced_accuracy'
  | 'f1'
  | 'f1_macro'
  | 'f1_weighted'
  | 'precision'
  | 'precision_macro'
  | 'recall'
  | 'recall_macro'
  | 'roc_auc'
  | 'roc_auc_ovr'
  | 'average_precision'
  | 'neg_log_loss'
  | 'r2'
  | 'neg_mean_absolute_error'
  | 'neg_mean_squared_error'
  | 'neg_root_mean_squared_error'
  | 'neg_mean_absolute_percentage_error';

/**
 * The target column's values as class labels.
 *
 * @example
 * ```ts
 * targetLabels(ds, 'species'); // ['setosa', ...]
 * ```
 */
export function targetLabels(ds: Dataset, target: string): ClassLabel[] {
  const col = ds.column(target);
  const out = new Array<ClassLabel>(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = cellValue(col, i);
    if (v === null) throw new TesseraError('E_MISSING_VALUES', `target "${target}" is missing at row ${i}`, { column: target, row: i });
    out[i] = v instanceof Date ? v.getTime() : v;
  }
  return out;
}

interface Probabilistic {
  readonly classes: readonly ClassLabel[];
  predictProba(ds: Dataset): Float64Array;
}

/**
 * The classes of a fitted classifier, also through a fitted pipeline (its `final` step).
 *
 * @example
 * ```ts
 * classesOf(fittedPipeline); // ['No', 'Yes']
 * ```
 */
export function classesOf(fitted: FittedModel): readonly ClassLabel[] | undefined {
  const f = fitted as FittedModel & { classes?: readonly ClassLabel[]; final?: FittedModel };
  return f.classes ?? (f.final ? classesOf(f.final) : undefined);
}

function proba(fitted: FittedModel, name: string): Probabilistic {
  const f = fitted as FittedModel & Partial<Probabilistic>;
  const classes = classesOf(fitted);
  if (typeof f.predictProba !== 'function' || !classes) {
    throw new TesseraError('E_UNSUPPORTED', `scorer "${name}" needs a classifier with predictProba; ${fitted.type} has none`, { option: 'scoring' });
  }
  return { classes, predictProba: (ds) => (f.predictProba as (d: Dataset) => Float64Array).call(fitted, ds) };
}

function positiveColumn(p: Probabilistic, ds: Dataset, name: string): { scores: Float64Array; pos: ClassLabel } {
  const k = p.classes.length;
  if (k !== 2)
    throw new TesseraError('E_UNSUPPORTED', `scorer "${name}" is binary; the model has ${k} classes (use roc_auc_ovr or a macro average)`, {
      option: 'scoring',
    });
  const P = p.predictProba(ds);
  const s = new Float64Array(ds.nrows);
  for (let i = 0; i < s.length; i++) s[i] = P[i * 2 + 1] as number;
  return { scores: s, pos: p.classes[1] as ClassLabel };
}

function labels(fitted: FittedModel, ds: Dataset): ClassLabel[] {
  return Array.from(fitted.predict(ds) as ArrayLike<ClassLabel>);
}

function values(fitted: FittedModel, ds: Dataset, name: string): Float64Array {
  const p = fitted.predict(ds);
  if (!(p instanceof Float64Array))
    throw new TesseraError('E_UNSUPPORTED', `scorer "${name}" needs a regressor; ${fitted.type} predicts labels`, { option: 'scoring' });
  return p;
}

function binaryPos(fitted: FittedModel, name: string): ClassLabel {
  const c = classesOf(fitted);
  if (c?.length !== 2)
    throw new TesseraError('E_UNSUPPORTED', `scorer "${name}" is binary; use "${name}_macro" for ${c?.length ?? 'these'} classes`, { option: 'scoring' });
  return (c as readonly ClassLabel[])[1] as ClassLabel;
}

const SCORERS: Record<ScorerName, Scorer> = {
  accuracy: (f, ds, t) => accuracy(targetLabels(ds, t), labels(f, ds)),
  balanced_accuracy: (f, ds, t) => balancedAccuracy(targetLabels(ds, t), labels(f, ds)),
  f1: (f, ds, t) => f1(targetLabels(ds, t), labels(f, ds), { posLabel: binaryPos(f, 'f1') }),
  f1_macro: (f, ds, t) => f1(targetLabels(ds, t), labels(f, ds), { average: 'macro' }),
  f1_weighted: (f, ds, t) => f1(targetLabels(ds, t), labels(f, ds), { average: 'weighted' }),
  precision: (f, ds, t) => precision(targetLabels(ds, t), labels(f, ds), { posLabel: binaryPos(f, 'precision') }),
  precision_macro: (f, ds, t) => precision(targetLabels(ds, t), labels(f, ds), { average: 'macro' }),
  recall: (f, ds, t) => recall(targetLabels(ds, t), labels(f, ds), { posLabel: binaryPos(f, 'recall') }),
  recall_macro: (f, ds, t) => recall(targetLabels(ds, t), labels(f, ds), { average: 'macro' }),
  roc_auc: (f, ds, t) => {
    const { scores, pos } = positiveColumn(proba(f, 'roc_auc'), ds, 'roc_auc');
    return rocAuc(targetLabels(ds, t), scores, { posLabel: pos });
  },
  roc_auc_ovr: (f, ds, t) => {
    const p = proba(f, 'roc_auc_ovr');
    return rocAuc(targetLabels(ds, t), p.predictProba(ds), { classes: p.classes });
  },
  average_precision: (f, ds, t) => {
    const { scores, pos } = positiveColumn(proba(f, 'average_precision'), ds, 'average_precision');
    return averagePrecision(targetLabels(ds, t), scores, { posLabel: pos });
  },
  neg_log_loss: (f, ds, t) => {
    const p = proba(f, 'neg_log_loss');
    return -logLoss(targetLabels(ds, t), p.predictProba(ds), { classes: p.classes });
  },
  r2: (f, ds, t) => r2(ds.matrix([t]), values(f, ds, 'r2')),
  neg_mean_absolute_error: (f, ds, t) => -mae(ds.matrix([t]), values(f, ds, 'neg_mean_absolute_error')),
  neg_mean_squared_error: (f, ds, t) => -mse(ds.matrix([t]), values(f, ds, 'neg_mean_squared_error')),
  neg_root_mean_squared_error: (f, ds, t) => -rmse(ds.matrix([t]), values(f, ds, 'neg_root_mean_squared_error')),
  neg_mean_absolute_percentage_error: (f, ds, t) => -mape(ds.matrix([t]), values(f, ds, 'neg_mean_absolute_percentage_error')),
};

/**
 * Resolves a scorer by name (or passes a function through). Unknown names throw `E_OPTION` listing
 * the known ones.
 *
 * @example
 * ```ts
 * const s = getScorer('neg_root_mean_squared_error');
 * s(fitted, test, 'price');
 * ```
 */
export function getScorer(scoring: ScorerName | Scorer): Scorer {
  if (typeof scoring === 'function') return scoring;
  if (!Object.hasOwn(SCORERS, scoring)) {
    throw new TesseraError('E_OPTION', `unknown scoring "${String(scoring)}"; known: ${Object.keys(SCORERS).join(', ')}`, { option: 'scoring' });
  }
  return SCORERS[scoring];
}
