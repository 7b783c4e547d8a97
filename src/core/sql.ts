import { TesseraError } from './errors.js';

/**
 * SQL dialects that plans and check suites compile to.
 *
 * @example
 * ```ts
 * const d: SqlDialect = 'duckdb';
 * ```
 */
export type SqlDialect = 'duckdb' | 'postgres' | 'ansi';

/**
 * A compiled statement: text with positional placeholders and the values bound to them. Values are
 * never spliced into the text.
 *
 * @example
 * ```ts
 * const q: SqlQuery = { text: 'SELECT * FROM "t" WHERE "age" > $1', params: [40], dialect: 'postgres' };
 * ```
 */
export interface SqlQuery {
  readonly text: string;
  readonly params: readonly unknown[];
  readonly dialect: SqlDialect;
}

/**
 * Quotes an identifier for any of the dialects (double quotes, embedded quotes doubled). Refuses
 * NUL characters and empty names.
 *
 * @example
 * ```ts
 * quoteIdent('order "total"'); // "order ""total"""
 * ```
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) throw new TesseraError('E_QUERY', `invalid SQL identifier ${JSON.stringify(name)}`, { column: name });
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Collects bound parameters while a statement is written, and returns the dialect's placeholder
 * (`$1`, `$2`... for DuckDB and PostgreSQL, `?` for ANSI).
 *
 * @example
 * ```ts
 * const p = new SqlParams('postgres');
 * const text = `SELECT * FROM t WHERE a > ${p.add(3)}`; // ... a > $1
 * p.values; // [3]
 * ```
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly dialect: SqlDialect) {}
  /** Binds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'ansi' ? '?' : `$${this.values.length}`;
  }
}
