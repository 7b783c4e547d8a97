import { TesseraError } from '../../core/errors.js';

/**
 * An estimate pooled over `m` imputations by Rubin's rules.
 *
 * @example
 * ```ts
 * const r: PooledEstimate = poolRubin([1.1, 0.9, 1.0], [0.04, 0.05, 0.04]);
 * r.estimate; r.se; r.df;
 * ```
 */
export interface PooledEstimate {
  /** Mean of the per-imputation estimates. */
  readonly estimate: number;
  /** Within-imputation variance W: mean of the per-imputation variances. */
  readonly within: number;
  /** Between-imputation variance B: sample variance of the estimates. */
  readonly between: number;
  /** Total variance T = W + (1 + 1/m) B. */
  readonly total: number;
  /** Standard error √T. */
  readonly se: number;
  /** Relative increase in variance due to missingness, r = (1 + 1/m) B / W. */
  readonly riv: number;
  /** Rubin's degrees of freedom, (m − 1)(1 + 1/r)² (Infinity when B = 0). */
  readonly df: number;
  /** Fraction of missing information, λ = (1 + 1/m) B / T. */
  readonly fmi: number;
  /** Number of imputations. */
  readonly m: number;
}

/**
 * Pools one scalar estimate across `m` multiply-imputed datasets with Rubin's rules (Rubin 1987):
 * the pooled estimate is the mean, the total variance `T = W + (1 + 1/m) B` adds the
 * between-imputation variance `B` to the mean within-imputation variance `W`.
 *
 * @example
 * ```ts
 * import { IterativeImputer, poolRubin } from 'tessera';
 * const fitted = await new IterativeImputer({ sampleFromPosterior: true, m: 5 }).fit(ds);
 * const means = fitted.transformMultiple(ds).map((d) => mean(d.column('bmi')));
 * const vars = ...; // squared standard errors of each mean
 * poolRubin(means, vars).se;
 * ```
 */
export function poolRubin(estimates: ArrayLike<number>, variances: ArrayLike<number>): PooledEstimate {
  const m = estimates.length;
  if (m < 2) throw new TesseraError('E_OPTION', `poolRubin needs at least 2 imputations, got ${m}`, { option: 'estimates' });
  if (variances.length !== m) {
    throw new TesseraError('E_SHAPE', `poolRubin: ${m} estimates but ${variances.length} variances`, { option: 'variances' });
  }
  let q = 0;
  let w = 0;
  for (let i = 0; i < m; i++) {
    const e = estimates[i] as number;
    const v = variances[i] as number;
    if (!Number.isFinite(e)) throw new TesseraError('E_NON_FINITE', `poolRubin: estimate ${i} is ${e}`, { option: 'estimates', row: i });
    if (!(v >= 0) || !Number.isFinite(v))
      throw new TesseraError('E_OPTION', `poolRubin: variance ${i} must be finite and >= 0, got ${v}`, { option: 'variances', row: i });
    q += e;
    w += v;
  }
  q /= m;
  w /= m;
  let b = 0;
  for (let i = 0; i < m; i++) b += ((estimates[i] as number) - q) ** 2;
  b /= m - 1;
  const bm = (1 + 1 / m) * b;
  const total = w + bm;
  const riv = w > 0 ? bm / w : bm > 0 ? Number.POSITIVE_INFINITY : 0;
  const df = bm > 0 ? (m - 1) * (1 + 1 / riv) ** 2 : Number.POSITIVE_INFINITY;
  return Object.freeze({ estimate: q, within: w, between: b, total, se: Math.sqrt(total), riv, df, fmi: total > 0 ? bm / total : 0, m });
}
