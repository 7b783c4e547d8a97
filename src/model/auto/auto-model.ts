import { z } from 'zod';
import { checkAbort } from '../../core/abort.js';
import { isTesseraError, TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, load, registerLoader } from '../../core/serialize.js';
import type { ColumnKind } from '../../dataset/column.js';
import { Dataset } from '../../dataset/dataset.js';
import { requireRows, resolveColumns, resolveTarget } from '../../dataset/features.js';
import { OneHotEncoder, pipeline, SimpleImputer, StandardScaler } from '../../transform/index.js';
import { HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor } from '../ensemble/index.js';
import { LinearRegression, LogisticRegression, Ridge, RidgeCV } from '../linear/index.js';
import { GaussianNaiveBayes } from '../naive-bayes/index.js';
import { KNeighborsClassifier, KNeighborsRegressor } from '../neighbors/index.js';
import { crossValidate } from '../selection/cross-validate.js';
import { getScorer, type ScorerName, targetLabels } from '../selection/scoring.js';
import { KFold, StratifiedKFold } from '../selection/splitters.js';
import { type ClassLabel, encodeTarget, inferTask, probaToLabels } from '../target.js';
import { Blend } from './blend.js';

const CLASSIFIERS = ['LogisticRegression', 'GaussianNaiveBayes', 'KNeighborsClassifier', 'HistGradientBoostingClassifier', 'RandomForestClassifier'] as const;
const REGRESSORS = ['RidgeCV', 'Ridge', 'LinearRegression', 'KNeighborsRegressor', 'HistGradientBoostingRegressor', 'RandomForestRegressor'] as const;

/** A candidate model name. @example `const c: AutoCandidate = 'RandomForestClassifier';` */
export type AutoCandidate = (typeof CLASSIFIERS)[number] | (typeof REGRESSORS)[number];

const METRICS = [
  'accuracy',
  'balanced_accuracy',
  'f1',
  'f1_macro',
  'f1_weighted',
  'roc_auc',
  'roc_auc_ovr',
  'average_precision',
  'neg_log_loss',
  'r2',
  'neg_mean_absolute_error',
  'neg_mean_squared_error',
  'neg_root_mean_squared_error',
] as const;

const Options = z
  .object({
    /** Feature columns; default every number/integer/boolean/category column without a non-feature role (text and datetime columns are left out). */
    columns: z.array(z.string()).optional(),
    /** Time budget for the model search, in milliseconds (the first candidate always completes; the final refit is extra). Default 60,000. */
    timeBudgetMs: z.number().int().min(1).max(86_400_000).default(60_000),
    /** Cross-validation folds (stratified and shuffled for classification, shuffled otherwise). Default 5. */
    cv: z.number().int().min(2).max(20).default(5),
    /** Selection metric (greater is better); default `roc_auc` for two classes, `accuracy` for more, `neg_root_mean_squared_error` for regression. */
    metric: z.enum(METRICS).optional(),
    /** `classification` or `regression`; default inferred from the target (see `inferTask`). */
    task: z.enum(['classification', 'regression']).optional(),
    /** Candidates to try, in order; default every model of the task, fastest first. */
    candidates: z
      .array(z.enum([...CLASSIFIERS, ...REGRESSORS]))
      .min(1)
      .optional(),
    /** Also cross-validate an equal-weight blend of this many best candidates (0 or 1: no blend). Default 0 (off, as FLAML's default; see docs/models.md for measured effects). */
    blend: z.number().int().min(0).max(10).default(0),
    /**
     * Rounds of greedy ensemble selection (Caruana et al. 2004, as auto-sklearn): from the
     * candidates' out-of-fold predictions, repeatedly add (with replacement) the candidate that most
     * improves the metric of the averaged predictions; the result, a weighted {@link Blend}, is kept
     * only when a nested cross-validation shows it beats the best single candidate by more than one
     * standard error; skipped when the time budget is spent. 0 turns it off. Default 20.
     */
    ensemble: z.number().int().min(0).max(200).default(20),
    /** Seed for the folds and the stochastic models. Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link AutoModel}. @example `const o: AutoModelOptions = { timeBudgetMs: 30_000, metric: 'roc_auc' };` */
export type AutoModelOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true, supervised: true, stochastic: true };
const FEATURE_KINDS: readonly ColumnKind[] = ['number', 'integer', 'boolean', 'category'];

function makeCandidate(name: AutoCandidate, seed: number): Model {
  switch (name) {
    case 'LogisticRegression':
      return new LogisticRegression({ maxIter: 1000 });
    case 'GaussianNaiveBayes':
      return new GaussianNaiveBayes();
    case 'KNeighborsClassifier':
      return new KNeighborsClassifier();
    case 'HistGradientBoostingClassifier':
      return new HistGradientBoostingClassifier({ seed });
    case 'RandomForestClassifier':
      return new RandomForestClassifier({ seed });
    case 'Ridge':
      return new Ridge();
    case 'RidgeCV':
      return new RidgeCV();
    case 'LinearRegression':
      return new LinearRegression();
    case 'KNeighborsRegressor':
      return new KNeighborsRegressor();
    case 'HistGradientBoostingRegressor':
      return new HistGradientBoostingRegressor({ seed });
    case 'RandomForestRegressor':
      return new RandomForestRegressor({ seed });
  }
}

/**
 * One row of the leaderboard.
 *
 * @example
 * ```ts
 * const row: LeaderboardRow = fitted.leaderboardRows[0];
 * ```
 */
export interface LeaderboardRow {
  rank: number;
  model: string;
  /** Mean cross-validated metric (greater is better); NaN when the candidate did not finish. */
  score: number;
  std: number;
  fitTimeMs: number;
  /** `ok`, `timeout` (stopped by the budget), `skipped` (budget spent before it started) or `error: <code>`. */
  status: string;
}

/**
 * Automatic model choice on a small scale (in the spirit of H2O AutoML and FLAML): infers the task
 * from the target, builds the preprocessing (median imputation of numeric columns, most-frequent
 * imputation and one-hot encoding of categories with unknown categories ignored at predict time,
 * standard scaling of numeric columns), cross-validates each candidate model (linear, k-NN, naive
 * Bayes, histogram gradient boosting, random forest) inside a time budget (optionally also an
 * equal-weight {@link Blend} of the best few, option `blend`), and refits the winner on all rows. The result predicts like any model, serialises whole (preprocessing included) and
 * carries the leaderboard as a Dataset.
 *
 * @example
 * ```ts
 * import { AutoModel } from 'tessera';
 * const auto = await new AutoModel({ timeBudgetMs: 20_000 }).fit(train, { target: 'churn' });
 * auto.leaderboard.toRows(); // [{ rank: 1, model: 'LogisticRegression', score: 0.84, ... }, ...]
 * auto.predict(test); auto.predictProba(test);
 * ```
 */
export class AutoModel implements Model<FittedAutoModel> {
  readonly kind = 'model' as const;
  readonly type = 'AutoModel';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: AutoModelOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedAutoModel> {
    checkAbort(options?.signal);
    const P = this.params;
    requireRows(ds, this.type, 2);
    const target = resolveTarget(ds, options?.target, this.type);
    const task = P.task ?? inferTask(ds, target);
    const enc = encodeTarget(ds, target, task, this.type);
    if (enc.task === 'regression') {
      const y = enc.y;
      if (y.every((v) => v === y[0]))
        throw new TesseraError('E_SCHEMA', `${this.type}: target "${target}" is constant (${y[0]}); there is nothing to learn`, { column: target });
    }
    const features = resolveColumns(ds.withRoles({ [target]: 'target' }), P.columns, FEATURE_KINDS, this.type).filter((c) => c !== target);
    if (features.length === 0) {
      throw new TesseraError('E_SCHEMA', `${this.type}: no usable feature columns (number, integer, boolean or category) besides the target "${target}"`, {
        column: target,
      });
    }
    const work = ds.select([...features, target]).withRoles({ [target]: 'target' });
    const numeric = features.filter((c) => {
      const k = work.column(c).kind;
      return k === 'number' || k === 'integer';
    });
    const categorical = features.filter((c) => work.column(c).kind === 'category');
    const prep = (): Transform[] => {
      const steps: Transform[] = [new SimpleImputer({ strategy: 'median', columns: features, emptyColumns: 'constant' })];
      if (categorical.length) steps.push(new OneHotEncoder({ columns: categorical, handleUnknown: 'ignore' }));
      if (numeric.length) steps.push(new StandardScaler({ columns: numeric }));
      return steps;
    };
    const candidate = (name: AutoCandidate) => pipeline([...prep(), makeCandidate(name, P.seed)]);
    const classes = enc.task === 'classification' ? enc.classes : undefined;
    const metric: ScorerName = P.metric ?? (classes ? (classes.length === 2 ? 'roc_auc' : 'accuracy') : 'neg_root_mean_squared_error');
    const names = (P.candidates ?? (task === 'classification' ? [...CLASSIFIERS] : [...REGRESSORS])).filter((c) =>
      task === 'classification' ? (CLASSIFIERS as readonly string[]).includes(c) : (REGRESSORS as readonly string[]).includes(c),
    );
    if (names.length === 0) throw new TesseraError('E_OPTION', `${this.type} option "candidates": none is a ${task} model`, { option: 'candidates' });
    // the folds: stratified for classification (as scikit-learn's cross_val_score), shuffled and seeded
    let minClass = work.nrows;
    if (enc.task === 'classification') {
      const counts = new Map<number, number>();
      for (const c of enc.y) counts.set(c, (counts.get(c) ?? 0) + 1);
      minClass = Math.min(...counts.values());
    }
    const nSplits = Math.max(2, Math.min(P.cv, enc.task === 'classification' ? minClass : work.nrows));
    const cv =
      enc.task === 'classification' ? new StratifiedKFold({ nSplits, shuffle: true, seed: P.seed }) : new KFold({ nSplits, shuffle: true, seed: P.seed });
    const start = performance.now();
    const rows: LeaderboardRow[] = [];
    // the evaluated candidates, best first (ties: evaluation order)
    const ranked = () => rows.filter((r) => r.status === 'ok').sort((a, b) => b.score - a.score || rows.indexOf(a) - rows.indexOf(b));
    // out-of-fold predictions per candidate (class probabilities or values), for ensemble selection
    const folds = [...cv.split(work.nrows, cv instanceof StratifiedKFold ? targetLabels(work, target) : undefined)];
    const width = enc.task === 'classification' ? enc.classes.length : 1;
    const oof = new Map<string, Float64Array>();
    const foldScores = new Map<string, number[]>();
    for (let k = 0; k < names.length; k++) {
      const name = names[k] as AutoCandidate;
      checkAbort(options?.signal);
      const elapsed = performance.now() - start;
      if (rows.some((r) => r.status === 'ok') && elapsed >= P.timeBudgetMs) {
        rows.push({ rank: 0, model: name, score: Number.NaN, std: Number.NaN, fitTimeMs: Number.NaN, status: 'skipped' });
        continue;
      }
      const first = !rows.some((r) => r.status === 'ok');
      const ac = new AbortController();
      const onUser = () => ac.abort();
      options?.signal?.addEventListener('abort', onUser);
      const timer = first ? undefined : setTimeout(() => ac.abort(), Math.max(0, P.timeBudgetMs - elapsed));
      try {
        const r = await crossValidate(candidate(name), work, {
          target,
          cv,
          scoring: metric,
          signal: ac.signal,
          returnModels: P.ensemble > 0,
        });
        const ft = r.fitTimeMs.reduce((a, b) => a + b, 0) / r.fitTimeMs.length;
        rows.push({ rank: 0, model: name, score: r.mean[metric] as number, std: r.std[metric] as number, fitTimeMs: ft, status: 'ok' });
        foldScores.set(name, r.scores[metric] as number[]);
        if (r.models) {
          const o = outOfFold(r.models, folds, work, width, classes);
          if (o) oof.set(name, o);
        }
      } catch (e) {
        checkAbort(options?.signal);
        if (isTesseraError(e, 'E_ABORTED')) rows.push({ rank: 0, model: name, score: Number.NaN, std: Number.NaN, fitTimeMs: Number.NaN, status: 'timeout' });
        else if (isTesseraError(e)) rows.push({ rank: 0, model: name, score: Number.NaN, std: Number.NaN, fitTimeMs: Number.NaN, status: `error: ${e.code}` });
        else throw e;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        options?.signal?.removeEventListener('abort', onUser);
      }
      options?.onProgress?.({ stage: 'candidate', step: k + 1, total: names.length });
    }
    let ok = ranked();
    // a blend of the best candidates (equal weights), when there are several and budget is left
    const top = ok.slice(0, Math.min(P.blend, ok.length)).map((r) => r.model as AutoCandidate);
    const makeBlend = () => new Blend(top.map(candidate));
    if (top.length >= 2 && performance.now() - start < P.timeBudgetMs) {
      const ac = new AbortController();
      const onUser = () => ac.abort();
      options?.signal?.addEventListener('abort', onUser);
      const timer = setTimeout(() => ac.abort(), Math.max(0, P.timeBudgetMs - (performance.now() - start)));
      const name = `Blend(${top.join(' + ')})`;
      try {
        const r = await crossValidate(makeBlend(), work, { target, cv, scoring: metric, signal: ac.signal });
        const ft = r.fitTimeMs.reduce((a, b) => a + b, 0) / r.fitTimeMs.length;
        rows.push({ rank: 0, model: name, score: r.mean[metric] as number, std: r.std[metric] as number, fitTimeMs: ft, status: 'ok' });
      } catch (e) {
        checkAbort(options?.signal);
        if (!isTesseraError(e)) throw e;
        rows.push({
          rank: 0,
          model: name,
          score: Number.NaN,
          std: Number.NaN,
          fitTimeMs: Number.NaN,
          status: e.code === 'E_ABORTED' ? 'timeout' : `error: ${e.code}`,
        });
      } finally {
        clearTimeout(timer);
        options?.signal?.removeEventListener('abort', onUser);
      }
      ok = ranked();
    }
    let ensemble: { members: AutoCandidate[]; weights: number[] } | undefined;
    if (P.ensemble > 0 && oof.size >= 2 && ok[0] && !ok[0].model.startsWith('Blend(') && performance.now() - start < P.timeBudgetMs) {
      const t0 = performance.now();
      const pool = ok.filter((r) => oof.has(r.model)).map((r) => r.model as AutoCandidate);
      const sel = selectEnsemble(pool, oof, folds, work, target, metric, width, classes, P.ensemble);
      const w = weightsOf(sel.picks);
      const single = foldScores.get(ok[0].model);
      // keep the ensemble only if it beats the best single candidate on the same folds by more than
      // one standard error of the paired per-fold differences (the one-standard-error rule)
      if (w.size >= 2 && single && single.length === sel.scores.length) {
        const d = sel.scores.map((v, i) => v - (single[i] as number));
        const md = d.reduce((a, b) => a + b, 0) / d.length;
        const se = Math.sqrt(d.reduce((a, b) => a + (b - md) ** 2, 0) / Math.max(1, d.length - 1) / d.length);
        const mean = sel.scores.reduce((a, b) => a + b, 0) / sel.scores.length;
        const std = Math.sqrt(sel.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / sel.scores.length);
        const members = [...w.keys()];
        const weights = members.map((m) => w.get(m) as number);
        const label = `Ensemble(${members.map((m, i) => `${m}×${(weights[i] as number).toFixed(2)}`).join(' + ')})`;
        const ft = members.reduce((a, m) => a + (rows.find((r) => r.model === m)?.fitTimeMs ?? 0), 0) + (performance.now() - t0) / folds.length;
        if (md > se) {
          ensemble = { members, weights };
          rows.push({ rank: 0, model: label, score: mean, std, fitTimeMs: ft, status: 'ok' });
          ok = ranked();
        } else rows.push({ rank: 0, model: label, score: mean, std, fitTimeMs: ft, status: 'rejected: within 1 SE of the best' });
      }
    }
    const best = ok[0];
    if (!best)
      throw new TesseraError('E_NOT_CONVERGED', `${this.type}: no candidate could be evaluated (${rows.map((r) => `${r.model}: ${r.status}`).join('; ')})`);
    ok.forEach((r, i) => {
      r.rank = i + 1;
    });
    const ordered = [...ok, ...rows.filter((r) => r.status !== 'ok')];
    const fitOpts: ModelFitOptions = { target };
    if (options?.signal) fitOpts.signal = options.signal;
    const winner =
      best.model.startsWith('Ensemble(') && ensemble
        ? new Blend(ensemble.members.map(candidate), { weights: ensemble.weights })
        : best.model.startsWith('Blend(')
          ? makeBlend()
          : candidate(best.model as AutoCandidate);
    const fitted = await winner.fit(work, fitOpts);
    return new FittedAutoModel(P, features, target, task, metric, classes, fitted, ordered);
  }
}

/** Out-of-fold predictions (row order of `work`, `width` per row) from the fold models, or undefined if a fold model's classes differ. */
function outOfFold(
  models: readonly FittedModel[],
  folds: readonly { train: Int32Array | number[]; test: Int32Array | number[] }[],
  work: Dataset,
  width: number,
  classes: readonly ClassLabel[] | undefined,
): Float64Array | undefined {
  const out = new Float64Array(work.nrows * width);
  for (let f = 0; f < folds.length; f++) {
    const m = models[f] as FittedModel & { predictProba?: (d: Dataset) => Float64Array; classes?: readonly ClassLabel[] };
    const test = (folds[f] as { test: ArrayLike<number> }).test;
    const te = work.take(Array.from(test));
    let p: Float64Array;
    if (classes) {
      const mc = classesOfModel(m);
      if (typeof m.predictProba !== 'function' || !mc || mc.length !== classes.length || mc.some((c, i) => c !== classes[i])) return undefined;
      p = m.predictProba(te);
    } else p = m.predict(te) as Float64Array;
    for (let i = 0; i < test.length; i++) for (let c = 0; c < width; c++) out[(test[i] as number) * width + c] = p[i * width + c] as number;
  }
  return out;
}

function classesOfModel(m: FittedModel): readonly ClassLabel[] | undefined {
  const f = m as FittedModel & { classes?: readonly ClassLabel[]; final?: FittedModel };
  return f.classes ?? (f.final ? classesOfModel(f.final) : undefined);
}

/** A stand-in fitted model that returns given predictions, so the usual scorers can score them. */
function fixedPredictions(pred: Float64Array, classes: readonly ClassLabel[] | undefined, target: string): FittedModel {
  return {
    kind: 'model',
    type: 'OutOfFold',
    tags: TAGS,
    params: {},
    inputColumns: [],
    target,
    ...(classes ? { classes, predictProba: () => pred } : {}),
    predict: () => (classes ? probaToLabels(pred, classes) : pred),
    toJSON: () => ({ type: 'OutOfFold', version: 1, params: {}, state: {} }),
  } as FittedModel;
}

/** Greedy ensemble selection with replacement on the given rows; the picks of the best round. */
function greedyPicks(
  pool: readonly AutoCandidate[],
  preds: ReadonlyMap<string, Float64Array>,
  rows: Dataset,
  target: string,
  scorer: ReturnType<typeof getScorer>,
  width: number,
  classes: readonly ClassLabel[] | undefined,
  rounds: number,
): AutoCandidate[] {
  const len = rows.nrows * width;
  const sum = new Float64Array(len);
  const trial = new Float64Array(len);
  const picks: AutoCandidate[] = [];
  let bestPicks: AutoCandidate[] = [];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    let choice: AutoCandidate | undefined;
    let choiceScore = Number.NEGATIVE_INFINITY;
    for (const m of pool) {
      const o = preds.get(m) as Float64Array;
      const k = picks.length + 1;
      for (let i = 0; i < len; i++) trial[i] = ((sum[i] as number) + (o[i] as number)) / k;
      const sc = scorer(fixedPredictions(trial, classes, target), rows, target);
      if (sc > choiceScore) {
        choiceScore = sc;
        choice = m;
      }
    }
    if (choice === undefined) break;
    const o = preds.get(choice) as Float64Array;
    for (let i = 0; i < len; i++) sum[i] = (sum[i] as number) + (o[i] as number);
    picks.push(choice);
    if (choiceScore > bestScore) {
      bestScore = choiceScore;
      bestPicks = [...picks];
    }
  }
  return bestPicks;
}

function weightsOf(picks: readonly AutoCandidate[]): Map<AutoCandidate, number> {
  const w = new Map<AutoCandidate, number>();
  for (const m of picks) w.set(m, (w.get(m) ?? 0) + 1 / picks.length);
  return w;
}

/** Rows `idx` of each candidate's out-of-fold predictions. */
function sliceRows(oof: ReadonlyMap<string, Float64Array>, idx: readonly number[], width: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [m, o] of oof) {
    const s = new Float64Array(idx.length * width);
    for (let i = 0; i < idx.length; i++) for (let c = 0; c < width; c++) s[i * width + c] = o[(idx[i] as number) * width + c] as number;
    out.set(m, s);
  }
  return out;
}

function blendRows(w: ReadonlyMap<AutoCandidate, number>, preds: ReadonlyMap<string, Float64Array>, len: number): Float64Array {
  const out = new Float64Array(len);
  for (const [m, wm] of w) {
    const o = preds.get(m) as Float64Array;
    for (let i = 0; i < len; i++) out[i] = (out[i] as number) + wm * (o[i] as number);
  }
  return out;
}

/**
 * Greedy ensemble selection (Caruana et al. 2004) on pooled out-of-fold predictions, with an honest
 * check: for each fold, weights are selected on the other folds' rows and scored on that fold
 * (nested), giving per-fold scores comparable with a single candidate's cross-validation scores.
 * Returns the weights selected on all rows, and the nested per-fold scores.
 */
function selectEnsemble(
  pool: readonly AutoCandidate[],
  oof: ReadonlyMap<string, Float64Array>,
  folds: readonly { test: ArrayLike<number> }[],
  work: Dataset,
  target: string,
  metric: ScorerName,
  width: number,
  classes: readonly ClassLabel[] | undefined,
  rounds: number,
): { picks: AutoCandidate[]; scores: number[] } {
  const scorer = getScorer(metric);
  const picks = greedyPicks(pool, oof, work, target, scorer, width, classes, rounds);
  const scores: number[] = [];
  for (let f = 0; f < folds.length; f++) {
    const inFold = new Set(Array.from((folds[f] as { test: ArrayLike<number> }).test));
    const test = [...inFold];
    const rest: number[] = [];
    for (let i = 0; i < work.nrows; i++) if (!inFold.has(i)) rest.push(i);
    const inner = greedyPicks(pool, sliceRows(oof, rest, width), work.take(rest), target, scorer, width, classes, rounds);
    const pred = blendRows(weightsOf(inner), sliceRows(oof, test, width), test.length * width);
    scores.push(scorer(fixedPredictions(pred, classes, target), work.take(test), target));
  }
  return { picks, scores };
}

interface State {
  columns: string[];
  target: string;
  task: 'classification' | 'regression';
  metric: string;
  classes?: ClassLabel[];
  best: Serialized;
  leaderboard: LeaderboardRow[];
}

/**
 * A fitted {@link AutoModel}: `best` is the refitted winning pipeline (preprocessing + model),
 * `leaderboard` a Dataset of every candidate's cross-validated score.
 *
 * @example
 * ```ts
 * const auto = await new AutoModel().fit(ds, { target: 'y' });
 * auto.bestModel; auto.leaderboard; auto.predict(ds);
 * ```
 */
export class FittedAutoModel implements FittedModel {
  readonly kind = 'model' as const;
  readonly type = 'FittedAutoModel';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  readonly target: string;
  readonly task: 'classification' | 'regression';
  /** The selection metric (greater is better). */
  readonly metric: string;
  /** Classes in `predictProba` column order (classification). */
  readonly classes: readonly ClassLabel[] | undefined;
  /** The refitted winning pipeline. */
  readonly best: FittedModel;
  /** The leaderboard as plain rows, best first. */
  readonly leaderboardRows: readonly LeaderboardRow[];

  constructor(
    params: Params,
    columns: readonly string[],
    target: string,
    task: 'classification' | 'regression',
    metric: string,
    classes: readonly ClassLabel[] | undefined,
    best: FittedModel,
    leaderboard: readonly LeaderboardRow[],
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.task = task;
    this.metric = metric;
    this.classes = classes ? Object.freeze([...classes]) : undefined;
    this.best = best;
    this.leaderboardRows = Object.freeze(leaderboard.map((r) => Object.freeze({ ...r })));
  }

  /** The name of the winning model. */
  get bestModel(): string {
    return this.leaderboardRows[0]?.model ?? '';
  }

  /** The leaderboard as a Dataset (rank, model, score, std, fitTimeMs, status), best first. */
  get leaderboard(): Dataset {
    return Dataset.fromRows(this.leaderboardRows.map((r) => ({ ...r, metric: this.metric })));
  }

  predict(ds: Dataset): Float64Array | ClassLabel[] {
    return this.best.predict(ds) as Float64Array | ClassLabel[];
  }

  /** Class probabilities (`n x classes.length`, row-major); classification only. */
  predictProba(ds: Dataset): Float64Array {
    const b = this.best as FittedModel & { predictProba?: (d: Dataset) => Float64Array };
    if (this.task !== 'classification' || typeof b.predictProba !== 'function') {
      throw new TesseraError('E_UNSUPPORTED', `FittedAutoModel: predictProba needs a classification task (this one is ${this.task})`);
    }
    return b.predictProba(ds);
  }

  toJSON(): Serialized<Params, State> {
    const state: State = {
      columns: [...this.inputColumns],
      target: this.target,
      task: this.task,
      metric: this.metric,
      best: this.best.toJSON(),
      leaderboard: this.leaderboardRows.map((r) => ({ ...r })),
    };
    if (this.classes) state.classes = [...this.classes];
    return { type: this.type, version: 1, params: this.params, state };
  }

  /** Restores from {@link FittedAutoModel.toJSON} output. */
  static fromJSON(json: Serialized): FittedAutoModel {
    const { params, state: s } = expectType<State, Params>(json, 'FittedAutoModel');
    const board = s.leaderboard.map((r) => ({
      ...r,
      score: r.score === null ? Number.NaN : r.score,
      std: r.std === null ? Number.NaN : r.std,
      fitTimeMs: r.fitTimeMs === null ? Number.NaN : r.fitTimeMs,
    }));
    return new FittedAutoModel(parseOptions(Options, params, 'AutoModel'), s.columns, s.target, s.task, s.metric, s.classes, load<FittedModel>(s.best), board);
  }
}

registerLoader('FittedAutoModel', 1, FittedAutoModel.fromJSON);
