import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import type { Column } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { chiSquare2, jensenShannon, ks2, psi, wasserstein1 } from './stats.js';

const Options = z
  .object({
    /** Columns to compare (default: every column present in both). */
    columns: z.array(z.string()).optional(),
    /** Significance level of the KS and chi-square tests. Default 0.05. */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** PSI at or above which a significant change counts as drift ("moderate"). Default 0.1. */
    psiThreshold: z.number().positive().default(0.1),
    /** PSI at or above which drift is "major". Default 0.25. */
    psiMajor: z.number().positive().default(0.25),
    /** Share of compared columns that must drift for the dataset to drift. Default 0.5. */
    shareThreshold: z.number().gt(0).max(1).default(0.5),
    /** A column with major drift makes the dataset drift regardless of the share. Default true. */
    majorDriftAlerts: z.boolean().default(true),
    /** Bins (reference quantiles) for the numeric PSI. Default 10. */
    bins: z.number().int().min(2).max(100).default(10),
  })
  .strict();

/** Options of {@link compareDatasets}. @example `compareDatasets(ref, cur, { alpha: 0.01 })` */
export type DriftOptions = z.input<typeof Options>;

/**
 * Drift of one column: test statistics, p-values and a verdict.
 *
 * @example
 * ```ts
 * const c: ColumnDrift = compareDatasets(ref, cur).columns[0];
 * if (c.drift) console.log(c.column, c.severity, c.psi);
 * ```
 */
export interface ColumnDrift {
  column: string;
  /** `numeric` (KS, Wasserstein, PSI) or `categorical` (chi-square, Jensen-Shannon, PSI). */
  type: 'numeric' | 'categorical';
  drift: boolean;
  severity: 'none' | 'moderate' | 'major';
  psi: number;
  ks?: number;
  ksPValue?: number;
  wasserstein?: number;
  chiSquare?: number;
  chiSquarePValue?: number;
  dof?: number;
  jensenShannon?: number;
  /** The p-value the verdict used (KS or chi-square). */
  pValue: number;
  referenceCount: number;
  currentCount: number;
  /** Missing share in reference and current. */
  missing: { reference: number; current: number };
  /** Why there is no verdict, when a side has no values. */
  note?: string;
}

/**
 * A drift report, usable as the input of an alert rule: `drift` is the overall verdict.
 *
 * @example
 * ```ts
 * const r: DriftReport = compareDatasets(ref, cur);
 * if (r.drift) alert(`drift in ${r.drifted.join(', ')}`);
 * ```
 */
export interface DriftReport {
  drift: boolean;
  /** Share of compared columns that drifted. */
  share: number;
  drifted: string[];
  columns: ColumnDrift[];
  thresholds: { alpha: number; psiThreshold: number; psiMajor: number; shareThreshold: number; majorDriftAlerts: boolean };
}

function numericSorted(col: Column): Float64Array | undefined {
  if (col.kind !== 'number' && col.kind !== 'integer' && col.kind !== 'datetime') return undefined;
  return col.values.filter((x) => !Number.isNaN(x)).sort();
}

function categoryCounts(col: Column): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < col.length; i++) {
    let v: string | null;
    if (col.kind === 'category') v = (col.codes[i] as number) < 0 ? null : (col.dictionary[col.codes[i] as number] as string);
    else if (col.kind === 'text') v = col.values[i] ?? null;
    else if (col.kind === 'boolean') v = (col.values[i] as number) < 0 ? null : String(col.values[i] === 1);
    else v = Number.isNaN(col.values[i] as number) ? null : String(col.values[i]);
    if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
  }
  return m;
}

function binCounts(sorted: Float64Array, edges: readonly number[]): number[] {
  // bins: (-inf, e1], (e1, e2], ..., (e_last, inf)
  const counts = new Array<number>(edges.length + 1).fill(0);
  let b = 0;
  for (const x of sorted) {
    while (b < edges.length && x > (edges[b] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

function missingShare(col: Column, count: number): number {
  return col.length > 0 ? (col.length - count) / col.length : 0;
}

/**
 * Compares a current Dataset with a reference one, column by column. Numeric columns (number,
 * integer, datetime): two-sample Kolmogorov-Smirnov (statistic and asymptotic p-value),
 * Wasserstein-1 distance (in the column's units) and PSI over the reference deciles. Categorical
 * columns (category, text, boolean): chi-square test of homogeneity (p-value), Jensen-Shannon
 * divergence (base 2) and PSI over categories.
 *
 * Verdicts (documented defaults): a column drifts when its test's p-value is below `alpha`
 * (0.05) **and** its PSI is at least `psiThreshold` (0.1): significance alone flags trivial
 * shifts on large samples, PSI alone flags noise on small ones. Severity is `major` from PSI 0.25.
 * The dataset drifts when at least `shareThreshold` (half) of the compared columns drift, or any
 * column has major drift (`majorDriftAlerts`). The report is plain data: `{ drift, share,
 * drifted, columns }`, ready for an alert rule.
 *
 * @example
 * ```ts
 * import { compareDatasets } from 'tessera';
 * const report = compareDatasets(lastMonth, thisMonth);
 * report.drift;                         // true / false
 * report.columns.find((c) => c.column === 'income')?.ksPValue;
 * ```
 */
export function compareDatasets(reference: Dataset, current: Dataset, options: DriftOptions = {}): DriftReport {
  const p = parseOptions(Options, options, 'compareDatasets');
  const names = p.columns ?? reference.columnNames.filter((n) => current.has(n));
  for (const n of names) {
    reference.column(n);
    current.column(n);
  }
  const columns: ColumnDrift[] = [];
  for (const name of names) {
    const rc = reference.column(name);
    const cc = current.column(name);
    const ra = numericSorted(rc);
    const ca = numericSorted(cc);
    if (ra && ca) {
      const base = {
        column: name,
        type: 'numeric' as const,
        referenceCount: ra.length,
        currentCount: ca.length,
        missing: { reference: missingShare(rc, ra.length), current: missingShare(cc, ca.length) },
      };
      if (ra.length === 0 || ca.length === 0) {
        columns.push({ ...base, drift: false, severity: 'none', psi: Number.NaN, pValue: Number.NaN, note: 'no values on one side' });
        continue;
      }
      const ks = ks2(ra, ca);
      const edges: number[] = [];
      for (let b = 1; b < p.bins; b++) {
        const pos = (ra.length - 1) * (b / p.bins);
        const lo = Math.floor(pos);
        const e = (ra[lo] as number) + ((ra[Math.min(ra.length - 1, lo + 1)] as number) - (ra[lo] as number)) * (pos - lo);
        if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e);
      }
      const v = psi(binCounts(ra, edges), binCounts(ca, edges));
      const drift = ks.pValue < p.alpha && v >= p.psiThreshold;
      columns.push({
        ...base,
        drift,
        severity: drift ? (v >= p.psiMajor ? 'major' : 'moderate') : 'none',
        psi: v,
        ks: ks.statistic,
        ksPValue: ks.pValue,
        wasserstein: wasserstein1(ra, ca),
        pValue: ks.pValue,
      });
    } else {
      const rm = categoryCounts(rc);
      const cm = categoryCounts(cc);
      const cats = [...new Set([...rm.keys(), ...cm.keys()])];
      const a = cats.map((k) => rm.get(k) ?? 0);
      const b = cats.map((k) => cm.get(k) ?? 0);
      const na = a.reduce((s, x) => s + x, 0);
      const nb = b.reduce((s, x) => s + x, 0);
      const base = {
        column: name,
        type: 'categorical' as const,
        referenceCount: na,
        currentCount: nb,
        missing: { reference: missingShare(rc, na), current: missingShare(cc, nb) },
      };
      if (na === 0 || nb === 0) {
        columns.push({ ...base, drift: false, severity: 'none', psi: Number.NaN, pValue: Number.NaN, note: 'no values on one side' });
        continue;
      }
      const chi = chiSquare2(a, b);
      const v = psi(a, b);
      const pValue = Number.isNaN(chi.pValue) ? 1 : chi.pValue;
      const drift = pValue < p.alpha && v >= p.psiThreshold;
      columns.push({
        ...base,
        drift,
        severity: drift ? (v >= p.psiMajor ? 'major' : 'moderate') : 'none',
        psi: v,
        chiSquare: chi.statistic,
        chiSquarePValue: chi.pValue,
        dof: chi.dof,
        jensenShannon: jensenShannon(a, b),
        pValue,
      });
    }
  }
  const drifted = columns.filter((c) => c.drift).map((c) => c.column);
  const share = columns.length > 0 ? drifted.length / columns.length : 0;
  const major = p.majorDriftAlerts && columns.some((c) => c.severity === 'major');
  return {
    drift: columns.length > 0 && (share >= p.shareThreshold || major),
    share,
    drifted,
    columns,
    thresholds: { alpha: p.alpha, psiThreshold: p.psiThreshold, psiMajor: p.psiMajor, shareThreshold: p.shareThreshold, majorDriftAlerts: p.majorDriftAlerts },
  };
}
