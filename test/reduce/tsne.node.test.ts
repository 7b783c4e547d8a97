import { describe, expect, it } from 'vitest';
import { Dataset, PCA, TSNE, trustworthiness } from '../../src/index.js';
import { digits, HAS_DATA, reference, scaledSet } from '../cluster/data.js';

describe.skipIf(!HAS_DATA)('t-SNE and trustworthiness against scikit-learn (needs ../shared/data)', () => {
  const ref = HAS_DATA ? reference() : undefined;

  it('trustworthiness equals scikit-learn on PCA embeddings of the five sets', async () => {
    for (const [name, r] of Object.entries(ref?.sets ?? {})) {
      const { ds, X, d } = scaledSet(name, r.columns);
      const pca = await new PCA({ nComponents: 2 }).fit(ds);
      expect(trustworthiness(X, d, pca.scores(ds), 2, 5), name).toBeCloseTo(r.trustworthiness_pca2_k5, 10);
    }
  });

  it('Barnes-Hut and exact t-SNE on 400 digits are at least as trustworthy as scikit-learn minus 0.01', async () => {
    const { X, n, d } = digits(400);
    const ds = Dataset.fromMatrix(X, n, d);
    const tw = ref?.tsne_digits400.trustworthiness_k5 as { barnes_hut: number[]; exact: number[] };
    const bh = await new TSNE({ seed: 0 }).fit(ds);
    expect(trustworthiness(X, d, bh.embedding, 2, 5)).toBeGreaterThanOrEqual(Math.min(...tw.barnes_hut) - 0.01);
    expect(bh.klDivergence).toBeLessThan(1.5);
    const exact = await new TSNE({ seed: 0, method: 'exact', maxIter: 400 }).fit(ds);
    expect(trustworthiness(X, d, exact.embedding, 2, 5)).toBeGreaterThanOrEqual(Math.min(...tw.exact) - 0.01);
  });
});
