import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import { COLUMN_KINDS, type ColumnKind, cellValue, isMissing } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { buildColumn } from '../../dataset/infer.js';
import { FittedCleaner, fitColumns, stateColumns } from './common.js';

const Options = z
  .object({
    /** Target kind per column, e.g. `{ price: 'number', zip: 'category' }`. */
    kinds: z.record(z.string(), z.enum(COLUMN_KINDS as [ColumnKind, ...ColumnKind[]])).refine((k) => Object.keys(k).length > 0, 'name at least one column'),
  })
  .strict();

/** Options of {@link KindCoercer}. @example `const o: KindCoercerOptions = { kinds: { price: 'number' } };` */
export type KindCoercerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };

/**
 * What a coercion could not convert in one column.
 *
 * @example
 * ```ts
 * const { report } = fitted.transformWithReport(ds);
 * report[0]; // { column: 'price', to: 'number', failed: 2, rows: [3, 9], examples: ['n/a', '12,5'] }
 * ```
 */
export interface CoercionReport {
  column: string;
  from: ColumnKind;
  to: ColumnKind;
  /** Cells that were present but could not be converted (they became missing). */
  failed: number;
  rows: number[];
  examples: string[];
}

/**
 * Converts columns to the given kinds (numbers from text, categories from numbers, datetimes
 * from ISO strings...). Cells that cannot be converted become missing; `transformWithReport`
 * says which, so nothing is lost silently.
 *
 * @example
 * ```ts
 * import { Dataset, KindCoercer } from 'tessera';
 * const ds = Dataset.from({ price: ['12.5', 'n/a', '7'] }, { missingTokens: [] });
 * const fitted = await new KindCoercer({ kinds: { price: 'number' } }).fit(ds);
 * const { dataset, report } = fitted.transformWithReport(ds);
 * dataset.column('price').kind; // 'number'
 * report[0].rows;               // [1]
 * ```
 */
export class KindCoercer implements Transform<FittedKindCoercer> {
  readonly kind = 'transform' as const;
  readonly type = 'KindCoercer';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: KindCoercerOptions = { kinds: {} }) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedKindCoercer> {
    const cols = fitColumns(ds, Object.keys(this.params.kinds), COLUMN_KINDS, this.type, options);
    return new FittedKindCoercer(this.params, cols);
  }
}

/**
 * A fitted {@link KindCoercer}.
 *
 * @example
 * ```ts
 * fitted.transformWithReport(ds).report;
 * ```
 */
export class FittedKindCoercer extends FittedCleaner<Params, Record<string, never>> {
  readonly type = 'FittedKindCoercer';
  constructor(params: Params, columns: readonly string[]) {
    super(params, TAGS, columns, {});
  }
  protected apply(ds: Dataset): Dataset {
    return this.transformWithReport(ds).dataset;
  }
  /** Transforms and reports, per column, the cells that could not be converted. */
  transformWithReport(ds: Dataset): { dataset: Dataset; report: CoercionReport[] } {
    let out = ds;
    const report: CoercionReport[] = [];
    for (const name of this.inputColumns) {
      if (!ds.has(name)) throw new TesseraError('E_NOT_FITTED_COLUMNS', `KindCoercer: column "${name}" is not in this dataset`, { column: name });
      const col = ds.column(name);
      const to = this.params.kinds[name] as ColumnKind;
      const raw = Array.from({ length: col.length }, (_, i) => {
        const v = cellValue(col, i);
        return v instanceof Date ? v.toISOString() : v;
      });
      const built = buildColumn(name, raw, to, { onInvalid: 'null', missingTokens: [] });
      const rows: number[] = [];
      const examples: string[] = [];
      for (let i = 0; i < col.length; i++) {
        if (!isMissing(col, i) && isMissing(built.column, i)) {
          rows.push(i);
          if (examples.length < 5) examples.push(String(raw[i]));
        }
      }
      report.push({ column: name, from: col.kind, to, failed: rows.length, rows, examples });
      out = out.withColumn(name, built.column);
    }
    return { dataset: out, report };
  }
  /** Restores from {@link FittedKindCoercer.toJSON} output. */
  static fromJSON(json: Serialized): FittedKindCoercer {
    const { params, state } = expectType<{ columns: string[] }, Params>(json, 'FittedKindCoercer');
    return new FittedKindCoercer(parseOptions(Options, params, 'KindCoercer'), stateColumns(state, 'FittedKindCoercer'));
  }
}

registerLoader('FittedKindCoercer', 1, FittedKindCoercer.fromJSON);
