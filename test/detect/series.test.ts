import { describe, expect, it } from 'vitest';
import { CusumDetector, changePoints, isTesseraError, regularize, SeasonalMAD, seasonalDecompose, seasonalScores } from '../../src/index.js';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isTesseraError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('regularize (irregular, unsorted, gappy time index)', () => {
  it('sorts an unsorted index (stable) and marks gaps as NaN', () => {
    const g = regularize(['2024-01-01T00:10Z', '2024-01-01T00:00Z', '2024-01-01T00:25Z'], [2, 1, 4], { step: 5 * 60_000 });
    expect(g.sorted).toBe(true);
    expect(Array.from(g.values)).toEqual([1, Number.NaN, 2, Number.NaN, Number.NaN, 4]);
    expect(g.gaps).toEqual([
      [1, 1],
      [3, 4],
    ]);
    expect(Array.from(g.slotOf)).toEqual([2, 0, 5]);
  });
  it('infers the step as the median gap and snaps slightly irregular times', () => {
    const g = regularize([0, 10, 21, 30, 40, 60], [1, 2, 3, 4, 5, 6]);
    expect(g.step).toBe(10);
    expect(Array.from(g.values)).toEqual([1, 2, 3, 4, 5, Number.NaN, 6]);
  });
  it('refuses unsorted input when asked, duplicates, collisions, bad times, and huge grids', () => {
    expect(code(() => regularize([2, 1], [1, 1], { unsorted: 'error' }))).toMatch(/E_SCHEMA: time index is not sorted: row 1/);
    expect(code(() => regularize([1, 2, 2], [1, 1, 1]))).toMatch(/E_SCHEMA: .*rows 1 and 2/);
    expect(code(() => regularize([0, 10, 11, 20], [1, 1, 1, 1], { step: 10 }))).toMatch(/E_SCHEMA: rows 1 and 2 fall into the same time slot/);
    expect(code(() => regularize(['2024-01-01', 'yesterday'], [1, 1]))).toMatch(/E_PARSE: time index: row 1/);
    expect(code(() => regularize([0, 1e12], [1, 1], { step: 1 }))).toMatch(/E_LIMIT/);
    expect(code(() => regularize([], []))).toMatch(/E_EMPTY/);
    expect(code(() => regularize([1, 2], [1]))).toMatch(/E_SHAPE/);
  });
  it('keeps missing values missing', () => {
    const g = regularize([0, 1, 2], [1, null, 3]);
    expect(Number.isNaN(g.values[1])).toBe(true);
    expect(g.gaps).toEqual([]);
  });
});

describe('seasonal baseline', () => {
  const period = 24;
  const x = Array.from({ length: period * 12 }, (_, i) => 10 + 3 * Math.sin((2 * Math.PI * i) / period) + 0.2 * Math.cos(i * 1.7));
  it('decomposes into trend + seasonal + residual and scores a spike that a plain z-score misses', () => {
    const y = [...x];
    y[200] = (y[200] as number) + 2.5; // within the global range, off the seasonal shape
    const d = seasonalDecompose(y, period);
    for (let i = 0; i < y.length; i++) expect((d.trend[i] as number) + (d.seasonal[i] as number) + (d.residual[i] as number)).toBeCloseTo(y[i] as number, 9);
    const s = seasonalScores(y, period);
    const sorted = Array.from(s).sort((a, b) => b - a);
    expect(s[200]).toBe(sorted[0]);
    expect(code(() => seasonalDecompose(y, 1))).toMatch(/period/);
  });
  it('gaps (NaN) give NaN residuals and do not break the others', () => {
    const y = [...x];
    y[100] = Number.NaN;
    const s = seasonalScores(y, period);
    expect(Number.isNaN(s[100])).toBe(true);
    expect(Number.isFinite(s[101])).toBe(true);
  });
  it('SeasonalMAD (streaming) flags an off-season value; skip() keeps the phase over a gap', () => {
    const d = new SeasonalMAD({ period, seasons: 3 });
    const scores: number[] = [];
    for (let i = 0; i < x.length; i++) {
      if (i === 150) {
        d.skip();
        scores.push(Number.NaN);
        continue;
      }
      scores.push(d.update(i === 250 ? (x[i] as number) + 2.5 : (x[i] as number)));
    }
    const tail = scores.slice(100).filter((v) => Number.isFinite(v));
    expect(scores[250]).toBe(Math.max(...tail));
    expect(scores[250]).toBeGreaterThan(5);
  });
});

describe('CUSUM', () => {
  it('finds level shifts up and down, a few points after they happen', () => {
    const y = [...Array(60).fill(0), ...Array(60).fill(2), ...Array(60).fill(-1)].map((v, i) => v + 0.3 * Math.sin(i * 2.1));
    const cps = changePoints(y, { warmup: 20 });
    expect(cps.length).toBe(2);
    expect(cps[0]).toBeGreaterThanOrEqual(60);
    expect(cps[0]).toBeLessThan(66);
    expect(cps[1]).toBeGreaterThanOrEqual(120);
    expect(cps[1]).toBeLessThan(126);
  });
  it('skips NaN gaps and reports indices in the original series', () => {
    const y = [...Array(40).fill(1), Number.NaN, ...Array(40).fill(5)].map((v, i) => v + 0.01 * Math.sin(i));
    expect(changePoints(y, { warmup: 10 })).toEqual([41]);
  });
  it('scores stay below 1 on a stable series and refuses NaN in update', () => {
    const d = new CusumDetector({ warmup: 10 });
    for (let i = 0; i < 200; i++) expect(d.update(Math.sin(i))).toBeLessThan(1);
    expect(code(() => d.update(Number.NaN))).toMatch(/E_NON_FINITE/);
  });
});
