import { describe, expect, it } from 'vitest';
import { ARIMA, Dataset, ExponentialSmoothing, type FittedARIMA, load, Rng, SeasonalNaive } from '../../src/index.js';
import { conformance } from '../conformance.js';

function seasonalSeries(n: number, seed = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, t) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 7) + rng.normal());
}
const day = 86_400_000;
const data = () =>
  Dataset.from(
    { date: Array.from({ length: 56 }, (_, t) => new Date(Date.UTC(2024, 0, 1) + t * day)), y: seasonalSeries(56) },
    { schema: { date: { kind: 'datetime' } }, roles: { y: 'target', date: 'time' } },
  );
const withMissing = () => data().withColumn('y', [null, ...seasonalSeries(56).slice(1)]);

conformance({
  name: 'SeasonalNaive',
  make: (o) => new SeasonalNaive(o),
  baseOptions: { seasonLength: 7 },
  data,
  withMissing,
  badOptions: [{ seasonLength: 0 }],
  oneRow: 'error',
});
conformance({
  name: 'ExponentialSmoothing',
  make: (o) => new ExponentialSmoothing(o),
  baseOptions: { trend: 'add', seasonal: 'add', seasonLength: 7 },
  data,
  withMissing,
  badOptions: [{ seasonal: 'mul', seasonLength: undefined }, { trend: 'mul' }, { damped: true, trend: null }],
  oneRow: 'error',
});
conformance({
  name: 'ARIMA',
  make: (o) => new ARIMA(o),
  baseOptions: { order: [1, 0, 0], seasonalOrder: [0, 1, 1, 7] },
  data,
  withMissing,
  badOptions: [{ order: [1, 0] }, { seasonalOrder: [1, 0, 0, 0] }, { order: [-1, 0, 0] }, { method: 'mle' }],
  oneRow: 'error',
});

describe('forecasters', () => {
  it('SeasonalNaive repeats the last season; intervals widen by season', async () => {
    const ds = Dataset.from({ y: [1, 5, 3, 2, 6, 4, 3, 7, 5] });
    const f = await new SeasonalNaive({ seasonLength: 3 }).fit(ds, { target: 'y' });
    const fc = f.forecast(6, { level: 0.9 });
    expect(Array.from(fc.mean)).toEqual([3, 7, 5, 3, 7, 5]);
    // seasonal differences are all 1: sigma = 1; z(0.95) = 1.6449
    expect((fc.upper[0] as number) - (fc.mean[0] as number)).toBeCloseTo(1.6448536, 5);
    expect((fc.upper[3] as number) - (fc.mean[3] as number)).toBeCloseTo(1.6448536 * Math.SQRT2, 5);
  });

  it('forecast carries future time stamps from the time column', async () => {
    const f = await new SeasonalNaive({ seasonLength: 7 }).fit(data());
    const fc = f.forecast(2);
    expect(fc.time?.[0]).toBe(Date.UTC(2024, 0, 1) + 56 * day);
    expect(fc.time?.[1]).toBe(Date.UTC(2024, 0, 1) + 57 * day);
  });

  it('Holt-Winters recovers a trend + weekly season and forecasts it', async () => {
    const y = seasonalSeries(140);
    const ds = Dataset.from({ y: y.slice(0, 126) });
    const f = await new ExponentialSmoothing({ trend: 'add', seasonal: 'add', seasonLength: 7 }).fit(ds, { target: 'y' });
    const fc = f.forecast(14);
    let mae = 0;
    for (let i = 0; i < 14; i++) mae += Math.abs((fc.mean[i] as number) - (y[126 + i] as number)) / 14;
    expect(mae).toBeLessThan(2.5);
    expect(f.alpha).toBeGreaterThan(0);
    for (let i = 0; i < 14; i++) expect((fc.upper[i] as number) > (fc.mean[i] as number) && (fc.lower[i] as number) < (fc.mean[i] as number)).toBe(true);
    expect((fc.upper[13] as number) - (fc.lower[13] as number)).toBeGreaterThan((fc.upper[0] as number) - (fc.lower[0] as number));
  });

  it('multiplicative seasonality needs positive values (named row)', async () => {
    const ds = Dataset.from({ y: [1, 2, 3, -1, 2, 3, 1, 2, 3] });
    await expect(new ExponentialSmoothing({ seasonal: 'mul', seasonLength: 3 }).fit(ds, { target: 'y' })).rejects.toMatchObject({
      code: 'E_SCHEMA',
      details: { row: 3 },
    });
  });

  it('ARIMA(1,0,0) recovers the AR coefficient of a simulated AR(1)', async () => {
    const rng = new Rng(3);
    const y: number[] = [0];
    for (let t = 1; t < 600; t++) y.push(0.7 * (y[t - 1] as number) + rng.normal());
    const f = await new ARIMA({ order: [1, 0, 0] }).fit(Dataset.from({ y: y.map((v) => v + 5) }), { target: 'y' });
    expect(f.coefficients.ar[0]).toBeCloseTo(0.7, 1);
    expect(f.coefficients.mean).toBeCloseTo(5, 0);
    expect(f.sigma2).toBeCloseTo(1, 0);
    // AR(1) forecast: mean reverts; the h-step variance is sigma^2 (1 + phi^2 + ...)
    const fc = f.forecast(50);
    expect(fc.mean[49]).toBeCloseTo(f.coefficients.mean, 1);
    const phi = f.coefficients.ar[0] as number;
    const sd2 = Math.sqrt(f.sigma2 * (1 + phi * phi));
    expect(((fc.upper[1] as number) - (fc.mean[1] as number)) / sd2).toBeCloseTo(1.959964, 4);
  });

  it('ARIMA with differencing follows a trend, and round-trips', async () => {
    const y = seasonalSeries(84);
    const f: FittedARIMA = await new ARIMA({ order: [1, 1, 0], seasonalOrder: [0, 1, 1, 7] }).fit(Dataset.from({ y }), { target: 'y' });
    const fc = f.forecast(7);
    expect(fc.mean[6]).toBeGreaterThan((y[83] as number) - 15);
    const again = load<FittedARIMA>(JSON.parse(JSON.stringify(f.toJSON())));
    expect(Array.from(again.forecast(7).upper)).toEqual(Array.from(fc.upper));
  });

  it('ARIMA exact ML: the log-likelihood is the closed-form exact AR(1) likelihood, and it is maximal', async () => {
    const rng = new Rng(11);
    const y: number[] = [0];
    for (let t = 1; t < 80; t++) y.push(0.6 * (y[t - 1] as number) + rng.normal());
    const ds = Dataset.from({ y });
    const f = await new ARIMA({ order: [1, 0, 0], includeMean: false, method: 'ml' }).fit(ds, { target: 'y' });
    // exact AR(1) likelihood with sigma2 at its MLE: S = (1 - phi^2) y0^2 + sum (y_t - phi y_{t-1})^2
    const exact = (phi: number): number => {
      let S = (1 - phi * phi) * (y[0] as number) ** 2;
      for (let t = 1; t < y.length; t++) S += ((y[t] as number) - phi * (y[t - 1] as number)) ** 2;
      const n = y.length;
      return -0.5 * n * (Math.log(2 * Math.PI) + 1 + Math.log(S / n)) + 0.5 * Math.log(1 - phi * phi);
    };
    const phi = f.coefficients.ar[0] as number;
    expect(f.logLikelihood).toBeCloseTo(exact(phi), 8);
    expect(exact(phi)).toBeGreaterThanOrEqual(exact(phi + 1e-3));
    expect(exact(phi)).toBeGreaterThanOrEqual(exact(phi - 1e-3));
    // one-step interval: sigma2 * P_{n+1|n}[0,0] = sigma2 (steady state of an AR(1))
    const fc = f.forecast(1, { level: 0.95 });
    expect(((fc.upper[0] as number) - (fc.mean[0] as number)) / Math.sqrt(f.sigma2)).toBeCloseTo(1.959964, 5);
    expect(fc.mean[0]).toBeCloseTo(phi * (y[79] as number), 10);
  });

  it("ARIMA methods: 'ml' and 'css-ml' reach the same exact-likelihood optimum, at least as high as 'css'", async () => {
    const rng = new Rng(5);
    const e = Array.from({ length: 150 }, () => rng.normal());
    const y: number[] = [0];
    for (let t = 1; t < 150; t++) y.push(0.5 * (y[t - 1] as number) + (e[t] as number) + 0.4 * (e[t - 1] as number) + 3);
    const ds = Dataset.from({ y });
    const fitWith = (method: 'css' | 'ml' | 'css-ml') => new ARIMA({ order: [1, 0, 1], method }).fit(ds, { target: 'y' });
    const [css, ml, cssMl] = await Promise.all([fitWith('css'), fitWith('ml'), fitWith('css-ml')]);
    expect(new ARIMA().params.method).toBe('css-ml');
    expect(ml.logLikelihood).toBeGreaterThanOrEqual(css.logLikelihood - 1e-9);
    expect(Math.abs(ml.logLikelihood - cssMl.logLikelihood)).toBeLessThan(1e-7);
    expect(Math.abs((ml.coefficients.ar[0] as number) - (cssMl.coefficients.ar[0] as number))).toBeLessThan(1e-3);
    expect(Math.abs((ml.coefficients.ma[0] as number) - (cssMl.coefficients.ma[0] as number))).toBeLessThan(1e-3);
    expect(ml.coefficients.ar[0]).toBeCloseTo(0.5, 0);
    expect(ml.coefficients.mean).toBeCloseTo(6, 0);
    const again = load<FittedARIMA>(JSON.parse(JSON.stringify(ml.toJSON())));
    expect(again.logLikelihood).toBe(ml.logLikelihood);
    expect(Array.from(again.forecast(5).lower)).toEqual(Array.from(ml.forecast(5).lower));
  });

  it('refuses a missing target value by row, an unsorted time column, and bad forecast arguments', async () => {
    await expect(new SeasonalNaive().fit(withMissing())).rejects.toMatchObject({ code: 'E_MISSING_VALUES', details: { row: 0 } });
    const shuffled = data().take([1, 0, ...Array.from({ length: 54 }, (_, i) => i + 2)]);
    await expect(new SeasonalNaive().fit(shuffled)).rejects.toMatchObject({ code: 'E_SCHEMA', details: { row: 1 } });
    const f = await new SeasonalNaive().fit(data());
    expect(() => f.forecast(0)).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => f.forecast(3, { level: 1.5 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});
