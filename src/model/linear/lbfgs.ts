import { yieldToEventLoop } from '../../core/abort.js';

/**
 * Options of {@link lbfgs}.
 *
 * @example
 * ```ts
 * const o: LbfgsOptions = { maxIter: 100, gtol: 1e-4 };
 * ```
 */
export interface LbfgsOptions {
  /** Maximum iterations. Default 100. */
  maxIter?: number;
  /** Stop when the largest absolute gradient entry is at most this (SciPy's `gtol`). Default 1e-5. */
  gtol?: number;
  /** Stop when the relative decrease of the objective is at most this (SciPy's `ftol`). Default 64·ε. */
  ftol?: number;
  /** History size. Default 10 (SciPy's `maxcor`). */
  m?: number;
  /** Maximum line-search evaluations per iteration. Default 20 (L-BFGS-B's). */
  maxLs?: number;
  signal?: AbortSignal | undefined;
  onIteration?: ((iter: number, f: number) => void) | undefined;
}

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.5) with the Moré–Thuente line search that
 * SciPy's L-BFGS-B uses (same constants, same first step `1/‖d‖`, then 1), so that on an
 * unconstrained problem it takes the same steps and makes about as many evaluations. Minimises `fg`, which returns the
 * objective at `x` and writes its gradient into `g`. Stopping rules follow SciPy's L-BFGS-B as
 * scikit-learn calls it: `max|g| <= gtol`, or a relative decrease below `ftol`, or `maxIter`.
 *
 * @example
 * ```ts
 * const r = await lbfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, new Float64Array(1));
 * r.x[0]; // 3 (r.nEval: objective evaluations)
 * ```
 */
export async function lbfgs(
  fgIn: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  options: LbfgsOptions = {},
): Promise<{ x: Float64Array; f: number; nIter: number; nEval: number; converged: boolean }> {
  const maxIter = options.maxIter ?? 100;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 64 * 2.220446049250313e-16;
  const m = options.m ?? 10;
  const maxLs = options.maxLs ?? 20;
  const d = x0.length;
  let nEval = 0;
  const fgCounted = (x: Float64Array, g: Float64Array): number => {
    nEval++;
    return fgIn(x, g);
  };
  const fg = fgCounted;
  const x = x0.slice();
  const g = new Float64Array(d);
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(d);
  const alphaH = new Float64Array(m);
  const xNew = new Float64Array(d);
  const gNew = new Float64Array(d);
  let iter = 0;
  let converged = maxAbs(g) <= gtol;
  while (!converged && iter < maxIter) {
    // two-loop recursion: dir = -H g
    for (let j = 0; j < d; j++) dir[j] = -(g[j] as number);
    const k = S.length;
    for (let i = k - 1; i >= 0; i--) {
      const a = (rho[i] as number) * dot(S[i] as Float64Array, dir);
      alphaH[i] = a;
      axpy(-a, Y[i] as Float64Array, dir);
    }
    if (k > 0) {
      const yl = Y[k - 1] as Float64Array;
      const gamma = dot(S[k - 1] as Float64Array, yl) / dot(yl, yl);
      for (let j = 0; j < d; j++) dir[j] = (dir[j] as number) * gamma;
    }
    for (let i = 0; i < k; i++) {
      const b = (rho[i] as number) * dot(Y[i] as Float64Array, dir);
      axpy((alphaH[i] as number) - b, S[i] as Float64Array, dir);
    }
    let dg = dot(dir, g);
    if (!(dg < 0)) {
      // not a descent direction: reset to steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < d; j++) dir[j] = -(g[j] as number);
      dg = dot(dir, g);
    }
    // first step 1/‖d‖, then 1 (L-BFGS-B)
    const t0 = iter === 0 ? 1 / Math.sqrt(dot(dir, dir)) : 1;
    const ls = lineSearch(fg, x, f, dir, dg, t0, maxLs, xNew, gNew);
    if (!ls) break;
    const fOld = f;
    const s = new Float64Array(d);
    const yv = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      s[j] = (xNew[j] as number) - (x[j] as number);
      yv[j] = (gNew[j] as number) - (g[j] as number);
    }
    x.set(xNew);
    g.set(gNew);
    f = ls.f;
    iter++;
    const sy = dot(s, yv);
    if (sy > 1e-10 * dot(yv, yv)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }
    options.onIteration?.(iter, f);
    if (maxAbs(g) <= gtol) converged = true;
    else if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) converged = true;
    if (iter % 10 === 0) await yieldToEventLoop(options.signal);
  }
  return { x, f, nIter: iter, nEval, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/**
 * Moré–Thuente line search (ACM TOMS 20, 1994), the one SciPy's L-BFGS-B uses (MINPACK-2 `dcsrch`
 * with ftol 1e-3, gtol 0.9, xtol 0.1): keeps an interval of uncertainty [stx, sty], picks each trial
 * step by safeguarded cubic/quadratic/secant interpolation, switches to the modified function
 * ψ(t) = f(t) − f(0) − ftol·t·f′(0) until a point with ψ ≤ 0 and f′ ≥ 0 is seen, and stops at a
 * point meeting both Wolfe conditions or when the interval can no longer shrink (then the last
 * evaluated point is taken, as L-BFGS-B does). Writes the accepted point into xNew/gNew.
 */
function lineSearch(
  fg: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  f0: number,
  dir: Float64Array,
  dg0: number,
  t0: number,
  maxLs: number,
  xNew: Float64Array,
  gNew: Float64Array,
): { f: number } | null {
  const ftol = 1e-3;
  const gtol = 0.9;
  const xtol = 0.1;
  const stpMin = 0;
  const stpMax = 1e10;
  const d = x.length;
  const gtest = ftol * dg0;
  let stage1 = true;
  let width = stpMax - stpMin;
  let width1 = width / 0.5;
  // best point (stx) and other end (sty) of the interval, with values and slopes
  const I: Interval = { stx: 0, fx: f0, gx: dg0, sty: 0, fy: f0, gy: dg0, brackt: false };
  let stmin = 0;
  let stmax = t0 + 4 * t0;
  let t = Math.min(Math.max(t0, stpMin), stpMax);
  for (let ev = 0; ev < maxLs; ev++) {
    for (let j = 0; j < d; j++) xNew[j] = (x[j] as number) + t * (dir[j] as number);
    const f = fg(xNew, gNew);
    const g = dot(gNew, dir);
    if (!Number.isFinite(f) || !Number.isFinite(g)) {
      // overflow: step back towards the best point and try again
      if (ev + 1 >= maxLs) return null;
      I.brackt = true;
      I.sty = t;
      I.fy = Number.POSITIVE_INFINITY;
      t = I.stx + 0.5 * (t - I.stx);
      stmin = Math.min(I.stx, I.sty);
      stmax = Math.max(I.stx, I.sty);
      continue;
    }
    const ftest = f0 + t * gtest;
    if (stage1 && f <= ftest && g >= 0) stage1 = false;
    // stop: Wolfe conditions met, or no further progress possible
    if (f <= ftest && Math.abs(g) <= gtol * -dg0) return { f };
    if (I.brackt && (t <= stmin || t >= stmax)) return { f };
    if (I.brackt && stmax - stmin <= xtol * stmax) return { f };
    if (t === stpMax && f <= ftest && g <= gtest) return { f };
    if (t === stpMin && (f > ftest || g >= gtest)) return { f };
    if (stage1 && f <= I.fx && f > ftest) {
      // modified function ψ while only insufficient decrease has been seen
      I.fx -= I.stx * gtest;
      I.fy -= I.sty * gtest;
      I.gx -= gtest;
      I.gy -= gtest;
      t = safeguardedStep(I, t, f - t * gtest, g - gtest, stmin, stmax);
      I.fx += I.stx * gtest;
      I.fy += I.sty * gtest;
      I.gx += gtest;
      I.gy += gtest;
    } else t = safeguardedStep(I, t, f, g, stmin, stmax);
    if (I.brackt) {
      // bisect when the interval did not shrink enough over two steps
      if (Math.abs(I.sty - I.stx) >= 0.66 * width1) t = I.stx + 0.5 * (I.sty - I.stx);
      width1 = width;
      width = Math.abs(I.sty - I.stx);
      stmin = Math.min(I.stx, I.sty);
      stmax = Math.max(I.stx, I.sty);
    } else {
      stmin = t + 1.1 * (t - I.stx);
      stmax = t + 4 * (t - I.stx);
    }
    t = Math.min(Math.max(t, stpMin), stpMax);
    if ((I.brackt && (t <= stmin || t >= stmax)) || (I.brackt && stmax - stmin <= xtol * stmax)) t = I.stx;
  }
  return null;
}

interface Interval {
  stx: number;
  fx: number;
  gx: number;
  sty: number;
  fy: number;
  gy: number;
  brackt: boolean;
}

/**
 * One Moré–Thuente step: from the trial (stp, fp, dp) and the interval `I`, the next trial step
 * (cubic, quadratic or secant, whichever the four cases of the paper prescribe), and the interval
 * updated in place.
 */
function safeguardedStep(I: Interval, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, gx: dx, sty, fy, gy: dy } = I;
  const sgnd = dp * Math.sign(dx);
  let next: number;
  const cubicTerms = (a: number, fa: number, da: number, b: number, fb: number, db: number, clampZero: boolean) => {
    const theta = (3 * (fa - fb)) / (b - a) + da + db;
    const sc = Math.max(Math.abs(theta), Math.abs(da), Math.abs(db));
    const rad = (theta / sc) ** 2 - (da / sc) * (db / sc);
    return { theta, gamma: sc * Math.sqrt(clampZero ? Math.max(0, rad) : rad) };
  };
  if (fp > fx) {
    // higher value: the minimum is bracketed; cubic if nearer stx than the quadratic, else the mean
    const { theta, gamma: g0 } = cubicTerms(stx, fx, dx, stp, fp, dp, false);
    const gamma = stp < stx ? -g0 : g0;
    const r = (gamma - dx + theta) / (gamma - dx + gamma + dp);
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    next = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    I.brackt = true;
  } else if (sgnd < 0) {
    // lower value, slopes of opposite sign: bracketed; the cubic if farther from stp than the secant
    const { theta, gamma: g0 } = cubicTerms(stx, fx, dx, stp, fp, dp, false);
    const gamma = stp > stx ? -g0 : g0;
    const r = (gamma - dp + theta) / (gamma - dp + gamma + dx);
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    next = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    I.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // lower value, same sign, slope decreasing in magnitude
    const { theta, gamma: g0 } = cubicTerms(stx, fx, dx, stp, fp, dp, true);
    const gamma = stp > stx ? -g0 : g0;
    const r = (gamma - dp + theta) / (gamma + (dx - dp) + gamma);
    const stpc = r < 0 && gamma !== 0 ? stp + r * (stx - stp) : stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (I.brackt) {
      next = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      next = stp > stx ? Math.min(stp + 0.66 * (sty - stp), next) : Math.max(stp + 0.66 * (sty - stp), next);
    } else {
      next = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      next = Math.max(stpmin, Math.min(stpmax, next));
    }
  } else if (I.brackt) {
    // lower value, same sign, slope not decreasing: cubic towards sty
    const { theta, gamma: g0 } = cubicTerms(stp, fp, dp, sty, fy, dy, false);
    const gamma = stp > sty ? -g0 : g0;
    const r = (gamma - dp + theta) / (gamma - dp + gamma + dy);
    next = stp + r * (sty - stp);
  } else next = stp > stx ? stpmax : stpmin;
  if (fp > fx) {
    I.sty = stp;
    I.fy = fp;
    I.gy = dp;
  } else {
    if (sgnd < 0) {
      I.sty = stx;
      I.fy = fx;
      I.gy = dx;
    }
    I.stx = stp;
    I.fx = fp;
    I.gx = dp;
  }
  return next;
}
