import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import { COLUMN_KINDS } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireColumns } from '../../dataset/features.js';
import { duplicateRows } from '../../quality/index.js';
import { fitColumns } from '../clean/common.js';

const Options = z
  .object({
    /** Key columns; default: all columns. */
    columns: z.array(z.string()).min(1).optional(),
    /** Which row of a duplicate group to keep. Default `first`. */
    keep: z.enum(['first', 'last']).default('first'),
  })
  .strict();

/** Options of {@link ExactDedup}. @example `const o: ExactDedupOptions = { columns: ['email'], keep: 'last' };` */
export type ExactDedupOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };

/**
 * Removes exact duplicates: rows equal on the key columns (all columns by default; missing equals
 * missing), keeping the first or last of each group, in the original order.
 *
 * @example
 * ```ts
 * import { Dataset, ExactDedup } from 'tessera';
 * const ds = Dataset.from({ email: ['a@x', 'b@x', 'a@x'], n: [1, 2, 3] });
 * const fitted = await new ExactDedup({ columns: ['email'] }).fit(ds);
 * fitted.transform(ds).toColumns().n; // [1, 2]
 * fitted.groups(ds);                  // [[0, 2]]
 * ```
 */
export class ExactDedup implements Transform<FittedExactDedup> {
  readonly kind = 'transform' as const;
  readonly type = 'ExactDedup';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: ExactDedupOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedExactDedup> {
    const cols = fitColumns(ds, this.params.columns ?? ds.columnNames, COLUMN_KINDS, this.type, options);
    return new FittedExactDedup(this.params, cols);
  }
}

/**
 * A fitted {@link ExactDedup}.
 *
 * @example
 * ```ts
 * fitted.groups(ds); fitted.transform(ds);
 * ```
 */
export class FittedExactDedup implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedExactDedup';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  constructor(params: Params, columns: readonly string[]) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
  }
  /** Groups of duplicate row indices (each group in row order). */
  groups(ds: Dataset): number[][] {
    requireColumns(ds, this.inputColumns, 'ExactDedup');
    return duplicateRows(ds.select(this.inputColumns)).groups;
  }
  transform(ds: Dataset): Dataset {
    const drop = new Set<number>();
    for (const g of this.groups(ds)) {
      const keep = this.params.keep === 'first' ? g[0] : g[g.length - 1];
      for (const i of g) if (i !== keep) drop.add(i);
    }
    if (drop.size === 0) return ds;
    const keepRows: number[] = [];
    for (let i = 0; i < ds.nrows; i++) if (!drop.has(i)) keepRows.push(i);
    return ds.take(keepRows);
  }
  toJSON(): Serialized<Params, { columns: string[] }> {
    return { type: this.type, version: 1, params: this.params, state: { columns: [...this.inputColumns] } };
  }
  /** Restores from {@link FittedExactDedup.toJSON} output. */
  static fromJSON(json: Serialized): FittedExactDedup {
    const { params, state } = expectType<{ columns: string[] }, Params>(json, 'FittedExactDedup');
    return new FittedExactDedup(parseOptions(Options, params, 'ExactDedup'), state.columns);
  }
}

registerLoader('FittedExactDedup', 1, FittedExactDedup.fromJSON);
