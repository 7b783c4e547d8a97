/**
 * Statistical helpers for drift tests: two-sample Kolmogorov-Smirnov, Wasserstein-1, chi-square,
 * Jensen-Shannon divergence and the population stability index.
 */

import { gammaQ } from '../core/special.js';

/**
 * Survival function of the chi-square distribution.
 *
 * @example
 * ```ts
 * chiSquareSf(3.841, 1); // about 0.05
 * ```
 */
export function chiSquareSf(x: number, dof: number): number {
  if (dof <= 0) return Number.NaN;
  return gammaQ(dof / 2, x / 2);
}

/**
 * Kolmogorov's limiting distribution, P(K > t) = 2 Σ (-1)^(k-1) exp(-2 k² t²).
 *
 * @example
 * ```ts
 * kolmogorovSf(1.36); // about 0.05
 * ```
 */
export function kolmogorovSf(t: number): number {
  if (t <= 0) return 1;
  if (t < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * t * t);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.max(0, Math.min(1, 2 * sum));
}

/**
 * Two-sample Kolmogorov-Smirnov test on sorted samples: statistic D = sup |F_a - F_b| and an
 * asymptotic p-value (Kolmogorov distribution with Stephens' small-sample correction).
 *
 * @example
 * ```ts
 * ks2(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)); // { statistic: 1, pValue: ... }
 * ```
 */
export function ks2(a: Float64Array, b: Float64Array): { statistic: number; pValue: number } {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { statistic: Number.NaN, pValue: Number.NaN };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i] as number, b[j] as number);
    while (i < n && (a[i] as number) <= x) i++;
    while (j < m && (b[j] as number) <= x) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovSf((en + 0.12 + 0.11 / en) * d) };
}

/**
 * Wasserstein-1 (earth mover's) distance between two sorted samples: ∫ |F_a(x) - F_b(x)| dx.
 *
 * @example
 * ```ts
 * wasserstein1(Float64Array.of(0, 1), Float64Array.of(1, 2)); // 1
 * ```
 */
export function wasserstein1(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let prev = Math.min(a[0] as number, b[0] as number);
  let w = 0;
  while (i < n || j < m) {
    const x = j >= m || (i < n && (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
    w += Math.abs(i / n - j / m) * (x - prev);
    prev = x;
    while (i < n && (a[i] as number) <= x) i++;
    while (j < m && (b[j] as number) <= x) j++;
  }
  return w;
}

/**
 * Chi-square test of homogeneity on two count vectors over the same categories (no continuity
 * correction; categories absent from both are dropped).
 *
 * @example
 * ```ts
 * chiSquare2([10, 20], [20, 10]); // { statistic: 6.67, dof: 1, pValue: 0.0098 }
 * ```
 */
export function chiSquare2(a: readonly number[], b: readonly number[]): { statistic: number; dof: number; pValue: number } {
  let na = 0;
  let nb = 0;
  for (const x of a) na += x;
  for (const x of b) nb += x;
  const total = na + nb;
  let chi = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const col = (a[i] as number) + (b[i] as number);
    if (col === 0) continue;
    k++;
    const ea = (col * na) / total;
    const eb = (col * nb) / total;
    chi += ((a[i] as number) - ea) ** 2 / ea + ((b[i] as number) - eb) ** 2 / eb;
  }
  const dof = k - 1;
  if (na === 0 || nb === 0 || dof < 1) return { statistic: Number.NaN, dof: Math.max(0, dof), pValue: Number.NaN };
  return { statistic: chi, dof, pValue: chiSquareSf(chi, dof) };
}

/**
 * Jensen-Shannon divergence (base 2, in [0, 1]) between two count vectors.
 *
 * @example
 * ```ts
 * jensenShannon([1, 0], [0, 1]); // 1
 * ```
 */
export function jensenShannon(a: readonly number[], b: readonly number[]): number {
  const sa = a.reduce((s, x) => s + x, 0);
  const sb = b.reduce((s, x) => s + x, 0);
  if (sa === 0 || sb === 0) return Number.NaN;
  let js = 0;
  for (let i = 0; i < a.length; i++) {
    const p = (a[i] as number) / sa;
    const q = (b[i] as number) / sb;
    const m = (p + q) / 2;
    if (p > 0) js += 0.5 * p * Math.log2(p / m);
    if (q > 0) js += 0.5 * q * Math.log2(q / m);
  }
  return Math.max(0, js);
}

/**
 * Population stability index Σ (c - r) ln(c / r) over bins, proportions floored at `eps`.
 *
 * @example
 * ```ts
 * psi([50, 50], [50, 50]); // 0
 * ```
 */
export function psi(reference: readonly number[], current: readonly number[], eps = 1e-4): number {
  const sr = reference.reduce((s, x) => s + x, 0);
  const sc = current.reduce((s, x) => s + x, 0);
  if (sr === 0 || sc === 0) return Number.NaN;
  let v = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(eps, (reference[i] as number) / sr);
    const c = Math.max(eps, (current[i] as number) / sc);
    v += (c - r) * Math.log(c / r);
  }
  return v;
}
