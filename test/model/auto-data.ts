/** Shared-data helpers for the AutoModel tests and benchmark (Node only). */
import { accuracy, type Dataset, type FittedAutoModel, rmse, rocAuc } from '../../src/index.js';
import { type Ref, readCsv } from './linear-data.js';

/** The set prepared as the reference script does (same columns, same rows). */
export function autoSet(name: string): Dataset {
  let ds = readCsv(name);
  if (name === 'titanic') ds = ds.drop(['passenger']);
  if (name === 'iris') ds = ds.drop(['target']);
  if (name === 'cars-auto-mpg') {
    ds = ds.filter((r) => r.Miles_per_Gallon !== null).drop(['Name']);
    const years = (ds.toColumns().Year as unknown[]).map((v) => (v instanceof Date ? v.getUTCFullYear() : Number(String(v).slice(0, 4))));
    ds = ds.withColumn('Year', years, 'integer');
  }
  return ds;
}

export function splitByIndex(ds: Dataset, testIdx: readonly number[]): { train: Dataset; test: Dataset } {
  const isTest = new Set(testIdx);
  const tr: number[] = [];
  for (let i = 0; i < ds.nrows; i++) if (!isTest.has(i)) tr.push(i);
  return { train: ds.take(tr), test: ds.take([...testIdx]) };
}

/** Test metric used for the comparison: ROC AUC (binary), accuracy (multiclass), RMSE (regression). */
export function testMetric(fitted: FittedAutoModel, test: Dataset, r: Ref): { name: string; ours: number; best: number; bestModel: string; better: boolean } {
  const truth = test.toColumns()[r.target] as (string | number)[];
  const models = Object.entries(r.models) as [string, Record<string, number>][];
  if (r.task === 'regression') {
    const ours = rmse(truth as number[], fitted.predict(test) as Float64Array);
    const [bestModel, s] = models.reduce((a, b) => ((b[1].rmse as number) < (a[1].rmse as number) ? b : a));
    return { name: 'rmse', ours, best: s.rmse as number, bestModel, better: ours <= (s.rmse as number) };
  }
  const binary = fitted.classes?.length === 2;
  const key = binary ? 'roc_auc' : 'accuracy';
  let ours: number;
  if (binary) {
    const P = fitted.predictProba(test);
    ours = rocAuc(
      truth,
      Float64Array.from({ length: test.nrows }, (_, i) => P[i * 2 + 1] as number),
      { posLabel: fitted.classes?.[1] as string },
    );
  } else ours = accuracy(truth, fitted.predict(test) as (string | number)[]);
  const [bestModel, s] = models.reduce((a, b) => ((b[1][key] as number) > (a[1][key] as number) ? b : a));
  return { name: key, ours, best: s[key] as number, bestModel, better: ours >= (s[key] as number) };
}
