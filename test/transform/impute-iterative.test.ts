import { describe, expect, it } from 'vitest';
import { Dataset, enrich, IterativeImputer, isTesseraError, load, poolRubin, RandomForestClassifier, RandomForestRegressor, Rng } from '../../src/index.js';
import { conformance } from '../conformance.js';

/** y = 2x + 1 + small noise, z = x - y / 4, g a category following x. */
function linear(n = 40, seed = 1): Dataset {
  const rng = new Rng(seed);
  const x: (number | null)[] = [];
  const y: (number | null)[] = [];
  const z: (number | null)[] = [];
  const g: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const xi = rng.uniform(0, 10);
    x.push(xi);
    y.push(2 * xi + 1 + 0.05 * rng.normal());
    z.push(xi - (2 * xi + 1) / 4 + 0.05 * rng.normal());
    g.push(xi < 5 ? 'lo' : 'hi');
  }
  for (let i = 1; i < n; i += 5) y[i] = null;
  for (let i = 2; i < n; i += 7) x[i] = null;
  for (let i = 3; i < n; i += 6) g[i] = null;
  return Dataset.from({ x, y, z, g }, { schema: { g: { kind: 'category' } } });
}

conformance({
  name: 'IterativeImputer',
  make: (o) => new IterativeImputer(o),
  baseOptions: { maxIter: 3 },
  data: () => linear(20),
  withMissing: () => linear(20),
  oneRow: 'fit',
  badOptions: [{ maxIter: 0 }, { estimator: 'svm' }, { m: 3 }, { order: 'sideways' }, { tol: -1 }],
});

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<Error> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (e) {
    expect(isTesseraError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected ${code}`);
}

describe('IterativeImputer', () => {
  it('recovers a linear relation and the category from the others', async () => {
    const ds = linear();
    const fitted = await new IterativeImputer({ roundIntegers: false }).fit(ds);
    const { data, report } = fitted.transformWithReport(ds);
    const full = linear(40).toColumns();
    const rng = new Rng(1);
    const trueY: number[] = [];
    for (let i = 0; i < 40; i++) {
      const xi = rng.uniform(0, 10);
      trueY.push(2 * xi + 1 + 0.05 * rng.normal());
      rng.normal();
    }
    for (let i = 1; i < 40; i += 5) expect(Math.abs((data.get(i, 'y') as number) - (trueY[i] as number))).toBeLessThan(0.6);
    expect(report.columns.map((c) => c.filled)).toEqual([6, 8, 0, 7]);
    let agree = 0;
    for (let i = 3; i < 40; i += 6) if (data.get(i, 'g') === ((data.get(i, 'x') as number) < 5 ? 'lo' : 'hi')) agree++;
    expect(agree).toBeGreaterThanOrEqual(6);
    expect(full.y?.filter((v) => v === null).length).toBe(8);
    expect(fitted.iterations[0]).toBeLessThanOrEqual(10);
  });

  it('replays its rounds on new data, keeps unseen levels, and round-trips', async () => {
    const ds = linear();
    const fitted = await new IterativeImputer({ addIndicator: true }).fit(ds);
    const test = Dataset.from({ x: [4, null], y: [null, 13], z: [2, 3], g: ['new-level', null] }, { schema: { g: { kind: 'category' } } });
    const out = fitted.transform(test);
    expect(out.get(0, 'g')).toBe('new-level');
    expect(out.get(1, 'g')).not.toBeNull();
    expect(out.get(0, 'y')).not.toBeNull();
    expect(out.columnNames).toEqual(['x', 'y', 'z', 'g', 'x_missing', 'y_missing', 'g_missing']);
    const again = load<typeof fitted>(JSON.parse(JSON.stringify(fitted.toJSON())));
    expect(again.transform(test).toRows()).toEqual(out.toRows());
  });

  it('gives m different completed tables with sampleFromPosterior, deterministic under a seed', async () => {
    const ds = linear();
    const fitted = await new IterativeImputer({ sampleFromPosterior: true, m: 4, seed: 5, maxIter: 4 }).fit(ds);
    const tables = fitted.transformMultiple(ds);
    expect(tables).toHaveLength(4);
    const ys = tables.map((t) => t.get(1, 'y'));
    expect(new Set(ys).size).toBeGreaterThan(1);
    const again = await new IterativeImputer({ sampleFromPosterior: true, m: 4, seed: 5, maxIter: 4 }).fit(ds);
    expect(again.transformMultiple(ds).map((t) => t.get(1, 'y'))).toEqual(ys);
  });

  it('supports orders, initial strategies and the random forest (missForest)', async () => {
    const ds = linear(30);
    for (const order of ['descending', 'roman', 'arabic', 'random'] as const) {
      const out = (await new IterativeImputer({ order, maxIter: 2, initialStrategy: 'median' }).fit(ds)).transform(ds);
      expect(out.toColumns().y?.includes(null)).toBe(false);
    }
    const rf = await new IterativeImputer({ estimator: 'randomForest', nEstimators: 10, maxIter: 2 }).fit(ds);
    expect(rf.transformWithReport(ds).report.total).toBe(6 + 4 + 5);
  });

  it('refuses an all-missing column unless emptyColumns is constant; fits one row', async () => {
    const ds = Dataset.from({ a: [1, 2, 3], e: [null, null, null] }, { schema: { e: { kind: 'number' } } });
    const err = await expectCode(new IterativeImputer().fit(ds), 'E_MISSING_VALUES');
    expect(err.message).toContain('"e"');
    const out = (await new IterativeImputer({ emptyColumns: 'constant' }).fit(ds)).transform(ds);
    expect(out.toColumns().e).toEqual([0, 0, 0]);
    const one = await new IterativeImputer().fit(Dataset.from({ a: [1], b: [2] }));
    expect(one.transform(Dataset.from({ a: [null], b: [7] }, { schema: { a: { kind: 'integer' } } })).get(0, 'a')).toBe(1);
  });
});

describe('poolRubin', () => {
  it("applies Rubin's rules", () => {
    const r = poolRubin([1, 2, 3], [0.5, 0.5, 0.5]);
    expect(r.estimate).toBe(2);
    expect(r.within).toBe(0.5);
    expect(r.between).toBe(1);
    expect(r.total).toBeCloseTo(0.5 + (4 / 3) * 1, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(0.5 + 4 / 3), 12);
    const riv = 4 / 3 / 0.5;
    expect(r.riv).toBeCloseTo(riv, 12);
    expect(r.df).toBeCloseTo(2 * (1 + 1 / riv) ** 2, 12);
    expect(r.fmi).toBeCloseTo(4 / 3 / (0.5 + 4 / 3), 12);
    expect(poolRubin([1, 1], [0.1, 0.1]).df).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses bad input by name', async () => {
    await expectCode(() => poolRubin([1], [1]), 'E_OPTION');
    await expectCode(() => poolRubin([1, 2], [1]), 'E_SHAPE');
    await expectCode(() => poolRubin([1, 2], [1, -1]), 'E_OPTION');
  });
});

describe('enrich', () => {
  it('fills one column with a model trained where it is known', async () => {
    const x = Array.from({ length: 30 }, (_, i) => i);
    const y = x.map((v, i) => (i % 6 === 0 ? null : 3 * v));
    const ds = Dataset.from({ x, y });
    const { data, report, model } = await enrich(ds, { column: 'y', model: new RandomForestRegressor({ nEstimators: 20, seed: 1 }) });
    expect(report.total).toBe(5);
    expect(model?.target).toBe('y');
    for (let i = 6; i < 30; i += 6) expect(Math.abs((data.get(i, 'y') as number) - 3 * i)).toBeLessThan(9);
    expect(data.get(1, 'y')).toBe(3);
  });

  it('fills a category column with a classifier', async () => {
    const x = Array.from({ length: 24 }, (_, i) => i);
    const g = x.map((v, i) => (i % 5 === 2 ? null : v < 12 ? 'low' : 'high'));
    const ds = Dataset.from({ x, g }, { schema: { g: { kind: 'category' } } });
    const { data, report } = await enrich(ds, { column: 'g', model: new RandomForestClassifier({ nEstimators: 15, seed: 2 }) });
    expect(report.total).toBe(5);
    expect(data.column('g').kind).toBe('category');
    expect(data.get(2, 'g')).toBe('low');
    expect(data.get(22, 'g')).toBe('high');
  });

  it('returns the table unchanged when nothing is missing and refuses an all-missing target', async () => {
    const ds = Dataset.from({ x: [1, 2, 3], y: [1, 2, 3] });
    const r = await enrich(ds, { column: 'y', model: new RandomForestRegressor() });
    expect(r.data).toBe(ds);
    expect(r.model).toBeUndefined();
    await expectCode(
      enrich(Dataset.from({ x: [1, 2], y: [null, null] }, { schema: { y: { kind: 'number' } } }), { column: 'y', model: new RandomForestRegressor() }),
      'E_MISSING_VALUES',
    );
    await expectCode(enrich(ds, { column: 'nope', model: new RandomForestRegressor() }), 'E_COLUMN');
  });
});
