import { TesseraError } from '../core/errors.js';
import { type Column, cellValue, isMissing } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';

/** Kinds the encoders read. @example `ENCODABLE.includes('category') // true` */
export const ENCODABLE = ['category', 'text', 'boolean'] as const;

/**
 * The string form of a cell for encoders (`null` when missing): booleans become `'true'`/`'false'`.
 *
 * @example
 * ```ts
 * categoryKey(ds.column('vip'), 0); // 'true'
 * ```
 */
export function categoryKey(col: Column, i: number): string | null {
  if (isMissing(col, i)) return null;
  const v = cellValue(col, i);
  return v instanceof Date ? v.toISOString() : String(v);
}

/**
 * Per column, the sorted distinct non-missing values (code-unit order, as NumPy sorts strings)
 * and whether a missing value was seen.
 *
 * @example
 * ```ts
 * learnCategories(ds, ['region']); // [{ values: ['north', 'south'], missing: false }]
 * ```
 */
export function learnCategories(ds: Dataset, columns: readonly string[]): { values: string[]; missing: boolean }[] {
  return columns.map((name) => {
    const col = ds.column(name);
    const seen = new Set<string>();
    let missing = false;
    for (let i = 0; i < col.length; i++) {
      const k = categoryKey(col, i);
      if (k === null) missing = true;
      else seen.add(k);
    }
    return { values: [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), missing };
  });
}

/**
 * Throws `E_UNKNOWN_CATEGORY` for a value not seen when fitting, naming column, row and value.
 *
 * @example
 * ```ts
 * unknownCategory('OneHotEncoder', 'region', 4, 'west');
 * ```
 */
export function unknownCategory(owner: string, column: string, row: number, value: string | null): never {
  const what = value === null ? 'a missing value' : `category ${JSON.stringify(value.slice(0, 80))}`;
  throw new TesseraError('E_UNKNOWN_CATEGORY', `${owner}: column "${column}", row ${row} has ${what} not seen when fitting (set handleUnknown to accept it)`, {
    column,
    row,
    value,
  });
}
