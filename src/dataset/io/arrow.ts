import {
  bool,
  type DataType,
  dictionary,
  float64,
  int32,
  Table,
  TimeUnit,
  Type,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  timestamp,
  utf8,
} from '@uwdata/flechette';
import { TesseraError } from '../../core/errors.js';
import { COLUMN_KINDS, type Column, type ColumnKind, cellValue, makeColumn } from '../column.js';
import { Dataset, type DatasetOptions } from '../dataset.js';
import { buildColumn, type Coercion } from '../infer.js';
import { COLUMN_ROLES, type ColumnRole } from '../schema.js';
import { checkNullable, checkOverrides, resolveOverrides } from './common.js';

/** Field metadata key holding a column's tessera kind. @example `ARROW_KIND_KEY // 'tessera:kind'` */
export const ARROW_KIND_KEY = 'tessera:kind';
/** Field metadata key holding a column's role. @example `ARROW_ROLE_KEY // 'tessera:role'` */
export const ARROW_ROLE_KEY = 'tessera:role';

/**
 * Options of {@link writeArrow}.
 *
 * @example
 * ```ts
 * writeArrow(ds, { format: 'stream' });
 * ```
 */
export interface ArrowWriteOptions {
  /** IPC format: `'file'` (default, random access) or `'stream'`. */
  format?: 'file' | 'stream';
}

/**
 * Writes a Dataset as Arrow IPC bytes (with `@uwdata/flechette`). Kinds map to Arrow types:
 * number → float64; integer → int32 when every value fits, else float64; boolean → bool;
 * datetime → timestamp (ms, UTC); category → dictionary of utf8 with int32 keys; text → utf8.
 * Missing values are Arrow nulls. Each field carries its kind and role as metadata
 * (`tessera:kind`, `tessera:role`), so {@link readArrow} restores the same schema.
 *
 * @example
 * ```ts
 * import { Dataset, readArrow, writeArrow } from 'tessera';
 * const bytes = writeArrow(Dataset.from({ a: [1, 2], b: ['x', null] }));
 * readArrow(bytes).toColumns(); // { a: [1, 2], b: ['x', null] }
 * ```
 */
export function writeArrow(ds: Dataset, options: ArrowWriteOptions = {}): Uint8Array {
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream') throw new TesseraError('E_OPTION', `option "format" must be 'file' or 'stream'`, { option: 'format' });
  const bytes = tableToIPC(toArrow(ds), { format });
  if (!bytes) throw new TesseraError('E_INTERNAL', 'Arrow encoding produced no bytes');
  return bytes;
}

/**
 * Converts a Dataset to an Arrow table (a `@uwdata/flechette` Table, which reads and writes the
 * standard Arrow IPC format), with the type mapping and field metadata of {@link writeArrow}.
 * `Dataset.from(table)` converts back.
 *
 * @example
 * ```ts
 * import { Dataset, toArrow } from 'tessera';
 * const table = toArrow(Dataset.from({ a: [1, 2], b: ['x', null] }));
 * table.numRows; // 2
 * Dataset.from(table).toColumns(); // { a: [1, 2], b: ['x', null] }
 * ```
 */
export function toArrow(ds: Dataset): Table {
  const data: [string, unknown[]][] = [];
  const types: Record<string, DataType> = Object.create(null);
  for (const c of ds.columns()) {
    const [type, values] = arrowColumn(c);
    data.push([c.name, values]);
    Object.defineProperty(types, c.name, { value: type, enumerable: true });
  }
  const built = tableFromArrays(data as [string, never[]][], { types });
  const fields = built.schema.fields.map((f) => {
    const metadata = new Map(f.metadata ?? []);
    metadata.set(ARROW_KIND_KEY, ds.column(f.name).kind);
    const role = ds.role(f.name);
    if (role) metadata.set(ARROW_ROLE_KEY, role);
    return { ...f, metadata };
  });
  return new Table({ ...built.schema, fields }, built.children);
}

function arrowColumn(c: Column): [DataType, unknown[]] {
  const n = c.length;
  const out = new Array<unknown>(n);
  switch (c.kind) {
    case 'number':
    case 'integer':
    case 'datetime': {
      let int32ok = c.kind === 'integer';
      for (let i = 0; i < n; i++) {
        const v = c.values[i] as number;
        if (Number.isNaN(v)) out[i] = null;
        else {
          out[i] = v;
          if (int32ok && (v < -2147483648 || v > 2147483647 || !Number.isInteger(v) || Object.is(v, -0))) int32ok = false;
        }
      }
      if (c.kind === 'datetime') return [timestamp(TimeUnit.MILLISECOND), out];
      return [int32ok ? int32() : float64(), out];
    }
    case 'boolean':
      for (let i = 0; i < n; i++) out[i] = cellValue(c, i);
      return [bool(), out];
    case 'category':
      for (let i = 0; i < n; i++) out[i] = cellValue(c, i);
      return [dictionary(utf8(), int32()), out];
    case 'text':
      for (let i = 0; i < n; i++) out[i] = c.values[i] ?? null;
      return [utf8(), out];
  }
}

/**
 * Reads Arrow IPC bytes (file or stream format) into a {@link Dataset}. Kinds come from the
 * `tessera:kind` field metadata written by {@link writeArrow} when present, else from the Arrow
 * type (ints → integer, floats/decimals → number, bool → boolean, date/timestamp → datetime,
 * dictionary → category, strings → inferred as category or text); `schema` overrides win.
 * Corrupt bytes throw `E_PARSE`.
 *
 * @example
 * ```ts
 * import { readArrow } from 'tessera';
 * const ds = readArrow(await (await fetch('flights.arrow')).arrayBuffer());
 * ```
 */
export function readArrow(input: Uint8Array | ArrayBuffer, options: DatasetOptions = {}): Dataset {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  let table: Table;
  try {
    table = tableFromIPC(bytes, { useDate: false, useBigInt: false });
  } catch (e) {
    throw new TesseraError('E_PARSE', `invalid Arrow IPC data: ${(e as Error).message.slice(0, 200)}`, {}, { cause: e });
  }
  const names = table.schema.fields.map((f) => f.name);
  const overrides = resolveOverrides(options.schema);
  const roles: Record<string, ColumnRole> = Object.create(null);
  for (const f of table.schema.fields) {
    const role = f.metadata?.get(ARROW_ROLE_KEY);
    if (role && (COLUMN_ROLES as readonly string[]).includes(role)) Object.defineProperty(roles, f.name, { value: role, enumerable: true, writable: true });
  }
  const explicitRoles = checkOverrides(names, overrides, options.roles);
  for (const k of Object.keys(explicitRoles)) Object.defineProperty(roles, k, { value: explicitRoles[k], enumerable: true, writable: true });
  const cols: Column[] = [];
  const coercions: Coercion[] = [];
  const seen = new Set<string>();
  for (const f of table.schema.fields) {
    if (seen.has(f.name)) throw new TesseraError('E_SCHEMA', `duplicate column name "${f.name}" in the Arrow data`, { column: f.name });
    seen.add(f.name);
    const child = table.getChild(f.name);
    const values = child ? (Array.from(child.toArray() as ArrayLike<unknown>) as unknown[]) : new Array<unknown>(table.numRows).fill(null);
    const meta = f.metadata?.get(ARROW_KIND_KEY);
    const o = Object.hasOwn(overrides, f.name) ? overrides[f.name] : undefined;
    const kind: ColumnKind | undefined =
      o?.kind ?? (meta && (COLUMN_KINDS as readonly string[]).includes(meta) ? (meta as ColumnKind) : kindOfArrowType(f.type.typeId));
    const direct = o?.kind === undefined && kind !== undefined ? directColumn(f.name, kind, values) : undefined;
    if (direct) cols.push(direct);
    else {
      const built = buildColumn(f.name, values, kind, options);
      cols.push(built.column);
      coercions.push(...built.coercions);
    }
  }
  checkNullable(cols, overrides);
  return Dataset.fromColumnList(cols, roles, coercions);
}

function kindOfArrowType(typeId: number): ColumnKind | undefined {
  switch (typeId) {
    case Type.Int:
      return 'integer';
    case Type.Float:
    case Type.Decimal:
      return 'number';
    case Type.Bool:
      return 'boolean';
    case Type.Date:
    case Type.Timestamp:
      return 'datetime';
    case Type.Dictionary:
      return 'category';
    default:
      return undefined;
  }
}

/** Builds a column of a known kind straight from Arrow values; `undefined` when a value does not fit (the general path then reports it). */
function directColumn(name: string, kind: ColumnKind, values: readonly unknown[]): Column | undefined {
  const n = values.length;
  switch (kind) {
    case 'number':
    case 'integer':
    case 'datetime': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) out[i] = Number.NaN;
        else if (typeof v === 'number') out[i] = v;
        else if (typeof v === 'bigint') out[i] = Number(v);
        else return undefined;
        if (kind === 'integer' && Number.isFinite(out[i] as number) && !Number.isInteger(out[i])) return undefined;
      }
      return makeColumn(name, kind, { values: out });
    }
    case 'boolean': {
      const out = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) out[i] = -1;
        else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
        else return undefined;
      }
      return makeColumn(name, kind, { values: out });
    }
    case 'category': {
      const codes = new Int32Array(n);
      const dict: string[] = [];
      const index = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) {
          codes[i] = -1;
          continue;
        }
        if (typeof v !== 'string') return undefined;
        let c = index.get(v);
        if (c === undefined) {
          c = dict.length;
          dict.push(v);
          index.set(v, c);
        }
        codes[i] = c;
      }
      return makeColumn(name, kind, { codes, dictionary: dict });
    }
    case 'text': {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) out[i] = null;
        else if (typeof v === 'string') out[i] = v;
        else return undefined;
      }
      return makeColumn(name, kind, { values: out });
    }
  }
}
