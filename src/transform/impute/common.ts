import { TesseraError } from '../../core/errors.js';
import { type Column, type ColumnKind, isMissing, makeColumn } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';

/**
 * What one `transform` filled: the number of cells filled per imputed column (in column order,
 * zero counts included) and the total. Returned by every fitted imputer's `transformWithReport`.
 *
 * @example
 * ```ts
 * const { data, report } = fitted.transformWithReport(ds);
 * report.total;            // 12
 * report.columns[0];       // { column: 'age', kind: 'integer', filled: 5 }
 * ```
 */
export interface ImputeReport {
  /** One entry per column the imputer handles, in column order. */
  readonly columns: readonly { readonly column: string; readonly kind: ColumnKind; readonly filled: number }[];
  /** Total number of cells filled. */
  readonly total: number;
}

/**
 * A Dataset with its gaps filled, and what was filled.
 *
 * @example
 * ```ts
 * const r: ImputeResult = fitted.transformWithReport(ds);
 * r.data; r.report.total;
 * ```
 */
export interface ImputeResult {
  readonly data: Dataset;
  readonly report: ImputeReport;
}

/** A fill value for one cell: a number (numbers, integers, datetimes as epoch ms), a string (categories, text) or a boolean. @example `const v: FillValue = 'unknown';` */
export type FillValue = number | string | boolean;

/** Suffix of missing-indicator columns (`age` gives `age_missing`). @example `INDICATOR_SUFFIX // '_missing'` */
export const INDICATOR_SUFFIX = '_missing';

/** Default constant per kind: 0 for numbers and datetimes (1970-01-01), `'missing'` for categories and text, `false` for booleans. */
export function defaultConstant(kind: ColumnKind): FillValue {
  if (kind === 'category' || kind === 'text') return 'missing';
  if (kind === 'boolean') return false;
  return 0;
}

/** Checks that a fill value suits a column's kind; throws `E_OPTION` naming the column. */
export function checkFillValue(owner: string, column: string, kind: ColumnKind, v: FillValue): FillValue {
  const numeric = kind === 'number' || kind === 'integer' || kind === 'datetime';
  if (numeric && (typeof v !== 'number' || !Number.isFinite(v))) {
    throw new TesseraError('E_OPTION', `${owner} option "fillValue": column "${column}" is ${kind} and needs a finite number, got ${JSON.stringify(v)}`, {
      option: 'fillValue',
      column,
    });
  }
  if (kind === 'boolean' && typeof v !== 'boolean') {
    throw new TesseraError('E_OPTION', `${owner} option "fillValue": column "${column}" is boolean and needs true or false, got ${JSON.stringify(v)}`, {
      option: 'fillValue',
      column,
    });
  }
  if ((kind === 'category' || kind === 'text') && typeof v !== 'string') return String(v);
  return v;
}

/** Missing cells per column. */
export function missingCounts(ds: Dataset, columns: readonly string[]): Int32Array {
  const out = new Int32Array(columns.length);
  columns.forEach((name, j) => {
    const col = ds.column(name);
    let n = 0;
    for (let i = 0; i < col.length; i++) if (isMissing(col, i)) n++;
    out[j] = n;
  });
  return out;
}

/** Refuses a column whose kind changed since fitting (`E_SCHEMA`). */
export function checkKinds(ds: Dataset, columns: readonly string[], kinds: readonly ColumnKind[], owner: string): void {
  columns.forEach((name, j) => {
    const k = ds.column(name).kind;
    const want = kinds[j] as ColumnKind;
    const numeric = (x: ColumnKind) => x === 'number' || x === 'integer';
    if (k !== want && !(numeric(k) && numeric(want))) {
      throw new TesseraError('E_SCHEMA', `${owner}: column "${name}" was ${want} when fitting, is ${k} now`, { column: name });
    }
  });
}

/**
 * A column with some cells replaced: `rows[t]` gets `values[t]` (numbers: the number; booleans: 0/1;
 * categories and text: the string given by `labels[values[t]]`). Integer columns get rounded fills
 * when `round` is set. Returns the new column (the input is not touched).
 */
export function fillColumn(col: Column, rows: ArrayLike<number>, values: ArrayLike<number>, labels: readonly string[] | undefined, round: boolean): Column {
  const n = rows.length;
  switch (col.kind) {
    case 'number':
    case 'integer':
    case 'datetime': {
      const v = col.values.slice();
      const r = round && (col.kind === 'integer' || col.kind === 'datetime');
      for (let t = 0; t < n; t++) {
        const x = values[t] as number;
        v[rows[t] as number] = r ? Math.round(x) : x;
      }
      // An integer column whose fills are not whole numbers becomes a number column.
      let kind: ColumnKind = col.kind;
      if (col.kind === 'integer' && !r) {
        for (let t = 0; t < n; t++) if (!Number.isInteger(values[t] as number)) kind = 'number';
      }
      return makeColumn(col.name, kind, { values: v });
    }
    case 'boolean': {
      const v = col.values.slice();
      for (let t = 0; t < n; t++) v[rows[t] as number] = (values[t] as number) > 0.5 ? 1 : 0;
      return makeColumn(col.name, 'boolean', { values: v });
    }
    case 'category': {
      const dict = [...col.dictionary];
      const index = new Map<string, number>();
      dict.forEach((d, k) => {
        if (!index.has(d)) index.set(d, k);
      });
      const codes = col.codes.slice();
      for (let t = 0; t < n; t++) {
        const s = labelOf(labels, values[t] as number);
        let k = index.get(s);
        if (k === undefined) {
          k = dict.length;
          dict.push(s);
          index.set(s, k);
        }
        codes[rows[t] as number] = k;
      }
      return makeColumn(col.name, 'category', { codes, dictionary: dict });
    }
    case 'text': {
      const v = col.values.slice();
      for (let t = 0; t < n; t++) v[rows[t] as number] = labelOf(labels, values[t] as number);
      return makeColumn(col.name, 'text', { values: v });
    }
  }
}

function labelOf(labels: readonly string[] | undefined, k: number): string {
  const s = labels?.[k];
  if (s === undefined) throw new TesseraError('E_INTERNAL', `no label for code ${k}`);
  return s;
}

/** Rows where a column is missing. */
export function missingRows(col: Column): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < col.length; i++) if (isMissing(col, i)) out.push(i);
  return Int32Array.from(out);
}

/**
 * Appends `<name>_missing` boolean columns for the named columns (from the missing masks of the
 * input `src`), refusing a name that already exists (`E_SCHEMA`).
 */
export function addIndicators(out: Dataset, src: Dataset, columns: readonly string[], owner: string): Dataset {
  let ds = out;
  for (const name of columns) {
    const ind = `${name}${INDICATOR_SUFFIX}`;
    if (src.has(ind)) {
      throw new TesseraError('E_SCHEMA', `${owner}: cannot add missing-indicator column "${ind}": a column of that name exists`, { column: ind });
    }
    const col = src.column(name);
    const v = new Int8Array(col.length);
    for (let i = 0; i < col.length; i++) v[i] = isMissing(col, i) ? 1 : 0;
    ds = ds.withColumn(ind, makeColumn(ind, 'boolean', { values: v }));
  }
  return ds;
}

/** Sorted distinct category strings (code-unit order). */
export function sortStrings(a: string[]): string[] {
  return a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * The levels of a category-like column as strings: the category dictionary (only levels that occur),
 * `['false', 'true']` for booleans, distinct strings for text.
 */
export function levelsOf(col: Column): string[] {
  if (col.kind === 'boolean') return ['false', 'true'];
  const seen = new Set<string>();
  if (col.kind === 'category') {
    for (let i = 0; i < col.length; i++) {
      const c = col.codes[i] as number;
      if (c >= 0) seen.add(col.dictionary[c] as string);
    }
  } else if (col.kind === 'text') {
    for (const v of col.values) if (v != null) seen.add(v);
  }
  return sortStrings([...seen]);
}

/**
 * Level index of each cell of a category-like column against fitted `levels`: `-1` missing, `-2` a
 * level not seen when fitting.
 */
export function levelCodes(col: Column, levels: readonly string[]): Int32Array {
  const out = new Int32Array(col.length);
  if (col.kind === 'boolean') {
    for (let i = 0; i < col.length; i++) out[i] = col.values[i] as number;
    return out;
  }
  const index = new Map<string, number>(levels.map((l, k) => [l, k]));
  if (col.kind === 'category') {
    const map = col.dictionary.map((d) => index.get(d) ?? -2);
    for (let i = 0; i < col.length; i++) {
      const c = col.codes[i] as number;
      out[i] = c < 0 ? -1 : (map[c] as number);
    }
    return out;
  }
  if (col.kind === 'text') {
    for (let i = 0; i < col.length; i++) {
      const v = col.values[i];
      out[i] = v == null ? -1 : (index.get(v) ?? -2);
    }
    return out;
  }
  throw new TesseraError('E_INTERNAL', `levelCodes on a ${col.kind} column`);
}

/** Whether a kind is treated as categorical by the imputers (category, boolean, text). */
export function isCategorical(kind: ColumnKind): boolean {
  return kind === 'category' || kind === 'boolean' || kind === 'text';
}

/**
 * Per-column description used by the model-based imputers: numeric columns (number, integer,
 * datetime) and categorical columns (category, boolean) with their fitted levels.
 */
export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** Fitted levels, for categorical columns; `[]` for numeric ones. */
  levels: string[];
}

/**
 * The dense row-major matrix of the columns in `specs`: numbers as they are, categorical columns as
 * level indices (0..L-1); `NaN` for missing cells and for levels not seen when fitting. `missing`
 * marks the cells that are really missing (those to fill); an unseen level is a value, not a gap.
 */
export function encodeMatrix(ds: Dataset, specs: readonly ColumnSpec[]): { X: Float64Array; missing: Uint8Array; n: number; p: number } {
  const n = ds.nrows;
  const p = specs.length;
  const X = new Float64Array(n * p);
  const missing = new Uint8Array(n * p);
  specs.forEach((s, j) => {
    const col = ds.column(s.name);
    if (isCategorical(s.kind)) {
      const codes = levelCodes(col, s.levels);
      for (let i = 0; i < n; i++) {
        const c = codes[i] as number;
        X[i * p + j] = c >= 0 ? c : Number.NaN;
        if (c === -1) missing[i * p + j] = 1;
      }
    } else {
      const v = (col as { values: Float64Array }).values;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        X[i * p + j] = x;
        if (Number.isNaN(x)) missing[i * p + j] = 1;
      }
    }
  });
  return { X, missing, n, p };
}

/** Refuses infinite numbers (`E_NON_FINITE`, naming column and row). */
export function checkFinite(X: Float64Array, n: number, p: number, specs: readonly ColumnSpec[], owner: string): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const v = X[i * p + j] as number;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        const column = (specs[j] as ColumnSpec).name;
        throw new TesseraError('E_NON_FINITE', `${owner}: column "${column}", row ${i} is ${v}`, { column, row: i });
      }
    }
  }
}

/**
 * Writes filled cells of an encoded matrix back into a Dataset and builds the report: for each
 * column of `specs`, the cells marked in `missing` get the value in `X` (a level index for
 * categorical columns).
 */
export function decodeFilled(
  ds: Dataset,
  specs: readonly ColumnSpec[],
  X: Float64Array,
  missing: Uint8Array,
  round: boolean,
): { data: Dataset; counts: Int32Array } {
  const n = ds.nrows;
  const p = specs.length;
  let out = ds;
  const counts = new Int32Array(p);
  specs.forEach((s, j) => {
    const rows: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      if (missing[i * p + j]) {
        rows.push(i);
        vals.push(X[i * p + j] as number);
      }
    }
    counts[j] = rows.length;
    if (rows.length === 0) return;
    out = out.withColumn(s.name, fillColumn(ds.column(s.name), rows, vals, s.levels, round));
  });
  return { data: out, counts };
}

/** Builds an {@link ImputeReport}. */
export function makeReport(specs: readonly { name: string; kind: ColumnKind }[], counts: ArrayLike<number>): ImputeReport {
  let total = 0;
  const columns = specs.map((s, j) => {
    const filled = counts[j] as number;
    total += filled;
    return Object.freeze({ column: s.name, kind: s.kind, filled });
  });
  return Object.freeze({ columns: Object.freeze(columns), total });
}

/** Throws `E_MISSING_VALUES` for columns with no observed value when `emptyColumns` is `'error'`. */
export function refuseEmptyColumns(owner: string, empty: readonly string[]): void {
  if (empty.length === 0) return;
  throw new TesseraError(
    'E_MISSING_VALUES',
    `${owner}: column${empty.length > 1 ? 's' : ''} ${empty.map((c) => `"${c}"`).join(', ')} ${empty.length > 1 ? 'have' : 'has'} no observed value to learn from; drop ${empty.length > 1 ? 'them' : 'it'} or pass emptyColumns: 'constant' to fill with a constant`,
    { columns: [...empty] },
  );
}
