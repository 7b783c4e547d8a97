import { TesseraError, unknownColumn } from '../core/errors.js';
import { type CellValue, type Column, cellValue, isMissing } from '../dataset/column.js';
import type { Dataset, Row } from '../dataset/dataset.js';
import { parseBoolean, parseIsoDate, parseNumber } from '../dataset/infer.js';
import {
  boundValue,
  type Check,
  type CheckReport,
  type ColumnStat,
  checkColumns,
  checkName,
  type Finding,
  kindMatches,
  offStep,
  parseSuite,
  type SuiteInput,
} from './checks.js';
import { SafePattern } from './pattern.js';

/**
 * Options of {@link runChecks}.
 *
 * @example
 * ```ts
 * runChecks(orders, suite, { references: { customers }, predicates: { positiveTotal: (r) => (r.total as number) > 0 }, rowId: 'order_id' });
 * ```
 */
export interface RunChecksOptions {
  /** Datasets named by `referential` checks (`reference.table`). */
  references?: Record<string, Dataset>;
  /** Predicates named by `custom` checks: return true when the row is fine. */
  predicates?: Record<string, (row: Row, index: number) => boolean>;
  /** A column whose values identify rows in findings (default: 0-based row index). */
  rowId?: string;
  /** Number of failing rows copied into each finding's `sample`. Default 5. */
  sampleSize?: number;
  /** Reference time for `freshness` checks without their own `now` (epoch ms). Default: `Date.now()`. */
  now?: number;
}

/** A JSON-friendly cell value for samples (dates as ISO strings). @internal */
export function plainValue(v: CellValue | unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

/** A text cell read as a number: as the CSV reader does, leading zeros (`007`) and spaces around allowed. */
function readNumber(s: string): number | undefined {
  const t = s.trim();
  return parseNumber(t) ?? (/^[+-]?[0-9]+(?:\.[0-9]*)?$/.test(t) ? Number(t) : undefined);
}

/**
 * The values of a column for a check that needs numbers (or dates, as epoch ms, when `dates`):
 * number, integer and datetime columns as they are, booleans as 1 / 0, and category or text cells
 * read as numbers (ISO dates). A non-missing cell that cannot be read is NaN and marked in
 * `unreadable`, and fails the row: a check reports a bad cell instead of refusing the table (a
 * text in a numeric column makes a reader type the whole column as text).
 */
function numericValues(ds: Dataset, name: string, dates = false): { values: Float64Array; unreadable?: Uint8Array } {
  const col = ds.column(name);
  if (col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime') return { values: col.values };
  const values = new Float64Array(col.length);
  if (col.kind === 'boolean') {
    for (let i = 0; i < col.length; i++) {
      const v = col.values[i] as number;
      values[i] = v < 0 ? Number.NaN : v;
    }
    return { values };
  }
  const unreadable = new Uint8Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const s = stringAt(col, i);
    const x = s === null ? Number.NaN : dates ? parseIsoDate(s.trim()) : readNumber(s);
    if (x === undefined) {
      values[i] = Number.NaN;
      unreadable[i] = 1;
    } else values[i] = x;
  }
  return { values, unreadable };
}

function stringAt(col: Column, i: number): string | null {
  if (col.kind === 'category') {
    const c = col.codes[i] as number;
    return c < 0 ? null : (col.dictionary[c] as string);
  }
  if (col.kind === 'text') return col.values[i] ?? null;
  const v = cellValue(col, i);
  return v === null ? null : String(plainValue(v));
}

/** Normalised key of a cell for set membership and uniqueness (numbers and dates by value, strings by text). */
function keyAt(col: Column, i: number): string | number | boolean | null {
  switch (col.kind) {
    case 'category':
    case 'text':
      return stringAt(col, i);
    case 'boolean': {
      const v = col.values[i] as number;
      return v < 0 ? null : v === 1;
    }
    default: {
      const v = col.values[i] as number;
      return Number.isNaN(v) ? null : v;
    }
  }
}

/**
 * Computes one column statistic over the non-missing values, as SQL does (`stddev`/`variance`
 * are sample statistics; an empty column gives `null` except for counts).
 *
 * @example
 * ```ts
 * columnStat(ds, 'price', 'median');
 * ```
 */
export function columnStat(ds: Dataset, name: string, stat: ColumnStat): number | null {
  const col = ds.column(name);
  if (stat === 'count' || stat === 'nullFraction' || stat === 'distinctCount') {
    let missing = 0;
    const seen = new Set<unknown>();
    for (let i = 0; i < col.length; i++) {
      const k = keyAt(col, i);
      if (k === null) missing++;
      else if (stat === 'distinctCount') seen.add(k);
    }
    if (stat === 'count') return col.length - missing;
    if (stat === 'distinctCount') return seen.size;
    return col.length === 0 ? null : missing / col.length;
  }
  const v = numericValues(ds, name).values;
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (Number.isNaN(x)) continue;
    n++;
    sum += x;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (n === 0) return null;
  switch (stat) {
    case 'mean':
      return mean;
    case 'sum':
      return sum;
    case 'min':
      return min;
    case 'max':
      return max;
    case 'stddev':
      return n < 2 ? null : Math.sqrt(m2 / (n - 1));
    case 'variance':
      return n < 2 ? null : m2 / (n - 1);
    case 'median': {
      const s = v.filter((x) => !Number.isNaN(x)).sort();
      const pos = (s.length - 1) / 2;
      const lo = Math.floor(pos);
      return (s[lo] as number) + ((s[Math.min(s.length - 1, lo + 1)] as number) - (s[lo] as number)) * (pos - lo);
    }
  }
  return null;
}

function compare(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    default:
      return a !== b;
  }
}

/**
 * Checks that every column a suite names exists (in `ds`, and in the referenced Datasets);
 * throws `E_COLUMN` naming the closest column otherwise.
 *
 * @example
 * ```ts
 * assertSuiteColumns(ds, parseSuite(json));
 * ```
 */
export function assertSuiteColumns(ds: Dataset, checks: readonly Check[], references?: Record<string, Dataset>): void {
  for (const c of checks) {
    for (const name of checkColumns(c)) if (!ds.has(name)) unknownColumn(name, ds.columnNames);
    if (c.type === 'referential' && references) {
      const ref = Object.hasOwn(references, c.reference.table) ? references[c.reference.table] : undefined;
      if (ref && !ref.has(c.reference.column)) unknownColumn(c.reference.column, ref.columnNames);
    }
  }
}

/** Builds a finding from failing row indices. */
class FindingBuilder {
  constructor(
    private readonly ds: Dataset,
    private readonly options: RunChecksOptions,
  ) {}

  rows(c: Check, failing: readonly number[]): Finding | undefined {
    if (failing.length === 0) return undefined;
    const { rows, sample } = this.parts(c, failing);
    return rowFinding(c, rows, failing.length, sample, this.ds.nrows);
  }

  /** Row ids and a sample of the failing rows (the check's columns, plus the row id). */
  parts(c: Check, failing: readonly number[]): { rows: Array<number | string>; sample: Array<Record<string, unknown>> } {
    const cols = checkColumns(c);
    const { rowId } = this.options;
    const idCol = rowId === undefined ? undefined : this.ds.column(rowId);
    const rows = failing.map((i) => (idCol ? (plainValue(cellValue(idCol, i)) as number | string) : i));
    const sample = failing.slice(0, this.options.sampleSize ?? 5).map((i) => {
      const r: Record<string, unknown> = {};
      if (idCol && rowId !== undefined) Object.defineProperty(r, rowId, { value: plainValue(cellValue(idCol, i)), enumerable: true, writable: true });
      for (const name of cols) Object.defineProperty(r, name, { value: plainValue(cellValue(this.ds.column(name), i)), enumerable: true, writable: true });
      return r;
    });
    return { rows, sample };
  }
}

/**
 * A finding of a row-level check from its failing rows, out of `total` rows in the table. A check
 * with `mostly` or `allowFailing` whose failing rows stay within its allowance gives an `info`
 * finding. @internal
 */
export function rowFinding(c: Check, rows: Array<number | string>, failing: number, sample: Array<Record<string, unknown>>, total: number): Finding {
  const { code, message, expected } = rowText(c);
  const text = `${message} (${failing} row${failing === 1 ? '' : 's'})`;
  const tolerance = toleranceOf(c);
  if (!tolerance) return baseFinding(c, code, text, { rows, failing, sample, observed: failing, expected });
  const { mostly, allowFailing: floor } = tolerance;
  const allowed = Math.max(mostly === undefined ? 0 : allowedFailures(mostly, total), floor ?? 0);
  const within = failing <= allowed;
  const rule = [mostly === undefined ? '' : `mostly ${mostly}`, floor === undefined ? '' : `allowFailing ${floor}`].filter((x) => x !== '').join(', ');
  const f = baseFinding(c, code, `${text}; ${rule} allows ${allowed} of ${total}${within ? ', within tolerance' : ''}`, {
    rows,
    failing,
    sample,
    observed: failing,
    expected,
  });
  if (within) f.severity = 'info';
  return f;
}

/**
 * A row-level check's `mostly` and `allowFailing`, or undefined when it has neither (every row
 * must pass). @internal
 */
export function toleranceOf(c: Check): { mostly: number | undefined; allowFailing: number | undefined } | undefined {
  const mostly = 'mostly' in c ? c.mostly : undefined;
  const allowFailing = 'allowFailing' in c ? c.allowFailing : undefined;
  return mostly === undefined && allowFailing === undefined ? undefined : { mostly, allowFailing };
}

/**
 * How many of `total` rows may fail a check with `mostly`: (1 - mostly) x total rounded up (a
 * millionth of a row of slack absorbs binary rounding), so that a share of rows still allows one
 * row on a small batch (Great Expectations rounds down): 0.99 of 1,000 rows allows 10, of 50 rows 1.
 */
function allowedFailures(mostly: number, total: number): number {
  return Math.max(0, Math.ceil((1 - mostly) * total - 1e-6));
}

/** Code, message and expected value of a row-level check. @internal */
export function rowText(c: Check): { code: string; message: string; expected: unknown } {
  switch (c.type) {
    case 'notNull':
      return { code: 'not_null', message: `column "${c.column}" has missing values`, expected: 'no missing values' };
    case 'complete':
      return {
        code: 'incomplete',
        message: `rows missing a value in ${c.columns.length === 1 ? `"${c.columns[0]}"` : `one of ${c.columns.length} columns (${c.columns.map((x) => `"${x}"`).join(', ')})`}`,
        expected: 'no missing values',
      };
    case 'unique':
      return {
        code: 'not_unique',
        message: `${c.columns.map((x) => `"${x}"`).join(', ')} ${c.columns.length > 1 ? 'are' : 'is'} not unique`,
        expected: 'unique values',
      };
    case 'inSet':
      return { code: 'not_in_set', message: `column "${c.column}" has values outside the allowed set`, expected: c.values };
    case 'notInSet':
      return { code: 'forbidden_value', message: `column "${c.column}" has forbidden values`, expected: { not: c.values } };
    case 'between':
      return {
        code: 'out_of_range',
        message: `column "${c.column}" has values not ${c.min === undefined && c.max === undefined && c.step !== undefined ? `in steps of ${c.step}` : `${boundsText(c.min, c.max)}${c.step === undefined ? '' : ` in steps of ${c.step}`}`}`,
        expected: c.step === undefined ? { min: c.min, max: c.max } : { min: c.min, max: c.max, step: c.step },
      };
    case 'matchesPattern':
      return { code: 'pattern_mismatch', message: `column "${c.column}" has values not matching ${c.pattern}`, expected: c.pattern };
    case 'relation':
      return { code: 'relation_failed', message: `rows where not "${c.left}" ${c.op} "${c.right}"`, expected: `${c.left} ${c.op} ${c.right}` };
    case 'linear':
      return {
        code: 'linear_out_of_range',
        message: `rows where ${linearText(c.terms, c.intercept)} is not ${boundsText(c.min, c.max)}`,
        expected: { min: c.min, max: c.max },
      };
    case 'referential':
      return {
        code: 'missing_reference',
        message: `values of "${c.column}" absent from "${c.reference.table}.${c.reference.column}"`,
        expected: `${c.reference.table}.${c.reference.column}`,
      };
    case 'custom':
      return { code: 'custom_failed', message: `predicate "${c.predicate}" is false`, expected: c.predicate };
    default:
      throw new TesseraError('E_INTERNAL', `${c.type} is not a row-level check`);
  }
}

/** The text of a linear combination, e.g. `y - 2*x + 1`. @internal */
export function linearText(terms: ReadonlyArray<{ column: string; coef: number }>, intercept: number): string {
  let out = '';
  terms.forEach((t, i) => {
    const sign = t.coef < 0 ? '-' : '+';
    const a = Math.abs(t.coef);
    out += `${i === 0 ? (sign === '-' ? '-' : '') : ` ${sign} `}${a === 1 ? '' : `${a}*`}"${t.column}"`;
  });
  if (intercept !== 0) out += ` ${intercept < 0 ? '-' : '+'} ${Math.abs(intercept)}`;
  return out;
}

/** Shared shape of a finding. @internal */
export function baseFinding(c: Check, code: string, message: string, extra: Partial<Finding>): Finding {
  const path = checkColumns(c);
  const f: Finding = { code, check: checkName(c), type: c.type, path, rows: [], failing: 0, sample: [], message, severity: c.severity, ...extra };
  if (path[0] !== undefined) f.column = path[0];
  return f;
}

/** Compares an aggregate against optional bounds. @internal */
export function outside(v: number | null, min: number | undefined, max: number | undefined, strict = false): boolean {
  if (v === null || Number.isNaN(v)) return min !== undefined || max !== undefined;
  if (min !== undefined && (strict ? v <= min : v < min)) return true;
  if (max !== undefined && (strict ? v >= max : v > max)) return true;
  return false;
}

/** Describes bounds for messages. @internal */
export function boundsText(min: unknown, max: unknown): string {
  if (min !== undefined && max !== undefined) return `between ${String(min)} and ${String(max)}`;
  if (min !== undefined) return `at least ${String(min)}`;
  if (max !== undefined) return `at most ${String(max)}`;
  return 'anything';
}

/**
 * Runs a check suite on a Dataset in memory and returns findings shaped like zod issues (only
 * failed checks produce findings). Missing values fail only `notNull` and `complete` (every other
 * row-level check skips them, as SQL does). A row-level check with `mostly` fails only when more
 * rows fail than it allows (fewer give an `info` finding). Checks needing numbers or dates read the
 * cells of a text column (a text cell turns an inferred column to text) and fail the cells that
 * cannot be read, instead of refusing the table. A check naming an unknown column throws
 * `E_COLUMN` with the closest names; a pattern that is not linear-time is refused with `E_OPTION`.
 *
 * @example
 * ```ts
 * import { Dataset, runChecks } from 'tessera';
 * const ds = Dataset.from([{ id: 1, age: 34 }, { id: 1, age: -2 }]);
 * const report = runChecks(ds, {
 *   checks: [
 *     { type: 'unique', columns: ['id'] },
 *     { type: 'between', column: 'age', min: 0, max: 120, severity: 'warning' },
 *   ],
 * });
 * report.findings.map((f) => [f.code, f.rows]); // [['not_unique', [0, 1]], ['out_of_range', [1]]]
 * ```
 */
export function runChecks(ds: Dataset, suite: SuiteInput, options: RunChecksOptions = {}): CheckReport {
  const parsed = parseSuite(suite);
  assertSuiteColumns(ds, parsed.checks, options.references);
  if (options.rowId !== undefined) ds.column(options.rowId);
  const b = new FindingBuilder(ds, options);
  const findings: Finding[] = [];
  for (const c of parsed.checks) {
    const f = runOne(ds, c, options, b);
    if (f) findings.push(f);
  }
  return { success: !findings.some((f) => f.severity === 'error'), findings, checks: parsed.checks.length };
}

function runOne(ds: Dataset, c: Check, options: RunChecksOptions, b: FindingBuilder): Finding | undefined {
  const n = ds.nrows;
  const failing: number[] = [];
  switch (c.type) {
    case 'notNull': {
      const col = ds.column(c.column);
      for (let i = 0; i < n; i++) if (isMissing(col, i)) failing.push(i);
      return b.rows(c, failing);
    }
    case 'complete': {
      const cols = c.columns.map((name) => ds.column(name));
      for (let i = 0; i < n; i++) if (cols.some((col) => isMissing(col, i))) failing.push(i);
      return b.rows(c, failing);
    }
    case 'unique': {
      const cols = c.columns.map((name) => ds.column(name));
      const counts = new Map<unknown, number>();
      const keys = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        let key: unknown;
        if (cols.length === 1) key = keyAt(cols[0] as Column, i);
        else {
          const parts = cols.map((col) => keyAt(col, i));
          key = parts.includes(null) ? null : JSON.stringify(parts);
        }
        keys[i] = key;
        if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (let i = 0; i < n; i++) if (keys[i] !== null && (counts.get(keys[i]) as number) > 1) failing.push(i);
      return b.rows(c, failing);
    }
    case 'inSet':
    case 'notInSet': {
      // inSet fails rows whose value is outside the set; notInSet rows whose value is inside it
      const inside = c.type === 'notInSet';
      const col = ds.column(c.column);
      const stringy = col.kind === 'category' || col.kind === 'text';
      const allowed = new Set<unknown>(
        c.values.map((v) => {
          if (stringy) return String(v);
          if (col.kind === 'datetime' && typeof v === 'string') return boundValue(v, 'values');
          if (col.kind === 'boolean') return v === true || v === 'true';
          return typeof v === 'number' ? v : Number(v);
        }),
      );
      if (col.kind === 'category') {
        const bad = col.dictionary.map((d) => allowed.has(d) === inside);
        for (let i = 0; i < n; i++) {
          const code = col.codes[i] as number;
          if (code >= 0 && bad[code]) failing.push(i);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const k = keyAt(col, i);
          if (k !== null && allowed.has(k) === inside) failing.push(i);
        }
      }
      return b.rows(c, failing);
    }
    case 'between': {
      const { values: v, unreadable } = numericValues(ds, c.column, typeof c.min === 'string' || typeof c.max === 'string');
      if (c.step !== undefined && ds.column(c.column).kind === 'datetime') {
        throw new TesseraError('E_SCHEMA', `between: "step" applies to number and integer columns; column "${c.column}" is datetime`, { column: c.column });
      }
      const min = boundValue(c.min, 'min');
      const max = boundValue(c.max, 'max');
      const step = c.step;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        if (Number.isNaN(x)) {
          if (unreadable?.[i]) failing.push(i);
        } else if (outside(x, min, max, c.strict) || (step !== undefined && Number.isFinite(x) && offStep(x, step))) failing.push(i);
      }
      return b.rows(c, failing);
    }
    case 'matchesPattern': {
      const p = SafePattern.compile(c.pattern);
      const col = ds.column(c.column);
      if (col.kind === 'category') {
        const bad = col.dictionary.map((d) => !p.test(d));
        for (let i = 0; i < n; i++) {
          const code = col.codes[i] as number;
          if (code >= 0 && bad[code]) failing.push(i);
        }
      } else {
        // text as it is; numbers, dates and booleans as their text (a number column where text was
        // expected: each value is tested, as SQL tests a column cast to text)
        for (let i = 0; i < n; i++) {
          const s = stringAt(col, i);
          if (s !== null && !p.test(s)) failing.push(i);
        }
      }
      return b.rows(c, failing);
    }
    case 'kind': {
      const actual = ds.column(c.column).kind;
      if (kindMatches(actual, c.kind)) return undefined;
      // the cells that made a reader type the column as text where numbers, dates or booleans were expected
      // (in SQL a column holds its declared type: the finding there names no rows)
      if ((c.kind === 'number' || c.kind === 'integer' || c.kind === 'datetime') && (actual === 'category' || actual === 'text')) {
        const { unreadable } = numericValues(ds, c.column, c.kind === 'datetime');
        for (let i = 0; i < n; i++) if (unreadable?.[i]) failing.push(i);
      } else if (c.kind === 'boolean' && (actual === 'category' || actual === 'text')) {
        const col = ds.column(c.column);
        for (let i = 0; i < n; i++) {
          const v = stringAt(col, i);
          if (v !== null && parseBoolean(v.trim()) === undefined) failing.push(i);
        }
      }
      const { rows, sample } = b.parts(c, failing);
      const which = failing.length > 0 ? ` (${failing.length} row${failing.length === 1 ? '' : 's'} not read as ${c.kind})` : '';
      return baseFinding(c, 'wrong_kind', `column "${c.column}" is ${actual}, expected ${c.kind}${which}`, {
        rows,
        failing: failing.length,
        sample,
        observed: actual,
        expected: c.kind,
      });
    }
    case 'rowCountBetween':
      return aggregateFinding(c, n, options.now);
    case 'columnStatBetween':
      return aggregateFinding(c, columnStat(ds, c.column, c.stat), options.now);
    case 'relation': {
      const l = ds.column(c.left);
      const r = ds.column(c.right);
      const numeric = (k: string): boolean => k === 'number' || k === 'integer' || k === 'datetime' || k === 'boolean';
      // a text side against a numeric one is read as numbers (ISO dates against a datetime); a
      // cell that cannot be read fails its row
      const asNumbers = numeric(l.kind) !== numeric(r.kind);
      const side = (col: Column, other: Column) => (asNumbers && !numeric(col.kind) ? numericValues(ds, col.name, other.kind === 'datetime') : undefined);
      const ls = side(l, r);
      const rs = side(r, l);
      for (let i = 0; i < n; i++) {
        if (ls?.unreadable?.[i] || rs?.unreadable?.[i]) {
          failing.push(i);
          continue;
        }
        const a = ls ? ls.values[i] : numeric(l.kind) ? keyAt(l, i) : stringAt(l, i);
        const bv = rs ? rs.values[i] : numeric(r.kind) ? keyAt(r, i) : stringAt(r, i);
        if (a === null || bv === null || (typeof a === 'number' && Number.isNaN(a)) || (typeof bv === 'number' && Number.isNaN(bv))) continue;
        const x = typeof a === 'boolean' ? Number(a) : (a as number | string);
        const y = typeof bv === 'boolean' ? Number(bv) : (bv as number | string);
        if (!compare(c.op, x, y)) failing.push(i);
      }
      return b.rows(c, failing);
    }
    case 'linear': {
      const read = c.terms.map((t) => {
        const col = ds.column(t.column);
        if (col.kind === 'datetime') {
          throw new TesseraError('E_SCHEMA', `linear: column "${t.column}" is datetime, expected a number or integer column`, { column: t.column });
        }
        return numericValues(ds, t.column);
      });
      const cols = read.map((r) => r.values);
      const min = c.min;
      const max = c.max;
      for (let i = 0; i < n; i++) {
        if (read.some((r) => r.unreadable?.[i])) {
          failing.push(i);
          continue;
        }
        let v = 0;
        for (let t = 0; t < cols.length; t++) v += (c.terms[t] as { coef: number }).coef * ((cols[t] as Float64Array)[i] as number);
        v += c.intercept;
        if (!Number.isNaN(v) && outside(v, min, max)) failing.push(i);
      }
      return b.rows(c, failing);
    }
    case 'freshness': {
      const v = numericValues(ds, c.column, true).values;
      let latest = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) if ((v[i] as number) > latest) latest = v[i] as number;
      return aggregateFinding(c, Number.isFinite(latest) ? latest : null, options.now);
    }
    case 'referential': {
      const refs = options.references ?? {};
      const ref = Object.hasOwn(refs, c.reference.table) ? refs[c.reference.table] : undefined;
      if (!ref) {
        throw new TesseraError('E_OPTION', `referential check on "${c.column}" needs options.references["${c.reference.table}"] (a Dataset)`, {
          option: 'references',
        });
      }
      const rc = ref.column(c.reference.column);
      const col = ds.column(c.column);
      const stringy = (k: string): boolean => k === 'category' || k === 'text';
      const asString = stringy(col.kind) || stringy(rc.kind);
      const present = new Set<unknown>();
      for (let i = 0; i < rc.length; i++) {
        const k = asString ? stringAt(rc, i) : keyAt(rc, i);
        if (k !== null) present.add(k);
      }
      for (let i = 0; i < n; i++) {
        const k = asString ? stringAt(col, i) : keyAt(col, i);
        if (k !== null && !present.has(k)) failing.push(i);
      }
      return b.rows(c, failing);
    }
    case 'custom': {
      const preds = options.predicates ?? {};
      const fn = Object.hasOwn(preds, c.predicate) ? preds[c.predicate] : undefined;
      if (typeof fn !== 'function') {
        throw new TesseraError('E_OPTION', `custom check needs options.predicates["${c.predicate}"] (a function)`, { option: 'predicates' });
      }
      for (let i = 0; i < n; i++) if (!fn(ds.row(i), i)) failing.push(i);
      return b.rows(c, failing);
    }
  }
}

/** The reference time of a freshness check. @internal */
export function freshnessNow(checkNow: string | number | undefined, optionNow: number | undefined): number {
  if (checkNow !== undefined) return boundValue(checkNow, 'now') as number;
  return optionNow ?? Date.now();
}

/**
 * The finding of a table-level check (`rowCountBetween`, `columnStatBetween`, `freshness`) from
 * its aggregate value (`null` when the aggregate is undefined, e.g. the mean of no values).
 * @internal
 */
export function aggregateFinding(c: Check, v: number | null, optionNow: number | undefined): Finding | undefined {
  switch (c.type) {
    case 'rowCountBetween':
      if (!outside(v, c.min, c.max)) return undefined;
      return baseFinding(c, 'row_count', `row count ${v} is not ${boundsText(c.min, c.max)}`, { observed: v, expected: { min: c.min, max: c.max } });
    case 'columnStatBetween':
      if (!outside(v, c.min, c.max)) return undefined;
      return baseFinding(c, 'stat_out_of_range', `${c.stat} of "${c.column}" is ${v === null ? 'undefined' : v}, expected ${boundsText(c.min, c.max)}`, {
        observed: v,
        expected: { min: c.min, max: c.max },
      });
    case 'freshness': {
      const now = freshnessNow(c.now, optionNow);
      const cutoff = now - c.maxAgeMs;
      if (v !== null && v >= cutoff) return undefined;
      const observed = v === null ? null : new Date(v).toISOString();
      return baseFinding(c, 'stale', `latest "${c.column}" is ${observed ?? 'missing'}, older than ${new Date(cutoff).toISOString()}`, {
        observed,
        expected: { after: new Date(cutoff).toISOString() },
      });
    }
    default:
      throw new TesseraError('E_INTERNAL', `${c.type} is not a table-level check`);
  }
}
