import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { cellValue } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import type { CheckInput, Suite } from './checks.js';
import { parseSuite } from './checks.js';

const Options = z
  .object({
    /** Columns to suggest checks for (default: all). */
    columns: z.array(z.string()).optional(),
    /** Ranges are widened by this fraction of the observed range on each side. Default 0.5. */
    margin: z.number().min(0).max(100).default(0.5),
    /** At most this many categories for an `inSet` check. Default 50. */
    maxSetSize: z.number().int().min(1).max(10_000).default(50),
    /** Fewer non-missing rows than this: only kind checks are suggested for a column (a small sample cannot support tighter ones without false alarms). Default 50. */
    minRows: z.number().int().min(1).default(50),
    /** Suggest `relation` checks between numeric columns that always keep an order (can false-alarm on small samples). Default false. */
    relations: z.boolean().default(false),
    /** Suggest a character-class and length pattern for text columns without an `inSet`. Default true. */
    textShape: z.boolean().default(true),
  })
  .strict();

/** Options of {@link suggestChecks}. @example `suggestChecks(ds, { margin: 0.25 })` */
export type SuggestOptions = z.input<typeof Options>;

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Infers a check suite from a known-good Dataset, as Deequ's constraint suggestion does. The suite
 * is plain JSON that a user can read, edit and save. Rules (each generalises from a sample rather
 * than memorising it):
 * - `kind` for every column (`number` for integer and number columns, `text` for category and text);
 * - `notNull` for columns without missing values (given at least `minRows` rows);
 * - `between` for numbers and datetimes: the observed range widened by `margin` × range on each
 *   side; the lower bound stays at 0 when no value is negative; for right-skewed non-negative
 *   columns (max − median ≥ 3 × (median − min), constant columns included) the widening is done on a log1p scale (and
 *   integer counts may reach 2 × max + 1);
 * - `inSet` for categories with at most `maxSetSize` values, only when every value occurs at
 *   least 5 times (Good-Turing: rare values predict unseen ones, which would be false alarms);
 * - `unique` for integer columns whose values are all distinct although about 3 or more
 *   collisions would be expected by chance (birthday argument), and text columns (too many
 *   values for `inSet`) whose values are all distinct;
 * - `relation` (`<=`) between numeric columns whose order never flips although at least half of
 *   the rows have both values inside the ranges' overlap (e.g. `temp_min <= temp_max`);
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
  const numericRanges: Array<{ name: string; min: number; max: number; values: Float64Array }> = [];
  for (const name of names) {
    const col = reference.column(name);
    const kind = col.kind === 'integer' ? 'number' : col.kind === 'category' ? 'text' : col.kind;
    checks.push({ type: 'kind', column: name, kind });
    let count = 0;
    for (let i = 0; i < col.length; i++) if (cellValue(col, i) !== null) count++;
    if (count < p.minRows) continue;
    if (count === col.length) checks.push({ type: 'notNull', column: name, description: `no missing values in ${col.length} reference rows` });
    if (col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime') {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const x of col.values) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      const sorted = col.values.filter((x) => !Number.isNaN(x)).sort();
      const median = sorted[(sorted.length - 1) >> 1] as number;
      let lo: number;
      let hi: number;
      if (col.kind !== 'datetime' && min >= 0 && max - median >= 3 * (median - min)) {
        // Right-skewed, non-negative (counts, amounts, sparse columns): widen on a log1p scale,
        // as the next sample's maximum can be a multiple of this one's.
        const lmin = Math.log1p(min);
        const lmax = Math.log1p(max);
        const lr = lmax - lmin || 1;
        lo = Math.max(0, Math.expm1(lmin - p.margin * lr));
        hi = Math.expm1(lmax + p.margin * lr);
        // Small counts: the next sample's maximum is easily one more than this one's.
        if (col.kind === 'integer') hi = Math.max(hi, 2 * max + 1);
      } else {
        const range = max - min || Math.abs(max) || 1;
        lo = min - p.margin * range;
        hi = max + p.margin * range;
        if (min >= 0 && lo < 0) lo = 0;
      }
      if (col.kind === 'datetime') {
        checks.push({
          type: 'between',
          column: name,
          min: new Date(lo).toISOString(),
          max: new Date(hi).toISOString(),
          description: `reference range ${new Date(min).toISOString()} .. ${new Date(max).toISOString()}`,
        });
      } else {
        checks.push({ type: 'between', column: name, min: round(lo), max: round(hi), description: `reference range ${min} .. ${max}` });
        numericRanges.push({ name, min, max, values: col.values });
      }
      if (col.kind === 'integer') {
        const seen = new Set<number>();
        for (const x of col.values) if (!Number.isNaN(x)) seen.add(x);
        // Birthday argument: n values drawn at random from a range of R integers collide about
        // n^2 / 2R times; none where several were expected suggests an identifier.
        if (seen.size === count && (count * count) / (2 * (max - min + 1)) >= 3) {
          checks.push({ type: 'unique', columns: [name], description: 'all values distinct in the reference (identifier-like)' });
        }
      }
    } else if (col.kind === 'category' || col.kind === 'text') {
      const counts = new Map<string, number>();
      for (let i = 0; i < col.length; i++) {
        const v = cellValue(col, i);
        if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      const rare = [...counts.values()].filter((c) => c < 5).length;
      if (counts.size <= p.maxSetSize && rare === 0) {
        checks.push({ type: 'inSet', column: name, values: [...counts.keys()].sort(), description: `${counts.size} categories, each seen at least 5 times` });
      } else {
        if (counts.size === count && col.kind === 'text') {
          checks.push({ type: 'unique', columns: [name], description: 'all values distinct in the reference (identifier-like)' });
        }
        if (p.textShape) {
          const shape = textShape(counts.keys());
          if (shape) checks.push({ type: 'matchesPattern', column: name, pattern: shape.pattern, description: shape.description });
        }
      }
    } else if (col.kind === 'boolean') {
      // nothing beyond kind / notNull
    }
  }
  if (p.relations) {
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
        let n = 0;
        let ok = true;
        let strictlyLess = 0;
        let inOverlap = 0;
        for (let i = 0; i < A.values.length; i++) {
          const x = A.values[i] as number;
          const y = B.values[i] as number;
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          n++;
          if (x > y) {
            ok = false;
            break;
          }
          if (x < y) strictlyLess++;
          if (x >= oLo && x <= oHi && y >= oLo && y <= oHi) inOverlap++;
        }
        // Only where the order is informative: most rows have both values in the shared range
        // (else the order holds because the ranges barely meet, and a new sample may break it).
        if (ok && n >= p.minRows && strictlyLess > 0 && inOverlap >= 0.5 * n) {
          checks.push({ type: 'relation', left: A.name, op: '<=', right: B.name, description: `holds in all ${n} reference rows` });
        }
      }
    }
  }
  return parseSuite({ name: 'suggested', checks });
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
