import { describe, expect, it } from 'vitest';
import { Dataset, KMeans, kmeansPlusPlus, Rng, runKMeans } from '../../src/index.js';

/** n x d uniform in [-1, 1]^d (no cluster structure: many Lloyd iterations). */
function uniform(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.uniform(-1, 1);
  return X;
}

/** Points on a small integer grid, many repeated: exact distance ties between centres are common. */
function grid(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.int(4);
  return X;
}

/** Plain Lloyd on the same seeds, written out naively (fresh sums, full scans): the reference. */
function naiveLloyd(X: Float64Array, n: number, d: number, k: number, init: Float64Array, iterations: number): Int32Array {
  const C = Float64Array.from(init);
  const labels = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) {
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let q = 0; q < d; q++) s += ((X[i * d + q] as number) - (C[j * d + q] as number)) ** 2;
        if (s < best) {
          best = s;
          labels[i] = j;
        }
      }
    }
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const a = labels[i] as number;
      counts[a] = (counts[a] as number) + 1;
      for (let q = 0; q < d; q++) sums[a * d + q] = (sums[a * d + q] as number) + (X[i * d + q] as number);
    }
    for (let j = 0; j < k; j++) if ((counts[j] as number) > 0) for (let q = 0; q < d; q++) C[j * d + q] = (sums[j * d + q] as number) / (counts[j] as number);
  }
  return labels;
}

describe('KMeans kernels: Hamerly and Lloyd agree to the last bit', () => {
  for (const [name, make, n, d, k] of [
    ['uniform 3,000 x 7, k = 9 (over 32 iterations: running sums refreshed)', uniform, 3000, 7, 9],
    ['uniform 1,500 x 2, k = 5', uniform, 1500, 2, 5],
    ['integer grid 800 x 3, k = 6 (exact ties)', grid, 800, 3, 6],
  ] as const) {
    it(name, async () => {
      const X = make(n, d, 3);
      for (const seed of [0, 1]) {
        const opts = { nInit: 1, maxIter: 300, tol: 0 };
        const h = await runKMeans(X, n, d, k, { rng: new Rng(seed), ...opts, algorithm: 'hamerly' });
        const l = await runKMeans(X, n, d, k, { rng: new Rng(seed), ...opts, algorithm: 'lloyd' });
        expect(h.iterations).toBe(l.iterations);
        expect(Array.from(h.labels)).toEqual(Array.from(l.labels));
        expect(Array.from(h.centers)).toEqual(Array.from(l.centers));
        expect(h.inertia).toBe(l.inertia);
        if (make === uniform) expect(h.iterations).toBeGreaterThan(k === 9 ? 32 : 3);
        // same partition as a naive Lloyd from the same seeds (up to float summation order)
        const ref = naiveLloyd(X, n, d, k, kmeansPlusPlus(X, n, d, k, new Rng(seed)), h.iterations);
        let same = 0;
        for (let i = 0; i < n; i++) if (ref[i] === h.labels[i]) same++;
        expect(same / n).toBeGreaterThan(make === grid ? 0.95 : 0.999);
      }
    });
  }

  it('predict on the training rows gives the fit labels; inputs are not mutated', async () => {
    const n = 2000;
    const d = 6;
    const X = uniform(n, d, 5);
    const copy = Float64Array.from(X);
    const ds = Dataset.fromMatrix(X, n, d);
    const fitted = await new KMeans({ k: 8, seed: 4 }).fit(ds);
    expect(Array.from(fitted.predict(ds))).toEqual(Array.from(fitted.labels));
    expect(Array.from(X)).toEqual(Array.from(copy));
    let inertia = 0;
    const dist = fitted.distances(ds);
    for (let i = 0; i < n; i++) inertia += (dist[i * 8 + (fitted.labels[i] as number)] as number) ** 2;
    expect(fitted.inertia).toBeCloseTo(inertia, 8);
  });

  it('an empty cluster is relocated to the farthest row, alike in both algorithms', async () => {
    const n = 300;
    const d = 2;
    const X = uniform(n, d, 9);
    // the third centre is far from every row: it empties at once
    const init = new Float64Array([-0.5, 0, 0.5, 0, 100, 100]);
    const h = await runKMeans(X, n, d, 3, { rng: new Rng(0), init, algorithm: 'hamerly', tol: 0 });
    const l = await runKMeans(X, n, d, 3, { rng: new Rng(0), init, algorithm: 'lloyd', tol: 0 });
    expect(Array.from(h.labels)).toEqual(Array.from(l.labels));
    expect(new Set(h.labels).size).toBe(3);
    for (const v of h.centers) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});
