import { describe, expect, it } from 'vitest';
import {
  BayesianRidge,
  Dataset,
  ElasticNet,
  isTesseraError,
  Lasso,
  LinearRegression,
  LogisticRegression,
  lbfgs,
  type Model,
  Ridge,
  RidgeCV,
} from '../../src/index.js';
import { BLOCK, columnKernel, useWasmKernels } from '../../src/model/linear/column-kernel.js';
import { conformance } from '../conformance.js';

const n = 24;
const x1 = Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
const x2 = Array.from({ length: n }, (_, i) => (i % 5) - 2);
const y = x1.map((v, i) => 1.5 * v - 0.7 * (x2[i] as number) + 3 + 0.1 * Math.cos(i * 3));
const label = y.map((v, i) => (v + 0.8 * Math.sin(i * 7) > 3 ? 'yes' : 'no'));
const species = x1.map((v, i) => (v > 0.8 ? 'a' : (x2[i] as number) > 0 ? 'b' : 'c'));
const data = () => Dataset.from({ x1, x2, y, label, species }, { roles: { label: 'id', species: 'id' } });
const withMissing = () => Dataset.from({ x1: [1, null, 3, 4], x2: [0, 1, 0, 1], y: [1, 2, 3, 4] });

const regressors: Array<[string, (o?: Record<string, unknown>) => Model, Record<string, unknown>[]]> = [
  ['LinearRegression', (o) => new LinearRegression(o), [{ fitIntercept: 'yes' }]],
  ['Ridge', (o) => new Ridge(o), [{ alpha: -1 }]],
  ['RidgeCV', (o) => new RidgeCV(o), [{ alphas: [] }, { alphas: [0] }]],
  ['Lasso', (o) => new Lasso(o), [{ alpha: 0 }, { maxIter: 0 }]],
  ['ElasticNet', (o) => new ElasticNet(o), [{ l1Ratio: 2 }, { tol: 0 }]],
  ['BayesianRidge', (o) => new BayesianRidge(o), [{ maxIter: 0 }, { alpha1: -1 }]],
];
for (const [name, make, badOptions] of regressors) {
  conformance({ name, make, data, fitOptions: { target: 'y' }, badOptions, withMissing });
}
conformance({
  name: 'LogisticRegression (binary)',
  make: (o) => new LogisticRegression(o),
  data: () => data().withRoles({ label: null, y: 'id' }),
  fitOptions: { target: 'label' },
  badOptions: [{ C: 0 }, { classWeight: 'even' }],
  withMissing: () => Dataset.from({ x1: [1, null, 3, 4], label: ['a', 'b', 'a', 'b'] }),
  oneRow: 'error',
});
conformance({
  name: 'LogisticRegression (multinomial)',
  make: (o) => new LogisticRegression(o),
  data: () => data().withRoles({ species: null, y: 'id' }),
  fitOptions: { target: 'species' },
  badOptions: [{ maxIter: 0 }],
  withMissing: () => Dataset.from({ x1: [1, null, 3, 4], species: ['a', 'b', 'c', 'b'] }),
  oneRow: 'error',
});

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    if (typeof p === 'function') await p();
    else await p;
  } catch (e) {
    if (isTesseraError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('linear models: bad input', () => {
  it('target missing, absent, constant or with one class', async () => {
    const ds = Dataset.from({ x: [1, 2, 3], y: [1, null, 3], c: ['a', 'a', 'a'] });
    expect(await codeOf(new LinearRegression().fit(ds, { target: 'y' }))).toBe('E_MISSING_VALUES');
    expect(await codeOf(new LinearRegression().fit(ds.drop(['y'])))).toBe('E_OPTION');
    expect(await codeOf(new LinearRegression().fit(ds, { target: 'nope' }))).toBe('E_COLUMN');
    expect(await codeOf(new LogisticRegression({ columns: ['x'] }).fit(ds, { target: 'c' }))).toBe('E_SCHEMA');
    // a constant regression target is fine: all coefficients 0, intercept = the constant
    const flat = await new Ridge().fit(Dataset.from({ x: [1, 2, 3], y: [5, 5, 5] }), { target: 'y' });
    expect(Array.from(flat.predict(Dataset.from({ x: [10] })))).toEqual([5]);
  });

  it('names non-numeric feature columns and suggests an encoder', async () => {
    const ds = Dataset.from({ x: [1, 2, 3, 4], region: ['n', 's', 'n', 's'], y: [1, 2, 3, 4] });
    try {
      await new LinearRegression().fit(ds, { target: 'y' });
      throw new Error('expected a TesseraError');
    } catch (e) {
      expect(isTesseraError(e, 'E_SCHEMA')).toBe(true);
      expect((e as Error).message).toContain('"region"');
      expect((e as Error).message).toMatch(/OneHotEncoder/);
    }
  });

  it('NaN at fit or predict is refused naming the column and suggesting an imputer', async () => {
    const fitted = await new Ridge().fit(Dataset.from({ x: [1, 2, 3], y: [1, 2, 3] }), { target: 'y' });
    try {
      fitted.predict(Dataset.from({ x: [1, null] }));
      throw new Error('expected a TesseraError');
    } catch (e) {
      expect(isTesseraError(e, 'E_MISSING_VALUES')).toBe(true);
      expect((e as Error).message).toMatch(/"x".*SimpleImputer/);
    }
  });

  it('columns at predict that differ from fit: E_NOT_FITTED_COLUMNS naming them', async () => {
    const fitted = await new LinearRegression().fit(Dataset.from({ a: [1, 2, 3, 4], b: [1, 0, 1, 1], y: [1, 2, 3, 5] }), { target: 'y' });
    try {
      fitted.predict(Dataset.from({ a: [1], c: [2] }));
      throw new Error('expected a TesseraError');
    } catch (e) {
      expect(isTesseraError(e, 'E_NOT_FITTED_COLUMNS')).toBe(true);
      expect((e as { details: { columns: string[] } }).details.columns).toEqual(['b']);
    }
  });

  it('perfectly collinear features: minimum-norm solution, rank reported; ridge unaffected', async () => {
    const a = [1, 2, 3, 4, 5, 6];
    const ds = Dataset.from({ a, a2: a.map((v) => 2 * v), y: a.map((v) => 3 * v + 1) });
    const f = await new LinearRegression().fit(ds, { target: 'y' });
    expect(f.rank).toBe(1);
    // min-norm split of 3 = w1 + 2 w2 with w ∝ (1, 2): w = (0.6, 1.2)
    expect(f.coef[0]).toBeCloseTo(0.6, 10);
    expect(f.coef[1]).toBeCloseTo(1.2, 10);
    expect(f.intercept).toBeCloseTo(1, 10);
    const r = await new Ridge({ alpha: 1e-8 }).fit(ds, { target: 'y' });
    expect(r.coef[0]).toBeCloseTo(0.6, 5);
  });

  it('more features than rows: an exact minimum-norm fit', async () => {
    const cols: Record<string, number[]> = {};
    for (let j = 0; j < 6; j++) cols[`f${j}`] = [0, 1, 2].map((i) => Math.sin(i * 3 + j * 1.7));
    cols.y = [1, 2, 4];
    const ds = Dataset.from(cols);
    const f = await new LinearRegression().fit(ds, { target: 'y' });
    expect(f.rank).toBe(2);
    Array.from(f.predict(ds)).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 4][i] as number, 8));
    const b = await new BayesianRidge().fit(ds, { target: 'y' });
    expect(b.predictWithStd(ds).std.every((s) => s > 0)).toBe(true);
  });

  it('Lasso zeroes an irrelevant column; ElasticNet reports convergence', async () => {
    const ds = data().select(['x1', 'x2', 'y']);
    const f = await new Lasso({ alpha: 0.5 }).fit(ds, { target: 'y' });
    expect(f.converged).toBe(true);
    const noisy = ds.withColumn(
      'noise',
      x1.map((_, i) => Math.sin(i * 11) * 0.01),
    );
    const g = await new Lasso({ alpha: 0.2 }).fit(noisy, { target: 'y' });
    expect(Math.abs(g.coef[2] as number)).toBe(0);
  });

  it('LogisticRegression: class weights and sample weights act as repeated rows', async () => {
    const ds = data().select(['x1', 'x2', 'label']);
    const twice = ds.concat(ds.slice(0, 5));
    const w = Array.from({ length: ds.nrows }, (_, i) => (i < 5 ? 2 : 1));
    const a = await new LogisticRegression({ tol: 1e-10, maxIter: 1000 }).fit(twice, { target: 'label' });
    const b = await new LogisticRegression({ tol: 1e-10, maxIter: 1000 }).fit(ds, { target: 'label', sampleWeight: w });
    Array.from(a.coef).forEach((v, j) => expect(v).toBeCloseTo(b.coef[j] as number, 5));
    const bal = await new LogisticRegression({ classWeight: 'balanced' }).fit(ds, { target: 'label' });
    expect(bal.predictProba(ds).length).toBe(ds.nrows * 2);
    expect(await codeOf(new LogisticRegression({ classWeight: { maybe: 2 } }).fit(ds, { target: 'label' }))).toBe('E_OPTION');
  });
});

describe('RidgeCV', () => {
  it('picks the alpha with the smallest exact leave-one-out error (checked by refitting without each row)', async () => {
    const ds = data().select(['x1', 'x2', 'y']);
    const alphas = [0.01, 1, 30];
    const f = await new RidgeCV({ alphas }).fit(ds, { target: 'y' });
    for (let a = 0; a < alphas.length; a++) {
      let sse = 0;
      for (let i = 0; i < ds.nrows; i++) {
        const keep = Array.from({ length: ds.nrows }, (_, k) => k).filter((k) => k !== i);
        const r = await new Ridge({ alpha: alphas[a] as number }).fit(ds.take(keep), { target: 'y' });
        sse += ((r.predict(ds.take([i]))[0] as number) - (y[i] as number)) ** 2;
      }
      expect(f.looMse[a]).toBeCloseTo(sse / ds.nrows, 9);
    }
    const best = alphas[f.looMse.indexOf(Math.min(...f.looMse))];
    expect(f.alpha).toBe(best);
    const r = await new Ridge({ alpha: f.alpha }).fit(ds, { target: 'y' });
    Array.from(r.coef).forEach((v, j) => expect(f.coef[j]).toBeCloseTo(v, 9));
    expect(f.intercept).toBeCloseTo(r.intercept, 9);
  });
});

describe('lbfgs', () => {
  it('minimises the Rosenbrock function', async () => {
    const r = await lbfgs(
      (x, g) => {
        const a = x[0] as number;
        const b = x[1] as number;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      new Float64Array([-1.2, 1]),
      { maxIter: 500, gtol: 1e-10 },
    );
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });
});

describe('LogisticRegression column kernel (WebAssembly SIMD and JavaScript)', () => {
  // 1,203 rows (three blocks, the last one padded), 7 columns (padded to 8), 3 classes
  const n = 1203;
  const cols: Record<string, number[] | string[]> = {};
  for (let j = 0; j < 7; j++) cols[`f${j}`] = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + j * 1.3) + (j === 6 ? 0.5 : 0));
  cols.c = Array.from({ length: n }, (_, i) =>
    (cols.f0?.[i] as number) + 0.5 * (cols.f3?.[i] as number) > 0.3 ? 'a' : (cols.f1?.[i] as number) > 0 ? 'b' : 'c',
  );
  const ds = Dataset.from(cols);
  const names = Object.keys(cols).filter((c) => c !== 'c');

  it('is WebAssembly where the runtime allows it, and both kernels give the products of the definition', () => {
    for (const wasm of [true, false]) {
      const was = useWasmKernels(wasm);
      const K = columnKernel(ds, names, 2, 'test');
      useWasmKernels(was);
      expect(K.wasm).toBe(wasm);
      expect(K.pw).toBe(8);
      for (let c = 0; c < 2; c++) for (let j = 0; j < 7; j++) K.w[c * K.pw + j] = 0.1 * j - 0.2 * c;
      K.g.fill(0);
      let zErr = 0;
      const g = new Float64Array(14);
      for (let s = 0; s < K.stride; s += BLOCK) {
        const len = Math.min(BLOCK, K.stride - s);
        for (let c = 0; c < 2; c++) {
          K.z.fill(c, c * BLOCK, c * BLOCK + len);
          K.zBlock(s, len, c);
          for (let i = 0; i < len; i++) {
            const row = s + i;
            let t = c;
            if (row < n) for (let j = 0; j < 7; j++) t += (cols[`f${j}`]?.[row] as number) * (K.w[c * K.pw + j] as number);
            zErr = Math.max(zErr, Math.abs(t - (K.z[c * BLOCK + i] as number)));
            const r = row < n ? Math.cos(row + c) : 0;
            K.r[c * BLOCK + i] = r;
            if (row < n) for (let j = 0; j < 7; j++) g[c * 7 + j] = (g[c * 7 + j] as number) + r * (cols[`f${j}`]?.[row] as number);
          }
          K.gBlock(s, len, c);
        }
      }
      K.release();
      expect(zErr).toBeLessThan(1e-12);
      for (let c = 0; c < 2; c++) for (let j = 0; j < 7; j++) expect(K.g[c * K.pw + j]).toBeCloseTo(g[c * 7 + j] as number, 10);
    }
  });

  it('binary and multinomial fits agree between the two kernels, and a reused arena gives the same fit', async () => {
    const two = ds.withColumn(
      'b',
      (cols.c as string[]).map((v) => v === 'a'),
    );
    for (const [data, target] of [
      [two.select([...names, 'b']), 'b'],
      [ds, 'c'],
    ] as const) {
      const a = await new LogisticRegression().fit(data, { target });
      const again = await new LogisticRegression().fit(data, { target });
      const was = useWasmKernels(false);
      const b = await new LogisticRegression().fit(data, { target });
      useWasmKernels(was);
      expect(Array.from(again.coef)).toEqual(Array.from(a.coef));
      expect(b.nIter).toBe(a.nIter);
      Array.from(a.coef).forEach((v, j) => expect(Math.abs(v - (b.coef[j] as number))).toBeLessThan(1e-8 * Math.max(1, Math.abs(v))));
    }
  });

  it('concurrent fits do not share memory', async () => {
    // different columns, so a shared matrix would corrupt the first fit once the second one fills it
    const other = { columns: ['f6', 'f5', 'f4'] };
    const [a, b] = await Promise.all([new LogisticRegression().fit(ds, { target: 'c' }), new LogisticRegression(other).fit(ds, { target: 'c' })]);
    expect(a.nIter).toBeGreaterThan(10); // both fits yield (every 10 iterations), so they interleave
    const a1 = await new LogisticRegression().fit(ds, { target: 'c' });
    const b1 = await new LogisticRegression(other).fit(ds, { target: 'c' });
    expect(Array.from(a.coef)).toEqual(Array.from(a1.coef));
    expect(Array.from(b.coef)).toEqual(Array.from(b1.coef));
  });
});
