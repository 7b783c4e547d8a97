import { describe, expect, it } from 'vitest';
import { BayesianRidge, Dataset, fitBayesianRidgeGram, fitBayesianRidgeMatrix, IterativeImputer, isTesseraError, Rng } from '../../src/index.js';

// The matrix-level BayesianRidge fits that IterativeImputer uses for its per-column models.

function problem(n: number, p: number, seed: number, noise = 0.3): { X: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 1.5;
    for (let j = 0; j < p; j++) {
      const v = rng.normal() * (j + 1) + j;
      X[i * p + j] = v;
      t += (j % 2 ? -0.7 : 1.2) * v;
    }
    y[i] = t + noise * rng.normal();
  }
  return { X, y };
}

function asDataset(X: Float64Array, n: number, p: number, y: Float64Array): Dataset {
  return Dataset.fromMatrix(X, n, p).withColumn('y', y);
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number)));
  return w;
}

/** Centred sufficient statistics of a row-major matrix. */
function stats(X: Float64Array, n: number, p: number, y: Float64Array) {
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) xMean[j] = (xMean[j] as number) + (X[i * p + j] as number) / n;
    yMean += (y[i] as number) / n;
  }
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = 0;
  for (let i = 0; i < n; i++) {
    const yc = (y[i] as number) - yMean;
    yty += yc * yc;
    for (let a = 0; a < p; a++) {
      const ca = (X[i * p + a] as number) - (xMean[a] as number);
      xty[a] = (xty[a] as number) + ca * yc;
      for (let b = 0; b < p; b++) gram[a * p + b] = (gram[a * p + b] as number) + ca * ((X[i * p + b] as number) - (xMean[b] as number));
    }
  }
  return { n, p, gram, xty, yty, xMean, yMean };
}

describe('fitBayesianRidgeMatrix / fitBayesianRidgeGram', () => {
  for (const [n, p, opts] of [
    [60, 4, {}],
    [5, 8, {}],
    [40, 3, { fitIntercept: false }],
    [30, 2, { alphaInit: 2, lambdaInit: 0.5, maxIter: 3 }],
  ] as const) {
    it(`equals BayesianRidge.fit (${n} x ${p}, ${JSON.stringify(opts)})`, async () => {
      const { X, y } = problem(n, p, n + p);
      const f = await new BayesianRidge(opts).fit(asDataset(X, n, p, y), { target: 'y' });
      const r = fitBayesianRidgeMatrix(X, n, p, y, opts);
      expect(maxRel(r.coef, f.coef)).toBeLessThan(1e-12);
      expect(rel(r.intercept, f.intercept)).toBeLessThan(1e-12);
      expect(rel(r.alpha, f.alpha)).toBeLessThan(1e-12);
      expect(rel(r.lambda, f.lambda)).toBeLessThan(1e-12);
      expect(r.nIter).toBe(f.nIter);
      expect(maxRel(r.sigma, f.sigma)).toBeLessThan(1e-12);
      if (n > p && opts.fitIntercept !== false) {
        const g = fitBayesianRidgeGram(stats(X, n, p, y), opts);
        expect(maxRel(g.coef, r.coef)).toBeLessThan(1e-9);
        expect(rel(g.alpha, r.alpha)).toBeLessThan(1e-9);
        expect(rel(g.lambda, r.lambda)).toBeLessThan(1e-9);
        expect(g.nIter).toBe(r.nIter);
        expect(maxRel(g.sigma, r.sigma)).toBeLessThan(1e-9);
      }
    });
  }

  it('a noiseless fit: the residual comes from an exact pass over the rows, not the cancelling shortcut', () => {
    const { X, y } = problem(50, 3, 7, 0);
    const r = fitBayesianRidgeMatrix(X, 50, 3, y);
    expect(maxRel(r.coef, [1.2, -0.7, 1.2])).toBeLessThan(1e-6);
    expect(r.alpha).toBeGreaterThan(1e7);
    // without the Gamma prior's rate, alpha = n / rss: the shortcut's rounding noise would decide it
    const sharp = fitBayesianRidgeMatrix(X, 50, 3, y, { alpha2: 0 });
    expect(sharp.alpha).toBeGreaterThan(1e20);
    expect(Number.isFinite(sharp.alpha)).toBe(true);
    const s = stats(X, 50, 3, y);
    let calls = 0;
    const exact = (coef: Float64Array) => {
      calls++;
      let rss = 0;
      for (let i = 0; i < 50; i++) {
        let t = (y[i] as number) - s.yMean;
        for (let j = 0; j < 3; j++) t -= ((X[i * 3 + j] as number) - (s.xMean[j] as number)) * (coef[j] as number);
        rss += t * t;
      }
      return rss;
    };
    const g = fitBayesianRidgeGram(s, { alpha2: 0 }, exact);
    expect(calls).toBeGreaterThan(0);
    expect(g.alpha).toBeGreaterThan(1e20);
    expect(maxRel(g.coef, [1.2, -0.7, 1.2])).toBeLessThan(1e-9);
    // without exactRss the sum is floored: alpha stays finite
    const floored = fitBayesianRidgeGram(s, { alpha2: 0 });
    expect(Number.isFinite(floored.alpha)).toBe(true);
    expect(maxRel(floored.coef, [1.2, -0.7, 1.2])).toBeLessThan(1e-9);
    // the documented example
    const ex = fitBayesianRidgeGram({
      n: 3,
      p: 1,
      gram: Float64Array.of(2),
      xty: Float64Array.of(4.5),
      yty: 10.1667,
      xMean: Float64Array.of(2),
      yMean: 4.1667,
    });
    expect(Math.abs((ex.coef[0] as number) - 2.25)).toBeLessThan(0.05);
  });

  it('refuses bad input by name', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        if (isTesseraError(e)) return `${e.code}:${String(e.details.option)}`;
        throw e;
      }
      return 'none';
    };
    const X = new Float64Array([1, 2, 3, 4, 5, 7]);
    const y = new Float64Array([1, 2, 3]);
    expect(code(() => fitBayesianRidgeMatrix(X, 3, 2, y))).toBe('none');
    expect(code(() => fitBayesianRidgeMatrix(X, 2, 2, y))).toBe('E_SHAPE:X');
    expect(code(() => fitBayesianRidgeMatrix(X, 3, 2, y.subarray(0, 2)))).toBe('E_SHAPE:y');
    expect(code(() => fitBayesianRidgeMatrix(X, 0, 2, y))).toBe('E_SHAPE:n');
    expect(code(() => fitBayesianRidgeMatrix(X, 3, 2, Float64Array.of(1, Number.NaN, 3)))).toBe('E_NON_FINITE:y');
    expect(code(() => fitBayesianRidgeMatrix(Float64Array.of(1, 2, 3, Number.POSITIVE_INFINITY, 5, 6), 3, 2, y))).toBe('E_NON_FINITE:X');
    expect(code(() => fitBayesianRidgeMatrix(X, 3, 2, y, { columns: ['a'] }))).toBe('E_OPTION:columns');
    expect(code(() => fitBayesianRidgeMatrix(X, 3, 2, y, { maxIter: 0 }))).toBe('E_OPTION:maxIter');
    const s = stats(X, 3, 2, y);
    expect(code(() => fitBayesianRidgeGram({ ...s, gram: new Float64Array(3) }))).toBe('E_SHAPE:gram');
    expect(code(() => fitBayesianRidgeGram({ ...s, xty: Float64Array.of(1, Number.NaN) }))).toBe('E_NON_FINITE:xty');
    expect(code(() => fitBayesianRidgeGram({ ...s, yty: -1 }))).toBe('E_NON_FINITE:yty');
    expect(code(() => fitBayesianRidgeGram({ ...s, p: 0 }))).toBe('E_SHAPE:p');
    expect(X).toEqual(new Float64Array([1, 2, 3, 4, 5, 7]));
  });
});

describe('IterativeImputer per-column BayesianRidge (matrix route)', () => {
  it('saves each numeric column model as a FittedBayesianRidge and replays identically after load', async () => {
    const rng = new Rng(3);
    const a: (number | null)[] = [];
    const b: (number | null)[] = [];
    const c: (number | null)[] = [];
    for (let i = 0; i < 50; i++) {
      const z = rng.normal();
      a.push(i % 7 === 1 ? null : z);
      b.push(i % 5 === 2 ? null : 2 * z + 0.1 * rng.normal());
      c.push(i % 9 === 4 ? null : -z + 0.2 * rng.normal());
    }
    const ds = Dataset.from({ a, b, c });
    const fitted = await new IterativeImputer({ roundIntegers: false }).fit(ds);
    const json = JSON.parse(JSON.stringify(fitted.toJSON()));
    const step = json.state.chains[0][0][0].model;
    expect(step.json.type).toBe('FittedBayesianRidge');
    expect(step.json.state.columns).toEqual(['f0', 'f1']);
    const { load } = await import('../../src/index.js');
    const again = load<typeof fitted>(json);
    const copy = Dataset.from({ a, b, c });
    expect(again.transform(copy).toRows()).toEqual(fitted.transform(ds).toRows());
    // sampling on an all-numeric table (running Gram sums updated with the draws): chains differ, seeded
    const draw = async () => (await new IterativeImputer({ sampleFromPosterior: true, m: 2, seed: 4, maxIter: 3 }).fit(ds)).transformMultiple(ds);
    const [c0, c1] = await draw();
    expect(c0?.get(2, 'b')).not.toBe(c1?.get(2, 'b'));
    expect((await draw())[1]?.toRows()).toEqual(c1?.toRows());
    // b is 2a: its fills follow a
    const out = fitted.transform(ds);
    for (let i = 2; i < 50; i += 5) if (a[i] !== null) expect(Math.abs((out.get(i, 'b') as number) - 2 * (a[i] as number))).toBeLessThan(0.4);
  });
});
