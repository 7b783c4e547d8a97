import * as aq from 'arquero';
import { TesseraError, unknownColumn } from '../core/errors.js';
import { Rng } from '../core/random.js';
import {
  type CellValue,
  type Column,
  type ColumnKind,
  cellValue,
  columnToArray,
  concatColumns,
  type Indices,
  isMissing,
  makeColumn,
  renameColumn,
  sliceColumn,
  takeColumn,
} from './column.js';
import { buildColumn, type Coercion, type InferOptions } from './infer.js';
import { type ColumnRole, checkOverride, type Field, type FieldOverride, Schema } from './schema.js';
import { isZodObject, zodToOverrides } from './zod-schema.js';

/** A row as a plain object. Keys are column names (any string, `__proto__` included). @example `const r: Row = ds.row(0);` */
export type Row = Record<string, CellValue>;

/**
 * Options for building a Dataset: per-column overrides (tessera's schema object or a zod object
 * schema), roles, and inference options.
 *
 * @example
 * ```ts
 * Dataset.from(rows, { schema: { id: { role: 'id' }, zip: { kind: 'category' } }, missingTokens: ['', '-'] });
 * ```
 */
export interface DatasetOptions extends InferOptions {
  /** Per-column overrides, or a zod object schema. Columns not named are inferred. */
  schema?: Record<string, FieldOverride> | object;
  /** Roles by column, e.g. `{ churn: 'target', id: 'id' }` (merged over `schema`). */
  roles?: Record<string, ColumnRole>;
}

/** Input accepted by {@link Dataset.from}. @example `const input: DatasetInput = [{ a: 1 }];` */
export type DatasetInput = readonly Record<string, unknown>[] | Record<string, ArrayLike<unknown>> | object;

/** Options for {@link Dataset.sample}. @example `ds.sample({ frac: 0.5, seed: 1 })` */
export interface SampleOptions {
  /** Number of rows. */
  n?: number;
  /** Fraction of rows in (0, 1] (or above 1 with `replace`). */
  frac?: number;
  /** Sample with replacement (bootstrap). Default false. */
  replace?: boolean;
  /** Seed for the generator. Default 0. */
  seed?: number;
}

const MAX_COLUMNS = 100_000;

/**
 * An immutable columnar table with a {@link Schema}. Numbers live in typed arrays, categories are
 * dictionary-encoded, and every operation returns a new Dataset.
 *
 * Missing values follow one convention per storage: `NaN` in number, integer and datetime columns
 * (`Float64Array`), -1 in category codes and boolean `Int8Array`s, `null` in text columns. A `NaN`
 * in numeric input is read as missing; `Infinity` is kept as a value (models refuse it by name).
 *
 * @example
 * ```ts
 * import { Dataset } from 'tessera';
 * const ds = Dataset.from([
 *   { region: 'north', income: 52000, age: 41 },
 *   { region: 'south', income: 48000, age: 35 },
 * ]);
 * ds.schema.field('region').kind;   // 'category'
 * ds.filter((r) => (r.age as number) > 40).nrows; // 1
 * ds.matrix(['income', 'age']);     // Float64Array [52000, 41, 48000, 35]
 * ```
 */
export class Dataset {
  /** Number of rows. */
  readonly nrows: number;
  /** Coercions made when this Dataset was built (empty for derived Datasets). */
  readonly coercions: readonly Coercion[];
  private readonly cols: readonly Column[];
  private readonly roles: ReadonlyMap<string, ColumnRole>;
  private readonly byName: Map<string, number>;
  private readonly cache: { schema?: Schema; table?: aq.ColumnTable } = {};

  private constructor(cols: readonly Column[], roles: ReadonlyMap<string, ColumnRole>, coercions: readonly Coercion[] = []) {
    const n = cols[0]?.length ?? 0;
    const byName = new Map<string, number>();
    cols.forEach((c, i) => {
      if (c.length !== n) throw new TesseraError('E_SHAPE', `column "${c.name}" has ${c.length} rows, expected ${n}`, { column: c.name });
      if (byName.has(c.name)) throw new TesseraError('E_SCHEMA', `duplicate column name "${c.name}"`, { column: c.name });
      byName.set(c.name, i);
    });
    if (cols.length > MAX_COLUMNS) throw new TesseraError('E_LIMIT', `too many columns: ${cols.length} > ${MAX_COLUMNS}`);
    this.cols = Object.freeze([...cols]);
    this.nrows = n;
    this.byName = byName;
    const r = new Map<string, ColumnRole>();
    for (const [k, v] of roles) if (byName.has(k)) r.set(k, v);
    this.roles = r;
    this.coercions = Object.freeze([...coercions]);
    Object.freeze(this);
  }

  /**
   * Builds a Dataset from row objects, an object of columns (arrays or typed arrays), an arquero
   * table, an Apache Arrow table (apache-arrow or flechette), or another Dataset (returned as is).
   *
   * @example
   * ```ts
   * Dataset.from([{ a: 1, b: 'x' }]);
   * Dataset.from({ a: [1, 2], b: ['x', 'y'] });
   * Dataset.from(aq.table({ a: [1, 2] }));
   * ```
   */
  static from(input: DatasetInput, options: DatasetOptions = {}): Dataset {
    if (input instanceof Dataset) return input;
    if (Array.isArray(input)) return Dataset.fromRows(input as readonly Record<string, unknown>[], options);
    if (isArquero(input)) return Dataset.fromArquero(input, options);
    if (isArrowTable(input)) return Dataset.fromArrow(input, options);
    if (input !== null && typeof input === 'object') return Dataset.fromColumns(input as Record<string, ArrayLike<unknown>>, options);
    throw new TesseraError('E_TYPE', 'Dataset.from expects rows, columns, an arquero table or an Arrow table');
  }

  /**
   * Builds a Dataset from an array of row objects. Column order is the order keys are first seen;
   * a key absent from a row is a missing value.
   *
   * @example
   * ```ts
   * Dataset.fromRows([{ a: 1 }, { a: 2, b: 'x' }]).columnNames; // ['a', 'b']
   * ```
   */
  static fromRows(rows: readonly Record<string, unknown>[], options: DatasetOptions = {}): Dataset {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r === null || typeof r !== 'object') throw new TesseraError('E_TYPE', `row ${i} is not an object`, { row: i });
      for (const k of Object.keys(r)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
    const raws = names.map((name) => {
      const arr = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as Record<string, unknown>;
        arr[i] = Object.hasOwn(r, name) ? r[name] : undefined;
      }
      return [name, arr] as const;
    });
    return Dataset.build(raws, options);
  }

  /**
   * Builds a Dataset from an object of equal-length columns (arrays or typed arrays).
   *
   * @example
   * ```ts
   * Dataset.fromColumns({ x: new Float64Array([1, 2]), y: ['a', 'b'] });
   * ```
   */
  static fromColumns(columns: Record<string, ArrayLike<unknown>>, options: DatasetOptions = {}): Dataset {
    const raws = Object.keys(columns).map((k) => [k, columns[k] as ArrayLike<unknown>] as const);
    return Dataset.build(raws, options);
  }

  /**
   * Builds a Dataset from an arquero table (its current filter and order are respected).
   *
   * @example
   * ```ts
   * Dataset.fromArquero(aq.table({ a: [1, 2] }));
   * ```
   */
  static fromArquero(table: aq.ColumnTable, options: DatasetOptions = {}): Dataset {
    const raws = table.columnNames().map((k) => [k, table.array(k) as ArrayLike<unknown>] as const);
    return Dataset.build(raws, options);
  }

  /**
   * Builds a Dataset from an Apache Arrow table (`apache-arrow` or `@uwdata/flechette`). Arrow types
   * map to kinds: integers → integer, floats/decimals → number, bool → boolean, date/timestamp →
   * datetime, dictionary → category, strings → inferred (category or text).
   *
   * @example
   * ```ts
   * Dataset.fromArrow(tableFromIPC(bytes));
   * ```
   */
  static fromArrow(table: ArrowTableLike, options: DatasetOptions = {}): Dataset {
    const schema: Record<string, FieldOverride> = Object.create(null);
    const raws: Array<readonly [string, ArrayLike<unknown>]> = [];
    for (const f of table.schema.fields) {
      const child = table.getChild(f.name);
      if (!child) continue;
      const values: unknown[] = [];
      for (const v of child as Iterable<unknown>) values.push(v);
      const kind = arrowKind(f.type?.typeId);
      if (kind) Object.defineProperty(schema, f.name, { value: { kind }, enumerable: true });
      raws.push([f.name, values]);
    }
    return Dataset.build(raws, { ...options, schema: { ...schema, ...resolveOverrides(options.schema) } });
  }

  /**
   * Builds a numeric Dataset from a dense row-major matrix. Column names default to `x0, x1, ...`.
   *
   * @example
   * ```ts
   * Dataset.fromMatrix(new Float64Array([1, 2, 3, 4]), 2, 2, ['a', 'b']);
   * ```
   */
  static fromMatrix(data: ArrayLike<number>, nrows: number, ncols: number, names?: readonly string[]): Dataset {
    if (!Number.isInteger(nrows) || !Number.isInteger(ncols) || nrows < 0 || ncols < 0 || data.length !== nrows * ncols) {
      throw new TesseraError('E_SHAPE', `matrix of length ${data.length} is not ${nrows} x ${ncols}`, { nrows, ncols });
    }
    if (names && names.length !== ncols) throw new TesseraError('E_SHAPE', `${names.length} names for ${ncols} columns`, { option: 'names' });
    const cols: Column[] = [];
    for (let j = 0; j < ncols; j++) {
      const values = new Float64Array(nrows);
      for (let i = 0; i < nrows; i++) values[i] = data[i * ncols + j] as number;
      cols.push(makeColumn(names?.[j] ?? `x${j}`, 'number', { values }));
    }
    return new Dataset(cols, new Map());
  }

  /**
   * Builds a Dataset from ready-made columns (used by readers and transforms). Columns are not copied.
   *
   * @example
   * ```ts
   * Dataset.fromColumnList([makeColumn('x', 'number', { values: new Float64Array([1]) })]);
   * ```
   */
  static fromColumnList(columns: readonly Column[], roles: Record<string, ColumnRole> = {}, coercions: readonly Coercion[] = []): Dataset {
    return new Dataset(columns, new Map(Object.entries(roles)), coercions);
  }

  /** An empty Dataset (no rows, no columns). @example `Dataset.empty().nrows // 0` */
  static empty(): Dataset {
    return new Dataset([], new Map());
  }

  private static build(raws: ReadonlyArray<readonly [string, ArrayLike<unknown>]>, options: DatasetOptions): Dataset {
    const overrides = resolveOverrides(options.schema);
    const names = new Set(raws.map((r) => r[0]));
    for (const k of Object.keys(overrides)) {
      if (!names.has(k)) unknownColumn(k, [...names]);
      checkOverride(k, overrides[k] as FieldOverride);
    }
    const roles = new Map<string, ColumnRole>();
    const coercions: Coercion[] = [];
    const cols: Column[] = [];
    let n: number | undefined;
    for (const [name, raw] of raws) {
      if (n === undefined) n = raw.length;
      else if (raw.length !== n) throw new TesseraError('E_SHAPE', `column "${name}" has ${raw.length} values, expected ${n}`, { column: name });
      const o = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
      const built = buildColumn(name, raw, o?.kind, options);
      if (o?.nullable === false) {
        for (let i = 0; i < built.column.length; i++) {
          if (isMissing(built.column, i))
            throw new TesseraError('E_SCHEMA', `column "${name}" is declared not nullable but row ${i} is missing`, { column: name, row: i });
        }
      }
      cols.push(built.column);
      coercions.push(...built.coercions);
      if (o?.role) roles.set(name, o.role);
    }
    for (const [k, v] of Object.entries(options.roles ?? {})) {
      if (!names.has(k)) unknownColumn(k, [...names]);
      checkOverride(k, { role: v });
      roles.set(k, v);
    }
    return new Dataset(cols, roles, coercions);
  }

  /** Number of columns. */
  get ncols(): number {
    return this.cols.length;
  }

  /** Column names in order. */
  get columnNames(): string[] {
    return this.cols.map((c) => c.name);
  }

  /** The schema: kind, nullability and role of each column. */
  get schema(): Schema {
    if (!this.cache.schema) {
      const fields: Field[] = this.cols.map((c) => {
        const role = this.roles.get(c.name);
        const f: Field = { name: c.name, kind: c.kind, nullable: hasMissing(c) };
        return role ? { ...f, role } : f;
      });
      this.cache.schema = new Schema(fields);
    }
    return this.cache.schema;
  }

  /** The data as an arquero table, for wrangling (built once, then cached). */
  get table(): aq.ColumnTable {
    this.cache.table ??= this.toArquero();
    return this.cache.table;
  }

  /** Whether a column exists. @example `ds.has('age')` */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** A column by name; throws `E_COLUMN` naming the closest columns when unknown. @example `ds.column('age').kind` */
  column(name: string): Column {
    const i = this.byName.get(name);
    if (i === undefined) unknownColumn(name, this.columnNames);
    return this.cols[i] as Column;
  }

  /** All columns in order. @example `ds.columns().map((c) => c.kind)` */
  columns(): readonly Column[] {
    return this.cols;
  }

  /** The role of a column, if any. @example `ds.role('churn') // 'target'` */
  role(name: string): ColumnRole | undefined {
    this.column(name);
    return this.roles.get(name);
  }

  /** One cell (`null` when missing). @example `ds.get(0, 'age')` */
  get(row: number, name: string): CellValue {
    this.checkRow(row);
    return cellValue(this.column(name), row);
  }

  /** One row as an object. @example `ds.row(0)` */
  row(i: number): Row {
    this.checkRow(i);
    const out: Row = {};
    for (const c of this.cols) setKey(out, c.name, cellValue(c, i));
    return out;
  }

  /** All rows as objects. @example `ds.toRows()` */
  toRows(): Row[] {
    const out = new Array<Row>(this.nrows);
    for (let i = 0; i < this.nrows; i++) {
      const r: Row = {};
      for (const c of this.cols) setKey(r, c.name, cellValue(c, i));
      out[i] = r;
    }
    return out;
  }

  /** All columns as arrays of cell values. @example `ds.toColumns().age` */
  toColumns(): Record<string, CellValue[]> {
    const out: Record<string, CellValue[]> = {};
    for (const c of this.cols) setKey(out, c.name, columnToArray(c));
    return out;
  }

  /** Converts to a new arquero table (datetimes become `Date`s, missing becomes `null`). @example `ds.toArquero().groupby('region')` */
  toArquero(): aq.ColumnTable {
    const data: Record<string, unknown[]> = {};
    const names: string[] = [];
    for (const c of this.cols) {
      names.push(c.name);
      setKey(data, c.name, c.kind === 'number' || c.kind === 'integer' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)) : columnToArray(c));
    }
    return aq.table(data, names);
  }

  /** A Dataset of the named columns, in that order. @example `ds.select(['age', 'income'])` */
  select(names: readonly string[]): Dataset {
    return new Dataset(
      names.map((n) => this.column(n)),
      this.roles,
    );
  }

  /** A Dataset without the named columns. @example `ds.drop(['id'])` */
  drop(names: readonly string[]): Dataset {
    for (const n of names) this.column(n);
    const skip = new Set(names);
    return new Dataset(
      this.cols.filter((c) => !skip.has(c.name)),
      this.roles,
    );
  }

  /** Rows at the given indices, in that order (repeats allowed). @example `ds.take([2, 0])` */
  take(indices: Indices): Dataset {
    for (let i = 0; i < indices.length; i++) this.checkRow(indices[i] as number);
    return new Dataset(
      this.cols.map((c) => takeColumn(c, indices)),
      this.roles,
    );
  }

  /**
   * Rows for which a predicate is true, or whose mask entry is truthy.
   *
   * @example
   * ```ts
   * ds.filter((row) => (row.age as number) > 40);
   * ds.filter(new Uint8Array([1, 0, 1]));
   * ```
   */
  filter(predicate: ((row: Row, index: number) => boolean) | ArrayLike<boolean | number>): Dataset {
    const keep: number[] = [];
    if (typeof predicate === 'function') {
      for (let i = 0; i < this.nrows; i++) if (predicate(this.row(i), i)) keep.push(i);
    } else {
      if (predicate.length !== this.nrows)
        throw new TesseraError('E_SHAPE', `mask has ${predicate.length} entries, dataset has ${this.nrows} rows`, { option: 'mask' });
      for (let i = 0; i < this.nrows; i++) if (predicate[i]) keep.push(i);
    }
    return this.take(keep);
  }

  /** Rows `[start, end)` (negative indices count from the end, as `Array.prototype.slice`). @example `ds.slice(10, 20)` */
  slice(start = 0, end = this.nrows): Dataset {
    const s = clampIndex(start, this.nrows);
    const e = Math.max(s, clampIndex(end, this.nrows));
    return new Dataset(
      this.cols.map((c) => sliceColumn(c, s, e)),
      this.roles,
    );
  }

  /** The first `n` rows (default 5). @example `ds.head(3)` */
  head(n = 5): Dataset {
    return this.slice(0, Math.max(0, n));
  }

  /**
   * A seeded random sample of rows.
   *
   * @example
   * ```ts
   * ds.sample({ n: 100, seed: 7 });
   * ds.sample({ frac: 1, replace: true, seed: 1 }); // bootstrap
   * ```
   */
  sample(options: SampleOptions): Dataset {
    const { replace = false, seed = 0 } = options;
    let n: number;
    if (options.n !== undefined) n = options.n;
    else if (options.frac !== undefined) {
      if (!(options.frac > 0) || (!replace && options.frac > 1))
        throw new TesseraError('E_OPTION', `option "frac" must be in (0, 1] without replacement, got ${options.frac}`, { option: 'frac' });
      n = Math.round(options.frac * this.nrows);
    } else throw new TesseraError('E_OPTION', 'sample needs option "n" or "frac"', { option: 'n' });
    if (!Number.isInteger(n) || n < 0) throw new TesseraError('E_OPTION', `option "n" must be a non-negative integer, got ${n}`, { option: 'n' });
    if (!replace && n > this.nrows)
      throw new TesseraError('E_OPTION', `option "n" (${n}) exceeds the ${this.nrows} rows; pass replace: true to bootstrap`, { option: 'n' });
    const rng = new Rng(seed);
    if (replace) {
      if (this.nrows === 0 && n > 0) throw new TesseraError('E_EMPTY', 'cannot sample from an empty dataset');
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = rng.int(this.nrows);
      return this.take(idx);
    }
    return this.take(rng.sample(this.nrows, n));
  }

  /**
   * Stacks Datasets with the same column names (any order) under this one.
   *
   * @example
   * ```ts
   * a.concat(b, c);
   * ```
   */
  concat(...others: Dataset[]): Dataset {
    const names = this.columnNames;
    for (const o of others) {
      const on = new Set(o.columnNames);
      const missing = names.filter((n) => !on.has(n));
      const extra = o.columnNames.filter((n) => !this.byName.has(n));
      if (missing.length || extra.length || o.ncols !== this.ncols) {
        throw new TesseraError('E_SCHEMA', `concat needs the same columns; missing: [${missing.join(', ')}], extra: [${extra.join(', ')}]`, {
          columns: [...missing, ...extra],
        });
      }
    }
    const cols = this.cols.map((c) => concatColumns([c, ...others.map((o) => o.column(c.name))]));
    return new Dataset(cols, this.roles);
  }

  /**
   * A Dataset with a column added or replaced. Values may be a ready {@link Column}, a typed array
   * (number), or an array (kind inferred unless given).
   *
   * @example
   * ```ts
   * ds.withColumn('ratio', ds.matrix(['a']).map((v) => v / 2));
   * ds.withColumn('flag', [true, false], 'boolean');
   * ```
   */
  withColumn(name: string, values: Column | ArrayLike<unknown>, kind?: ColumnKind): Dataset {
    let col: Column;
    if (isColumn(values)) col = values.name === name ? values : renameColumn(values, name);
    else if (values instanceof Float64Array && (kind === undefined || kind === 'number' || kind === 'integer' || kind === 'datetime')) {
      col = makeColumn(name, kind ?? 'number', { values: Float64Array.from(values) });
    } else col = buildColumn(name, values, kind).column;
    if (this.ncols > 0 && col.length !== this.nrows) {
      throw new TesseraError('E_SHAPE', `column "${name}" has ${col.length} values, dataset has ${this.nrows} rows`, { column: name });
    }
    const i = this.byName.get(name);
    const cols = [...this.cols];
    if (i === undefined) cols.push(col);
    else cols[i] = col;
    return new Dataset(cols, this.roles);
  }

  /** Renames columns; keys are old names, values new names. @example `ds.rename({ inc: 'income' })` */
  rename(mapping: Record<string, string>): Dataset {
    const keys = Object.keys(mapping);
    for (const k of keys) this.column(k);
    const cols = this.cols.map((c) => (Object.hasOwn(mapping, c.name) ? renameColumn(c, mapping[c.name] as string) : c));
    const roles = new Map<string, ColumnRole>();
    for (const [k, v] of this.roles) roles.set(Object.hasOwn(mapping, k) ? (mapping[k] as string) : k, v);
    return new Dataset(cols, roles);
  }

  /** A Dataset with roles set (or cleared with `null`). @example `ds.withRoles({ churn: 'target' })` */
  withRoles(roles: Record<string, ColumnRole | null>): Dataset {
    const r = new Map(this.roles);
    for (const k of Object.keys(roles)) {
      this.column(k);
      const v = roles[k];
      if (v === null || v === undefined) r.delete(k);
      else {
        checkOverride(k, { role: v });
        r.set(k, v);
      }
    }
    return new Dataset(this.cols, r);
  }

  /**
   * A dense row-major `Float64Array` of the named columns (default: every numeric, integer, boolean
   * and datetime column), `NaN` for missing. Category and text columns are refused with `E_SCHEMA`
   * (encode them first, e.g. with `OneHotEncoder`).
   *
   * @example
   * ```ts
   * const X = ds.matrix(['income', 'age']); // X[i * 2 + j]
   * ```
   */
  matrix(names?: readonly string[]): Float64Array {
    const cols = names ? names.map((n) => this.column(n)) : this.cols.filter((c) => c.kind !== 'category' && c.kind !== 'text');
    const bad = cols.filter((c) => c.kind === 'category' || c.kind === 'text').map((c) => c.name);
    if (bad.length) {
      throw new TesseraError(
        'E_SCHEMA',
        `matrix needs numeric columns; ${bad.map((b) => `"${b}"`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not numeric (encode with OneHotEncoder or OrdinalEncoder)`,
        {
          columns: bad,
        },
      );
    }
    const p = cols.length;
    const n = this.nrows;
    const out = new Float64Array(n * p);
    for (let j = 0; j < p; j++) {
      const c = cols[j] as Column;
      if (c.kind === 'boolean') {
        const v = c.values;
        for (let i = 0; i < n; i++) {
          const b = v[i] as number;
          out[i * p + j] = b < 0 ? Number.NaN : b;
        }
      } else {
        const v = (c as { values: Float64Array }).values;
        for (let i = 0; i < n; i++) out[i * p + j] = v[i] as number;
      }
    }
    return out;
  }

  /** A short text rendering of the first rows, for logs. @example `console.log(ds.toString())` */
  toString(rows = 10): string {
    const head = this.head(rows);
    const lines = [this.columnNames.join('\t')];
    for (let i = 0; i < head.nrows; i++) lines.push(head.cols.map((c) => formatCell(cellValue(c, i))).join('\t'));
    return `Dataset ${this.nrows} x ${this.ncols}\n${lines.join('\n')}`;
  }

  private checkRow(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.nrows) throw new TesseraError('E_SHAPE', `row ${i} out of range [0, ${this.nrows})`, { row: i });
  }
}

/**
 * The minimal shape of an Arrow table that {@link Dataset.fromArrow} reads (apache-arrow and
 * flechette both fit).
 *
 * @example
 * ```ts
 * const t: ArrowTableLike = tableFromIPC(bytes);
 * ```
 */
export interface ArrowTableLike {
  readonly schema: { readonly fields: ReadonlyArray<{ readonly name: string; readonly type?: { readonly typeId?: number } }> };
  getChild(name: string): Iterable<unknown> | null;
  readonly numRows: number;
}

function isArrowTable(v: unknown): v is ArrowTableLike {
  const t = v as Partial<ArrowTableLike> | null;
  return t !== null && typeof t === 'object' && typeof t.getChild === 'function' && Array.isArray(t.schema?.fields) && typeof t.numRows === 'number';
}

function isArquero(v: unknown): v is aq.ColumnTable {
  return v instanceof aq.ColumnTable;
}

function isColumn(v: unknown): v is Column {
  const c = v as Partial<Column> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    typeof c.kind === 'string' &&
    typeof c.name === 'string' &&
    typeof c.length === 'number' &&
    ('values' in c || 'codes' in c)
  );
}

function arrowKind(typeId: number | undefined): ColumnKind | undefined {
  switch (typeId) {
    case 2:
      return 'integer';
    case 3:
    case 7:
      return 'number';
    case 6:
      return 'boolean';
    case 8:
    case 10:
      return 'datetime';
    case -1:
      return 'category';
    default:
      return undefined;
  }
}

function resolveOverrides(schema: DatasetOptions['schema']): Record<string, FieldOverride> {
  if (schema === undefined) return Object.create(null);
  if (isZodObject(schema)) return zodToOverrides(schema);
  const out: Record<string, FieldOverride> = Object.create(null);
  for (const k of Object.keys(schema)) setKey(out, k, (schema as Record<string, FieldOverride>)[k] as FieldOverride);
  return out;
}

/**
 * Sets an own enumerable property, even for keys like `__proto__` (no prototype pollution).
 *
 * @example
 * ```ts
 * const o = {}; setKey(o, '__proto__', 1); Object.keys(o); // ['__proto__']
 * ```
 */
export function setKey<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function hasMissing(c: Column): boolean {
  for (let i = 0; i < c.length; i++) if (isMissing(c, i)) return true;
  return false;
}

function clampIndex(i: number, n: number): number {
  const k = Math.trunc(i);
  return k < 0 ? Math.max(0, n + k) : Math.min(k, n);
}

function formatCell(v: CellValue): string {
  if (v === null) return '∅';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}
