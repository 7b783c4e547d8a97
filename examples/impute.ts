/**
 * Filling gaps: simple fills, nearest neighbours, chained equations (MICE) with multiple
 * imputation pooled by Rubin's rules, and a model-based fill of one column.
 *
 *   npx tsx examples/impute.ts
 */
import { Dataset, enrich, IterativeImputer, KNNImputer, poolRubin, RandomForestRegressor, SimpleImputer } from '../src/index.js';

// A small table with gaps in numbers and in a category.
const ds = Dataset.from(
  {
    age: [23, 35, null, 52, 41, null, 29, 63, 47, 38],
    income: [28, 45, 39, null, 58, 61, 33, null, 64, 49],
    spend: [3.1, 4.8, 4.0, 6.9, 6.1, 6.5, 3.6, 7.7, 6.8, 5.2],
    region: ['north', 'south', null, 'south', 'north', 'south', 'north', null, 'south', 'north'],
  },
  { schema: { region: { kind: 'category' } } },
);

const simple = await new SimpleImputer({ strategy: 'median', addIndicator: true }).fit(ds);
const s = simple.transformWithReport(ds);
console.log('SimpleImputer filled', s.report.columns.map((c) => `${c.column}: ${c.filled}`).join(', '));
console.log(s.data.toString(4));

const knn = await new KNNImputer({ k: 3, weights: 'distance' }).fit(ds);
console.log('KNNImputer row 2:', knn.transform(ds).row(2));

const mice = await new IterativeImputer({ sampleFromPosterior: true, m: 5, seed: 1 }).fit(ds);
const tables = mice.transformMultiple(ds);
// Mean income in each completed table, with its squared standard error, pooled by Rubin's rules.
const est = tables.map((t) => {
  const v = t.toColumns().income as number[];
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
  return { m, se2: s2 / v.length };
});
const pooled = poolRubin(
  est.map((e) => e.m),
  est.map((e) => e.se2),
);
console.log(`mean income ${pooled.estimate.toFixed(1)} ± ${pooled.se.toFixed(1)} (fraction of missing information ${pooled.fmi.toFixed(3)})`);

const filled = await enrich((await new SimpleImputer({ columns: ['age'] }).fit(ds)).transform(ds).select(['age', 'spend', 'income']), {
  column: 'income',
  model: new RandomForestRegressor({ nEstimators: 50, seed: 1 }),
});
console.log('enrich filled income at rows 3 and 7:', filled.data.get(3, 'income'), filled.data.get(7, 'income'));
console.log('income at rows 3 and 7 in the 5 imputations:', tables.map((t) => `${t.get(3, 'income')}/${t.get(7, 'income')}`).join(' '));
