import { TesseraError } from '../core/errors.js';
import { type Column, type ColumnKind, makeColumn } from './column.js';

/**
 * One coercion that schema inference or an override made: how many cells of a column were
 * turned from what into what, with the first few row indices as examples.
 *
 * @example
 * ```ts
 * const ds = Dataset.from([{ a: '1' }, { a: 'x' }], { schema: { a: { kind: 'number' } }, onInvalid: 'null' });
 * ds.coercions; // [{ column: 'a', from: 'string', to: 'null', count: 1, rows: [1], ... }]
 * ```
 */
export interface Coercion {
  column: string;
  /** What the cells were (e.g. `string`, `missing-token`, `mixed`). */
  from: string;
  /** What they became (a kind, or `null` for a cell turned missing). */
  to: ColumnKind | 'null';
  count: number;
  /** Up to 10 example row indices (0-based). */
  rows: number[];
  message: string;
}

/**
 * Options that steer how raw values become a column.
 *
 * @example
 * ```ts
 * const opts: InferOptions = { missingTokens: ['', 'NA'], maxCategories: 500 };
 * ```
 */
export interface InferOptions {
  /** Strings read as missing (exact match after no trimming). Default {@link DEFAULT_MISSING_TOKENS}. */
  missingTokens?: readonly string[];
  /** A string column becomes `category` when it has at most this many distinct values and they are at most half of the non-missing cells. Default 1000. */
  maxCategories?: number;
  /** What to do with a cell that cannot be coerced to an overridden kind: `error` (default) throws `E_SCHEMA` naming column and row; `null` makes it missing and reports it. */
  onInvalid?: 'error' | 'null';
}

/** Default missing-value tokens. @example `DEFAULT_MISSING_TOKENS.includes('NA') // true` */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A'];

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const LEADING_ZERO_RE = /^[+-]?0\d/;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const TRUE_RE = /^(?:true|TRUE|True)$/;
const FALSE_RE = /^(?:false|FALSE|False)$/;

/**
 * Parses a number the way inference does: decimal or exponent notation, `Infinity`, `-Infinity`;
 * a string with a leading zero before another digit (`"007"`) is not a number (it would lose its
 * zeros). Returns `undefined` when the string is not a number.
 *
 * @example
 * ```ts
 * parseNumber('1.5e3'); // 1500
 * parseNumber('007');   // undefined
 * ```
 */
export function parseNumber(s: string): number | undefined {
  if (NUMBER_RE.test(s)) {
    if (LEADING_ZERO_RE.test(s) && !/^[+-]?0[.eE]/.test(s)) return undefined;
    return Number(s);
  }
  if (s === 'Infinity' || s === '+Infinity' || s === 'inf') return Number.POSITIVE_INFINITY;
  if (s === '-Infinity' || s === '-inf') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/**
 * Parses an ISO 8601 date or date-time (`2024-03-01`, `2024-03-01T10:00:00Z`, with a space for the
 * `T`) to epoch milliseconds; a date or time without an offset is read as UTC. `undefined` if not one.
 *
 * @example
 * ```ts
 * parseIsoDate('2024-03-01'); // 1709251200000
 * ```
 */
export function parseIsoDate(s: string): number | undefined {
  if (s.length > 40 || !ISO_DATE_RE.test(s)) return undefined;
  let t = s.length > 10 && s[10] === ' ' ? `${s.slice(0, 10)}T${s.slice(11)}` : s;
  if (t.length > 10 && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(t)) t += 'Z';
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parses a boolean literal (`true`/`false` in lower, upper or title case). `undefined` if not one.
 *
 * @example
 * ```ts
 * parseBoolean('TRUE'); // true
 * ```
 */
export function parseBoolean(s: string): boolean | undefined {
  if (TRUE_RE.test(s)) return true;
  if (FALSE_RE.test(s)) return false;
  return undefined;
}

class Report {
  readonly list: Coercion[] = [];
  private map = new Map<string, Coercion>();
  constructor(private column: string) {}
  add(from: string, to: ColumnKind | 'null', row: number, message: string): void {
    const key = `${from}->${to}`;
    let c = this.map.get(key);
    if (!c) {
      c = { column: this.column, from, to, count: 0, rows: [], message };
      this.map.set(key, c);
      this.list.push(c);
    }
    c.count++;
    if (c.rows.length < 10) c.rows.push(row);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Date) return 'date';
  return typeof v;
}

type Scalar = number | string | boolean | Date | null | undefined | bigint;

/**
 * Builds one column from raw cell values (JS values or strings read from text), inferring the kind
 * unless `kind` is given. Returns the column and the coercions made. The input is not modified.
 *
 * Inference rules, first match wins on the non-missing cells: all numbers (or numeric strings) →
 * `integer` when every value is a safe integer, else `number`; all booleans (or boolean literals) →
 * `boolean`; all `Date`s (or ISO date strings) → `datetime`; strings → `category` when few distinct
 * values (at most {@link InferOptions.maxCategories}, and at most half the non-missing cells once
 * there are 20 or more; short strings only), else `text`; a mix of kinds → `text`, each
 * value written as a string, reported as a coercion. All missing → `number` (nullable).
 *
 * @example
 * ```ts
 * const { column } = buildColumn('age', ['31', '45', 'NA']);
 * column.kind; // 'integer'
 * ```
 */
export function buildColumn(name: string, raw: ArrayLike<unknown>, kind?: ColumnKind, options: InferOptions = {}): { column: Column; coercions: Coercion[] } {
  const missing = new Set(options.missingTokens ?? DEFAULT_MISSING_TOKENS);
  const report = new Report(name);
  const n = raw.length;
  const isMiss = (v: unknown, i: number): boolean => {
    if (v === null || v === undefined) return true;
    if (typeof v === 'number' && Number.isNaN(v)) return true;
    if (v instanceof Date && Number.isNaN(v.getTime())) {
      report.add('invalid-date', 'null', i, `invalid Date read as missing`);
      return true;
    }
    if (typeof v === 'string' && missing.has(v)) {
      if (v !== '') report.add('missing-token', 'null', i, `missing-value token read as missing`);
      return true;
    }
    return false;
  };
  const target = kind ?? inferKind(raw, isMissAt(raw, missing), options.maxCategories ?? 1000);
  const onInvalid = options.onInvalid ?? 'error';
  const invalid = (v: unknown, i: number, what: ColumnKind): void => {
    if (onInvalid === 'error') {
      throw new TesseraError('E_SCHEMA', `column "${name}", row ${i}: cannot read ${JSON.stringify(String(v)).slice(0, 80)} as ${what}`, {
        column: name,
        row: i,
        value: String(v).slice(0, 200),
        kind: what,
      });
    }
    report.add(describe(v), 'null', i, `value not readable as ${what}, set missing`);
  };
  switch (target) {
    case 'number':
    case 'integer': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i] as Scalar;
        if (isMiss(v, i)) {
          values[i] = Number.NaN;
          continue;
        }
        let x: number | undefined;
        if (typeof v === 'number') x = v;
        else if (typeof v === 'string') {
          x = parseNumber(v);
          if (x !== undefined && kind) report.add('string', target, i, 'string parsed as number');
        } else if (typeof v === 'boolean') {
          x = v ? 1 : 0;
          report.add('boolean', target, i, 'boolean written as 0/1');
        } else if (typeof v === 'bigint') {
          x = Number(v);
          if (!Number.isSafeInteger(x)) report.add('bigint', target, i, 'bigint beyond 2^53 rounded');
        } else if (v instanceof Date) {
          x = v.getTime();
          report.add('date', target, i, 'date written as epoch milliseconds');
        }
        if (x === undefined || (target === 'integer' && Number.isFinite(x) && !Number.isInteger(x))) {
          invalid(v, i, target);
          values[i] = Number.NaN;
        } else values[i] = x;
      }
      return { column: makeColumn(name, target, { values }), coercions: report.list };
    }
    case 'datetime': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i] as Scalar;
        if (isMiss(v, i)) {
          values[i] = Number.NaN;
          continue;
        }
        let x: number | undefined;
        if (v instanceof Date) x = v.getTime();
        else if (typeof v === 'string') x = parseIsoDate(v);
        else if (typeof v === 'number' && Number.isFinite(v)) {
          x = v;
          report.add('number', 'datetime', i, 'number read as epoch milliseconds');
        }
        if (x === undefined) {
          invalid(v, i, 'datetime');
          values[i] = Number.NaN;
        } else values[i] = x;
      }
      return { column: makeColumn(name, 'datetime', { values }), coercions: report.list };
    }
    case 'boolean': {
      const values = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i] as Scalar;
        if (isMiss(v, i)) {
          values[i] = -1;
          continue;
        }
        let x: boolean | undefined;
        if (typeof v === 'boolean') x = v;
        else if (typeof v === 'string') x = parseBoolean(v);
        else if (typeof v === 'number' && (v === 0 || v === 1)) {
          x = v === 1;
          report.add('number', 'boolean', i, '0/1 read as boolean');
        }
        if (x === undefined) {
          invalid(v, i, 'boolean');
          values[i] = -1;
        } else values[i] = x ? 1 : 0;
      }
      return { column: makeColumn(name, 'boolean', { values }), coercions: report.list };
    }
    case 'category': {
      const codes = new Int32Array(n);
      const dict: string[] = [];
      const index = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const v = raw[i] as Scalar;
        if (isMiss(v, i)) {
          codes[i] = -1;
          continue;
        }
        const s = stringify(v, i, report, 'category');
        let c = index.get(s);
        if (c === undefined) {
          c = dict.length;
          dict.push(s);
          index.set(s, c);
        }
        codes[i] = c;
      }
      return { column: makeColumn(name, 'category', { codes, dictionary: dict }), coercions: report.list };
    }
    case 'text': {
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const v = raw[i] as Scalar;
        values[i] = isMiss(v, i) ? null : stringify(v, i, report, 'text');
      }
      return { column: makeColumn(name, 'text', { values }), coercions: report.list };
    }
  }
}

function stringify(v: Scalar, i: number, report: Report, to: ColumnKind): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) {
    report.add('date', to, i, 'date written as ISO string');
    return v.toISOString();
  }
  report.add(typeof v, to, i, `${typeof v} written as string`);
  return String(v);
}

function isMissAt(raw: ArrayLike<unknown>, missing: Set<string>): (i: number) => boolean {
  return (i) => {
    const v = raw[i];
    return (
      v === null ||
      v === undefined ||
      (typeof v === 'number' && Number.isNaN(v)) ||
      (v instanceof Date && Number.isNaN(v.getTime())) ||
      (typeof v === 'string' && missing.has(v))
    );
  };
}

/**
 * Infers the kind of a column from raw values (see {@link buildColumn} for the rules).
 *
 * @example
 * ```ts
 * inferKind(['a', 'b', 'a'], (i) => false); // 'category'
 * ```
 */
export function inferKind(raw: ArrayLike<unknown>, missingAt: (i: number) => boolean, maxCategories = 1000): ColumnKind {
  let nums = 0;
  let ints = 0;
  let bools = 0;
  let dates = 0;
  let nonMissing = 0;
  let typed = 0; // non-string JS values (numbers, booleans, dates) in a column that is not all of one kind
  let totalLen = 0;
  const distinct = new Set<string>();
  let distinctOverflow = false;
  for (let i = 0; i < raw.length; i++) {
    if (missingAt(i)) continue;
    nonMissing++;
    const v = raw[i];
    if (typeof v === 'number') {
      nums++;
      typed++;
      if (Number.isSafeInteger(v)) ints++;
    } else if (typeof v === 'bigint') {
      nums++;
      typed++;
      ints++;
    } else if (typeof v === 'boolean') {
      bools++;
      typed++;
    } else if (v instanceof Date) {
      dates++;
      typed++;
    } else {
      const s = typeof v === 'string' ? v : String(v);
      const x = parseNumber(s);
      if (x !== undefined) {
        nums++;
        if (Number.isSafeInteger(x) && !/[.eE]/.test(s)) ints++;
      } else if (parseBoolean(s) !== undefined) bools++;
      else if (parseIsoDate(s) !== undefined) dates++;

      totalLen += s.length;
      if (!distinctOverflow) {
        distinct.add(s);
        if (distinct.size > maxCategories) distinctOverflow = true;
      }
    }
  }
  if (nonMissing === 0) return 'number';
  if (nums === nonMissing) return ints === nonMissing ? 'integer' : 'number';
  if (bools === nonMissing) return 'boolean';
  if (dates === nonMissing) return 'datetime';
  if (typed > 0) return 'text';
  if (!distinctOverflow && (nonMissing < 20 || distinct.size <= nonMissing * 0.5) && totalLen / Math.max(1, nonMissing) <= 64) return 'category';
  return 'text';
}
