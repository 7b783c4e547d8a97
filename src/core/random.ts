import { TesseraError } from './errors.js';

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman and Vigna, 2018), 32-bit state words,
 * seeded by running SplitMix32 over the seed. The same seed gives the same stream on every
 * platform. Doubles use 53 random bits. Normal deviates use the polar Box-Muller method.
 *
 * Every stochastic primitive in tessera takes a `seed` option (default `0`, so results are
 * reproducible unless the caller asks otherwise) and builds one `Rng` from it.
 *
 * @example
 * ```ts
 * import { Rng } from 'tessera';
 * const rng = new Rng(42);
 * rng.next();      // a double in [0, 1)
 * rng.int(10);     // an integer in [0, 10)
 * rng.normal();    // a standard normal deviate
 * ```
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new TesseraError('E_OPTION', `seed must be a finite number, got ${seed}`, { option: 'seed' });
    let x = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 bits of randomness. */
  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296) throw new TesseraError('E_OPTION', `Rng.int bound must be in [1, 2^32], got ${n}`, { option: 'n' });
    return Math.floor(this.next() * n);
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal deviate (mean 0, sd 1). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /** Shuffles an array or typed array in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** `k` distinct indices from 0..n-1 (Floyd's algorithm when k is small, else a partial shuffle), in random order. */
  sample(n: number, k: number): Int32Array {
    if (k > n || k < 0) throw new TesseraError('E_OPTION', `cannot sample ${k} of ${n} without replacement`, { option: 'n' });
    if (k * 4 < n) {
      const chosen = new Set<number>();
      const out = new Int32Array(k);
      let w = 0;
      for (let j = n - k; j < n; j++) {
        const t = this.int(j + 1);
        const v = chosen.has(t) ? j : t;
        chosen.add(v);
        out[w++] = v;
      }
      return this.shuffle(out);
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = p[i] as number;
      p[i] = p[j] as number;
      p[j] = t;
    }
    return p.slice(0, k);
  }

  /** A new independent generator derived from this one (for per-tree or per-run streams). */
  fork(): Rng {
    return new Rng(this.uint32() * 4096 + (this.uint32() >>> 20));
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
