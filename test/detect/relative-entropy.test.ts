import { describe, expect, it } from 'vitest';
import { isTesseraError, load, RelativeEntropyDetector, Rng } from '../../src/index.js';

/** Brute force: the same statistic recomputed from scratch at every point. */
function naive(values: number[], window: number, bins: number, lo: number, hi: number, critical: number): number[] {
  const models: number[][] = [];
  return values.map((_, i) => {
    if (i < window - 1) return 0;
    const p = new Array<number>(bins).fill(0);
    for (const v of values.slice(i - window + 1, i + 1)) p[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))]! += 1 / window;
    if (models.length === 0) {
      models.push(p);
      return 0;
    }
    const kl = Math.min(...models.map((q) => p.reduce((s, pj, j) => (pj > 0 ? s + pj * Math.log(pj / Math.max(q[j]!, 1e-9)) : s), 0)));
    const score = (2 * window * kl) / critical;
    if (score >= 1) models.push(p);
    return score;
  });
}

const rng = new Rng(3);
const stream = [
  ...Array.from({ length: 300 }, () => rng.normal()),
  ...Array.from({ length: 100 }, () => 4 + rng.normal()), // a new regime
  ...Array.from({ length: 300 }, () => rng.normal()),
];

describe('RelativeEntropyDetector', () => {
  it('equals the brute-force statistic (chi-square critical value 13.2767 for 4 degrees of freedom at 0.01)', () => {
    const d = new RelativeEntropyDetector({ window: 30, bins: 5, range: [-4, 8] });
    const got = stream.map((v) => d.update(v));
    const want = naive(stream, 30, 5, -4, 8, 13.276704135987622);
    got.forEach((g, i) => expect(g, `point ${i}`).toBeCloseTo(want[i] as number, 9));
  });

  it('scores a new regime at or above 1 and a known one below 1', () => {
    const d = new RelativeEntropyDetector({ window: 30, range: [-4, 8] });
    const s = stream.map((v) => d.update(v));
    expect(Math.max(...s.slice(300, 330))).toBeGreaterThanOrEqual(1);
    // the first regime, learnt: a test at level 0.01 rejects rarely
    const rate = (xs: number[]): number => xs.filter((v) => v >= 1).length / xs.length;
    expect(rate(s.slice(100, 300))).toBeLessThan(0.03);
    // back in the first regime: once the window has left the shifted part, it is known again
    expect(rate(s.slice(460))).toBeLessThan(0.03);
    expect(rate(s.slice(300, 330))).toBeGreaterThan(0.1); // each new transitional window is a new regime
    expect(d.regimes).toBeGreaterThan(1);
  });

  it('fixes the range from the warm-up points when none is given, scoring them 0', () => {
    const d = new RelativeEntropyDetector({ window: 20, warmup: 100 });
    const s = stream.map((v) => d.update(v));
    expect(s.slice(0, 100).every((v) => v === 0)).toBe(true);
    expect(Math.max(...s.slice(300, 330))).toBeGreaterThanOrEqual(1);
    expect(d.count).toBe(stream.length);
  });

  it('keeps at most maxModels sub-models', () => {
    const d = new RelativeEntropyDetector({ window: 10, range: [0, 1000], bins: 50, maxModels: 3 });
    for (let i = 0; i < 2000; i++) d.update(i % 1000);
    expect(d.regimes).toBe(3);
  });

  it('serialises its running state: a restored detector continues with identical scores', () => {
    for (const opts of [
      { window: 25, range: [-4, 8] as [number, number] },
      { window: 25, warmup: 50 },
    ]) {
      const a = new RelativeEntropyDetector(opts);
      for (const v of stream.slice(0, 320)) a.update(v);
      const b = load<RelativeEntropyDetector>(JSON.parse(JSON.stringify(a.toJSON())));
      expect(b.count).toBe(a.count);
      for (const v of stream.slice(320)) expect(b.update(v)).toBe(a.update(v));
    }
    const early = new RelativeEntropyDetector({ window: 25, warmup: 50 });
    for (const v of stream.slice(0, 10)) early.update(v); // mid warm-up
    const again = load<RelativeEntropyDetector>(JSON.parse(JSON.stringify(early.toJSON())));
    for (const v of stream.slice(10)) expect(again.update(v)).toBe(early.update(v));
  });

  it('refuses a damaged state with E_SERIALIZATION', () => {
    const a = new RelativeEntropyDetector({ window: 25, range: [-4, 8] });
    for (const v of stream.slice(0, 320)) a.update(v);
    const json = a.toJSON();
    const state = json.state as Record<string, unknown>;
    for (const broken of [{ n: -1 }, { n: 'many' }, { lo: null }, { nModels: (state.nModels as number) + 1 }]) {
      expect(() => load({ ...json, state: { ...state, ...broken } })).toThrow(expect.objectContaining({ code: 'E_SERIALIZATION' }));
    }
  });

  it('reset forgets everything', () => {
    const d = new RelativeEntropyDetector({ window: 30, range: [-4, 8] });
    const first = stream.map((v) => d.update(v));
    d.reset();
    expect(d.count).toBe(0);
    expect(stream.map((v) => d.update(v))).toEqual(first);
  });

  it('rejects bad input with TesseraError', () => {
    const d = new RelativeEntropyDetector({ range: [0, 1] });
    let err: unknown;
    try {
      d.update(Number.NaN);
    } catch (e) {
      err = e;
    }
    expect(isTesseraError(err) && err.code === 'E_NON_FINITE').toBe(true);
    for (const bad of [{ range: [1, 1] }, { window: 1 }, { alpha: 0 }, { bins: 1 }, { nope: 1 }]) {
      expect(() => new RelativeEntropyDetector(bad as never)).toThrow(/RelativeEntropyDetector/);
    }
  });
});
