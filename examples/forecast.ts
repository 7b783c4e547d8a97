/**
 * Forecast daily taxi demand a week ahead with three forecasters and compare them on the last
 * four weeks. Run: npx tsx examples/forecast.ts
 */
import { ARIMA, Dataset, ExponentialSmoothing, mase, SeasonalNaive } from '../src/index.js';

// A synthetic daily series with trend, weekly seasonality and noise (the tests use the real
// nyc-taxi series from ../shared/data).
const days = 200;
let seed = 7;
const noise = (): number => {
  seed = (Math.imul(1664525, seed) + 1013904223) >>> 0;
  return seed / 4294967296 - 0.5;
};
const start = Date.UTC(2024, 0, 1);
const date = Array.from({ length: days }, (_, t) => new Date(start + t * 86_400_000));
const demand = Array.from({ length: days }, (_, t) => 1000 + 2 * t + 150 * [1, 0.9, 0.95, 1, 1.2, 1.5, 0.7][t % 7]! + 60 * noise());
const ds = Dataset.from({ date, demand }, { schema: { date: { kind: 'datetime' } }, roles: { date: 'time', demand: 'target' } });

const h = 28;
const train = ds.slice(0, days - h);
const actual = ds.slice(days - h).matrix(['demand']);
const trainY = train.matrix(['demand']);

const models = {
  'seasonal naive': new SeasonalNaive({ seasonLength: 7 }),
  'Holt-Winters (damped, multiplicative)': new ExponentialSmoothing({ trend: 'add', damped: true, seasonal: 'mul', seasonLength: 7 }),
  'ARIMA(1,0,1)(0,1,1,7)': new ARIMA({ order: [1, 0, 1], seasonalOrder: [0, 1, 1, 7] }),
};
for (const [name, model] of Object.entries(models)) {
  const fitted = await model.fit(train);
  const f = fitted.forecast(h, { level: 0.9 });
  const next = new Date(f.time?.[0] ?? 0).toISOString().slice(0, 10);
  console.log(
    `${name.padEnd(40)} MASE ${mase(actual, f.mean, trainY, { seasonality: 7 }).toFixed(3)}  first day ${next}: ${f.mean[0]?.toFixed(0)} [${f.lower[0]?.toFixed(0)}, ${f.upper[0]?.toFixed(0)}]`,
  );
}
