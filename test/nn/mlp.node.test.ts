import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, type Dataset, rmse } from '../../src/index.js';
import { MLPClassifier, MLPRegressor, tensorCount } from '../../src/nn/index.js';
import { startBackend } from '../helpers/nn.js';
import { dropMissing, HAS_DATA, readCsv } from '../model/linear-data.js';

// scikit-learn 1.2 MLPClassifier / MLPRegressor with the same architecture and training (one hidden
// layer of 100 ReLU units, Adam 1e-3, batches of 200, 200 epochs, alpha 1e-4, tol 1e-4 / 10 epochs),
// standardised features (and standardised target for regression), on the same 75/25 split:
// benchmarks/reference/model_mlp.py -> model_mlp.json, five seeds. The initial weights and batch
// orders of the two libraries differ, so the means over seeds are compared: accuracy within 0.03,
// RMSE within 5%.
const ref = HAS_DATA ? JSON.parse(readFileSync(new URL('../../benchmarks/reference/model_mlp.json', import.meta.url), 'utf8')) : { sets: {} };
const SEEDS = [0, 1, 2];

beforeAll(async () => {
  await startBackend();
});

/** Train and test rows as the reference script builds them. */
function mlpSplit(name: string): { train: Dataset; test: Dataset; r: { task: string; target: string; columns: string[]; metric_mean: number } } {
  const r = ref.sets[name];
  const ds = dropMissing(readCsv(name), [...r.columns, r.target]).select([...r.columns, r.target]);
  if (ds.nrows !== r.nrows) throw new Error(`${name}: ${ds.nrows} rows, reference ${r.nrows}`);
  const isTest = new Set<number>(r.test_idx);
  const tr: number[] = [];
  for (let i = 0; i < ds.nrows; i++) if (!isTest.has(i)) tr.push(i);
  return { train: ds.take(tr), test: ds.take(r.test_idx), r };
}

/** Test accuracy or RMSE of tessera's MLP with seed `seed` (regression: target standardised on the training rows). */
async function mlpScore(name: string, seed: number): Promise<{ metric: number; epochs: number; fitMs: number }> {
  const { train, test, r } = mlpSplit(name);
  const t0 = performance.now();
  if (r.task === 'classification') {
    const f = await new MLPClassifier({ seed }).fit(train, { target: r.target });
    const fitMs = performance.now() - t0;
    const metric = accuracy(test.toColumns()[r.target] as (string | number)[], f.predict(test));
    const epochs = f.epochs;
    f.dispose();
    return { metric, epochs, fitMs };
  }
  const y = train.toColumns()[r.target] as number[];
  const mu = y.reduce((a, b) => a + b, 0) / y.length;
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - mu) ** 2, 0) / y.length);
  const scaled = train.withColumn(
    r.target,
    y.map((v) => (v - mu) / sd),
  );
  const f = await new MLPRegressor({ seed }).fit(scaled, { target: r.target });
  const fitMs = performance.now() - t0;
  const pred = Array.from(f.predict(test), (v) => v * sd + mu);
  const metric = rmse(test.toColumns()[r.target] as number[], pred);
  const epochs = f.epochs;
  f.dispose();
  return { metric, epochs, fitMs };
}

describe.skipIf(!HAS_DATA)('MLP matches scikit-learn MLPClassifier / MLPRegressor on shared sets (needs ../shared/data)', () => {
  for (const name of ['wine', 'penguins', 'cars-auto-mpg', 'diabetes-progression']) {
    it(`${name}`, { timeout: 120_000 }, async () => {
      const r = ref.sets[name];
      const before = tensorCount();
      const scores: number[] = [];
      for (const seed of SEEDS) scores.push((await mlpScore(name, seed)).metric);
      expect(tensorCount()).toBe(before);
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      if (r.metric_name === 'accuracy') expect(mean).toBeGreaterThanOrEqual(r.metric_mean - 0.03);
      else expect(mean).toBeLessThanOrEqual(r.metric_mean * 1.05);
    });
  }
});
