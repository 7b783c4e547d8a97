import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import type { FittedModel, Model, ModelFitOptions, Serialized } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import {
  checkForecastArgs,
  extractSeries,
  FORECAST_TAGS,
  type Forecast,
  type ForecastOptions,
  fromRange,
  futureTimes,
  makeForecast,
  nelderMead,
  toRange,
} from './common.js';

const Options = z
  .object({
    /** Trend component: 'add' (Holt's linear trend) or null (none, default). */
    trend: z.enum(['add']).nullable().default(null),
    /** Damp the trend (parameter phi in [0.8, 0.98], estimated). Default false. */
    damped: z.boolean().default(false),
    /** Seasonal component: 'add', 'mul' or null (none, default). */
    seasonal: z.enum(['add', 'mul']).nullable().default(null),
    /** Season length in steps (needed with `seasonal`; at least 2 seasons of data). */
    seasonLength: z.number().int().min(2).max(10_000).optional(),
    /** Time column; default the column with role 'time' (else rows are taken in order). */
    time: z.string().optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.seasonal !== null && o.seasonLength === undefined)
      ctx.addIssue({ code: 'custom', path: ['seasonLength'], message: 'is required with a seasonal component' });
    if (o.damped && o.trend === null) ctx.addIssue({ code: 'custom', path: ['damped'], message: 'needs trend: "add"' });
  });

/** Options of {@link ExponentialSmoothing}. @example `const o: ExponentialSmoothingOptions = { trend: 'add', seasonal: 'mul', seasonLength: 12 };` */
export type ExponentialSmoothingOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

/** Smoothing parameters and initial states of a fitted Holt-Winters model. */
interface HW {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  l0: number;
  b0: number;
}

interface Run {
  sse: number;
  level: number;
  trend: number;
  season: Float64Array;
}

function run(y: Float64Array, p: HW, s0: Float64Array, trend: boolean, seasonal: 'add' | 'mul' | null): Run {
  const m = s0.length;
  const season = Float64Array.from(s0);
  let l = p.l0;
  let b = trend ? p.b0 : 0;
  const phi = trend ? p.phi : 0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const yt = y[t] as number;
    const k = m > 0 ? t % m : 0;
    const si = m > 0 ? (season[k] as number) : seasonal === 'mul' ? 1 : 0;
    const base = l + phi * b;
    const yhat = seasonal === 'mul' ? base * si : base + si;
    const e = yt - yhat;
    sse += e * e;
    const lPrev = l;
    if (seasonal === 'mul') l = (p.alpha * yt) / si + (1 - p.alpha) * base;
    else l = p.alpha * (yt - si) + (1 - p.alpha) * base;
    if (trend) b = p.beta * (l - lPrev) + (1 - p.beta) * phi * b;
    if (seasonal === 'add') season[k] = p.gamma * (yt - base) + (1 - p.gamma) * si;
    else if (seasonal === 'mul') season[k] = (p.gamma * yt) / base + (1 - p.gamma) * si;
  }
  // rotate so that season[0] is the factor of the first future step
  const rot = new Float64Array(m);
  for (let i = 0; i < m; i++) rot[i] = season[(y.length + i) % m] as number;
  return { sse: Number.isFinite(sse) ? sse : Number.MAX_VALUE, level: l, trend: b, season: rot };
}

/**
 * Holt-Winters exponential smoothing: level, optional additive (optionally damped) trend, and
 * optional additive or multiplicative seasonality, in the recursions of Hyndman and
 * Athanasopoulos (FPP3 8.3). The smoothing parameters (alpha, beta, gamma <= 1 - alpha, phi in
 * [0.8, 0.98]) and the initial level and trend are estimated by minimising the in-sample sum of
 * squared one-step errors (Nelder-Mead from several starts), as statsmodels'
 * `ExponentialSmoothing(...).fit()` does; initial seasonal indices come from the first season
 * (heuristic, not optimised). Prediction intervals are the analytic ones of the equivalent
 * additive-error ETS model (Hyndman et al. 2008, class 1); with multiplicative seasonality they are
 * scaled by the seasonal factor (an approximation).
 *
 * @example
 * ```ts
 * import { Dataset, ExponentialSmoothing } from 'tessera';
 * const y = Array.from({ length: 48 }, (_, t) => 10 + 0.5 * t + [3, -1, -2, 0][t % 4]!);
 * const fitted = await new ExponentialSmoothing({ trend: 'add', seasonal: 'add', seasonLength: 4 }).fit(Dataset.from({ y }), { target: 'y' });
 * const f = fitted.forecast(8, { level: 0.9 }); // f.mean, f.lower, f.upper
 * ```
 */
export class ExponentialSmoothing implements Model<FittedExponentialSmoothing> {
  readonly kind = 'model' as const;
  readonly type = 'ExponentialSmoothing';
  readonly tags = FORECAST_TAGS;
  readonly params: Params;

  constructor(options: ExponentialSmoothingOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedExponentialSmoothing> {
    const p = this.params;
    const m = p.seasonal ? (p.seasonLength as number) : 0;
    const trend = p.trend === 'add';
    const s = extractSeries(ds, options, p.time, this.type, Math.max(m > 0 ? 2 * m : 0, trend ? 3 : 2));
    const y = s.y;
    if (p.seasonal === 'mul') {
      const bad = y.findIndex((v) => !(v > 0));
      if (bad >= 0) {
        throw new TesseraError('E_SCHEMA', `${this.type}: multiplicative seasonality needs positive values; "${s.target}" is ${y[bad]} at row ${bad}`, {
          column: s.target,
          row: bad,
        });
      }
    }
    // heuristic initial states
    const s0 = new Float64Array(m);
    let l0: number;
    let b0 = 0;
    if (m > 0) {
      let a = 0;
      let c = 0;
      for (let i = 0; i < m; i++) {
        a += (y[i] as number) / m;
        c += (y[m + i] as number) / m;
      }
      if (trend) b0 = (c - a) / m;
      l0 = a - (trend ? (b0 * (m + 1)) / 2 : 0);
      for (let i = 0; i < m; i++) s0[i] = p.seasonal === 'mul' ? (y[i] as number) / (l0 + b0 * (i + 1)) : (y[i] as number) - (l0 + b0 * (i + 1));
    } else {
      l0 = y[0] as number;
      if (trend) b0 = (y[1] as number) - (y[0] as number);
    }
    let sd = 0;
    let mean = 0;
    for (const v of y) mean += v / y.length;
    for (const v of y) sd += (v - mean) ** 2 / y.length;
    const scale = Math.max(Math.sqrt(sd), 1e-8);
    const decode = (u: Float64Array): HW => {
      let i = 0;
      const alpha = toRange(u[i++] as number, 1e-4, 0.9999);
      const beta = trend ? toRange(u[i++] as number, 1e-4, 0.9999) : 0;
      const gamma = m > 0 ? toRange(u[i++] as number, 1e-4, 0.9999) * (1 - alpha) : 0;
      const phi = p.damped ? toRange(u[i++] as number, 0.8, 0.98) : 1;
      const l = l0 + (u[i++] as number) * scale;
      const b = trend ? b0 + (u[i++] as number) * scale * 0.1 : 0;
      return { alpha, beta, gamma, phi, l0: l, b0: b };
    };
    const dim = 1 + (trend ? 1 : 0) + (m > 0 ? 1 : 0) + (p.damped ? 1 : 0) + 1 + (trend ? 1 : 0);
    const objective = (u: Float64Array): number => run(y, decode(u), s0, trend, p.seasonal).sse;
    let best: { x: Float64Array; fx: number } | null = null;
    for (const a0 of [0.1, 0.3, 0.6, 0.9]) {
      for (const g0 of m > 0 ? [0.05, 0.3] : [0]) {
        const u0 = new Float64Array(dim);
        let i = 0;
        u0[i++] = fromRange(a0, 1e-4, 0.9999);
        if (trend) u0[i++] = fromRange(0.1, 1e-4, 0.9999);
        if (m > 0) u0[i++] = fromRange(g0, 1e-4, 0.9999);
        if (p.damped) u0[i++] = fromRange(0.95, 0.8, 0.98);
        const r = nelderMead(objective, u0, { step: 0.5, maxIter: 300 * dim });
        if (!best || r.fx < best.fx) best = r;
      }
    }
    const hw = decode((best as { x: Float64Array }).x);
    const fit = run(y, hw, s0, trend, p.seasonal);
    const nParams = dim + m;
    const sigma2 = fit.sse / Math.max(1, y.length - nParams);
    return new FittedExponentialSmoothing(p, s.target, hw, fit.level, fit.trend, fit.season, sigma2, fit.sse, s.time);
  }
}

interface State {
  target: string;
  hw: HW;
  level: number;
  trend: number;
  season: string;
  sigma2: number;
  sse: number;
  time: string | null;
}

/**
 * A fitted {@link ExponentialSmoothing}: estimated `alpha`, `beta`, `gamma`, `phi`, the final
 * states, `forecast(h, { level })`, and `predict(ds)` = the mean forecast for the next `ds.nrows` steps.
 *
 * @example
 * ```ts
 * const fitted = await new ExponentialSmoothing({ trend: 'add' }).fit(ds, { target: 'y' });
 * fitted.alpha; fitted.beta; fitted.forecast(6).upper;
 * ```
 */
export class FittedExponentialSmoothing implements FittedModel<Float64Array> {
  readonly kind = 'model' as const;
  readonly type = 'FittedExponentialSmoothing';
  readonly tags = FORECAST_TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[] = [];
  readonly target: string;
  /** Variance of the one-step errors (SSE / (n - number of parameters)). */
  readonly sigma2: number;
  /** In-sample sum of squared one-step errors. */
  readonly sse: number;
  private readonly hw: HW;
  private readonly level: number;
  private readonly trendState: number;
  private readonly season: Float64Array;
  private readonly time: Float64Array | null;

  constructor(
    params: Params,
    target: string,
    hw: HW,
    level: number,
    trend: number,
    season: Float64Array,
    sigma2: number,
    sse: number,
    time: Float64Array | null,
  ) {
    this.params = params;
    this.target = target;
    this.hw = hw;
    this.level = level;
    this.trendState = trend;
    this.season = season;
    this.sigma2 = sigma2;
    this.sse = sse;
    this.time = time && time.length >= 2 ? time.slice(time.length - 2) : null;
  }

  /** Level smoothing parameter. */
  get alpha(): number {
    return this.hw.alpha;
  }
  /** Trend smoothing parameter (0 without trend). */
  get beta(): number {
    return this.hw.beta;
  }
  /** Seasonal smoothing parameter (0 without seasonality). */
  get gamma(): number {
    return this.hw.gamma;
  }
  /** Damping parameter (1 when not damped). */
  get phi(): number {
    return this.params.trend ? this.hw.phi : 1;
  }

  /** Mean path and prediction interval for the next `h` steps. */
  forecast(h: number, options?: ForecastOptions): Forecast {
    const { level, z } = checkForecastArgs(h, options, this.type);
    const m = this.season.length;
    const trend = this.params.trend === 'add';
    const phi = this.phi;
    const { alpha, beta, gamma } = this.hw;
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    let phiSum = 0; // phi + ... + phi^j
    let varSum = 0;
    for (let j = 1; j <= h; j++) {
      phiSum += trend ? phi ** j : 0;
      const si = m > 0 ? (this.season[(j - 1) % m] as number) : this.params.seasonal === 'mul' ? 1 : 0;
      const base = this.level + phiSum * this.trendState;
      mean[j - 1] = this.params.seasonal === 'mul' ? base * si : base + si;
      sd[j - 1] = Math.sqrt(this.sigma2 * (1 + varSum)) * (this.params.seasonal === 'mul' ? si : 1);
      // c_j for the next step's variance (error-correction form: beta* = alpha beta, gamma* = gamma (1 - alpha))
      const c = alpha + alpha * beta * phiSum + (m > 0 && j % m === 0 ? gamma * (1 - alpha) : 0);
      varSum += c * c;
    }
    return makeForecast(mean, sd, z, level, futureTimes(this.time, h));
  }

  /** The mean forecast for the next `ds.nrows` steps (the rows' values are not read). */
  predict(ds: Dataset): Float64Array {
    return ds.nrows === 0 ? new Float64Array(0) : this.forecast(ds.nrows).mean;
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        target: this.target,
        hw: { ...this.hw },
        level: this.level,
        trend: this.trendState,
        season: encodeArray(this.season),
        sigma2: this.sigma2,
        sse: this.sse,
        time: this.time ? encodeArray(this.time) : null,
      },
    };
  }

  /** Restores from {@link FittedExponentialSmoothing.toJSON} output. */
  static fromJSON(json: Serialized): FittedExponentialSmoothing {
    const { params, state } = expectType<State, Params>(json, 'FittedExponentialSmoothing');
    return new FittedExponentialSmoothing(
      parseOptions(Options, params, 'ExponentialSmoothing'),
      state.target,
      { ...state.hw },
      state.level,
      state.trend,
      decodeFloat64(state.season),
      state.sigma2,
      state.sse,
      state.time ? decodeFloat64(state.time) : null,
    );
  }
}

registerLoader('FittedExponentialSmoothing', 1, FittedExponentialSmoothing.fromJSON);
