import { describe, expect, it } from 'vitest';
import { useRcfWasm } from '../../src/detect/rrcf-kernel.js';
import { load, RandomCutForest, type RandomCutForestOptions, Rng } from '../../src/index.js';

/** The internals a structural check needs (private fields of the forest and its trees). */
interface TreeView {
  f: Float64Array;
  g: Int32Array;
  s: number;
  d: number;
  root: number;
  leafOf: Int32Array;
}

/** Checks every invariant of a random cut tree: masses add up, boxes are the bounding boxes of the
 * points below, cuts separate the subtrees, parents point back, and the leaves hold the live points. */
function checkTree(t: TreeView, live: number): void {
  const { f, g, s, d } = t;
  let leaves = 0;
  const visit = (n: number, parent: number): { lo: number[]; hi: number[]; mass: number } => {
    expect(g[n * 5 + 2]).toBe(parent);
    const left = g[n * 5] as number;
    if (left === -1) {
      const pt = Array.from(f.subarray(n * s, n * s + d));
      expect(Array.from(f.subarray(n * s + d, n * s + 2 * d))).toEqual(pt);
      leaves += g[n * 5 + 3] as number;
      return { lo: pt, hi: pt, mass: g[n * 5 + 3] as number };
    }
    const right = g[n * 5 + 1] as number;
    const a = visit(left, n);
    const b = visit(right, n);
    const dim = g[n * 5 + 4] as number;
    const cut = f[n * s + 2 * d] as number;
    expect(a.hi[dim] as number).toBeLessThanOrEqual(cut);
    expect(b.lo[dim] as number).toBeGreaterThan(cut);
    const lo = a.lo.map((v, j) => Math.min(v, b.lo[j] as number));
    const hi = a.hi.map((v, j) => Math.max(v, b.hi[j] as number));
    expect(Array.from(f.subarray(n * s, n * s + d))).toEqual(lo);
    expect(Array.from(f.subarray(n * s + d, n * s + 2 * d))).toEqual(hi);
    expect(g[n * 5 + 3]).toBe(a.mass + b.mass);
    return { lo, hi, mass: a.mass + b.mass };
  };
  visit(t.root, -1);
  expect(leaves).toBe(live);
}

const rng = new Rng(11);
// a noisy sine with spikes and long runs of exact duplicates (a stuck sensor)
const values = Array.from({ length: 1500 }, (_, i) =>
  i >= 600 && i < 700 ? 2 : Math.round(100 * Math.sin(i / 9) + 10 * rng.normal()) / 50 + (i % 400 === 0 ? 9 : 0),
);

describe('RandomCutForest internals', () => {
  it('keeps every tree consistent (masses, boxes, cuts, parents) through insertions, evictions and duplicates', () => {
    const forest = new RandomCutForest({ numTrees: 3, treeSize: 32, shingleSize: 3, seed: 4 });
    values.forEach((v, i) => {
      forest.update(v);
      if (i % 97 === 0 || (i > 600 && i < 640)) {
        const live = Math.min(32, Math.max(0, i + 1 - 2));
        for (const t of (forest as unknown as { trees: TreeView[] }).trees) if (live > 0) checkTree(t, live);
      }
    });
  });

  it('serialises the running state: a restored forest continues with identical scores', () => {
    const a = new RandomCutForest({ numTrees: 5, treeSize: 40, shingleSize: 2, seed: 9 });
    for (const v of values.slice(0, 700)) a.update(v);
    const b = load<RandomCutForest>(JSON.parse(JSON.stringify(a.toJSON())));
    expect(b.count).toBe(a.count);
    for (const v of values.slice(700)) expect(b.update(v)).toBe(a.update(v));
    expect(() => load({ ...a.toJSON(), state: { ...(a.toJSON().state as object), trees: [] } })).toThrow(/does not match/);
  });

  it('scores the spikes far above the typical point', () => {
    const forest = new RandomCutForest({ numTrees: 20, treeSize: 128, shingleSize: 1, seed: 1 });
    const s = values.map((v) => forest.update(v));
    const typical = [...s.slice(200, 1500)].sort((x, y) => x - y)[650] as number;
    for (const i of [400, 800, 1200]) expect(s[i] as number).toBeGreaterThan(3 * typical);
  });
});

describe('RandomCutForest WebAssembly step', () => {
  const make = (wasm: boolean, o: RandomCutForestOptions): RandomCutForest => {
    const was = useRcfWasm(wasm);
    try {
      return new RandomCutForest(o);
    } finally {
      useRcfWasm(was);
    }
  };
  const usesWasm = (f: RandomCutForest): boolean => (f as unknown as { step: unknown }).step !== null;

  it('is used where WebAssembly exists, and gives the same bits as the JavaScript trees', () => {
    for (const o of [
      { numTrees: 7, treeSize: 50, shingleSize: 3, seed: 2 },
      { numTrees: 4, treeSize: 16, shingleSize: 1, seed: 5 },
      { numTrees: 3, treeSize: 64, shingleSize: 9, seed: 8, warmup: 0 },
    ]) {
      const w = make(true, o);
      const j = make(false, o);
      expect(usesWasm(w)).toBe(typeof WebAssembly === 'object');
      expect(usesWasm(j)).toBe(false);
      let nonzero = 0;
      for (const v of values) {
        const a = w.update(v);
        expect(a).toBe(j.update(v));
        if (a > 0) nonzero++;
      }
      expect(nonzero).toBeGreaterThan(values.length / 2);
      // both end with the same trees, byte for byte
      expect(w.toJSON()).toEqual(j.toJSON());
    }
  });

  it('restores a state saved by either path into the other', () => {
    const o = { numTrees: 5, treeSize: 40, shingleSize: 2, seed: 9 };
    for (const [from, to] of [
      [true, false],
      [false, true],
    ] as const) {
      const a = make(from, o);
      for (const v of values.slice(0, 700)) a.update(v);
      const was = useRcfWasm(to);
      const b = load<RandomCutForest>(JSON.parse(JSON.stringify(a.toJSON())));
      useRcfWasm(was);
      expect(usesWasm(b)).toBe(to && typeof WebAssembly === 'object');
      for (const v of values.slice(700)) expect(b.update(v)).toBe(a.update(v));
    }
  });

  it('reset empties the forest: it then replays a stream exactly as a new forest does', () => {
    const o = { numTrees: 4, treeSize: 30, shingleSize: 2, seed: 3 };
    const a = new RandomCutForest(o);
    const first = values.slice(0, 300).map((v) => a.update(v));
    a.reset();
    expect(a.count).toBe(0);
    expect(values.slice(0, 300).map((v) => a.update(v))).toEqual(first);
    expect(first.some((v) => v > 0)).toBe(true);
  });

  it('refuses a damaged state with E_SERIALIZATION (counts, window position, links out of the tree)', () => {
    const a = new RandomCutForest({ numTrees: 2, treeSize: 16, shingleSize: 2, seed: 1 });
    for (const v of values.slice(0, 100)) a.update(v);
    const json = a.toJSON();
    const state = json.state as { trees: Record<string, unknown>[] } & Record<string, unknown>;
    const tree = state.trees[0] as Record<string, unknown>;
    for (const broken of [{ n: -1 }, { next: 16 }, { filled: 17 }, { trees: [{ ...tree, root: 999 }, tree] }, { trees: [{ ...tree, nFree: -2 }, tree] }]) {
      expect(() => load({ ...json, state: { ...state, ...broken } })).toThrow(expect.objectContaining({ code: 'E_SERIALIZATION' }));
    }
  });

  it('refuses a non-finite coordinate in updatePoint, naming the detector', () => {
    const f = new RandomCutForest({ shingleSize: 2 });
    expect(() => f.updatePoint([1, Number.NaN])).toThrow(/RandomCutForest/);
  });
});
