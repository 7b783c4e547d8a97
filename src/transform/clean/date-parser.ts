import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import { makeColumn } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { FittedCleaner, fitColumns, stateColumns, stringValues } from './common.js';

/** Date formats {@link DateParser} recognises. @example `const f: DateFormat = 'dmy';` */
export type DateFormat = 'iso' | 'ymd' | 'dmy' | 'mdy' | 'mon-d-y' | 'd-mon-y';
const FORMATS: readonly DateFormat[] = ['iso', 'ymd', 'dmy', 'mdy', 'mon-d-y', 'd-mon-y'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// Anchored, no nested quantifiers: linear time. Inputs longer than 64 characters are not dates.
const RE_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const RE_YMD = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const RE_NUM3 = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const RE_MON_D_Y = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/;
const RE_D_MON_Y = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{2}|\d{4})$/;

function year(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
}
function month(name: string): number {
  const k = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return k < 0 ? -1 : k + 1;
}
function utc(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const t = Date.UTC(y, m - 1, d, hh, mm, ss);
  const back = new Date(t);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== m - 1) return undefined;
  return t;
}

/**
 * Parses one date string in a format (UTC; ISO strings with an offset keep it). Returns epoch ms
 * or `undefined`.
 *
 * @example
 * ```ts
 * parseDate('31/12/2024', 'dmy'); // 1735603200000
 * parseDate('Jun 12 1998', 'mon-d-y');
 * ```
 */
export function parseDate(s: string, format: DateFormat): number | undefined {
  const t = s.trim();
  if (t.length > 64) return undefined;
  let m: RegExpExecArray | null;
  switch (format) {
    case 'iso': {
      m = RE_ISO.exec(t);
      if (!m) return undefined;
      const base = utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
      if (base === undefined) return undefined;
      if (!m[4]) return base;
      const ms = Date.parse(m[8] ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`);
      return Number.isNaN(ms) ? undefined : ms;
    }
    case 'ymd':
      m = RE_YMD.exec(t);
      return m ? utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) : undefined;
    case 'dmy':
    case 'mdy': {
      m = RE_NUM3.exec(t);
      if (!m) return undefined;
      const a = Number(m[1]);
      const b = Number(m[2]);
      const [d, mo] = format === 'dmy' ? [a, b] : [b, a];
      return utc(year(m[3] as string), mo, d, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    }
    case 'mon-d-y':
      m = RE_MON_D_Y.exec(t);
      return m ? utc(Number(m[3]), month(m[1] as string), Number(m[2])) : undefined;
    case 'd-mon-y':
      m = RE_D_MON_Y.exec(t);
      return m ? utc(year(m[3] as string), month(m[2] as string), Number(m[1])) : undefined;
  }
}

const Options = z
  .object({
    /** Columns to parse; default: every category/text column where one format parses at least `minShare` of the values. */
    columns: z.array(z.string()).optional(),
    /** Formats to try, in order of preference. Default: all. */
    formats: z
      .array(z.enum(FORMATS as [DateFormat, ...DateFormat[]]))
      .min(1)
      .default([...FORMATS]),
    /** When both day-first and month-first read every value (e.g. 03/04/2024): day first? Default false (as pandas). */
    dayFirst: z.boolean().default(false),
    /** Share of non-missing values a format must parse for a column to be chosen. Default 0.9. */
    minShare: z.number().gt(0).max(1).default(0.9),
  })
  .strict();

/** Options of {@link DateParser}. @example `const o: DateParserOptions = { dayFirst: true };` */
export type DateParserOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };

/**
 * Parses date strings in common formats (ISO 8601, `2024/12/31`, `31/12/2024`, `12/31/2024`,
 * `Jun 12 1998`, `12-Jun-98`) into datetime columns. `fit` picks, per column, the format that
 * reads the most values (day-first vs month-first decided by the values, else `dayFirst`);
 * values that do not parse become missing and are reported by `transformWithReport`.
 *
 * @example
 * ```ts
 * import { Dataset, DateParser } from 'tessera';
 * const ds = Dataset.from({ day: ['31/12/2024', '01/02/2025'] });
 * const fitted = await new DateParser().fit(ds);
 * fitted.formats;                              // { day: 'dmy' }
 * fitted.transform(ds).column('day').kind;     // 'datetime'
 * ```
 */
export class DateParser implements Transform<FittedDateParser> {
  readonly kind = 'transform' as const;
  readonly type = 'DateParser';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: DateParserOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedDateParser> {
    const cols = fitColumns(ds, this.params.columns, ['category', 'text'], this.type, options);
    const chosen: Record<string, DateFormat> = {};
    for (const name of cols) {
      const values = stringValues(ds.column(name)).filter((v): v is string => v !== null);
      const distinct = [...new Set(values)].slice(0, 10_000);
      let best: DateFormat | undefined;
      let bestN = 0;
      for (const f of this.params.formats) {
        let n = 0;
        for (const v of distinct) if (parseDate(v, f) !== undefined) n++;
        const tie = n === bestN && n > 0;
        const better =
          n > bestN || (tie && f === 'dmy' && best === 'mdy' && this.params.dayFirst) || (tie && f === 'mdy' && best === 'dmy' && !this.params.dayFirst);
        if (better) {
          best = f;
          bestN = n;
        }
      }
      if (best && bestN >= this.params.minShare * distinct.length) Object.defineProperty(chosen, name, { value: best, enumerable: true, writable: true });
      else if (this.params.columns) {
        throw new TesseraError(
          'E_PARSE',
          `DateParser: column "${name}" has no date format reading ${this.params.minShare * 100}% of its values (best: ${best ?? 'none'}, ${bestN} of ${distinct.length})`,
          { column: name },
        );
      }
    }
    return new FittedDateParser(this.params, Object.keys(chosen), { formats: chosen });
  }
}

/**
 * A fitted {@link DateParser}: `formats` holds the format chosen per column.
 *
 * @example
 * ```ts
 * fitted.transformWithReport(ds).report; // [{ column: 'day', format: 'dmy', failed: 0, rows: [] }]
 * ```
 */
export class FittedDateParser extends FittedCleaner<Params, { formats: Record<string, DateFormat> }> {
  readonly type = 'FittedDateParser';
  constructor(params: Params, columns: readonly string[], state: { formats: Record<string, DateFormat> }) {
    super(params, TAGS, columns, state);
  }
  /** The format chosen per column. */
  get formats(): Record<string, DateFormat> {
    return { ...this.state.formats };
  }
  protected apply(ds: Dataset): Dataset {
    return this.transformWithReport(ds).dataset;
  }
  /** Transforms and reports the cells that did not parse (they became missing). */
  transformWithReport(ds: Dataset): { dataset: Dataset; report: Array<{ column: string; format: DateFormat; failed: number; rows: number[] }> } {
    let out = ds;
    const report: Array<{ column: string; format: DateFormat; failed: number; rows: number[] }> = [];
    for (const name of this.inputColumns) {
      const format = this.state.formats[name] as DateFormat;
      const values = stringValues(ds.column(name));
      const ms = new Float64Array(values.length).fill(Number.NaN);
      const rows: number[] = [];
      values.forEach((v, i) => {
        if (v === null) return;
        const t = parseDate(v, format);
        if (t === undefined) rows.push(i);
        else ms[i] = t;
      });
      report.push({ column: name, format, failed: rows.length, rows });
      out = out.withColumn(name, makeColumn(name, 'datetime', { values: ms }));
    }
    return { dataset: out, report };
  }
  /** Restores from {@link FittedDateParser.toJSON} output. */
  static fromJSON(json: Serialized): FittedDateParser {
    const { params, state } = expectType<{ columns: string[]; formats: Record<string, DateFormat> }, Params>(json, 'FittedDateParser');
    return new FittedDateParser(parseOptions(Options, params, 'DateParser'), stateColumns(state, 'FittedDateParser'), { formats: { ...state.formats } });
  }
}

registerLoader('FittedDateParser', 1, FittedDateParser.fromJSON);
