import { describe, expect, it } from 'vitest';
import { Dataset, isTesseraError, PCA } from '../../src/index.js';
import { conformance } from '../conformance.js';

const data = () =>
  Dataset.from({ a: [1, 2, 3, 4, 5, 6], b: [2, 4.1, 5.9, 8.2, 9.9, 12.1], c: [0, 1, 0, 1, 0, 1], id: ['p', 'q', 'r', 's', 't', 'u'] }, { roles: { id: 'id' } });
const withMissing = () => Dataset.from({ a: [1, null, 3, 4], b: [1, 2, 3, 5] });

conformance({
  name: 'PCA',
  make: (o) => new PCA(o),
  data,
  withMissing,
  oneRow: 'error',
  badOptions: [{ nComponents: 0 }, { nComponents: 1.5 }, { whiten: 'yes' }, { solver: 'svd' }],
});

describe('PCA', () => {
  it('outputs components and passes id/target/time columns through', async () => {
    const ds = data();
    const pca = await new PCA({ nComponents: 2 }).fit(ds);
    const out = pca.transform(ds);
    expect(out.columnNames).toEqual(['pc0', 'pc1', 'id']);
    expect(out.role('id')).toBe('id');
    expect(pca.inputColumns).toEqual(['a', 'b', 'c']);
    // the first component carries almost all the variance of the a/b line
    expect(pca.explainedVarianceRatio[0]).toBeGreaterThan(0.9);
  });

  it('picks the number of components from a variance fraction', async () => {
    const pca = await new PCA({ nComponents: 0.9 }).fit(data());
    expect(pca.nComponents).toBe(1);
  });

  it('handles a constant column and wide data (Gram solver)', async () => {
    const ds = Dataset.from({ a: [1, 2, 3], b: [5, 5, 5], c: [3, 1, 2], d: [0, 1, 1], e: [1, 1, 2] });
    const cov = await new PCA({ solver: 'covariance' }).fit(ds);
    const gram = await new PCA().fit(ds); // 5 columns > 3 rows: Gram matrix
    expect(gram.nComponents).toBe(3);
    for (let c = 0; c < 2; c++) {
      expect(gram.explainedVariance[c]).toBeCloseTo(cov.explainedVariance[c] as number, 10);
      for (let j = 0; j < 5; j++) expect(gram.components[c * 5 + j]).toBeCloseTo(cov.components[c * 5 + j] as number, 8);
    }
    const white = await new PCA({ whiten: true }).fit(ds);
    for (const v of white.scores(ds)) expect(Number.isFinite(v)).toBe(true);
  });

  it('refuses too many components, non-numeric columns and NaN by name', async () => {
    await expect(new PCA({ nComponents: 4 }).fit(data())).rejects.toMatchObject({ code: 'E_OPTION', details: { option: 'nComponents' } });
    const cat = Dataset.from({ a: [1, 2, 3], g: ['x', 'y', 'x'] });
    await expect(new PCA().fit(cat)).rejects.toSatisfy((e) => isTesseraError(e, 'E_SCHEMA') && e.message.includes('"g"') && /encode/i.test(e.message));
    await expect(new PCA().fit(withMissing())).rejects.toSatisfy(
      (e) => isTesseraError(e, 'E_MISSING_VALUES') && e.message.includes('"a"') && /Imputer/.test(e.message),
    );
  });
});
