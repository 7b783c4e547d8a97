import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import type { FitOptions, FittedDetector, Serialized, Tags } from '../core/protocol.js';
import type { ColumnKind } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { featureMatrix, requireColumns, requireRows, resolveColumns } from '../dataset/features.js';

/** Column kinds the tabular detectors read. @example `DETECT_KINDS.includes('integer') // true` */
export const DETECT_KINDS: readonly ColumnKind[] = ['number', 'integer', 'boolean'];

/**
 * How `predict` turns scores into verdicts. Scores are never thresholded silently: `score` returns
 * the raw scores, and `predict` says `score > threshold` with the threshold fitted by one of:
 *
 * - `contamination`: the `(1 - contamination)` quantile of the training scores (scikit-learn's
 *   `contamination`), so about that fraction of training rows are flagged; must lie in (0, 0.5].
 * - `fixed`: a value on the detector's score scale.
 * - `quantile`: the `q` quantile of the training scores.
 * - `mad`: `median + k * 1.4826 * MAD` of the training scores (robust z-score of the score).
 * - `auto` (default): the detector's natural cut-off when it has one (Isolation Forest 0.5,
 *   z-score 3, robust z-score 3.5, IQR fences, LOF 1.5, One-Class SVM 0, Mahalanobis the
 *   chi-square 0.975 quantile), else the `mad` rule with `k = 3`.
 *
 * @example
 * ```ts
 * const t: ThresholdStrategy = { kind: 'contamination', contamination: 0.05 };
 * new IsolationForest({ threshold: t });
 * ```
 */
export type ThresholdStrategy =
  | { kind: 'contamination'; contamination: number }
  | { kind: 'fixed'; value: number }
  | { kind: 'quantile'; q: number }
  | { kind: 'mad'; k?: number }
  | { kind: 'auto' };

/** Zod schema of {@link ThresholdStrategy}. @example `ThresholdSchema.parse({ kind: 'auto' })` */
export const ThresholdSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('contamination'),
      contamination: z.number().gt(0, 'contamination must be in (0, 0.5]').max(0.5, 'contamination must be in (0, 0.5]'),
    })
    .strict(),
  z.object({ kind: z.literal('fixed'), value: z.number().finite() }).strict(),
  z.object({ kind: z.literal('quantile'), q: z.number().gt(0).lt(1) }).strict(),
  z.object({ kind: z.literal('mad'), k: z.number().positive().default(3) }).strict(),
  z.object({ kind: z.literal('auto') }).strict(),
]);

/**
 * Options every tabular detector shares: the columns to read, the threshold strategy, and the
 * `contamination` shorthand (same as `threshold: { kind: 'contamination', contamination }`).
 *
 * @example
 * ```ts
 * const o: DetectorBaseOptions = { columns: ['amount'], contamination: 0.01 };
 * ```
 */
export const BaseOptions = {
  /** Columns to read; default: every numeric/boolean column without a non-feature role. */
  columns: z.array(z.string()).optional(),
  /** Threshold strategy for `predict`. Default `{ kind: 'auto' }`. */
  threshold: ThresholdSchema.optional(),
  /** Shorthand for `threshold: { kind: 'contamination', contamination }`; in (0, 0.5]. */
  contamination: z.number().gt(0, 'contamination must be in (0, 0.5]').max(0.5, 'contamination must be in (0, 0.5]').optional(),
};

/** The shared options as a type. @example `const o: DetectorBaseOptions = { contamination: 0.1 };` */
export interface DetectorBaseOptions {
  columns?: string[];
  threshold?: ThresholdStrategy;
  contamination?: number;
}

/** The strategy a params object asks for (contamination shorthand wins over `auto`). @example `strategyOf({ contamination: 0.1 })` */
export function strategyOf(params: { threshold?: ThresholdStrategy | undefined; contamination?: number | undefined }, owner = 'detector'): ThresholdStrategy {
  if (params.contamination !== undefined) {
    if (params.threshold !== undefined && params.threshold.kind !== 'contamination') {
      throw new TesseraError('E_OPTION', `${owner}: give either "contamination" or "threshold", not both`, { option: 'contamination' });
    }
    return { kind: 'contamination', contamination: params.contamination };
  }
  return params.threshold ?? { kind: 'auto' };
}

/**
 * Linear-interpolation quantile (NumPy default) of unsorted values (copies, then sorts).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  return quantileOfSorted(s, q);
}

/** Quantile of an already sorted array (linear interpolation). @example `quantileOfSorted(new Float64Array([1, 3]), 0.5) // 2` */
export function quantileOfSorted(s: ArrayLike<number>, q: number): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** Median of values. @example `median([3, 1, 2]) // 2` */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Median absolute deviation around `center` (unscaled). @example `mad([1, 2, 3, 4, 100], 3) // 1` */
export function mad(values: ArrayLike<number>, center: number): number {
  const d = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) d[i] = Math.abs((values[i] as number) - center);
  return median(d);
}

/**
 * The threshold a strategy gives for these training scores. `natural` is the detector's own
 * cut-off used by `auto` (when undefined, `auto` is the `mad` rule with k = 3).
 *
 * @example
 * ```ts
 * resolveThreshold({ kind: 'contamination', contamination: 0.1 }, trainScores, 0.5);
 * ```
 */
export function resolveThreshold(strategy: ThresholdStrategy, trainScores: ArrayLike<number>, natural?: number): number {
  switch (strategy.kind) {
    case 'fixed':
      return strategy.value;
    case 'contamination':
      return quantile(trainScores, 1 - strategy.contamination);
    case 'quantile':
      return quantile(trainScores, strategy.q);
    case 'mad':
      return madThreshold(trainScores, strategy.k ?? 3);
    case 'auto':
      return natural !== undefined ? natural : madThreshold(trainScores, 3);
  }
}

function madThreshold(scores: ArrayLike<number>, k: number): number {
  const m = median(scores);
  let s = 1.4826 * mad(scores, m);
  if (!(s > 0)) {
    // more than half the scores are equal: fall back on the mean absolute deviation
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += Math.abs((scores[i] as number) - m);
    s = (1.2533 * sum) / Math.max(1, scores.length);
  }
  return m + k * s;
}

/**
 * What drove one row's score: per-feature contributions, largest first.
 *
 * @example
 * ```ts
 * const e: Explanation = fitted.explain(ds, 0);
 * e.contributions[0].column; // the most unusual field
 * ```
 */
export interface Explanation {
  /** Row index in the Dataset passed to `explain`. */
  readonly row: number;
  /** The row's score (as `score` gives it). */
  readonly score: number;
  /** One entry per input column, sorted by decreasing contribution. */
  readonly contributions: readonly { readonly column: string; readonly value: number; readonly contribution: number }[];
}

/** Builds an {@link Explanation} from per-column contributions. @example `makeExplanation(0, 3.2, ['a'], [1], [3.2])` */
export function makeExplanation(row: number, score: number, columns: readonly string[], values: ArrayLike<number>, contrib: ArrayLike<number>): Explanation {
  const contributions = columns.map((column, j) => ({ column, value: values[j] as number, contribution: contrib[j] as number }));
  contributions.sort((a, b) => b.contribution - a.contribution);
  return { row, score, contributions };
}

/**
 * Shared `fit` preparation: abort check, minimum rows, column resolution, the numeric matrix
 * (missing values refused with `E_MISSING_VALUES`, infinities with `E_NON_FINITE`) and the
 * per-column constant mask. A training set where every column is constant throws `E_SCHEMA`
 * ("no variance"): nothing can be learnt about what is unusual.
 *
 * @example
 * ```ts
 * const m = prepareFit(ds, params.columns, 'ZScore', options);
 * ```
 */
export function prepareFit(
  ds: Dataset,
  columns: readonly string[] | undefined,
  owner: string,
  options: FitOptions | undefined,
  minRows = 1,
): { data: Float64Array; nrows: number; ncols: number; columns: string[]; constant: Uint8Array } {
  checkAbort(options?.signal);
  requireRows(ds, owner, minRows);
  const cols = resolveColumns(ds, columns, DETECT_KINDS, owner);
  if (cols.length === 0) throw new TesseraError('E_SCHEMA', `${owner} found no numeric feature columns to read`, { columns: [] });
  const m = featureMatrix(ds, cols, { owner });
  const constant = constantColumns(m.data, m.nrows, cols.length);
  let all = true;
  for (let j = 0; j < cols.length; j++) if (!constant[j]) all = false;
  if (all && m.nrows > 1) {
    throw new TesseraError('E_SCHEMA', `${owner}: the training set has no variance (every column is constant: ${cols.map((c) => `"${c}"`).join(', ')})`, {
      columns: cols,
    });
  }
  return { data: m.data, nrows: m.nrows, ncols: cols.length, columns: cols, constant };
}

/** 1 for each column whose values are all equal. @example `constantColumns(new Float64Array([1, 2, 1, 3]), 2, 2) // [1, 0]` */
export function constantColumns(data: Float64Array, nrows: number, ncols: number): Uint8Array {
  const out = new Uint8Array(ncols).fill(1);
  for (let j = 0; j < ncols; j++) {
    const v0 = data[j] as number;
    for (let i = 1; i < nrows; i++) {
      if (data[i * ncols + j] !== v0) {
        out[j] = 0;
        break;
      }
    }
  }
  return out;
}

/** Serialised form shared by the fitted tabular detectors. @example `const s: DetectorState = fitted.toJSON().state;` */
export interface DetectorState {
  columns: string[];
  threshold: number;
}

/**
 * Base of every fitted tabular detector: `score` reads the fitted columns (checked) and delegates
 * to `scoreMatrix`; `predict` is `score > threshold`.
 *
 * @example
 * ```ts
 * const fitted = await new ZScore().fit(ds);
 * fitted.scoreMatrix(new Float64Array([1, 2]), 1);
 * ```
 */
export abstract class FittedDetectorBase<P extends object, S extends object> implements FittedDetector {
  readonly kind = 'detector' as const;
  abstract readonly type: string;
  readonly tags: Tags;
  readonly params: P;
  readonly inputColumns: readonly string[];
  readonly threshold: number;

  constructor(params: P, tags: Tags, columns: readonly string[], threshold: number) {
    this.params = params;
    this.tags = tags;
    this.inputColumns = Object.freeze([...columns]);
    this.threshold = threshold;
  }

  /** Scores a dense row-major matrix with the fitted columns' order. Higher = more anomalous. */
  abstract scoreMatrix(data: Float64Array, nrows: number): Float64Array;

  protected abstract state(): S;

  /** The numeric matrix of the fitted columns (checked: present, numeric, no missing, finite). */
  protected matrixOf(ds: Dataset): { data: Float64Array; nrows: number } {
    requireColumns(ds, this.inputColumns, this.type);
    const m = featureMatrix(ds, this.inputColumns, { owner: this.type });
    return { data: m.data, nrows: m.nrows };
  }

  score(ds: Dataset): Float64Array {
    const m = this.matrixOf(ds);
    return this.scoreMatrix(m.data, m.nrows);
  }

  predict(ds: Dataset): boolean[] {
    const s = this.score(ds);
    return Array.from(s, (v) => v > this.threshold);
  }

  /** One row's values (in `inputColumns` order), checking the index. */
  protected rowOf(ds: Dataset, row: number): { values: Float64Array; score: number } {
    if (!Number.isInteger(row) || row < 0 || row >= ds.nrows) {
      throw new TesseraError('E_OPTION', `${this.type}.explain: row ${row} is out of range [0, ${ds.nrows})`, { option: 'row', row });
    }
    const m = this.matrixOf(ds.slice(row, row + 1));
    return { values: m.data, score: this.scoreMatrix(m.data, 1)[0] as number };
  }

  toJSON(): Serialized<P, DetectorState & S> {
    return { type: this.type, version: 1, params: this.params, state: { columns: [...this.inputColumns], threshold: this.threshold, ...this.state() } };
  }
}
