import { describe, expect, it } from 'vitest';
import { Dataset, DecisionTreeClassifier, DecisionTreeRegressor, type FittedDecisionTreeClassifier, isTesseraError, load } from '../../src/index.js';
import { conformance } from '../conformance.js';

// Two informative features, one noise feature; 60 rows.
function toy(n = 60): Dataset {
  const x1: number[] = [];
  const x2: number[] = [];
  const noise: number[] = [];
  const label: string[] = [];
  const yv: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = (i * 7919) % 101;
    const b = (i * 104729) % 97;
    x1.push(a);
    x2.push(b);
    noise.push((i * 31) % 5);
    label.push(a > 50 ? (b > 40 ? 'hi' : 'mid') : 'lo');
    yv.push(a > 50 ? 10 + b / 10 : -5);
  }
  return Dataset.from({ x1, x2, noise, label, y: yv }, { roles: { label: 'target' } });
}
const regData = () => toy().withRoles({ label: null, y: 'target' }).drop(['label']);
const withMissing = () => toy().withColumn('x1', [null, ...toy().matrix(['x1']).slice(1)]);

conformance({
  name: 'DecisionTreeClassifier',
  make: (o) => new DecisionTreeClassifier(o),
  data: () => toy().drop(['y']),
  withMissing: () => withMissing().drop(['y']),
  badOptions: [{ maxDepth: 0 }, { criterion: 'mse' }, { minSamplesLeaf: 0 }, { maxFeatures: 'half' }, { maxBins: 256 }],
  oneRow: 'error',
});
conformance({
  name: 'DecisionTreeRegressor',
  make: (o) => new DecisionTreeRegressor(o),
  data: regData,
  withMissing: () => withMissing().withRoles({ label: null, y: 'target' }).drop(['label']),
  badOptions: [{ minSamplesSplit: 1 }, { criterion: 'gini' }],
});

describe('DecisionTree', () => {
  it('learns the rule exactly and matches scikit-learn on a hand-checked tree', async () => {
    const ds = toy().drop(['y']);
    const f = await new DecisionTreeClassifier().fit(ds);
    expect(f.predict(ds)).toEqual(ds.toColumns().label);
    expect(f.classes).toEqual(['hi', 'lo', 'mid']);
    // the first split is on x1 between 50 and the next value: halfway between node values (scikit-learn)
    expect(f.forest.feature[0]).toBe(0);
    expect(f.featureImportances[2]).toBe(0);
    expect(f.featureImportances.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    const p = f.predictProba(ds);
    expect(p.length).toBe(ds.nrows * 3);
  });

  it('a depth-1 regression stump matches the squared-error optimum', async () => {
    const ds = Dataset.from({ x: [1, 2, 3, 4, 5, 6], y: [1, 1, 1, 5, 5, 6] });
    const f = await new DecisionTreeRegressor({ maxDepth: 1 }).fit(ds, { target: 'y' });
    expect(Array.from(f.predict(ds))).toEqual([1, 1, 1, 16 / 3, 16 / 3, 16 / 3]);
    expect(f.forest.threshold[0]).toBe(3.5);
  });

  it('splits exactly on a feature with more than 255 distinct values (exactBins)', async () => {
    const x = Array.from({ length: 600 }, (_, i) => (i * 7) % 300);
    const ds = Dataset.from({ x, y: x.map((v) => (v > 150 ? 1 : 0)) });
    const f = await new DecisionTreeRegressor({ maxDepth: 1 }).fit(ds, { target: 'y' });
    expect(f.forest.threshold[0]).toBe(150.5);
    expect(Array.from(f.predict(ds))).toEqual(x.map((v) => (v > 150 ? 1 : 0)));
    // with exact bins capped at 255, the 300 values share 255 percentile bins: still a clean split
    const g = await new DecisionTreeRegressor({ maxDepth: 1, exactBins: 255 }).fit(ds, { target: 'y' });
    expect(Array.from(g.predict(ds))).toEqual(x.map((v) => (v > 150 ? 1 : 0)));
  });

  it('entropy criterion, maxDepth and minSamplesLeaf are honoured', async () => {
    const ds = toy().drop(['y']);
    const f = await new DecisionTreeClassifier({ criterion: 'entropy', maxDepth: 1 }).fit(ds);
    expect(f.nodeCount).toBe(3);
    const g = await new DecisionTreeClassifier({ minSamplesLeaf: 25 }).fit(ds);
    expect(g.nodeCount).toBeLessThanOrEqual(3);
  });

  it('refuses category features by name, suggesting an encoder', async () => {
    const ds = Dataset.from({ c: ['a', 'b', 'a', 'b'], y: [0, 1, 0, 1] });
    const e = await new DecisionTreeClassifier().fit(ds, { target: 'y' }).catch((x: unknown) => x);
    expect(isTesseraError(e, 'E_SCHEMA')).toBe(true);
    expect((e as Error).message).toMatch(/"c".*OneHotEncoder/);
  });

  it('refuses a missing or one-class target; fits a constant regression target (as scikit-learn)', async () => {
    const one = Dataset.from({ x: [1, 2, 3], y: ['a', 'a', 'a'] });
    await expect(new DecisionTreeClassifier().fit(one, { target: 'y' })).rejects.toMatchObject({ code: 'E_SCHEMA' });
    const miss = Dataset.from({ x: [1, 2, 3], y: ['a', null, 'b'] });
    await expect(new DecisionTreeClassifier().fit(miss, { target: 'y' })).rejects.toMatchObject({ code: 'E_MISSING_VALUES' });
    const flat = Dataset.from({ x: [1, 2, 3], y: [4, 4, 4] });
    const f = await new DecisionTreeRegressor().fit(flat, { target: 'y' });
    expect(Array.from(f.predict(flat))).toEqual([4, 4, 4]);
    await expect(new DecisionTreeClassifier().fit(flat.drop(['y']))).rejects.toMatchObject({ code: 'E_OPTION' });
  });

  it('names columns absent at predict time and ignores extra ones', async () => {
    const ds = toy().drop(['y']);
    const f: FittedDecisionTreeClassifier = await new DecisionTreeClassifier().fit(ds);
    expect(() => f.predict(ds.drop(['x2']))).toThrow(expect.objectContaining({ code: 'E_NOT_FITTED_COLUMNS', message: expect.stringContaining('"x2"') }));
    expect(f.predict(ds.withColumn('extra', new Float64Array(ds.nrows)))).toEqual(f.predict(ds));
  });

  it('fits more features than rows', async () => {
    const cols: Record<string, number[]> = {};
    for (let j = 0; j < 50; j++) cols[`f${j}`] = [j, j + 1, -j, 2 * j, 1];
    const ds = Dataset.from({ ...cols, y: [0, 1, 0, 1, 1] });
    const f = await new DecisionTreeClassifier().fit(ds, { target: 'y' });
    expect(f.predict(ds)).toEqual([0, 1, 0, 1, 1]);
  });

  it('serialises compactly as typed arrays', async () => {
    const f = await new DecisionTreeClassifier().fit(toy().drop(['y']));
    const json = JSON.parse(JSON.stringify(f.toJSON()));
    expect(typeof json.state.forest.threshold).toBe('string');
    const again = load<FittedDecisionTreeClassifier>(json);
    expect(Array.from(again.featureImportances)).toEqual(Array.from(f.featureImportances));
  });
});
