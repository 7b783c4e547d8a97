import { describe, expect, it } from 'vitest';
import {
  Dataset,
  type FittedHistGradientBoostingClassifier,
  HistGradientBoostingClassifier,
  HistGradientBoostingRegressor,
  isTesseraError,
  RandomForestClassifier,
  RandomForestRegressor,
  Rng,
} from '../../src/index.js';
import { conformance } from '../conformance.js';

function make(n: number, seed = 1): Dataset {
  const rng = new Rng(seed);
  const a: (number | null)[] = [];
  const b: number[] = [];
  const c: string[] = [];
  const y: string[] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const va = rng.normal();
    const vb = rng.normal();
    const vc = ['red', 'green', 'blue'][rng.int(3)] as string;
    a.push(va);
    b.push(vb);
    c.push(vc);
    const s = va + 0.5 * vb + (vc === 'red' ? 1.5 : vc === 'blue' ? -1 : 0) + 0.3 * rng.normal();
    y.push(s > 0.3 ? 'yes' : 'no');
    t.push(2 * va - vb + (vc === 'red' ? 3 : 0) + 0.1 * rng.normal());
  }
  return Dataset.from({ a, b, c, y, t }, { schema: { c: { kind: 'category' } } });
}
const numeric = (n = 80) => make(n).drop(['c']);
const clfData = () => numeric().drop(['t']).withRoles({ y: 'target' });
const regData = () => numeric().drop(['y']).withRoles({ t: 'target' });
const missing = (ds: Dataset) => ds.withColumn('a', [null, ...Array.from(ds.matrix(['a']).slice(1))]);

conformance({
  name: 'RandomForestClassifier',
  make: (o) => new RandomForestClassifier(o),
  baseOptions: { nEstimators: 10 },
  data: clfData,
  withMissing: () => missing(clfData()),
  badOptions: [{ nEstimators: 0 }, { maxSamples: 1.5 }, { bootstrap: 'yes' }],
  oneRow: 'error',
});
conformance({
  name: 'RandomForestRegressor',
  make: (o) => new RandomForestRegressor(o),
  baseOptions: { nEstimators: 10 },
  data: regData,
  withMissing: () => missing(regData()),
  badOptions: [{ nEstimators: -1 }, { criterion: 'gini' }],
});
const gbmClf = () => make(120).drop(['t']).withRoles({ y: 'target' });
const gbmReg = () => make(120).drop(['y']).withRoles({ t: 'target' });
conformance({
  name: 'HistGradientBoostingClassifier',
  make: (o) => new HistGradientBoostingClassifier(o),
  baseOptions: { maxIter: 15 },
  data: gbmClf,
  withMissing: () => missing(gbmClf()),
  badOptions: [{ learningRate: 0 }, { maxLeafNodes: 1 }, { loss: 'hinge' }, { earlyStopping: 'sometimes' }],
});
conformance({
  name: 'HistGradientBoostingRegressor',
  make: (o) => new HistGradientBoostingRegressor(o),
  baseOptions: { maxIter: 15 },
  data: gbmReg,
  withMissing: () => missing(gbmReg()),
  badOptions: [{ maxIter: 0 }, { validationFraction: 1 }],
});

function acc(a: readonly unknown[], b: readonly unknown[]): number {
  let ok = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) ok++;
  return ok / a.length;
}

describe('RandomForest', () => {
  it('generalises and ranks informative features first', async () => {
    const train = clfData();
    const test = make(200, 9).drop(['c', 't']);
    const f = await new RandomForestClassifier({ nEstimators: 30, seed: 2 }).fit(train);
    expect(acc(f.predict(test), test.toColumns().y as string[])).toBeGreaterThan(0.6); // the category effect is not in these columns
    expect(f.featureImportances[0]).toBeGreaterThan(f.featureImportances[1] as number);
    expect(f.forest.roots.length).toBe(30);
    const p = f.predictProba(test);
    for (let i = 0; i < test.nrows; i++) expect((p[2 * i] as number) + (p[2 * i + 1] as number)).toBeCloseTo(1, 12);
  });

  it('is reproducible by seed and differs across seeds', async () => {
    const ds = clfData();
    const a = await new RandomForestClassifier({ nEstimators: 5, seed: 1 }).fit(ds);
    const b = await new RandomForestClassifier({ nEstimators: 5, seed: 1 }).fit(ds);
    const c = await new RandomForestClassifier({ nEstimators: 5, seed: 2 }).fit(ds);
    expect(Array.from(a.predictProba(ds))).toEqual(Array.from(b.predictProba(ds)));
    expect(Array.from(a.predictProba(ds))).not.toEqual(Array.from(c.predictProba(ds)));
  });

  it('refuses NaN with E_MISSING_VALUES suggesting an imputer, and category columns by name', async () => {
    const e = await new RandomForestRegressor().fit(missing(regData())).catch((x: unknown) => x);
    expect(isTesseraError(e, 'E_MISSING_VALUES')).toBe(true);
    expect((e as Error).message).toMatch(/"a".*SimpleImputer/);
    const e2 = await new RandomForestClassifier().fit(make(30).drop(['t']), { target: 'y' }).catch((x: unknown) => x);
    expect(isTesseraError(e2, 'E_SCHEMA')).toBe(true);
    expect((e2 as Error).message).toContain('"c"');
  });

  it('regression forest beats the mean', async () => {
    const train = regData();
    const test = make(100, 5).drop(['c', 'y']);
    const f = await new RandomForestRegressor({ nEstimators: 20 }).fit(train);
    const pred = f.predict(test);
    const truth = test.matrix(['t']);
    let mean = 0;
    for (const v of truth) mean += v / truth.length;
    let sse = 0;
    let sst = 0;
    for (let i = 0; i < truth.length; i++) {
      sse += ((truth[i] as number) - (pred[i] as number)) ** 2;
      sst += ((truth[i] as number) - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.5);
  });
});

describe('HistGradientBoosting', () => {
  it('uses category columns natively and learns the category effect', async () => {
    const train = make(400).drop(['t']);
    const test = make(300, 3).drop(['t']);
    const f = await new HistGradientBoostingClassifier({ maxIter: 50 }).fit(train, { target: 'y' });
    expect(acc(f.predict(test), test.toColumns().y as string[])).toBeGreaterThan(0.8);
    expect(f.inputColumns).toEqual(['a', 'b', 'c']);
    expect(f.featureImportances[2]).toBeGreaterThan(0.1);
  });

  it('treats unseen categories and missing values as missing, without error', async () => {
    const train = make(200).drop(['t']);
    const f: FittedHistGradientBoostingClassifier = await new HistGradientBoostingClassifier({ maxIter: 20 }).fit(train, { target: 'y' });
    const odd = Dataset.from({ a: [0.5, null], b: [0, 0], c: ['purple', null] }, { schema: { c: { kind: 'category' } } });
    const p = f.predictProba(odd);
    expect(p.every((v) => Number.isFinite(v))).toBe(true);
    // a numeric column where a category was fitted is refused by name
    expect(() => f.predict(Dataset.from({ a: [1], b: [1], c: [1] }))).toThrow(
      expect.objectContaining({ code: 'E_SCHEMA', message: expect.stringContaining('"c"') }),
    );
    expect(() => f.predict(odd.drop(['b']))).toThrow(expect.objectContaining({ code: 'E_NOT_FITTED_COLUMNS' }));
  });

  it('learns which side missing values go to', async () => {
    // y is 1 exactly when x is missing: only the missing direction can separate it
    const x: (number | null)[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const miss = i % 4 === 0;
      x.push(miss ? null : i % 50);
      y.push(miss ? 1 : 0);
    }
    const ds = Dataset.from({ x, y });
    const f = await new HistGradientBoostingClassifier({ maxIter: 10 }).fit(ds, { target: 'y' });
    expect(f.predict(ds)).toEqual(y);
  });

  it('multiclass softmax probabilities sum to 1', async () => {
    const rows = make(300);
    const t = rows.matrix(['t']);
    const cls = Array.from(t, (v) => (v < -1 ? 'low' : v < 2 ? 'mid' : 'high'));
    const ds = rows.drop(['y', 't']).withColumn('k', cls);
    const f = await new HistGradientBoostingClassifier({ maxIter: 30 }).fit(ds, { target: 'k' });
    expect(f.classes).toEqual(['high', 'low', 'mid']);
    const p = f.predictProba(ds);
    for (let i = 0; i < ds.nrows; i++) expect((p[3 * i] as number) + (p[3 * i + 1] as number) + (p[3 * i + 2] as number)).toBeCloseTo(1, 12);
    expect(acc(f.predict(ds), cls)).toBeGreaterThan(0.85);
  });

  it('early stopping stops before maxIter and records the validation loss', async () => {
    const ds = make(600).drop(['t']);
    const f = await new HistGradientBoostingClassifier({ maxIter: 500, earlyStopping: true, learningRate: 0.5 }).fit(ds, { target: 'y' });
    expect(f.nIter).toBeLessThan(500);
    expect(f.validationLoss.length).toBe(f.nIter + 1);
    const g = await new HistGradientBoostingClassifier({ maxIter: 5 }).fit(ds, { target: 'y' });
    expect(g.validationLoss).toEqual([]); // 'auto' is off at 600 rows
  });

  it('absolute error regression is robust to outliers', async () => {
    const x = Array.from({ length: 200 }, (_, i) => i % 20);
    const y = x.map((v, i) => (i % 17 === 0 ? 1000 : v));
    const ds = Dataset.from({ x, y });
    const sq = await new HistGradientBoostingRegressor({ maxIter: 50, minSamplesLeaf: 5 }).fit(ds, { target: 'y' });
    const ab = await new HistGradientBoostingRegressor({ maxIter: 50, minSamplesLeaf: 5, loss: 'absolute_error' }).fit(ds, { target: 'y' });
    const probe = Dataset.from({ x: [5] });
    expect(Math.abs((ab.predict(probe)[0] as number) - 5)).toBeLessThan(1);
    expect(Math.abs((sq.predict(probe)[0] as number) - 5)).toBeGreaterThan(Math.abs((ab.predict(probe)[0] as number) - 5));
  });

  it('refuses free-text columns by name', async () => {
    const ds = Dataset.from({ note: ['a long note', 'another', 'text here', 'more'], y: [0, 1, 0, 1] }, { schema: { note: { kind: 'text' } } });
    await expect(new HistGradientBoostingClassifier().fit(ds, { target: 'y' })).rejects.toMatchObject({ code: 'E_SCHEMA' });
  });
});
