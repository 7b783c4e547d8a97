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

/**
 * Anything that predicts each point of a series from the points before it, such as the fitted
 * `LSTMForecaster` of `tessera/nn`: `mean[i]` predicts `values[i]` (`NaN` where it cannot, e.g.
 * the first `window` points) and `sd` is the residual standard deviation (one value, or one per
 * point).
 *
 * @example
 * ```ts
 * const naive: OneStepForecaster = { oneStepAhead: (v) => ({ mean: Float64Array.from(v, (_, i) => (i ? v[i - 1] : Number.NaN)), sd: 1 }) };
 * ```
 */
export interface OneStepForecaster {
  oneStepAhead(values: ArrayLike<number>): { readonly mean: Float64Array; readonly sd: number | Float64Array };
}

/**
 * One-step-ahead forecasting-residual scores: `|values[i] − mean[i]| / sd` with the forecaster's
 * one-step predictions (e.g. `LSTMForecaster` from `tessera/nn`, fitted on a history). Points
 * the forecaster cannot predict (the first `window` points) score `NaN`, as do missing values.
 * The forecaster is any object implementing {@link OneStepForecaster}: this entry does not
 * depend on TensorFlow.js.
 *
 * @example
 * ```ts
 * import { oneStepResidualScores } from 'tessera';
 * import { LSTMForecaster } from 'tessera/nn';
 * const f = await new LSTMForecaster({ window: 24 }).fit(history);
 * const scores = oneStepResidualScores(f, recent); // > 3: a surprising point
 * ```
 */
export function oneStepResidualScores(forecaster: OneStepForecaster, values: ArrayLike<number>): Float64Array {
  if (!forecaster || typeof forecaster.oneStepAhead !== 'function') {
    throw new TesseraError('E_OPTION', 'oneStepResidualScores needs a fitted forecaster with oneStepAhead(values)', { option: 'forecaster' });
  }
  const n = values.length;
  const { mean, sd } = forecaster.oneStepAhead(values);
  if (mean.length !== n)
    throw new TesseraError('E_SHAPE', `oneStepResidualScores: the forecaster gave ${mean.length} predictions for ${n} points`, { option: 'forecaster' });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = values[i] as number;
    const m = mean[i] as number;
    const s = typeof sd === 'number' ? sd : (sd[i] as number);
    if (!Number.isFinite(y) || !Number.isFinite(m)) out[i] = Number.NaN;
    else out[i] = s > 0 ? Math.abs(y - m) / s : y === m ? 0 : Number.MAX_VALUE;
  }
  return out;
}
