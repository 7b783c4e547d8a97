import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/index.js';
import { bhGradient, exactAffinities, exactGradient, knnAffinities, QuadTree } from '../../src/reduce/tsne-core.js';

/** 40 rows of 3 columns in 4 groups. */
function data(seed: number): { X: Float64Array; n: number; d: number } {
  const rng = new Rng(seed);
  const n = 40;
  const d = 3;
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = (i % 4) * 3 + rng.normal();
  return { X, n, d };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

describe('t-SNE affinities and Barnes-Hut gradient', () => {
  it('kNN affinities equal the dense ones when every row is a neighbour (3·perplexity + 1 >= n - 1)', () => {
    const { X, n, d } = data(4);
    const P = knnAffinities(X, n, d, 13);
    const E = exactAffinities(X, n, d, 13).dense as Float64Array;
    expect(P.idx.length).toBe(n * (n - 1));
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let e = P.ptr[i] as number; e < (P.ptr[i + 1] as number); e++) {
        const j = P.idx[e] as number;
        if (e > (P.ptr[i] as number)) expect(j).toBeGreaterThan(P.idx[e - 1] as number); // sorted rows
        expect(P.val[e]).toBeCloseTo(E[i * n + j] as number, 15);
        expect(P.val[e]).toBe(P.val[(P.ptr[j] as number) + (i < j ? i : i - 1)]); // symmetric
        sum += P.val[e] as number;
      }
    }
    expect(sum).toBeCloseTo(1, 12);
  });

  it('with angle 0 the tree gradient equals the exact gradient; with 0.5 it stays close', () => {
    const { X, n, d } = data(5);
    const P = knnAffinities(X, n, d, 13);
    const E = exactAffinities(X, n, d, 13).dense as Float64Array;
    const rng = new Rng(9);
    const tree = new QuadTree(n);
    for (const scale of [1e-4, 1, 20]) {
      const Y = new Float64Array(2 * n);
      for (let q = 0; q < Y.length; q++) Y[q] = scale * rng.normal();
      const exact = new Float64Array(2 * n);
      const klExact = exactGradient(E, Y, n, 2, 12, exact, true);
      const bh = new Float64Array(2 * n);
      const kl = bhGradient(P, Y, n, 12, tree, 0, bh, true);
      const m = maxAbs(exact);
      for (let q = 0; q < bh.length; q++) expect(Math.abs((bh[q] as number) - (exact[q] as number))).toBeLessThan(1e-9 * m);
      expect(kl).toBeCloseTo(klExact, 8);
      const approx = new Float64Array(2 * n);
      bhGradient(P, Y, n, 12, tree, 0.25, approx, false);
      for (let q = 0; q < bh.length; q++) expect(Math.abs((approx[q] as number) - (exact[q] as number))).toBeLessThan(0.1 * m);
    }
  });

  it('coincident points: no self force, finite gradient, tree counts every point', () => {
    const n = 12;
    const Y = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      Y[2 * i] = i < 6 ? 1 : -2; // two stacks of six identical points
      Y[2 * i + 1] = i < 6 ? 0.5 : 3;
    }
    const X = new Float64Array(n);
    for (let i = 0; i < n; i++) X[i] = i;
    const P = knnAffinities(X, n, 1, 3);
    const tree = new QuadTree(n);
    const g = new Float64Array(2 * n);
    bhGradient(P, Y, n, 1, tree, 0.25, g, true);
    for (const v of g) expect(Number.isFinite(v)).toBe(true);
    expect(tree.node[3]).toBe(n); // the root cell counts all points
    expect(tree.nodes).toBe(3); // root + two leaves holding six duplicates each
  });
});
