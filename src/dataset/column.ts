import { TesseraError } from '../core/errors.js';

/**
 * The kinds a column can have.
 * - `number`, `integer`: `Float64Array`, missing = `NaN`.
 * - `datetime`: `Float64Array` of epoch milliseconds (UTC), missing = `NaN`.
 * - `boolean`: `Int8Array` of 0/1, missing = -1.
 * - `category`: `Int32Array` of codes into a string `dictionary`, missing = -1.
 * - `text`: array of strings, missing = `null`.
 *
 * @example
 * ```ts
 * const kind: ColumnKind = 'category';
 * ```
 */
export type ColumnKind = 'number' | 'integer' | 'boolean' | 'category' | 'datetime' | 'text';

/** All column kinds, in a fixed order. @example `COLUMN_KINDS.includes('text')` */
export const COLUMN_KINDS: readonly ColumnKind[] = ['number', 'integer', 'boolean', 'category', 'datetime', 'text'];

/**
 * A single cell value as seen by a user: `null` for missing, `Date` for datetimes.
 *
 * @example
 * ```ts
 * const v: CellValue = ds.get(0, 'age');
 * ```
 */
export type CellValue = number | string | boolean | Date | null;

/** Row indices as accepted by `take`. @example `const idx: Indices = new Int32Array([0, 2]);` */
export type Indices = Int32Array | Uint32Array | readonly number[];

interface ColumnBase {
  readonly name: string;
  readonly length: number;
}

/**
 * A numeric column (`number`, `integer` or `datetime`): values in a `Float64Array`, `NaN` = missing.
 *
 * @example
 * ```ts
 * const col = ds.column('income');
 * if (col.kind === 'number') console.log(col.values[0]);
 * ```
 */
export interface NumericColumn extends ColumnBase {
  readonly kind: 'number' | 'integer' | 'datetime';
  readonly values: Float64Array;
}

/**
 * A boolean column: `Int8Array` of 0/1, -1 = missing.
 *
 * @example
 * ```ts
 * const col = ds.column('churn');
 * if (col.kind === 'boolean') console.log(col.values[0] === 1);
 * ```
 */
export interface BooleanColumn extends ColumnBase {
  readonly kind: 'boolean';
  readonly values: Int8Array;
}

/**
 * A dictionary-encoded categorical column: `codes[i]` indexes `dictionary`, -1 = missing.
 *
 * @example
 * ```ts
 * const col = ds.column('region');
 * if (col.kind === 'category') console.log(col.dictionary[col.codes[0]!]);
 * ```
 */
export interface CategoryColumn extends ColumnBase {
  readonly kind: 'category';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/**
 * A free-text column: strings, `null` = missing.
 *
 * @example
 * ```ts
 * const col = ds.column('comment');
 * if (col.kind === 'text') console.log(col.values[0] ?? '(missing)');
 * ```
 */
export interface TextColumn extends ColumnBase {
  readonly kind: 'text';
  readonly values: readonly (string | null)[];
}

/**
 * Any column. Discriminate on `kind` to reach its storage.
 *
 * @example
 * ```ts
 * const col: Column = ds.column('age');
 * ```
 */
export type Column = NumericColumn | BooleanColumn | CategoryColumn | TextColumn;

/**
 * Builds a column from its storage. Storage is used as given (not copied): callers must not
 * mutate it afterwards.
 *
 * @example
 * ```ts
 * const col = makeColumn('x', 'number', { values: new Float64Array([1, 2]) });
 * ```
 */
export function makeColumn(
  name: string,
  kind: ColumnKind,
  storage: { values?: Float64Array | Int8Array | readonly (string | null)[]; codes?: Int32Array; dictionary?: readonly string[] },
): Column {
  switch (kind) {
    case 'number':
    case 'integer':
    case 'datetime': {
      const values = storage.values;
      if (!(values instanceof Float64Array)) throw new TesseraError('E_TYPE', `column "${name}" of kind ${kind} needs a Float64Array`, { column: name });
      return Object.freeze({ name, kind, length: values.length, values });
    }
    case 'boolean': {
      const values = storage.values;
      if (!(values instanceof Int8Array)) throw new TesseraError('E_TYPE', `boolean column "${name}" needs an Int8Array`, { column: name });
      return Object.freeze({ name, kind, length: values.length, values });
    }
    case 'category': {
      const { codes, dictionary } = storage;
      if (!(codes instanceof Int32Array) || !dictionary)
        throw new TesseraError('E_TYPE', `category column "${name}" needs codes and a dictionary`, { column: name });
      return Object.freeze({ name, kind, length: codes.length, codes, dictionary: Object.freeze([...dictionary]) });
    }
    case 'text': {
      const values = storage.values;
      if (!Array.isArray(values)) throw new TesseraError('E_TYPE', `text column "${name}" needs an array of strings`, { column: name });
      return Object.freeze({ name, kind, length: values.length, values: Object.freeze(values.slice()) as readonly (string | null)[] });
    }
  }
}

/**
 * A category column from strings (`null` = missing), its dictionary in order of first appearance.
 *
 * @example
 * ```ts
 * categoryColumn('region', ['north', null, 'north']).codes; // Int32Array [0, -1, 0]
 * ```
 */
export function categoryColumn(name: string, values: readonly (string | null)[]): CategoryColumn {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      k = dictionary.length;
      dictionary.push(v);
      index.set(v, k);
    }
    codes[i] = k;
  }
  return makeColumn(name, 'category', { codes, dictionary }) as CategoryColumn;
}

/**
 * Whether cell `i` of a column is missing.
 *
 * @example
 * ```ts
 * isMissing(ds.column('age'), 3);
 * ```
 */
export function isMissing(col: Column, i: number): boolean {
  switch (col.kind) {
    case 'category':
      return (col.codes[i] as number) < 0;
    case 'boolean':
      return (col.values[i] as number) < 0;
    case 'text':
      return col.values[i] == null;
    default:
      return Number.isNaN(col.values[i] as number);
  }
}

/**
 * The user-facing value of cell `i` (`null` when missing, a `Date` for datetimes).
 *
 * @example
 * ```ts
 * cellValue(ds.column('region'), 0); // 'north'
 * ```
 */
export function cellValue(col: Column, i: number): CellValue {
  switch (col.kind) {
    case 'category': {
      const c = col.codes[i] as number;
      return c < 0 ? null : (col.dictionary[c] as string);
    }
    case 'boolean': {
      const v = col.values[i] as number;
      return v < 0 ? null : v === 1;
    }
    case 'text':
      return col.values[i] ?? null;
    case 'datetime': {
      const v = col.values[i] as number;
      return Number.isNaN(v) ? null : new Date(v);
    }
    default: {
      const v = col.values[i] as number;
      return Number.isNaN(v) ? null : v;
    }
  }
}

/**
 * Number of missing cells in a column.
 *
 * @example
 * ```ts
 * nullCount(ds.column('age')); // 2
 * ```
 */
export function nullCount(col: Column): number {
  let n = 0;
  for (let i = 0; i < col.length; i++) if (isMissing(col, i)) n++;
  return n;
}

/**
 * A new column made of the rows at `indices` (in that order).
 *
 * @example
 * ```ts
 * const firstTwo = takeColumn(ds.column('age'), [0, 1]);
 * ```
 */
export function takeColumn(col: Column, indices: Indices): Column {
  const n = indices.length;
  switch (col.kind) {
    case 'category': {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = col.codes[indices[i] as number] as number;
      return { name: col.name, kind: 'category', length: n, codes, dictionary: col.dictionary };
    }
    case 'boolean': {
      const values = new Int8Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i] as number] as number;
      return { name: col.name, kind: 'boolean', length: n, values };
    }
    case 'text': {
      const values = new Array<string | null>(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i] as number] ?? null;
      return { name: col.name, kind: 'text', length: n, values };
    }
    default: {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i] as number] as number;
      return { name: col.name, kind: col.kind, length: n, values };
    }
  }
}

/**
 * A new column over rows `[start, end)`.
 *
 * @example
 * ```ts
 * sliceColumn(ds.column('age'), 0, 10);
 * ```
 */
export function sliceColumn(col: Column, start: number, end: number): Column {
  switch (col.kind) {
    case 'category':
      return { name: col.name, kind: 'category', length: end - start, codes: col.codes.slice(start, end), dictionary: col.dictionary };
    case 'boolean':
      return { name: col.name, kind: 'boolean', length: end - start, values: col.values.slice(start, end) };
    case 'text':
      return { name: col.name, kind: 'text', length: end - start, values: col.values.slice(start, end) };
    default:
      return { name: col.name, kind: col.kind, length: end - start, values: col.values.slice(start, end) };
  }
}

/**
 * The same column under a new name.
 *
 * @example
 * ```ts
 * renameColumn(ds.column('inc'), 'income');
 * ```
 */
export function renameColumn(col: Column, name: string): Column {
  return { ...col, name } as Column;
}

/**
 * Column values as a plain array of {@link CellValue}.
 *
 * @example
 * ```ts
 * columnToArray(ds.column('region')); // ['north', null, 'south']
 * ```
 */
export function columnToArray(col: Column): CellValue[] {
  const out = new Array<CellValue>(col.length);
  for (let i = 0; i < col.length; i++) out[i] = cellValue(col, i);
  return out;
}

/**
 * Concatenates columns of the same name; kinds must agree (integer and number give number;
 * categories merge their dictionaries; category and text give text).
 *
 * @example
 * ```ts
 * concatColumns([a.column('x'), b.column('x')]);
 * ```
 */
export function concatColumns(cols: readonly Column[]): Column {
  const first = cols[0];
  if (!first) throw new TesseraError('E_EMPTY', 'nothing to concatenate');
  const name = first.name;
  const total = cols.reduce((s, c) => s + c.length, 0);
  const kinds = new Set(cols.map((c) => c.kind));
  const stringy = [...kinds].every((k) => k === 'category' || k === 'text');
  if (kinds.size > 1 && stringy) {
    const values: (string | null)[] = [];
    for (const c of cols) for (let i = 0; i < c.length; i++) values.push(cellValue(c, i) as string | null);
    return { name, kind: 'text', length: total, values };
  }
  if (kinds.size > 1) {
    const numeric = [...kinds].every((k) => k === 'number' || k === 'integer');
    if (!numeric) throw new TesseraError('E_SCHEMA', `column "${name}" has different kinds in the datasets: ${[...kinds].join(', ')}`, { column: name });
  }
  const kind = kinds.size > 1 ? 'number' : first.kind;
  if (kind === 'category') {
    const dict: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(total);
    let o = 0;
    for (const c of cols as CategoryColumn[]) {
      const remap = c.dictionary.map((v) => {
        let k = index.get(v);
        if (k === undefined) {
          k = dict.length;
          dict.push(v);
          index.set(v, k);
        }
        return k;
      });
      for (let i = 0; i < c.length; i++) {
        const code = c.codes[i] as number;
        codes[o++] = code < 0 ? -1 : (remap[code] as number);
      }
    }
    return { name, kind, length: total, codes, dictionary: dict };
  }
  if (kind === 'text') {
    const values: (string | null)[] = [];
    for (const c of cols as TextColumn[]) for (const v of c.values) values.push(v);
    return { name, kind, length: total, values };
  }
  if (kind === 'boolean') {
    const values = new Int8Array(total);
    let o = 0;
    for (const c of cols as BooleanColumn[]) {
      values.set(c.values, o);
      o += c.length;
    }
    return { name, kind, length: total, values };
  }
  const values = new Float64Array(total);
  let o = 0;
  for (const c of cols as NumericColumn[]) {
    values.set(c.values, o);
    o += c.length;
  }
  return { name, kind: kind as NumericColumn['kind'], length: total, values };
}
