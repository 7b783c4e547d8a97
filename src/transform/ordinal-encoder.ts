import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { expectType, registerLoader } from '../core/serialize.js';
import { makeColumn } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';
import { categoryKey, ENCODABLE, learnCategories, unknownCategory } from './categories.js';

const Options = z
  .object({
    /** Columns to encode; default: every category column without a non-feature role. Text and boolean columns may be named. */
    columns: z.array(z.string()).optional(),
    /** `error` (default) refuses a category not seen when fitting; `useEncodedValue` writes `unknownValue`. */
    handleUnknown: z.enum(['error', 'useEncodedValue']).default('error'),
    /** Code for unseen categories with `useEncodedValue` (an integer such as -1, or `null` for missing). */
    unknownValue: z.number().int().nullable().default(null),
  })
  .strict();

/** Options of {@link OrdinalEncoder}. @example `const o: OrdinalEncoderOptions = { handleUnknown: 'useEncodedValue', unknownValue: -1 };` */
export type OrdinalEncoderOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };

interface State {
  columns: string[];
  categories: string[][];
}

/**
 * Encodes categorical columns as integer codes 0..k-1 in sorted category order, as scikit-learn's
 * `OrdinalEncoder`. Missing values stay missing (`NaN`).
 *
 * @example
 * ```ts
 * const ds = Dataset.from({ size: ['M', 'S', 'L'] });
 * const out = (await new OrdinalEncoder().fit(ds)).transform(ds);
 * out.toColumns().size; // [1, 2, 0]  (L, M, S)
 * ```
 */
export class OrdinalEncoder implements Transform<FittedOrdinalEncoder> {
  readonly kind = 'transform' as const;
  readonly type = 'OrdinalEncoder';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: OrdinalEncoderOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedOrdinalEncoder> {
    checkAbort(options?.signal);
    requireRows(ds, this.type);
    const columns = this.params.columns
      ? resolveColumns(ds, this.params.columns, ENCODABLE, this.type)
      : resolveColumns(ds, undefined, ['category'], this.type);
    const categories = learnCategories(ds, columns).map((l) => l.values);
    return new FittedOrdinalEncoder(this.params, { columns, categories });
  }
}

/**
 * A fitted {@link OrdinalEncoder}; `categories[j][code]` is the category of a code.
 *
 * @example
 * ```ts
 * const fitted = await new OrdinalEncoder().fit(ds);
 * fitted.inverseTransform(fitted.transform(ds)); // categories again
 * ```
 */
export class FittedOrdinalEncoder implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedOrdinalEncoder';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  readonly categories: readonly (readonly string[])[];

  constructor(params: Params, state: State) {
    this.params = params;
    this.inputColumns = Object.freeze([...state.columns]);
    this.categories = Object.freeze(state.categories.map((c) => Object.freeze([...c])));
  }

  transform(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, 'OrdinalEncoder');
    resolveColumns(ds, this.inputColumns, ENCODABLE, 'OrdinalEncoder');
    let out = ds;
    const unknown = this.params.unknownValue === null ? Number.NaN : this.params.unknownValue;
    this.inputColumns.forEach((name, j) => {
      const index = new Map((this.categories[j] as string[]).map((c, k) => [c, k]));
      const col = ds.column(name);
      const values = new Float64Array(col.length);
      for (let i = 0; i < col.length; i++) {
        const key = categoryKey(col, i);
        if (key === null) values[i] = Number.NaN;
        else {
          const k = index.get(key);
          if (k !== undefined) values[i] = k;
          else if (this.params.handleUnknown === 'error') unknownCategory('OrdinalEncoder', name, i, key);
          else values[i] = unknown;
        }
      }
      out = out.withColumn(name, makeColumn(name, 'integer', { values }));
    });
    return out;
  }

  /** Maps codes back to categories (unknown or missing codes become missing). */
  inverseTransform(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, 'OrdinalEncoder');
    let out = ds;
    this.inputColumns.forEach((name, j) => {
      const cats = this.categories[j] as readonly string[];
      const codes = ds.matrix([name]);
      const ints = new Int32Array(codes.length);
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i] as number;
        ints[i] = Number.isInteger(c) && c >= 0 && c < cats.length ? c : -1;
      }
      out = out.withColumn(name, makeColumn(name, 'category', { codes: ints, dictionary: cats }));
    });
    return out;
  }

  toJSON(): Serialized<Params, State> {
    return { type: this.type, version: 1, params: this.params, state: { columns: [...this.inputColumns], categories: this.categories.map((c) => [...c]) } };
  }

  /** Restores from {@link FittedOrdinalEncoder.toJSON} output. */
  static fromJSON(json: Serialized): FittedOrdinalEncoder {
    const { params, state } = expectType<State, Params>(json, 'FittedOrdinalEncoder');
    return new FittedOrdinalEncoder(parseOptions(Options, params, 'OrdinalEncoder'), state);
  }
}

registerLoader('FittedOrdinalEncoder', 1, FittedOrdinalEncoder.fromJSON);
