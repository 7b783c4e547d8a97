import { describe, expect, it } from 'vitest';
import { PCA } from '../../src/index.js';
import { HAS_DATA, reference, scaledSet } from '../cluster/data.js';

describe.skipIf(!HAS_DATA)('PCA matches scikit-learn (svd_solver="full") on the shared data (needs ../shared/data)', () => {
  const ref = HAS_DATA ? reference() : { sets: {} as ReturnType<typeof reference>['sets'] };
  for (const [name, r] of Object.entries(ref.sets)) {
    it(`${name}: components equal up to sign at 1e-8, explained variance, scores, whitening`, async () => {
      const { ds, d } = scaledSet(name, r.columns);
      for (const solver of ['covariance', 'gram'] as const) {
        const pca = await new PCA({ solver }).fit(ds);
        expect(pca.nComponents).toBe(d);
        r.pca.components.forEach((comp, c) => {
          // same sign convention as sklearn's svd_flip, so no flip is needed
          comp.forEach((v, j) => expect(Math.abs((pca.components[c * d + j] as number) - v)).toBeLessThan(1e-8));
          expect(pca.explainedVariance[c]).toBeCloseTo(r.pca.explained_variance[c] as number, 10);
          expect(pca.explainedVarianceRatio[c]).toBeCloseTo(r.pca.explained_variance_ratio[c] as number, 10);
        });
        const scores = pca.scores(ds.slice(0, 5));
        r.pca.scores_head.forEach((row, i) => row.forEach((v, c) => expect(scores[i * d + c]).toBeCloseTo(v, 8)));
        const back = pca.inverseTransform(pca.transform(ds));
        const orig = ds.matrix(r.columns);
        const rec = back.matrix(r.columns);
        for (let i = 0; i < orig.length; i++) expect(rec[i]).toBeCloseTo(orig[i] as number, 9);
      }
      const w = await new PCA({ nComponents: 2, whiten: true }).fit(ds);
      const ws = w.scores(ds.slice(0, 5));
      r.pca_whiten2.scores_head.forEach((row, i) => row.forEach((v, c) => expect(ws[i * 2 + c]).toBeCloseTo(v, 8)));
    });
  }
});
