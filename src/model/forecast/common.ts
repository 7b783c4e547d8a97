import { checkAbort } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import type { ModelFitOptions, Tags } from '../../core/protocol.js';
import { DEFAULT_TAGS } from '../../core/protocol.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireRows, resolveTarget } from '../../dataset/features.js';

/**
 * A forecast: the mean path and a central prediction interval at `level`, one entry per step
 * ahead; `time` holds the future time stamps (the last fitted time plus multiples of the median
 * fitted step) when the series had a time column.
 *
 * @example
 * ```ts
 * const f: Forecast = fitted.forecast(7, { level: 0.9 });
 * f.mean[0]; f.lower[0]; f.upper[0];
 * ```
 */
export interface Forecast {
  readonly mean: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly level: number;
  readonly time?: Float64Array;
}

/**
 * Options of `forecast(h, options)`.
 *
 * @example
 * ```ts
 * fitted.forecast(12, { level: 0.8 });
 * ```
 */
export interface ForecastOptions {
  /** Coverage of the central prediction interval, in (0, 1). Default 0.95. */
  level?: number;
}

/** Forecaster tags: supervised on the target, no missing values, deterministic. @internal */
export const FORECAST_TAGS: Tags = { ...DEFAULT_TAGS, supervised: true };

/** The series of a fit: target values in time order, and the time stamps when there is a time column. @internal */
export interface Series {
  target: string;
  timeColumn: string | null;
  y: Float64Array;
  time: Float64Array | null;
}

/** Extracts the series: the target (option or role), ordered by the time column (option or role) when present. @internal */
export function extractSeries(ds: Dataset, options: ModelFitOptions | undefined, timeOpt: string | undefined, owner: string, minRows: number): Series {
  checkAbort(options?.signal);
  requireRows(ds, owner, 1);
  if (options?.sampleWeight !== undefined) throw new TesseraError('E_UNSUPPORTED', `${owner} does not take sample weights`, { option: 'sampleWeight' });
  const target = resolveTarget(ds, options?.target, owner);
  const tc = ds.column(target);
  if (tc.kind !== 'number' && tc.kind !== 'integer') {
    throw new TesseraError('E_SCHEMA', `${owner}: target "${target}" must be numeric, got ${tc.kind}`, { column: target });
  }
  const timeColumn = timeOpt ?? ds.schema.byRole('time')[0] ?? null;
  const y = Float64Array.from(tc.values);
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i] as number)) {
      throw new TesseraError(
        'E_MISSING_VALUES',
        `${owner}: target "${target}" is missing at row ${i}; fill the gap first (e.g. SimpleImputer or interpolation)`,
        {
          column: target,
          row: i,
        },
      );
    }
    if (!Number.isFinite(y[i] as number))
      throw new TesseraError('E_NON_FINITE', `${owner}: target "${target}" is ${y[i]} at row ${i}`, { column: target, row: i });
  }
  let time: Float64Array | null = null;
  if (timeColumn !== null) {
    const c = ds.column(timeColumn);
    if (c.kind !== 'datetime' && c.kind !== 'number' && c.kind !== 'integer') {
      throw new TesseraError('E_SCHEMA', `${owner}: time column "${timeColumn}" must be datetime or numeric, got ${c.kind}`, { column: timeColumn });
    }
    time = Float64Array.from(c.values);
    for (let i = 0; i < time.length; i++) {
      if (Number.isNaN(time[i] as number))
        throw new TesseraError('E_MISSING_VALUES', `${owner}: time "${timeColumn}" is missing at row ${i}`, { column: timeColumn, row: i });
      if (i > 0 && !((time[i] as number) > (time[i - 1] as number))) {
        throw new TesseraError(
          'E_SCHEMA',
          `${owner}: time "${timeColumn}" must be strictly increasing; row ${i} is not after row ${i - 1} (sort the Dataset first)`,
          {
            column: timeColumn,
            row: i,
          },
        );
      }
    }
  }
  if (y.length < minRows) {
    throw new TesseraError('E_EMPTY', `${owner} needs at least ${minRows} observations, got ${y.length}`, { rows: y.length });
  }
  return { target, timeColumn, y, time };
}

/** Future time stamps: last time plus multiples of the median step. @internal */
export function futureTimes(time: Float64Array | null, h: number): Float64Array | undefined {
  if (!time || time.length < 2) return undefined;
  const d = new Float64Array(time.length - 1);
  for (let i = 1; i < time.length; i++) d[i - 1] = (time[i] as number) - (time[i - 1] as number);
  d.sort();
  const step = d[d.length >> 1] as number;
  const last = time[time.length - 1] as number;
  return Float64Array.from({ length: h }, (_, i) => last + step * (i + 1));
}

/** Checks `h` and `level`, returns the two-sided normal quantile. @internal */
export function checkForecastArgs(h: number, options: ForecastOptions | undefined, owner: string): { level: number; z: number } {
  if (!Number.isInteger(h) || h < 1 || h > 1_000_000)
    throw new TesseraError('E_OPTION', `${owner}.forecast: h must be an integer in [1, 1e6], got ${h}`, { option: 'h' });
  const level = options?.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new TesseraError('E_OPTION', `${owner}.forecast: level must be in (0, 1), got ${level}`, { option: 'level' });
  return { level, z: normalQuantile(0.5 + level / 2) };
}

/** Inverse standard normal CDF (Acklam's algorithm, relative error < 1.2e-9). @internal */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** Nelder-Mead minimisation (adaptive parameters of Gao and Han, 2012). @internal */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  options: { maxIter?: number; step?: number; tol?: number } = {},
): { x: Float64Array; fx: number } {
  const n = x0.length;
  const maxIter = options.maxIter ?? 400 * n;
  const tol = options.tol ?? 1e-10;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const pts: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] = (p[i] as number) + (options.step ?? (Math.abs(p[i] as number) > 1e-3 ? 0.1 * Math.abs(p[i] as number) : 0.1));
    pts.push(p);
  }
  const fv = pts.map((p) => f(p));
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    const order = fv.map((v, i) => [v, i] as const).sort((u, v) => u[0] - v[0]);
    const sortedPts = order.map((o) => pts[o[1]] as Float64Array);
    const sortedF = order.map((o) => o[0]);
    for (let i = 0; i <= n; i++) {
      pts[i] = sortedPts[i] as Float64Array;
      fv[i] = sortedF[i] as number;
    }
    if (Math.abs((fv[n] as number) - (fv[0] as number)) <= tol * (Math.abs(fv[0] as number) + 1e-12)) break;
    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + ((pts[i] as Float64Array)[j] as number) / n;
    const worst = pts[n] as Float64Array;
    for (let j = 0; j < n; j++) xr[j] = (centroid[j] as number) + alpha * ((centroid[j] as number) - (worst[j] as number));
    const fr = f(xr);
    if (fr < (fv[0] as number)) {
      for (let j = 0; j < n; j++) xe[j] = (centroid[j] as number) + beta * ((xr[j] as number) - (centroid[j] as number));
      const fe = f(xe);
      if (fe < fr) {
        pts[n] = Float64Array.from(xe);
        fv[n] = fe;
      } else {
        pts[n] = Float64Array.from(xr);
        fv[n] = fr;
      }
    } else if (fr < (fv[n - 1] as number)) {
      pts[n] = Float64Array.from(xr);
      fv[n] = fr;
    } else {
      const outside = fr < (fv[n] as number);
      for (let j = 0; j < n; j++) xc[j] = (centroid[j] as number) + gamma * ((outside ? (xr[j] as number) : (worst[j] as number)) - (centroid[j] as number));
      const fc = f(xc);
      if (fc < (outside ? fr : (fv[n] as number))) {
        pts[n] = Float64Array.from(xc);
        fv[n] = fc;
      } else {
        const best = pts[0] as Float64Array;
        for (let i = 1; i <= n; i++) {
          const p = pts[i] as Float64Array;
          for (let j = 0; j < n; j++) p[j] = (best[j] as number) + delta * ((p[j] as number) - (best[j] as number));
          fv[i] = f(p);
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((fv[i] as number) < (fv[bi] as number)) bi = i;
  return { x: pts[bi] as Float64Array, fx: fv[bi] as number };
}

/** Logistic map to (lo, hi). @internal */
export function toRange(u: number, lo: number, hi: number): number {
  return lo + (hi - lo) / (1 + Math.exp(-u));
}
/** Inverse of {@link toRange}. @internal */
export function fromRange(v: number, lo: number, hi: number): number {
  const t = Math.min(1 - 1e-9, Math.max(1e-9, (v - lo) / (hi - lo)));
  return Math.log(t / (1 - t));
}

/** Builds a {@link Forecast} from means and per-step standard deviations. @internal */
export function makeForecast(mean: Float64Array, sd: Float64Array, z: number, level: number, time: Float64Array | undefined): Forecast {
  const lower = mean.map((m, i) => m - z * (sd[i] as number));
  const upper = mean.map((m, i) => m + z * (sd[i] as number));
  return time ? { mean, lower, upper, level, time } : { mean, lower, upper, level };
}
