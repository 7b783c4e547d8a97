/**
 * Forecasting benchmark: fit + forecast times of tessera's forecasters on the shared nyc-taxi
 * series (daily totals, 187 training days, m = 7; and the raw 30-minute series, 10,320 points,
 * m = 48), medians of 5 runs, CPU time. No npm peer for seasonal ARIMA / Holt-Winters is installed;
 * accuracy against statsmodels is in benchmarks/results/model-trees.md (test/model/forecast.node.test.ts).
 *
 * Run: npx tsx benchmarks/forecast.bench.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { ARIMA, Dataset, ExponentialSmoothing, type Model, SeasonalNaive } from '../src/index.js';

const file = new URL('../../shared/data/timeseries/nyc-taxi/data.csv', import.meta.url);
if (!existsSync(file)) {
  console.log('skipped: needs ../shared/data/timeseries/nyc-taxi');
  process.exit(0);
}
const raw: number[] = [];
const byDay = new Map<string, number>();
for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
  if (!line) continue;
  const [ts, v] = line.split(',');
  raw.push(Number(v));
  const d = (ts as string).slice(0, 10);
  byDay.set(d, (byDay.get(d) ?? 0) + Number(v));
}
const daily = [...byDay.values()].slice(0, -28);

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1] as number;
}

async function bench(label: string, y: number[], make: () => Model, runs = 5): Promise<void> {
  const ds = Dataset.from({ y });
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c = process.cpuUsage();
    const f = (await make().fit(ds, { target: 'y' })) as unknown as { forecast(h: number): unknown };
    f.forecast(28);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  console.log(`${label.padEnd(58)} ${String(y.length).padStart(6)} points  cpu median ${median(cpu).toFixed(1)} ms`);
}

console.log(`# forecast benchmark (${new Date().toISOString().slice(0, 10)}), Node ${process.version}`);
await bench('SeasonalNaive(7), daily', daily, () => new SeasonalNaive({ seasonLength: 7 }));
await bench('ExponentialSmoothing(add, add, 7), daily', daily, () => new ExponentialSmoothing({ trend: 'add', seasonal: 'add', seasonLength: 7 }));
await bench(
  'ExponentialSmoothing(add damped, mul, 7), daily',
  daily,
  () => new ExponentialSmoothing({ trend: 'add', damped: true, seasonal: 'mul', seasonLength: 7 }),
);
await bench('ARIMA(1,0,1)(0,1,1,7), daily', daily, () => new ARIMA({ order: [1, 0, 1], seasonalOrder: [0, 1, 1, 7] }));
await bench('ExponentialSmoothing(add, add, 48), 30-minute', raw, () => new ExponentialSmoothing({ trend: 'add', seasonal: 'add', seasonLength: 48 }), 3);
await bench('ARIMA(2,0,0)(0,1,1,48), 30-minute', raw, () => new ARIMA({ order: [2, 0, 0], seasonalOrder: [0, 1, 1, 48] }), 3);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
