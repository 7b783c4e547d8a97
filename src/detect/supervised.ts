import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FittedDetector, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { expectType, load, registerLoader } from '../core/serialize.js';
import { type CellValue, type ColumnKind, cellValue, isMissing } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns, resolveTarget } from '../dataset/features.js';
import type { FittedClassifier } from '../model/index.js';
import { DETECT_KINDS, type Explanation, makeExplanation, median, resolveThreshold, ThresholdSchema, type ThresholdStrategy } from './common.js';

/**
 * How {@link SupervisedDetector} turns the anomaly probability into a verdict:
 * - a number in (0, 1): `predict` is `probability > value`;
 * - `'f1'`: the cut that maximises F1 on out-of-fold training probabilities;
 * - `{ precision: p }`: the lowest cut whose out-of-fold precision is at least `p` (most recall);
 * - `{ recall: r }`: the highest cut whose out-of-fold recall is at least `r` (fewest alarms);
 * - any {@link ThresholdStrategy} (`contamination`, `quantile`, `mad`, `fixed`, `auto` = 0.5),
 *   applied to the out-of-fold probabilities.
 *
 * @example
 * ```ts
 * const t: ProbabilityThreshold = { precision: 0.9 };
 * ```
 */
export type ProbabilityThreshold = number | 'f1' | { precision: number } | { recall: number } | ThresholdStrategy;

const SupervisedOptions = z
  .object({
    /** Any unfitted classifier (its `fit` must give `predictProba`), e.g. `new HistGradientBoostingClassifier()`. */
    model: z.custom<Model>((m) => typeof m === 'object' && m !== null && (m as Model).kind === 'model' && typeof (m as Model).fit === 'function', {
      message: 'model must be an unfitted classifier (kind "model" with fit)',
    }),
    /** Class weights: `'balanced'` (n / (2 · n_class), default), `'none'`, or `{ normal, anomaly }`. */
    classWeight: z
      .union([z.literal('balanced'), z.literal('none'), z.object({ normal: z.number().positive().finite(), anomaly: z.number().positive().finite() }).strict()])
      .default('balanced'),
    /** Threshold strategy (see {@link ProbabilityThreshold}). Default `'f1'`. */
    threshold: z
      .union([
        z.number().gt(0).lt(1),
        z.literal('f1'),
        z.object({ precision: z.number().gt(0).max(1) }).strict(),
        z.object({ recall: z.number().gt(0).max(1) }).strict(),
        ThresholdSchema,
      ])
      .default('f1'),
    /** Folds for the out-of-fold probabilities that choose the threshold (2 to 10). Default 3. */
    folds: z.number().int().min(2).max(10).default(3),
    /** The label meaning "anomaly" when the target is not boolean or 0/1 (e.g. `'fraud'`). */
    positive: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Feature columns; default every numeric/boolean (and category, when the model takes them) feature. */
    columns: z.array(z.string()).optional(),
    /** Seed of the fold assignment. Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link SupervisedDetector}. @example `const o: SupervisedDetectorOptions = { model: new LogisticRegression(), threshold: { recall: 0.9 } };` */
export type SupervisedDetectorOptions = z.input<typeof SupervisedOptions>;

type Params = z.output<typeof SupervisedOptions>;

/** Serialisable params of a fitted {@link SupervisedDetector} (the wrapped model as `{ type, params }`). @example `fitted.params.model.type` */
export interface FittedSupervisedParams {
  model: { type: string; params: unknown };
  classWeight: Params['classWeight'];
  threshold: ProbabilityThreshold;
  folds: number;
  positive?: string | number | boolean | undefined;
  columns?: string[] | undefined;
  seed: number;
}

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, stochastic: true };
const LABEL = '__anomaly__';

/**
 * Supervised anomaly detector: wraps any classifier (gradient boosting, random forest, logistic
 * regression, …) trained on labelled rows (1 / `true` / the `positive` label = anomaly). Rare
 * anomalies get class weights (`'balanced'` by default): passed as `sampleWeight` to models that
 * take them (`tags.sampleWeight`), else applied by replicating rows of each class
 * `round(weight / smallest weight)` times. `score` is the predicted probability of the anomaly
 * class; `predict` cuts it with a threshold chosen on out-of-fold predictions of the training set
 * (`'f1'` by default, or a precision / recall target, a fixed probability or any detector
 * threshold strategy). `explain(row)` measures how much the probability drops when each feature
 * is replaced by its training median (or most frequent category).
 *
 * @example
 * ```ts
 * import { HistGradientBoostingClassifier, SupervisedDetector } from 'tessera';
 * const det = new SupervisedDetector({ model: new HistGradientBoostingClassifier(), threshold: { recall: 0.9 } });
 * const fitted = await det.fit(train, { target: 'is_fraud' });
 * fitted.score(test); // P(anomaly)
 * fitted.predict(test);
 * ```
 */
export class SupervisedDetector implements Detector<FittedSupervisedDetector> {
  readonly kind = 'detector' as const;
  readonly type = 'SupervisedDetector';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: SupervisedDetectorOptions) {
    this.params = parseOptions(SupervisedOptions, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedSupervisedDetector> {
    checkAbort(options?.signal);
    const owner = this.type;
    const P = this.params;
    requireRows(ds, owner, 2);
    if (options?.sampleWeight !== undefined) {
      throw new TesseraError('E_UNSUPPORTED', `${owner} sets its own sample weights from "classWeight"`, { option: 'sampleWeight' });
    }
    const target = resolveTarget(ds, options?.target, owner);
    const y = binaryLabels(ds, target, P.positive, owner);
    let nPos = 0;
    for (let i = 0; i < y.length; i++) nPos += y[i] as number;
    if (nPos === 0 || nPos === y.length) {
      throw new TesseraError('E_SCHEMA', `${owner}: target "${target}" has only ${nPos === 0 ? 'normal' : 'anomalous'} rows; it needs both classes`, {
        column: target,
      });
    }
    const kinds: ColumnKind[] = P.model.tags.categorical ? [...DETECT_KINDS, 'category'] : [...DETECT_KINDS];
    const cols = resolveColumns(ds, P.columns, kinds, owner, [target]).filter((c) => c !== target && c !== LABEL);
    if (cols.length === 0) throw new TesseraError('E_SCHEMA', `${owner} found no feature columns to read`, { columns: [] });
    const data = ds.select(cols).withColumn(LABEL, Float64Array.from(y), 'integer');

    const n = y.length;
    const w =
      P.classWeight === 'none'
        ? { normal: 1, anomaly: 1 }
        : P.classWeight === 'balanced'
          ? { normal: n / (2 * (n - nPos)), anomaly: n / (2 * nPos) }
          : P.classWeight;
    const fitOne = async (idx: Int32Array | null): Promise<FittedClassifier> => {
      const part = idx ? data.take(idx) : data;
      return fitWeighted(P.model, part, w, owner, options?.signal);
    };

    // out-of-fold probabilities choose the threshold (except a fixed probability)
    const th = P.threshold;
    const fixed = typeof th === 'number' ? th : typeof th === 'object' && 'kind' in th && th.kind === 'fixed' ? th.value : null;
    const isAuto = typeof th === 'object' && 'kind' in th && th.kind === 'auto';
    let threshold: number;
    if (fixed !== null) threshold = fixed;
    else if (isAuto) threshold = 0.5;
    else {
      const oof = new Float64Array(n);
      const fold = stratifiedFolds(y, Math.min(P.folds, nPos, n - nPos) || 1, P.seed);
      const k = Math.max(...fold) + 1;
      if (k < 2) {
        throw new TesseraError('E_SCHEMA', `${owner}: threshold "${describe(th)}" needs at least 2 rows of each class for out-of-fold predictions`, {
          column: target,
        });
      }
      for (let f = 0; f < k; f++) {
        checkAbort(options?.signal);
        options?.onProgress?.({ stage: 'folds', step: f, total: k + 1 });
        const trainIdx: number[] = [];
        const testIdx: number[] = [];
        for (let i = 0; i < n; i++) (fold[i] === f ? testIdx : trainIdx).push(i);
        const m = await fitOne(Int32Array.from(trainIdx));
        const p = anomalyProba(m, data.take(Int32Array.from(testIdx)), owner);
        for (let i = 0; i < testIdx.length; i++) oof[testIdx[i] as number] = p[i] as number;
        await yieldToEventLoop(options?.signal);
      }
      threshold = chooseThreshold(th, oof, y);
    }
    options?.onProgress?.({ stage: 'fit', step: 0, total: 1 });
    const model = await fitOne(null);
    const reference = cols.map((c) => referenceValue(ds, c));
    const params: FittedSupervisedParams = {
      model: { type: P.model.type, params: P.model.params },
      classWeight: P.classWeight,
      threshold: th,
      folds: P.folds,
      positive: P.positive,
      columns: P.columns,
      seed: P.seed,
    };
    return new FittedSupervisedDetector(params, cols, threshold, model, reference, target);
  }
}

function describe(th: ProbabilityThreshold): string {
  return typeof th === 'object' ? JSON.stringify(th) : String(th);
}

/** 0/1 labels (1 = anomaly) from a boolean, 0/1 numeric, or two-level column with `positive`. */
function binaryLabels(ds: Dataset, target: string, positive: string | number | boolean | undefined, owner: string): Uint8Array {
  const col = ds.column(target);
  const n = ds.nrows;
  const y = new Uint8Array(n);
  const levels = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (isMissing(col, i))
      throw new TesseraError('E_MISSING_VALUES', `${owner}: label "${target}" is missing at row ${i}; drop unlabelled rows first`, { column: target, row: i });
    const v = cellValue(col, i);
    if (positive !== undefined) {
      y[i] = v === positive || String(v) === String(positive) ? 1 : 0;
      levels.add(String(v));
    } else if (typeof v === 'boolean') y[i] = v ? 1 : 0;
    else if (v === 0 || v === 1) y[i] = v;
    else
      throw new TesseraError(
        'E_SCHEMA',
        `${owner}: label "${target}" is ${JSON.stringify(v)} at row ${i}; labels must be boolean or 0/1 (1 = anomaly), or pass { positive: <the anomaly label> }`,
        { column: target, row: i },
      );
  }
  if (positive !== undefined) {
    if (levels.size > 2)
      throw new TesseraError('E_SCHEMA', `${owner}: label "${target}" has ${levels.size} levels; a supervised detector needs two (normal and "${positive}")`, {
        column: target,
      });
  }
  return y;
}

/** Stratified fold ids (shuffled within each class by `seed`). */
function stratifiedFolds(y: Uint8Array, k: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const fold = new Int32Array(y.length);
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = t;
    }
    for (let i = 0; i < idx.length; i++) fold[idx[i] as number] = i % k;
  }
  return fold;
}

async function fitWeighted(
  model: Model,
  data: Dataset,
  w: { normal: number; anomaly: number },
  owner: string,
  signal: AbortSignal | undefined,
): Promise<FittedClassifier> {
  const y = data.matrix([LABEL]);
  const base: ModelFitOptions = signal ? { target: LABEL, signal } : { target: LABEL };
  let fitted: unknown;
  if (w.normal === w.anomaly) fitted = await model.fit(data, base);
  else if (model.tags.sampleWeight) {
    const sw = Float64Array.from(y, (v) => (v === 1 ? w.anomaly : w.normal));
    fitted = await model.fit(data, { ...base, sampleWeight: sw });
  } else {
    // replicate rows: each row of a class appears round(weight / smallest weight) times
    const lo = Math.min(w.normal, w.anomaly);
    const rep = [Math.max(1, Math.round(w.normal / lo)), Math.max(1, Math.round(w.anomaly / lo))];
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) for (let r = 0; r < (rep[y[i] as number] as number); r++) idx.push(i);
    fitted = await model.fit(data.take(Int32Array.from(idx)), base);
  }
  const f = fitted as Partial<FittedClassifier>;
  if (typeof f.predictProba !== 'function' || !Array.isArray(f.classes)) {
    throw new TesseraError('E_UNSUPPORTED', `${owner}: model "${model.type}" gives no class probabilities (predictProba); wrap a classifier`, {
      option: 'model',
    });
  }
  return fitted as FittedClassifier;
}

function anomalyProba(model: FittedClassifier, ds: Dataset, owner: string): Float64Array {
  const k = model.classes.length;
  const c = model.classes.findIndex((v) => v === 1 || v === '1' || v === true);
  if (c < 0) throw new TesseraError('E_INTERNAL', `${owner}: the wrapped model has no anomaly class`);
  const p = model.predictProba(ds);
  const n = p.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = p[i * k + c] as number;
  return out;
}

/** The threshold a strategy picks from out-of-fold probabilities `p` and labels `y`. */
function chooseThreshold(th: ProbabilityThreshold, p: Float64Array, y: Uint8Array): number {
  // the shared rules; `mad` falls back on the mean absolute deviation when more than half the
  // probabilities tie (a tree gives most normal rows exactly 0: MAD 0 would put the cut at 0)
  if (typeof th === 'object' && 'kind' in th) return resolveThreshold(th, p, 0.5);
  // sweep cuts between distinct probabilities, from high to low: predict is p > cut
  const order = Array.from(p.keys()).sort((a, b) => (p[b] as number) - (p[a] as number));
  let nPos = 0;
  for (let i = 0; i < y.length; i++) nPos += y[i] as number;
  let tp = 0;
  let fp = 0;
  let best = Number.NEGATIVE_INFINITY;
  let bestCut = 0.5;
  let recallCut = Number.NaN;
  for (let r = 0; r < order.length; r++) {
    const i = order[r] as number;
    if (y[i]) tp++;
    else fp++;
    const pi = p[i] as number;
    const next = r + 1 < order.length ? (p[order[r + 1] as number] as number) : Number.NEGATIVE_INFINITY;
    if (next === pi) continue; // ties are cut together
    const cut = Number.isFinite(next) ? (pi + next) / 2 : Math.max(0, pi - 1e-9);
    const precision = tp / (tp + fp);
    const recall = tp / nPos;
    if (th === 'f1') {
      const f1 = (2 * precision * recall) / (precision + recall || 1);
      if (f1 > best) {
        best = f1;
        bestCut = cut;
      }
    } else if (typeof th === 'object' && 'precision' in th) {
      if (precision >= th.precision && recall > best) {
        best = recall;
        bestCut = cut;
      }
    } else if (typeof th === 'object' && 'recall' in th) {
      if (recall >= th.recall && Number.isNaN(recallCut)) recallCut = cut;
    }
  }
  if (typeof th === 'object' && 'recall' in th) return Number.isNaN(recallCut) ? 0 : recallCut;
  if (typeof th === 'object' && 'precision' in th && best === Number.NEGATIVE_INFINITY) return 1; // no cut reaches it: flag nothing
  return bestCut;
}

function referenceValue(ds: Dataset, name: string): CellValue {
  const col = ds.column(name);
  if (col.kind === 'category') {
    const counts = new Map<string, number>();
    for (let i = 0; i < col.length; i++) {
      if (isMissing(col, i)) continue;
      const v = String(cellValue(col, i));
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    let best: string | null = null;
    let bc = -1;
    for (const [v, c] of counts) if (c > bc) [best, bc] = [v, c];
    return best;
  }
  const vals = ds.matrix([name]).filter((v) => !Number.isNaN(v));
  return vals.length ? median(vals) : null;
}

/**
 * A fitted {@link SupervisedDetector}: `score` = P(anomaly) from the wrapped classifier,
 * `predict` = `score > threshold`, `explain(ds, row)` per-feature probability drops,
 * `featureImportances` the wrapped model's importances when it has them.
 *
 * @example
 * ```ts
 * const fitted = await new SupervisedDetector({ model: new LogisticRegression() }).fit(ds, { target: 'fraud' });
 * fitted.threshold; fitted.explain(ds, 0).contributions[0].column;
 * ```
 */
export class FittedSupervisedDetector implements FittedDetector {
  readonly kind = 'detector' as const;
  readonly type = 'FittedSupervisedDetector';
  readonly tags = TAGS;
  readonly params: FittedSupervisedParams;
  readonly inputColumns: readonly string[];
  readonly threshold: number;
  /** The wrapped fitted classifier. */
  readonly model: FittedClassifier;
  /** Label column learnt from. */
  readonly target: string;
  private readonly reference: CellValue[];

  constructor(params: FittedSupervisedParams, columns: readonly string[], threshold: number, model: FittedClassifier, reference: CellValue[], target: string) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.threshold = threshold;
    this.model = model;
    this.reference = reference;
    this.target = target;
  }

  /** The wrapped model's feature importances by column, when it exposes `featureImportances`. */
  get featureImportances(): { column: string; importance: number }[] | undefined {
    const fi = (this.model as { featureImportances?: ArrayLike<number> }).featureImportances;
    const names = this.model.inputColumns;
    if (!fi || fi.length !== names.length) return undefined;
    return names.map((column, j) => ({ column, importance: fi[j] as number })).sort((a, b) => b.importance - a.importance);
  }

  private input(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, this.type);
    return ds.select(this.inputColumns);
  }

  score(ds: Dataset): Float64Array {
    return anomalyProba(this.model, this.input(ds), this.type);
  }

  predict(ds: Dataset): boolean[] {
    return Array.from(this.score(ds), (v) => v > this.threshold);
  }

  /**
   * Per-feature contributions for one row: the drop in P(anomaly) when that feature alone is
   * replaced by its training median (most frequent category for categories). Negative values
   * mean the feature made the row look more normal.
   */
  explain(ds: Dataset, row: number): Explanation {
    if (!Number.isInteger(row) || row < 0 || row >= ds.nrows) {
      throw new TesseraError('E_OPTION', `${this.type}.explain: row ${row} is out of range [0, ${ds.nrows})`, { option: 'row', row });
    }
    const one = this.input(ds.slice(row, row + 1));
    const base = this.score(one)[0] as number;
    const values = new Float64Array(this.inputColumns.length);
    const contrib = new Float64Array(this.inputColumns.length);
    this.inputColumns.forEach((c, j) => {
      const col = one.column(c);
      const v = cellValue(col, 0);
      values[j] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN;
      const ref = this.reference[j] ?? null;
      const swapped =
        col.kind === 'category' ? one.withColumn(c, [ref], 'category') : one.withColumn(c, Float64Array.of(ref === null ? Number.NaN : Number(ref)), col.kind);
      contrib[j] = base - (this.score(swapped)[0] as number);
    });
    return makeExplanation(row, base, this.inputColumns, values, contrib);
  }

  toJSON(): Serialized<FittedSupervisedParams, { columns: string[]; threshold: number; target: string; reference: CellValue[]; model: Serialized }> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: { columns: [...this.inputColumns], threshold: this.threshold, target: this.target, reference: [...this.reference], model: this.model.toJSON() },
    };
  }

  /** Restores from `toJSON` output (the wrapped model through the registry: import its module first). */
  static fromJSON(json: Serialized): FittedSupervisedDetector {
    const { params, state } = expectType<
      { columns: string[]; threshold: number; target: string; reference: CellValue[]; model: Serialized },
      FittedSupervisedParams
    >(json, 'FittedSupervisedDetector');
    const model = load<FittedClassifier>(state.model);
    if (typeof model.predictProba !== 'function') throw new TesseraError('E_SERIALIZATION', 'FittedSupervisedDetector: the wrapped model is not a classifier');
    if (!Array.isArray(state.columns) || !Array.isArray(state.reference) || state.reference.length !== state.columns.length)
      throw new TesseraError('E_SERIALIZATION', 'FittedSupervisedDetector: state does not match its columns');
    return new FittedSupervisedDetector(params, state.columns, state.threshold, model, state.reference, state.target);
  }
}

registerLoader('FittedSupervisedDetector', 1, FittedSupervisedDetector.fromJSON);
