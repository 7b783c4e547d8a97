import { describe, expect, it } from 'vitest';
import { seedArena, useKMeansWasm } from '../../src/cluster/distance-kernel.js';
import { KMeans, Rng, runKMeans, seedPlusPlus } from '../../src/index.js';

/** n x d values, uniform around a few shifted groups (so the seeding's bounds prune some rows). */
function data(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.uniform(-1, 1) + 3 * (Math.floor(i / d) % 4);
  return X;
}

const bits = (a: ArrayLike<number>): string[] => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

/** Runs `f` with the WebAssembly kernel on or off. */
function withWasm<T>(on: boolean, f: () => T): T {
  const was = useKMeansWasm(on);
  try {
    return f();
  } finally {
    useKMeansWasm(was);
  }
}

describe('KMeans WebAssembly SIMD seeding kernel: the same bits as the JavaScript fallback', () => {
  it('the WebAssembly kernel is in use here, and off when turned off', () => {
    const X = data(10, 3, 0);
    expect(seedArena(X, 10, 3, 2, 1)).not.toBeNull();
    expect(withWasm(false, () => seedArena(X, 10, 3, 2, 1))).toBeNull();
  });

  it('score1..score4 compute exact capped squared distances (even and odd columns summed apart)', () => {
    for (const [d, m] of [
      [1, 4],
      [2, 1],
      [5, 3],
      [10, 4],
      [7, 2],
    ] as const) {
      const n = 7;
      const X = data(n, d, d);
      const A = seedArena(X, n, d, 1, 1);
      if (!A) throw new Error('no WebAssembly');
      A.closest.fill(Number.POSITIVE_INFINITY);
      A.closest[3] = 0.5; // capped there
      A.assign.fill(0);
      A.bound[0] = Number.NEGATIVE_INFINITY;
      A.trial.fill(-1);
      A.score(0, m, 0, 2, 5, 6);
      const rows = [0, 2, 5, 6];
      const pot = [0, 0, 0, 0];
      for (let t = 0; t < 4; t++) {
        if (t >= m) {
          // rows of candidates past m are not written
          expect(Array.from(A.trial.subarray(t * n, (t + 1) * n))).toEqual(new Array(n).fill(-1));
          continue;
        }
        for (let i = 0; i < n; i++) {
          let s0 = 0;
          let s1 = 0;
          let q = 0;
          for (; q + 1 < d; q += 2) {
            s0 += ((X[i * d + q] as number) - (X[(rows[t] as number) * d + q] as number)) ** 2;
            s1 += ((X[i * d + q + 1] as number) - (X[(rows[t] as number) * d + q + 1] as number)) ** 2;
          }
          if (q < d) s0 += ((X[i * d + q] as number) - (X[(rows[t] as number) * d + q] as number)) ** 2;
          const want = i === 3 ? Math.min(0.5, s0 + s1) : s0 + s1;
          expect(A.trial[t * n + i]).toBe(want);
          pot[t] = (pot[t] as number) + want;
        }
        expect(A.pot[t]).toBe(pot[t]);
      }
      // a bound at or above closest leaves every row at closest
      A.closest.fill(2);
      A.bound[0] = 2;
      A.score(0, 4, 0, 1, 2, 3);
      expect(Array.from(A.trial.subarray(0, 4 * n))).toEqual(new Array(4 * n).fill(2));
      expect(Array.from(A.pot)).toEqual([2 * n, 2 * n, 2 * n, 2 * n]);
    }
  });

  // k = 1, 2, 3, 8, 25 give 1, 2, 3, 4 and 5 candidates per centre (padding, one and two groups)
  for (const [n, d, k] of [
    [600, 10, 8],
    [501, 7, 3],
    [300, 1, 2],
    [800, 3, 25],
    [200, 4, 1],
  ] as const) {
    it(`k-means++ seeds and full fits agree bit for bit: ${n} x ${d}, k = ${k}`, async () => {
      const X = data(n, d, k);
      for (const seed of [0, 1]) {
        const w = seedPlusPlus(X, n, d, k, new Rng(seed));
        const j = withWasm(false, () => seedPlusPlus(X, n, d, k, new Rng(seed)));
        expect(bits(w.centers)).toEqual(bits(j.centers));
        expect(Array.from(w.labels)).toEqual(Array.from(j.labels));
        expect(bits(w.dist)).toEqual(bits(j.dist));
        const fw = await runKMeans(X, n, d, k, { rng: new Rng(seed), nInit: 2 });
        const was = useKMeansWasm(false);
        let fj: Awaited<ReturnType<typeof runKMeans>>;
        try {
          fj = await runKMeans(X, n, d, k, { rng: new Rng(seed), nInit: 2 });
        } finally {
          useKMeansWasm(was);
        }
        expect(Array.from(fw.labels)).toEqual(Array.from(fj.labels));
        expect(bits(fw.centers)).toEqual(bits(fj.centers));
        expect(fw.inertia).toBe(fj.inertia);
        expect(fw.iterations).toBe(fj.iterations);
      }
    });
  }

  it('KMeans fits do not depend on the kernel, and reuse of the kernel memory leaves no trace', async () => {
    const n = 400;
    const X = data(n, 6, 9);
    const { Dataset } = await import('../../src/index.js');
    const ds = Dataset.fromMatrix(X, n, 6);
    const a = await new KMeans({ k: 5, seed: 3, nInit: 3 }).fit(ds);
    // a larger seeding in between fills the kernel memory with other numbers
    seedPlusPlus(data(3000, 9, 1), 3000, 9, 12, new Rng(0));
    const b = await new KMeans({ k: 5, seed: 3, nInit: 3 }).fit(ds);
    const was = useKMeansWasm(false);
    let c: typeof a;
    try {
      c = await new KMeans({ k: 5, seed: 3, nInit: 3 }).fit(ds);
    } finally {
      useKMeansWasm(was);
    }
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(c.labels)).toEqual(Array.from(a.labels));
    expect(bits(c.centroids)).toEqual(bits(a.centroids));
    expect(c.inertia).toBe(a.inertia);
  });
});
