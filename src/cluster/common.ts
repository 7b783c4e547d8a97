import { TesseraError } from '../core/errors.js';
import { COLUMN_KINDS } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';
import { type DenseMatrix, numericMatrix } from '../reduce/index.js';

/**
 * The numeric input of an unsupervised fit: the named columns, or else every column without an
 * `id`/`target`/`time` role (of any kind, so that a category or text feature is refused by name
 * with an encoder hint instead of being silently dropped). Missing values throw `E_MISSING_VALUES`
 * naming the columns; fewer than `minRows` rows throw `E_EMPTY`.
 *
 * @example
 * ```ts
 * const { data, nrows, ncols } = fitMatrix(ds, undefined, 'KMeans');
 * ```
 */
export function fitMatrix(ds: Dataset, columns: readonly string[] | undefined, owner: string, minRows = 1): DenseMatrix {
  requireRows(ds, owner, minRows);
  const cols = resolveColumns(ds, columns, COLUMN_KINDS, owner);
  if (cols.length === 0) {
    throw new TesseraError('E_SCHEMA', `${owner} found no feature columns (every column has an id/target/time role); pass { columns: [...] }`, {
      option: 'columns',
    });
  }
  return numericMatrix(ds, cols, owner);
}

/**
 * The numeric input at inference time: the fitted columns (named when absent: `E_NOT_FITTED_COLUMNS`),
 * with the same checks as {@link fitMatrix}.
 *
 * @example
 * ```ts
 * const { data, nrows } = inferMatrix(ds, fitted.inputColumns, 'FittedKMeans');
 * ```
 */
export function inferMatrix(ds: Dataset, columns: readonly string[], owner: string): DenseMatrix {
  requireColumns(ds, columns, owner);
  return numericMatrix(ds, columns, owner);
}
