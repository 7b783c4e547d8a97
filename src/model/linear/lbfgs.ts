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
  /** Maximum line-search evaluations per iteration. Default 50. */
  maxLs?: number;
  signal?: AbortSignal | undefined;
  onIteration?: ((iter: number, f: number) => void) | undefined;
}

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.5) with a strong-Wolfe line search
 * (bracketing, then zoom by safeguarded cubic interpolation). Minimises `fg`, which returns the
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
  const maxLs = options.maxLs ?? 50;
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
    const t0 = iter === 0 && S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
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

/** Strong-Wolfe line search (Nocedal and Wright, algorithms 3.5 and 3.6). Writes the accepted point into xNew/gNew. */
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
  const c1 = 1e-4;
  const c2 = 0.9;
  const d = x.length;
  let evals = 0;
  const phi = (t: number): { f: number; dg: number } => {
    for (let j = 0; j < d; j++) xNew[j] = (x[j] as number) + t * (dir[j] as number);
    const f = fg(xNew, gNew);
    evals++;
    return { f, dg: dot(gNew, dir) };
  };
  let tPrev = 0;
  let fPrev = f0;
  let dgPrev = dg0;
  let t = t0;
  let best: { t: number; f: number } | null = null;
  const zoom = (lo: number, flo: number, dglo: number, hi: number, fhi: number, dghi: number): { f: number } | null => {
    while (evals < maxLs) {
      let tj = cubicMin(lo, flo, dglo, hi, fhi, dghi);
      const a = Math.min(lo, hi);
      const b = Math.max(lo, hi);
      if (!Number.isFinite(tj) || tj <= a + 0.1 * (b - a) || tj >= b - 0.1 * (b - a)) tj = (lo + hi) / 2;
      const r = phi(tj);
      if (r.f > f0 + c1 * tj * dg0 || r.f >= flo) {
        hi = tj;
        fhi = r.f;
        dghi = r.dg;
      } else {
        if (Math.abs(r.dg) <= -c2 * dg0) return { f: r.f };
        if (r.dg * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dghi = dglo;
        }
        lo = tj;
        flo = r.f;
        dglo = r.dg;
      }
      if (Math.abs(hi - lo) < 1e-16) break;
    }
    // fall back to the best point found if it decreased the objective
    if (flo < f0) {
      phi(lo);
      return { f: flo };
    }
    return null;
  };
  for (let i = 0; i < maxLs; i++) {
    const r = phi(t);
    if (!Number.isFinite(r.f)) {
      t = (tPrev + t) / 2;
      continue;
    }
    if (r.f > f0 + c1 * t * dg0 || (i > 0 && r.f >= fPrev)) return zoom(tPrev, fPrev, dgPrev, t, r.f, r.dg);
    if (Math.abs(r.dg) <= -c2 * dg0) return { f: r.f };
    if (r.dg >= 0) return zoom(t, r.f, r.dg, tPrev, fPrev, dgPrev);
    best = { t, f: r.f };
    tPrev = t;
    fPrev = r.f;
    dgPrev = r.dg;
    t *= 2;
  }
  if (best && best.f < f0) {
    phi(best.t);
    return { f: best.f };
  }
  return null;
}

/** Minimiser of the cubic interpolating (a, fa, ga) and (b, fb, gb). */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}
