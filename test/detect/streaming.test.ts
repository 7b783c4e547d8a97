import { describe, expect, it } from 'vitest';
import { EwmaDetector, isTesseraError, RandomCutForest, Rng, RollingMAD, RollingZScore, scoreStream } from '../../src/index.js';

const rng = new Rng(5);
const values = Array.from({ length: 400 }, (_, i) => Math.round(10 * Math.sin(i / 7) + 3 * rng.normal()) / 2); // with ties

function naiveWindow(xs: number[], w: number, warm: number, f: (win: number[], x: number) => number): number[] {
  return xs.map((x, i) => {
    const win = xs.slice(Math.max(0, i - w), i);
    return win.length >= warm ? f(win, x) : 0;
  });
}
const med = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};

describe('rolling statistics', () => {
  it('RollingZScore equals the brute-force window z-score', () => {
    const d = new RollingZScore({ window: 25, warmup: 5 });
    const got = values.map((v) => d.update(v + 1e6)); // large offset: shifted sums keep precision
    const want = naiveWindow(values, 25, 5, (win, x) => {
      const m = win.reduce((s, v) => s + v, 0) / win.length;
      const sd = Math.sqrt(win.reduce((s, v) => s + (v - m) ** 2, 0) / win.length);
      return sd > 0 ? Math.abs(x - m) / sd : 0;
    });
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 6));
  });

  it('RollingMAD equals the brute-force window robust z-score (with ties)', () => {
    for (const w of [10, 11, 40]) {
      const d = new RollingMAD({ window: w, warmup: 3 });
      const got = values.map((v) => d.update(v));
      const want = naiveWindow(values, w, 3, (win, x) => {
        const m = med(win);
        const s = 1.4826 * med(win.map((v) => Math.abs(v - m)));
        const dd = Math.abs(x - m);
        return s > 0 ? dd / s : dd === 0 ? 0 : Number.MAX_VALUE;
      });
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 9));
    }
  });

  it('EwmaDetector flags a spike and settles on a level shift', () => {
    const d = new EwmaDetector({ alpha: 0.1, warmup: 5 });
    const xs = [...Array.from({ length: 50 }, (_, i) => 10 + (i % 3) * 0.1), 20, ...Array.from({ length: 100 }, () => 20)];
    const s = xs.map((v) => d.update(v));
    expect(s[50]).toBeGreaterThan(10);
    expect(s.at(-1)).toBeLessThan(1);
    expect(d.count).toBe(151);
    d.reset();
    expect(d.count).toBe(0);
  });

  it('refuses NaN and Infinity with E_NON_FINITE naming the point', () => {
    for (const d of [new EwmaDetector(), new RollingZScore(), new RollingMAD(), new RandomCutForest({ numTrees: 2, treeSize: 8 })]) {
      d.update(1);
      try {
        d.update(Number.NaN);
        throw new Error('expected a TesseraError');
      } catch (e) {
        expect(isTesseraError(e, 'E_NON_FINITE')).toBe(true);
        expect((e as Error).message).toMatch(/point 1/);
      }
    }
  });

  it('refuses bad options', () => {
    expect(() => new EwmaDetector({ alpha: 1 })).toThrow(/alpha/);
    expect(() => new RollingMAD({ window: 1 })).toThrow(/window/);
    expect(() => new RandomCutForest({ numTrees: 0 })).toThrow(/numTrees/);
  });
});

describe('RandomCutForest', () => {
  it('is seeded, bounded and scores a spike far above the typical point', () => {
    const run = (seed: number): number[] => {
      const f = new RandomCutForest({ numTrees: 15, treeSize: 64, shingleSize: 3, seed });
      return Array.from({ length: 1500 }, (_, i) => f.update(i === 1200 ? 8 : Math.sin(i / 6) + 0.05 * Math.cos(i * 1.3)));
    };
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(run(2)).not.toEqual(a);
    for (const v of a) expect(Number.isFinite(v)).toBe(true);
    const normal = a.slice(200, 1190).sort((x, y) => x - y);
    const p99 = normal[Math.floor(normal.length * 0.99)] as number;
    // the spike enters the three shingles that contain it
    expect(Math.max(a[1200] as number, a[1201] as number, a[1202] as number)).toBeGreaterThan(p99);
  });

  it('handles exact duplicates (a constant stream) without growing', () => {
    const f = new RandomCutForest({ numTrees: 4, treeSize: 16, shingleSize: 2 });
    for (let i = 0; i < 500; i++) expect(Number.isFinite(f.update(3))).toBe(true);
    expect(f.update(9)).toBeGreaterThan(0);
  });
});

describe('scoreStream', () => {
  it('consumes an AsyncIterable of records; gaps score NaN and are not learnt', async () => {
    async function* source(): AsyncGenerator<{ t: number; v: number | null }> {
      for (let i = 0; i < 30; i++) yield { t: i, v: i === 10 ? null : i === 20 ? 100 : 1 + (i % 2) };
    }
    const d = new RollingMAD({ window: 10, warmup: 3 });
    const out: { index: number; score: number }[] = [];
    for await (const r of scoreStream(d, source(), (rec) => rec.v)) out.push({ index: r.index, score: r.score });
    expect(out.length).toBe(30);
    expect(Number.isNaN(out[10]?.score)).toBe(true);
    expect(d.count).toBe(29);
    expect(out[20]?.score).toBeGreaterThan(10);
  });
  it('accepts plain numbers and sync iterables', async () => {
    const scores: number[] = [];
    for await (const r of scoreStream(new EwmaDetector({ warmup: 2 }), [1, 1, 1, 1, 9])) scores.push(r.score);
    expect(scores[4]).toBeGreaterThan(3);
  });
});
