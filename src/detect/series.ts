import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Serialized } from '../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { median } from './common.js';
import { RollingMAD, type StreamingDetector } from './streaming.js';

/** A timestamp: epoch milliseconds, a `Date`, or a string `Date.parse` reads. @example `const t: TimeLike = '2024-01-01T00:00:00Z';` */
export type TimeLike = number | Date | string;

const RegularizeOptions = z
  .object({
    /** Grid step in the time unit (ms for dates); default: the median positive gap. */
    step: z.number().positive().optional(),
    /** Unsorted input: `sort` (default, stable) or `error` (E_SCHEMA naming the first row out of order). */
    unsorted: z.enum(['sort', 'error']).default('sort'),
    /** Most grid slots allowed (guards against a tiny step). Default 10,000,000. */
    maxSlots: z.number().int().min(1).default(10_000_000),
  })
  .strict();

/** Options of {@link regularize}. @example `regularize(times, values, { step: 300_000 })` */
export type RegularizeOptions = z.input<typeof RegularizeOptions>;

/**
 * What {@link regularize} returns: a regular grid with `NaN` where nothing was observed.
 *
 * @example
 * ```ts
 * const g: RegularSeries = regularize([0, 10, 30], [1, 2, 3]);
 * g.gaps; // [[2, 2]]: slot 2 (time 20) is missing
 * ```
 */
export interface RegularSeries {
  /** Grid times (t0 + k · step). */
  readonly times: Float64Array;
  /** Values on the grid; NaN in gaps and where the input value was missing. */
  readonly values: Float64Array;
  readonly step: number;
  /** Grid slot of each input row (in input order). */
  readonly slotOf: Int32Array;
  /** Whether the input had to be sorted. */
  readonly sorted: boolean;
  /** Inclusive slot ranges with no observation. */
  readonly gaps: readonly [number, number][];
}

function toMs(t: TimeLike, row: number): number {
  const v = typeof t === 'number' ? t : t instanceof Date ? t.getTime() : Date.parse(t);
  if (!Number.isFinite(v)) throw new TesseraError('E_PARSE', `time index: row ${row} is not a valid time (${String(t)})`, { row });
  return v;
}

/**
 * Puts an irregular, possibly unsorted time index on a regular grid, with defined outcomes:
 * unsorted rows are sorted (stable) or refused (`unsorted: 'error'`); an unparseable time throws
 * `E_PARSE` naming the row; two rows at the same time, or two rows falling into the same grid slot,
 * throw `E_SCHEMA` naming both rows (pass a smaller `step` or aggregate first); a slot with no row
 * is a gap (`NaN`, listed in `gaps`); missing values (`null`/`NaN`) stay `NaN`. Times off the grid
 * snap to the nearest slot.
 *
 * @example
 * ```ts
 * import { regularize } from 'tessera';
 * const g = regularize(['2024-01-01T00:10Z', '2024-01-01T00:00Z', '2024-01-01T00:25Z'], [2, 1, 4], { step: 5 * 60_000 });
 * Array.from(g.values); // [1, NaN, 2, NaN, NaN, 4]
 * ```
 */
export function regularize(times: readonly TimeLike[], values: ArrayLike<number | null>, options: RegularizeOptions = {}): RegularSeries {
  const o = parseOptions(RegularizeOptions, options, 'regularize');
  const n = times.length;
  if (values.length !== n) throw new TesseraError('E_SHAPE', `regularize: ${n} times but ${values.length} values`, { option: 'values' });
  if (n === 0) throw new TesseraError('E_EMPTY', 'regularize needs at least 1 row, got 0', { rows: 0 });
  const t = times.map((x, i) => toMs(x, i));
  const order = Array.from({ length: n }, (_, i) => i);
  let sorted = false;
  for (let i = 1; i < n; i++) {
    if ((t[i] as number) < (t[i - 1] as number)) {
      if (o.unsorted === 'error') throw new TesseraError('E_SCHEMA', `time index is not sorted: row ${i} is earlier than row ${i - 1}`, { row: i });
      sorted = true;
      break;
    }
  }
  if (sorted) order.sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
  for (let k = 1; k < n; k++) {
    const a = order[k - 1] as number;
    const b = order[k] as number;
    if (t[a] === t[b]) throw new TesseraError('E_SCHEMA', `time index has a duplicate: rows ${a} and ${b} have the same time`, { row: b, rows: [a, b] });
  }
  let step = o.step;
  if (step === undefined) {
    const diffs: number[] = [];
    for (let k = 1; k < n; k++) diffs.push((t[order[k] as number] as number) - (t[order[k - 1] as number] as number));
    step = diffs.length ? median(diffs) : 1;
  }
  const t0 = t[order[0] as number] as number;
  const span = (t[order[n - 1] as number] as number) - t0;
  const slots = Math.round(span / step) + 1;
  if (slots > o.maxSlots)
    throw new TesseraError('E_LIMIT', `regularize: ${slots} grid slots exceed maxSlots ${o.maxSlots} (step ${step})`, { option: 'maxSlots' });
  const grid = new Float64Array(slots).fill(Number.NaN);
  const owner = new Int32Array(slots).fill(-1);
  const slotOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const s = Math.round(((t[i] as number) - t0) / step);
    if ((owner[s] as number) >= 0) {
      throw new TesseraError('E_SCHEMA', `rows ${owner[s]} and ${i} fall into the same time slot (step ${step}); pass a smaller step or aggregate first`, {
        row: i,
        rows: [owner[s], i],
      });
    }
    owner[s] = i;
    slotOf[i] = s;
    const v = values[i];
    grid[s] = typeof v === 'number' ? v : Number.NaN;
  }
  const gaps: [number, number][] = [];
  for (let s = 0; s < slots; s++) {
    if ((owner[s] as number) < 0) {
      const a = s;
      while (s + 1 < slots && (owner[s + 1] as number) < 0) s++;
      gaps.push([a, s]);
    }
  }
  const gridTimes = Float64Array.from({ length: slots }, (_, s) => t0 + s * step);
  return { times: gridTimes, values: grid, step, slotOf, sorted, gaps };
}

/**
 * Robust seasonal decomposition (classical decomposition with medians, in the spirit of STL):
 * trend = centred rolling median over one period, seasonal = per-phase median of the detrended
 * values (centred to median 0), residual = value − trend − seasonal. `NaN` (gaps) are skipped in
 * every median and give a `NaN` residual.
 *
 * @example
 * ```ts
 * import { seasonalDecompose } from 'tessera';
 * const x = Array.from({ length: 96 }, (_, i) => 10 + Math.sin((2 * Math.PI * i) / 24));
 * seasonalDecompose(x, 24).seasonal; // the daily shape
 * ```
 */
export function seasonalDecompose(values: ArrayLike<number>, period: number): { trend: Float64Array; seasonal: Float64Array; residual: Float64Array } {
  if (!Number.isInteger(period) || period < 2)
    throw new TesseraError('E_OPTION', `seasonalDecompose option "period" must be an integer >= 2, got ${period}`, { option: 'period' });
  const n = values.length;
  const half = Math.floor(period / 2);
  const trend = new Float64Array(n);
  const buf: number[] = [];
  for (let i = 0; i < n; i++) {
    buf.length = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) {
      const v = values[j] as number;
      if (!Number.isNaN(v)) buf.push(v);
    }
    trend[i] = buf.length ? median(buf) : Number.NaN;
  }
  const phase: number[][] = Array.from({ length: period }, () => []);
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - (trend[i] as number);
    if (!Number.isNaN(d)) (phase[i % period] as number[]).push(d);
  }
  const prof = phase.map((p) => (p.length ? median(p) : 0));
  const c = median(prof);
  const seasonal = new Float64Array(n);
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seasonal[i] = (prof[i % period] as number) - c;
    residual[i] = (values[i] as number) - (trend[i] as number) - (seasonal[i] as number);
  }
  return { trend, seasonal, residual };
}

/**
 * Batch seasonal anomaly scores: robust z-scores (`|r - median| / (1.4826 · MAD)`) of the
 * {@link seasonalDecompose} residuals. Gaps score `NaN`.
 *
 * @example
 * ```ts
 * import { seasonalScores } from 'tessera';
 * const x = Array.from({ length: 96 }, (_, i) => Math.sin((2 * Math.PI * i) / 24));
 * x[50] += 5;
 * seasonalScores(x, 24)[50]; // large
 * ```
 */
export function seasonalScores(values: ArrayLike<number>, period: number): Float64Array {
  const { residual } = seasonalDecompose(values, period);
  const ok = Array.from(residual).filter((v) => !Number.isNaN(v));
  const m = median(ok);
  let s = 1.4826 * median(ok.map((v) => Math.abs(v - m)));
  if (!(s > 0)) s = 1;
  return Float64Array.from(residual, (r) => (Number.isNaN(r) ? Number.NaN : Math.abs(r - m) / s));
}

const SeasonalOptions = z
  .object({
    /** Season length in points (e.g. 48 for daily with 30-minute data). */
    period: z.number().int().min(2).max(1_000_000),
    /** Past seasons whose same-phase values form the baseline. Default 4. */
    seasons: z.number().int().min(1).max(1000).default(4),
    /** Window of past residuals for the robust z-score. Default 4 · period (at most 5,000). */
    window: z.number().int().min(3).optional(),
  })
  .strict();

/** Options of {@link SeasonalMAD}. @example `const o: SeasonalMADOptions = { period: 288, seasons: 7 };` */
export type SeasonalMADOptions = z.input<typeof SeasonalOptions>;

/**
 * Streaming seasonal detector on a regular series (use {@link regularize} first): the baseline of
 * a point is the median of the values at the same phase in the last `seasons` seasons; its
 * residual is scored with a rolling robust z-score ({@link RollingMAD}) over past residuals.
 * `skip()` advances the phase over a gap. Memory O(period · seasons + window).
 *
 * @example
 * ```ts
 * import { SeasonalMAD } from 'tessera';
 * const d = new SeasonalMAD({ period: 24 });
 * for (let i = 0; i < 24 * 10; i++) d.update(Math.sin((2 * Math.PI * i) / 24));
 * d.update(4); // large
 * ```
 */
export class SeasonalMAD implements StreamingDetector {
  readonly params: z.output<typeof SeasonalOptions>;
  private hist: Float64Array;
  private resid: RollingMAD;
  private n = 0;
  private phase = 0;
  constructor(options: SeasonalMADOptions) {
    this.params = parseOptions(SeasonalOptions, options, 'SeasonalMAD');
    this.hist = new Float64Array(this.params.period * this.params.seasons).fill(Number.NaN);
    this.resid = new RollingMAD({ window: this.params.window ?? Math.min(5000, 4 * this.params.period), warmup: Math.min(this.params.period, 50) });
  }
  get count(): number {
    return this.n;
  }
  /** Advances one step without a value (a gap). */
  skip(): void {
    const { period, seasons } = this.params;
    this.hist[Math.floor(this.phase / period) * period + (this.phase % period)] = Number.NaN;
    this.phase = (this.phase + 1) % (period * seasons);
  }
  update(value: number): number {
    if (!Number.isFinite(value))
      throw new TesseraError('E_NON_FINITE', `SeasonalMAD.update: point ${this.n} is ${value}; call skip() for a gap`, { row: this.n });
    const { period, seasons } = this.params;
    const ph = this.phase % period;
    const same: number[] = [];
    for (let s = 0; s < seasons; s++) {
      const v = this.hist[s * period + ph] as number;
      if (!Number.isNaN(v)) same.push(v);
    }
    let score = 0;
    if (same.length > 0) score = this.resid.update(value - median(same));
    this.hist[Math.floor(this.phase / period) * period + ph] = value;
    this.phase = (this.phase + 1) % (period * seasons);
    this.n++;
    return score;
  }
  reset(): void {
    this.hist.fill(Number.NaN);
    this.resid.reset();
    this.n = 0;
    this.phase = 0;
  }
  /** Serialises the full running state (seasonal history and residual window): restored, it continues with identical scores. */
  toJSON(): Serialized<z.output<typeof SeasonalOptions>, { n: number; phase: number; hist: string; resid: Serialized }> {
    return {
      type: 'SeasonalMAD',
      version: 1,
      params: this.params,
      state: { n: this.n, phase: this.phase, hist: encodeArray(this.hist), resid: this.resid.toJSON() },
    };
  }
  /** Restores a detector from {@link SeasonalMAD.toJSON} (or use `load`). */
  static fromJSON(json: Serialized): SeasonalMAD {
    const { params, state } = expectType<{ n: number; phase: number; hist: string; resid: Serialized }, SeasonalMADOptions>(json, 'SeasonalMAD');
    const d = new SeasonalMAD(params);
    const hist = decodeFloat64(state.hist);
    const { period, seasons } = d.params;
    if (hist.length !== period * seasons)
      throw new TesseraError('E_SERIALIZATION', `SeasonalMAD: state.hist has ${hist.length} values, expected ${period * seasons}`);
    if (!Number.isInteger(state.n) || state.n < 0 || !Number.isInteger(state.phase) || state.phase < 0 || state.phase >= period * seasons)
      throw new TesseraError('E_SERIALIZATION', 'SeasonalMAD: state.n / state.phase out of range');
    d.hist = hist;
    d.resid = RollingMAD.fromJSON(state.resid);
    d.n = state.n;
    d.phase = state.phase;
    return d;
  }
}

registerLoader('SeasonalMAD', 1, (json) => SeasonalMAD.fromJSON(json));

/** Running state of {@link CusumDetector}. @example `const s: CusumState = d.toJSON().state;` */
export interface CusumState {
  n: number;
  changes: number[];
  base: number[];
  mean: number;
  sd: number;
  pos: number;
  neg: number;
}

const CusumOptions = z
  .object({
    /** Allowance (slack) in standard deviations. Default 0.5. */
    k: z.number().min(0).default(0.5),
    /** Decision interval in standard deviations. Default 5. */
    h: z.number().positive().default(5),
    /** Points used to estimate the in-control mean and sd (again after each change). Default 30. */
    warmup: z.number().int().min(2).default(30),
  })
  .strict();

/** Options of {@link CusumDetector} and {@link changePoints}. @example `const o: CusumOptions = { k: 0.5, h: 4 };` */
export type CusumOptions = z.input<typeof CusumOptions>;

/**
 * Two-sided tabular CUSUM (Page 1954) for level shifts: after `warmup` points estimate the
 * in-control mean and sd, `S⁺ = max(0, S⁺ + z − k)` and `S⁻ = max(0, S⁻ − z − k)` with
 * `z = (x − mean) / sd`; the score is `max(S⁺, S⁻) / h` (>= 1 means a change). On a change the
 * detector records it (`changes`) and re-estimates the level from the next `warmup` points.
 *
 * @example
 * ```ts
 * import { CusumDetector } from 'tessera';
 * const d = new CusumDetector({ warmup: 10 });
 * [...Array(50).fill(0), ...Array(50).fill(3)].forEach((v, i) => d.update(v + 0.1 * Math.sin(i)));
 * d.changes; // [about 52]
 * ```
 */
export class CusumDetector implements StreamingDetector {
  readonly params: z.output<typeof CusumOptions>;
  /** Indices (0-based update counts) where a change was declared. */
  readonly changes: number[] = [];
  private n = 0;
  private base: number[] = [];
  private mean = 0;
  private sd = 1;
  private pos = 0;
  private neg = 0;
  constructor(options: CusumOptions = {}) {
    this.params = parseOptions(CusumOptions, options, 'CusumDetector');
  }
  get count(): number {
    return this.n;
  }
  update(value: number): number {
    if (!Number.isFinite(value)) throw new TesseraError('E_NON_FINITE', `CusumDetector.update: point ${this.n} is ${value}`, { row: this.n });
    const idx = this.n++;
    const { k, h, warmup } = this.params;
    if (this.base.length < warmup) {
      this.base.push(value);
      if (this.base.length === warmup) {
        const m = this.base.reduce((s, v) => s + v, 0) / warmup;
        const sd = Math.sqrt(this.base.reduce((s, v) => s + (v - m) ** 2, 0) / (warmup - 1));
        this.mean = m;
        this.sd = sd > 0 ? sd : Math.max(1e-12, Math.abs(m) * 1e-9, 1e-12);
      }
      return 0;
    }
    const zed = (value - this.mean) / this.sd;
    this.pos = Math.max(0, this.pos + zed - k);
    this.neg = Math.max(0, this.neg - zed - k);
    const score = Math.max(this.pos, this.neg) / h;
    if (score >= 1) {
      this.changes.push(idx);
      this.pos = 0;
      this.neg = 0;
      this.base = [];
    }
    return score;
  }
  reset(): void {
    this.changes.length = 0;
    this.n = 0;
    this.base = [];
    this.pos = 0;
    this.neg = 0;
  }
  /** Serialises the full running state (baseline, sums, declared changes): restored, it continues with identical scores. */
  toJSON(): Serialized<z.output<typeof CusumOptions>, CusumState> {
    const state: CusumState = {
      n: this.n,
      changes: [...this.changes],
      base: [...this.base],
      mean: this.mean,
      sd: this.sd,
      pos: this.pos,
      neg: this.neg,
    };
    return { type: 'CusumDetector', version: 1, params: this.params, state };
  }
  /** Restores a detector from {@link CusumDetector.toJSON} (or use `load`). */
  static fromJSON(json: Serialized): CusumDetector {
    const { params, state } = expectType<CusumState, CusumOptions>(json, 'CusumDetector');
    const d = new CusumDetector(params);
    const nums = [state.mean, state.sd, state.pos, state.neg];
    if (
      !Number.isInteger(state.n) ||
      state.n < 0 ||
      !Array.isArray(state.changes) ||
      !Array.isArray(state.base) ||
      state.base.length > d.params.warmup ||
      nums.some((v) => typeof v !== 'number' || !Number.isFinite(v))
    )
      throw new TesseraError('E_SERIALIZATION', 'CusumDetector: state does not match its params');
    d.n = state.n;
    d.changes.push(...state.changes);
    d.base = [...state.base];
    d.mean = state.mean;
    d.sd = state.sd;
    d.pos = state.pos;
    d.neg = state.neg;
    return d;
  }
}

registerLoader('CusumDetector', 1, (json) => CusumDetector.fromJSON(json));

/**
 * Change points of a series by {@link CusumDetector}: the indices where a level shift is declared
 * (a few points after the shift, as CUSUM accumulates evidence). `NaN` points (gaps) are skipped.
 *
 * @example
 * ```ts
 * import { changePoints } from 'tessera';
 * changePoints([...Array(40).fill(1), ...Array(40).fill(5)], { warmup: 10 }); // [40]
 * ```
 */
export function changePoints(values: ArrayLike<number>, options: CusumOptions = {}): number[] {
  const d = new CusumDetector(options);
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    idx.push(i);
    d.update(v);
  }
  return d.changes.map((c) => idx[c] as number);
}
