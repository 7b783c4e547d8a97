import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Column, ColumnKind } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { SafePattern } from './pattern.js';
import { HyperLogLog, hashNumber, hashString, KllSketch } from './sketch.js';

/** A frequent value and how often it occurs. @example `const t: TopValue = { value: 'north', count: 12 };` */
export interface TopValue {
  value: string | number | boolean;
  count: number;
}

/** Pattern classes recognised in text (linear-time classifiers). @example `const c: PatternClass = 'email';` */
export type PatternClass = 'email' | 'phone' | 'url' | 'dateLike' | 'numericLike';

/**
 * Summary of a numeric (or datetime, in epoch ms) column. `std` is the sample standard deviation
 * (ddof = 1, as pandas); quantiles interpolate linearly (NumPy's default); outliers use Tukey's
 * fences (1.5 IQR beyond the quartiles).
 *
 * @example
 * ```ts
 * profile(ds).columns[0].numeric?.quantiles.p50;
 * ```
 */
export interface NumericStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  sum: number;
  quantiles: { p1: number; p5: number; p25: number; p50: number; p75: number; p95: number; p99: number };
  iqr: number;
  outliers: { lowerFence: number; upperFence: number; count: number; fraction: number };
  zeros: number;
  negatives: number;
  histogram: { edges: number[]; counts: number[] };
}

/** Summary of text (and category) values: lengths and pattern classes (counts of rows). @example `p.columns[1].text?.patterns.email` */
export interface TextStats {
  minLength: number;
  maxLength: number;
  meanLength: number;
  empty: number;
  patterns: Record<PatternClass, number>;
}

/**
 * The profile of one column.
 *
 * @example
 * ```ts
 * const c: ColumnProfile = profile(ds).columns[0];
 * c.kind; c.missing; c.distinct; c.top;
 * ```
 */
export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** Non-missing cells. */
  count: number;
  missing: number;
  missingFraction: number;
  /** Distinct non-missing values (exact unless `approximate`). */
  distinct: number;
  /** Most frequent values, most frequent first (ties by value). */
  top: TopValue[];
  numeric?: NumericStats;
  text?: TextStats;
  /** For datetime columns: first and last as ISO strings. */
  datetime?: { min: string | null; max: string | null };
  /** Whether distinct, quantiles or top counts are sketch estimates (streamed profiles). */
  approximate: boolean;
}

/** A square matrix of correlations over named columns (`null` where undefined). @example `p.correlations?.pearson.matrix[0][1]` */
export interface CorrelationMatrix {
  columns: string[];
  matrix: Array<Array<number | null>>;
}

/**
 * A Dataset's profile: per-column summaries, correlations and duplicate rows. Plain JSON.
 *
 * @example
 * ```ts
 * const p: Profile = profile(ds);
 * JSON.stringify(p);
 * ```
 */
export interface Profile {
  nrows: number;
  ncols: number;
  columns: ColumnProfile[];
  correlations?: { pearson: CorrelationMatrix; spearman?: CorrelationMatrix; cramersV?: CorrelationMatrix; rowsUsed: number };
  duplicates?: { count: number; fraction: number; groups: number[][] };
  approximate: boolean;
}

const Options = z
  .object({
    /** Number of top values per column. Default 10. */
    topK: z.number().int().min(0).max(1000).default(10),
    /** Histogram bins. Default 20. */
    bins: z.number().int().min(1).max(1000).default(20),
    /** Compute correlations (Pearson, Spearman, Cramér's V). Default true. */
    correlations: z.boolean().default(true),
    /** Find duplicate rows. Default true. */
    duplicates: z.boolean().default(true),
    /** Correlations use at most this many rows (an evenly strided sample). Default 100000. */
    maxCorrelationRows: z.number().int().min(10).default(100_000),
    /** Correlations use at most this many columns of each family. Default 50. */
    maxCorrelationColumns: z.number().int().min(2).max(1000).default(50),
    /** Categories with more distinct values are left out of Cramér's V. Default 100. */
    maxCramerLevels: z.number().int().min(2).default(100),
  })
  .strict();

/** Options of {@link profile}. @example `profile(ds, { correlations: false, bins: 10 })` */
export type DataProfileOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

let classifiers: Array<[PatternClass, SafePattern]> | undefined;
function getClassifiers(): Array<[PatternClass, SafePattern]> {
  classifiers ??= [
    ['email', SafePattern.compile('[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+')],
    ['phone', SafePattern.compile('\\+?[0-9 ().-]{7,20}')],
    ['url', SafePattern.compile('(https?|ftp)://[^\\s/]+[^\\s]*')],
    [
      'dateLike',
      SafePattern.compile('\\d{4}-\\d{1,2}-\\d{1,2}([T ]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}'),
    ],
    ['numericLike', SafePattern.compile('[+-]?(\\d+([.,]\\d*)?|[.,]\\d+)([eE][+-]?\\d+)?')],
  ];
  return classifiers;
}

const MAX_CLASSIFY_LENGTH = 320;

/**
 * The pattern classes a string belongs to (email, phone, url, date-like, numeric-like). Linear
 * time; strings longer than 320 characters belong to none. A phone needs 7 to 15 digits.
 *
 * @example
 * ```ts
 * classifyText('ann@example.com'); // ['email']
 * ```
 */
export function classifyText(s: string): PatternClass[] {
  if (s.length > MAX_CLASSIFY_LENGTH || s.length === 0) return [];
  const out: PatternClass[] = [];
  for (const [name, p] of getClassifiers()) {
    if (!p.test(s)) continue;
    if (name === 'phone') {
      let d = 0;
      for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) d++;
      if (d < 7 || d > 15 || /^\d{4}-\d{1,2}-\d{1,2}$/.test(s)) continue;
    }
    out.push(name);
  }
  return out;
}

function emptyPatterns(): Record<PatternClass, number> {
  return { email: 0, phone: 0, url: 0, dateLike: 0, numericLike: 0 };
}

/** Linear-interpolated quantile of a sorted typed array. */
function q(sorted: Float64Array, n: number, p: number): number {
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * p;
  const lo = Math.floor(pos);
  const hi = lo + 1 < n ? lo + 1 : lo;
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

function lowerBound(s: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if ((s[m] as number) < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function pushTop(top: TopValue[], k: number, value: string | number | boolean, count: number): void {
  if (k === 0) return;
  if (top.length === k) {
    const last = top[k - 1] as TopValue;
    if (count <= last.count) return;
    top.pop();
  }
  let i = top.length;
  while (i > 0 && (top[i - 1] as TopValue).count < count) i--;
  top.splice(i, 0, { value, count });
}

/** Numeric summary from a sorted array of the non-missing values (exact). */
function numericFromSorted(s: Float64Array, n: number, bins: number, topK: number): { stats: NumericStats; distinct: number; top: TopValue[] } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i] as number;
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (s[i] as number) - mean;
    ss += d * d;
  }
  const min = n > 0 ? (s[0] as number) : Number.NaN;
  const max = n > 0 ? (s[n - 1] as number) : Number.NaN;
  // distinct and top from runs
  let distinct = 0;
  const top: TopValue[] = [];
  let i = 0;
  while (i < n) {
    const v = s[i] as number;
    let j = i + 1;
    while (j < n && s[j] === v) j++;
    distinct++;
    if (top.length < topK || j - i > (top[top.length - 1] as TopValue).count) pushTop(top, topK, v, j - i);
    i = j;
  }
  const q25 = q(s, n, 0.25);
  const q75 = q(s, n, 0.75);
  const iqr = q75 - q25;
  const lowerFence = q25 - 1.5 * iqr;
  const upperFence = q75 + 1.5 * iqr;
  const outl = n > 0 ? lowerBound(s, n, lowerFence) + (n - upperBound(s, n, upperFence)) : 0;
  const zeroStart = lowerBound(s, n, 0);
  const zeros = upperBound(s, n, 0) - zeroStart;
  const edges: number[] = [];
  const counts: number[] = new Array(n > 0 ? bins : 0).fill(0);
  if (n > 0) {
    const width = (max - min) / bins;
    for (let b = 0; b <= bins; b++) edges.push(b === bins ? max : min + b * width);
    if (width === 0 || !Number.isFinite(width)) counts[0] = n;
    else {
      let b = 0;
      for (let k = 0; k < n; k++) {
        const x = s[k] as number;
        while (b < bins - 1 && x >= (edges[b + 1] as number)) b++;
        counts[b] = (counts[b] as number) + 1;
      }
    }
  }
  const stats: NumericStats = {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    min,
    max,
    sum,
    quantiles: { p1: q(s, n, 0.01), p5: q(s, n, 0.05), p25: q25, p50: q(s, n, 0.5), p75: q75, p95: q(s, n, 0.95), p99: q(s, n, 0.99) },
    iqr,
    outliers: { lowerFence, upperFence, count: outl, fraction: n > 0 ? outl / n : 0 },
    zeros,
    negatives: zeroStart,
    histogram: { edges, counts },
  };
  return { stats, distinct, top };
}

/** Above this many values, numeric columns use selection instead of a full sort. */
const LARGE = 200_000;
const LOW_CARDINALITY = 1000;

/**
 * The values at sorted positions `ks` (0-based ranks) of `a` (any order, no NaN), without a full
 * sort: one pass buckets the values by value (65,536 buckets between `min` and `max`), a second
 * collects only the buckets holding a wanted rank, which are then sorted. `a` is not modified.
 *
 * @example
 * ```ts
 * selectRanks(new Float64Array([5, 1, 4, 2, 3]), [0, 2], 1, 5); // Map { 0 => 1, 2 => 3 }
 * ```
 */
export function selectRanks(a: Float64Array, ks: readonly number[], min: number, max: number): Map<number, number> {
  const n = a.length;
  const out = new Map<number, number>();
  if (n === 0) return out;
  const B = 65_536;
  const span = max - min;
  const scale = span > 0 && Number.isFinite(span) ? B / span : 0;
  const counts = new Uint32Array(B);
  for (let i = 0; i < n; i++) {
    let b = ((a[i] as number) - min) * scale;
    b = b >= B ? B - 1 : b | 0;
    counts[b] = (counts[b] as number) + 1;
  }
  const slot = new Int32Array(B).fill(-1);
  const starts: number[] = [];
  const wanted: Array<{ k: number; bucket: number }> = [];
  let cum = 0;
  let bi = 0;
  for (const k of ks) {
    while (bi < B && cum + (counts[bi] as number) <= k) cum += counts[bi++] as number;
    if (slot[bi] === -1) {
      slot[bi] = starts.length;
      starts.push(cum);
    }
    wanted.push({ k, bucket: bi });
  }
  const bufs = starts.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    let b = (x - min) * scale;
    b = b >= B ? B - 1 : b | 0;
    const sl = slot[b] as number;
    if (sl >= 0) (bufs[sl] as number[]).push(x);
  }
  const sorted = bufs.map((buf) => Float64Array.from(buf).sort());
  for (const { k, bucket } of wanted) {
    const sl = slot[bucket] as number;
    out.set(k, (sorted[sl] as Float64Array)[k - (starts[sl] as number)] as number);
  }
  return out;
}

function quantileSelected(sel: Map<number, number>, n: number, p: number): number {
  const pos = (n - 1) * p;
  const lo = Math.floor(pos);
  const hi = lo + 1 < n ? lo + 1 : lo;
  const a = sel.get(lo) as number;
  return a + ((sel.get(hi) as number) - a) * (pos - lo);
}

/** Numeric summary of many values without a full sort: quantiles by selection, distinct exact up to 1000 values (then HyperLogLog). */
function numericLarge(values: Float64Array, bins: number, topK: number): { stats: NumericStats; distinct: number; top: TopValue[]; approximate: boolean } {
  const n = values.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let zeros = 0;
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (x === 0) zeros++;
    else if (x < 0) negatives++;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  // distinct / top: exact counting while few distinct values, else HyperLogLog.
  let counts: Map<number, number> | undefined = new Map();
  for (let i = 0; i < n && counts; i++) {
    const x = values[i] as number;
    const c = counts.get(x);
    if (c === undefined) {
      if (counts.size >= LOW_CARDINALITY) counts = undefined;
      else counts.set(x, 1);
    } else counts.set(x, c + 1);
  }
  let distinct: number;
  const top: TopValue[] = [];
  if (counts) {
    distinct = counts.size;
    for (const [v, c] of counts) pushTop(top, topK, v, c);
  } else {
    const h = new HyperLogLog(14);
    const w = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
    const reg = h.registers;
    for (let i = 0; i < n; i++) {
      let x = Math.imul((w[2 * i] as number) ^ 0x9e3779b9, 0x01000193) ^ Math.imul(w[2 * i + 1] as number, 0x85ebca6b);
      x ^= x >>> 16;
      x = Math.imul(x, 0x85ebca6b);
      x ^= x >>> 13;
      x = Math.imul(x, 0xc2b2ae35);
      x ^= x >>> 16;
      const idx = x >>> 18;
      const rest = x << 14;
      const rank = rest === 0 ? 19 : Math.clz32(rest) + 1;
      if (rank > (reg[idx] as number)) reg[idx] = rank;
    }
    distinct = Math.min(n, h.estimate());
  }
  const ps = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
  const ks = [...new Set(ps.flatMap((p) => [Math.floor((n - 1) * p), Math.min(n - 1, Math.floor((n - 1) * p) + 1)]))].sort((a, b) => a - b);
  const sel = selectRanks(values, ks, min, max);
  const [p1, p5, q25, p50, q75, p95, p99] = ps.map((p) => quantileSelected(sel, n, p)) as number[];
  const iqr = (q75 as number) - (q25 as number);
  const lowerFence = (q25 as number) - 1.5 * iqr;
  const upperFence = (q75 as number) + 1.5 * iqr;
  let outl = 0;
  const counts2 = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  const edges: number[] = [];
  for (let b = 0; b <= bins; b++) edges.push(b === bins ? max : min + b * width);
  const inv = width > 0 && Number.isFinite(width) ? 1 / width : 0;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (x < lowerFence || x > upperFence) outl++;
    let b = inv === 0 ? 0 : Math.floor((x - min) * inv);
    if (b >= bins) b = bins - 1;
    else if (b > 0 && x < (edges[b] as number)) b--;
    counts2[b] = (counts2[b] as number) + 1;
  }
  const stats: NumericStats = {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    min,
    max,
    sum,
    quantiles: { p1: p1 as number, p5: p5 as number, p25: q25 as number, p50: p50 as number, p75: q75 as number, p95: p95 as number, p99: p99 as number },
    iqr,
    outliers: { lowerFence, upperFence, count: outl, fraction: outl / n },
    zeros,
    negatives,
    histogram: { edges, counts: counts2 },
  };
  return { stats, distinct, top, approximate: counts === undefined };
}

function upperBound(s: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if ((s[m] as number) <= x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Text summary from distinct strings and their counts. */
function textFromCounts(entries: Iterable<[string, number]>): TextStats {
  let minLength = Number.POSITIVE_INFINITY;
  let maxLength = 0;
  let sumLen = 0;
  let n = 0;
  let empty = 0;
  const patterns = emptyPatterns();
  for (const [s, c] of entries) {
    if (c === 0) continue;
    n += c;
    sumLen += s.length * c;
    if (s.length < minLength) minLength = s.length;
    if (s.length > maxLength) maxLength = s.length;
    if (s.trim() === '') empty += c;
    for (const p of classifyText(s)) patterns[p] += c;
  }
  return { minLength: n > 0 ? minLength : 0, maxLength, meanLength: n > 0 ? sumLen / n : 0, empty, patterns };
}

function profileColumn(col: Column, p: Params): ColumnProfile {
  const n = col.length;
  const base = { name: col.name, kind: col.kind, approximate: false };
  switch (col.kind) {
    case 'number':
    case 'integer':
    case 'datetime': {
      const v = col.values;
      const s = new Float64Array(n);
      let m = 0;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        if (!Number.isNaN(x)) s[m++] = x;
      }
      const r =
        m > LARGE ? numericLarge(s.subarray(0, m), p.bins, p.topK) : { ...numericFromSorted(s.subarray(0, m).sort(), m, p.bins, p.topK), approximate: false };
      const { stats, distinct, top } = r;
      const out: ColumnProfile = {
        ...base,
        approximate: r.approximate,
        count: m,
        missing: n - m,
        missingFraction: n > 0 ? (n - m) / n : 0,
        distinct,
        top,
        numeric: stats,
      };
      if (col.kind === 'datetime') {
        out.datetime = { min: m > 0 ? new Date(stats.min).toISOString() : null, max: m > 0 ? new Date(stats.max).toISOString() : null };
        out.top = top.map((t) => ({ value: new Date(t.value as number).toISOString(), count: t.count }));
      }
      return out;
    }
    case 'boolean': {
      let t = 0;
      let f = 0;
      for (let i = 0; i < n; i++) {
        const x = col.values[i] as number;
        if (x === 1) t++;
        else if (x === 0) f++;
      }
      const top: TopValue[] = [];
      pushTop(top, p.topK, true, t);
      pushTop(top, p.topK, false, f);
      const m = t + f;
      return {
        ...base,
        count: m,
        missing: n - m,
        missingFraction: n > 0 ? (n - m) / n : 0,
        distinct: (t > 0 ? 1 : 0) + (f > 0 ? 1 : 0),
        top: top.filter((x) => x.count > 0),
      };
    }
    case 'category': {
      const counts = new Float64Array(col.dictionary.length);
      let missing = 0;
      for (let i = 0; i < n; i++) {
        const c = col.codes[i] as number;
        if (c < 0) missing++;
        else counts[c] = (counts[c] as number) + 1;
      }
      const top: TopValue[] = [];
      const entries: Array<[string, number]> = [];
      let distinct = 0;
      col.dictionary.forEach((d, k) => {
        const c = counts[k] as number;
        if (c > 0) {
          distinct++;
          pushTop(top, p.topK, d, c);
          entries.push([d, c]);
        }
      });
      return { ...base, count: n - missing, missing, missingFraction: n > 0 ? missing / n : 0, distinct, top, text: textFromCounts(entries) };
    }
    case 'text': {
      const counts = new Map<string, number>();
      let missing = 0;
      for (let i = 0; i < n; i++) {
        const s = col.values[i];
        if (s == null) missing++;
        else counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      const top: TopValue[] = [];
      for (const [s, c] of counts) pushTop(top, p.topK, s, c);
      return { ...base, count: n - missing, missing, missingFraction: n > 0 ? missing / n : 0, distinct: counts.size, top, text: textFromCounts(counts) };
    }
  }
}

function pearsonPair(x: Float64Array, y: Float64Array): number | null {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    mx += a;
    my += b;
  }
  if (n < 2) return null;
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) ** 2;
    syy += (b - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Average ranks (1-based, ties share their mean rank); NaN stays NaN.
 *
 * @example
 * ```ts
 * rank(new Float64Array([10, 20, 20, NaN])); // [1, 2.5, 2.5, NaN]
 * ```
 */
export function rank(x: Float64Array): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) idx.push(i);
  idx.sort((a, b) => (x[a] as number) - (x[b] as number));
  const r = new Float64Array(x.length).fill(Number.NaN);
  let i = 0;
  while (i < idx.length) {
    let j = i + 1;
    while (j < idx.length && x[idx[j] as number] === x[idx[i] as number]) j++;
    const avg = (i + j + 1) / 2;
    for (let k = i; k < j; k++) r[idx[k] as number] = avg;
    i = j;
  }
  return r;
}

function cramersV(a: Int32Array, ka: number, b: Int32Array, kb: number): number | null {
  const table = new Float64Array(ka * kb);
  const ra = new Float64Array(ka);
  const rb = new Float64Array(kb);
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x < 0 || y < 0) continue;
    table[x * kb + y] = (table[x * kb + y] as number) + 1;
    ra[x] = (ra[x] as number) + 1;
    rb[y] = (rb[y] as number) + 1;
    n++;
  }
  const ua = ra.filter((v) => v > 0).length;
  const ub = rb.filter((v) => v > 0).length;
  const m = Math.min(ua, ub) - 1;
  if (n === 0 || m < 1) return null;
  let chi = 0;
  for (let x = 0; x < ka; x++) {
    if (ra[x] === 0) continue;
    for (let y = 0; y < kb; y++) {
      if (rb[y] === 0) continue;
      const e = ((ra[x] as number) * (rb[y] as number)) / n;
      chi += ((table[x * kb + y] as number) - e) ** 2 / e;
    }
  }
  return Math.sqrt(chi / (n * m));
}

function matrixOf(names: string[], f: (i: number, j: number) => number | null): CorrelationMatrix {
  const matrix = names.map((_, i) => names.map((__, j) => (i === j ? 1 : null)));
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const v = f(i, j);
      (matrix[i] as Array<number | null>)[j] = v;
      (matrix[j] as Array<number | null>)[i] = v;
    }
  }
  return { columns: names, matrix };
}

function correlations(ds: Dataset, p: Params): NonNullable<Profile['correlations']> {
  const stride = Math.max(1, Math.ceil(ds.nrows / p.maxCorrelationRows));
  const rows: number[] = [];
  for (let i = 0; i < ds.nrows; i += stride) rows.push(i);
  const numeric = ds
    .columns()
    .filter((c) => c.kind === 'number' || c.kind === 'integer')
    .slice(0, p.maxCorrelationColumns);
  const vals = numeric.map((c) => {
    const v = (c as { values: Float64Array }).values;
    if (stride === 1) return v;
    return Float64Array.from(rows, (i) => v[i] as number);
  });
  const names = numeric.map((c) => c.name);
  const pearson = matrixOf(names, (i, j) => pearsonPair(vals[i] as Float64Array, vals[j] as Float64Array));
  const ranks = vals.map(rank);
  const hasNaN = vals.map((v) => v.some((x) => Number.isNaN(x)));
  // Spearman on pairwise-complete rows (as pandas): columns without missing values reuse their
  // ranks; a pair involving missing values is re-ranked on the rows where both are present.
  const spearman = matrixOf(names, (i, j) => {
    if (!hasNaN[i] && !hasNaN[j]) return pearsonPair(ranks[i] as Float64Array, ranks[j] as Float64Array);
    const a = vals[i] as Float64Array;
    const b = vals[j] as Float64Array;
    const keep: number[] = [];
    for (let r = 0; r < a.length; r++) if (!Number.isNaN(a[r] as number) && !Number.isNaN(b[r] as number)) keep.push(r);
    return pearsonPair(rank(Float64Array.from(keep, (r) => a[r] as number)), rank(Float64Array.from(keep, (r) => b[r] as number)));
  });
  const cats: Array<{ name: string; codes: Int32Array; k: number }> = [];
  for (const c of ds.columns()) {
    if (cats.length >= p.maxCorrelationColumns) break;
    if (c.kind === 'category' && c.dictionary.length >= 2 && c.dictionary.length <= p.maxCramerLevels) {
      cats.push({ name: c.name, codes: stride === 1 ? c.codes : Int32Array.from(rows, (i) => c.codes[i] as number), k: c.dictionary.length });
    } else if (c.kind === 'boolean') {
      cats.push({ name: c.name, codes: Int32Array.from(stride === 1 ? c.values : rows.map((i) => c.values[i] as number)), k: 2 });
    }
  }
  const cv = matrixOf(
    cats.map((c) => c.name),
    (i, j) => {
      const a = cats[i] as (typeof cats)[number];
      const b = cats[j] as (typeof cats)[number];
      return cramersV(a.codes, a.k, b.codes, b.k);
    },
  );
  return { pearson, spearman, cramersV: cv, rowsUsed: rows.length };
}

function cellHashes(col: Column): Uint32Array {
  const n = col.length;
  const h = new Uint32Array(n);
  switch (col.kind) {
    case 'category':
      for (let i = 0; i < n; i++) h[i] = hashNumber(col.codes[i] as number);
      break;
    case 'boolean':
      for (let i = 0; i < n; i++) h[i] = hashNumber(col.values[i] as number);
      break;
    case 'text': {
      const cache = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const s = col.values[i];
        if (s == null) h[i] = 0x5bd1e995;
        else {
          let v = cache.get(s);
          if (v === undefined) {
            v = hashString(s);
            cache.set(s, v);
          }
          h[i] = v;
        }
      }
      break;
    }
    default:
      for (let i = 0; i < n; i++) {
        const x = col.values[i] as number;
        h[i] = !Number.isNaN(x) ? hashNumber(x) : 0x7f4a7c15;
      }
  }
  return h;
}

function sameCell(col: Column, i: number, j: number): boolean {
  switch (col.kind) {
    case 'category':
      return col.codes[i] === col.codes[j];
    case 'text':
      return (col.values[i] ?? null) === (col.values[j] ?? null);
    case 'boolean':
      return col.values[i] === col.values[j];
    default: {
      const a = col.values[i] as number;
      const b = col.values[j] as number;
      return a === b || (Number.isNaN(a) && Number.isNaN(b));
    }
  }
}

/**
 * Groups of identical rows (all columns equal, missing equal to missing), each group's row indices
 * in order, and the number of rows that repeat an earlier row.
 *
 * @example
 * ```ts
 * duplicateRows(Dataset.from({ a: [1, 1, 2] })); // { count: 1, groups: [[0, 1]] }
 * ```
 */
export function duplicateRows(ds: Dataset): { count: number; groups: number[][] } {
  const n = ds.nrows;
  const cols = ds.columns();
  if (cols.length === 0 || n === 0) return { count: 0, groups: [] };
  const row = new Uint32Array(n).fill(0x811c9dc5);
  for (const c of cols) {
    const h = cellHashes(c);
    for (let i = 0; i < n; i++) row[i] = Math.imul((row[i] as number) ^ (h[i] as number), 0x01000193) >>> 0;
  }
  const first = new Map<number, number[]>();
  const groupOf = new Map<number, number[]>();
  let count = 0;
  for (let i = 0; i < n; i++) {
    const h = row[i] as number;
    const cands = first.get(h);
    if (!cands) {
      first.set(h, [i]);
      continue;
    }
    let hit = -1;
    for (const j of cands) {
      let eq = true;
      for (const c of cols) {
        if (!sameCell(c, i, j)) {
          eq = false;
          break;
        }
      }
      if (eq) {
        hit = j;
        break;
      }
    }
    if (hit < 0) cands.push(i);
    else {
      count++;
      let g = groupOf.get(hit);
      if (!g) {
        g = [hit];
        groupOf.set(hit, g);
      }
      g.push(i);
    }
  }
  return { count, groups: [...groupOf.values()] };
}

/**
 * Profiles a Dataset in memory (exact): per column its kind, counts, missing, distinct values, top
 * values; for numbers and datetimes min/max/mean/std/quantiles, a histogram and IQR outliers; for
 * text and categories lengths and pattern classes (email, phone, url, date-like, numeric-like);
 * plus Pearson and Spearman correlations of numeric columns (pairwise-complete rows, as pandas), Cramér's V of categorical ones (on
 * at most `maxCorrelationRows` evenly strided rows) and duplicate rows. For streams or data that
 * does not fit, use {@link Profiler}. Render with {@link profileToHTML}.
 *
 * @example
 * ```ts
 * import { Dataset, profile } from 'tessera';
 * const p = profile(Dataset.from({ age: [31, 45, null, 45], email: ['a@x.io', 'b@y.org', 'nope', null] }));
 * p.columns[0].numeric?.mean;          // 40.33
 * p.columns[1].text?.patterns.email;   // 2
 * p.duplicates?.count;                 // 0
 * ```
 */
export function profile(ds: Dataset, options: DataProfileOptions = {}): Profile {
  const p = parseOptions(Options, options, 'profile');
  const columns = ds.columns().map((c) => profileColumn(c, p));
  const out: Profile = { nrows: ds.nrows, ncols: ds.ncols, columns, approximate: false };
  if (p.correlations) out.correlations = correlations(ds, p);
  if (p.duplicates) {
    const d = duplicateRows(ds);
    out.duplicates = { count: d.count, fraction: ds.nrows > 0 ? d.count / ds.nrows : 0, groups: d.groups.slice(0, 20) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Streaming: mergeable partial profiles.

const EXACT_DISTINCT_CAP = 10_000;
const TOP_CAP = 2_000;

interface ColumnState {
  name: string;
  kind: ColumnKind;
  rows: number;
  missing: number;
  count: number;
  mean: number;
  m2: number;
  sum: number;
  zeros: number;
  negatives: number;
  kll?: KllSketch;
  /** value → count (exact while `hll` is undefined; afterwards heavy hitters, counts are lower bounds). */
  counts: Map<string | number | boolean, number>;
  hll?: HyperLogLog;
  text?: { minLength: number; maxLength: number; sumLength: number; empty: number; patterns: Record<PatternClass, number> };
}

interface PairState {
  n: number;
  mx: number;
  my: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/**
 * Serialised state of a {@link Profiler}.
 *
 * @example
 * ```ts
 * const state: ProfilerState = profiler.toJSON();
 * ```
 */
export interface ProfilerState {
  version: 1;
  nrows: number;
  k: number;
  columns: Array<Record<string, unknown>>;
  pairs: Array<[string, string, PairState]>;
}

function hashKey(v: string | number | boolean): number {
  return typeof v === 'string' ? hashString(v) : hashNumber(Number(v));
}

/**
 * A mergeable, bounded-memory profile of a stream of chunks: `update(chunk)` for each Dataset
 * chunk (same columns), `merge(other)` to combine partial profiles computed elsewhere (e.g. per
 * worker), `result()` for a {@link Profile}. Quantiles and histograms come from a KLL sketch;
 * distinct counts are exact up to 10,000 values and a HyperLogLog estimate above; top values are
 * exact below that and heavy-hitter lower bounds above (the profile says `approximate`). Pearson
 * correlations are exact (co-moments merge); Spearman, Cramér's V and duplicate rows need the
 * whole table and are only in {@link profile}.
 *
 * @example
 * ```ts
 * const profiler = new Profiler();
 * for await (const chunk of readChunks()) profiler.update(chunk);
 * const p = profiler.result();
 * // or in parallel: mergeProfiles(profileChunk(a), profileChunk(b)).result()
 * ```
 */
export class Profiler {
  private nrows = 0;
  private cols: ColumnState[] = [];
  private pairs = new Map<string, PairState>();
  /** KLL accuracy parameter. */
  readonly k: number;

  constructor(options: { k?: number } = {}) {
    this.k = options.k ?? 200;
    if (!Number.isInteger(this.k) || this.k < 8)
      throw new TesseraError('E_OPTION', `Profiler option "k" must be an integer >= 8, got ${this.k}`, { option: 'k' });
  }

  private state(col: Column): ColumnState {
    let s = this.cols.find((c) => c.name === col.name);
    if (!s) {
      if (this.nrows > 0) throw new TesseraError('E_SCHEMA', `chunk has a new column "${col.name}"`, { column: col.name });
      s = { name: col.name, kind: col.kind, rows: 0, missing: 0, count: 0, mean: 0, m2: 0, sum: 0, zeros: 0, negatives: 0, counts: new Map() };
      this.cols.push(s);
    } else if (s.kind !== col.kind) {
      const numeric = (k: ColumnKind): boolean => k === 'number' || k === 'integer';
      const stringy = (k: ColumnKind): boolean => k === 'category' || k === 'text';
      if (numeric(s.kind) && numeric(col.kind)) s.kind = 'number';
      else if (stringy(s.kind) && stringy(col.kind)) s.kind = 'text';
      else throw new TesseraError('E_SCHEMA', `column "${col.name}" is ${col.kind} in this chunk, ${s.kind} before`, { column: col.name });
    }
    return s;
  }

  private countValue(s: ColumnState, v: string | number | boolean, c = 1): void {
    s.counts.set(v, (s.counts.get(v) ?? 0) + c);
    if (s.hll) s.hll.addHash(hashKey(v));
    if (s.counts.size > (s.hll ? 2 * TOP_CAP : EXACT_DISTINCT_CAP)) {
      if (!s.hll) {
        s.hll = new HyperLogLog(14);
        for (const k of s.counts.keys()) s.hll.addHash(hashKey(k));
      }
      const kept = [...s.counts].sort((a, b) => b[1] - a[1]).slice(0, TOP_CAP);
      s.counts = new Map(kept);
    }
  }

  /**
   * Adds a chunk (a Dataset with the same columns as earlier chunks). Returns `this`.
   *
   * @example
   * ```ts
   * profiler.update(chunk1).update(chunk2);
   * ```
   */
  update(chunk: Dataset): this {
    if (this.nrows > 0 && chunk.ncols !== this.cols.length) {
      throw new TesseraError('E_SCHEMA', `chunk has ${chunk.ncols} columns, expected ${this.cols.length}`, { columns: chunk.columnNames });
    }
    for (const col of chunk.columns()) this.updateColumn(this.state(col), col);
    const numeric = chunk.columns().filter((c) => c.kind === 'number' || c.kind === 'integer') as Array<Column & { values: Float64Array }>;
    for (let a = 0; a < numeric.length; a++) {
      for (let b = a + 1; b < numeric.length; b++) {
        const ca = numeric[a] as Column & { values: Float64Array };
        const cb = numeric[b] as Column & { values: Float64Array };
        const key = JSON.stringify([ca.name, cb.name]);
        const st = this.pairs.get(key) ?? { n: 0, mx: 0, my: 0, sxx: 0, syy: 0, sxy: 0 };
        for (let i = 0; i < ca.length; i++) {
          const x = ca.values[i] as number;
          const y = cb.values[i] as number;
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          st.n++;
          const dx = x - st.mx;
          st.mx += dx / st.n;
          const dy = y - st.my;
          st.my += dy / st.n;
          st.sxx += dx * (x - st.mx);
          st.syy += dy * (y - st.my);
          st.sxy += dx * (y - st.my);
        }
        this.pairs.set(key, st);
      }
    }
    this.nrows += chunk.nrows;
    return this;
  }

  private updateColumn(s: ColumnState, col: Column): void {
    const n = col.length;
    s.rows += n;
    switch (col.kind) {
      case 'number':
      case 'integer':
      case 'datetime': {
        s.kll ??= new KllSketch(this.k);
        for (let i = 0; i < n; i++) {
          const x = col.values[i] as number;
          if (Number.isNaN(x)) {
            s.missing++;
            continue;
          }
          s.count++;
          s.sum += x;
          const d = x - s.mean;
          s.mean += d / s.count;
          s.m2 += d * (x - s.mean);
          if (x === 0) s.zeros++;
          else if (x < 0) s.negatives++;
          s.kll.add(x);
          this.countValue(s, x);
        }
        return;
      }
      case 'boolean':
        for (let i = 0; i < n; i++) {
          const x = col.values[i] as number;
          if (x < 0) s.missing++;
          else {
            s.count++;
            this.countValue(s, x === 1);
          }
        }
        return;
      default: {
        const local = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const v =
            col.kind === 'category' ? ((col.codes[i] as number) < 0 ? null : (col.dictionary[col.codes[i] as number] as string)) : (col.values[i] ?? null);
          if (v === null) s.missing++;
          else local.set(v, (local.get(v) ?? 0) + 1);
        }
        const t = textFromCounts(local);
        let m = 0;
        for (const [v, c] of local) {
          m += c;
          this.countValue(s, v, c);
        }
        s.count += m;
        if (m > 0) {
          const prev = s.text;
          s.text = prev
            ? {
                minLength: Math.min(prev.minLength, t.minLength),
                maxLength: Math.max(prev.maxLength, t.maxLength),
                sumLength: prev.sumLength + t.meanLength * m,
                empty: prev.empty + t.empty,
                patterns: addPatterns(prev.patterns, t.patterns),
              }
            : { minLength: t.minLength, maxLength: t.maxLength, sumLength: t.meanLength * m, empty: t.empty, patterns: t.patterns };
        }
      }
    }
  }

  /**
   * Merges another partial profile (same columns) into this one. Returns `this`.
   *
   * @example
   * ```ts
   * const all = profileChunk(a).merge(profileChunk(b));
   * ```
   */
  merge(other: Profiler): this {
    for (const o of other.cols) {
      let s = this.cols.find((c) => c.name === o.name);
      if (!s) {
        if (this.nrows > 0) throw new TesseraError('E_SCHEMA', `cannot merge: column "${o.name}" is not in this profile`, { column: o.name });
        const fresh: ColumnState = {
          name: o.name,
          kind: o.kind,
          counts: new Map(),
          rows: 0,
          missing: 0,
          count: 0,
          mean: 0,
          m2: 0,
          sum: 0,
          zeros: 0,
          negatives: 0,
        };
        this.cols.push(fresh);
        s = fresh;
      }
      const n = s.count + o.count;
      if (n > 0) {
        const d = o.mean - s.mean;
        s.m2 = s.m2 + o.m2 + (d * d * s.count * o.count) / n;
        s.mean = s.mean + (d * o.count) / n;
      }
      s.count = n;
      s.rows += o.rows;
      s.missing += o.missing;
      s.sum += o.sum;
      s.zeros += o.zeros;
      s.negatives += o.negatives;
      if (o.kll) {
        s.kll ??= new KllSketch(this.k);
        s.kll.merge(KllSketch.fromJSON(o.kll.toJSON()));
      }
      if (o.hll && !s.hll) {
        s.hll = new HyperLogLog(14);
        for (const k of s.counts.keys()) s.hll.addHash(hashKey(k));
      }
      if (s.hll) {
        if (o.hll) s.hll.merge(o.hll);
        else for (const k of o.counts.keys()) s.hll.addHash(hashKey(k));
      }
      for (const [v, c] of o.counts) this.countValue(s, v, c);
      if (o.text) {
        s.text = s.text
          ? {
              minLength: Math.min(s.text.minLength, o.text.minLength),
              maxLength: Math.max(s.text.maxLength, o.text.maxLength),
              sumLength: s.text.sumLength + o.text.sumLength,
              empty: s.text.empty + o.text.empty,
              patterns: addPatterns(s.text.patterns, o.text.patterns),
            }
          : { ...o.text, patterns: { ...o.text.patterns } };
      }
    }
    for (const [key, o] of other.pairs) {
      const s = this.pairs.get(key);
      if (!s) {
        this.pairs.set(key, { ...o });
        continue;
      }
      const n = s.n + o.n;
      if (n === 0) continue;
      const dx = o.mx - s.mx;
      const dy = o.my - s.my;
      const f = (s.n * o.n) / n;
      s.sxx += o.sxx + dx * dx * f;
      s.syy += o.syy + dy * dy * f;
      s.sxy += o.sxy + dx * dy * f;
      s.mx += (dx * o.n) / n;
      s.my += (dy * o.n) / n;
      s.n = n;
    }
    this.nrows += other.nrows;
    return this;
  }

  /**
   * The profile so far (same shape as {@link profile}; no Spearman, Cramér's V or duplicates).
   *
   * @example
   * ```ts
   * profiler.result().columns[0].numeric?.quantiles.p50;
   * ```
   */
  result(options: { topK?: number; bins?: number } = {}): Profile {
    const topK = options.topK ?? 10;
    const bins = options.bins ?? 20;
    const columns = this.cols.map((s): ColumnProfile => {
      const approximate = s.hll !== undefined || (s.kll !== undefined && s.kll.n > this.k * 2);
      const top: TopValue[] = [];
      const sorted = [...s.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [v, c] of sorted.slice(0, topK)) top.push({ value: s.kind === 'datetime' ? new Date(v as number).toISOString() : v, count: c });
      const out: ColumnProfile = {
        name: s.name,
        kind: s.kind,
        count: s.count,
        missing: s.missing,
        missingFraction: s.rows > 0 ? s.missing / s.rows : 0,
        distinct: s.hll ? s.hll.estimate() : s.counts.size,
        top,
        approximate,
      };
      if (s.kll) {
        const kll = s.kll;
        const [p1, p5, p25, p50, p75, p95, p99] = kll.quantiles([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]) as number[];
        const iqr = (p75 as number) - (p25 as number);
        const lowerFence = (p25 as number) - 1.5 * iqr;
        const upperFence = (p75 as number) + 1.5 * iqr;
        const below = kll.n > 0 ? cdfBelow(kll, lowerFence) : 0;
        const above = kll.n > 0 ? 1 - kll.cdf(upperFence) : 0;
        const edges: number[] = [];
        const counts: number[] = [];
        if (kll.n > 0) {
          const w = (kll.max - kll.min) / bins;
          for (let b = 0; b <= bins; b++) edges.push(b === bins ? kll.max : kll.min + b * w);
          let prev = 0;
          for (let b = 0; b < bins; b++) {
            const c = b === bins - 1 || w === 0 ? 1 : cdfBelow(kll, edges[b + 1] as number);
            counts.push(Math.round((c - prev) * kll.n));
            prev = c;
            if (w === 0) {
              for (let r = b + 1; r < bins; r++) counts.push(0);
              break;
            }
          }
        }
        out.numeric = {
          mean: s.count > 0 ? s.mean : Number.NaN,
          std: s.count > 1 ? Math.sqrt(s.m2 / (s.count - 1)) : Number.NaN,
          min: kll.n > 0 ? kll.min : Number.NaN,
          max: kll.n > 0 ? kll.max : Number.NaN,
          sum: s.sum,
          quantiles: { p1: p1 as number, p5: p5 as number, p25: p25 as number, p50: p50 as number, p75: p75 as number, p95: p95 as number, p99: p99 as number },
          iqr,
          outliers: { lowerFence, upperFence, count: Math.round((below + above) * kll.n), fraction: below + above },
          zeros: s.zeros,
          negatives: s.negatives,
          histogram: { edges, counts },
        };
        if (s.kind === 'datetime')
          out.datetime = { min: kll.n > 0 ? new Date(kll.min).toISOString() : null, max: kll.n > 0 ? new Date(kll.max).toISOString() : null };
      }
      if (s.text) {
        out.text = {
          minLength: s.text.minLength,
          maxLength: s.text.maxLength,
          meanLength: s.count > 0 ? s.text.sumLength / s.count : 0,
          empty: s.text.empty,
          patterns: { ...s.text.patterns },
        };
      }
      return out;
    });
    const numericNames = this.cols.filter((c) => c.kind === 'number' || c.kind === 'integer').map((c) => c.name);
    const pearson = matrixOf(numericNames, (i, j) => {
      const st = this.pairs.get(JSON.stringify([numericNames[i], numericNames[j]]));
      if (!st || st.n < 2 || st.sxx === 0 || st.syy === 0) return null;
      return Math.max(-1, Math.min(1, st.sxy / Math.sqrt(st.sxx * st.syy)));
    });
    return {
      nrows: this.nrows,
      ncols: this.cols.length,
      columns,
      correlations: { pearson, rowsUsed: this.nrows },
      approximate: columns.some((c) => c.approximate),
    };
  }

  /** Serialisable state (sketches included), restorable with {@link Profiler.fromJSON}. */
  toJSON(): ProfilerState {
    return {
      version: 1,
      nrows: this.nrows,
      k: this.k,
      columns: this.cols.map((s) => ({
        ...s,
        counts: [...s.counts],
        kll: s.kll?.toJSON(),
        hll: s.hll?.toJSON(),
      })),
      pairs: [...this.pairs].map(([k, v]) => {
        const [a, b] = JSON.parse(k) as [string, string];
        return [a, b, { ...v }];
      }),
    };
  }

  /** Restores a {@link Profiler} from {@link Profiler.toJSON} output. @example `Profiler.fromJSON(JSON.parse(text))` */
  static fromJSON(state: ProfilerState): Profiler {
    if (state?.version !== 1) throw new TesseraError('E_SERIALIZATION', 'not a Profiler state (version 1)');
    const p = new Profiler({ k: state.k });
    p.nrows = state.nrows;
    p.cols = state.columns.map((c) => {
      const s = { ...(c as unknown as ColumnState) };
      s.counts = new Map(c.counts as Array<[string | number | boolean, number]>);
      delete s.kll;
      delete s.hll;
      if (c.kll) s.kll = KllSketch.fromJSON(c.kll as Parameters<typeof KllSketch.fromJSON>[0]);
      if (c.hll) s.hll = HyperLogLog.fromJSON(c.hll as { p: number; registers: string });
      return s;
    });
    p.pairs = new Map(state.pairs.map(([a, b, v]) => [JSON.stringify([a, b]), { ...v }]));
    return p;
  }
}

function cdfBelow(kll: KllSketch, x: number): number {
  // fraction strictly below x (approximately): cdf just under x
  return kll.cdf(x - Math.abs(x) * 1e-12 - Number.MIN_VALUE);
}

function addPatterns(a: Record<PatternClass, number>, b: Record<PatternClass, number>): Record<PatternClass, number> {
  return {
    email: a.email + b.email,
    phone: a.phone + b.phone,
    url: a.url + b.url,
    dateLike: a.dateLike + b.dateLike,
    numericLike: a.numericLike + b.numericLike,
  };
}

/**
 * A partial profile of one chunk (a {@link Profiler} that has seen only it).
 *
 * @example
 * ```ts
 * const partial = profileChunk(chunk);
 * ```
 */
export function profileChunk(chunk: Dataset, options: { k?: number } = {}): Profiler {
  return new Profiler(options).update(chunk);
}

/**
 * Merges partial profiles into a new one (inputs are not modified).
 *
 * @example
 * ```ts
 * mergeProfiles(profileChunk(a), profileChunk(b)).result();
 * ```
 */
export function mergeProfiles(...parts: Profiler[]): Profiler {
  const out = new Profiler({ k: parts[0]?.k ?? 200 });
  for (const p of parts) out.merge(Profiler.fromJSON(JSON.parse(JSON.stringify(p.toJSON()))));
  return out;
}
