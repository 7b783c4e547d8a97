/**
 * The CSV scanner: a single pass of `charCodeAt` over decoded text that splits records and fields
 * (RFC 4180) and hands each field's range to a column builder. Numbers and ISO dates are parsed
 * from the character codes without creating substrings; everything else goes through the same
 * functions schema inference uses (`parseNumber`, `parseBoolean`, `parseIsoDate`, `buildColumn`),
 * so a column read from CSV gets the same kind and values as `Dataset.from` on the same strings.
 *
 * @internal
 */
import { TesseraError } from '../../core/errors.js';
import { type Column, type ColumnKind, makeColumn } from '../column.js';
import { buildColumn, type Coercion, parseBoolean, parseIsoDate, parseNumber } from '../infer.js';
import { usefulCoercions } from './common.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * A row the reader could not use: where it starts (1-based line and column of the problem), why,
 * and the start of its text.
 *
 * @example
 * ```ts
 * const { report } = parseCSV('a,b\n1\n2,3', { onBadRow: 'skip' });
 * report.badRows[0]; // { line: 2, col: 2, reason: 'expected 2 fields, got 1', text: '1' }
 * ```
 */
export interface BadRow {
  /** 1-based line where the problem is. */
  line: number;
  /** 1-based character column in that line. */
  col: number;
  /** What was wrong. */
  reason: string;
  /** The record's text (its first 200 characters). */
  text: string;
}

/** What to do with a bad row: throw (`E_PARSE`), or hand it to a function and go on. @example `const h: BadRowHandler = (b) => console.warn(b.line, b.reason);` */
export type BadRowHandler = (bad: BadRow) => void;

// ---------------------------------------------------------------------------------------------
// Fast number and date parsing from character codes.

const POW10: number[] = [];
for (let i = 0, v = 1; i <= 22; i++, v *= 10) POW10.push(v);
const MAX_SAFE = 9007199254740991;

/** Set by {@link fastNumber}: whether the last number had a `.` or an exponent. */
let lastHadDotOrExp = false;

/**
 * Parses `t[s, e)` as a decimal number, identical to `Number(text)` for the inputs it accepts
 * (exact mantissa below 2^53 and a power of ten up to 22: one correctly rounded operation,
 * Clinger's fast path), with `parseNumber`'s grammar and its leading-zero rule. Returns `NaN` when
 * it cannot decide (the caller then takes the general path).
 */
export function fastNumber(t: string, s: number, e: number): number {
  let i = s;
  let c = t.charCodeAt(i);
  let neg = false;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  const intStart = i;
  let m = 0;
  while (i < e) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits > 1 && t.charCodeAt(intStart) === 48) return Number.NaN;
  let frac = 0;
  let dotExp = false;
  if (i < e && t.charCodeAt(i) === 46) {
    dotExp = true;
    i++;
    const f0 = i;
    while (i < e) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
      i++;
    }
    frac = i - f0;
  }
  if (intDigits + frac === 0) return Number.NaN;
  let exp = 0;
  if (i < e) {
    c = t.charCodeAt(i);
    if (c !== 101 && c !== 69) return Number.NaN;
    dotExp = true;
    i++;
    let eneg = false;
    c = t.charCodeAt(i);
    if (c === 45) {
      eneg = true;
      i++;
    } else if (c === 43) i++;
    const e0 = i;
    while (i < e) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number.NaN;
      if (exp < 100000) exp = exp * 10 + d;
      i++;
    }
    if (i === e0) return Number.NaN;
    if (eneg) exp = -exp;
  }
  if (m > MAX_SAFE) return Number.NaN;
  const p = exp - frac;
  let x: number;
  if (p === 0) x = m;
  else if (p > 0 && p <= 22) x = m * (POW10[p] as number);
  else if (p < 0 && p >= -22) x = m / (POW10[-p] as number);
  else return Number.NaN;
  lastHadDotOrExp = dotExp;
  return neg ? -x : x;
}

/** Set by {@link scanNumber}: where the number's characters ended. */
let lastEnd = 0;

/**
 * Parses a number starting at `t[s]` and running to a field terminator (`D`, a line break or the
 * end of the text), reading each character once: the scanner uses it for columns already known to
 * be numeric, so the field's characters are not read twice. Same results as {@link fastNumber};
 * `NaN` when it cannot decide. `lastEnd` is left where the number's characters stopped (the
 * scanner goes on from there to find the field's end).
 */
export function scanNumber(t: string, s: number, D: number): number {
  let i = s;
  let c = t.charCodeAt(i);
  let neg = false;
  if (c === 45) {
    neg = true;
    c = t.charCodeAt(++i);
  } else if (c === 43) c = t.charCodeAt(++i);
  const intStart = i;
  let m = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    c = t.charCodeAt(++i);
  }
  const intDigits = i - intStart;
  let frac = 0;
  let dotExp = false;
  if (c === 46) {
    dotExp = true;
    c = t.charCodeAt(++i);
    const f0 = i;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      c = t.charCodeAt(++i);
    }
    frac = i - f0;
  }
  let bad = intDigits + frac === 0 || (intDigits > 1 && t.charCodeAt(intStart) === 48);
  let exp = 0;
  if (c === 101 || c === 69) {
    dotExp = true;
    c = t.charCodeAt(++i);
    let eneg = false;
    if (c === 45) {
      eneg = true;
      c = t.charCodeAt(++i);
    } else if (c === 43) c = t.charCodeAt(++i);
    const e0 = i;
    while (c >= 48 && c <= 57) {
      if (exp < 100000) exp = exp * 10 + (c - 48);
      c = t.charCodeAt(++i);
    }
    if (i === e0) bad = true;
    if (eneg) exp = -exp;
  }
  lastEnd = i;
  // c is NaN past the end of the text
  if (bad || !(c === D || c === LF || c === CR || Number.isNaN(c)) || m > MAX_SAFE) return Number.NaN;
  const p = exp - frac;
  let x: number;
  if (p === 0) x = m;
  else if (p > 0 && p <= 22) x = m * (POW10[p] as number);
  else if (p < 0 && p >= -22) x = m / (POW10[-p] as number);
  else return Number.NaN;
  lastHadDotOrExp = dotExp;
  return neg ? -x : x;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digit(t: string, i: number): number {
  const d = t.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100000;
}

/**
 * Parses `YYYY-MM-DD` (a day that exists in its month) to epoch milliseconds, identical to
 * `parseIsoDate`; `NaN` when it cannot decide.
 */
export function fastDate(t: string, s: number, e: number): number {
  if (e - s !== 10 || t.charCodeAt(s + 4) !== 45 || t.charCodeAt(s + 7) !== 45) return Number.NaN;
  const y = digit(t, s) * 1000 + digit(t, s + 1) * 100 + digit(t, s + 2) * 10 + digit(t, s + 3);
  const m = digit(t, s + 5) * 10 + digit(t, s + 6);
  const d = digit(t, s + 8) * 10 + digit(t, s + 9);
  if (y < 0 || m < 1 || m > 12 || d < 1) return Number.NaN;
  if (d > 28) {
    // days past the month's end roll over in Date.parse: leave those to the general path
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const last = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
    if (d > last) return Number.NaN;
  }
  return daysFromCivil(y, m, d) * 86400000;
}

// ---------------------------------------------------------------------------------------------
// Column builders.

const UNDECIDED = 0;
const NUM = 1;
const DATE = 2;
const BOOL = 3;
const STR = 4;
const RAW = 5;
const SKIP = 6;

/** Settings a builder needs. @internal */
export interface BuilderSettings {
  missing: ReadonlySet<string>;
  /** False when a missing token looks like a number: numbers then take the general path (which checks tokens first). */
  fastNumbers: boolean;
  /** False when a missing token looks like an ISO date. */
  fastDates: boolean;
  quotedMissing: boolean;
  maxCategories: number;
  onInvalid: 'error' | 'null';
}

/**
 * Collects one column. It guesses the column's kind from its first non-missing value and keeps
 * typed storage (numbers, dates, booleans, a dictionary for strings); when a later value does not
 * fit, it falls back to collecting strings (`RAW`), and the rows before the fall-back are read
 * again by a second, narrow pass (`rawStart` > 0). Columns with a declared kind are `RAW` from the
 * start and are built by `buildColumn`.
 *
 * @internal
 */
export class ColumnBuilder {
  mode: number;
  len = 0;
  num: Float64Array;
  bool: Int8Array = new Int8Array(0);
  codes: Int32Array = new Int32Array(0);
  dict: string[] = [];
  /** Open-addressing table: code + 1 per slot, 0 = empty. */
  slots: Int32Array = new Int32Array(64);
  dictHash: number[] = [];
  /** 1 when the entry equals a missing token (it came quoted, so it was a value). */
  dictToken: number[] = [];
  private lastHash = 0;
  totalLen = 0;
  nonMissing = 0;
  allInt = true;
  raw: (string | null)[] = [];
  /** Rows before this index are missing from `raw` (to be read by a second pass). */
  rawStart = 0;
  /** Set when a string column overflowed `maxCategories`: it is text, no inference needed. */
  overflowText = false;
  missCount = 0;
  missRows: number[] = [];
  private cap: number;

  constructor(
    readonly name: string,
    readonly settings: BuilderSettings,
    readonly kind: ColumnKind | undefined,
    capacity: number,
    skip = false,
  ) {
    this.cap = Math.max(16, capacity);
    this.mode = skip ? SKIP : kind !== undefined ? RAW : UNDECIDED;
    this.num = this.mode === UNDECIDED ? new Float64Array(this.cap) : new Float64Array(0);
  }

  /** Adds a value the scanner already parsed (`k` 1: integer-looking number, 2: number with `.`/exponent, 3: date). */
  addParsed(x: number, k: number): void {
    if (this.len === this.cap) this.grow();
    if (k === 2) this.allInt = false;
    this.num[this.len++] = x;
  }

  /** Adds field `t[s, e)`; `q` = 0 unquoted, 1 quoted, 2 quoted with doubled quotes inside. */
  add(t: string, s: number, e: number, q: number): void {
    const mode = this.mode;
    if (mode === NUM) {
      if (this.len === this.cap) this.grow();
      if (q !== 2 && this.settings.fastNumbers) {
        if (s === e && q === 0) {
          this.num[this.len++] = Number.NaN;
          return;
        }
        const x = fastNumber(t, s, e);
        if (!Number.isNaN(x)) {
          if (lastHadDotOrExp) this.allInt = false;
          this.num[this.len++] = x;
          return;
        }
      }
    } else if (mode === DATE) {
      if (this.len === this.cap) this.grow();
      if (q !== 2 && this.settings.fastDates) {
        if (s === e && q === 0) {
          this.num[this.len++] = Number.NaN;
          return;
        }
        const x = fastDate(t, s, e);
        if (!Number.isNaN(x)) {
          this.num[this.len++] = x;
          return;
        }
      }
    } else if (mode === STR) {
      if (this.len === this.cap) this.grow();
      if (s === e && q === 0) {
        this.codes[this.len++] = -1;
        return;
      }
      if (q !== 2) {
        // dictionary lookup on the characters themselves: no substring for a value seen before
        const code = this.find(t, s, e);
        if (code >= 0) {
          if (this.dictToken[code] === 1 && (q === 0 || this.settings.quotedMissing)) this.addMissing(true);
          else {
            this.totalLen += e - s;
            this.nonMissing++;
            this.codes[this.len++] = code;
          }
          return;
        }
      }
      const str = q === 2 ? t.slice(s, e).replaceAll('""', '"') : t.slice(s, e);
      if ((q === 0 || this.settings.quotedMissing) && this.settings.missing.has(str)) {
        this.addMissing(str !== '');
        return;
      }
      this.addStr(str);
      return;
    } else if (mode === SKIP) {
      this.len++;
      return;
    } else if (mode === UNDECIDED) {
      if (this.len === this.cap) this.grow();
      if (s === e && q === 0) {
        this.len++;
        return;
      }
      if (q !== 2 && this.settings.fastNumbers) {
        const x = fastNumber(t, s, e);
        if (!Number.isNaN(x)) {
          this.mode = NUM;
          this.num.fill(Number.NaN, 0, this.len);
          if (lastHadDotOrExp) this.allInt = false;
          this.num[this.len++] = x;
          return;
        }
      }
    }
    this.slowAdd(q === 2 ? t.slice(s, e).replaceAll('""', '"') : t.slice(s, e), q);
  }

  private slowAdd(str: string, q: number): void {
    if ((q === 0 || this.settings.quotedMissing) && this.settings.missing.has(str)) {
      this.addMissing(str !== '');
      return;
    }
    switch (this.mode) {
      case UNDECIDED: {
        const n = this.len;
        if (parseNumber(str) !== undefined) {
          this.mode = NUM;
          this.num.fill(Number.NaN, 0, n);
        } else if (parseBoolean(str) !== undefined) {
          this.mode = BOOL;
          this.bool = new Int8Array(this.cap);
          this.bool.fill(-1, 0, n);
          this.num = new Float64Array(0);
        } else if (parseIsoDate(str) !== undefined) {
          this.mode = DATE;
          this.num.fill(Number.NaN, 0, n);
        } else {
          this.mode = STR;
          this.codes = new Int32Array(this.cap);
          this.codes.fill(-1, 0, n);
          this.num = new Float64Array(0);
        }
        this.slowAdd(str, q);
        return;
      }
      case NUM: {
        const x = parseNumber(str);
        if (x === undefined) {
          this.toRaw(str);
          return;
        }
        if (!Number.isSafeInteger(x) || /[.eE]/.test(str)) this.allInt = false;
        this.num[this.len++] = x;
        return;
      }
      case DATE: {
        const x = parseIsoDate(str);
        if (x === undefined) {
          this.toRaw(str);
          return;
        }
        this.num[this.len++] = x;
        return;
      }
      case BOOL: {
        if (this.len === this.cap) this.grow();
        const x = parseBoolean(str);
        if (x === undefined) {
          this.toRaw(str);
          return;
        }
        this.bool[this.len++] = x ? 1 : 0;
        return;
      }
      case STR:
        if (this.len === this.cap) this.grow();
        this.addStr(str);
        return;
      default:
        this.raw.push(str);
        this.len++;
    }
  }

  /** Hash of `t[s, e)` (FNV-1a over UTF-16 code units); also left in `lastHash`. */
  private hashRange(t: string, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619);
    this.lastHash = h;
    return h;
  }

  /** Code of the dictionary entry equal to `t[s, e)`, or -1. */
  private find(t: string, s: number, e: number): number {
    const h = this.hashRange(t, s, e);
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = e - s;
    let slot = h & mask;
    for (;;) {
      const k = slots[slot] as number;
      if (k === 0) return -1;
      const code = k - 1;
      if (this.dictHash[code] === h) {
        const str = this.dict[code] as string;
        if (str.length === len) {
          let i = 0;
          while (i < len && str.charCodeAt(i) === t.charCodeAt(s + i)) i++;
          if (i === len) return code;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  private addStr(str: string): void {
    let c = this.find(str, 0, str.length);
    if (c < 0) {
      c = this.dict.length;
      if (c >= this.settings.maxCategories) {
        this.strToRaw();
        this.raw.push(str);
        this.len++;
        return;
      }
      this.dict.push(str);
      this.dictHash.push(this.lastHash);
      this.dictToken.push(this.settings.missing.has(str) ? 1 : 0);
      if ((c + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
      else this.place(this.lastHash, c);
    }
    this.totalLen += str.length;
    this.nonMissing++;
    this.codes[this.len++] = c;
  }

  private place(h: number, code: number): void {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = code + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let c = 0; c < this.dict.length; c++) this.place(this.dictHash[c] as number, c);
  }

  private addMissing(token: boolean): void {
    if (token) {
      this.missCount++;
      if (this.missRows.length < 10) this.missRows.push(this.len);
    }
    switch (this.mode) {
      case NUM:
      case DATE:
        if (this.len === this.cap) this.grow();
        this.num[this.len++] = Number.NaN;
        return;
      case BOOL:
        if (this.len === this.cap) this.grow();
        this.bool[this.len++] = -1;
        return;
      case STR:
        if (this.len === this.cap) this.grow();
        this.codes[this.len++] = -1;
        return;
      case RAW:
        this.raw.push(null);
        this.len++;
        return;
      default:
        this.len++;
    }
  }

  private toRaw(str: string): void {
    this.mode = RAW;
    this.rawStart = this.len;
    this.raw = [str];
    this.len++;
    this.num = new Float64Array(0);
    this.bool = new Int8Array(0);
  }

  private strToRaw(): void {
    const raw = new Array<string | null>(this.len);
    for (let i = 0; i < this.len; i++) {
      const c = this.codes[i] as number;
      raw[i] = c < 0 ? null : (this.dict[c] as string);
    }
    this.raw = raw;
    this.rawStart = 0;
    this.mode = RAW;
    // more distinct strings than maxCategories in a column that already held a non-number,
    // non-boolean, non-date value: inference can only say text
    this.overflowText = true;
    this.codes = new Int32Array(0);
    this.dict = [];
    this.dictHash = [];
    this.dictToken = [];
    this.slots = new Int32Array(64);
  }

  private grow(): void {
    const cap = this.cap * 2;
    if (this.mode === NUM || this.mode === DATE || this.mode === UNDECIDED) {
      const a = new Float64Array(cap);
      a.set(this.num);
      this.num = a;
    } else if (this.mode === BOOL) {
      const a = new Int8Array(cap);
      a.set(this.bool);
      this.bool = a;
    } else if (this.mode === STR) {
      const a = new Int32Array(cap);
      a.set(this.codes);
      this.codes = a;
    }
    this.cap = cap;
  }

  /** Whether the rows before `rawStart` still have to be read again. */
  needsPrefix(): boolean {
    return this.mode === RAW && this.rawStart > 0;
  }

  /** Supplies the strings of rows `[0, rawStart)` read by the second pass. */
  setPrefix(prefix: readonly (string | null)[]): void {
    this.raw = prefix.slice(0, this.rawStart).concat(this.raw);
    this.rawStart = 0;
  }

  /** The finished column and the coercions made. `rowOffset` shifts reported row numbers. */
  finish(rowOffset = 0): { column: Column; coercions: Coercion[] } {
    const n = this.len;
    const coercions: Coercion[] = [];
    if (this.missCount > 0) {
      coercions.push({
        column: this.name,
        from: 'missing-token',
        to: 'null',
        count: this.missCount,
        rows: this.missRows.map((r) => r + rowOffset),
        message: 'missing-value token read as missing',
      });
    }
    // keep the storage when little is wasted (no copy of a large array at the end), else trim it
    const trim = <T extends Float64Array | Int8Array | Int32Array>(a: T): T =>
      a.length === n ? a : n >= a.length * 0.8 ? (a.subarray(0, n) as T) : (a.slice(0, n) as T);
    switch (this.mode) {
      case UNDECIDED: {
        const values = new Float64Array(n).fill(Number.NaN);
        return { column: makeColumn(this.name, 'number', { values }), coercions };
      }
      case NUM:
        return { column: makeColumn(this.name, this.allInt ? 'integer' : 'number', { values: trim(this.num) }), coercions };
      case DATE:
        return { column: makeColumn(this.name, 'datetime', { values: trim(this.num) }), coercions };
      case BOOL:
        return { column: makeColumn(this.name, 'boolean', { values: trim(this.bool) }), coercions };
      case STR: {
        const nm = this.nonMissing;
        const distinct = this.dict.length;
        if ((nm < 20 || distinct <= nm * 0.5) && this.totalLen / Math.max(1, nm) <= 64) {
          return { column: makeColumn(this.name, 'category', { codes: trim(this.codes), dictionary: this.dict }), coercions };
        }
        const values = new Array<string | null>(n);
        for (let i = 0; i < n; i++) {
          const c = this.codes[i] as number;
          values[i] = c < 0 ? null : (this.dict[c] as string);
        }
        return { column: makeColumn(this.name, 'text', { values }), coercions };
      }
      case RAW: {
        if (this.rawStart > 0) throw new TesseraError('E_INTERNAL', `column "${this.name}": prefix rows were not read again`, { column: this.name });
        let built: { column: Column; coercions: Coercion[] };
        try {
          built = buildColumn(this.name, this.raw, this.kind ?? (this.overflowText ? 'text' : undefined), {
            missingTokens: [],
            maxCategories: this.settings.maxCategories,
            onInvalid: this.settings.onInvalid,
          });
        } catch (e) {
          if (e instanceof TesseraError && typeof e.details.row === 'number' && rowOffset) {
            throw new TesseraError(e.code, e.message.replace(`row ${e.details.row}`, `row ${e.details.row + rowOffset}`), {
              ...e.details,
              row: e.details.row + rowOffset,
            });
          }
          throw e;
        }
        for (const c of usefulCoercions(built.coercions)) coercions.push(rowOffset ? { ...c, rows: c.rows.map((r) => r + rowOffset) } : c);
        return { column: built.column, coercions };
      }
      default:
        throw new TesseraError('E_INTERNAL', 'a skipped column cannot be finished');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The record scanner.

/**
 * Where a scan is in the text, and what it knows about the records.
 *
 * @internal
 */
export class ScanState {
  pos = 0;
  line = 1;
  lineStart = 0;
  /** Good rows handed to the builders so far. */
  rows = 0;
  /** Expected fields per record; -1 while unknown (header row or first record). */
  ncols: number;
  fs: Int32Array;
  fe: Int32Array;
  fq: Uint8Array;
  /** Values parsed during the scan (numeric and date columns), and their kind (0 = not parsed). */
  fv: Float64Array;
  fk: Uint8Array;
  /** Fields in the last record returned when `ncols` was -1. */
  lastFields = 0;

  constructor(
    readonly delim: number,
    ncols: number,
    readonly maxField: number,
    readonly onBad: (bad: BadRow) => void,
  ) {
    this.ncols = ncols;
    const cap = Math.max(8, ncols + 1);
    this.fs = new Int32Array(cap);
    this.fe = new Int32Array(cap);
    this.fq = new Uint8Array(cap);
    this.fv = new Float64Array(cap);
    this.fk = new Uint8Array(cap);
  }

  /** The string value of field `j` of the last record. */
  field(text: string, j: number): string {
    const s = this.fs[j] as number;
    const e = this.fe[j] as number;
    return this.fq[j] === 2 ? text.slice(s, e).replaceAll('""', '"') : text.slice(s, e);
  }

  private growFields(): void {
    const cap = this.fs.length * 2;
    const fs = new Int32Array(cap);
    fs.set(this.fs);
    const fe = new Int32Array(cap);
    fe.set(this.fe);
    const fq = new Uint8Array(cap);
    fq.set(this.fq);
    this.fs = fs;
    this.fe = fe;
    this.fq = fq;
    this.fv = new Float64Array(cap);
    this.fk = new Uint8Array(cap);
  }

  /**
   * Scans records from `pos` until the text ends, `maxRows` good rows were added, or (when
   * `ncols` is -1) one record was read. Returns `true` when it stopped because a record is
   * incomplete and `final` is false (more text is needed); `pos` then points at that record.
   */
  scan(text: string, final: boolean, builders: readonly ColumnBuilder[] | null, maxRows: number): boolean {
    const n = text.length;
    const D = this.delim;
    const maxField = this.maxField;
    let p = this.pos;
    let line = this.line;
    let lineStart = this.lineStart;
    const open = this.ncols < 0;
    while (p < n && this.rows < maxRows) {
      const rowStart = p;
      const rowLine = line;
      const rowLineStart = lineStart;
      let c = text.charCodeAt(p);
      if ((c === LF || c === CR) && this.ncols !== 1) {
        // a blank line holds no record (except in a one-column file, where it is a missing value)
        if (c === CR) {
          if (p + 1 >= n && !final) break;
          p += text.charCodeAt(p + 1) === LF ? 2 : 1;
        } else p++;
        line++;
        lineStart = p;
        continue;
      }
      let nf = 0;
      let bad: string | null = null;
      let badLine = 0;
      let badCol = 0;
      let needMore = false;
      const expect = this.ncols;
      for (;;) {
        let s: number;
        let e: number;
        let q = 0;
        if (p < n && text.charCodeAt(p) === QUOTE) {
          if (nf < this.fk.length) this.fk[nf] = 0;
          const qLine = line;
          const qCol = p - lineStart + 1;
          p++;
          s = p;
          q = 1;
          let closed = false;
          while (p < n) {
            c = text.charCodeAt(p);
            if (c === QUOTE) {
              if (p + 1 < n) {
                if (text.charCodeAt(p + 1) === QUOTE) {
                  q = 2;
                  p += 2;
                  continue;
                }
              } else if (!final) break;
              closed = true;
              break;
            }
            if (c === LF) {
              line++;
              lineStart = p + 1;
            }
            p++;
          }
          if (!closed) {
            if (!final) {
              if (p - s > maxField) this.tooLong(qLine, qCol, p - s);
              needMore = true;
              break;
            }
            bad ??= 'unterminated quoted field (a quote opened here is never closed)';
            if (badLine === 0) {
              badLine = qLine;
              badCol = qCol;
            }
            e = p;
          } else {
            e = p;
            p++;
            if (p < n) {
              c = text.charCodeAt(p);
              if (c !== D && c !== LF && c !== CR) {
                if (bad === null) {
                  bad = `unexpected character ${JSON.stringify(text[p])} after a closing quote`;
                  badLine = line;
                  badCol = p - lineStart + 1;
                }
                // resynchronise at the next line break
                const nl = text.indexOf('\n', p);
                if (nl < 0) {
                  if (!final) {
                    needMore = true;
                    break;
                  }
                  p = n;
                } else {
                  p = nl;
                }
              }
            }
          }
          if (e - s > maxField) this.tooLong(qLine, qCol, e - s);
        } else {
          s = p;
          let pre = 0;
          if (builders !== null && nf < expect) {
            // numeric and date columns: parse while scanning (each character read once)
            const b = builders[nf] as ColumnBuilder;
            const mode = b.mode;
            if (mode === NUM && b.settings.fastNumbers) {
              const x = scanNumber(text, p, D);
              p = lastEnd;
              if (!Number.isNaN(x)) {
                pre = lastHadDotOrExp ? 2 : 1;
                this.fv[nf] = x;
              }
            } else if (mode === DATE && b.settings.fastDates && p + 10 <= n) {
              const c10 = text.charCodeAt(p + 10);
              if (c10 === D || c10 === LF || c10 === CR || p + 10 === n) {
                const x = fastDate(text, p, p + 10);
                if (!Number.isNaN(x)) {
                  pre = 3;
                  this.fv[nf] = x;
                  p += 10;
                }
              }
            }
          }
          if (pre === 0) {
            while (p < n) {
              c = text.charCodeAt(p);
              if (c === D || c === LF || c === CR) break;
              p++;
            }
          }
          if (nf < this.fk.length) this.fk[nf] = pre;
          e = p;
          if (e - s > maxField) this.tooLong(line, s - lineStart + 1, e - s);
        }
        if (open || nf < expect) {
          if (nf >= this.fs.length) this.growFields();
          this.fs[nf] = s;
          this.fe[nf] = e;
          this.fq[nf] = q;
        } else if (nf === expect && bad === null) {
          bad = `expected ${expect} fields, got more`;
          badLine = line;
          badCol = s - lineStart + (q ? 0 : 1);
        }
        nf++;
        if (p >= n) {
          if (!final) needMore = true;
          break;
        }
        c = text.charCodeAt(p);
        if (c === D) {
          p++;
          continue;
        }
        if (c === LF) {
          p++;
        } else if (c === CR) {
          if (p + 1 >= n && !final) {
            needMore = true;
            break;
          }
          p += text.charCodeAt(p + 1) === LF ? 2 : 1;
        }
        line++;
        lineStart = p;
        break;
      }
      if (needMore) {
        p = rowStart;
        line = rowLine;
        lineStart = rowLineStart;
        this.pos = p;
        this.line = line;
        this.lineStart = lineStart;
        return true;
      }
      if (bad === null && !open && nf !== expect) {
        bad = `expected ${expect} fields, got ${nf}`;
        badLine = rowLine;
        badCol = Math.max(1, (this.fe[nf - 1] ?? rowStart) - rowLineStart + 1);
      }
      if (bad !== null) {
        const raw = text.slice(rowStart, Math.min(p, rowStart + 200)).replace(/\r?\n$/, '');
        this.pos = p;
        this.line = line;
        this.lineStart = lineStart;
        this.onBad({ line: badLine, col: badCol, reason: bad, text: raw });
        continue;
      }
      if (open) {
        this.lastFields = nf;
        this.pos = p;
        this.line = line;
        this.lineStart = lineStart;
        return false;
      }
      if (builders) {
        const fs = this.fs;
        const fe = this.fe;
        const fq = this.fq;
        const fk = this.fk;
        const fv = this.fv;
        for (let j = 0; j < expect; j++) {
          const k = fk[j] as number;
          if (k !== 0) (builders[j] as ColumnBuilder).addParsed(fv[j] as number, k);
          else (builders[j] as ColumnBuilder).add(text, fs[j] as number, fe[j] as number, fq[j] as number);
        }
      }
      this.rows++;
    }
    this.pos = p;
    this.line = line;
    this.lineStart = lineStart;
    return false;
  }

  private tooLong(line: number, col: number, size: number): never {
    throw new TesseraError('E_LIMIT', `line ${line}, column ${col}: field of ${size} characters exceeds option "maxFieldChars" (${this.maxField})`, {
      line,
      col,
      option: 'maxFieldChars',
      size,
    });
  }
}

/**
 * The `E_PARSE` error for a bad row.
 *
 * @internal
 */
export function badRowError(b: BadRow): TesseraError {
  return new TesseraError('E_PARSE', `line ${b.line}, column ${b.col}: ${b.reason}`, { line: b.line, col: b.col, reason: b.reason, text: b.text });
}
