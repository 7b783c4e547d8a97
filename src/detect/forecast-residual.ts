import { TesseraError } from '../core/errors.js';

/**
 * Anything that forecasts `h` steps ahead with a prediction interval, such as a fitted
 * `ExponentialSmoothing` (Holt-Winters), `ARIMA` or `SeasonalNaive` from the model area.
 *
 * @example
 * ```ts
 * const f: Forecaster = await new ExponentialSmoothing({ seasonal: 'add', seasonLength: 24 }).fit(train, { target: 'y' });
 * ```
 */
export interface Forecaster {
  forecast(h: number, options?: { level?: number }): { readonly mean: Float64Array; readonly lower: Float64Array; readonly upper: Float64Array };
}

const Z95 = 1.959963984540054;

/**
 * Forecasting-residual anomaly scores: the forecaster (fitted on the history) predicts the next
 * `actual.length` steps with a 95% interval; each point's score is its standardised residual
 * `|actual − mean| / sd_h`, with `sd_h` the forecast standard deviation at that horizon (so the
 * interval widening with the horizon is accounted for). A score above 1.96 lies outside the 95%
 * interval. Missing actual values (`NaN`) score `NaN`.
 *
 * @example
 * ```ts
 * import { Dataset, ExponentialSmoothing, forecastResidualScores } from 'tessera';
 * const fitted = await new ExponentialSmoothing({ seasonal: 'add', seasonLength: 24 }).fit(Dataset.from({ y: history }), { target: 'y' });
 * const scores = forecastResidualScores(fitted, nextDay); // > 1.96: outside the 95% interval
 * ```
 */
export function forecastResidualScores(forecaster: Forecaster, actual: ArrayLike<number>): Float64Array {
  if (!forecaster || typeof forecaster.forecast !== 'function') {
    throw new TesseraError('E_OPTION', 'forecastResidualScores needs a fitted forecaster with forecast(h, { level })', { option: 'forecaster' });
  }
  const h = actual.length;
  if (h === 0) return new Float64Array(0);
  const f = forecaster.forecast(h, { level: 0.95 });
  const out = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const y = actual[i] as number;
    const mean = f.mean[i] as number;
    const sd = ((f.upper[i] as number) - (f.lower[i] as number)) / (2 * Z95);
    if (!Number.isFinite(y)) out[i] = Number.NaN;
    else out[i] = sd > 0 ? Math.abs(y - mean) / sd : y === mean ? 0 : Number.MAX_VALUE;
  }
  return out;
}
