import { TesseraError } from '../../core/errors.js';
import type { Column, ColumnKind } from '../column.js';
import { Dataset, type DatasetOptions } from '../dataset.js';
import { type Coercion, DEFAULT_MISSING_TOKENS, parseIsoDate, parseNumber } from '../infer.js';
import type { ColumnRole, FieldOverride } from '../schema.js';
import { checkNullable, checkOverrides, checkPositiveInt, type DecodeOptions, decodeText, resolveOverrides, type TextInput } from './common.js';
import { type BadRow, type BadRowHandler, type BuilderSettings, badRowError, ColumnBuilder, ScanState } from './csv-scan.js';

/** Default limit on one field's length in characters (32 Mi): a 10 MB field reads, a runaway quote does not eat all memory. @example `DEFAULT_MAX_FIELD_CHARS // 33554432` */
export const DEFAULT_MAX_FIELD_CHARS = 32 * 1024 * 1024;

const MAX_COLUMNS = 100_000;

/** Delimiters tried by detection, in order of preference on a tie. @example `CSV_DELIMITERS.includes(';')` */
export const CSV_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

/**
 * Options of {@link readCSV}, {@link parseCSV} and {@link readCSVStream}.
 *
 * @example
 * ```ts
 * readCSV(text, { delimiter: ';', missingTokens: ['', '-'], schema: { zip: { kind: 'category' } } });
 * ```
 */
export interface CSVReadOptions extends DatasetOptions, DecodeOptions {
  /** Field delimiter (one character). Default: detected among `,` `;` tab `|` from the first lines. */
  delimiter?: string;
  /**
   * `true` (default): the first record holds the column names. `false`: no header, columns are
   * named `column1`, `column2`, .... An array: these names, and the first record is data.
   */
  header?: boolean | readonly string[];
  /** Whether a quoted field equal to a missing token (e.g. `""` or `"NA"`) is missing too. Default `false`: a quoted field is always a value. */
  quotedMissing?: boolean;
  /** Longest field accepted, in characters; longer throws `E_LIMIT`. Default {@link DEFAULT_MAX_FIELD_CHARS}. */
  maxFieldChars?: number;
  /** Stop after this many data rows. Default: all. */
  maxRows?: number;
  /**
   * Malformed records (ragged, unterminated quote, text after a closing quote): `'error'` (default)
   * throws `E_PARSE` with `details.line` and `details.col` (1-based); a function receives each bad
   * row and reading goes on. ({@link parseCSV} also takes `'skip'`, listing them in its report.)
   */
  onBadRow?: 'error' | BadRowHandler;
}

/**
 * Options of {@link parseCSV}: as {@link CSVReadOptions}, and `onBadRow: 'skip'`.
 *
 * @example
 * ```ts
 * parseCSV(text, { onBadRow: 'skip' }).report.badRows;
 * ```
 */
export interface ParseCSVOptions extends Omit<CSVReadOptions, 'onBadRow'> {
  /** `'skip'` skips malformed records and lists them in `report.badRows`; otherwise as {@link CSVReadOptions.onBadRow}. */
  onBadRow?: 'error' | 'skip' | BadRowHandler;
}

/**
 * A column renamed while reading the header (empty or duplicate name).
 *
 * @example
 * ```ts
 * const r: RenamedColumn = { index: 1, from: 'a', to: 'a_2', reason: 'duplicate' };
 * ```
 */
export interface RenamedColumn {
  /** 0-based position of the column. */
  index: number;
  from: string;
  to: string;
  reason: 'empty' | 'duplicate';
}

/**
 * What {@link parseCSV} found besides the data.
 *
 * @example
 * ```ts
 * const { report } = parseCSV(text, { onBadRow: 'skip' });
 * console.log(report.delimiter, report.rows, report.badRows.length);
 * ```
 */
export interface CSVReport {
  /** The delimiter used (given or detected). */
  delimiter: string;
  /** Data rows read. */
  rows: number;
  /** Lines in the input (1-based number of the last line). */
  lines: number;
  /** Rows skipped as malformed (with `onBadRow: 'skip'` or a handler). */
  badRows: BadRow[];
  /** Columns renamed because their header was empty or repeated. */
  renamedColumns: RenamedColumn[];
}

/**
 * Reads CSV text (RFC 4180) into a {@link Dataset}: quoted fields, doubled quotes, line breaks inside
 * quotes, CRLF, a byte-order mark, delimiter detection, missing tokens, and the same type inference
 * and overrides as {@link Dataset.from}. Bytes are decoded as strict UTF-8 unless `encoding` says
 * otherwise (`E_ENCODING` for invalid bytes). Malformed records throw `E_PARSE` with the 1-based
 * line and column, or go to an `onBadRow` handler.
 *
 * Decisions: an empty input gives an empty Dataset; a header with no rows gives zero-row columns
 * (kind `number`, as for any all-missing column); an empty column name becomes `columnN`
 * (N = 1-based position); a repeated name gets `_2`, `_3`, ...; both are listed by
 * {@link parseCSV}'s report. `__proto__` and `constructor` are ordinary names. Blank lines are
 * skipped (in a one-column file a blank line is a missing value). A quote inside an unquoted field
 * is kept as a character.
 *
 * @example
 * ```ts
 * import { readCSV } from 'tessera';
 * const ds = readCSV('id,region,income\n1,north,52000\n2,"south, east",NA\n');
 * ds.schema.field('income').kind; // 'integer'
 * ds.get(1, 'income');             // null
 * ```
 */
export function readCSV(input: TextInput, options: CSVReadOptions = {}): Dataset {
  if ((options.onBadRow as unknown) === 'skip') {
    throw new TesseraError('E_OPTION', `option "onBadRow": 'skip' would lose the skipped rows here; use parseCSV (which reports them) or pass a function`, {
      option: 'onBadRow',
    });
  }
  return parseCSV(input, options).dataset;
}

/**
 * As {@link readCSV}, and also returns a {@link CSVReport}: the delimiter used, row and line counts,
 * the rows skipped with `onBadRow: 'skip'` (line, column, reason, text), and renamed columns.
 *
 * @example
 * ```ts
 * import { parseCSV } from 'tessera';
 * const { dataset, report } = parseCSV('a,b\n1,2\n3\n4,5\n', { onBadRow: 'skip' });
 * dataset.nrows;           // 2
 * report.badRows[0]?.line; // 3
 * ```
 */
export function parseCSV(input: TextInput, options: ParseCSVOptions = {}): { dataset: Dataset; report: CSVReport } {
  const text = decodeText(input, options);
  const badRows: BadRow[] = [];
  const reader = new CSVTextReader(options, badRows);
  const head = reader.start(text, true);
  if (head === 'empty') {
    return { dataset: Dataset.empty(), report: { delimiter: reader.delimiterChar, rows: 0, lines: 0, badRows, renamedColumns: [] } };
  }
  const maxRows = options.maxRows === undefined ? Number.POSITIVE_INFINITY : checkPositiveInt('maxRows', options.maxRows, 2 ** 31);
  const { columns, coercions, rows } = reader.readRows(text, reader.state.pos, reader.state.line, reader.state.lineStart, true, maxRows, 0);
  checkNullable(columns, reader.overrides);
  const dataset = Dataset.fromColumnList(columns, reader.roles, coercions);
  return {
    dataset,
    report: {
      delimiter: reader.delimiterChar,
      rows,
      lines: reader.state.lineStart >= text.length ? reader.state.line - 1 : reader.state.line,
      badRows,
      renamedColumns: reader.renamed,
    },
  };
}

/**
 * The machinery shared by the one-shot and streaming CSV readers: options, header, delimiter, and
 * reading a run of records into columns.
 *
 * @internal
 */
export class CSVTextReader {
  readonly settings: BuilderSettings;
  readonly overrides: Record<string, FieldOverride>;
  roles: Record<string, ColumnRole> = {};
  names: string[] = [];
  renamed: RenamedColumn[] = [];
  delimiterChar = ',';
  state!: ScanState;
  readonly maxField: number;
  private readonly onBad: (b: BadRow) => void;

  constructor(
    readonly options: ParseCSVOptions,
    badRows: BadRow[],
  ) {
    const missing = options.missingTokens ?? DEFAULT_MISSING_TOKENS;
    if (!Array.isArray(missing) || missing.some((t) => typeof t !== 'string')) {
      throw new TesseraError('E_OPTION', 'option "missingTokens" must be an array of strings', { option: 'missingTokens' });
    }
    const maxCategories = options.maxCategories ?? 1000;
    if (!Number.isInteger(maxCategories) || maxCategories < 0) {
      throw new TesseraError('E_OPTION', `option "maxCategories" must be a non-negative integer, got ${maxCategories}`, { option: 'maxCategories' });
    }
    const onInvalid = options.onInvalid ?? 'error';
    if (onInvalid !== 'error' && onInvalid !== 'null') {
      throw new TesseraError('E_OPTION', `option "onInvalid" must be 'error' or 'null', got ${String(onInvalid)}`, { option: 'onInvalid' });
    }
    this.settings = {
      missing: new Set(missing),
      fastNumbers: !missing.some((t) => parseNumber(t) !== undefined),
      fastDates: !missing.some((t) => parseIsoDate(t) !== undefined),
      quotedMissing: options.quotedMissing === true,
      maxCategories,
      onInvalid,
    };
    this.maxField = options.maxFieldChars === undefined ? DEFAULT_MAX_FIELD_CHARS : checkPositiveInt('maxFieldChars', options.maxFieldChars, 2 ** 30);
    const ob = options.onBadRow ?? 'error';
    if (ob === 'error') {
      this.onBad = (b) => {
        throw badRowError(b);
      };
    } else if (ob === 'skip') this.onBad = (b) => badRows.push(b);
    else if (typeof ob === 'function') {
      this.onBad = (b) => {
        badRows.push(b);
        ob(b);
      };
    } else throw new TesseraError('E_OPTION', `option "onBadRow" must be 'error', 'skip' or a function, got ${String(ob)}`, { option: 'onBadRow' });
    if (options.delimiter !== undefined) {
      const d = options.delimiter;
      if (typeof d !== 'string' || d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
        throw new TesseraError('E_OPTION', `option "delimiter" must be one character other than a quote or line break, got ${JSON.stringify(d)}`, {
          option: 'delimiter',
        });
      }
      this.delimiterChar = d;
    }
    const h = options.header;
    if (h !== undefined && typeof h !== 'boolean' && !(Array.isArray(h) && h.every((x) => typeof x === 'string'))) {
      throw new TesseraError('E_OPTION', 'option "header" must be true, false or an array of column names', { option: 'header' });
    }
    this.overrides = resolveOverrides(options.schema);
  }

  /**
   * Detects the delimiter and reads the header from the start of `text`. Returns `'empty'` when the
   * text holds no record, `'more'` when the header is incomplete and `final` is false, else `'ok'`.
   */
  start(text: string, final: boolean): 'empty' | 'more' | 'ok' {
    if (this.options.delimiter === undefined) this.delimiterChar = detectDelimiter(text);
    const header = this.options.header ?? true;
    const throwBad = (b: BadRow): void => {
      throw badRowError(b);
    };
    this.state = new ScanState(this.delimiterChar.charCodeAt(0), -1, this.maxField, throwBad);
    const st = this.state;
    if (Array.isArray(header)) {
      this.setNames(header.map(String));
    } else {
      const more = st.scan(text, final, null, 1);
      if (more) return 'more';
      if (st.lastFields === 0) return 'empty';
      const fields: string[] = [];
      for (let j = 0; j < st.lastFields; j++) fields.push(st.field(text, j));
      if (header === true) this.setNames(fields);
      else {
        this.setNames(fields.map((_, j) => `column${j + 1}`));
        // the first record is data: scan it again as data
        st.pos = 0;
        st.line = 1;
        st.lineStart = 0;
      }
    }
    const fresh = new ScanState(st.delim, this.names.length, this.maxField, this.onBad);
    fresh.pos = st.pos;
    fresh.line = st.line;
    fresh.lineStart = st.lineStart;
    this.state = fresh;
    return 'ok';
  }

  private setNames(raw: readonly string[]): void {
    if (raw.length === 0) throw new TesseraError('E_PARSE', 'the header has no column names', { line: 1, col: 1 });
    if (raw.length > MAX_COLUMNS) {
      throw new TesseraError('E_LIMIT', `the header has ${raw.length} columns, more than a Dataset holds (${MAX_COLUMNS})`, { line: 1, count: raw.length });
    }
    const names: string[] = [];
    const used = new Set<string>(raw);
    const seen = new Set<string>();
    raw.forEach((r, j) => {
      let name = r;
      let reason: RenamedColumn['reason'] | undefined;
      if (name === '') {
        reason = 'empty';
        name = `column${j + 1}`;
      } else if (seen.has(name)) reason = 'duplicate';
      if (seen.has(name)) {
        let k = 2;
        while (used.has(`${r || name}_${k}`) || seen.has(`${r || name}_${k}`)) k++;
        name = `${r || name}_${k}`;
      }
      if (reason) this.renamed.push({ index: j, from: r, to: name, reason });
      seen.add(name);
      used.add(name);
      names.push(name);
    });
    this.names = names;
    this.roles = checkOverrides(names, this.overrides, this.options.roles);
  }

  /** New builders, one per column (`skip` marks the columns a second pass ignores). */
  builders(capacity: number, only?: ReadonlySet<number>, forced?: ReadonlyMap<string, ColumnKind>): ColumnBuilder[] {
    return this.names.map((name, j) => {
      const o = Object.hasOwn(this.overrides, name) ? this.overrides[name] : undefined;
      if (only) return new ColumnBuilder(name, this.settings, 'text', capacity, !only.has(j));
      return new ColumnBuilder(name, this.settings, o?.kind ?? forced?.get(name), capacity);
    });
  }

  /**
   * Reads records from `pos` to the end of `text` (or `maxRows` rows) into columns, with the second
   * pass for columns whose first guess failed. `rowOffset` shifts the row numbers in reports.
   */
  readRows(
    text: string,
    pos: number,
    line: number,
    lineStart: number,
    final: boolean,
    maxRows: number,
    rowOffset: number,
    forced?: ReadonlyMap<string, ColumnKind>,
  ): { columns: Column[]; coercions: Coercion[]; rows: number } {
    const st = new ScanState(this.delimiterChar.charCodeAt(0), this.names.length, this.maxField, this.onBad);
    st.pos = pos;
    st.line = line;
    st.lineStart = lineStart;
    // initial column capacity from the line length in the first 64 KiB (capped; arrays grow by doubling)
    const sampleEnd = Math.min(text.length, pos + 65536);
    let lines = 0;
    for (let i = text.indexOf('\n', pos); i >= 0 && i < sampleEnd; i = text.indexOf('\n', i + 1)) lines++;
    const perLine = lines > 0 ? (sampleEnd - pos) / lines : Math.max(64, sampleEnd - pos);
    const est = Math.min(Number.isFinite(maxRows) ? maxRows : 2 ** 30, 1 << 22, Math.ceil(((text.length - pos) / perLine) * 1.05) + 16);
    const builders = this.builders(est, undefined, forced);
    st.scan(text, final, builders, maxRows);
    this.state = st;
    const rows = st.rows;
    const again = new Set<number>();
    let prefixRows = 0;
    builders.forEach((b, j) => {
      if (b.needsPrefix()) {
        again.add(j);
        prefixRows = Math.max(prefixRows, b.rawStart);
      }
    });
    if (again.size > 0) {
      const st2 = new ScanState(st.delim, this.names.length, this.maxField, () => {});
      st2.pos = pos;
      st2.line = line;
      st2.lineStart = lineStart;
      const second = this.builders(prefixRows, again);
      st2.scan(text, true, second, prefixRows);
      for (const j of again) (builders[j] as ColumnBuilder).setPrefix((second[j] as ColumnBuilder).raw);
    }
    const columns: Column[] = [];
    const coercions: Coercion[] = [];
    for (const b of builders) {
      const built = b.finish(rowOffset);
      columns.push(built.column);
      coercions.push(...built.coercions);
    }
    return { columns, coercions, rows };
  }
}

/**
 * Picks the delimiter among `,` `;` tab `|` from the first lines (at most 64 KiB, quotes respected):
 * the candidate found the same number of times on every sampled line, most often; else the one
 * most frequent on the first line; `,` when none appears.
 *
 * @example
 * ```ts
 * detectDelimiter('a;b;c\n1;2;3\n'); // ';'
 * ```
 */
export function detectDelimiter(text: string): string {
  const limit = Math.min(text.length, 65536);
  const counts: number[][] = CSV_DELIMITERS.map(() => []);
  const cur = CSV_DELIMITERS.map(() => 0);
  const codes = CSV_DELIMITERS.map((d) => d.charCodeAt(0));
  let inQuote = false;
  let lines = 0;
  let lineHasContent = false;
  for (let i = 0; i < limit && lines < 20; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      inQuote = !inQuote;
      lineHasContent = true;
    } else if (!inQuote && (c === 10 || c === 13)) {
      if (lineHasContent) {
        for (let k = 0; k < codes.length; k++) {
          (counts[k] as number[]).push(cur[k] as number);
          cur[k] = 0;
        }
        lines++;
      }
      lineHasContent = false;
    } else if (!inQuote) {
      lineHasContent = true;
      const k = codes.indexOf(c);
      if (k >= 0) cur[k] = (cur[k] as number) + 1;
    }
  }
  if (lineHasContent && lines < 20) for (let k = 0; k < codes.length; k++) (counts[k] as number[]).push(cur[k] as number);
  let best = -1;
  let bestCount = 0;
  for (let k = 0; k < codes.length; k++) {
    const cs = counts[k] as number[];
    const first = cs[0] ?? 0;
    if (first > 0 && cs.every((x) => x === first) && first > bestCount) {
      best = k;
      bestCount = first;
    }
  }
  if (best < 0) {
    for (let k = 0; k < codes.length; k++) {
      const first = (counts[k] as number[])[0] ?? 0;
      if (first > bestCount) {
        best = k;
        bestCount = first;
      }
    }
  }
  return best < 0 ? ',' : (CSV_DELIMITERS[best] as string);
}
