import { TesseraError } from '../../core/errors.js';
import { cellValue } from '../column.js';
import { Dataset, type DatasetOptions } from '../dataset.js';
import type { Coercion } from '../infer.js';
import { type DecodeOptions, decodeText, type TextInput } from './common.js';
import type { BadRow, BadRowHandler } from './csv-scan.js';

/**
 * Options of {@link readJSON} and the NDJSON readers.
 *
 * @example
 * ```ts
 * readJSON(text, { schema: { id: { role: 'id' } } });
 * ```
 */
export interface JSONReadOptions extends DatasetOptions, DecodeOptions {}

/**
 * Options of {@link readNDJSON} and {@link readNDJSONStream}.
 *
 * @example
 * ```ts
 * readNDJSON(text, { onBadRow: (b) => console.warn(b.line, b.reason) });
 * ```
 */
export interface NDJSONReadOptions extends JSONReadOptions {
  /** A line that is not a JSON object: `'error'` (default) throws `E_PARSE` with its line; a function receives it and reading goes on. */
  onBadRow?: 'error' | BadRowHandler;
  /** Longest line accepted, in characters (`E_LIMIT` beyond). Default 32 Mi. */
  maxLineChars?: number;
}

/**
 * Options of {@link parseNDJSON}: as {@link NDJSONReadOptions}, and `onBadRow: 'skip'`.
 *
 * @example
 * ```ts
 * parseNDJSON(text, { onBadRow: 'skip' }).report.badRows;
 * ```
 */
export interface ParseNDJSONOptions extends Omit<NDJSONReadOptions, 'onBadRow'> {
  onBadRow?: 'error' | 'skip' | BadRowHandler;
}

/**
 * Options of {@link writeJSON} and {@link writeNDJSON}.
 *
 * @example
 * ```ts
 * writeJSON(ds, { nonFinite: 'null', space: 2 });
 * ```
 */
export interface JSONWriteOptions {
  /** JSON has no `Infinity`: `'error'` (default) throws `E_NON_FINITE` naming column and row; `'null'` writes `null`. */
  nonFinite?: 'error' | 'null';
  /** Indentation for {@link writeJSON} (as `JSON.stringify`). Default none. */
  space?: number;
}

/**
 * Reads a JSON array of objects into a {@link Dataset} (same inference and overrides as
 * {@link Dataset.fromRows}). ISO date strings become datetimes; nested objects and arrays are kept
 * as their JSON text (reported in `coercions`). Invalid JSON throws `E_PARSE`; a top level that is
 * not an array of objects throws `E_PARSE` naming the element.
 *
 * @example
 * ```ts
 * import { readJSON } from 'tessera';
 * readJSON('[{"a": 1, "b": "x"}, {"a": 2, "b": null}]').nrows; // 2
 * ```
 */
export function readJSON(input: TextInput, options: JSONReadOptions = {}): Dataset {
  const text = decodeText(input, options);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new TesseraError('E_PARSE', `invalid JSON: ${(e as Error).message.slice(0, 200)}`, {}, { cause: e });
  }
  if (!Array.isArray(data)) throw new TesseraError('E_PARSE', `expected a JSON array of objects, got ${describe(data)}`, { expected: 'array' });
  for (let i = 0; i < data.length; i++) {
    if (!isPlainRow(data[i])) throw new TesseraError('E_PARSE', `element ${i} is ${describe(data[i])}, expected an object`, { row: i });
  }
  return rowsToDataset(data as Record<string, unknown>[], options, 0);
}

/**
 * Writes a Dataset as a JSON array of objects (missing → `null`, datetimes → ISO strings).
 *
 * @example
 * ```ts
 * writeJSON(Dataset.from({ a: [1, null] })); // '[{"a":1},{"a":null}]'
 * ```
 */
export function writeJSON(ds: Dataset, options: JSONWriteOptions = {}): string {
  const rows = rowObjects(ds, options);
  return JSON.stringify(rows, null, options.space);
}

/**
 * Reads newline-delimited JSON (one object per line; blank lines skipped) into a {@link Dataset}.
 * A line that is not a JSON object throws `E_PARSE` with its 1-based line, or goes to an
 * `onBadRow` handler.
 *
 * @example
 * ```ts
 * import { readNDJSON } from 'tessera';
 * readNDJSON('{"a":1}\n{"a":2}\n').nrows; // 2
 * ```
 */
export function readNDJSON(input: TextInput, options: NDJSONReadOptions = {}): Dataset {
  if ((options.onBadRow as unknown) === 'skip') {
    throw new TesseraError('E_OPTION', `option "onBadRow": 'skip' would lose the skipped lines here; use parseNDJSON (which reports them) or pass a function`, {
      option: 'onBadRow',
    });
  }
  return parseNDJSON(input, options).dataset;
}

/**
 * As {@link readNDJSON}, and also returns a report: rows, lines, and the lines skipped with
 * `onBadRow: 'skip'`.
 *
 * @example
 * ```ts
 * const { dataset, report } = parseNDJSON('{"a":1}\nnot json\n', { onBadRow: 'skip' });
 * report.badRows[0]?.line; // 2
 * ```
 */
export function parseNDJSON(
  input: TextInput,
  options: ParseNDJSONOptions = {},
): { dataset: Dataset; report: { rows: number; lines: number; badRows: BadRow[] } } {
  const text = decodeText(input, options);
  const badRows: BadRow[] = [];
  const lines = new NDJSONLines(options, badRows);
  const rows: Record<string, unknown>[] = [];
  lines.push(text, true, rows);
  return { dataset: rowsToDataset(rows, options, 0), report: { rows: rows.length, lines: lines.line - 1, badRows } };
}

/**
 * Writes a Dataset as newline-delimited JSON, one object per row, each line ending in `\n`.
 *
 * @example
 * ```ts
 * writeNDJSON(Dataset.from({ a: [1, 2] })); // '{"a":1}\n{"a":2}\n'
 * ```
 */
export function writeNDJSON(ds: Dataset, options: JSONWriteOptions = {}): string {
  let out = '';
  for (const r of rowObjects(ds, options)) out += `${JSON.stringify(r)}\n`;
  return out;
}

/**
 * Splits NDJSON text into row objects, line by line, keeping an incomplete last line for the next
 * piece (streaming).
 *
 * @internal
 */
export class NDJSONLines {
  line = 1;
  private rest = '';
  private readonly onBad: (b: BadRow) => void;
  private readonly maxLine: number;

  constructor(options: ParseNDJSONOptions, badRows: BadRow[]) {
    const ob = options.onBadRow ?? 'error';
    this.maxLine = options.maxLineChars ?? 32 * 1024 * 1024;
    if (!Number.isInteger(this.maxLine) || this.maxLine < 1) {
      throw new TesseraError('E_OPTION', 'option "maxLineChars" must be a positive integer', { option: 'maxLineChars' });
    }
    if (ob === 'error') {
      this.onBad = (b) => {
        throw new TesseraError('E_PARSE', `line ${b.line}: ${b.reason}`, { line: b.line, col: b.col, reason: b.reason, text: b.text });
      };
    } else if (ob === 'skip') this.onBad = (b) => badRows.push(b);
    else if (typeof ob === 'function') {
      this.onBad = (b) => {
        badRows.push(b);
        ob(b);
      };
    } else throw new TesseraError('E_OPTION', `option "onBadRow" must be 'error', 'skip' or a function, got ${String(ob)}`, { option: 'onBadRow' });
  }

  /** Parses the complete lines of `piece` (all of it when `final`) into `out`; returns how many rows were added. */
  push(piece: string, final: boolean, out: Record<string, unknown>[], maxRows = Number.POSITIVE_INFINITY): number {
    let text = this.rest + piece;
    if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let p = 0;
    let added = 0;
    while (p < text.length && added < maxRows) {
      let nl = text.indexOf('\n', p);
      if (nl < 0) {
        if (!final) break;
        nl = text.length;
      }
      if (nl - p > this.maxLine) {
        throw new TesseraError('E_LIMIT', `line ${this.line}: ${nl - p} characters exceed option "maxLineChars" (${this.maxLine})`, {
          line: this.line,
          option: 'maxLineChars',
        });
      }
      const raw = text.slice(p, nl);
      const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      p = nl + 1;
      const lineNo = this.line++;
      if (lineText.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(lineText);
      } catch (e) {
        this.onBad({ line: lineNo, col: 1, reason: `invalid JSON: ${(e as Error).message.slice(0, 120)}`, text: lineText.slice(0, 200) });
        continue;
      }
      if (!isPlainRow(v)) {
        this.onBad({ line: lineNo, col: 1, reason: `expected a JSON object, got ${describe(v)}`, text: lineText.slice(0, 200) });
        continue;
      }
      out.push(v);
      added++;
    }
    this.rest = p < text.length ? text.slice(p) : '';
    if (!final && this.rest.length > this.maxLine) {
      throw new TesseraError('E_LIMIT', `line ${this.line}: more than ${this.maxLine} characters without a line break (option "maxLineChars")`, {
        line: this.line,
        option: 'maxLineChars',
      });
    }
    return added;
  }

  /** Whether text is waiting for the next piece. */
  get pending(): boolean {
    return this.rest.length > 0;
  }
}

/**
 * Builds a Dataset from parsed JSON rows; nested objects/arrays become their JSON text (reported).
 *
 * @internal
 */
export function rowsToDataset(rows: readonly Record<string, unknown>[], options: DatasetOptions, rowOffset: number): Dataset {
  const nested = new Map<string, Coercion>();
  let copied: Record<string, unknown>[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(r)) {
      const v = r[k];
      if (v !== null && typeof v === 'object') {
        if (!copy) {
          copy = {};
          for (const k2 of Object.keys(r)) Object.defineProperty(copy, k2, { value: r[k2], enumerable: true, writable: true, configurable: true });
        }
        Object.defineProperty(copy, k, { value: JSON.stringify(v), enumerable: true, writable: true, configurable: true });
        let c = nested.get(k);
        if (!c) {
          c = { column: k, from: Array.isArray(v) ? 'array' : 'object', to: 'text', count: 0, rows: [], message: 'nested JSON value kept as its JSON text' };
          nested.set(k, c);
        }
        c.count++;
        if (c.rows.length < 10) c.rows.push(rowOffset + i);
      }
    }
    if (copy) {
      copied ??= rows.slice();
      copied[i] = copy;
    }
  }
  const ds = Dataset.fromRows(copied ?? rows, options);
  if (nested.size === 0 && rowOffset === 0) return ds;
  const roles: Record<string, NonNullable<ReturnType<Dataset['role']>>> = {};
  for (const f of ds.schema.fields) if (f.role) Object.defineProperty(roles, f.name, { value: f.role, enumerable: true });
  const shifted = ds.coercions.map((c) => (rowOffset ? { ...c, rows: c.rows.map((r) => r + rowOffset) } : c));
  return Dataset.fromColumnList(ds.columns(), roles, [...shifted, ...nested.values()]);
}

function rowObjects(ds: Dataset, options: JSONWriteOptions): Record<string, unknown>[] {
  const nonFinite = options.nonFinite ?? 'error';
  if (nonFinite !== 'error' && nonFinite !== 'null')
    throw new TesseraError('E_OPTION', `option "nonFinite" must be 'error' or 'null'`, { option: 'nonFinite' });
  const cols = ds.columns();
  const out = new Array<Record<string, unknown>>(ds.nrows);
  for (let i = 0; i < ds.nrows; i++) {
    const r: Record<string, unknown> = {};
    for (const c of cols) {
      let v: unknown = cellValue(c, i);
      if (typeof v === 'number' && !Number.isFinite(v)) {
        if (nonFinite === 'error') {
          throw new TesseraError('E_NON_FINITE', `column "${c.name}", row ${i}: ${v} has no JSON form (pass nonFinite: 'null' to write null)`, {
            column: c.name,
            row: i,
          });
        }
        v = null;
      }
      if (v instanceof Date) v = v.toISOString();
      Object.defineProperty(r, c.name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    out[i] = r;
  }
  return out;
}

function isPlainRow(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
