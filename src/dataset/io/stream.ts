import { checkAbort } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import { type Column, type ColumnKind, categoryColumn, isMissing, makeColumn } from '../column.js';
import { Dataset } from '../dataset.js';
import type { ColumnRole, FieldOverride } from '../schema.js';
import { checkNullable, checkPositiveInt, encodingError, makeDecoder, resolveOverrides } from './common.js';
import { type CSVReadOptions, CSVTextReader } from './csv-read.js';
import { ScanState } from './csv-scan.js';
import { NDJSONLines, type NDJSONReadOptions, rowsToDataset } from './json.js';

/**
 * A source of text for the streaming readers: a web `ReadableStream`, a Node stream, or any
 * (async) iterable of strings or bytes (`Uint8Array`, Node `Buffer`).
 *
 * @example
 * ```ts
 * const source: StreamSource = (await fetch(url)).body!;
 * ```
 */
export type StreamSource = ReadableStream<string | Uint8Array> | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Options of the streaming readers.
 *
 * @example
 * ```ts
 * readCSVStream(source, { chunkSize: 50_000, signal: controller.signal });
 * ```
 */
export interface StreamOptions {
  /** Rows per yielded Dataset (the last one may be shorter). Default 10000. */
  chunkSize?: number;
  /** Stops reading (throws `E_ABORTED`) when aborted. */
  signal?: AbortSignal;
}

/**
 * Options of {@link readCSVStream}.
 *
 * @example
 * ```ts
 * readCSVStream(source, { chunkSize: 1000, delimiter: ';' });
 * ```
 */
export interface CSVStreamOptions extends CSVReadOptions, StreamOptions {}

/**
 * Options of {@link readNDJSONStream}.
 *
 * @example
 * ```ts
 * readNDJSONStream(source, { chunkSize: 1000 });
 * ```
 */
export interface NDJSONStreamOptions extends NDJSONReadOptions, StreamOptions {}

/** Decoded text pieces of a source (multi-byte characters split across pieces are kept whole). */
async function* textPieces(source: StreamSource, encoding: string | undefined): AsyncGenerator<string> {
  const decoder = makeDecoder(encoding);
  let offset = 0;
  let sawBytes = false;
  const decode = (b: Uint8Array): string => {
    try {
      const s = decoder.decode(b, { stream: true });
      offset += b.length;
      return s;
    } catch (e) {
      throw encodingError(b, encoding, e, offset);
    }
  };
  const iterable = toAsyncIterable(source);
  for await (const piece of iterable) {
    if (typeof piece === 'string') {
      if (piece.length > 0) yield piece;
    } else if (piece instanceof Uint8Array) {
      sawBytes = true;
      const s = decode(piece);
      if (s.length > 0) yield s;
    } else throw new TesseraError('E_TYPE', `stream pieces must be strings or Uint8Arrays, got ${typeof piece}`);
  }
  if (sawBytes) {
    let tail: string;
    try {
      tail = decoder.decode();
    } catch (e) {
      throw encodingError(undefined, encoding, e);
    }
    if (tail.length > 0) yield tail;
  }
}

function toAsyncIterable(source: StreamSource): AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> {
  const rs = source as ReadableStream<string | Uint8Array>;
  if (rs && typeof rs.getReader === 'function') {
    return {
      async *[Symbol.asyncIterator]() {
        const reader = rs.getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            yield value;
          }
        } finally {
          reader.releaseLock();
        }
      },
    };
  }
  const it = source as AsyncIterable<string | Uint8Array> & Iterable<string | Uint8Array>;
  if (it && (typeof it[Symbol.asyncIterator] === 'function' || typeof it[Symbol.iterator] === 'function')) return it;
  throw new TesseraError('E_TYPE', 'expected a ReadableStream, an AsyncIterable or an Iterable of strings or bytes');
}

/**
 * Reads CSV from a stream in chunks of `chunkSize` rows, each yielded as a {@link Dataset}, holding
 * only about one chunk of text in memory. Same format, options and errors as {@link readCSV}
 * (line numbers count from the start of the stream; row numbers in reports too).
 *
 * Schema across chunks: the first chunk's kinds are inferred (or taken from `schema`) and then
 * fixed. A later chunk whose column reads differently is read again with the first kind (a value
 * that does not fit throws `E_SCHEMA`, or becomes missing with `onInvalid: 'null'`); an integer
 * column may widen to number (concatenation gives number); category and text convert into each
 * other. A column that is all missing in the first chunk is a number column: declare its kind in
 * `schema` when it may hold other values later.
 *
 * @example
 * ```ts
 * import { readCSVStream } from 'tessera';
 * const res = await fetch('big.csv');
 * for await (const chunk of readCSVStream(res.body!, { chunkSize: 50_000 })) console.log(chunk.nrows);
 * ```
 */
export async function* readCSVStream(source: StreamSource, options: CSVStreamOptions = {}): AsyncGenerator<Dataset> {
  const chunkSize = checkPositiveInt('chunkSize', options.chunkSize ?? 10000, 2 ** 30);
  const maxRows = options.maxRows === undefined ? Number.POSITIVE_INFINITY : checkPositiveInt('maxRows', options.maxRows, 2 ** 31);
  if ((options.onBadRow as unknown) === 'skip') {
    throw new TesseraError('E_OPTION', `option "onBadRow": 'skip' would lose the skipped rows; pass a function to receive them`, { option: 'onBadRow' });
  }
  const reader = new CSVTextReader(options, []);
  const pieces = textPieces(source, options.encoding)[Symbol.asyncIterator]();
  let buf = '';
  let ended = false;
  let first = true;
  // pieces are collected in a list and joined once per batch: appending each piece to one string
  // and scanning it would flatten (copy) the growing string once per piece
  let pending: string[] = [];
  let pendingLen = 0;
  const pull = async (): Promise<void> => {
    checkAbort(options.signal);
    const r = await pieces.next();
    if (r.done) ended = true;
    else {
      let s = r.value;
      if (first) {
        first = false;
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      }
      pending.push(s);
      pendingLen += s.length;
    }
  };
  /** Pulls until at least `chars` more characters are waiting (or the source ends), then appends them to `buf`. */
  const fill = async (chars: number): Promise<void> => {
    do await pull();
    while (!ended && pendingLen < chars);
    if (pending.length > 0) {
      buf = buf.length > 0 ? buf + pending.join('') : pending.join('');
      // flatten now, once (charCodeAt on a concatenation would do it at the first scan anyway)
      buf.charCodeAt(0);
      pending = [];
      pendingLen = 0;
    }
  };
  // header and delimiter: at least 64 KiB (or everything) to detect the delimiter
  while (!ended && buf.length < 65536) await fill(65536 - buf.length);
  let head = reader.start(buf, ended);
  while (head === 'more') {
    await fill(Math.max(65536, buf.length));
    head = reader.start(buf, ended);
  }
  if (head === 'empty') return;
  let line = reader.state.line;
  let lineStart = reader.state.lineStart - reader.state.pos;
  buf = buf.slice(reader.state.pos);
  const ncols = reader.names.length;
  const delim = reader.delimiterChar.charCodeAt(0);
  let rowOffset = 0;
  let kinds: Map<string, ColumnKind> | undefined;
  while (rowOffset < maxRows) {
    const want = Math.min(chunkSize, maxRows - rowOffset);
    const probe = new ScanState(delim, ncols, reader.maxField, () => {});
    probe.line = line;
    probe.lineStart = lineStart;
    for (;;) {
      probe.scan(buf, ended, null, want);
      if (probe.rows >= want || ended) break;
      // ask for about the text the missing rows need (from the average row so far), at least 64 KiB
      const perRow = probe.rows > 0 ? probe.pos / probe.rows : 64;
      await fill(Math.max(65536, Math.min(64 * 1024 * 1024, Math.ceil((want - probe.rows) * perRow * 1.05)) - (buf.length - probe.pos)));
    }
    const end = probe.pos;
    if (end === 0 && ended && probe.rows === 0) break;
    const text = buf.slice(0, end);
    let chunk = reader.readRows(text, 0, line, lineStart, true, want, rowOffset);
    if (kinds) {
      const forced = conflicts(kinds, chunk.columns);
      if (forced.size > 0) chunk = reader.readRows(text, 0, line, lineStart, true, want, rowOffset, forced);
      chunk.columns = chunk.columns.map((c) => convert(c, (kinds as Map<string, ColumnKind>).get(c.name) as ColumnKind));
    } else kinds = new Map(chunk.columns.map((c) => [c.name, c.kind]));
    line = probe.line;
    lineStart = probe.lineStart - end;
    buf = buf.slice(end);
    if (chunk.rows > 0) {
      checkNullable(chunk.columns, reader.overrides, rowOffset);
      yield Dataset.fromColumnList(chunk.columns, reader.roles, chunk.coercions);
      rowOffset += chunk.rows;
    }
    if (ended && buf.length === 0) break;
    if (ended && chunk.rows === 0 && end === 0) break;
  }
}

/**
 * Reads newline-delimited JSON from a stream in chunks of `chunkSize` rows, each a
 * {@link Dataset}, in bounded memory. Same rules as {@link readNDJSON}; the columns and kinds of
 * the first chunk hold for the rest (as {@link readCSVStream}): a key absent from a later chunk is
 * a missing column there; a key first seen in a later chunk throws `E_SCHEMA` naming it (read the
 * whole input with {@link readNDJSON} when keys come and go). Roles are those of the first chunk.
 *
 * @example
 * ```ts
 * import { readNDJSONStream } from 'tessera';
 * for await (const chunk of readNDJSONStream(source, { chunkSize: 10_000 })) total += chunk.nrows;
 * ```
 */
export async function* readNDJSONStream(source: StreamSource, options: NDJSONStreamOptions = {}): AsyncGenerator<Dataset> {
  const chunkSize = checkPositiveInt('chunkSize', options.chunkSize ?? 10000, 2 ** 30);
  if ((options.onBadRow as unknown) === 'skip') {
    throw new TesseraError('E_OPTION', `option "onBadRow": 'skip' would lose the skipped lines; pass a function to receive them`, { option: 'onBadRow' });
  }
  const lines = new NDJSONLines(options, []);
  const pieces = textPieces(source, options.encoding)[Symbol.asyncIterator]();
  let ended = false;
  let rowOffset = 0;
  let names: string[] | undefined;
  let kinds: Map<string, ColumnKind> | undefined;
  const userSchema = resolveOverrides(options.schema);
  const firstRoles: Record<string, ColumnRole> = {};
  for (;;) {
    const rows: Record<string, unknown>[] = [];
    while (rows.length < chunkSize) {
      lines.push('', ended, rows, chunkSize - rows.length);
      if (rows.length >= chunkSize || ended) break;
      checkAbort(options.signal);
      const r = await pieces.next();
      if (r.done) ended = true;
      else lines.push(r.value, false, rows, chunkSize - rows.length);
    }
    if (rows.length === 0) break;
    let ds: Dataset;
    if (names && kinds) {
      const first = kinds;
      // the keys of this chunk; overrides and roles apply to those (a key absent here is a missing column)
      const keys = new Set<string>();
      for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
      const extra = [...keys].filter((n) => !first.has(n));
      if (extra.length > 0) {
        throw new TesseraError('E_SCHEMA', `rows from ${rowOffset} on have keys not in the first chunk: ${extra.map((e) => `"${e}"`).join(', ')}`, {
          columns: extra,
          row: rowOffset,
        });
      }
      const chunkOptions = (forced: ReadonlyMap<string, ColumnKind>): NDJSONStreamOptions => {
        const schema: Record<string, FieldOverride> = Object.create(null);
        for (const k of keys) {
          const o = Object.hasOwn(userSchema, k) ? userSchema[k] : undefined;
          const f = forced.get(k);
          if (o || f) Object.defineProperty(schema, k, { value: { ...o, ...(f ? { kind: o?.kind ?? f } : {}) }, enumerable: true });
        }
        const { schema: _s, roles: _r, ...rest } = options;
        return { ...rest, schema };
      };
      ds = rowsToDataset(rows, chunkOptions(new Map()), rowOffset);
      const forced = conflicts(first, ds.columns());
      if (forced.size > 0) ds = rowsToDataset(rows, chunkOptions(forced), rowOffset);
      const have = new Set(ds.columnNames);
      const cols = (names as string[]).map((n) =>
        have.has(n) ? convert(ds.column(n), first.get(n) as ColumnKind) : allMissing(n, first.get(n) as ColumnKind, rows.length),
      );
      ds = Dataset.fromColumnList(cols, firstRoles, ds.coercions);
    } else {
      ds = rowsToDataset(rows, options, rowOffset);
      names = ds.columnNames;
      kinds = new Map(ds.columns().map((c) => [c.name, c.kind]));
      for (const f of ds.schema.fields) if (f.role) Object.defineProperty(firstRoles, f.name, { value: f.role, enumerable: true });
    }
    rowOffset += rows.length;
    yield ds;
  }
}

/** Columns whose kind in this chunk cannot be converted to the first chunk's kind: read them again with it. */
function conflicts(kinds: ReadonlyMap<string, ColumnKind>, cols: readonly Column[]): Map<string, ColumnKind> {
  const out = new Map<string, ColumnKind>();
  for (const c of cols) {
    const want = kinds.get(c.name);
    if (want === undefined || want === c.kind || compatible(c, want)) continue;
    out.set(c.name, want);
  }
  return out;
}

function compatible(c: Column, want: ColumnKind): boolean {
  if (c.kind === 'integer' && want === 'number') return true;
  if (c.kind === 'number' && want === 'integer') return true; // widens (kept as number)
  if ((c.kind === 'category' && want === 'text') || (c.kind === 'text' && want === 'category')) return true;
  for (let i = 0; i < c.length; i++) if (!isMissing(c, i)) return false;
  return true; // all missing
}

/** Converts a compatible column to the first chunk's kind. */
function convert(c: Column, want: ColumnKind): Column {
  if (c.kind === want) return c;
  if (c.kind === 'number' && want === 'integer') return c;
  if (c.kind === 'integer' && want === 'number') return makeColumn(c.name, 'number', { values: c.values });
  if (c.kind === 'category' && want === 'text')
    return makeColumn(c.name, 'text', { values: Array.from(c.codes, (k) => (k < 0 ? null : (c.dictionary[k] as string))) });
  if (c.kind === 'text' && want === 'category') return categoryColumn(c.name, c.values);
  return allMissing(c.name, want, c.length);
}

function allMissing(name: string, kind: ColumnKind, n: number): Column {
  switch (kind) {
    case 'boolean':
      return makeColumn(name, kind, { values: new Int8Array(n).fill(-1) });
    case 'category':
      return makeColumn(name, kind, { codes: new Int32Array(n).fill(-1), dictionary: [] });
    case 'text':
      return makeColumn(name, kind, { values: new Array<string | null>(n).fill(null) });
    default:
      return makeColumn(name, kind, { values: new Float64Array(n).fill(Number.NaN) });
  }
}
