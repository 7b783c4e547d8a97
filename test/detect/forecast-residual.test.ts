import { describe, expect, it } from 'vitest';
import { Dataset, ExponentialSmoothing, forecastResidualScores, isTesseraError } from '../../src/index.js';

describe('forecastResidualScores (Holt-Winters from the model area)', () => {
  it('scores a point off the forecast highest, with the horizon-aware interval', async () => {
    const period = 12;
    const y = Array.from({ length: period * 14 }, (_, i) => 50 + 0.05 * i + 8 * Math.sin((2 * Math.PI * i) / period) + 0.5 * Math.cos(i * 2.3));
    const history = y.slice(0, period * 12);
    const future = y.slice(period * 12);
    future[7] = (future[7] as number) + 6;
    const fitted = await new ExponentialSmoothing({ trend: 'add', seasonal: 'add', seasonLength: period }).fit(Dataset.from({ y: history }), { target: 'y' });
    const s = forecastResidualScores(fitted, [...future, Number.NaN]);
    expect(s.length).toBe(future.length + 1);
    expect(Number.isNaN(s[future.length])).toBe(true);
    const finite = Array.from(s).filter((v) => Number.isFinite(v));
    expect(s[7]).toBe(Math.max(...finite));
    expect(s[7]).toBeGreaterThan(1.96);
    expect(forecastResidualScores(fitted, []).length).toBe(0);
  });
  it('refuses something that cannot forecast', () => {
    try {
      forecastResidualScores({} as never, [1]);
      throw new Error('expected E_OPTION');
    } catch (e) {
      expect(isTesseraError(e, 'E_OPTION')).toBe(true);
    }
  });
});
