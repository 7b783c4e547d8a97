import { describe, expect, it } from 'vitest';
import { Dataset, isTesseraError, load, PCA, Rng } from '../../src/index.js';
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

  /** n rows (not a multiple of the 256-row block nor of 4) of 7 correlated columns. */
  function correlated(n: number, seed = 3): { ds: Dataset; X: Float64Array; d: number } {
    const d = 7;
    const rng = new Rng(seed);
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      for (let j = 0; j < d; j++) X[i * d + j] = (j + 1) * z + rng.normal() * (j % 3) + 100 * j;
    }
    return { ds: Dataset.fromMatrix(X, n, d), X, d };
  }

  it('blocked covariance over several row blocks gives eigenpairs of the naive covariance', async () => {
    const n = 1003;
    const { ds, X, d } = correlated(n);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (X[i * d + j] as number) / n;
    const C = new Float64Array(d * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++)
        for (let l = 0; l < d; l++)
          C[j * d + l] =
            (C[j * d + l] as number) + (((X[i * d + j] as number) - (mean[j] as number)) * ((X[i * d + l] as number) - (mean[l] as number))) / (n - 1);
    const pca = await new PCA().fit(ds);
    for (let c = 0; c < d; c++) {
      const lambda = pca.explainedVariance[c] as number;
      for (let j = 0; j < d; j++) {
        let cv = 0;
        for (let l = 0; l < d; l++) cv += (C[j * d + l] as number) * (pca.components[c * d + l] as number);
        expect(Math.abs(cv - lambda * (pca.components[c * d + j] as number))).toBeLessThan(1e-9 * (pca.explainedVariance[0] as number));
      }
      // sign convention: the score of largest magnitude is positive
      const s = pca.scores(ds);
      let best = 0;
      for (let i = 0; i < n; i++) if (Math.abs(s[i * d + c] as number) > Math.abs(best)) best = s[i * d + c] as number;
      expect(best).toBeGreaterThan(0);
    }
  });

  it('transform right after fit (scores kept from fit) equals a fresh projection bit for bit', async () => {
    const { ds, X, d } = correlated(517, 5);
    for (const whiten of [false, true]) {
      const fitted = await new PCA({ nComponents: 5, whiten }).fit(ds);
      const first = fitted.transform(ds); // reuses the scores computed for the sign convention
      const copy = Dataset.fromMatrix(X.slice(), 517, d); // another Dataset: projected afresh
      const again = (load(fitted.toJSON()) as typeof fitted).transform(copy);
      const names = ['pc0', 'pc1', 'pc2', 'pc3', 'pc4'];
      const a = first.matrix(names);
      const b = again.matrix(names);
      for (let q = 0; q < a.length; q++) expect(Object.is(a[q], b[q])).toBe(true);
      expect(Array.from(fitted.transform(ds).matrix(names))).toEqual(Array.from(a));
    }
  });

  it('row-major input (a boolean column) gives the same components as column input', async () => {
    const flags = [true, false, false, true, true, false, true, false, true];
    const a = [1, 3, 2, 5, 4, 6, 8, 7, 9];
    const b = [2, 1, 4, 3, 6, 5, 8, 9, 7];
    const asBool = await new PCA().fit(Dataset.from({ a, b, f: flags }));
    const asNum = await new PCA().fit(Dataset.from({ a, b, f: flags.map(Number) }));
    for (let q = 0; q < 9; q++) expect(asBool.components[q]).toBeCloseTo(asNum.components[q] as number, 12);
  });
});
