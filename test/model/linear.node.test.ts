import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BayesianRidge, type Dataset, ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, RidgeCV } from '../../src/index.js';
import { dropMissing, HAS_DATA, maxRelDiff, type Ref, readCsv, reference, standardized } from './linear-data.js';

const ref: Ref = HAS_DATA ? reference() : { regression: {}, logistic: {} };

function regSet(name: string, r: Ref): Dataset {
  const raw = readCsv(name);
  return dropMissing(raw, [...r.columns, r.target]).select([...r.columns, r.target]);
}

describe.skipIf(!HAS_DATA)('linear regressors match scikit-learn coefficients within 1e-6 relative (needs ../shared/data)', () => {
  for (const name of ['diabetes-progression', 'cars-auto-mpg']) {
    it(`${name}: LinearRegression, Ridge, Lasso, ElasticNet, BayesianRidge`, async () => {
      const r = ref.regression[name];
      const ds = regSet(name, r);
      expect(ds.nrows).toBe(r.nrows);
      const fit = { target: r.target };
      const check = (f: { coef: Float64Array; intercept: number }, e: { coef: number[]; intercept: number }, tol = 1e-6) => {
        expect(maxRelDiff(f.coef, e.coef)).toBeLessThan(tol);
        expect(Math.abs(f.intercept - e.intercept) / Math.max(1, Math.abs(e.intercept))).toBeLessThan(tol);
      };
      check(await new LinearRegression().fit(ds, fit), r.LinearRegression);
      check(await new Ridge().fit(ds, fit), r.Ridge);
      check(await new Ridge({ alpha: 10 }).fit(ds, fit), r.Ridge_10);
      const lasso = await new Lasso().fit(ds, fit);
      check(lasso, r.Lasso);
      expect(lasso.nIter).toBe(r.Lasso.n_iter);
      check(await new Lasso({ alpha: 0.1 }).fit(ds, fit), r.Lasso_01);
      check(await new Lasso({ alpha: 0.1, tol: 1e-12, maxIter: 1_000_000 }).fit(ds, fit), r.Lasso_tight);
      check(await new ElasticNet().fit(ds, fit), r.ElasticNet);
      check(await new ElasticNet({ alpha: 0.5, l1Ratio: 0.2 }).fit(ds, fit), r.ElasticNet_l1_02);
      const br = await new BayesianRidge().fit(ds, fit);
      check(br, r.BayesianRidge);
      expect(br.nIter).toBe(r.BayesianRidge.n_iter);
      expect(Math.abs(br.alpha / r.BayesianRidge.alpha - 1)).toBeLessThan(1e-6);
      expect(Math.abs(br.lambda / r.BayesianRidge.lambda - 1)).toBeLessThan(1e-6);
      const { mean, std } = br.predictWithStd(ds.slice(0, 5));
      expect(maxRelDiff(mean, r.BayesianRidge.mean5)).toBeLessThan(1e-6);
      expect(maxRelDiff(std, r.BayesianRidge.std5)).toBeLessThan(1e-6);
    });
  }
});

describe.skipIf(!HAS_DATA)('LogisticRegression matches scikit-learn at the optimum (needs ../shared/data)', () => {
  for (const name of ['iris', 'wine', 'penguins', 'telco-churn']) {
    it(`${name}: binary/multinomial coefficients within 1e-6 relative, C and class weights`, async () => {
      const r = ref.logistic[name];
      const ds = standardized(dropMissing(readCsv(name), r.columns), r.columns).select([...r.columns, r.target]);
      expect(ds.nrows).toBe(r.nrows);
      const tight = { tol: 1e-10, ftol: 0, maxIter: 100_000 };
      for (const [key, opts] of [
        ['tight', {}],
        ['C01', { C: 0.1 }],
        ['balanced', { classWeight: 'balanced' as const }],
      ] as const) {
        const f = await new LogisticRegression({ ...tight, ...opts }).fit(ds, { target: r.target });
        expect(f.classes).toEqual(r.classes);
        expect(maxRelDiff(f.coef, r[key].coef)).toBeLessThan(1e-6);
        expect(maxRelDiff(f.intercept, r[key].intercept)).toBeLessThan(1e-6);
        expect(maxRelDiff(f.predictProba(ds.slice(0, 5)), r[key].proba5)).toBeLessThan(1e-6);
      }
    });
  }
});

describe.skipIf(!HAS_DATA)('RidgeCV matches scikit-learn RidgeCV (exact LOO) (needs ../shared/data)', () => {
  const rcv = JSON.parse(readFileSync(new URL('../../benchmarks/reference/model_linear_ridgecv.json', import.meta.url), 'utf8'));
  for (const name of ['diabetes-progression', 'cars-auto-mpg']) {
    it(`${name}: same alpha, coefficients within 1e-6 relative`, async () => {
      const r = rcv.sets[name];
      const ds = dropMissing(readCsv(name), [...r.columns, r.target]).select([...r.columns, r.target]);
      expect(ds.nrows).toBe(r.nrows);
      const f = await new RidgeCV({ alphas: rcv.alphas }).fit(ds, { target: r.target });
      expect(f.alpha).toBe(r.alpha);
      expect(maxRelDiff(f.coef, r.coef)).toBeLessThan(1e-6);
      expect(Math.abs(f.intercept - r.intercept) / Math.max(1, Math.abs(r.intercept))).toBeLessThan(1e-6);
      // scikit-learn's best_score_ is the negative mean squared LOO residual
      expect(Math.abs(Math.min(...f.looMse) + r.best_score) / Math.abs(r.best_score)).toBeLessThan(1e-6);
    });
  }
});
