import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARIMA, Dataset, ExponentialSmoothing, type Forecast, mase, SeasonalNaive, smape } from '../../src/index.js';
import { hasShared } from './tree-helpers.js';

interface Ref {
  values: number[];
  h: number;
  m: number;
  models: Record<string, { mase: number; smape: number; params?: Record<string, number>; coverage95?: number }>;
}
const REF = new URL('../../benchmarks/reference/model_trees_forecast.json', import.meta.url);
const ref = existsSync(REF) ? (JSON.parse(readFileSync(REF, 'utf8')) as Ref) : null;

// nyc-taxi passengers summed per day (the reference script aggregates the same way; its values are checked below)
describe.skipIf(!hasShared || !ref)('forecasters vs statsmodels on nyc-taxi daily (needs ../shared/data and the reference JSON)', () => {
  const r = ref as Ref;
  const csv = readFileSync(new URL('../../../shared/data/timeseries/nyc-taxi/data.csv', import.meta.url), 'utf8')
    .split('\n')
    .slice(1);
  const byDay = new Map<string, number>();
  for (const line of csv) {
    if (!line) continue;
    const [ts, v] = line.split(',');
    const d = (ts as string).slice(0, 10);
    byDay.set(d, (byDay.get(d) ?? 0) + Number(v));
  }
  const y = [...byDay.values()];
  const train = y.slice(0, y.length - r.h);
  const test = y.slice(y.length - r.h);
  const ds = Dataset.from({ y: train });
  const check = (name: string, fc: Forecast, slack = 1.1): void => {
    const ours = { mase: mase(test, fc.mean, train, { seasonality: r.m }), smape: 100 * smape(test, fc.mean) };
    const theirs = r.models[name] as { mase: number; smape: number };
    console.log(
      `${name}: tessera MASE ${ours.mase.toFixed(3)} sMAPE ${ours.smape.toFixed(2)}; statsmodels MASE ${theirs.mase.toFixed(3)} sMAPE ${theirs.smape.toFixed(2)}`,
    );
    expect(ours.mase).toBeLessThanOrEqual(theirs.mase * slack);
  };

  it('reads the same series as the reference', () => {
    expect(y).toEqual(r.values);
  });
  it('SeasonalNaive equals the reference exactly', async () => {
    const f = await new SeasonalNaive({ seasonLength: 7 }).fit(ds, { target: 'y' });
    check('SeasonalNaive', f.forecast(r.h), 1 + 1e-12);
  });
  it('Holt-Winters (additive, multiplicative, damped) is within 10% of statsmodels MASE', async () => {
    check(
      'ExponentialSmoothing(add,add)',
      (await new ExponentialSmoothing({ trend: 'add', seasonal: 'add', seasonLength: 7 }).fit(ds, { target: 'y' })).forecast(r.h),
    );
    check(
      'ExponentialSmoothing(add,mul)',
      (await new ExponentialSmoothing({ trend: 'add', seasonal: 'mul', seasonLength: 7 }).fit(ds, { target: 'y' })).forecast(r.h),
    );
    check(
      'ExponentialSmoothing(add damped,mul)',
      (await new ExponentialSmoothing({ trend: 'add', damped: true, seasonal: 'mul', seasonLength: 7 }).fit(ds, { target: 'y' })).forecast(r.h),
    );
  });
  it('seasonal ARIMA (CSS) is within 10% of statsmodels (exact ML) MASE, with close coefficients', async () => {
    const f = await new ARIMA({ order: [1, 0, 1], seasonalOrder: [0, 1, 1, 7] }).fit(ds, { target: 'y' });
    check('ARIMA(1,0,1)(0,1,1,7)', f.forecast(r.h));
    const p = r.models['ARIMA(1,0,1)(0,1,1,7)']?.params as Record<string, number>;
    console.log('ARIMA coefficients', f.coefficients, 'statsmodels', p);
    expect(Math.abs((f.coefficients.ar[0] as number) - (p['ar.L1'] as number))).toBeLessThan(0.15);
    expect(Math.abs((f.coefficients.sma[0] as number) - (p['ma.S.L7'] as number))).toBeLessThan(0.15);
    const g = await new ARIMA({ order: [2, 1, 1] }).fit(ds, { target: 'y' });
    check('ARIMA(2,1,1)', g.forecast(r.h));
  });
});
