import { describe, expect, it } from 'vitest';
import type { AutoModelOptions, FittedAutoModel } from '../../src/index.js';
import { AutoModel, Blend, Dataset, isTesseraError, LinearRegression, load, Ridge } from '../../src/index.js';
import { conformance } from '../conformance.js';

const n = 60;
const region = Array.from({ length: n }, (_, i) => ['north', 'south', 'east'][i % 3] as string);
const x = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 2);
const age = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : 20 + ((i * 7) % 40)));
const churn = x.map((v, i) => (v + (region[i] === 'south' ? 1 : 0) + Math.sin(i * 5) * 0.5 > 0.5 ? 'yes' : 'no'));
const spend = x.map((v, i) => 3 * v + (region[i] === 'east' ? 2 : 0) + Math.cos(i * 3) * 0.3);
const data = () => Dataset.from({ region, x, age, churn, spend }, { roles: { spend: 'id' } });
const fast: AutoModelOptions = { candidates: ['LogisticRegression', 'GaussianNaiveBayes', 'KNeighborsClassifier'], cv: 3, timeBudgetMs: 60_000 };

conformance({
  name: 'AutoModel',
  make: (o) => new AutoModel(o),
  baseOptions: fast,
  data,
  fitOptions: { target: 'churn' },
  badOptions: [{ cv: 1 }, { timeBudgetMs: 0 }, { candidates: ['SVM'] }, { ensemble: -1 }],
  withMissing: data,
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

describe('AutoModel', () => {
  it('infers the task, imputes, encodes, scales, ranks candidates and serialises whole', async () => {
    const fitted = (await new AutoModel(fast).fit(data(), { target: 'churn' })) as FittedAutoModel;
    expect(fitted.task).toBe('classification');
    expect(fitted.metric).toBe('roc_auc');
    const board = fitted.leaderboard;
    expect(board.nrows).toBe(3);
    expect(board.columnNames).toEqual(['rank', 'model', 'score', 'std', 'fitTimeMs', 'status', 'metric']);
    const p = fitted.predictProba(data());
    expect(p.length).toBe(n * 2);
    const again = load<FittedAutoModel>(JSON.parse(JSON.stringify(fitted.toJSON())));
    expect(Array.from(again.predictProba(data()))).toEqual(Array.from(p));
    expect(again.bestModel).toBe(fitted.bestModel);
  });

  it('regression: picks a linear model on linear data; a blend is available', async () => {
    const ds = data().withRoles({ spend: null, churn: 'id' });
    const fitted = await new AutoModel({ candidates: ['Ridge', 'LinearRegression', 'KNeighborsRegressor'], cv: 3 }).fit(ds, { target: 'spend' });
    expect(fitted.task).toBe('regression');
    expect(['Ridge', 'LinearRegression']).toContain(fitted.bestModel);
    const blended = await new AutoModel({ candidates: ['Ridge', 'KNeighborsRegressor'], cv: 3, blend: 2 }).fit(ds, { target: 'spend' });
    expect(blended.leaderboardRows.map((r) => r.model)).toContain('Blend(Ridge + KNeighborsRegressor)');
    const b = await new Blend([new Ridge(), new LinearRegression()]).fit(ds.select(['x', 'spend']), { target: 'spend' });
    expect(load<typeof b>(JSON.parse(JSON.stringify(b.toJSON()))).predict(ds)).toEqual(b.predict(ds));
  });

  it('ensemble selection: kept when it beats the best single model on the folds, serialises, can be turned off', async () => {
    // a slope (linear models) plus a threshold effect (trees): neither family alone fits both
    const m = 240;
    const a = Array.from({ length: m }, (_, i) => Math.sin(i * 0.91) * 2);
    const b = Array.from({ length: m }, (_, i) => Math.cos(i * 1.37) * 2);
    const c = Array.from({ length: m }, (_, i) => Math.sin(i * 2.71));
    const t = a.map((v, i) => 2 * v + 0.8 * (b[i] as number) + ((b[i] as number) > 0.5 ? 3 : 0) + 0.3 * (c[i] as number));
    const ds = Dataset.from({ a, b, c, t });
    const opts: AutoModelOptions = { candidates: ['LinearRegression', 'RandomForestRegressor'], cv: 4 };
    const fitted = await new AutoModel(opts).fit(ds, { target: 't' });
    const top = fitted.leaderboardRows[0];
    expect(top?.model).toMatch(/^Ensemble\(/);
    expect(top?.score).toBeGreaterThan(fitted.leaderboardRows[1]?.score as number);
    const again = load<FittedAutoModel>(JSON.parse(JSON.stringify(fitted.toJSON())));
    expect(Array.from(again.predict(ds) as Float64Array)).toEqual(Array.from(fitted.predict(ds) as Float64Array));
    const off = await new AutoModel({ ...opts, ensemble: 0 }).fit(ds, { target: 't' });
    expect(off.leaderboardRows.some((r) => r.model.startsWith('Ensemble('))).toBe(false);
  });

  it('unseen categories at predict time are ignored; missing values are imputed', async () => {
    const fitted = await new AutoModel(fast).fit(data(), { target: 'churn' });
    const fresh = Dataset.from({ region: ['west', null], x: [0.5, null], age: [null, 30], spend: [1, 2] });
    const pred = fitted.predict(fresh);
    expect(pred).toHaveLength(2);
    for (const v of pred as string[]) expect(['yes', 'no']).toContain(v);
  });

  it('bad input: missing, constant or one-class target; absent columns at predict', async () => {
    const ds = data();
    expect(
      await codeOf(
        new AutoModel(fast).fit(
          ds.withColumn(
            'churn',
            churn.map((c, i) => (i === 3 ? null : c)),
          ),
          { target: 'churn' },
        ),
      ),
    ).toBe('E_MISSING_VALUES');
    expect(
      await codeOf(
        new AutoModel(fast).fit(
          ds.withColumn(
            'churn',
            churn.map(() => 'yes'),
          ),
          { target: 'churn' },
        ),
      ),
    ).toBe('E_SCHEMA');
    expect(
      await codeOf(
        new AutoModel({ cv: 3 }).fit(
          ds
            .withColumn(
              'spend',
              x.map(() => 4),
            )
            .withRoles({ spend: null }),
          { target: 'spend' },
        ),
      ),
    ).toBe('E_SCHEMA');
    expect(await codeOf(new AutoModel(fast).fit(ds))).toBe('E_OPTION');
    const fitted = await new AutoModel(fast).fit(ds, { target: 'churn' });
    try {
      fitted.predict(ds.drop(['x']));
      throw new Error('expected a TesseraError');
    } catch (e) {
      expect(isTesseraError(e, 'E_NOT_FITTED_COLUMNS')).toBe(true);
      expect((e as Error).message).toContain('"x"');
    }
  });

  it('a tiny time budget still returns the first candidate and marks the rest skipped', async () => {
    const fitted = await new AutoModel({ ...fast, timeBudgetMs: 1 }).fit(data(), { target: 'churn' });
    expect(fitted.bestModel).toBe('LogisticRegression');
    expect(fitted.leaderboardRows.filter((r) => r.status !== 'ok').length).toBeGreaterThanOrEqual(1);
  });
});

conformance({
  name: 'Blend',
  make: (o) => new Blend([new Ridge({ columns: ['x'] }), new LinearRegression({ columns: ['x'] })], o),
  data: () => data().withRoles({ spend: null, churn: 'id' }),
  fitOptions: { target: 'spend' },
  badOptions: [{ weights: [-1, 1] }, { weights: [1, 2, 3] }, { weights: [0, 0] }],
  withMissing: () => Dataset.from({ x: [1, null, 3, 4], spend: [1, 2, 3, 4] }),
});

describe('Blend', () => {
  it('weights the members', async () => {
    const ds = Dataset.from({ x: [0, 1, 2, 3], spend: [0, 2, 4, 6] });
    const one = await new Blend([new Ridge({ alpha: 1e6 }), new LinearRegression()], { weights: [0, 3] }).fit(ds, { target: 'spend' });
    Array.from(one.predict(ds) as Float64Array).forEach((v, i) => expect(v).toBeCloseTo(2 * i, 10));
    expect(one.weights).toEqual([0, 1]);
  });
});
