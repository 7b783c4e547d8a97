/**
 * Small dense helpers for the detectors (p x p with p up to a few hundred): Cholesky with a
 * growing ridge for near-singular matrices, solves, and the chi-square quantile.
 */

import { gammaP } from '../core/special.js';

/**
 * Cholesky factor `L` (row-major, lower) of a symmetric positive semi-definite `p x p` matrix. A
 * singular or near-singular matrix gets a ridge `eps * trace / p` added to its diagonal (growing
 * tenfold until the factorisation succeeds); the ridge used is returned.
 *
 * @example
 * ```ts
 * const { L } = cholesky(new Float64Array([4, 2, 2, 3]), 2);
 * ```
 */
export function cholesky(a: Float64Array, p: number): { L: Float64Array; ridge: number } {
  let tr = 0;
  for (let j = 0; j < p; j++) tr += a[j * p + j] as number;
  const scale = tr > 0 && Number.isFinite(tr) ? tr / p : 1;
  let ridge = 0;
  const L = new Float64Array(p * p);
  for (let attempt = 0; attempt < 30; attempt++) {
    L.fill(0);
    let ok = true;
    for (let i = 0; i < p && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (a[i * p + j] as number) + (i === j ? ridge : 0);
        for (let k = 0; k < j; k++) s -= (L[i * p + k] as number) * (L[j * p + k] as number);
        if (i === j) {
          if (!(s > 1e-12 * scale)) {
            ok = false;
            break;
          }
          L[i * p + i] = Math.sqrt(s);
        } else L[i * p + j] = s / (L[j * p + j] as number);
      }
    }
    if (ok) return { L, ridge };
    ridge = ridge === 0 ? 1e-10 * scale : ridge * 10;
  }
  // give up: identity scaled (never reached for finite input)
  L.fill(0);
  for (let i = 0; i < p; i++) L[i * p + i] = Math.sqrt(scale);
  return { L, ridge: scale };
}

/** Log-determinant from a Cholesky factor. @example `logDetFromCholesky(cholesky(a, p).L, p)` */
export function logDetFromCholesky(L: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) s += 2 * Math.log(L[i * p + i] as number);
  return s;
}

/** Solves `L y = b` (forward substitution) into `out`. @example `forwardSolve(L, p, b, out)` */
export function forwardSolve(L: Float64Array, p: number, b: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * p + k] as number) * (out[k] as number);
    out[i] = s / (L[i * p + i] as number);
  }
}

/** Inverse of `A = L Lᵀ` from its Cholesky factor. @example `inverseFromCholesky(L, p)` */
export function inverseFromCholesky(L: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  const y = new Float64Array(p);
  const x = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    e.fill(0);
    e[c] = 1;
    forwardSolve(L, p, e, y);
    for (let i = p - 1; i >= 0; i--) {
      let s = y[i] as number;
      for (let k = i + 1; k < p; k++) s -= (L[k * p + i] as number) * (x[k] as number);
      x[i] = s / (L[i * p + i] as number);
    }
    for (let i = 0; i < p; i++) inv[i * p + c] = x[i] as number;
  }
  return inv;
}

/**
 * Quantile of the chi-square distribution with `df` degrees of freedom (bisection on `P(df/2, x/2)`).
 *
 * @example
 * ```ts
 * chi2Quantile(0.975, 2); // 7.3778
 * ```
 */
export function chi2Quantile(q: number, df: number): number {
  let lo = 0;
  let hi = Math.max(10, df * 10);
  while (gammaP(df / 2, hi / 2) < q) hi *= 2;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (gammaP(df / 2, mid / 2) < q) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-12 * Math.max(1, hi)) break;
  }
  return (lo + hi) / 2;
}
