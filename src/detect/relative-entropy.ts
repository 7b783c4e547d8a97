import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Serialized } from '../core/protocol.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { gammaQ } from '../core/special.js';
import { checkCount, checkNumber, checkStreamValue, type StreamingDetector } from './streaming.js';

const Options = z
  .object({
    /** Points in the sliding window whose value distribution is tested. Default 52 (Wang et al.). */
    window: z.number().int().min(2).max(100_000).default(52),
    /** Equal-width value bins of the histogram. Default 5. */
    bins: z.number().int().min(2).max(1_000).default(5),
    /** Significance level of the chi-square test (the score is 1 at its critical value). Default 0.01. */
    alpha: z.number().gt(0).lt(1).default(0.01),
    /**
     * Known value range `[min, max]` of the stream (NAB hands every detector the range of its file).
     * Without it, the range of the first `warmup` points fixes the bins (values outside fall into the
     * edge bins).
     */
    range: z
      .tuple([z.number().finite(), z.number().finite()])
      .refine(([a, b]) => b > a, 'range: max must be greater than min')
      .optional(),
    /** Points that fix the range when `range` is not given (scored 0). Default 5 x window. */
    warmup: z.number().int().min(2).optional(),
    /** Most sub-models kept (bounded memory); the least recently matched one is dropped. Default 256. */
    maxModels: z.number().int().min(1).max(100_000).default(256),
  })
  .strict();

/** Options of {@link RelativeEntropyDetector}. @example `const o: RelativeEntropyOptions = { window: 52, range: [0, 100] };` */
export type RelativeEntropyOptions = z.input<typeof Options>;

/** Critical value of the chi-square distribution with `dof` degrees of freedom at level `alpha` (bisection on Q). */
function chiSquareCritical(alpha: number, dof: number): number {
  let lo = 0;
  let hi = Math.max(10, dof * 10);
  while (gammaQ(dof / 2, hi / 2) > alpha) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gammaQ(dof / 2, mid / 2) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

interface State {
  n: number;
  lo: number;
  hi: number;
  ring: string;
  hist: string;
  models: string;
  lastUsed: string;
  nModels: number;
  warm: string;
}

/**
 * Relative-entropy (Kullback-Leibler) detector of Wang, Talwar, Schwan and Ranganathan ("Online
 * detection of utility cloud anomalies using metric distributions", NOMS 2010), the method behind
 * NAB's `relativeEntropy` detector. The last `window` values are binned into an equal-width
 * histogram P; the detector keeps a set of sub-models (histograms seen before) and finds the one Q
 * closest to P in relative entropy. The score is the likelihood-ratio statistic `2 · window ·
 * KL(P || Q)` divided by the chi-square critical value (`bins - 1` degrees of freedom, level
 * `alpha`): a score of 1 or more rejects "P comes from a known regime", and P becomes a new
 * sub-model. So the score is high when the stream enters a regime it has not seen, and falls back
 * once that regime has been learnt. O(maxModels x bins) per update, bounded memory.
 *
 * @example
 * ```ts
 * import { RelativeEntropyDetector } from 'tessera';
 * const d = new RelativeEntropyDetector({ window: 20, range: [0, 10] });
 * for (let i = 0; i < 200; i++) d.update(i % 4);
 * let s = 0;
 * for (let i = 0; i < 20; i++) s = Math.max(s, d.update(9)); // a new regime: s >= 1
 * ```
 */
export class RelativeEntropyDetector implements StreamingDetector {
  readonly params: z.output<typeof Options>;
  private readonly critical: number;
  private n = 0;
  private lo = 0;
  private hi = 0;
  private ring: Int32Array;
  private hist: Float64Array;
  private models: Float64Array;
  private lastUsed: Float64Array;
  private nModels = 0;
  private warm: Float64Array;
  private readonly p: Float64Array;

  constructor(options: RelativeEntropyOptions = {}) {
    this.params = parseOptions(Options, options, 'RelativeEntropyDetector');
    const { window, bins, maxModels, range } = this.params;
    this.critical = chiSquareCritical(this.params.alpha, bins - 1);
    this.ring = new Int32Array(window);
    this.hist = new Float64Array(bins);
    this.models = new Float64Array(maxModels * bins);
    this.lastUsed = new Float64Array(maxModels);
    this.p = new Float64Array(bins);
    this.warm = new Float64Array(range ? 0 : this.warmupLength());
    if (range) [this.lo, this.hi] = range;
  }

  private warmupLength(): number {
    return this.params.warmup ?? 5 * this.params.window;
  }

  /** Points seen since the last reset. */
  get count(): number {
    return this.n;
  }

  /** Number of sub-models (distinct regimes) learnt so far. */
  get regimes(): number {
    return this.nModels;
  }

  private bin(v: number): number {
    const b = Math.floor(((v - this.lo) / (this.hi - this.lo)) * this.params.bins);
    return b < 0 ? 0 : b >= this.params.bins ? this.params.bins - 1 : b;
  }

  /** Scores `value` (the window ending at it against the known regimes), then learns it. */
  update(value: number): number {
    checkStreamValue(value, 'RelativeEntropyDetector', this.n);
    const i = this.n++;
    if (this.warm.length > 0) {
      // the range is not known yet: collect the warm-up points, then replay them
      if (i < this.warm.length) {
        this.warm[i] = value;
        if (i === this.warm.length - 1) this.startFromWarmup();
        return 0;
      }
    }
    return this.push(value, i);
  }

  private startFromWarmup(): void {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of this.warm) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi === lo) {
      const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 1e-6 : 1e-6;
      lo -= pad;
      hi += pad;
    }
    this.lo = lo;
    this.hi = hi;
    for (let k = 0; k < this.warm.length; k++) this.push(this.warm[k] as number, k);
  }

  private push(value: number, i: number): number {
    const { window, bins } = this.params;
    const slot = i % window;
    const b = this.bin(value);
    if (i >= window) this.hist[this.ring[slot] as number] = (this.hist[this.ring[slot] as number] as number) - 1;
    this.ring[slot] = b;
    this.hist[b] = (this.hist[b] as number) + 1;
    if (i < window - 1) return 0;
    const p = this.p;
    for (let j = 0; j < bins; j++) p[j] = (this.hist[j] as number) / window;
    if (this.nModels === 0) {
      this.addModel(p, i);
      return 0;
    }
    let best = Number.POSITIVE_INFINITY;
    let bestM = 0;
    const m = this.models;
    for (let k = 0; k < this.nModels; k++) {
      let kl = 0;
      const o = k * bins;
      for (let j = 0; j < bins; j++) {
        const pj = p[j] as number;
        if (pj > 0) kl += pj * Math.log(pj / Math.max(m[o + j] as number, 1e-9));
      }
      if (kl < best) {
        best = kl;
        bestM = k;
      }
    }
    const score = (2 * window * best) / this.critical;
    if (score >= 1) this.addModel(p, i);
    else this.lastUsed[bestM] = i;
    return score;
  }

  private addModel(p: Float64Array, i: number): void {
    const { bins, maxModels } = this.params;
    let k = this.nModels;
    if (k === maxModels) {
      k = 0;
      for (let j = 1; j < maxModels; j++) if ((this.lastUsed[j] as number) < (this.lastUsed[k] as number)) k = j;
    } else this.nModels++;
    this.models.set(p, k * bins);
    this.lastUsed[k] = i;
  }

  /** Forgets everything (the range too, unless it was given). */
  reset(): void {
    const { range, bins } = this.params;
    this.n = 0;
    this.nModels = 0;
    this.ring.fill(0);
    this.hist = new Float64Array(bins);
    this.models.fill(0);
    this.lastUsed.fill(0);
    this.warm = new Float64Array(range ? 0 : this.warmupLength());
    if (range) [this.lo, this.hi] = range;
  }

  /** Serialises the full running state: a restored detector continues with identical scores. */
  toJSON(): Serialized {
    const state: State = {
      n: this.n,
      lo: this.lo,
      hi: this.hi,
      ring: encodeArray(this.ring),
      hist: encodeArray(this.hist),
      models: encodeArray(this.models.subarray(0, this.nModels * this.params.bins)),
      lastUsed: encodeArray(this.lastUsed.subarray(0, this.nModels)),
      nModels: this.nModels,
      warm: encodeArray(this.warm),
    };
    return { type: 'RelativeEntropyDetector', version: 1, params: this.params, state };
  }

  /** Restores a detector from {@link RelativeEntropyDetector.toJSON}. */
  static fromJSON(json: Serialized): RelativeEntropyDetector {
    const { params, state } = expectType<State, RelativeEntropyOptions>(json, 'RelativeEntropyDetector');
    const d = new RelativeEntropyDetector(params);
    const owner = 'RelativeEntropyDetector';
    const bad = (): never => {
      throw new TesseraError('E_SERIALIZATION', `${owner}: state does not match its params`);
    };
    d.n = checkCount(state.n, owner);
    d.lo = checkNumber(state.lo, owner, 'lo');
    d.hi = checkNumber(state.hi, owner, 'hi');
    d.ring = decodeInt32(state.ring);
    d.hist = decodeFloat64(state.hist);
    d.nModels = checkCount(state.nModels, owner);
    const models = decodeFloat64(state.models);
    const lastUsed = decodeFloat64(state.lastUsed);
    if (d.nModels > d.params.maxModels || models.length !== d.nModels * d.params.bins || lastUsed.length !== d.nModels) bad();
    d.models.set(models);
    d.lastUsed.set(lastUsed);
    d.warm = decodeFloat64(state.warm);
    if (d.ring.length !== d.params.window || d.hist.length !== d.params.bins || d.nModels > d.params.maxModels) bad();
    return d;
  }
}

registerLoader('RelativeEntropyDetector', 1, (json) => RelativeEntropyDetector.fromJSON(json));
