import { checkAbort, yieldToEventLoop } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import type { FitOptions, FittedModel, Model } from '../../core/protocol.js';
import { Rng } from '../../core/random.js';
import type { Dataset } from '../../dataset/dataset.js';
import { resolveTarget } from '../../dataset/features.js';
import { inferTask } from '../target.js';
import { classesOf, getScorer, type Scorer, type ScorerName, targetLabels } from './scoring.js';
import { KFold, type Splitter, StratifiedKFold } from './splitters.js';

/**
 * Options of {@link crossValidate}.
 *
 * @example
 * ```ts
 * const o: CrossValidateOptions = { target: 'churn', cv: 5, scoring: ['roc_auc', 'accuracy'] };
 * ```
 */
export interface CrossValidateOptions extends FitOptions {
  /** Target column; default the column with role `target`. */
  target?: string;
  /** Number of folds (stratified for a classification target, as scikit-learn) or a splitter. Default 5. */
  cv?: number | Splitter;
  /** Scorer name(s) or function(s); default `accuracy` for classification, `r2` for regression. */
  scoring?: ScorerName | Scorer | ReadonlyArray<ScorerName | Scorer>;
  /** Keep each fold's fitted model in the result. Default false. */
  returnModels?: boolean;
}

/**
 * The result of {@link crossValidate}: per-scorer fold scores, their mean and (population) sd,
 * and per-fold fit times in milliseconds.
 *
 * @example
 * ```ts
 * const r: CrossValidateResult = await crossValidate(new Ridge(), ds, { target: 'y' });
 * r.mean.r2;
 * ```
 */
export interface CrossValidateResult {
  readonly scores: Record<string, number[]>;
  readonly mean: Record<string, number>;
  readonly std: Record<string, number>;
  readonly fitTimeMs: number[];
  readonly models?: FittedModel[];
}

/**
 * Evaluates a model by cross-validation (scikit-learn's `cross_validate`): fits a fresh copy on
 * each fold's training rows and scores it on the held-out rows.
 *
 * @example
 * ```ts
 * import { crossValidate, LogisticRegression } from 'tessera';
 * const r = await crossValidate(new LogisticRegression(), ds, { target: 'species', cv: 5 });
 * r.mean.accuracy; r.scores.accuracy; // 5 values
 * ```
 */
export async function crossValidate(model: Model, ds: Dataset, options: CrossValidateOptions = {}): Promise<CrossValidateResult> {
  checkAbort(options.signal);
  const target = resolveTarget(ds, options.target, 'crossValidate');
  const task = inferTask(ds, target);
  const cvOpt = options.cv ?? 5;
  const cv: Splitter =
    typeof cvOpt === 'number' ? (task === 'classification' ? new StratifiedKFold({ nSplits: cvOpt }) : new KFold({ nSplits: cvOpt })) : cvOpt;
  const raw = options.scoring ?? (task === 'classification' ? 'accuracy' : 'r2');
  const list = (Array.isArray(raw) ? raw : [raw]) as ReadonlyArray<ScorerName | Scorer>;
  if (list.length === 0) throw new TesseraError('E_OPTION', 'crossValidate option "scoring": give at least one scorer', { option: 'scoring' });
  const names = list.map((s, i) => (typeof s === 'string' ? s : s.name || `scorer${i}`));
  const scorers = list.map(getScorer);
  const y = cv instanceof StratifiedKFold ? targetLabels(ds, target) : undefined;
  const scores: Record<string, number[]> = Object.create(null);
  for (const n of names) scores[n] = [];
  const fitTimeMs: number[] = [];
  const models: FittedModel[] = [];
  let step = 0;
  for (const { train, test } of cv.split(ds.nrows, y)) {
    checkAbort(options.signal);
    const t0 = performance.now();
    const fitOpts: Parameters<Model['fit']>[1] = { target };
    if (options.signal) fitOpts.signal = options.signal;
    const fitted = await model.fit(ds.take(train), fitOpts);
    fitTimeMs.push(performance.now() - t0);
    const te = ds.take(test);
    scorers.forEach((s, k) => (scores[names[k] as string] as number[]).push(s(fitted, te, target)));
    if (options.returnModels) models.push(fitted);
    step++;
    options.onProgress?.({ stage: 'fold', step, total: cv.nSplits });
    await yieldToEventLoop(options.signal);
  }
  const mean: Record<string, number> = Object.create(null);
  const std: Record<string, number> = Object.create(null);
  for (const n of names) {
    const v = scores[n] as number[];
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    mean[n] = m;
    std[n] = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  }
  return options.returnModels ? { scores, mean, std, fitTimeMs, models } : { scores, mean, std, fitTimeMs };
}

/**
 * Options of {@link permutationImportance}.
 *
 * @example
 * ```ts
 * const o: PermutationImportanceOptions = { target: 'churn', scoring: 'roc_auc', nRepeats: 10, seed: 1 };
 * ```
 */
export interface PermutationImportanceOptions {
  /** Target column; default the fitted model's target. */
  target?: string;
  /** Scorer (greater is better); default `accuracy` for classifiers, `r2` for regressors. */
  scoring?: ScorerName | Scorer;
  /** Shuffles per column. Default 5. */
  nRepeats?: number;
  /** Seed. Default 0. */
  seed?: number;
  /** Columns to permute; default the model's input columns. */
  columns?: readonly string[];
}

/**
 * The result of {@link permutationImportance}: per column, the mean and sd of the score drop when
 * that column is shuffled, and every repeat's drop (`importances[j * nRepeats + r]`).
 *
 * @example
 * ```ts
 * const r: PermutationImportanceResult = permutationImportance(fitted, test, { target: 'y' });
 * ```
 */
export interface PermutationImportanceResult {
  readonly columns: string[];
  readonly baseline: number;
  readonly mean: Float64Array;
  readonly std: Float64Array;
  readonly importances: Float64Array;
}

/**
 * Permutation feature importance for any fitted model (scikit-learn's `permutation_importance`):
 * the drop in score when one column's values are shuffled, breaking its link to the target.
 * Seeded. Works on held-out data as well as training data.
 *
 * @example
 * ```ts
 * import { permutationImportance } from 'tessera';
 * const r = permutationImportance(fitted, test, { target: 'price', nRepeats: 10 });
 * r.columns[0]; r.mean[0];
 * ```
 */
export function permutationImportance(fitted: FittedModel, ds: Dataset, options: PermutationImportanceOptions = {}): PermutationImportanceResult {
  const target = options.target ?? fitted.target;
  if (target === undefined) throw new TesseraError('E_OPTION', 'permutationImportance needs options.target', { option: 'target' });
  ds.column(target);
  const nRepeats = options.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1 || nRepeats > 10_000) {
    throw new TesseraError('E_OPTION', `permutationImportance option "nRepeats" must be an integer in [1, 10000], got ${nRepeats}`, { option: 'nRepeats' });
  }
  const isClassifier = classesOf(fitted) !== undefined;
  const scorer = getScorer(options.scoring ?? (isClassifier ? 'accuracy' : 'r2'));
  const columns = [...(options.columns ?? fitted.inputColumns)];
  for (const c of columns) ds.column(c);
  const baseline = scorer(fitted, ds, target);
  const rng = new Rng(options.seed ?? 0);
  const p = columns.length;
  const importances = new Float64Array(p * nRepeats);
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  columns.forEach((c, j) => {
    for (let r = 0; r < nRepeats; r++) {
      const perm = rng.permutation(ds.nrows);
      const shuffled = ds.withColumn(c, ds.select([c]).take(perm).column(c));
      importances[j * nRepeats + r] = baseline - scorer(fitted, shuffled, target);
    }
    let m = 0;
    for (let r = 0; r < nRepeats; r++) m += importances[j * nRepeats + r] as number;
    m /= nRepeats;
    let s = 0;
    for (let r = 0; r < nRepeats; r++) s += ((importances[j * nRepeats + r] as number) - m) ** 2;
    mean[j] = m;
    std[j] = Math.sqrt(s / nRepeats);
  });
  return { columns, baseline, mean, std, importances };
}
