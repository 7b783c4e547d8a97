import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import {
  BaseOptions,
  type DetectorState,
  type Explanation,
  FittedDetectorBase,
  makeExplanation,
  median,
  prepareFit,
  quantile,
  resolveThreshold,
  strategyOf,
} from './common.js';

const Options = z
  .object({
    ...BaseOptions,
    /** How per-column scores combine into the row score: `max` (default) or `mean`. */
    combine: z.enum(['max', 'mean']).default('max'),
  })
  .strict();

/**
 * Options of {@link ZScore}, {@link RobustZScore} and {@link IQR}.
 *
 * @example
 * ```ts
 * const o: StatisticalDetectorOptions = { combine: 'mean', contamination: 0.05 };
 * ```
 */
export type StatisticalDetectorOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };

type Method = 'zscore' | 'robust' | 'iqr';

interface StatState {
  method: Method;
  center: string;
  scale: string;
  lower: string;
  upper: string;
}

const NATURAL: Record<Method, number> = { zscore: 3, robust: 3.5, iqr: 1.5 };
const TYPES: Record<Method, string> = { zscore: 'ZScore', robust: 'RobustZScore', iqr: 'IQR' };

function columnStats(values: Float64Array, method: Method): { center: number; scale: number; lower: number; upper: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += ((values[i] as number) - mean) / (i + 1);
  let ss = 0;
  let sad = 0;
  for (let i = 0; i < n; i++) {
    ss += ((values[i] as number) - mean) ** 2;
  }
  const sd = Math.sqrt(ss / n);
  if (method === 'zscore') return { center: mean, scale: sd, lower: mean, upper: mean };
  const med = median(values);
  for (let i = 0; i < n; i++) sad += Math.abs((values[i] as number) - med);
  const meanAbs = (1.2533 * sad) / n; // ~ sd for a normal distribution
  if (method === 'robust') {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = Math.abs((values[i] as number) - med);
    let s = 1.4826 * median(d);
    if (!(s > 0)) s = meanAbs;
    return { center: med, scale: s, lower: med, upper: med };
  }
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  let s = q3 - q1;
  if (!(s > 0)) s = meanAbs * 1.349; // IQR of a normal is 1.349 sd
  return { center: med, scale: s, lower: q1, upper: q3 };
}

abstract class StatisticalDetector implements Detector<FittedStatisticalDetector> {
  readonly kind = 'detector' as const;
  abstract readonly type: string;
  protected abstract readonly method: Method;
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: StatisticalDetectorOptions, owner: string) {
    this.params = parseOptions(Options, options, owner);
    strategyOf(this.params, owner);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedStatisticalDetector> {
    const m = prepareFit(ds, this.params.columns, this.type, options);
    const p = m.ncols;
    const center = new Float64Array(p);
    const scale = new Float64Array(p);
    const lower = new Float64Array(p);
    const upper = new Float64Array(p);
    const col = new Float64Array(m.nrows);
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < m.nrows; i++) col[i] = m.data[i * p + j] as number;
      const s = columnStats(col, this.method);
      center[j] = s.center;
      // a constant column (or a single row) is ignored when scoring: scale 0 marks it
      scale[j] = m.constant[j] || !(s.scale > 0) ? 0 : s.scale;
      lower[j] = s.lower;
      upper[j] = s.upper;
    }
    const proto = new FittedStatisticalDetector(this.params, this.method, m.columns, Number.NaN, center, scale, lower, upper);
    const train = proto.scoreMatrix(m.data, m.nrows);
    const threshold = resolveThreshold(strategyOf(this.params), train, NATURAL[this.method]);
    return new FittedStatisticalDetector(this.params, this.method, m.columns, threshold, center, scale, lower, upper);
  }
}

/**
 * Per-column z-score detector: each column's score is `|x - mean| / sd` (population sd); the row
 * score combines them (`max` by default, or `mean`). `auto` threshold: 3. Constant training
 * columns are ignored (contribution 0); a training set where every column is constant is refused
 * (`E_SCHEMA`). Missing values are refused (`E_MISSING_VALUES`): impute first.
 *
 * @example
 * ```ts
 * import { Dataset, ZScore } from 'tessera';
 * const ds = Dataset.from({ amount: [10, 12, 11, 9, 10, 95] });
 * const fitted = await new ZScore().fit(ds);
 * fitted.score(ds);              // the last row scores highest
 * fitted.explain(ds, 5).contributions[0].column; // 'amount'
 * ```
 */
export class ZScore extends StatisticalDetector {
  readonly type = 'ZScore';
  protected readonly method = 'zscore' as const;
  constructor(options: StatisticalDetectorOptions = {}) {
    super(options, 'ZScore');
  }
}

/**
 * Robust z-score (MAD) detector: each column's score is `|x - median| / (1.4826 * MAD)`
 * (falling back on the scaled mean absolute deviation when more than half the values are equal);
 * the row score combines them (`max` or `mean`). `auto` threshold: 3.5 (Iglewicz and Hoaglin).
 *
 * @example
 * ```ts
 * import { Dataset, RobustZScore } from 'tessera';
 * const ds = Dataset.from({ t: [20, 21, 20, 22, 21, 80] });
 * (await new RobustZScore().fit(ds)).predict(ds); // [false, false, false, false, false, true]
 * ```
 */
export class RobustZScore extends StatisticalDetector {
  readonly type = 'RobustZScore';
  protected readonly method = 'robust' as const;
  constructor(options: StatisticalDetectorOptions = {}) {
    super(options, 'RobustZScore');
  }
}

/**
 * Interquartile-range (Tukey fences) detector: each column's score is how far the value lies
 * beyond the quartiles, in IQR units (`max(Q1 - x, x - Q3, 0) / IQR`); the row score combines them.
 * `auto` threshold: 1.5 (Tukey's fences).
 *
 * @example
 * ```ts
 * import { Dataset, IQR } from 'tessera';
 * const ds = Dataset.from({ v: [1, 2, 3, 4, 5, 6, 7, 8, 40] });
 * (await new IQR().fit(ds)).predict(ds).at(-1); // true
 * ```
 */
export class IQR extends StatisticalDetector {
  readonly type = 'IQR';
  protected readonly method = 'iqr' as const;
  constructor(options: StatisticalDetectorOptions = {}) {
    super(options, 'IQR');
  }
}

/**
 * A fitted {@link ZScore}, {@link RobustZScore} or {@link IQR}: per-column `center`/`scale`, row
 * scores (`score`), per-column scores (`scoreColumns`) and `explain`.
 *
 * @example
 * ```ts
 * const fitted = await new RobustZScore().fit(ds);
 * fitted.scoreColumns(ds); // rows x columns, row-major
 * ```
 */
export class FittedStatisticalDetector extends FittedDetectorBase<Params, StatState> {
  readonly type: string;
  /** Which statistic: `zscore`, `robust` or `iqr`. */
  readonly method: Method;
  /** Per-column centre (mean or median). */
  readonly center: Float64Array;
  /** Per-column scale (sd, 1.4826·MAD or IQR); 0 marks an ignored constant column. */
  readonly scale: Float64Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;

  constructor(
    params: Params,
    method: Method,
    columns: readonly string[],
    threshold: number,
    center: Float64Array,
    scale: Float64Array,
    lower: Float64Array,
    upper: Float64Array,
  ) {
    super(params, TAGS, columns, threshold);
    this.type = `Fitted${TYPES[method]}`;
    this.method = method;
    this.center = center;
    this.scale = scale;
    this.lower = lower;
    this.upper = upper;
  }

  private cell(v: number, j: number): number {
    const s = this.scale[j] as number;
    if (s === 0) return 0;
    if (this.method === 'iqr') {
      const lo = this.lower[j] as number;
      const hi = this.upper[j] as number;
      return v < lo ? (lo - v) / s : v > hi ? (v - hi) / s : 0;
    }
    return Math.abs(v - (this.center[j] as number)) / s;
  }

  /** Per-column scores of a matrix, row-major `nrows x ncols`. */
  scoreColumnsMatrix(data: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const out = new Float64Array(nrows * p);
    for (let i = 0; i < nrows; i++) for (let j = 0; j < p; j++) out[i * p + j] = this.cell(data[i * p + j] as number, j);
    return out;
  }

  /** Per-column scores, row-major `nrows x inputColumns.length`: which fields are odd. */
  scoreColumns(ds: Dataset): Float64Array {
    const m = this.matrixOf(ds);
    return this.scoreColumnsMatrix(m.data, m.nrows);
  }

  scoreMatrix(data: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const out = new Float64Array(nrows);
    const mean = this.params.combine === 'mean';
    for (let i = 0; i < nrows; i++) {
      let acc = 0;
      for (let j = 0; j < p; j++) {
        const c = this.cell(data[i * p + j] as number, j);
        if (mean) acc += c;
        else if (c > acc) acc = c;
      }
      out[i] = mean ? acc / p : acc;
    }
    return out;
  }

  /** Per-feature contributions for one row: each column's own score. */
  explain(ds: Dataset, row: number): Explanation {
    const r = this.rowOf(ds, row);
    return makeExplanation(row, r.score, this.inputColumns, r.values, this.scoreColumnsMatrix(r.values, 1));
  }

  protected state(): StatState {
    return {
      method: this.method,
      center: encodeArray(this.center),
      scale: encodeArray(this.scale),
      lower: encodeArray(this.lower),
      upper: encodeArray(this.upper),
    };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedStatisticalDetector {
    const { params, state } = expectType<DetectorState & StatState, Params>(json, json.type);
    const method = state.method;
    return new FittedStatisticalDetector(
      parseOptions(Options, params, TYPES[method] ?? 'detector'),
      method,
      state.columns,
      state.threshold,
      decodeFloat64(state.center),
      decodeFloat64(state.scale),
      decodeFloat64(state.lower),
      decodeFloat64(state.upper),
    );
  }
}

for (const t of ['FittedZScore', 'FittedRobustZScore', 'FittedIQR']) registerLoader(t, 1, FittedStatisticalDetector.fromJSON);
