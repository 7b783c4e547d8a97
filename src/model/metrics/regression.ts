import { TesseraError } from '../../core/errors.js';

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  if (yTrue.length !== yPred.length)
    throw new TesseraError('E_SHAPE', `${what}: yTrue has ${yTrue.length} values but yPred has ${yPred.length}`, { option: 'yPred' });
  if (yTrue.length === 0) throw new TesseraError('E_EMPTY', `${what}: no values to score`);
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i] as number)) throw new TesseraError('E_NON_FINITE', `${what}: yTrue is ${yTrue[i]} at row ${i}`, { row: i });
    if (!Number.isFinite(yPred[i] as number)) throw new TesseraError('E_NON_FINITE', `${what}: yPred is ${yPred[i]} at row ${i}`, { row: i });
  }
}

/**
 * Mean absolute error (scikit-learn's `mean_absolute_error`).
 *
 * @example
 * ```ts
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 * ```
 */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'mae');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return s / yTrue.length;
}

/**
 * Mean squared error (scikit-learn's `mean_squared_error`).
 *
 * @example
 * ```ts
 * mse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 * ```
 */
export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'mse');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return s / yTrue.length;
}

/**
 * Root mean squared error (`mean_squared_error(squared=False)`).
 *
 * @example
 * ```ts
 * rmse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.6124
 * ```
 */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/**
 * Coefficient of determination R² (scikit-learn's `r2_score`: 1 when `yTrue` is constant and
 * predicted exactly, 0 when constant and not).
 *
 * @example
 * ```ts
 * r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.9486
 * ```
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'r2');
  const n = yTrue.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += yTrue[i] as number;
  m /= n;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
    sst += ((yTrue[i] as number) - m) ** 2;
  }
  if (sst === 0) return ssr === 0 ? 1 : 0;
  return 1 - ssr / sst;
}

/**
 * Mean absolute percentage error as a fraction (scikit-learn's `mean_absolute_percentage_error`:
 * `mean(|y − ŷ| / max(|y|, ε))`, so a zero in `yTrue` gives a huge value rather than Infinity).
 *
 * @example
 * ```ts
 * mape([100, 200], [110, 180]); // 0.1
 * ```
 */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'mape');
  const eps = 2.220446049250313e-16;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs((yTrue[i] as number) - (yPred[i] as number)) / Math.max(Math.abs(yTrue[i] as number), eps);
  return s / yTrue.length;
}

/**
 * Symmetric mean absolute percentage error as a fraction in [0, 2]: `mean(2|y − ŷ| / (|y| + |ŷ|))`,
 * a term being 0 when both are 0 (the M4 competition's sMAPE divided by 100; sktime's
 * `mean_absolute_percentage_error(symmetric=True)`).
 *
 * @example
 * ```ts
 * smape([100, 200], [110, 180]); // 0.1003
 * ```
 */
export function smape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  check(yTrue, yPred, 'smape');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const a = yTrue[i] as number;
    const f = yPred[i] as number;
    const d = Math.abs(a) + Math.abs(f);
    if (d > 0) s += (2 * Math.abs(a - f)) / d;
  }
  return s / yTrue.length;
}

/**
 * Mean absolute scaled error (Hyndman and Koehler, 2006; sktime's `mean_absolute_scaled_error`):
 * the forecast's MAE divided by the in-sample MAE of the seasonal naive forecast on `yTrain`
 * (`|y_t − y_{t−m}|`, `m` = `seasonality`, default 1). Below 1 beats the naive forecast.
 *
 * @example
 * ```ts
 * mase([5, 6], [5.5, 6.5], [1, 2, 3, 4]); // 0.5
 * ```
 */
export function mase(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, yTrain: ArrayLike<number>, options: { seasonality?: number } = {}): number {
  const m = options.seasonality ?? 1;
  if (!Number.isInteger(m) || m < 1)
    throw new TesseraError('E_OPTION', `mase option "seasonality" must be an integer >= 1, got ${m}`, { option: 'seasonality' });
  if (yTrain.length <= m)
    throw new TesseraError('E_EMPTY', `mase: yTrain needs more than ${m} values (seasonality), got ${yTrain.length}`, { option: 'yTrain' });
  let s = 0;
  for (let t = m; t < yTrain.length; t++) {
    const d = Math.abs((yTrain[t] as number) - (yTrain[t - m] as number));
    if (!Number.isFinite(d)) throw new TesseraError('E_NON_FINITE', `mase: yTrain is not finite near position ${t}`, { row: t });
    s += d;
  }
  const scale = s / (yTrain.length - m);
  const e = mae(yTrue, yPred);
  if (scale === 0) return e === 0 ? 0 : Number.POSITIVE_INFINITY;
  return e / scale;
}
