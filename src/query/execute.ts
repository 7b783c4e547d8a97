import { TesseraError, unknownColumn } from '../core/errors.js';
import { type CellValue, type Column, cellValue, Dataset } from '../dataset/index.js';
import { quantileSorted } from '../transform/affine.js';
import { cachedFor } from './cache.js';
import type {
  AdjacentPlan,
  AggregateFn,
  ArithmeticPlan,
  ChoicePlan,
  CompareOp,
  Condition,
  NumberExtract,
  OutputItem,
  PlanValue,
  QueryPlan,
  SelectPlan,
  StreakPlan,
  TimeUnit,
} from './plan.js';

type Truth = boolean | null;

function colOf(ds: Dataset, name: string): Column {
  if (!ds.has(name)) unknownColumn(name, ds.columnNames);
  return ds.column(name);
}

/** Plan value → the comparable JS value for a column of this kind. */
function coerce(col: Column, v: PlanValue): number | string | boolean | null {
  if (typeof v === 'object') {
    const ms = Date.parse(v.date);
    return Number.isNaN(ms) ? null : ms;
  }
  if (col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime') {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  if (col.kind === 'boolean') return typeof v === 'boolean' ? v : v === 'true' || v === 1;
  return String(v);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The number a text holds, read the same way as the SQL compilation does: `number` is the first
 * run matching `[0-9][0-9,]*[.]?[0-9]*` with the commas removed ("7,000 (est.)" → 7000, "2 miles" → 2);
 * `year` is the first four digits starting with 1 or 2 that no other digit touches ("5 July 2001" →
 * 2001); `span` is the second year minus the first, for the first year followed by another year with
 * only non-digits between ("1954–1965" → 11); `duration` is the seconds of the first `m:ss[.f]` or
 * `h:mm:ss[.f]` ("1:08.89" → 68.89). `null` when there is none. Linear in the text's length.
 *
 * @example
 * ```ts
 * extractNumber('7,000 (est.)', 'number'); // 7000
 * extractNumber('March 28, 1991', 'year'); // 1991
 * ```
 */
export function extractNumber(text: string, how: NumberExtract): number | null {
  const n = text.length;
  if (how === 'duration') {
    // the first "m:ss[.f]" or "h:mm:ss[.f]": digits, a colon, two digits (the same leftmost match as the SQL pattern)
    let i = 0;
    while (i < n) {
      if (!isDigitCode(text.charCodeAt(i))) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && isDigitCode(text.charCodeAt(j))) j++;
      if (text[j] === ':' && isDigitCode(text.charCodeAt(j + 1)) && isDigitCode(text.charCodeAt(j + 2))) {
        const a = Number(text.slice(i, j));
        const b = Number(text.slice(j + 1, j + 3));
        let e = j + 3;
        let v = a * 60 + b;
        if (text[e] === ':' && isDigitCode(text.charCodeAt(e + 1)) && isDigitCode(text.charCodeAt(e + 2))) {
          v = a * 3600 + b * 60 + Number(text.slice(e + 1, e + 3));
          e += 3;
        }
        if (text[e] === '.' && isDigitCode(text.charCodeAt(e + 1))) {
          let f = e + 1;
          while (f < n && isDigitCode(text.charCodeAt(f))) f++;
          v += Number(`0.${text.slice(e + 1, f)}`);
        }
        return v;
      }
      i = j;
    }
    return null;
  }
  if (how === 'span') {
    // the first year that is followed (after non-digits only) by another year: "1954–1965" → 11
    for (let i = 0; i + 4 <= n; i++) {
      if (!yearAt(text, i)) continue;
      let j = i + 4;
      while (j < n && !isDigitCode(text.charCodeAt(j))) j++;
      if (j > i + 4 && yearAt(text, j)) return Number(text.slice(j, j + 4)) - Number(text.slice(i, i + 4));
      i = j - 1;
    }
    return null;
  }
  if (how === 'date') return textDate(text);
  if (how === 'year') {
    for (let i = 0; i + 4 <= n; i++) if (yearAt(text, i)) return Number(text.slice(i, i + 4));
    return null;
  }
  let i = 0;
  while (i < n && !isDigitCode(text.charCodeAt(i))) i++;
  if (i >= n) return null;
  let s = '';
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isDigitCode(c)) s += text[i];
    // 'spaced': a single space then three digits continues the number ("98 453")
    else if (
      how === 'spaced' &&
      c === 32 &&
      isDigitCode(text.charCodeAt(i + 1)) &&
      isDigitCode(text.charCodeAt(i + 2)) &&
      isDigitCode(text.charCodeAt(i + 3))
    ) {
      s += text.slice(i + 1, i + 4);
      i += 4;
      continue;
    } else if (c !== 44) break;
    i++;
  }
  if (text[i] === '.') {
    s += '.';
    i++;
    while (i < n && isDigitCode(text.charCodeAt(i))) s += text[i++];
  }
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

const MONTH_KEYS = 'janfebmaraprmayjunjulaugsepoctnovdec';
/**
 * Patterns of a date written as text, tried in this order (the same fixed patterns as the SQL of
 * {@link toSQL}; no nested quantifiers): "October 31, 1959", "31 October 1959", "1959-10-31".
 *
 * @example
 * ```ts
 * new RegExp(TEXT_DATE_PATTERNS.monthFirst).test('october 31, 1959'); // true
 * ```
 */
export const TEXT_DATE_PATTERNS = {
  monthFirst:
    '(^|[^a-z])(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)[.]? +([0-9]{1,2})(st|nd|rd|th)?,? +([12][0-9][0-9][0-9])([^0-9]|$)',
  dayFirst:
    '(^|[^0-9])([0-9]{1,2}) +(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)[.]?,? +([12][0-9][0-9][0-9])([^0-9]|$)',
  iso: '(^|[^0-9])([12][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])([^0-9]|$)',
} as const;
const MONTH_FIRST = new RegExp(TEXT_DATE_PATTERNS.monthFirst);
const DAY_FIRST = new RegExp(TEXT_DATE_PATTERNS.dayFirst);
const ISO_DATE = new RegExp(TEXT_DATE_PATTERNS.iso);

/** The first date written as text in a cell as yyyymmdd, or null (see {@link NumberExtract} `date`). */
function textDate(text: string): number | null {
  const low = text.toLowerCase();
  const mf = MONTH_FIRST.exec(low);
  if (mf) return Number(mf[5]) * 10000 + (MONTH_KEYS.indexOf((mf[2] as string).slice(0, 3)) / 3 + 1) * 100 + Number(mf[3]);
  const df = DAY_FIRST.exec(low);
  if (df) return Number(df[4]) * 10000 + (MONTH_KEYS.indexOf((df[3] as string).slice(0, 3)) / 3 + 1) * 100 + Number(df[2]);
  const iso = ISO_DATE.exec(low);
  if (iso) return Number(iso[2]) * 10000 + Number(iso[3]) * 100 + Number(iso[4]);
  return null;
}

/** Four digits starting with 1 or 2 at `i` that no other digit touches. */
function yearAt(text: string, i: number): boolean {
  const c0 = text.charCodeAt(i);
  if ((c0 !== 49 && c0 !== 50) || (i > 0 && isDigitCode(text.charCodeAt(i - 1)))) return false;
  if (!isDigitCode(text.charCodeAt(i + 1)) || !isDigitCode(text.charCodeAt(i + 2)) || !isDigitCode(text.charCodeAt(i + 3))) return false;
  return !(i + 4 < text.length && isDigitCode(text.charCodeAt(i + 4)));
}

/** A cell read as a number through `extract` (numbers as they are; text parsed). */
function numCell(col: Column, i: number, how: NumberExtract): number | null {
  const v = cellValue(col, i);
  if (v === null) return null;
  if (typeof v === 'number') return how === 'number' || how === 'spaced' ? v : extractNumber(String(v), how);
  if (v instanceof Date) {
    if (how === 'date') return v.getUTCFullYear() * 10000 + (v.getUTCMonth() + 1) * 100 + v.getUTCDate();
    return how === 'year' ? v.getUTCFullYear() : how === 'span' || how === 'duration' ? null : v.getTime();
  }
  return extractNumber(String(v), how);
}

/** Cell as a comparable primitive (datetimes as epoch ms). */
function cell(col: Column, i: number): number | string | boolean | null {
  const v = cellValue(col, i);
  if (v === null) return null;
  if (v instanceof Date) return v.getTime();
  return v;
}

/** A cell compared as it is ({@link cell}) or, with `extract`, as the number read out of it ({@link numCell}). */
function cellAs(col: Column, i: number, extract: NumberExtract | undefined): number | string | boolean | null {
  return extract ? numCell(col, i, extract) : cell(col, i);
}

function cmp(a: number | string | boolean, b: number | string | boolean, op: CompareOp): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

const rowRefs = new WeakMap<Dataset, WeakMap<Condition, number | string | boolean | null>>();
/** The smallest value of a compareRow's column among its anchor rows (computed once per data set and condition). */
function rowRefValue(ds: Dataset, c: Extract<Condition, { type: 'compareRow' }>): number | string | boolean | null {
  return cachedFor(
    rowRefs,
    ds,
    c as Condition,
    () => new WeakMap(),
    () => {
      const col = colOf(ds, c.column);
      let best: number | string | boolean | null = null;
      for (const i of matchRows(ds, c.anchor)) {
        const v = cellAs(col, i, c.extract);
        if (v !== null && (best === null || (c.ref === 'max' ? v > best : v < best))) best = v;
      }
      return best;
    },
  );
}

const firstRows = new WeakMap<Dataset, WeakMap<Condition, number | null>>();
/** The index of the first row matching a rowPosition's anchor (cached per dataset and condition). */
function firstRowOf(ds: Dataset, c: Extract<Condition, { type: 'rowPosition' }>): number | null {
  return cachedFor(
    firstRows,
    ds,
    c as Condition,
    () => new WeakMap(),
    () => matchRows(ds, c.anchor)[0] ?? null,
  );
}

function evalCondition(ds: Dataset, c: Condition, i: number): Truth {
  switch (c.type) {
    case 'and': {
      let out: Truth = true;
      for (const s of c.conditions) {
        const t = evalCondition(ds, s, i);
        if (t === false) return false;
        if (t === null) out = null;
      }
      return out;
    }
    case 'or': {
      let out: Truth = false;
      for (const s of c.conditions) {
        const t = evalCondition(ds, s, i);
        if (t === true) return true;
        if (t === null) out = null;
      }
      return out;
    }
    case 'not': {
      const t = evalCondition(ds, c.condition, i);
      return t === null ? null : !t;
    }
    case 'isEmpty':
      return cell(colOf(ds, c.column), i) === null;
    case 'compareColumns': {
      const x = cellAs(colOf(ds, c.column), i, c.extract);
      const y = cellAs(colOf(ds, c.other), i, c.extract);
      return x === null || y === null ? null : cmp(x, y, c.op);
    }
    case 'rowPosition': {
      const at = firstRowOf(ds, c);
      return at === null ? null : c.op === '<' ? i < at : i > at;
    }
    case 'compareRow': {
      const col = colOf(ds, c.column);
      const ref = rowRefValue(ds, c);
      const v = cellAs(col, i, c.extract);
      return ref === null || v === null ? null : cmp(v, ref, c.op);
    }
    default:
      break;
  }
  const col = colOf(ds, c.column);
  if ((c.type === 'compare' || c.type === 'between') && c.extract) {
    const x = numCell(col, i, c.extract);
    if (x === null) return null;
    if (c.type === 'compare') return typeof c.value === 'number' ? cmp(x, c.value, c.op) : null;
    return typeof c.low === 'number' && typeof c.high === 'number' ? x >= c.low && x <= c.high : null;
  }
  const v = cell(col, i);
  if (v === null) return null;
  switch (c.type) {
    case 'compare': {
      const w = coerce(col, c.value);
      return w === null ? null : cmp(v, w, c.op);
    }
    case 'between': {
      const lo = coerce(col, c.low);
      const hi = coerce(col, c.high);
      return lo === null || hi === null ? null : v >= lo && v <= hi;
    }
    case 'in': {
      let unknown = false;
      for (const x of c.values) {
        const w = coerce(col, x);
        if (w === null) unknown = true;
        else if (w === v) return true;
      }
      return unknown ? null : false;
    }
    case 'contains':
      return c.item ? hasListItem(String(v), c.value) : String(v).toLowerCase().includes(c.value.toLowerCase());
    default:
      return String(v).toLowerCase().startsWith(c.value.toLowerCase());
  }
}

/** Spaces only (as SQL's TRIM and the `' *, *'` pattern of {@link toSQL}), so that engines agree. */
function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return s.slice(a, b);
}

/**
 * Whether a comma-separated list cell has `item` as one of its items (case-insensitive, spaces around
 * items ignored).
 *
 * @example
 * ```ts
 * hasListItem('American, United', 'united'); // true
 * hasListItem('American, United States', 'united'); // false
 * ```
 */
export function hasListItem(cell: string, item: string): boolean {
  if (item.includes(',')) return false;
  const want = trimSpaces(item.toLowerCase());
  for (const p of cell.toLowerCase().split(',')) if (trimSpaces(p) === want) return true;
  return false;
}

/**
 * Row indices matching a condition (SQL semantics: a comparison with a missing value is unknown,
 * and unknown rows are dropped, under `not` too).
 *
 * @example
 * ```ts
 * matchRows(ds, { type: 'compare', column: 'age', op: '>', value: 40 }); // [0, 3, ...]
 * ```
 */
export function matchRows(ds: Dataset, c: Condition | undefined): number[] {
  const out: number[] = [];
  for (let i = 0; i < ds.nrows; i++) if (c === undefined || evalCondition(ds, c, i) === true) out.push(i);
  return out;
}

/** Time bucket number of an epoch-ms value (UTC). */
export function bucketOf(ms: number, unit: TimeUnit): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  switch (unit) {
    case 'year':
      return y;
    case 'quarter':
      return y * 10 + Math.ceil(m / 3);
    case 'month':
      return y * 100 + m;
    default:
      return y * 10000 + m * 100 + d.getUTCDate();
  }
}

function aggregate(ds: Dataset, fn: AggregateFn, column: string | null, rows: readonly number[], extract?: NumberExtract): CellValue {
  if (column === null) return rows.length;
  const col = colOf(ds, column);
  if (extract)
    return aggregateNumbers(
      fn,
      rows.map((i) => numCell(col, i, extract)).filter((v): v is number => v !== null),
    );
  if (fn === 'count') {
    let n = 0;
    for (const i of rows) if (cell(col, i) !== null) n++;
    return n;
  }
  if (fn === 'countDistinct') {
    const s = new Set<number | string | boolean>();
    for (const i of rows) {
      const v = cell(col, i);
      if (v !== null) s.add(v);
    }
    return s.size;
  }
  if (fn === 'min' || fn === 'max') {
    let best: number | string | boolean | null = null;
    let at = -1;
    for (const i of rows) {
      const v = cell(col, i);
      if (v === null) continue;
      if (best === null || (fn === 'min' ? v < best : v > best)) {
        best = v;
        at = i;
      }
    }
    return at < 0 ? null : cellValue(col, at);
  }
  if (col.kind !== 'number' && col.kind !== 'integer' && col.kind !== 'boolean') {
    throw new TesseraError('E_QUERY', `${fn} needs a numeric column; "${column}" is ${col.kind}`, { column });
  }
  const vals: number[] = [];
  for (const i of rows) {
    const v = cell(col, i);
    if (v !== null) vals.push(typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));
  }
  if (vals.length === 0) return null;
  if (fn === 'sum') {
    let s = 0;
    for (const v of vals) s += v;
    return s;
  }
  if (fn === 'avg') {
    let s = 0;
    for (const v of vals) s += v;
    return s / vals.length;
  }
  return quantileSorted(
    vals.sort((a, b) => a - b),
    0.5,
  );
}

function aggregateNumbers(fn: AggregateFn, vals: number[]): CellValue {
  if (fn === 'count') return vals.length;
  if (fn === 'countDistinct') return new Set(vals).size;
  if (vals.length === 0) return null;
  let s = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of vals) {
    s += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (fn === 'sum') return s;
  if (fn === 'avg') return s / vals.length;
  if (fn === 'min') return lo;
  if (fn === 'max') return hi;
  return quantileSorted(
    [...vals].sort((a, b) => a - b),
    0.5,
  );
}

function compareCells(a: CellValue, b: CellValue): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

function itemValue(ds: Dataset, it: OutputItem, rows: readonly number[]): CellValue {
  if (it.type === 'aggregate') return aggregate(ds, it.fn, it.column, rows, it.extract);
  const first = rows[0];
  if (first === undefined) return null;
  const col = colOf(ds, it.column);
  if (it.type === 'column') return cellValue(col, first);
  if (it.extract === 'year') {
    if (it.unit !== 'year')
      throw new TesseraError('E_QUERY', `a bucket read out of text supports the unit "year" only, got "${it.unit}"`, { column: it.column });
    return numCell(col, first, 'year');
  }
  const v = cell(col, first);
  if (v === null) return null;
  if (col.kind !== 'datetime') throw new TesseraError('E_QUERY', `time bucket needs a datetime column; "${it.column}" is ${col.kind}`, { column: it.column });
  return bucketOf(v as number, it.unit);
}

function keyOf(v: CellValue): string {
  if (v === null) return 'n';
  if (v instanceof Date) return `d${v.getTime()}`;
  return `${typeof v}:${String(v)}`;
}

function executeSelect(ds: Dataset, p: SelectPlan): Dataset {
  for (const it of p.items) if (it.column !== null) colOf(ds, it.column);
  let rows = matchRows(ds, p.where);
  const hasAgg = p.items.some((it) => it.type === 'aggregate');
  // Row groups: one per output row.
  let groups: number[][];
  if (p.groupBy.length > 0) {
    const keyItems = p.groupBy.map((g) => {
      const it = p.items.find((x) => x.as === g && x.type !== 'aggregate');
      if (!it) throw new TesseraError('E_QUERY', `group key "${g}" is not an output column`, { column: g });
      return it;
    });
    const map = new Map<string, number[]>();
    groups = [];
    for (const i of rows) {
      let k = '';
      for (const it of keyItems) k += `${keyOf(itemValue(ds, it, [i]))}|`;
      let g = map.get(k);
      if (!g) {
        g = [];
        map.set(k, g);
        groups.push(g);
      }
      g.push(i);
    }
  } else if (hasAgg) groups = [rows];
  else {
    // Plain rows: sort by table columns / row order before projecting.
    if (p.orderBy.length > 0) {
      const keys = p.orderBy.map((k) => {
        if (k.target.type === 'rowOrder') return { get: (i: number): CellValue => i, dir: k.direction };
        const name = k.target.type === 'column' ? k.target.column : outputColumn(p, k.target.name);
        const col = colOf(ds, name);
        const how = k.target.type === 'column' ? k.target.extract : undefined;
        if (how) return { get: (i: number): CellValue => numCell(col, i, how), dir: k.direction };
        return { get: (i: number): CellValue => cellValue(col, i), dir: k.direction };
      });
      rows = [...rows].sort((a, b) => {
        for (const k of keys) {
          const va = k.get(a);
          const vb = k.get(b);
          const c = va === null || vb === null ? compareCells(va, vb) : compareCells(va, vb) * (k.dir === 'desc' ? -1 : 1);
          if (c !== 0) return c;
        }
        return a - b;
      });
    }
    groups = rows.map((i) => [i]);
  }
  let out: CellValue[][] = groups.map((g) => p.items.map((it) => itemValue(ds, it, g)));
  if (p.having) {
    const h = p.having;
    const keep: boolean[] = groups.map((g) => {
      const v = aggregate(ds, h.fn, h.column, g);
      return typeof v === 'number' && cmp(v, h.value, h.op);
    });
    out = out.filter((_, j) => keep[j]);
    groups = groups.filter((_, j) => keep[j]);
  }
  if ((hasAgg || p.groupBy.length > 0) && p.orderBy.length > 0) {
    const idx = out.map((_, j) => j);
    const keys = p.orderBy.map((k) => {
      if (k.target.type === 'rowOrder') return { get: (j: number): CellValue => (groups[j] as number[])[0] ?? null, dir: k.direction };
      const name = k.target.type === 'output' ? k.target.name : k.target.column;
      const at = p.items.findIndex((it) => it.as === name || (k.target.type === 'column' && it.type === 'column' && it.column === name));
      if (at < 0) throw new TesseraError('E_QUERY', `order key "${name}" is not an output column of a grouped plan`, { column: name });
      return { get: (j: number): CellValue => (out[j] as CellValue[])[at] ?? null, dir: k.direction };
    });
    idx.sort((a, b) => {
      for (const k of keys) {
        const va = k.get(a);
        const vb = k.get(b);
        const c = va === null || vb === null ? compareCells(va, vb) : compareCells(va, vb) * (k.dir === 'desc' ? -1 : 1);
        if (c !== 0) return c;
      }
      return a - b;
    });
    out = idx.map((j) => out[j] as CellValue[]);
  }
  if (p.distinct) {
    const seen = new Set<string>();
    out = out.filter((r) => {
      const k = r.map(keyOf).join('|');
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  const start = p.offset ?? 0;
  out = out.slice(start, p.limit === undefined ? undefined : start + p.limit);
  return toDataset(
    p.items.map((it) => it.as),
    out,
  );
}

function outputColumn(p: SelectPlan, name: string): string {
  const it = p.items.find((x) => x.as === name);
  if (!it || it.column === null) throw new TesseraError('E_QUERY', `unknown output column "${name}"`, { column: name });
  return it.column;
}

function toDataset(names: readonly string[], rows: readonly CellValue[][]): Dataset {
  const cols: Record<string, CellValue[]> = Object.create(null);
  names.forEach((n, j) => {
    Object.defineProperty(cols, n, { value: rows.map((r) => r[j] ?? null), enumerable: true });
  });
  return Dataset.from(cols);
}

function scalarOf(d: Dataset): number | null {
  if (d.nrows === 0 || d.ncols === 0) return null;
  const v = d.get(0, d.columnNames[0] as string);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return null;
}

function executeArithmetic(ds: Dataset, p: ArithmeticPlan): Dataset {
  const a = scalarOf(executeSelect(ds, p.left));
  const b = scalarOf(executeSelect(ds, p.right));
  let v: number | null = null;
  if (a !== null && b !== null)
    v = p.op === 'difference' ? a - b : p.op === 'absDifference' ? Math.abs(a - b) : p.op === 'sum' ? a + b : b === 0 ? null : a / b;
  return toDataset([p.as], [[v]]);
}

function executeChoice(ds: Dataset, p: ChoicePlan): Dataset {
  const a = scalarOf(executeSelect(ds, p.left));
  const b = typeof p.right === 'number' ? p.right : scalarOf(executeSelect(ds, p.right));
  const v = a === null || b === null || Number.isNaN(b) ? null : a > b ? p.labels.greater : a < b ? p.labels.less : p.labels.equal;
  return toDataset([p.as], [[v]]);
}

function executeStreak(ds: Dataset, p: StreakPlan): Dataset {
  let best = 0;
  let run = 0;
  for (let i = 0; i < ds.nrows; i++) {
    run = evalCondition(ds, p.condition, i) === true ? run + 1 : 0;
    if (run > best) best = run;
  }
  return toDataset([p.as], [[best]]);
}

function executeAdjacent(ds: Dataset, p: AdjacentPlan): Dataset {
  for (const c of p.columns) colOf(ds, c);
  let order: number[];
  if (p.order.type === 'rowOrder') order = Array.from({ length: ds.nrows }, (_, i) => i);
  else {
    const col = colOf(ds, p.order.column);
    order = [];
    for (let i = 0; i < ds.nrows; i++) if (cell(col, i) !== null) order.push(i);
    order.sort((a, b) => compareCells(cellValue(col, a), cellValue(col, b)) || a - b);
  }
  let at = -1;
  for (let k = 0; k < order.length; k++) {
    if (evalCondition(ds, p.anchor, order[k] as number) === true) {
      at = k;
      break;
    }
  }
  const rows: CellValue[][] = [];
  const j = at < 0 ? -1 : p.direction === 'after' ? at + 1 : at - 1;
  const r = order[j];
  if (j >= 0 && r !== undefined) rows.push(p.columns.map((c) => cellValue(colOf(ds, c), r)));
  return toDataset(p.columns, rows);
}

/**
 * Runs a plan on a Dataset in memory (plain loops over the columns; no code generation), giving
 * a new Dataset. Missing values follow SQL: comparisons with them are unknown, aggregates skip
 * them, and they sort last.
 *
 * @example
 * ```ts
 * import { Dataset, executePlan } from 'tessera';
 * const ds = Dataset.from([{ region: 'north', sales: 5 }, { region: 'south', sales: 7 }]);
 * executePlan({ type: 'select', items: [{ type: 'aggregate', fn: 'sum', column: 'sales', as: 'total' }], groupBy: [], orderBy: [] }, ds).get(0, 'total'); // 12
 * ```
 */
export function executePlan(plan: QueryPlan, ds: Dataset): Dataset {
  switch (plan.type) {
    case 'select':
      return executeSelect(ds, plan);
    case 'arithmetic':
      return executeArithmetic(ds, plan);
    case 'adjacent':
      return executeAdjacent(ds, plan);
    case 'choice':
      return executeChoice(ds, plan);
    case 'streak':
      return executeStreak(ds, plan);
    default:
      throw new TesseraError('E_QUERY', 'unknown plan type');
  }
}
