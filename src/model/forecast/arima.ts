import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import type { FittedModel, Model, ModelFitOptions, Serialized } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { lbfgs } from '../linear/index.js';
import { checkForecastArgs, extractSeries, FORECAST_TAGS, type Forecast, type ForecastOptions, futureTimes, makeForecast, nelderMead } from './common.js';

const Options = z
  .object({
    /** Non-seasonal order [p, d, q]. Default [1, 0, 0]. */
    order: z.tuple([z.number().int().min(0).max(20), z.number().int().min(0).max(3), z.number().int().min(0).max(20)]).default([1, 0, 0]),
    /** Seasonal order [P, D, Q, s]; s = 0 for none. Default [0, 0, 0, 0]. */
    seasonalOrder: z
      .tuple([z.number().int().min(0).max(5), z.number().int().min(0).max(2), z.number().int().min(0).max(5), z.number().int().min(0).max(10_000)])
      .default([0, 0, 0, 0]),
    /** Estimate a mean (intercept) of the differenced series; default: only when there is no differencing (statsmodels' trend 'c'). */
    includeMean: z.boolean().optional(),
    /** Time column; default the column with role 'time' (else rows are taken in order). */
    time: z.string().optional(),
    /**
     * Estimation: `'css'` conditional sum of squares; `'ml'` exact Gaussian maximum likelihood
     * (Kalman filter); `'css-ml'` (default, as R's `arima`) CSS for starting values, then exact ML.
     */
    method: z.enum(['css', 'ml', 'css-ml']).default('css-ml'),
  })
  .strict()
  .superRefine((o, ctx) => {
    const [P, D, Q, s] = o.seasonalOrder;
    if (s === 1) ctx.addIssue({ code: 'custom', path: ['seasonalOrder'], message: 'season length s must be 0 (none) or >= 2' });
    if (s === 0 && P + D + Q > 0) ctx.addIssue({ code: 'custom', path: ['seasonalOrder'], message: 'seasonal terms need a season length s >= 2' });
  });

/** Options of {@link ARIMA}. @example `const o: ARIMAOptions = { order: [1, 1, 1], seasonalOrder: [0, 1, 1, 12] };` */
export type ARIMAOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

/** Multiplies polynomials given as coefficient arrays (index = power of B). */
function polyMul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = (out[i + j] as number) + (a[i] as number) * (b[j] as number);
  return out;
}

/** Partial autocorrelations in (-1, 1) to the coefficients of a stationary AR polynomial (Durbin-Levinson; Jones 1980). */
function pacfToAr(r: readonly number[]): number[] {
  let phi: number[] = [];
  for (let k = 0; k < r.length; k++) {
    const a = r[k] as number;
    const next = phi.map((v, j) => v - a * (phi[k - 1 - j] as number));
    next.push(a);
    phi = next;
  }
  return phi;
}

/** `1 - sum phi_i B^(i * step)` (sign -1) or `1 + sum theta_i B^(i * step)` (sign +1) as a coefficient array. */
function lagPoly(coefs: readonly number[], step: number, sign: 1 | -1): number[] {
  const out = new Array<number>(coefs.length * step + 1).fill(0);
  out[0] = 1;
  coefs.forEach((c, i) => {
    out[(i + 1) * step] = sign * c;
  });
  return out;
}

interface Coefs {
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  mean: number;
}

function decodeCoefs(u: Float64Array, p: number, q: number, P: number, Q: number, withMean: boolean, scale: number): Coefs {
  let i = 0;
  const take = (k: number): number[] => Array.from({ length: k }, () => Math.tanh(u[i++] as number));
  const ar = pacfToAr(take(p));
  const ma = pacfToAr(take(q)).map((v) => -v);
  const sar = pacfToAr(take(P));
  const sma = pacfToAr(take(Q)).map((v) => -v);
  const mean = withMean ? (u[i] as number) * scale : 0;
  return { ar, ma, sar, sma, mean };
}

/** Expanded AR (`x_t = sum a_i x_{t-i} + ...`, a[0] unused) and MA (`+ sum c_j e_{t-j}`) coefficients. */
function expand(c: Coefs, s: number): { a: number[]; m: number[] } {
  const arPoly = polyMul(lagPoly(c.ar, 1, -1), lagPoly(c.sar, Math.max(s, 1), -1));
  const maPoly = polyMul(lagPoly(c.ma, 1, 1), lagPoly(c.sma, Math.max(s, 1), 1));
  return { a: arPoly.map((v, i) => (i === 0 ? 0 : -v)), m: maPoly.map((v, i) => (i === 0 ? 0 : v)) };
}

/** Conditional sum of squares residuals of the demeaned differenced series. */
function cssResiduals(x: Float64Array, a: readonly number[], m: readonly number[], e: Float64Array): number {
  const pp = a.length - 1;
  const qq = m.length - 1;
  let sse = 0;
  e.fill(0);
  for (let t = pp; t < x.length; t++) {
    let v = x[t] as number;
    for (let i = 1; i <= pp; i++) v -= (a[i] as number) * (x[t - i] as number);
    for (let j = 1; j <= qq && j <= t; j++) v -= (m[j] as number) * (e[t - j] as number);
    e[t] = v;
    sse += v * v;
  }
  return sse;
}

/** State-space (Harvey) form of the ARMA part: dimension r, transition first column `phi`, disturbance loading `rv`. */
function harvey(a: readonly number[], m: readonly number[]): { r: number; phi: Float64Array; rv: Float64Array } {
  const pp = a.length - 1;
  const qq = m.length - 1;
  const r = Math.max(pp, qq + 1, 1);
  const phi = new Float64Array(r);
  for (let i = 0; i < pp; i++) phi[i] = a[i + 1] as number;
  const rv = new Float64Array(r);
  rv[0] = 1;
  for (let i = 1; i <= qq; i++) rv[i] = m[i] as number;
  return { r, phi, rv };
}

/** `out = T M T'` for the companion transition T (first column phi, ones on the superdiagonal); `tmp` is r x r scratch. */
function tmt(M: Float64Array, phi: Float64Array, r: number, tmp: Float64Array, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    const pi = phi[i] as number;
    for (let j = 0; j < r; j++) tmp[i * r + j] = pi * (M[j] as number) + (i + 1 < r ? (M[(i + 1) * r + j] as number) : 0);
  }
  for (let i = 0; i < r; i++) {
    const t0 = tmp[i * r] as number;
    for (let j = 0; j < r; j++) out[i * r + j] = (phi[j] as number) * t0 + (j + 1 < r ? (tmp[i * r + j + 1] as number) : 0);
  }
}

/**
 * Stationary state covariance (unit innovation variance): the solution of the discrete Lyapunov
 * equation `P = T P T' + R R'`, by the doubling algorithm (`P <- P + A P A'`, `A <- A^2`), which
 * converges quadratically for a stationary T. Returns null when it does not converge (non-stationary).
 */
function lyapunov(phi: Float64Array, rv: Float64Array, r: number): Float64Array | null {
  let P = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * r + j] = (rv[i] as number) * (rv[j] as number);
  let A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    A[i * r] = phi[i] as number;
    if (i + 1 < r) A[i * r + i + 1] = 1;
  }
  const AP = new Float64Array(r * r);
  let next = new Float64Array(r * r);
  for (let it = 0; it < 200; it++) {
    // next = P + A P A'
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        let v = 0;
        for (let k = 0; k < r; k++) v += (A[i * r + k] as number) * (P[k * r + j] as number);
        AP[i * r + j] = v;
      }
    let change = 0;
    let size = 0;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        let v = 0;
        for (let k = 0; k < r; k++) v += (AP[i * r + k] as number) * (A[j * r + k] as number);
        next[i * r + j] = (P[i * r + j] as number) + v;
        change = Math.max(change, Math.abs(v));
        size = Math.max(size, Math.abs(next[i * r + j] as number));
      }
    [P, next] = [next, P];
    if (!Number.isFinite(size)) return null;
    if (change <= 1e-16 * size) return P;
    // A = A^2
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        let v = 0;
        for (let k = 0; k < r; k++) v += (A[i * r + k] as number) * (A[k * r + j] as number);
        next[i * r + j] = v;
      }
    [A, next] = [next, A];
  }
  return null;
}

interface KalmanResult {
  /** Exact Gaussian log-likelihood with the innovation variance concentrated out (its MLE). */
  loglik: number;
  sigma2: number;
  /** Predicted state a_{n+1|n} and its covariance P_{n+1|n} / sigma2 after the last observation. */
  a: Float64Array;
  P: Float64Array;
}

/** Kalman filter of the demeaned (differenced) series `x` under the ARMA model, started at the stationary distribution. */
function kalman(x: Float64Array, a: readonly number[], m: readonly number[]): KalmanResult | null {
  const { r, phi, rv } = harvey(a, m);
  const P0 = lyapunov(phi, rv, r);
  if (!P0) return null;
  const P = P0.slice();
  const Pn = new Float64Array(r * r);
  const tmp = new Float64Array(r * r);
  const tmp2 = new Float64Array(r * r);
  const st = new Float64Array(r);
  const su = new Float64Array(r);
  let ssq = 0;
  let sumLogF = 0;
  // once P_{t|t-1} stops changing (steady state; relative change below 1e-13), the gain is frozen
  // and each step costs O(r) instead of O(r^2)
  let steady = false;
  for (let t = 0; t < x.length; t++) {
    const F = P[0] as number;
    if (!(F > 0) || !Number.isFinite(F)) return null;
    const v = (x[t] as number) - (st[0] as number);
    ssq += (v * v) / F;
    sumLogF += Math.log(F);
    for (let i = 0; i < r; i++) su[i] = (st[i] as number) + ((P[i * r] as number) * v) / F;
    for (let i = 0; i < r; i++) st[i] = (phi[i] as number) * (su[0] as number) + (i + 1 < r ? (su[i + 1] as number) : 0);
    if (steady) continue;
    for (let i = 0; i < r; i++) {
      const ki = (P[i * r] as number) / F;
      for (let j = 0; j < r; j++) Pn[i * r + j] = (P[i * r + j] as number) - ki * (P[j] as number);
    }
    tmt(Pn, phi, r, tmp, tmp2);
    let change = 0;
    let size = 0;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        const nv = (tmp2[i * r + j] as number) + (rv[i] as number) * (rv[j] as number);
        change = Math.max(change, Math.abs(nv - (P[i * r + j] as number)));
        size = Math.max(size, Math.abs(nv));
        P[i * r + j] = nv;
      }
    if (change <= 1e-13 * size) steady = true;
  }
  const n = x.length;
  const sigma2 = ssq / n;
  const loglik = -0.5 * n * (Math.log(2 * Math.PI) + 1 + Math.log(sigma2)) - 0.5 * sumLogF;
  if (!Number.isFinite(loglik)) return null;
  return { loglik, sigma2, a: st, P };
}

/**
 * Seasonal ARIMA(p, d, q)(P, D, Q, s): the series is differenced `d` times and seasonally `D`
 * times (statsmodels' `simple_differencing=True`, R's `arima`), and a multiplicative seasonal ARMA
 * with optional mean is fitted to the result. `method: 'css-ml'` (default, as R) finds starting
 * values by conditional sum of squares, then maximises the **exact Gaussian likelihood**: the ARMA
 * in Harvey's state-space form, a Kalman filter started at the stationary state covariance (the
 * discrete Lyapunov equation `P = T P T' + R R'`, solved by doubling), the innovation variance
 * concentrated out, L-BFGS on finite-difference gradients plus a Nelder-Mead polish. `'ml'` skips
 * the CSS start; `'css'` stops after CSS (R's `method = "CSS"`). The AR and MA polynomials are
 * parameterised through partial autocorrelations (Jones 1980), so the fit is always stationary and
 * invertible. Exact-ML forecasts come from the filtered state (intervals include its uncertainty);
 * CSS forecasts use the psi weights of the full model: `var_h = sigma^2 * sum_{j<h} psi_j^2`.
 *
 * @example
 * ```ts
 * import { ARIMA, Dataset } from 'tessera';
 * const y = Array.from({ length: 120 }, (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 12) + t * 0.2);
 * const fitted = await new ARIMA({ order: [1, 1, 0], seasonalOrder: [0, 1, 1, 12] }).fit(Dataset.from({ y }), { target: 'y' });
 * const f = fitted.forecast(12); // f.mean, f.lower, f.upper (95%)
 * fitted.coefficients;          // { ar, ma, sar, sma, mean }
 * ```
 */
export class ARIMA implements Model<FittedARIMA> {
  readonly kind = 'model' as const;
  readonly type = 'ARIMA';
  readonly tags = FORECAST_TAGS;
  readonly params: Params;

  constructor(options: ARIMAOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedARIMA> {
    const [p, d, q] = this.params.order;
    const [P, D, Q, s] = this.params.seasonalOrder;
    const withMean = this.params.includeMean ?? d + D === 0;
    const diffPoly = polyMul(
      Array.from({ length: d }).reduce<number[]>((acc) => polyMul(acc, [1, -1]), [1]),
      Array.from({ length: D }).reduce<number[]>((acc) => polyMul(acc, lagPoly([1], s, -1)), [1]),
    );
    const nd = diffPoly.length - 1;
    const pp = p + P * s;
    const nParams = p + q + P + Q + (withMean ? 1 : 0);
    const series = extractSeries(ds, options, this.params.time, this.type, nd + pp + nParams + 2);
    const y = series.y;
    // differenced series w_t = sum_k diffPoly[k] y_{t-k}
    const w = new Float64Array(y.length - nd);
    for (let t = nd; t < y.length; t++) {
      let v = 0;
      for (let k = 0; k <= nd; k++) v += (diffPoly[k] as number) * (y[t - k] as number);
      w[t - nd] = v;
    }
    let mean = 0;
    let sd = 0;
    for (const v of w) mean += v / w.length;
    for (const v of w) sd += (v - mean) ** 2 / w.length;
    const scale = Math.max(Math.sqrt(sd), Math.abs(mean), 1e-8);
    const x = new Float64Array(w.length);
    const e = new Float64Array(w.length);
    const objective = (u: Float64Array): number => {
      const c = decodeCoefs(u, p, q, P, Q, withMean, scale);
      for (let t = 0; t < w.length; t++) x[t] = (w[t] as number) - c.mean;
      const { a, m } = expand(c, s);
      const sse = cssResiduals(x, a, m, e);
      return Number.isFinite(sse) ? sse : Number.MAX_VALUE;
    };
    const dim = p + q + P + Q + (withMean ? 1 : 0);
    let u = new Float64Array(dim);
    if (withMean) u[dim - 1] = mean / scale;
    const method = this.params.method;
    if (dim > 0 && method !== 'ml') {
      let best = nelderMead(objective, u, { step: 0.3, maxIter: 500 * dim, tol: 1e-12 });
      // restart once from the optimum (Nelder-Mead can stall)
      best = nelderMead(objective, best.x, { step: 0.1, maxIter: 500 * dim, tol: 1e-12 });
      u = Float64Array.from(best.x);
    }
    options?.onProgress?.({ stage: 'css', step: 1, total: method === 'css' ? 1 : 2 });
    if (method !== 'css') {
      // exact Gaussian ML: minimise minus the concentrated log-likelihood per observation over the
      // unconstrained parameters (tanh partial autocorrelations keep AR stationary and MA invertible)
      const negLl = (v: Float64Array): number => {
        const cc = decodeCoefs(v, p, q, P, Q, withMean, scale);
        for (let t = 0; t < w.length; t++) x[t] = (w[t] as number) - cc.mean;
        const ex = expand(cc, s);
        const k = kalman(x, ex.a, ex.m);
        return k ? -k.loglik / w.length : 1e300;
      };
      if (dim > 0) {
        // CSS optima can sit on the boundary (|tanh| -> 1): pull the start inside
        for (let i = 0; i < p + q + P + Q; i++) u[i] = Math.max(-3, Math.min(3, u[i] as number));
        const hStep = 1e-6;
        const xp = new Float64Array(dim);
        const fg = (v: Float64Array, g: Float64Array): number => {
          const f0 = negLl(v);
          for (let i = 0; i < dim; i++) {
            xp.set(v);
            xp[i] = (v[i] as number) + hStep;
            const fp = negLl(xp);
            xp[i] = (v[i] as number) - hStep;
            const fm = negLl(xp);
            g[i] = (fp - fm) / (2 * hStep);
          }
          return f0;
        };
        const r1 = await lbfgs(fg, u, { maxIter: 200, gtol: 1e-9, ftol: 1e-15, signal: options?.signal });
        // polish with Nelder-Mead (robust where the finite-difference gradient is noisy), then L-BFGS again
        const nm = nelderMead(negLl, r1.x, { step: 0.05, maxIter: 200 * dim, tol: 1e-15 });
        const r2 = await lbfgs(fg, Float64Array.from(nm.x), { maxIter: 200, gtol: 1e-9, ftol: 1e-15, signal: options?.signal });
        const cands = [
          { x: r1.x, f: r1.f },
          { x: Float64Array.from(nm.x), f: nm.fx },
          { x: r2.x, f: r2.f },
        ];
        cands.sort((l, rr) => l.f - rr.f);
        u = Float64Array.from((cands[0] as { x: Float64Array }).x);
      }
      options?.onProgress?.({ stage: 'ml', step: 2, total: 2 });
    }
    const c = decodeCoefs(u, p, q, P, Q, withMean, scale);
    for (let t = 0; t < w.length; t++) x[t] = (w[t] as number) - c.mean;
    const { a, m } = expand(c, s);
    const sse = cssResiduals(x, a, m, e);
    const nEff = w.length - pp;
    if (nEff < 1) throw new TesseraError('E_EMPTY', `${this.type}: too few observations after differencing`, { rows: y.length });
    const kf = kalman(x, a, m);
    const sigma2 = method === 'css' || !kf ? sse / nEff : kf.sigma2;
    const keep = (arr: Float64Array, k: number): Float64Array => arr.slice(Math.max(0, arr.length - k));
    const filtered = method === 'css' || !kf ? null : { a: kf.a, P: kf.P };
    return new FittedARIMA(
      this.params,
      series.target,
      c,
      sigma2,
      keep(y, nd),
      keep(x, a.length - 1),
      keep(e, m.length - 1),
      diffPoly,
      series.time,
      w.length,
      kf ? kf.loglik : Number.NaN,
      filtered,
    );
  }
}

interface State {
  target: string;
  coefs: Coefs;
  sigma2: number;
  yTail: string;
  xTail: string;
  eTail: string;
  diffPoly: number[];
  time: string | null;
  nobs: number;
  /** Absent in models saved before exact ML existed. */
  loglik?: number | null;
  /** Filtered state after the last observation (exact-ML fits); absent for CSS fits. */
  filtered?: { a: string; P: string } | null;
}

/**
 * A fitted {@link ARIMA}: `coefficients`, `sigma2`, `forecast(h, { level })`, and `predict(ds)` =
 * the mean forecast for the next `ds.nrows` steps.
 *
 * @example
 * ```ts
 * const fitted = await new ARIMA({ order: [2, 0, 1] }).fit(ds, { target: 'y' });
 * fitted.coefficients.ar; fitted.forecast(10, { level: 0.8 });
 * ```
 */
export class FittedARIMA implements FittedModel<Float64Array> {
  readonly kind = 'model' as const;
  readonly type = 'FittedARIMA';
  readonly tags = FORECAST_TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[] = [];
  readonly target: string;
  /** AR, MA, seasonal AR, seasonal MA coefficients (statsmodels' sign convention: `(1 - sum ar B^i) x = (1 + sum ma B^j) e`) and the mean. */
  readonly coefficients: Readonly<Coefs>;
  /** Innovation variance: the exact-ML estimate (as statsmodels), or for `method: 'css'` the CSS residual sum of squares / effective observations. */
  readonly sigma2: number;
  /** Observations of the differenced series used in the fit. */
  readonly nobs: number;
  /**
   * Exact Gaussian log-likelihood of the differenced series at the fitted parameters (Kalman
   * filter, stationary initial state, innovation variance at its MLE); NaN if unavailable.
   */
  readonly logLikelihood: number;
  private readonly filtered: { a: Float64Array; P: Float64Array } | null;
  private readonly yTail: Float64Array;
  private readonly xTail: Float64Array;
  private readonly eTail: Float64Array;
  private readonly diffPoly: number[];
  private readonly time: Float64Array | null;

  constructor(
    params: Params,
    target: string,
    coefs: Coefs,
    sigma2: number,
    yTail: Float64Array,
    xTail: Float64Array,
    eTail: Float64Array,
    diffPoly: number[],
    time: Float64Array | null,
    nobs: number,
    logLikelihood = Number.NaN,
    filtered: { a: Float64Array; P: Float64Array } | null = null,
  ) {
    this.logLikelihood = logLikelihood;
    this.filtered = filtered ? { a: filtered.a.slice(), P: filtered.P.slice() } : null;
    this.params = params;
    this.target = target;
    this.coefficients = Object.freeze({ ar: [...coefs.ar], ma: [...coefs.ma], sar: [...coefs.sar], sma: [...coefs.sma], mean: coefs.mean });
    this.sigma2 = sigma2;
    this.yTail = yTail;
    this.xTail = xTail;
    this.eTail = eTail;
    this.diffPoly = [...diffPoly];
    this.time = time && time.length >= 2 ? time.slice(time.length - 2) : null;
    this.nobs = nobs;
  }

  /** Mean path and prediction interval for the next `h` steps. */
  forecast(h: number, options?: ForecastOptions): Forecast {
    const { level, z } = checkForecastArgs(h, options, this.type);
    const s = this.params.seasonalOrder[3];
    const { a, m } = expand(this.coefficients as Coefs, s);
    if (this.filtered) return this.forecastFiltered(h, a, m, z, level);
    const pp = a.length - 1;
    const qq = m.length - 1;
    const x = new Float64Array(pp + h);
    x.set(this.xTail, pp - this.xTail.length);
    const e = new Float64Array(qq + h);
    e.set(this.eTail, qq - this.eTail.length);
    const nd = this.diffPoly.length - 1;
    const y = new Float64Array(nd + h);
    y.set(this.yTail, nd - this.yTail.length);
    const mean = new Float64Array(h);
    for (let k = 0; k < h; k++) {
      let v = 0;
      for (let i = 1; i <= pp; i++) v += (a[i] as number) * (x[pp + k - i] as number);
      for (let j = 1; j <= qq; j++) v += (m[j] as number) * (e[qq + k - j] as number);
      x[pp + k] = v;
      let yk = v + this.coefficients.mean;
      for (let i = 1; i <= nd; i++) yk -= (this.diffPoly[i] as number) * (y[nd + k - i] as number);
      y[nd + k] = yk;
      mean[k] = yk;
    }
    const psi = psiWeights(a, m, this.diffPoly, h);
    const sd = new Float64Array(h);
    let acc = 0;
    for (let k = 0; k < h; k++) {
      acc += (psi[k] as number) ** 2;
      sd[k] = Math.sqrt(this.sigma2 * acc);
    }
    return makeForecast(mean, sd, z, level, futureTimes(this.time, h));
  }

  /**
   * Exact forecast from the filtered state (exact-ML fits): mean `Z T^(k-1) a_{n+1|n}` re-integrated,
   * variance `sigma2 (g_h P_{n+1|n} g_h' + sum_{j<h-1} psiFull_j^2)` where `g_h` carries the state
   * uncertainty through the differencing and `psiFull` are the psi weights of the full model.
   */
  private forecastFiltered(h: number, a: readonly number[], m: readonly number[], z: number, level: number): Forecast {
    const f = this.filtered as { a: Float64Array; P: Float64Array };
    const { r, phi } = harvey(a, m);
    const nd = this.diffPoly.length - 1;
    const y = new Float64Array(nd + h);
    y.set(this.yTail, nd - this.yTail.length);
    const mean = new Float64Array(h);
    let st = f.a.slice();
    let nx = new Float64Array(r);
    // g_k (rows of length r), kept for the last nd steps in a ring
    const g = Array.from({ length: nd + 1 }, () => new Float64Array(r));
    let zr = new Float64Array(r);
    zr[0] = 1;
    let zn = new Float64Array(r);
    const sdState = new Float64Array(h);
    for (let k = 0; k < h; k++) {
      let yk = (st[0] as number) + this.coefficients.mean;
      for (let i = 1; i <= nd; i++) yk -= (this.diffPoly[i] as number) * (y[nd + k - i] as number);
      y[nd + k] = yk;
      mean[k] = yk;
      for (let i = 0; i < r; i++) nx[i] = (phi[i] as number) * (st[0] as number) + (i + 1 < r ? (st[i + 1] as number) : 0);
      [st, nx] = [nx, st];
      // g_k = z_k - sum_i diffPoly[i] g_{k-i}
      const gk = g[k % (nd + 1)] as Float64Array;
      for (let j = 0; j < r; j++) {
        let v = zr[j] as number;
        for (let i = 1; i <= nd && i <= k; i++) v -= (this.diffPoly[i] as number) * ((g[(k - i) % (nd + 1)] as Float64Array)[j] as number);
        gk[j] = v;
      }
      let q = 0;
      for (let i = 0; i < r; i++) {
        let row = 0;
        for (let j = 0; j < r; j++) row += (f.P[i * r + j] as number) * (gk[j] as number);
        q += (gk[i] as number) * row;
      }
      sdState[k] = q;
      // z_{k+1} = z_k T
      let z0 = 0;
      for (let i = 0; i < r; i++) z0 += (zr[i] as number) * (phi[i] as number);
      zn[0] = z0;
      for (let j = 1; j < r; j++) zn[j] = zr[j - 1] as number;
      [zr, zn] = [zn, zr];
    }
    const psi = psiWeights(a, m, this.diffPoly, h);
    const sd = new Float64Array(h);
    let acc = 0;
    for (let k = 0; k < h; k++) {
      sd[k] = Math.sqrt(this.sigma2 * ((sdState[k] as number) + acc));
      acc += (psi[k] as number) ** 2;
    }
    return makeForecast(mean, sd, z, level, futureTimes(this.time, h));
  }

  /** The mean forecast for the next `ds.nrows` steps (the rows' values are not read). */
  predict(ds: Dataset): Float64Array {
    return ds.nrows === 0 ? new Float64Array(0) : this.forecast(ds.nrows).mean;
  }

  toJSON(): Serialized<Params, State> {
    const c = this.coefficients;
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        target: this.target,
        coefs: { ar: [...c.ar], ma: [...c.ma], sar: [...c.sar], sma: [...c.sma], mean: c.mean },
        sigma2: this.sigma2,
        yTail: encodeArray(this.yTail),
        xTail: encodeArray(this.xTail),
        eTail: encodeArray(this.eTail),
        diffPoly: [...this.diffPoly],
        time: this.time ? encodeArray(this.time) : null,
        nobs: this.nobs,
        loglik: Number.isNaN(this.logLikelihood) ? null : this.logLikelihood,
        filtered: this.filtered ? { a: encodeArray(this.filtered.a), P: encodeArray(this.filtered.P) } : null,
      },
    };
  }

  /** Restores from {@link FittedARIMA.toJSON} output. */
  static fromJSON(json: Serialized): FittedARIMA {
    const { params, state } = expectType<State, Params>(json, 'FittedARIMA');
    return new FittedARIMA(
      parseOptions(Options, params, 'ARIMA'),
      state.target,
      state.coefs,
      state.sigma2,
      decodeFloat64(state.yTail),
      decodeFloat64(state.xTail),
      decodeFloat64(state.eTail),
      state.diffPoly,
      state.time ? decodeFloat64(state.time) : null,
      state.nobs,
      state.loglik ?? Number.NaN,
      state.filtered ? { a: decodeFloat64(state.filtered.a), P: decodeFloat64(state.filtered.P) } : null,
    );
  }
}

registerLoader('FittedARIMA', 1, FittedARIMA.fromJSON);

/**
 * The first `h` psi weights of the full model: (1 - Σ a_i B^i) · diffPoly(B) · y = (1 + Σ m_j B^j) e,
 * with `a` the expanded AR polynomial (a[0] unused) and `m` the expanded MA polynomial (m[0] = 1).
 */
function psiWeights(a: ArrayLike<number>, m: ArrayLike<number>, diffPoly: readonly number[], h: number): Float64Array {
  const qq = m.length - 1;
  const arFull = polyMul(
    Array.from(a, (v, i) => (i === 0 ? 1 : -v)),
    diffPoly,
  );
  const psi = new Float64Array(h);
  psi[0] = 1;
  for (let j = 1; j < h; j++) {
    let v = j <= qq ? (m[j] as number) : 0;
    for (let i = 1; i <= Math.min(j, arFull.length - 1); i++) v -= (arFull[i] as number) * (psi[j - i] as number);
    psi[j] = v;
  }
  return psi;
}
