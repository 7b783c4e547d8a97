import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, forecastResidualScores, load, oneStepResidualScores, Rng } from '../../src/index.js';
import { type FittedLSTMForecaster, LSTMForecaster, tensorCount } from '../../src/nn/index.js';
import { conformance } from '../conformance.js';
import { startBackend } from '../helpers/nn.js';

beforeAll(async () => {
  await startBackend();
});

function series(n: number, seed = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 12) + 0.3 * rng.normal());
}
const small = { window: 6, units: 4, epochs: 3 };
const data = (): Dataset => Dataset.from({ y: series(40) });

conformance({
  name: 'LSTMForecaster',
  make: (o) => new LSTMForecaster(o),
  baseOptions: small,
  data,
  fitOptions: { target: 'y' },
  withMissing: () => Dataset.from({ y: [null, ...series(40).slice(1)] }),
  badOptions: [{ window: 1 }, { units: 0 }, { scaling: 'log' }, { learningRate: 0 }],
  oneRow: 'error',
  tensorCount,
});

describe('LSTMForecaster', () => {
  const train = series(160);
  const opts = { window: 12, units: 8, epochs: 25, learningRate: 0.02, seed: 7 };

  it('learns a seasonal series (one-step error far below the naive one), deterministically, without leaking tensors', async () => {
    const before = tensorCount();
    const f1 = await new LSTMForecaster(opts).fit(train);
    const f2 = await new LSTMForecaster(opts).fit(train);
    const test = series(80, 2);
    const p = f1.oneStepAhead(test);
    expect(Array.from(p.mean)).toEqual(Array.from(f2.oneStepAhead(test).mean));
    expect(Number.isNaN(p.mean[11] as number)).toBe(true);
    let se = 0;
    let naive = 0;
    for (let i = 12; i < test.length; i++) {
      se += ((test[i] as number) - (p.mean[i] as number)) ** 2;
      naive += ((test[i] as number) - (test[i - 1] as number)) ** 2;
    }
    expect(se).toBeLessThan(0.5 * naive);
    expect(f1.residualSd).toBeGreaterThan(0);
    const fc = f1.forecast(6);
    expect(fc.upper[5]! - fc.lower[5]!).toBeGreaterThan(fc.upper[0]! - fc.lower[0]!);
    f1.dispose();
    f2.dispose();
    expect(tensorCount()).toBe(before);
  });

  it('drives the residual detectors: a spike scores far above the rest; JSON round trip gives the same scores', async () => {
    const before = tensorCount();
    const f = await new LSTMForecaster(opts).fit(train);
    const test = series(80, 3);
    test[50] = (test[50] as number) + 15;
    const s = oneStepResidualScores(f, test);
    let argmax = 12;
    for (let i = 12; i < s.length; i++) if ((s[i] as number) > (s[argmax] as number)) argmax = i;
    expect(argmax).toBe(50);
    expect(s[50]).toBeGreaterThan(5);
    const again = load<FittedLSTMForecaster>(JSON.parse(JSON.stringify(f.toJSON())));
    expect(Array.from(oneStepResidualScores(again, test))).toEqual(Array.from(s));
    const multi = forecastResidualScores(f, series(5, 4));
    expect(multi.length).toBe(5);
    f.dispose();
    again.dispose();
    expect(tensorCount()).toBe(before);
    expect(() => f.forecast(3)).toThrow(/disposed/);
  });

  it('refuses a too-short series and gaps', async () => {
    await expect(new LSTMForecaster({ window: 10 }).fit([1, 2, 3])).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(new LSTMForecaster({ window: 3 }).fit([1, 2, Number.NaN, 4, 5, 6])).rejects.toMatchObject({ code: 'E_MISSING_VALUES' });
  });
});
