import { TesseraError } from '../../core/errors.js';
import type { Column } from '../column.js';
import type { Dataset } from '../dataset.js';
import { DEFAULT_MISSING_TOKENS } from '../infer.js';

/**
 * Options of {@link writeCSV}.
 *
 * @example
 * ```ts
 * writeCSV(ds, { delimiter: ';', missing: 'NA', newline: '\r\n' });
 * ```
 */
export interface CSVWriteOptions {
  /** Field delimiter (one character). Default `,`. */
  delimiter?: string;
  /** Write the column names first. Default `true`. */
  header?: boolean;
  /** What a missing cell is written as (unquoted). Default `''` (empty field). */
  missing?: string;
  /** Record separator. Default `\n`. */
  newline?: '\n' | '\r\n';
  /**
   * Strings that a reader would take as missing: a text or category value equal to one of them is
   * quoted so that it reads back as a value. Default {@link DEFAULT_MISSING_TOKENS}.
   */
  missingTokens?: readonly string[];
  /** Rows per chunk yielded by {@link csvChunks}. Default 10000. */
  chunkRows?: number;
}

/**
 * Writes a Dataset as CSV text (RFC 4180): a field is quoted when it holds the delimiter (or any of
 * `,` `;` tab `|`, so that delimiter detection reads the file back right), a quote, a line break, or (for text and category values) when it is empty or equals a missing token, so
 * that {@link readCSV} reads every value back unchanged. Missing cells are written as `missing`
 * (default empty); numbers in their shortest exact form (`-0`, `Infinity` kept); datetimes as ISO
 * 8601 in UTC (`2024-03-01T10:00:00.000Z`, or `2024-03-01` when every value of the column is at
 * midnight UTC); booleans as `true`/`false`.
 *
 * @example
 * ```ts
 * import { Dataset, writeCSV } from 'tessera';
 * writeCSV(Dataset.from([{ a: 1, b: 'x, y' }, { a: null, b: 'NA' }]));
 * // 'a,b\n1,"x, y"\n,"NA"\n'
 * ```
 */
export function writeCSV(ds: Dataset, options: CSVWriteOptions = {}): string {
  let out = '';
  for (const chunk of csvChunks(ds, options)) out += chunk;
  return out;
}

/**
 * The CSV text of a Dataset in pieces of `chunkRows` rows (header first), for writing a large
 * Dataset to a stream without building one big string. Same format as {@link writeCSV}.
 *
 * @example
 * ```ts
 * for (const piece of csvChunks(ds, { chunkRows: 5000 })) stream.write(piece);
 * ```
 */
export function* csvChunks(ds: Dataset, options: CSVWriteOptions = {}): Generator<string> {
  const delim = options.delimiter ?? ',';
  if (typeof delim !== 'string' || delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new TesseraError('E_OPTION', `option "delimiter" must be one character other than a quote or line break, got ${JSON.stringify(delim)}`, {
      option: 'delimiter',
    });
  }
  const nl = options.newline ?? '\n';
  if (nl !== '\n' && nl !== '\r\n') throw new TesseraError('E_OPTION', `option "newline" must be '\\n' or '\\r\\n'`, { option: 'newline' });
  const missing = options.missing ?? '';
  if (typeof missing !== 'string' || /["\r\n]/.test(missing) || missing.includes(delim)) {
    throw new TesseraError('E_OPTION', `option "missing" must be a string without quotes, line breaks or the delimiter`, { option: 'missing' });
  }
  const chunkRows = options.chunkRows ?? 10000;
  if (!Number.isInteger(chunkRows) || chunkRows < 1)
    throw new TesseraError('E_OPTION', 'option "chunkRows" must be a positive integer', { option: 'chunkRows' });
  const tokens = new Set(options.missingTokens ?? DEFAULT_MISSING_TOKENS);
  tokens.add(missing);
  const cols = ds.columns();
  if (cols.length === 0) return;
  // a field holding any delimiter a reader may detect is quoted too, so detection sees only the real one
  const special = new RegExp(`[",;\t|\r\n${delim === ']' || delim === '\\' || delim === '^' || delim === '-' ? `\\${delim}` : delim}]`);
  const needsQuote = (s: string): boolean => special.test(s);
  const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;
  const stringCell = (s: string): string => (s === '' || tokens.has(s) || needsQuote(s) ? quote(s) : s);
  if (options.header ?? true) {
    yield cols.map((c) => (c.name === '' || needsQuote(c.name) ? quote(c.name) : c.name)).join(delim) + nl;
  }
  // a category's dictionary is formatted once
  const formatted = cols.map((c) => (c.kind === 'category' ? c.dictionary.map(stringCell) : null));
  // a datetime column whose values all fall on midnight UTC is written as dates (YYYY-MM-DD)
  const dateOnly = cols.map(
    (c) => c.kind === 'datetime' && c.values.every((v) => Number.isNaN(v) || (v % 86400000 === 0 && v >= -62167219200000 && v <= 253402214400000)),
  );
  const n = ds.nrows;
  for (let start = 0; start < n; start += chunkRows) {
    const end = Math.min(n, start + chunkRows);
    const lines = new Array<string>(end - start);
    for (let i = start; i < end; i++) {
      let line = '';
      for (let j = 0; j < cols.length; j++) {
        if (j > 0) line += delim;
        line += cell(cols[j] as Column, i, missing, formatted[j] ?? null, stringCell, dateOnly[j] === true);
      }
      lines[i - start] = line;
    }
    yield lines.join(nl) + nl;
  }
}

function cell(c: Column, i: number, missing: string, dict: string[] | null, stringCell: (s: string) => string, dateOnly: boolean): string {
  switch (c.kind) {
    case 'category': {
      const code = c.codes[i] as number;
      return code < 0 ? missing : ((dict as string[])[code] as string);
    }
    case 'text': {
      const v = c.values[i];
      return v == null ? missing : stringCell(v);
    }
    case 'boolean': {
      const v = c.values[i] as number;
      return v < 0 ? missing : v === 1 ? 'true' : 'false';
    }
    case 'datetime': {
      const v = c.values[i] as number;
      if (Number.isNaN(v)) return missing;
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) {
        throw new TesseraError('E_NON_FINITE', `column "${c.name}", row ${i}: ${v} is not a representable date`, { column: c.name, row: i });
      }
      return dateOnly ? d.toISOString().slice(0, 10) : d.toISOString();
    }
    default: {
      const v = c.values[i] as number;
      if (Number.isNaN(v)) return missing;
      return v === 0 && 1 / v < 0 ? '-0' : String(v);
    }
  }
}
