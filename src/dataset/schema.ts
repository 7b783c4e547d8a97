import { TesseraError, unknownColumn } from '../core/errors.js';
import { COLUMN_KINDS, type ColumnKind } from './column.js';

/**
 * What a column is for: an identifier, the prediction target, the time index, or a feature.
 *
 * @example
 * ```ts
 * const role: ColumnRole = 'target';
 * ```
 */
export type ColumnRole = 'id' | 'target' | 'time' | 'feature';

/** All roles. @example `COLUMN_ROLES.includes('id') // true` */
export const COLUMN_ROLES: readonly ColumnRole[] = ['id', 'target', 'time', 'feature'];

/**
 * One column's description in a {@link Schema}.
 *
 * @example
 * ```ts
 * const f: Field = { name: 'age', kind: 'integer', nullable: false };
 * ```
 */
export interface Field {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Whether the column holds at least one missing value (or was declared nullable). */
  readonly nullable: boolean;
  readonly role?: ColumnRole;
}

/**
 * The per-column override a caller may give when building a Dataset (tessera's own schema object).
 *
 * @example
 * ```ts
 * Dataset.from(rows, { schema: { zip: { kind: 'category' }, churn: { role: 'target' } } });
 * ```
 */
export interface FieldOverride {
  kind?: ColumnKind;
  role?: ColumnRole;
  nullable?: boolean;
}

/**
 * An immutable list of {@link Field}s with lookups by name and role.
 *
 * @example
 * ```ts
 * ds.schema.field('age').kind;         // 'integer'
 * ds.schema.byRole('target');          // ['churn']
 * ```
 */
export class Schema {
  /** Fields in column order. */
  readonly fields: readonly Field[];
  private readonly index: Map<string, number>;

  constructor(fields: readonly Field[]) {
    this.fields = Object.freeze(fields.map((f) => Object.freeze({ ...f })));
    this.index = new Map(fields.map((f, i) => [f.name, i]));
  }

  /** Column names in order. */
  get names(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** Whether a column exists. */
  has(name: string): boolean {
    return this.index.has(name);
  }

  /** The field of a column; throws `E_COLUMN` (with the closest names) when unknown. */
  field(name: string): Field {
    const i = this.index.get(name);
    if (i === undefined) unknownColumn(name, this.names);
    return this.fields[i] as Field;
  }

  /** Names of the columns with a role. */
  byRole(role: ColumnRole): string[] {
    return this.fields.filter((f) => f.role === role).map((f) => f.name);
  }

  /** Plain JSON form. */
  toJSON(): Field[] {
    return this.fields.map((f) => ({ ...f }));
  }
}

/**
 * Checks a field override (kind and role names) and throws `E_SCHEMA` naming the column when it is wrong.
 *
 * @example
 * ```ts
 * checkOverride('age', { kind: 'integer' });
 * ```
 */
export function checkOverride(column: string, o: FieldOverride): void {
  if (o.kind !== undefined && !COLUMN_KINDS.includes(o.kind)) {
    throw new TesseraError('E_SCHEMA', `column "${column}": unknown kind "${String(o.kind)}" (expected one of ${COLUMN_KINDS.join(', ')})`, {
      column,
    });
  }
  if (o.role !== undefined && !COLUMN_ROLES.includes(o.role)) {
    throw new TesseraError('E_SCHEMA', `column "${column}": unknown role "${String(o.role)}" (expected one of ${COLUMN_ROLES.join(', ')})`, {
      column,
    });
  }
}
