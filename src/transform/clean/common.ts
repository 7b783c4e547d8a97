import { checkAbort } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import type { FitOptions, FittedTransform, Serialized, Tags } from '../../core/protocol.js';
import { type Column, type ColumnKind, categoryColumn, makeColumn } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../../dataset/features.js';

/**
 * Shared shape of the fitted cleaning transforms: the columns they read, a JSON state, and a
 * per-column rewrite. `transform` checks the columns and applies `apply`.
 *
 * @example
 * ```ts
 * const fitted = await new TextCleaner().fit(ds);
 * fitted.inputColumns; fitted.transform(ds);
 * ```
 */
export abstract class FittedCleaner<P extends object, S extends object> implements FittedTransform {
  readonly kind = 'transform' as const;
  abstract readonly type: string;
  readonly tags: Tags;
  readonly params: P;
  readonly inputColumns: readonly string[];
  readonly state: S;

  constructor(params: P, tags: Tags, columns: readonly string[], state: S) {
    this.params = params;
    this.tags = tags;
    this.inputColumns = Object.freeze([...columns]);
    this.state = state;
  }

  /** Rewrites the input columns; other columns pass through. */
  transform(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, this.type);
    return this.apply(ds);
  }

  protected abstract apply(ds: Dataset): Dataset;

  toJSON(): Serialized<P, S & { columns: string[] }> {
    return { type: this.type, version: 1, params: this.params, state: { ...this.state, columns: [...this.inputColumns] } };
  }
}

/** Shared `fit` prologue: abort, non-empty, resolve columns of the given kinds. @internal */
export function fitColumns(ds: Dataset, columns: readonly string[] | undefined, kinds: readonly ColumnKind[], owner: string, options?: FitOptions): string[] {
  checkAbort(options?.signal);
  requireRows(ds, owner);
  return resolveColumns(ds, columns, kinds, owner);
}

/** A category or text column's values as strings (`null` = missing). @internal */
export function stringValues(col: Column): (string | null)[] {
  if (col.kind === 'category') return Array.from(col.codes, (c) => (c < 0 ? null : (col.dictionary[c] as string)));
  if (col.kind === 'text') return [...col.values];
  throw new TesseraError('E_SCHEMA', `column "${col.name}" is ${col.kind}, expected category or text`, { column: col.name });
}

/** Rebuilds a category (dictionary re-made, duplicates merged) or text column from strings. @internal */
export function stringColumn(name: string, kind: 'category' | 'text', values: readonly (string | null)[]): Column {
  return kind === 'text' ? makeColumn(name, 'text', { values }) : categoryColumn(name, values);
}

/** Restores state after JSON (checks the columns array). @internal */
export function stateColumns(state: { columns?: unknown }, type: string): string[] {
  if (!Array.isArray(state.columns)) throw new TesseraError('E_SERIALIZATION', `${type}: state.columns must be an array`);
  return state.columns.map(String);
}
