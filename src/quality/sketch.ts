import { TesseraError } from '../core/errors.js';
import { decodeFloat64, decodeUint8, encodeArray } from '../core/serialize.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function fmix32(h0: number): number {
  let h = h0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of a number (by its IEEE bits; `-0` and `0` hash alike).
 *
 * @example
 * ```ts
 * hashNumber(3.5) === hashNumber(3.5); // true
 * ```
 */
export function hashNumber(x: number): number {
  f64[0] = x === 0 ? 0 : x;
  return fmix32(Math.imul((u32[0] as number) ^ 0x9e3779b9, 0x01000193) ^ fmix32(u32[1] as number));
}

/**
 * A 32-bit hash of a string (FNV-1a over UTF-16 units, then a finaliser).
 *
 * @example
 * ```ts
 * hashString('abc') !== hashString('abd'); // true
 * ```
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/**
 * HyperLogLog distinct-count sketch (Flajolet et al. 2007, with linear counting for small
 * ranges): 2^p one-byte registers, relative error about 1.04 / sqrt(2^p) (p = 14: 0.8%). Mergeable.
 *
 * @example
 * ```ts
 * const h = new HyperLogLog();
 * for (let i = 0; i < 100_000; i++) h.addHash(hashNumber(i));
 * h.estimate(); // about 100000
 * ```
 */
export class HyperLogLog {
  readonly p: number;
  readonly registers: Uint8Array;

  constructor(p = 14, registers?: Uint8Array) {
    if (!Number.isInteger(p) || p < 4 || p > 18)
      throw new TesseraError('E_OPTION', `HyperLogLog precision p must be an integer in [4, 18], got ${p}`, { option: 'p' });
    this.p = p;
    this.registers = registers ?? new Uint8Array(1 << p);
  }

  /** Adds a 32-bit hash. */
  addHash(h: number): void {
    const idx = h >>> (32 - this.p);
    const rest = (h << this.p) >>> 0;
    const rank = rest === 0 ? 32 - this.p + 1 : Math.clz32(rest) + 1;
    if (rank > (this.registers[idx] as number)) this.registers[idx] = rank;
  }

  /** Merges another sketch of the same precision into this one. */
  merge(other: HyperLogLog): void {
    if (other.p !== this.p) throw new TesseraError('E_OPTION', `cannot merge HyperLogLog sketches of precision ${this.p} and ${other.p}`, { option: 'p' });
    for (let i = 0; i < this.registers.length; i++)
      if ((other.registers[i] as number) > (this.registers[i] as number)) this.registers[i] = other.registers[i] as number;
  }

  /** The distinct-count estimate. */
  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.registers[i] as number;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const e = (alpha * m * m) / sum;
    if (e <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(e);
  }

  /** JSON state. */
  toJSON(): { p: number; registers: string } {
    return { p: this.p, registers: encodeArray(this.registers) };
  }

  /** Restores {@link HyperLogLog.toJSON} output. @example `HyperLogLog.fromJSON(h.toJSON())` */
  static fromJSON(j: { p: number; registers: string }): HyperLogLog {
    return new HyperLogLog(j.p, decodeUint8(j.registers));
  }
}

/**
 * KLL quantile sketch (Karnin, Lang and Liberty 2016): a hierarchy of compactors whose items
 * carry weight 2^level; about `k` items per level, rank error about 1.7 / k with high probability.
 * Mergeable and serialisable. Compaction offsets come from a seeded xorshift (deterministic).
 *
 * @example
 * ```ts
 * const s = new KllSketch(200);
 * for (let i = 0; i < 100_000; i++) s.add(i);
 * s.quantile(0.5); // about 50000
 * ```
 */
export class KllSketch {
  readonly k: number;
  private levels: number[][] = [[]];
  private size = 0;
  private state = 0x2545f491;
  /** Number of values added. */
  n = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(k = 200) {
    if (!Number.isInteger(k) || k < 8 || k > 65_536) throw new TesseraError('E_OPTION', `KLL k must be an integer in [8, 65536], got ${k}`, { option: 'k' });
    this.k = k;
  }

  private capacity(level: number): number {
    const depth = this.levels.length - level - 1;
    return Math.max(2, Math.ceil(this.k * (2 / 3) ** depth));
  }

  private totalCapacity(): number {
    let c = 0;
    for (let h = 0; h < this.levels.length; h++) c += this.capacity(h);
    return c;
  }

  private bit(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state & 1;
  }

  /** Adds a value (NaN is ignored). */
  add(x: number): void {
    if (Number.isNaN(x)) return;
    this.n++;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    (this.levels[0] as number[]).push(x);
    this.size++;
    if (this.size >= this.totalCapacity()) this.compress();
  }

  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      const lvl = this.levels[h] as number[];
      if (lvl.length >= this.capacity(h)) {
        if (h + 1 >= this.levels.length) this.levels.push([]);
        lvl.sort((a, b) => a - b);
        const keepOdd = lvl.length % 2 === 1 ? lvl.pop() : undefined;
        const off = this.bit();
        const up = this.levels[h + 1] as number[];
        for (let i = off; i < lvl.length; i += 2) up.push(lvl[i] as number);
        this.size -= lvl.length - Math.ceil((lvl.length - off) / 2);
        lvl.length = 0;
        if (keepOdd !== undefined) lvl.push(keepOdd);
        if (this.size < this.totalCapacity()) break;
      }
    }
  }

  /** Merges another sketch into this one. */
  merge(other: KllSketch): void {
    while (this.levels.length < other.levels.length) this.levels.push([]);
    other.levels.forEach((lvl, h) => {
      for (const x of lvl) (this.levels[h] as number[]).push(x);
      this.size += lvl.length;
    });
    this.n += other.n;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    while (this.size >= this.totalCapacity()) {
      const before = this.size;
      this.compress();
      if (this.size === before) break;
    }
  }

  private weighted(): { values: Float64Array; cum: Float64Array; total: number } {
    const pairs: Array<[number, number]> = [];
    this.levels.forEach((lvl, h) => {
      for (const x of lvl) pairs.push([x, 2 ** h]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    const values = new Float64Array(pairs.length);
    const cum = new Float64Array(pairs.length);
    let t = 0;
    pairs.forEach(([v, w], i) => {
      values[i] = v;
      t += w;
      cum[i] = t;
    });
    return { values, cum, total: t };
  }

  /** The approximate `q`-quantile (`q` in [0, 1]); NaN when empty. */
  quantile(q: number): number {
    return this.quantiles([q])[0] as number;
  }

  /** Several quantiles at once. */
  quantiles(qs: readonly number[]): number[] {
    if (this.n === 0) return qs.map(() => Number.NaN);
    const { values, cum, total } = this.weighted();
    return qs.map((q) => {
      if (q <= 0) return this.min;
      if (q >= 1) return this.max;
      const target = q * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cum[mid] as number) < target) lo = mid + 1;
        else hi = mid;
      }
      return values[lo] as number;
    });
  }

  /** Approximate fraction of values `<= x`. */
  cdf(x: number): number {
    if (this.n === 0) return Number.NaN;
    const { values, cum, total } = this.weighted();
    let c = 0;
    for (let i = 0; i < values.length && (values[i] as number) <= x; i++) c = cum[i] as number;
    return c / total;
  }

  /** JSON state. */
  toJSON(): { k: number; n: number; min: number; max: number; levels: string[]; state: number } {
    return { k: this.k, n: this.n, min: this.min, max: this.max, levels: this.levels.map((l) => encodeArray(Float64Array.from(l))), state: this.state };
  }

  /** Restores {@link KllSketch.toJSON} output. @example `KllSketch.fromJSON(s.toJSON())` */
  static fromJSON(j: { k: number; n: number; min: number; max: number; levels: string[]; state: number }): KllSketch {
    const s = new KllSketch(j.k);
    s.levels = j.levels.map((l) => Array.from(decodeFloat64(l)));
    s.size = s.levels.reduce((a, l) => a + l.length, 0);
    s.n = j.n;
    s.min = j.min ?? Number.POSITIVE_INFINITY;
    s.max = j.max ?? Number.NEGATIVE_INFINITY;
    s.state = j.state;
    return s;
  }
}
