import { describe, expect, it } from 'vitest';
import { accuracy, type Dataset, GaussianNaiveBayes, KNeighborsClassifier, KNeighborsRegressor } from '../../src/index.js';
import { dropMissing, HAS_DATA, maxRelDiff, type Ref, readCsv, reference, standardized } from './linear-data.js';

const ref: Ref = HAS_DATA ? reference() : { logistic: {} };

function split(ds: Dataset, testIdx: number[]): { train: Dataset; test: Dataset } {
  const isTest = new Set(testIdx);
  const tr: number[] = [];
  for (let i = 0; i < ds.nrows; i++) if (!isTest.has(i)) tr.push(i);
  return { train: ds.take(tr), test: ds.take(testIdx) };
}

describe.skipIf(!HAS_DATA)('KNeighbors and GaussianNaiveBayes match scikit-learn on the same split (needs ../shared/data)', () => {
  for (const name of ['iris', 'wine', 'penguins', 'telco-churn']) {
    it(`${name}: predict_proba and accuracy`, async () => {
      const r = ref.logistic[name];
      const ds = standardized(dropMissing(readCsv(name), r.columns), r.columns).select([...r.columns, r.target]);
      const { train, test } = split(ds, r.test_idx);
      const truth = test.toColumns()[r.target] as (string | number)[];
      const cases = [
        ['knn', new KNeighborsClassifier()],
        ['knn_distance', new KNeighborsClassifier({ weights: 'distance' })],
        ['knn_1', new KNeighborsClassifier({ k: 1 })],
        ['gnb', new GaussianNaiveBayes()],
      ] as const;
      for (const [key, model] of cases) {
        const f = await model.fit(train, { target: r.target });
        const acc = accuracy(truth, f.predict(test));
        // k-NN ties at the k-th distance may be broken differently (telco has duplicate rows): allow 0.5% of test rows
        expect(Math.abs(acc - r[key].accuracy)).toBeLessThanOrEqual(key === 'gnb' ? 1e-12 : 0.005);
        if (key === 'gnb' || name !== 'telco-churn') expect(maxRelDiff(f.predictProba(test), r[key].proba)).toBeLessThan(1e-6);
      }
      const g = await new GaussianNaiveBayes().fit(train, { target: r.target });
      expect(maxRelDiff(g.theta, r.gnb.theta)).toBeLessThan(1e-9);
      expect(maxRelDiff(g.variance, r.gnb.var)).toBeLessThan(1e-9);
    });
  }

  it('KNeighborsRegressor on diabetes (standardised)', async () => {
    const cols = ref.regression['diabetes-progression'].columns as string[];
    const ds = standardized(readCsv('diabetes-progression'), cols);
    const { train, test } = split(ds, ref.knn_regression.test_idx);
    const u = await new KNeighborsRegressor().fit(train, { target: 'target' });
    expect(maxRelDiff(u.predict(test), ref.knn_regression.uniform)).toBeLessThan(1e-9);
    const d = await new KNeighborsRegressor({ weights: 'distance' }).fit(train, { target: 'target' });
    expect(maxRelDiff(d.predict(test), ref.knn_regression.distance)).toBeLessThan(1e-9);
  });
});
