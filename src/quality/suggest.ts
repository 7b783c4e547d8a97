import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { cellValue } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import type { CheckInput, Suite } from './checks.js';
import { offStep, parseSuite } from './checks.js';
import { SafePattern } from './pattern.js';

function isSafe(pattern: string): boolean {
  try {
    SafePattern.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

const Options = z
  .object({
    /** Columns to suggest checks for (default: all). */
    columns: z.array(z.string()).optional(),
    /**
     * Target probability that a numeric `between` bound is exceeded by a clean batch as large as the
     * reference (tail model, see {@link tailBounds}). Smaller: wider bounds. Default 0.001.
     */
    alpha: z.number().gt(0).lt(1).default(0.001),
    /** Extra widening of numeric ranges by this fraction of the observed range on each side (on top of the tail model). Default 0. */
    margin: z.number().min(0).max(100).default(0),
    /** At most this many categories for an `inSet` check. Default 50. */
    maxSetSize: z.number().int().min(1).max(10_000).default(50),
    /** Fewer non-missing rows than this: only kind checks are suggested for a column (a small sample cannot support tighter ones without false alarms). Default 30. */
    minRows: z.number().int().min(1).default(30),
    /** Suggest `relation` checks between numeric columns that keep an order in every reference row, with enough support. Default true. */
    relations: z.boolean().default(true),
    /** Suggest `linear` checks bounding the residual of one numeric column regressed on another when they are strongly correlated (|r| at least `minCorrelation`). Default true. */
    linear: z.boolean().default(true),
    /** Smallest absolute Pearson correlation for a `linear` check. Default 0.8. */
    minCorrelation: z.number().gt(0).max(1).default(0.8),
    /** Suggest a character-class and length pattern for text columns without an `inSet`. Default true. */
    textShape: z.boolean().default(true),
    /** Suggest `between` checks with a `step` (the decimal resolution) when every numeric column is recorded at a steady resolution. Default true. */
    steps: z.boolean().default(true),
    /** Suggest `notInSet` checks forbidding the categories of other columns whose vocabularies never meet this column's values. Default true. */
    forbidden: z.boolean().default(true),
  })
  .strict();

/** Options of {@link suggestChecks}. @example `suggestChecks(ds, { alpha: 0.01 })` */
export type SuggestOptions = z.input<typeof Options>;

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** Lower `q` quantile of the chi-square distribution with `nu` degrees of freedom (Wilson-Hilferty). */
function chiSquareLower(nu: number, z: number): number {
  const a = 2 / (9 * nu);
  const c = 1 - a + z * Math.sqrt(a);
  return nu * Math.max(c, 0.05) ** 3;
}

/**
 * Bound of one tail from the top `k` order statistics of `t` (ascending, transformed values),
 * read from the end (`upper`) or the start. Exponential tail above the threshold u = the (k+1)-th
 * extreme: P(X beyond u + y) = (kp / n) exp(-y / sigma), with kp the number of the top k values
 * strictly beyond u and sigma their mean excess, taken at its 95% upper confidence limit
 * (2 kp sigma / chi2_0.05(2 kp)), so a tail seen through few points is extrapolated generously.
 * The bound is where a batch of n new rows exceeds it with probability alpha.
 */
function tailBound(t: Float64Array, upper: boolean, alpha: number): { bound: number; kp: number; cv: number; weak: boolean; u: number; sigma: number } {
  const n = t.length;
  const at = (i: number): number => (upper ? (t[n - 1 - i] as number) : -(t[i] as number));
  const sign = upper ? 1 : -1;
  const k = Math.min(n - 1, Math.max(10, Math.ceil(Math.sqrt(n))));
  const u = at(k);
  let kp = 0;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < k; i++) {
    const e = at(i) - u;
    if (e > 0) {
      kp++;
      sum += e;
      sum2 += e * e;
    }
  }
  const extreme = at(0);
  if (kp === 0) {
    // More than k values tie at the extreme (discrete values): compare its count with the next
    // value's. A count that piles up at the extreme reads as a hard limit (a flag, a top grade);
    // a decaying one is extrapolated geometrically until the expected count falls below alpha.
    let c = 0;
    while (c < n && at(c) === extreme) c++;
    if (c === n) return { bound: sign * extreme, kp: 0, cv: 0, weak: true, u: sign * u, sigma: 0 };
    const next = at(c);
    let c2 = 0;
    while (c + c2 < n && at(c + c2) === next) c2++;
    const r = c / c2;
    // Rule of three: no value beyond the extreme in n rows is at odds with a decay predicting more
    // than 3 of them, so the decay model is rejected. The extreme is then read as a limit, give or
    // take one step of the data's resolution (a hard limit and a coarse rounding look alike).
    if (r >= 1 || c * r > 3) return { bound: sign * (extreme + (extreme - next)), kp: 0, cv: 0, weak: false, u: sign * u, sigma: 0 };
    const steps = Math.ceil(Math.log(alpha / c) / Math.log(r));
    return { bound: sign * (extreme + steps * (extreme - next)), kp: 0, cv: 0, weak: false, u: sign * u, sigma: 0 };
  }
  const sigma = sum / kp;
  const cv = kp > 1 ? Math.sqrt(Math.max(0, sum2 / kp - sigma * sigma)) / sigma : 0;
  const sigmaHi = (sigma * 2 * kp) / chiSquareLower(2 * kp, -1.645);
  const b = Math.max(extreme, u + sigmaHi * Math.log(kp / alpha));
  return { bound: sign * b, kp, cv, weak: false, u: sign * u, sigma };
}

/**
 * Bounds for a numeric column from its non-missing values sorted ascending: an exponential tail
 * model on each side (exceeded by a clean batch as large as the sample with probability about
 * `alpha`, default 0.001), on a log1p scale when the values are non-negative and the upper tail is
 * heavy (excesses over the threshold vary more than an exponential's, coefficient of variation
 * above 1.3, or max - median >= 3 (median - min): a Pareto-like tail, e.g. amounts and counts).
 * Without negative values the lower bound stays at 0 when the lower tail model expected at least 3
 * negatives (or piles up at its extreme); integer columns get integer bounds. `weak` is true when a
 * side had no spread to model (a constant column, or fewer than 3 values). Throws `E_EMPTY` on no values.
 *
 * @example
 * ```ts
 * const { lo, hi, scale, weak } = tailBounds(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), { integer: true });
 * // lo >= 0 (no negative value seen), hi > 12, scale 'linear', weak false
 * ```
 */
export function tailBounds(
  sorted: Float64Array,
  options: { integer?: boolean; alpha?: number; margin?: number } = {},
): { lo: number; hi: number; scale: 'linear' | 'log1p'; weak: boolean } {
  const alpha = options.alpha ?? 0.001;
  const n = sorted.length;
  if (n === 0) throw new TesseraError('E_EMPTY', 'tailBounds: no values to bound', {});
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  const range = max - min;
  let scale: 'linear' | 'log1p' = 'linear';
  let lo: number;
  let hi: number;
  let weak = false;
  // lower tail of the scale used: threshold, point-estimate scale and support
  let lower: { u: number; sigma: number; kp: number } | undefined;
  const lin = n >= 3 ? tailBound(sorted, true, alpha) : undefined;
  if (n < 3 || lin === undefined) {
    weak = true;
    const w = range || Math.abs(max) || 1;
    lo = min - w;
    hi = max + w;
  } else {
    const median = sorted[(n - 1) >> 1] as number;
    if (min >= 0 && lin.kp >= 5 && (lin.cv > 1.3 || max - median >= 3 * (median - min))) scale = 'log1p';
    if (scale === 'log1p') {
      const t = sorted.map((x) => Math.log1p(x));
      const h = tailBound(t, true, alpha);
      const l = tailBound(t, false, alpha);
      hi = Math.expm1(h.bound);
      lo = Math.expm1(l.bound);
      lower = l;
      weak = h.weak || l.weak;
    } else {
      const l = tailBound(sorted, false, alpha);
      hi = lin.bound;
      lo = l.bound;
      lower = l;
      weak = lin.weak || l.weak;
    }
  }
  const m = options.margin ?? 0;
  lo -= m * range;
  hi += m * range;
  // No negative value seen: a floor at 0 is supported when the lower tail model, taken at face
  // value, expected at least 3 negative values among these rows (rule of three), or when the
  // lower tail piles up at its extreme (a limit); else 0 is just where this sample stopped (e.g.
  // temperatures in °C from a mild period) and the model's bound stands.
  if (min >= 0 && lo < 0) {
    const expectedBelow = lower === undefined || lower.kp === 0 ? Number.POSITIVE_INFINITY : lower.kp * Math.exp(-lower.u / lower.sigma);
    if (expectedBelow >= 3) lo = 0;
  }
  if (options.integer) {
    lo = Math.floor(lo);
    hi = Math.ceil(hi);
  }
  return { lo, hi, scale, weak };
}

/** A cell's value as a comparable key (`undefined` for a missing cell). */
function cellKey(ds: Dataset, name: string, i: number): string | number | boolean | undefined {
  const v = cellValue(ds.column(name), i);
  if (v === null) return undefined;
  return v instanceof Date ? v.getTime() : v;
}

/**
 * Whether the gaps of column `name` (row indices `gaps`, at least 3) are missing by design: some
 * other column (not a datetime; for numbers, at its minimum or maximum) holds one value in exactly
 * these rows and nowhere else (a total of charges missing exactly for customers with a tenure of
 * 0, an end date for ongoing contracts). Such gaps say
 * nothing about cells lost here and there. By chance, k >= 3 rows holding a value that no other
 * row holds is very unlikely unless the value marks the rows (the column is near-unique, which
 * the count of rows with that value rules out when k >= 3).
 */
function structuralGaps(ds: Dataset, name: string, gaps: readonly number[]): boolean {
  if (gaps.length < 3) return false;
  const first = gaps[0] as number;
  for (const other of ds.columnNames) {
    if (other === name) continue;
    const col = ds.column(other);
    // A time window is not a design (a day of lost readings is sporadic loss); a number marks
    // "not applicable" at its boundary (a tenure of 0, a count of 0), not in the middle.
    if (col.kind === 'datetime') continue;
    const v = cellKey(ds, other, first);
    if (v === undefined) continue;
    if (!gaps.every((i) => cellKey(ds, other, i) === v)) continue;
    if (typeof v === 'number') {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const x of (col as { values: Float64Array }).values) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (v !== lo && v !== hi) continue;
    }
    let count = 0;
    for (let i = 0; i < ds.nrows && count <= gaps.length; i++) if (cellKey(ds, other, i) === v) count++;
    if (count === gaps.length) return true;
  }
  return false;
}

/** `error`: every row must pass; `tolerant`: an error check with `mostly` (a few failures are expected). */
type Sev = 'error' | 'tolerant';

/**
 * Rows of a kind the reference never shows (a missing cell where other columns have sporadic gaps,
 * a bare number in a text column of a table with values seen once) that a clean batch may bring: if
 * a column's k such cells fell at random between the reference and a batch of the same size, all k
 * would land in the batch with probability 2^-k, below 0.4% for k >= 8. So 7 per reference-sized
 * batch are allowed (`mostly`, a share of rows, so that the allowance scales with the batch;
 * Deequ's completeness constraint does the same).
 */
const NEVER_SEEN = 7;

/**
 * Rows with values never seen that a clean batch of the reference's size may bring to a column,
 * from `freq[j]` = the number of values seen j times in the reference. Values arrive in clumps: a
 * value whose 6 rows all fell outside the reference brings 6 new rows at once. If a value's rows
 * follow Poisson(l), it is seen j times as often as it is missed times l^j / j!, so about
 * f_j j! / j^j values as common as those seen j times are missing (j = 1: Good-Turing's f1), each
 * bringing about j rows. The allowance is the upper 0.1% quantile of that compound Poisson count
 * (Panjer's recursion), taking at least one missing value seen once, since values seen once
 * elsewhere in the table say new ones may come.
 */
function unseenAllowance(freq: ReadonlyMap<number, number>): number {
  const mu: number[] = [0];
  let rate = 0;
  let mean = 0;
  let variance = 0;
  for (let j = 1; j <= 10; j++) {
    let f = freq.get(j) ?? 0;
    if (j === 1) f = Math.max(1, f);
    let ratio = 1; // j! / j^j
    for (let i = 1; i <= j; i++) ratio *= i / j;
    const m = f * ratio;
    mu.push(m);
    rate += m;
    mean += j * m;
    variance += j * j * m;
  }
  if (rate > 50) return Math.ceil(mean + 3.09 * Math.sqrt(variance));
  const p = [Math.exp(-rate)];
  let cdf = p[0] as number;
  let x = 0;
  while (cdf < 0.999) {
    x++;
    let s = 0;
    for (let j = 1; j <= Math.min(x, 10); j++) s += j * (mu[j] as number) * (p[x - j] as number);
    p.push(s / x);
    cdf += s / x;
  }
  return x;
}

/**
 * Values outside the reference's observed range that a clean batch may bring to a column. If the
 * reference (n rows) and the batch (m rows) are exchangeable, the number of batch values above the
 * reference's maximum is about geometric, P(at least k) <= q^k with q = m / (n + m), whatever the
 * distribution (ties only lower it), and so below the minimum; both together reach k with
 * probability about q^k (1 + k (1 - q)). At the 0.1% level that allows 12 for a batch of the
 * reference's size, 7 for half of it, 5 for a quarter, 3 for a tenth: 14 per reference size
 * (a share, so 7 at half size) and at least 5 whatever the size cover them all.
 */
const RANGE_EXCEEDANCES = 14;
const RANGE_FLOOR = 5;

/**
 * An integer column whose `count` values (`sorted`) are all distinct although about 3 or more
 * collisions would be expected by chance. Birthday argument: n values drawn at random from a range
 * of R integers collide about n^2 / 2R times; none where several were expected suggests an
 * identifier.
 */
function identifierLike(kind: string, sorted: Float64Array, count: number): boolean {
  if (kind !== 'integer' || count === 0) return false;
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  return new Set<number>(sorted).size === count && (count * count) / (2 * (max - min + 1)) >= 3;
}

/** `mostly` allowing `k` failing rows in `n` (to 12 decimals: the allowance rounds up, see allowedFailures). */
function mostlyFor(k: number, n: number): number {
  return Math.max(1e-12, Number((1 - k / n).toFixed(12)));
}

/** Severity from Good-Turing counts of a frequency table: error when no value is rare. */
function levelSeverity(counts: Iterable<number>, n: number): Sev | undefined {
  let f1 = 0;
  let rare = 0;
  for (const c of counts) {
    if (c === 1) f1++;
    if (c < 5) rare++;
  }
  if (rare === 0) return 'error';
  // Good-Turing: the share of rows carrying a value never seen is about (values seen once) / n.
  return f1 / n <= 0.01 ? 'tolerant' : undefined;
}

/**
 * Infers a check suite from a known-good Dataset, as Deequ's constraint suggestion does. The suite
 * is plain JSON that a user can read, edit and save. Each rule generalises from a sample rather
 * than memorising it. Where the reference says rare failures are to be expected, a check gets a
 * `mostly` allowance: as many failing rows as a clean batch of the reference's size brings with
 * probability above about 0.1% (failures within it are `info` findings, more fail the report); see
 * docs/quality.md for the arguments and the measured false-alarm and detection rates:
 * - `kind` for every column (`number` for integer and number columns, `text` for category and text);
 * - with at least `minRows` non-missing rows:
 * - `notNull` for columns without missing values; strict when no other column has sporadic gaps
 *   (missing at most 10% of its cells, not by design: gaps exactly where another column holds a
 *   value found in no other row are structural), else allowing 7 missing cells per reference-sized
 *   batch (a column's k gaps all fall outside a same-size reference with probability 2^-k), plus
 *   `complete(rows)` over those columns together (allowance: the larger of 7 and a Good-Turing
 *   estimate with the columns as the values);
 * - `between` for numbers: exponential tail models of both ends (log1p scale for heavy right tails),
 *   bounds exceeded by a clean batch of the reference's size with probability about `alpha`
 *   ({@link tailBounds}), capped at limits shared by several columns (a value that is the observed
 *   maximum or minimum of at least 3 numeric columns and 20% of them: a 0..16 scale, 0/1 flags);
 *   datetimes: the observed range widened by half the range;
 * - `between` named `range(column)` for numbers (not identifier-like integers): the observed range,
 *   allowing 14 values beyond it per reference-sized batch and at least 5 in any batch
 *   (exchangeable batches: values above the reference's maximum are about geometric, P(at least
 *   k) = 2^-k at the reference's size, whatever the distribution);
 * - `between` with a `step` (named `step(column)`) for numbers: the coarsest of 1, 0.5, 0.1, ...,
 *   1e-6 dividing every value, when every numeric column is recorded at a steady resolution (no
 *   column where most values stop short of its finest digit, binomial z > 3);
 * - `inSet` for categories with at most `maxSetSize` values: strict when each value occurs at least
 *   5 times and no category column has a value seen once, else, when Good-Turing's unseen share
 *   (values seen once / rows) is at most 1%, allowing the new values a clean batch may bring;
 * - `unique` for integer columns whose values are all distinct although about 3 or more
 *   collisions would be expected by chance (birthday argument), and text columns (too many
 *   values for `inSet`) whose values are all distinct;
 * - `notInSet` (named `notInSet(column)`) for category/text columns without a strict `inSet`: the
 *   categories of other closed vocabularies that never meet this column's values (a cell moved
 *   across columns);
 * - `matchesPattern` for other text: its value formats ({@link formatShape}) when few and common,
 *   else character families and a length range ({@link textShape}), plus `notBareNumber(column)`
 *   when no reference value is a bare number; strict on the column's own Good-Turing evidence
 *   (formats of high-cardinality text; families each used by at least 5 distinct values), else
 *   with the new-values allowance when the reference has categories seen once;
 * - `relation` (`<=`) between numeric columns whose order never flips in at least `minRows` rows
 *   although most rows have both values inside the ranges' overlap, at most half tie, and the
 *   tail model of B - A (at alpha / pairs) stays at or above 0 (e.g. `temp_min <= temp_max`);
 * - `linear` for numeric pairs with |r| >= `minCorrelation`: the least-squares residual bounded by
 *   the tail model (at alpha / pairs), which catches a cell moved inside its own column's range;
 * - `rowCountBetween` with a minimum of 1.
 *
 * @example
 * ```ts
 * import { Dataset, suggestChecks, runChecks } from 'tessera';
 * const suite = suggestChecks(goodData);
 * const text = JSON.stringify(suite, null, 2);    // save, review, edit
 * runChecks(newData, JSON.parse(text)).success;
 * ```
 */
export function suggestChecks(reference: Dataset, options: SuggestOptions = {}): Suite {
  const p = parseOptions(Options, options, 'suggestChecks');
  const names = p.columns ?? reference.columnNames;
  const checks: CheckInput[] = [{ type: 'rowCountBetween', min: 1, description: 'the table is not empty' }];
  const numericRanges: Array<{
    name: string;
    min: number;
    max: number;
    values: Float64Array;
    scale: 'linear' | 'log1p';
    /** The tail model had no spread to model on some side. */
    weak: boolean;
    check: { min: number; max: number; severity?: 'error' | 'warning'; description: string };
  }> = [];
  // Evidence pooled over the reference's columns (empirical Bayes: columns of one source share its
  // habits). A source that left cells missing elsewhere may leave them missing here too, and a
  // source with categories seen once (Good-Turing: singletons predict unseen values) may bring new
  // ones in any column: such checks get a `mostly` allowance.
  let missingCells = 0;
  // columns with sporadic gaps by their number of missing cells (for the complete-rows allowance)
  const gapFreq = new Map<number, number>();
  // columns that get a notNull check (no missing value in the reference)
  const complete: string[] = [];
  let singletonLevels = 0;
  // closed vocabularies (category or text columns with at most maxSetSize values), for notInSet
  const vocabularies = new Map<string, Set<string>>();
  // per column, from this pass: non-missing cells and (category / text) value counts
  const tallies = new Map<string, { count: number; counts: Map<string, number> }>();
  for (const name of reference.columnNames) {
    const col = reference.column(name);
    const counts = new Map<string, number>();
    const gaps: number[] = [];
    for (let i = 0; i < col.length; i++) {
      const v = cellValue(col, i);
      if (v === null) gaps.push(i);
      else if (col.kind === 'category' || col.kind === 'text') counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    }
    const missing = gaps.length;
    tallies.set(name, { count: col.length - missing, counts });
    // Sporadic gaps (a column missing at most 10% of its cells: data lost here and there) predict
    // gaps in other columns; an optional field missing a large share (or an entirely empty column)
    // says nothing about whether the other fields are required, and neither do gaps by design
    // (missing exactly where another column holds one value: see structuralGaps).
    if (missing <= 0.1 * col.length && !structuralGaps(reference, name, gaps)) {
      missingCells += missing;
      if (missing > 0) gapFreq.set(missing, (gapFreq.get(missing) ?? 0) + 1);
    }
    if (counts.size > 0 && counts.size <= p.maxSetSize) for (const c of counts.values()) if (c === 1) singletonLevels++;
    if (counts.size > 0 && counts.size <= p.maxSetSize && col.length - missing >= p.minRows) vocabularies.set(name, new Set(counts.keys()));
  }
  // Resolution of numeric columns. A source that mixes precisions in one column (whole numbers
  // among decimals, a lone 97.5 among integers) may bring a finer value to any column: then no
  // `step` checks are suggested (they would be weak, and warn on clean data).
  const resolutions = new Map<string, { step: number; mixed: boolean }>();
  let mixedPrecision = false;
  for (const name of reference.columnNames) {
    const col = reference.column(name);
    if (col.kind !== 'number' && col.kind !== 'integer') continue;
    const r = resolution(col.values);
    if (r === undefined) continue;
    resolutions.set(name, r);
    if (r.mixed) mixedPrecision = true;
  }
  for (const name of names) {
    const col = reference.column(name);
    const kind = col.kind === 'integer' ? 'number' : col.kind === 'category' ? 'text' : col.kind;
    checks.push({ type: 'kind', column: name, kind });
    const { count, counts } = tallies.get(name) as { count: number; counts: Map<string, number> };
    if (count < p.minRows) continue;
    if (count === col.length) {
      complete.push(name);
      checks.push({
        type: 'notNull',
        column: name,
        ...(missingCells === 0 ? {} : { mostly: mostlyFor(NEVER_SEEN, col.length) }),
        description:
          missingCells === 0
            ? `no missing values in ${col.length} reference rows (nor sporadic gaps in other columns)`
            : `no missing values in ${col.length} reference rows, but ${missingCells} cells of other columns are missing here and there: up to ${NEVER_SEEN} per ${col.length} rows allowed`,
      });
    }
    if (col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime') {
      const sorted = col.values.filter((x) => Number.isFinite(x)).sort();
      // ±Infinity in known-good data: no range (it would flag the reference itself) and no pairs.
      if (sorted.length < count) continue;
      const min = sorted[0] as number;
      const max = sorted[sorted.length - 1] as number;
      if (col.kind === 'datetime') {
        const range = max - min || 86_400_000;
        checks.push({
          type: 'between',
          column: name,
          min: new Date(min - 0.5 * range).toISOString(),
          max: new Date(max + 0.5 * range).toISOString(),
          description: `reference range ${new Date(min).toISOString()} .. ${new Date(max).toISOString()}`,
        });
        continue;
      }
      const b = tailBounds(sorted, { integer: col.kind === 'integer', alpha: p.alpha, margin: p.margin });
      const between = {
        type: 'between' as const,
        column: name,
        min: round(b.lo),
        max: round(b.hi),
        ...(b.weak ? { severity: 'warning' as const } : {}),
        description: `reference range ${min} .. ${max}; tail model (${b.scale}) exceeded with probability ~${p.alpha}`,
      };
      checks.push(between);
      // the observed range itself, tolerating the few values beyond it that chance brings: many
      // more say the batch's tails moved (distribution-free, unlike the tail model above). Not for
      // identifier-like integers (all distinct), which new batches continue rather than resample.
      if (!identifierLike(col.kind, sorted, count))
        checks.push({
          type: 'between',
          name: `range(${name})`,
          column: name,
          min,
          max,
          mostly: mostlyFor(RANGE_EXCEEDANCES, col.length),
          allowFailing: RANGE_FLOOR,
          description: `observed range ${min} .. ${max}; up to ${RANGE_EXCEEDANCES} values beyond it per ${col.length} rows allowed, and ${RANGE_FLOOR} in any batch (rank argument)`,
        });
      numericRanges.push({ name, min, max, values: col.values, scale: b.scale, weak: b.weak, check: between });
      const res = resolutions.get(name);
      if (p.steps && res !== undefined && !mixedPrecision) {
        checks.push({
          type: 'between',
          name: `step(${name})`,
          column: name,
          step: res.step,
          description: `all ${count} reference values are whole multiples of ${res.step}, recorded at that resolution steadily (as in every numeric column)`,
        });
      }
      if (identifierLike(col.kind, sorted, count)) {
        checks.push({ type: 'unique', columns: [name], description: 'all values distinct in the reference (identifier-like)' });
      }
    } else if (col.kind === 'category' || col.kind === 'text') {
      let severity = counts.size <= p.maxSetSize ? levelSeverity(counts.values(), count) : undefined;
      if (severity === 'error' && singletonLevels > 0) severity = 'tolerant';
      const freq = new Map<number, number>();
      for (const c of counts.values()) freq.set(c, (freq.get(c) ?? 0) + 1);
      const f1 = freq.get(1) ?? 0;
      // a tolerant check of this column allows the new values a clean batch of this size may bring
      const unseen = unseenAllowance(freq);
      const tolerance = (sev: Sev) => (sev === 'tolerant' ? { mostly: mostlyFor(unseen, col.length) } : {});
      if (severity) {
        checks.push({
          type: 'inSet',
          column: name,
          values: [...counts.keys()].sort(),
          ...tolerance(severity),
          description:
            severity === 'error'
              ? `${counts.size} categories, each seen at least 5 times`
              : `${counts.size} categories; values seen once cover ${((100 * f1) / count).toFixed(1)}% of rows (Good-Turing unseen share): up to ${unseen} new values per ${col.length} rows allowed`,
        });
      }
      // Values of other columns: a closed vocabulary (at most maxSetSize values) that never meets
      // this column's values in the reference marks a cell moved across columns. Unlike a new
      // category in general (Good-Turing: values seen once predict unseen ones), a new value that
      // happens to be exactly another column's category is not what a long tail brings.
      if (p.forbidden && severity !== 'error') {
        const mine = new Set(counts.keys());
        const forbidden = new Set<string>();
        for (const [other, set] of vocabularies) {
          if (other === name) continue;
          let meets = false;
          for (const v of set) if (mine.has(v)) meets = true;
          if (!meets) for (const v of set) forbidden.add(v);
        }
        if (forbidden.size > 0) {
          checks.push({
            type: 'notInSet',
            name: `notInSet(${name})`,
            column: name,
            values: [...forbidden].sort(),
            description: `categories of other columns, never seen in this column's ${count} reference values`,
          });
        }
      }
      if (severity !== 'error') {
        if (counts.size === count && col.kind === 'text') {
          checks.push({ type: 'unique', columns: [name], description: 'all values distinct in the reference (identifier-like)' });
        }
        if (p.textShape) {
          const fmtFound = formatShape(counts);
          const fmt = fmtFound && isSafe(fmtFound.pattern) ? fmtFound : undefined;
          // Formats follow the pooled evidence of categories (a source with categories seen once
          // may bring a new category, and with it a new format), except in a column with too many
          // values for an inSet (dates, codes), where its own Good-Turing evidence (every format
          // seen at least 5 times) stands.
          const fmtSeverity: Sev = singletonLevels > 0 && counts.size <= p.maxSetSize ? 'tolerant' : 'error';
          // Character families (letters, digits, spaces, punctuation, non-ASCII) change less than
          // formats: when every family seen is used by at least 5 distinct values (Good-Turing over
          // distinct values, as inSet over rows), new values, new categories included, keep to the
          // same families.
          const shape = textShape(counts.keys());
          const shapeSeverity: Sev = shape && counts.size >= 5 && rareFamilies(counts.keys()) === 0 ? 'error' : singletonLevels > 0 ? 'tolerant' : 'error';
          const chosen =
            fmt && (fmtSeverity === 'error' || shapeSeverity !== 'error')
              ? { ...fmt, severity: fmtSeverity }
              : shape
                ? { ...shape, severity: shapeSeverity }
                : undefined;
          // A pattern of the values allows a subset of what an inSet allows beyond the set: a
          // tolerant pattern next to a tolerant inSet (same allowance) would only repeat its findings.
          const repeats = (sev: Sev) => sev === 'tolerant' && severity === 'tolerant';
          if (chosen && !repeats(chosen.severity)) {
            checks.push({
              type: 'matchesPattern',
              column: name,
              pattern: chosen.pattern,
              ...tolerance(chosen.severity),
              description: chosen.description,
            });
          }
          // A text column none of whose reference values is a bare number (only digits, signs,
          // separators, spaces): a number arriving there is most likely a misplaced cell.
          // Bare numbers are one kind of value the reference never shows (not new values in
          // general): their allowance is that of cells never seen (2^-k), not Good-Turing's.
          const bareSeverity: Sev = singletonLevels > 0 ? 'tolerant' : 'error';
          if (!fmt && !hasBareNumber(counts.keys())) {
            checks.push({
              type: 'matchesPattern',
              name: `notBareNumber(${name})`,
              column: name,
              pattern: NOT_BARE_NUMBER,
              ...(bareSeverity === 'tolerant' ? { mostly: mostlyFor(NEVER_SEEN, col.length) } : {}),
              description: `no value of ${count} in the reference is a bare number${bareSeverity === 'tolerant' ? `: up to ${NEVER_SEEN} per ${col.length} rows allowed` : ''}`,
            });
          }
        }
      }
    } else if (col.kind === 'boolean') {
      // nothing beyond kind / notNull
    }
  }
  // Where cells go missing here and there, the rows missing a value in any column complete in the
  // reference: each column's own allowance cannot see a loss spread thinly over many columns. The
  // allowance is the larger of the per-column one and the Good-Turing estimate with the columns
  // as the "values" (columns with one missing cell predict columns whose gaps the reference
  // missed, as values seen once predict unseen values).
  if (missingCells > 0 && complete.length >= 2) {
    const allowed = Math.max(NEVER_SEEN, unseenAllowance(gapFreq));
    checks.push({
      type: 'complete',
      name: 'complete(rows)',
      columns: complete,
      mostly: mostlyFor(allowed, reference.nrows),
      description: `no missing value in these ${complete.length} columns in ${reference.nrows} reference rows, while other columns have sporadic gaps: up to ${allowed} incomplete rows per ${reference.nrows} allowed`,
    });
  }
  sharedLimits(numericRanges);
  if (p.relations) {
    // Bonferroni: many pairs are tried, so each must hold at alpha / pairs.
    const pairs = Math.max(1, numericRanges.length * (numericRanges.length - 1));
    for (let a = 0; a < numericRanges.length; a++) {
      for (let b = 0; b < numericRanges.length; b++) {
        if (a === b) continue;
        const A = numericRanges[a] as (typeof numericRanges)[number];
        const B = numericRanges[b] as (typeof numericRanges)[number];
        const overlap = Math.min(A.max, B.max) - Math.max(A.min, B.min);
        const span = Math.max(A.max, B.max) - Math.min(A.min, B.min);
        if (!(span > 0) || overlap / span < 0.2) continue;
        const oLo = Math.max(A.min, B.min);
        const oHi = Math.min(A.max, B.max);
        const d: number[] = [];
        let ok = true;
        let ties = 0;
        let inOverlap = 0;
        for (let i = 0; i < A.values.length; i++) {
          const x = A.values[i] as number;
          const y = B.values[i] as number;
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          if (x > y) {
            ok = false;
            break;
          }
          if (x === y) ties++;
          d.push(y - x);
          if (x >= oLo && x <= oHi && y >= oLo && y <= oHi) inOverlap++;
        }
        const n = d.length;
        // Only where the order is informative: most rows have both values in the shared range and
        // differ (else the order holds because the ranges barely meet or both are mostly zero), and
        // the lower tail of B - A, extrapolated as for `between`, stays at or above 0.
        if (!ok || n < p.minRows || ties > 0.5 * n || inOverlap < 0.5 * n) continue;
        const gap = tailBound(Float64Array.from(d).sort(), false, p.alpha / pairs);
        // A lower tail piled up at exactly 0 (more than k ties, e.g. worldwide = US gross for films
        // released only at home) is a boundary, as a 0/1 flag's extremes are limits, when the ties
        // are far more than independent columns would give by chance (sum over values of
        // count_A(v) count_B(v) / n): equal grosses of millions are no coincidence, two blank
        // pixels are.
        const pilesAtZero = gap.kp === 0 && ties > 0 && structuralTies(A.values, B.values, ties);
        if (!pilesAtZero && (gap.kp === 0 || gap.bound < 0)) continue;
        checks.push({ type: 'relation', left: A.name, op: '<=', right: B.name, description: `holds in all ${n} reference rows (${ties} ties)` });
      }
    }
  }
  if (p.linear) checks.push(...linearChecks(numericRanges, p.minRows, p.minCorrelation, p.alpha));
  return parseSuite({ name: 'suggested', checks });
}

/**
 * `linear` checks for strongly correlated numeric pairs: y − (a + b·x) from least squares on the
 * reference, bounded by the tail model of the residuals at alpha / (number of pairs) (Bonferroni),
 * so that a cell swapped with another column's (or shifted) stands out although it is within its
 * own column's range. At most one check per pair, the strongest pairs first, at most as many
 * checks as numeric columns.
 */
function linearChecks(cols: ReadonlyArray<{ name: string; values: Float64Array }>, minRows: number, minCorrelation: number, alpha: number): CheckInput[] {
  const pairs = Math.max(1, (cols.length * (cols.length - 1)) / 2);
  const found: Array<{ r: number; check: CheckInput }> = [];
  for (let a = 0; a < cols.length; a++) {
    for (let b = a + 1; b < cols.length; b++) {
      const X = (cols[a] as (typeof cols)[number]).values;
      const Y = (cols[b] as (typeof cols)[number]).values;
      let n = 0;
      let mx = 0;
      let my = 0;
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        const y = Y[i] as number;
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        n++;
        mx += x;
        my += y;
      }
      if (n < minRows) continue;
      mx /= n;
      my /= n;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let i = 0; i < X.length; i++) {
        const x = (X[i] as number) - mx;
        const y = (Y[i] as number) - my;
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
      }
      if (!(sxx > 0 && syy > 0)) continue;
      const r = sxy / Math.sqrt(sxx * syy);
      if (!(Math.abs(r) >= minCorrelation)) continue;
      // Leverage: a fit that hangs on one extreme x (h_i = 1/n + (x_i - mean)^2 / Sxx above 0.2,
      // e.g. an elephant among 30 mammals) says nothing about the other rows.
      let maxDev = 0;
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        if (!Number.isNaN(x) && !Number.isNaN(Y[i] as number)) maxDev = Math.max(maxDev, (x - mx) * (x - mx));
      }
      if (1 / n + maxDev / sxx > 0.2) continue;
      const slope = round(sxy / sxx);
      const intercept = round(-(my - slope * mx));
      const res: number[] = [];
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        const y = Y[i] as number;
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        // the same arithmetic as runChecks: 0 + 1·y + (−slope)·x + intercept
        let v = 0;
        v += 1 * y;
        v += -slope * x;
        v += intercept;
        res.push(v);
      }
      const sorted = Float64Array.from(res).sort();
      const hi = tailBound(sorted, true, alpha / pairs);
      const lo = tailBound(sorted, false, alpha / pairs);
      // A tail tied at its extreme (e.g. sparse columns, mostly zero together) gives no spread to extrapolate.
      if (hi.kp === 0 || lo.kp === 0) continue;
      const A = (cols[a] as (typeof cols)[number]).name;
      const B = (cols[b] as (typeof cols)[number]).name;
      found.push({
        r: Math.abs(r),
        check: {
          type: 'linear',
          terms: [
            { column: B, coef: 1 },
            { column: A, coef: -slope },
          ],
          intercept,
          min: round(lo.bound),
          max: round(hi.bound),
          description: `"${B}" ~ ${slope} × "${A}" (r = ${r.toFixed(3)} in ${n} reference rows); residual range ${round(sorted[0] as number)} .. ${round(sorted[sorted.length - 1] as number)}`,
        },
      });
    }
  }
  found.sort((x, y) => y.r - x.r);
  return found.slice(0, cols.length).map((f) => f.check);
}

/**
 * Whether `ties` equal pairs (rows where both values are present) are far more than two
 * independent columns with these value counts would give: expected chance ties
 * e = sum over values of count_A(v) count_B(v) / n; structural when ties >= e + 5 sqrt(e) + 3.
 */
function structuralTies(a: Float64Array, b: Float64Array, ties: number): boolean {
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  let e = 0;
  for (const [v, c] of ca) e += (c * (cb.get(v) ?? 0)) / n;
  return ties >= e + 5 * Math.sqrt(e) + 3;
}

/** Steps tried for a numeric column's resolution, coarsest first (1, 0.5, 0.1, 0.05, ..., 1e-6). */
const STEPS = [1, 0.5, 0.1, 0.05, 0.01, 0.005, 0.001, 0.0005, 0.0001, 0.00005, 0.00001, 0.000005, 0.000001];

/**
 * The resolution of a numeric column (its values, missing ones as NaN): the coarsest step of
 * {@link STEPS} of which every value is a whole multiple (undefined when values need more than 6
 * decimals), and whether the values are recorded at that resolution steadily or mix precisions.
 * At a steady resolution the last digit is spread evenly, so about 1 in 2 (steps 0.5, 0.05, ...)
 * or 1 in 5 (steps 0.1, 0.01, ...) non-zero values also fall on the next coarser step; many more
 * than that (binomial z above 3) means most values stop short of the finest digit: precisions are
 * mixed (whole-number entries among decimals, a lone 97.5 among integers). Zeros say nothing.
 */
function resolution(values: Float64Array): { step: number; mixed: boolean } | undefined {
  let s = 0;
  const nonzero: number[] = [];
  for (const x of values) if (!Number.isNaN(x) && Number.isFinite(x) && x !== 0) nonzero.push(x);
  if (nonzero.length === 0) return undefined;
  for (const x of nonzero) {
    while (s < STEPS.length && offStep(x, STEPS[s] as number)) s++;
    if (s === STEPS.length) return undefined;
  }
  const step = STEPS[s] as number;
  if (s === 0) return { step, mixed: false };
  const coarser = STEPS[s - 1] as number;
  const p0 = step / coarser;
  let k = 0;
  for (const x of nonzero) if (!offStep(x, coarser)) k++;
  const m = nonzero.length;
  return { step, mixed: k - m * p0 > 3 * Math.sqrt(m * p0 * (1 - p0)) };
}

/** Some character outside digits, `.`, `,`, `+`, `-` and space (any character, new lines included, around it). */
const NOT_BARE_NUMBER = '(?:.|\\n)*[^0-9.,+\\- ](?:.|\\n)*';

function hasBareNumber(values: Iterable<string>): boolean {
  for (const v of values) {
    let bare = v.length > 0;
    for (let i = 0; i < v.length && bare; i++) {
      const c = v.charCodeAt(i);
      bare = (c >= 48 && c <= 57) || c === 46 || c === 44 || c === 43 || c === 45 || c === 32;
    }
    if (bare) return true;
  }
  return false;
}

/**
 * Limits shared by several numeric columns (empirical Bayes across columns): a value that is the
 * observed maximum (minimum) of at least 3 columns and of at least 20% of the numeric columns reads
 * as the table's scale (pixel intensities 0..16, 0/1 flags, percentages). Each column whose range
 * lies within it gets its `between` bound capped there: the tail model cannot know that scale from
 * one sparse column. A constant column bounded by shared limits on both sides is no longer weak.
 */
function sharedLimits(
  cols: ReadonlyArray<{ min: number; max: number; weak: boolean; check: { min: number; max: number; severity?: 'error' | 'warning'; description: string } }>,
): void {
  const shared = (pick: (c: (typeof cols)[number]) => number): number[] => {
    const counts = new Map<number, number>();
    for (const c of cols) counts.set(pick(c), (counts.get(pick(c)) ?? 0) + 1);
    return [...counts].filter(([, k]) => k >= 3 && k >= 0.2 * cols.length).map(([v]) => v);
  };
  const maxes = shared((c) => c.max).sort((a, b) => a - b);
  const mins = shared((c) => c.min).sort((a, b) => b - a);
  if (maxes.length === 0 && mins.length === 0) return;
  for (const c of cols) {
    const M = maxes.find((v) => v >= c.max);
    const m = mins.find((v) => v <= c.min);
    const capHi = M !== undefined && c.check.max > M;
    const capLo = m !== undefined && c.check.min < m;
    if (capHi) c.check.max = M as number;
    if (capLo) c.check.min = m as number;
    if (capHi || capLo) c.check.description += `; capped at the limit${capHi && capLo ? 's' : ''} shared with other columns`;
    if (c.weak && M !== undefined && m !== undefined) {
      c.check.min = m;
      c.check.max = M;
      delete c.check.severity;
    }
  }
}

/**
 * Character families (letters, digits, space, ASCII punctuation, non-ASCII) used by 1 to 4 of the
 * distinct `values`: rare families, as values seen fewer than 5 times for `inSet` (Good-Turing:
 * families seen in few values predict that a new value may bring a family never seen).
 */
function rareFamilies(values: Iterable<string>): number {
  const used = [0, 0, 0, 0, 0];
  for (const v of values) {
    const f = [false, false, false, false, false];
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) f[0] = true;
      else if (c >= 48 && c <= 57) f[1] = true;
      else if (c === 32) f[2] = true;
      else if (c > 32 && c < 127) f[3] = true;
      else f[4] = true;
    }
    for (let k = 0; k < 5; k++) if (f[k]) (used[k] as number)++;
  }
  return used.filter((u) => u > 0 && u < 5).length;
}

/** Escapes a literal character for a {@link SafePattern}. */
function escapeChar(ch: string): string {
  return /[\\^$.|?*+()[\]{}-]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * The format of text values as runs of letters, digits and literal other characters
 * (`'May 05 2000'` → letters{3} ' ' digits{2} ' ' digits{4}), from `[value, count]` pairs, when the
 * reference uses at most `maxFormats` formats, each seen at least 5 times (Good-Turing: formats seen once predict unseen ones).
 * Returns an alternation of the formats, with run lengths fixed where every value agrees and
 * else allowed from 1 to twice the longest run; undefined when the formats are too varied.
 *
 * @example
 * ```ts
 * formatShape(new Map([['May 05 2000', 7], ['Jun 12 1998', 9]]))?.pattern; // '[A-Za-z]{3} [0-9]{2} [0-9]{4}'
 * formatShape(new Map([['AB-12', 7], ['CD-345', 9]]))?.pattern; // '[A-Za-z]{2}\\-[0-9]{1,6}'
 * ```
 */
export function formatShape(values: Iterable<[string, number]>, maxFormats = 12): { pattern: string; description: string; formats: number } | undefined {
  const formats = new Map<string, { count: number; min: number[]; max: number[] }>();
  let n = 0;
  for (const [v, count] of values) {
    if (v.length > 200) return undefined;
    const tokens: string[] = [];
    const lens: number[] = [];
    for (let i = 0; i < v.length; ) {
      const c = v.charCodeAt(i);
      const cls = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 'L' : c >= 48 && c <= 57 ? 'D' : c > 127 ? 'U' : `=${v[i]}`;
      let j = i + 1;
      if (cls === 'L' || cls === 'D' || cls === 'U') {
        for (; j < v.length; j++) {
          const d = v.charCodeAt(j);
          const cj = (d >= 65 && d <= 90) || (d >= 97 && d <= 122) ? 'L' : d >= 48 && d <= 57 ? 'D' : d > 127 ? 'U' : '=';
          if (cj !== cls) break;
        }
      }
      tokens.push(cls);
      lens.push(j - i);
      i = j;
    }
    const key = tokens.join('\u0001');
    let f = formats.get(key);
    if (!f) {
      if (formats.size >= maxFormats) return undefined;
      f = { count: 0, min: lens.slice(), max: lens.slice() };
      formats.set(key, f);
    }
    f.count += count;
    n += count;
    for (let t = 0; t < lens.length; t++) {
      f.min[t] = Math.min(f.min[t] as number, lens[t] as number);
      f.max[t] = Math.max(f.max[t] as number, lens[t] as number);
    }
  }
  if (n === 0) return undefined;
  for (const f of formats.values()) if (f.count < 5) return undefined;
  const alts: string[] = [];
  for (const [key, f] of formats) {
    const toks = key === '' ? [] : key.split('\u0001');
    let out = '';
    toks.forEach((tok, t) => {
      if (tok.startsWith('=')) {
        out += escapeChar(tok.slice(1));
        return;
      }
      const cls = tok === 'L' ? '[A-Za-z]' : tok === 'D' ? '[0-9]' : `[\u0080-${String.fromCodePoint(0x10ffff)}]`;
      const lo = f.min[t] as number;
      const hi = f.max[t] as number;
      out += lo === hi ? `${cls}{${lo}}` : `${cls}{1,${Math.min(1000, 2 * hi)}}`;
    });
    alts.push(out);
  }
  const pattern = alts.length === 1 ? (alts[0] as string) : alts.map((a) => `(?:${a})`).join('|');
  return { pattern, description: `${formats.size} value format(s), each seen at least 5 times in the reference`, formats: formats.size };
}

/**
 * A pattern describing the "shape" of text values: the character families they use (letters,
 * digits, spaces, any punctuation, any non-ASCII) and their length range (halved / 1.5 times).
 * Whole families are allowed, so a new value with an unseen letter or punctuation still passes;
 * what fails is, e.g., a number in a column of names, or a paragraph in a column of codes.
 * Returns undefined when the shape would allow everything printable.
 *
 * @example
 * ```ts
 * textShape(['Ann Lee', 'Bo Park'])?.pattern; // '[A-Za-z ]{3,11}'
 * ```
 */
export function textShape(values: Iterable<string>): { pattern: string; description: string } | undefined {
  let letters = false;
  let digits = false;
  let space = false;
  let punct = false;
  let other = false;
  let minLen = Number.POSITIVE_INFINITY;
  let maxLen = 0;
  for (const v of values) {
    if (v.length < minLen) minLen = v.length;
    if (v.length > maxLen) maxLen = v.length;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters = true;
      else if (c >= 48 && c <= 57) digits = true;
      else if (c === 32) space = true;
      else if (c > 32 && c < 127) punct = true;
      else other = true;
    }
  }
  if (!Number.isFinite(minLen) || maxLen > 600) return undefined;
  const cls = `${letters ? 'A-Za-z' : ''}${digits ? '0-9' : ''}${space ? ' ' : ''}${punct ? '!-/:-@\\[-`{-~' : ''}${other ? `\u0080-${String.fromCodePoint(0x10ffff)}` : ''}`;
  if (letters && digits && space && punct && other) return undefined;
  const lo = Math.floor(minLen / 2);
  const hi = Math.min(1000, Math.ceil(maxLen * 1.5));
  if (cls === '') return undefined;
  const pattern = `[${cls}]{${lo},${hi}}`;
  const fam = [letters && 'letters', digits && 'digits', space && 'spaces', punct && 'punctuation', other && 'non-ASCII'].filter(Boolean).join(', ');
  return { pattern, description: `values use only ${fam}; lengths ${minLen} .. ${maxLen} in the reference` };
}
