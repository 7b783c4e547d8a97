export * from './arima.js';
export type { Forecast, ForecastOptions } from './common.js';
export * from './exponential-smoothing.js';
export * from './seasonal-naive.js';
