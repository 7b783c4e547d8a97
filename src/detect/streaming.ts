import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Serialized } from '../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';

/**
 * A streaming detector: `update(value)` scores one new point against what came before, then learns
 * it, in constant (or logarithmic) time and bounded memory. Scores are never thresholded here;
 * pair a detector with an alert rule (`tessera`'s `src/alert`) or compare with a threshold.
 *
 * @example
 * ```ts
 * const d: StreamingDetector = new EwmaDetector({ alpha: 0.05 });
 * for (const v of [1, 1.1, 0.9, 1, 8]) d.update(v); // the last call returns a large score
 * ```
 */
export interface StreamingDetector {
  /** Scores `value` against the state so far, then folds it in. Non-finite input throws `E_NON_FINITE`. */
  update(value: number): number;
  /** Forgets everything. */
  reset(): void;
  /** Points seen since the last reset. */
  readonly count: number;
}

/**
 * Throws `E_NON_FINITE` naming the detector and the point when a streaming detector is given NaN
 * or an infinity (shared by the streaming detectors).
 *
 * @example
 * ```ts
 * checkStreamValue(Number.NaN, 'MyDetector', 12); // throws: MyDetector.update: point 12 is NaN; ...
 * ```
 */
export function checkStreamValue(v: number, owner: string, count: number): void {
  if (!Number.isFinite(v))
    throw new TesseraError('E_NON_FINITE', `${owner}.update: point ${count} is ${v}; skip or impute missing points before updating`, { row: count });
}

const EwmaOptions = z
  .object({
    /** Smoothing weight of the newest point, in (0, 1). Default 0.05 (about a 40-point memory). */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Points scored 0 while the statistics settle. Default 10. */
    warmup: z.number().int().min(1).default(10),
  })
  .strict();

/** Options of {@link EwmaDetector}. @example `const o: EwmaDetectorOptions = { alpha: 0.1, warmup: 20 };` */
export type EwmaDetectorOptions = z.input<typeof EwmaOptions>;

/**
 * Exponentially weighted mean and variance (West's EW update); the score of a point is its
 * absolute z-score `|x - mean| / sd` against the statistics *before* it. O(1) time and memory.
 *
 * @example
 * ```ts
 * import { EwmaDetector } from 'tessera';
 * const d = new EwmaDetector({ alpha: 0.1, warmup: 3 });
 * [10, 11, 10, 9, 10, 30].map((v) => d.update(v)); // last score is large
 * ```
 */
export class EwmaDetector implements StreamingDetector {
  readonly params: z.output<typeof EwmaOptions>;
  private mean = 0;
  private variance = 0;
  private n = 0;
  constructor(options: EwmaDetectorOptions = {}) {
    this.params = parseOptions(EwmaOptions, options, 'EwmaDetector');
  }
  get count(): number {
    return this.n;
  }
  update(value: number): number {
    checkStreamValue(value, 'EwmaDetector', this.n);
    let score = 0;
    if (this.n === 0) this.mean = value;
    else {
      const sd = Math.sqrt(this.variance);
      const diff = value - this.mean;
      if (this.n >= this.params.warmup) score = sd > 0 ? Math.abs(diff) / sd : diff === 0 ? 0 : Number.MAX_VALUE;
      const a = this.n < 1 / this.params.alpha ? 1 / (this.n + 1) : this.params.alpha; // unbiased start
      const incr = a * diff;
      this.mean += incr;
      this.variance = (1 - a) * (this.variance + diff * incr);
    }
    this.n++;
    return score;
  }
  reset(): void {
    this.mean = 0;
    this.variance = 0;
    this.n = 0;
  }
  /** Serialises the full running state: a restored detector's next `update` returns the same score. */
  toJSON(): Serialized<z.output<typeof EwmaOptions>, { n: number; mean: number; variance: number }> {
    return { type: 'EwmaDetector', version: 1, params: this.params, state: { n: this.n, mean: this.mean, variance: this.variance } };
  }
  /** Restores a detector from {@link EwmaDetector.toJSON} (or use `load`). */
  static fromJSON(json: Serialized): EwmaDetector {
    const { params, state } = expectType<{ n: number; mean: number; variance: number }, EwmaDetectorOptions>(json, 'EwmaDetector');
    const d = new EwmaDetector(params);
    d.n = checkCount(state.n, 'EwmaDetector');
    d.mean = checkNumber(state.mean, 'EwmaDetector', 'mean');
    d.variance = checkNumber(state.variance, 'EwmaDetector', 'variance');
    return d;
  }
}

registerLoader('EwmaDetector', 1, (json) => EwmaDetector.fromJSON(json));

/** A serialised count (a non-negative integer) or `E_SERIALIZATION`. Internal. @example `checkCount(state.n, 'EwmaDetector')` */
export function checkCount(n: unknown, owner: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TesseraError('E_SERIALIZATION', `${owner}: state.n must be a count, got ${String(n)}`);
  return n;
}
/** A serialised finite number or `E_SERIALIZATION` naming the field. Internal. @example `checkNumber(state.mean, 'EwmaDetector', 'mean')` */
export function checkNumber(v: unknown, owner: string, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TesseraError('E_SERIALIZATION', `${owner}: state.${field} must be a finite number`);
  return v;
}
function checkRing(a: Float64Array, w: number, owner: string, field: string): Float64Array {
  if (a.length !== w) throw new TesseraError('E_SERIALIZATION', `${owner}: state.${field} has ${a.length} values, expected the window ${w}`);
  return a;
}

/** Running state of {@link RollingZScore}. @example `const s: RollingZScoreState = d.toJSON().state;` */
export interface RollingZScoreState {
  n: number;
  head: number;
  size: number;
  sum: number;
  sumSq: number;
  shift: number;
  buf: string;
}

/** Running state of {@link RollingMAD}. @example `const s: RollingMADState = d.toJSON().state;` */
export interface RollingMADState {
  n: number;
  head: number;
  size: number;
  ring: string;
  sorted: string;
}

const RollingOptions = z
  .object({
    /** Window length in points. Default 100. */
    window: z.number().int().min(3).max(10_000_000).default(100),
    /** Points scored 0 before the window has this many points. Default 10. */
    warmup: z.number().int().min(2).default(10),
  })
  .strict();

/** Options of {@link RollingZScore} and {@link RollingMAD}. @example `const o: RollingOptions = { window: 288 };` */
export type RollingOptions = z.input<typeof RollingOptions>;

/**
 * Rolling mean and standard deviation over the last `window` points (ring buffer, running sums,
 * exact re-summation every `window` updates to stop drift); the score is `|x - mean| / sd` against
 * the window *before* the point. O(1) per update, O(window) memory.
 *
 * @example
 * ```ts
 * import { RollingZScore } from 'tessera';
 * const d = new RollingZScore({ window: 50 });
 * for (let i = 0; i < 100; i++) d.update(Math.sin(i));
 * d.update(10); // large
 * ```
 */
export class RollingZScore implements StreamingDetector {
  readonly params: z.output<typeof RollingOptions>;
  private readonly buf: Float64Array;
  private head = 0;
  private size = 0;
  private sum = 0;
  private sumSq = 0;
  private shift = 0;
  private n = 0;
  constructor(options: RollingOptions = {}) {
    this.params = parseOptions(RollingOptions, options, 'RollingZScore');
    this.buf = new Float64Array(this.params.window);
  }
  get count(): number {
    return this.n;
  }
  update(value: number): number {
    checkStreamValue(value, 'RollingZScore', this.n);
    const w = this.params.window;
    if (this.n === 0) this.shift = value; // shifted sums keep precision for large offsets
    let score = 0;
    if (this.size >= this.params.warmup) {
      const m = this.sum / this.size;
      const v = Math.max(0, this.sumSq / this.size - m * m);
      const d = value - this.shift - m;
      const sd = Math.sqrt(v);
      score = sd > 0 ? Math.abs(d) / sd : d === 0 ? 0 : Number.MAX_VALUE;
    }
    const x = value - this.shift;
    if (this.size === w) {
      const old = this.buf[this.head] as number;
      this.sum -= old;
      this.sumSq -= old * old;
    } else this.size++;
    this.buf[this.head] = x;
    this.sum += x;
    this.sumSq += x * x;
    this.head = (this.head + 1) % w;
    this.n++;
    if (this.n % w === 0) {
      let s = 0;
      let q = 0;
      for (let i = 0; i < this.size; i++) {
        const b = this.buf[i] as number;
        s += b;
        q += b * b;
      }
      this.sum = s;
      this.sumSq = q;
    }
    return score;
  }
  reset(): void {
    this.head = 0;
    this.size = 0;
    this.sum = 0;
    this.sumSq = 0;
    this.n = 0;
  }
  /** Serialises the full running state (window, running sums): a restored detector continues with identical scores. */
  toJSON(): Serialized<z.output<typeof RollingOptions>, RollingZScoreState> {
    const state: RollingZScoreState = {
      n: this.n,
      head: this.head,
      size: this.size,
      sum: this.sum,
      sumSq: this.sumSq,
      shift: this.shift,
      buf: encodeArray(this.buf),
    };
    return { type: 'RollingZScore', version: 1, params: this.params, state };
  }
  /** Restores a detector from {@link RollingZScore.toJSON} (or use `load`). */
  static fromJSON(json: Serialized): RollingZScore {
    const { params, state } = expectType<RollingZScoreState, RollingOptions>(json, 'RollingZScore');
    const d = new RollingZScore(params);
    const w = d.params.window;
    d.buf.set(checkRing(decodeFloat64(state.buf), w, 'RollingZScore', 'buf'));
    d.n = checkCount(state.n, 'RollingZScore');
    d.head = checkCount(state.head, 'RollingZScore') % w;
    d.size = Math.min(w, checkCount(state.size, 'RollingZScore'));
    d.sum = checkNumber(state.sum, 'RollingZScore', 'sum');
    d.sumSq = checkNumber(state.sumSq, 'RollingZScore', 'sumSq');
    d.shift = checkNumber(state.shift, 'RollingZScore', 'shift');
    return d;
  }
}

registerLoader('RollingZScore', 1, (json) => RollingZScore.fromJSON(json));

/**
 * Rolling median and MAD over the last `window` points; the score is the robust z-score
 * `|x - median| / (1.4826 · MAD)` against the window *before* the point. The window is kept
 * sorted (binary search, then a typed-array shift: O(log w) comparisons plus an O(w) memmove);
 * the MAD is the k-th smallest of two sorted distance sequences on either side of the median,
 * found in O(log w). O(window) memory.
 *
 * @example
 * ```ts
 * import { RollingMAD } from 'tessera';
 * const d = new RollingMAD({ window: 30 });
 * for (let i = 0; i < 60; i++) d.update(i % 3);
 * d.update(40); // large
 * ```
 */
export class RollingMAD implements StreamingDetector {
  readonly params: z.output<typeof RollingOptions>;
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private size = 0;
  private n = 0;
  constructor(options: RollingOptions = {}) {
    this.params = parseOptions(RollingOptions, options, 'RollingMAD');
    this.ring = new Float64Array(this.params.window);
    this.sorted = new Float64Array(this.params.window);
  }
  get count(): number {
    return this.n;
  }
  /** Current window median. */
  median(): number {
    const s = this.sorted;
    const n = this.size;
    if (n === 0) return Number.NaN;
    return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  }
  /** Current window MAD (unscaled). */
  mad(): number {
    const n = this.size;
    if (n === 0) return Number.NaN;
    const med = this.median();
    const m = lowerBound(this.sorted, n, med);
    return n % 2
      ? kthDistance(this.sorted, n, m, med, (n - 1) / 2)
      : (kthDistance(this.sorted, n, m, med, n / 2 - 1) + kthDistance(this.sorted, n, m, med, n / 2)) / 2;
  }
  update(value: number): number {
    checkStreamValue(value, 'RollingMAD', this.n);
    let score = 0;
    if (this.size >= this.params.warmup) {
      const med = this.median();
      const s = 1.4826 * this.mad();
      const d = Math.abs(value - med);
      score = s > 0 ? d / s : d === 0 ? 0 : Number.MAX_VALUE;
    }
    const w = this.params.window;
    const s = this.sorted;
    if (this.size === w) {
      const old = this.ring[this.head] as number;
      const i = lowerBound(s, this.size, old);
      s.copyWithin(i, i + 1, this.size);
      this.size--;
    }
    const j = lowerBound(s, this.size, value);
    s.copyWithin(j + 1, j, this.size);
    s[j] = value;
    this.size++;
    this.ring[this.head] = value;
    this.head = (this.head + 1) % w;
    this.n++;
    return score;
  }
  reset(): void {
    this.head = 0;
    this.size = 0;
    this.n = 0;
  }
  /** Serialises the full running state (ring and sorted window): a restored detector continues with identical scores. */
  toJSON(): Serialized<z.output<typeof RollingOptions>, RollingMADState> {
    const state: RollingMADState = { n: this.n, head: this.head, size: this.size, ring: encodeArray(this.ring), sorted: encodeArray(this.sorted) };
    return { type: 'RollingMAD', version: 1, params: this.params, state };
  }
  /** Restores a detector from {@link RollingMAD.toJSON} (or use `load`). */
  static fromJSON(json: Serialized): RollingMAD {
    const { params, state } = expectType<RollingMADState, RollingOptions>(json, 'RollingMAD');
    const d = new RollingMAD(params);
    const w = d.params.window;
    d.ring.set(checkRing(decodeFloat64(state.ring), w, 'RollingMAD', 'ring'));
    d.sorted.set(checkRing(decodeFloat64(state.sorted), w, 'RollingMAD', 'sorted'));
    d.n = checkCount(state.n, 'RollingMAD');
    d.head = checkCount(state.head, 'RollingMAD') % w;
    d.size = Math.min(w, checkCount(state.size, 'RollingMAD'));
    return d;
  }
}

registerLoader('RollingMAD', 1, (json) => RollingMAD.fromJSON(json));

function lowerBound(s: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((s[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * k-th smallest (0-based) of |s[i] - med| over a sorted window, as the k-th of two ascending
 * sequences: left distances `med - s[m-1-i]` and right distances `s[m+i] - med`. O(log n).
 */
function kthDistance(s: Float64Array, n: number, m: number, med: number, k: number): number {
  const na = m;
  const nb = n - m;
  let offA = 0;
  let offB = 0;
  let kk = k;
  for (;;) {
    if (offA >= na) return (s[m + offB + kk] as number) - med;
    if (offB >= nb) return med - (s[m - 1 - (offA + kk)] as number);
    if (kk === 0) return Math.min(med - (s[m - 1 - offA] as number), (s[m + offB] as number) - med);
    const half = (kk + 1) >> 1;
    const ia = Math.min(na - offA, half);
    const ib = Math.min(nb - offB, half);
    if (med - (s[m - 1 - (offA + ia - 1)] as number) <= (s[m + offB + ib - 1] as number) - med) {
      offA += ia;
      kk -= ia;
    } else {
      offB += ib;
      kk -= ib;
    }
  }
}

/**
 * Consumes any `AsyncIterable` (or `Iterable`) of records, scores each with a streaming detector
 * and yields `{ record, value, score, index }`. `select` picks the number from a record (default:
 * the record itself when it is a number, else its `value` field). A record whose value is missing
 * or not finite is yielded with `score: NaN` and not learnt (documented gap handling).
 *
 * @example
 * ```ts
 * import { EwmaDetector, scoreStream } from 'tessera';
 * async function* source() { yield { t: 1, value: 3 }; yield { t: 2, value: 30 }; }
 * for await (const r of scoreStream(new EwmaDetector(), source())) console.log(r.index, r.score);
 * ```
 */
export async function* scoreStream<R>(
  detector: StreamingDetector,
  source: AsyncIterable<R> | Iterable<R>,
  select?: (record: R) => number | null | undefined,
): AsyncGenerator<{ record: R; value: number; score: number; index: number }> {
  let index = 0;
  const pick = select ?? ((r: R): number | null | undefined => (typeof r === 'number' ? r : (r as { value?: number } | null)?.value));
  for await (const record of source as AsyncIterable<R>) {
    const v = pick(record);
    const value = typeof v === 'number' ? v : Number.NaN;
    const score = Number.isFinite(value) ? detector.update(value) : Number.NaN;
    yield { record, value, score, index: index++ };
  }
}
