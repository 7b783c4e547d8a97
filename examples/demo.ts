/**
 * tessera demo on real data that installs with the project: vega-datasets' Seattle weather
 * (1,461 days, 2012-2015) and cars (406 cars). Run: `npm run demo`.
 *
 * Load → profile and check quality → segment → detect anomalies → predict → ask in plain English.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ask,
  Dataset,
  type FittedModel,
  HistGradientBoostingRegressor,
  IsolationForest,
  KMeans,
  load,
  OneHotEncoder,
  pipeline,
  profile,
  readCSV,
  rmse,
  runChecks,
  StandardScaler,
  suggestChecks,
  trainTestSplit,
} from '../src/index.js';

// vega-datasets' JS API downloads from a CDN; read the files that ship inside the package instead.
const data = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'vega-datasets', 'data');
const line = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);

// 1. Load a CSV (kinds inferred: date → datetime, weather → category).
const weather = readCSV(readFileSync(join(data, 'seattle-weather.csv')), { schema: { date: { role: 'time' } } });
line('Load');
console.log(`seattle-weather.csv: ${weather.nrows} rows`);
for (const f of weather.schema.fields) console.log(`  ${f.name.padEnd(14)} ${f.kind.padEnd(9)} ${f.role ?? ''}`);

// 2. Profile, then a check suite suggested from 2012-2014 run on 2015.
line('Quality');
const prof = profile(weather);
for (const c of prof.columns.filter((c) => c.numeric && c.kind !== 'datetime')) {
  const s = c.numeric;
  if (s) console.log(`  ${c.name.padEnd(14)} mean ${s.mean.toFixed(2).padStart(7)}  sd ${s.std.toFixed(2).padStart(6)}  min ${s.min}  max ${s.max}`);
}
const year = (d: Dataset) => Array.from(d.matrix(['date']), (ms) => new Date(ms).getUTCFullYear());
const years = year(weather);
const before = weather.filter(years.map((y) => y < 2015));
const in2015 = weather.filter(years.map((y) => y === 2015));
const suite = suggestChecks(before);
const report = runChecks(in2015, suite);
console.log(`  ${suite.checks.length} checks suggested from 2012-2014; on 2015: ${report.success ? 'all pass' : `${report.findings.length} findings`}`);
for (const f of report.findings.slice(0, 3)) console.log(`   - ${f.message}`);

// 3. Segment the cars: one-hot origin, scale, k-means.
line('Segment');
const cars = Dataset.from(JSON.parse(readFileSync(join(data, 'cars.json'), 'utf8')) as Record<string, unknown>[], { roles: { Name: 'id' } })
  .drop(['Year'])
  .filter((r) => r.Horsepower !== null && r.Miles_per_Gallon !== null);
const segmenter = await pipeline([new OneHotEncoder(), new StandardScaler(), new KMeans({ k: 3, nInit: 10, seed: 1 })]).fit(cars);
const labels = segmenter.predict(cars);
for (let k = 0; k < 3; k++) {
  const members = cars.filter(Array.from(labels, (l) => l === k));
  const mean = (c: string) => Array.from(members.matrix([c])).reduce((a, b) => a + b, 0) / members.nrows;
  console.log(
    `  segment ${k}: ${String(members.nrows).padStart(3)} cars, ${mean('Horsepower').toFixed(0)} hp, ${mean('Miles_per_Gallon').toFixed(1)} mpg, ${mean('Weight_in_lbs').toFixed(0)} lbs`,
  );
}

// 4. Anomalies: the most unusual days by Isolation Forest.
line('Detect');
const numeric = weather.select(['precipitation', 'temp_max', 'temp_min', 'wind']);
const forest = await new IsolationForest({ seed: 7, contamination: 0.01 }).fit(numeric);
const scores = forest.score(numeric);
const top = Array.from(scores.keys())
  .sort((a, b) => (scores[b] as number) - (scores[a] as number))
  .slice(0, 3);
for (const i of top) {
  const r = weather.row(i);
  console.log(
    `  ${(r.date as Date).toISOString().slice(0, 10)}  score ${scores[i]?.toFixed(3)}  precip ${r.precipitation}  max ${r.temp_max}  min ${r.temp_min}  wind ${r.wind}`,
  );
}
console.log(`  flagged ${forest.predict(numeric).filter(Boolean).length} of ${numeric.nrows} days`);

// 5. Predict fuel economy; save the fitted pipeline as JSON and load it back.
line('Predict');
const { train, test } = trainTestSplit(cars.drop(['Name']), { testSize: 0.25, seed: 3 });
const model = await pipeline([new OneHotEncoder(), new HistGradientBoostingRegressor({ seed: 3 })]).fit(train, { target: 'Miles_per_Gallon' });
const truth = test.matrix(['Miles_per_Gallon']);
const restored = load<FittedModel<Float64Array>>(JSON.parse(JSON.stringify(model.toJSON())));
console.log(
  `  gradient boosting, test RMSE ${rmse(truth, model.predict(test)).toFixed(2)} mpg; reloaded model RMSE ${rmse(truth, restored.predict(test)).toFixed(2)}`,
);

// 6. Ask in plain English.
line('Ask');
for (const q of ['average temp_max by weather', 'how many days had more than 30 precipitation', 'which weather has the highest average wind']) {
  const a = ask(weather, q);
  console.log(`  Q: ${q}\n     understood as: ${a.restatement}`);
  console.log(
    a.result
      .toString(6)
      .split('\n')
      .slice(1)
      .map((l) => `     ${l}`)
      .join('\n'),
  );
}
