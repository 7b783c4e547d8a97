import { describe, expect, it } from 'vitest';
import fx from '../../benchmarks/reference/detect_iforest_trees.json';
import { float32Cut, growSklearnForest, NumpyRandomState, sampleWithoutReplacement } from '../../src/detect/sklearn-iforest.js';
import { averagePathLength, Dataset, IsolationForest, Rng } from '../../src/index.js';

const X = fx.X as number[][];
const n = X.length;
const p = 3;
const cols = { a: X.map((r) => r[0] as number), b: X.map((r) => r[1] as number), c: X.map((r) => r[2] as number) };
const data32 = Float64Array.from(X.flat(), (v) => Math.fround(v));

describe('scikit-learn-compatible random streams', () => {
  it("NumPy's legacy RandomState: masked bounded integers and permutation", () => {
    const r = new NumpyRandomState(5);
    expect(Array.from({ length: 5 }, () => r.randint(2 ** 31 - 1))).toEqual(fx.randint_2_31);
    expect(Array.from(new NumpyRandomState(7).permutation(10))).toEqual(fx.permutation_10);
  });

  it("scikit-learn's sample_without_replacement: permutation, tracking selection and reservoir sampling", () => {
    for (const [key, want] of Object.entries(fx.swr)) {
      const [nPop, k] = key.split('_').map(Number) as [number, number];
      expect(Array.from(sampleWithoutReplacement(nPop, k, new NumpyRandomState(3)).slice(0, 12)), key).toEqual(want);
    }
  });

  it('float32Cut moves float32 rounding into the threshold: x <= cut exactly when fround(x) <= thr', () => {
    const rng = new Rng(1);
    const near = (v: number, k: number): number => {
      const d = new Float64Array([v]);
      const b = new BigInt64Array(d.buffer);
      b[0] = (b[0] as bigint) + BigInt(k) * (v >= 0 ? 1n : -1n);
      return d[0] as number;
    };
    for (let t = 0; t < 400; t++) {
      const thr = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 8 - 4);
      const cut = float32Cut(thr);
      const f = Math.fround(thr);
      // candidates around the threshold, the float32 neighbours and the midpoints between them
      for (const base of [thr, f, cut, (f + Math.fround(f * (1 + 2 ** -23))) / 2, (f + Math.fround(f * (1 - 2 ** -23))) / 2]) {
        for (let k = -3; k <= 3; k++) {
          const x = near(base, k);
          expect(x <= cut, `thr ${thr} x ${x}`).toBe(Math.fround(x) <= thr);
        }
      }
    }
  });
});

describe('IsolationForest grows scikit-learn 1.2 trees (benchmarks/reference/detect_iforest_trees.py)', () => {
  for (const fit of fx.fits) {
    const nFeat = Math.max(1, Math.floor(fit.maxFeatures * p));
    it(`seed ${fit.seed}, max_features ${fit.maxFeatures.toFixed(2)}: same trees (preorder) and scores`, async () => {
      const forest = growSklearnForest(data32, n, p, Math.min(256, n), nFeat, fit.trees.length, fit.seed, (d, s) => d + averagePathLength(s));
      fit.trees.forEach((want, t) => {
        const feats: number[] = [];
        const thrs: number[] = [];
        const walk = (node: number): void => {
          const f = forest.feature[node] as number;
          feats.push(f < 0 ? -2 : f);
          thrs.push(f < 0 ? -2 : (forest.split[node] as number));
          if (f >= 0) {
            walk(forest.left[node] as number);
            walk((forest.left[node] as number) + 1);
          }
        };
        walk(forest.roots[t] as number);
        expect(feats, `tree ${t}`).toEqual(want.feature);
        expect(thrs, `tree ${t}`).toEqual(want.threshold.map((v, i) => (want.feature[i] === -2 ? -2 : float32Cut(v))));
      });
      const fitted = await new IsolationForest({ seed: fit.seed, nEstimators: fit.trees.length, maxFeatures: fit.maxFeatures }).fit(Dataset.from(cols));
      const s = fitted.score(Dataset.from(cols));
      fit.score.forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
    });
  }
});
