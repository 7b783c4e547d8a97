import { TesseraError, unknownColumn } from '../core/errors.js';
import type { ColumnKind } from './column.js';
import { isMissing } from './column.js';
import type { Dataset } from './dataset.js';

const NUMERIC: readonly ColumnKind[] = ['number', 'integer', 'boolean', 'datetime'];

/**
 * The columns a primitive should use: the ones named in `columns` (checked to exist and to be of
 * an accepted kind), or else every column of an accepted kind that has no role other than
 * `feature` (so `id`, `target` and `time` columns pass through untouched), minus `exclude`.
 *
 * @example
 * ```ts
 * resolveColumns(ds, undefined, ['number', 'integer'], 'StandardScaler'); // the numeric features
 * ```
 */
export function resolveColumns(
  ds: Dataset,
  columns: readonly string[] | undefined,
  kinds: readonly ColumnKind[],
  owner: string,
  exclude: readonly string[] = [],
): string[] {
  if (columns) {
    const bad: string[] = [];
    for (const c of columns) {
      if (!ds.has(c)) unknownColumn(c, ds.columnNames);
      if (!kinds.includes(ds.column(c).kind)) bad.push(`"${c}" (${ds.column(c).kind})`);
    }
    if (bad.length) {
      throw new TesseraError('E_SCHEMA', `${owner} accepts ${kinds.join('/')} columns; got ${bad.join(', ')}`, { columns: [...columns] });
    }
    return [...columns];
  }
  const skip = new Set(exclude);
  return ds.schema.fields.filter((f) => kinds.includes(f.kind) && (f.role === undefined || f.role === 'feature') && !skip.has(f.name)).map((f) => f.name);
}

/**
 * Throws `E_NOT_FITTED_COLUMNS` naming every column a fitted primitive needs that `ds` lacks.
 *
 * @example
 * ```ts
 * requireColumns(ds, fitted.inputColumns, 'StandardScaler');
 * ```
 */
export function requireColumns(ds: Dataset, needed: readonly string[], owner: string): void {
  const missing = needed.filter((c) => !ds.has(c));
  if (missing.length) {
    throw new TesseraError(
      'E_NOT_FITTED_COLUMNS',
      `${owner} was fitted with column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} that ${missing.length > 1 ? 'are' : 'is'} not in this dataset`,
      { columns: missing },
    );
  }
}

/**
 * Throws `E_EMPTY` when a Dataset has fewer than `min` rows (default 1).
 *
 * @example
 * ```ts
 * requireRows(ds, 'KMeans', 2);
 * ```
 */
export function requireRows(ds: Dataset, owner: string, min = 1): void {
  if (ds.nrows < min) {
    throw new TesseraError('E_EMPTY', `${owner} needs at least ${min} row${min > 1 ? 's' : ''}, got ${ds.nrows}`, { rows: ds.nrows });
  }
}

/**
 * Options for {@link featureMatrix}.
 *
 * @example
 * ```ts
 * const opts: FeatureMatrixOptions = { allowMissing: false, owner: 'KMeans' };
 * ```
 */
export interface FeatureMatrixOptions {
  /** Who asks (named in errors). */
  owner: string;
  /** If false (default), any missing cell throws `E_MISSING_VALUES` naming the columns. */
  allowMissing?: boolean;
  /** If false (default), `Infinity` throws `E_NON_FINITE` naming the column and row. */
  allowInfinite?: boolean;
}

/**
 * The dense row-major matrix of numeric feature columns, with the checks models need: non-numeric
 * columns are refused by name (suggesting an encoder), missing values by name (suggesting an
 * imputer) unless allowed, infinities by column and row.
 *
 * @example
 * ```ts
 * const { data, nrows, ncols } = featureMatrix(ds, ['a', 'b'], { owner: 'KMeans' });
 * ```
 */
export function featureMatrix(
  ds: Dataset,
  columns: readonly string[],
  options: FeatureMatrixOptions,
): { data: Float64Array; nrows: number; ncols: number; columns: readonly string[] } {
  const nonNumeric = columns.filter((c) => !NUMERIC.includes(ds.column(c).kind));
  if (nonNumeric.length) {
    throw new TesseraError(
      'E_SCHEMA',
      `${options.owner} needs numeric columns; ${nonNumeric.map((c) => `"${c}"`).join(', ')} ${nonNumeric.length > 1 ? 'are' : 'is'} not numeric: encode ${nonNumeric.length > 1 ? 'them' : 'it'} first (OneHotEncoder or OrdinalEncoder)`,
      { columns: nonNumeric },
    );
  }
  if (!options.allowMissing) {
    const withMissing = columns.filter((c) => {
      const col = ds.column(c);
      for (let i = 0; i < col.length; i++) if (isMissing(col, i)) return true;
      return false;
    });
    if (withMissing.length) {
      throw new TesseraError(
        'E_MISSING_VALUES',
        `${options.owner} does not accept missing values; found some in ${withMissing.map((c) => `"${c}"`).join(', ')}: fill them first (e.g. SimpleImputer)`,
        { columns: withMissing },
      );
    }
  }
  const data = ds.matrix(columns);
  if (!options.allowInfinite) {
    const p = columns.length;
    for (let k = 0; k < data.length; k++) {
      const v = data[k] as number;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        const row = Math.floor(k / p);
        const column = columns[k % p] as string;
        throw new TesseraError('E_NON_FINITE', `${options.owner}: column "${column}", row ${row} is ${v}`, { column, row });
      }
    }
  }
  return { data, nrows: ds.nrows, ncols: columns.length, columns };
}

/**
 * The target column name for a supervised fit: the given one, else the column with role `target`.
 * Throws `E_OPTION` when there is none, `E_COLUMN` when unknown.
 *
 * @example
 * ```ts
 * resolveTarget(ds, options.target, 'LinearRegression');
 * ```
 */
export function resolveTarget(ds: Dataset, target: string | undefined, owner: string): string {
  if (target !== undefined) {
    ds.column(target);
    return target;
  }
  const byRole = ds.schema.byRole('target');
  if (byRole.length === 1) return byRole[0] as string;
  throw new TesseraError('E_OPTION', `${owner} needs a target: pass { target: 'column' } to fit, or give a column the role "target"`, { option: 'target' });
}
