/**
 * Special functions shared by the statistical tests (drift, robust covariance thresholds).
 */

/**
 * Natural log of the gamma function, Lanczos approximation (Numerical Recipes), for `x > 0`.
 *
 * @example
 * ```ts
 * Math.exp(lnGamma(5)); // 24
 * ```
 */
export function lnGamma(x: number): number {
  // biome-ignore lint/correctness/noPrecisionLoss: published Lanczos coefficients (Numerical Recipes)
  const c = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const tmp0 = x + 5.5;
  const tmp = tmp0 - (x + 0.5) * Math.log(tmp0);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  // biome-ignore lint/correctness/noPrecisionLoss: sqrt(2 pi) as published
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}

/**
 * Regularised incomplete gamma functions `P(a, x)` and `Q(a, x) = 1 - P(a, x)`: a series below
 * `a + 1`, a continued fraction above (Numerical Recipes), each computed on the side where it is
 * accurate.
 */
function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 1000; n++) {
      ap++;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    const p = sum * front;
    return { p, q: 1 - p };
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  const q = front * h;
  return { p: 1 - q, q };
}

/**
 * Regularised lower incomplete gamma function `P(a, x)`.
 *
 * @example
 * ```ts
 * gammaP(1, 1); // 1 - exp(-1) = 0.632
 * ```
 */
export function gammaP(a: number, x: number): number {
  return incompleteGamma(a, x).p;
}

/**
 * Regularised upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a)`.
 *
 * @example
 * ```ts
 * gammaQ(1, 2); // exp(-2) = 0.1353
 * ```
 */
export function gammaQ(a: number, x: number): number {
  return incompleteGamma(a, x).q;
}
