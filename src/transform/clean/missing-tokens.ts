import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import { makeColumn } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { FittedCleaner, fitColumns, stateColumns, stringColumn, stringValues } from './common.js';

/** Tokens read as missing by default (compared after trimming, case-insensitively). @example `DEFAULT_MISSING_LIKE.includes('n/a')` */
export const DEFAULT_MISSING_LIKE: readonly string[] = ['', 'na', 'n/a', 'nan', 'null', 'none', 'nil', '-', '--', '?', '#n/a', 'missing', 'unknown'];

const Options = z
  .object({
    /** Columns to clean; default: every category, text, number and integer column without a non-feature role. */
    columns: z.array(z.string()).optional(),
    /** Strings that mean "missing" (compared after trimming, case-insensitively). */
    tokens: z.array(z.string()).default([...DEFAULT_MISSING_LIKE]),
    /** Numbers that mean "missing" in numeric columns (sentinels such as -999). Default none. */
    numbers: z.array(z.number()).default([]),
  })
  .strict();

/** Options of {@link MissingTokens}. @example `const o: MissingTokensOptions = { numbers: [-999, 9999] };` */
export type MissingTokensOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };

/**
 * Unifies the many spellings of "missing" (`'N/A'`, `' - '`, `'null'`, sentinel numbers such as
 * -999) into real missing values, so that counts, imputers and checks see them.
 *
 * @example
 * ```ts
 * import { Dataset, MissingTokens } from 'tessera';
 * const ds = Dataset.from({ city: ['Oslo', 'N/A', ' - '], temp: [12, -999, 14] });
 * const out = (await new MissingTokens({ numbers: [-999] }).fit(ds)).transform(ds);
 * out.toColumns(); // { city: ['Oslo', null, null], temp: [12, null, 14] }
 * ```
 */
export class MissingTokens implements Transform<FittedMissingTokens> {
  readonly kind = 'transform' as const;
  readonly type = 'MissingTokens';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: MissingTokensOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedMissingTokens> {
    return new FittedMissingTokens(this.params, fitColumns(ds, this.params.columns, ['category', 'text', 'number', 'integer'], this.type, options));
  }
}

/**
 * A fitted {@link MissingTokens}.
 *
 * @example
 * ```ts
 * (await new MissingTokens().fit(ds)).transform(ds);
 * ```
 */
export class FittedMissingTokens extends FittedCleaner<Params, Record<string, never>> {
  readonly type = 'FittedMissingTokens';
  private readonly tokenSet: Set<string>;
  private readonly numberSet: Set<number>;
  constructor(params: Params, columns: readonly string[]) {
    super(params, TAGS, columns, {});
    this.tokenSet = new Set(params.tokens.map((t) => t.trim().toLowerCase()));
    this.numberSet = new Set(params.numbers);
  }
  protected apply(ds: Dataset): Dataset {
    let out = ds;
    for (const name of this.inputColumns) {
      const col = ds.column(name);
      if (col.kind === 'number' || col.kind === 'integer') {
        const v = Float64Array.from(col.values, (x) => (this.numberSet.has(x) ? Number.NaN : x));
        out = out.withColumn(name, makeColumn(name, col.kind, { values: v }));
      } else {
        const values = stringValues(col).map((s) => (s === null || this.tokenSet.has(s.trim().toLowerCase()) ? null : s));
        out = out.withColumn(name, stringColumn(name, col.kind === 'category' ? 'category' : 'text', values));
      }
    }
    return out;
  }
  /** Restores from {@link FittedMissingTokens.toJSON} output. */
  static fromJSON(json: Serialized): FittedMissingTokens {
    const { params, state } = expectType<{ columns: string[] }, Params>(json, 'FittedMissingTokens');
    return new FittedMissingTokens(parseOptions(Options, params, 'MissingTokens'), stateColumns(state, 'FittedMissingTokens'));
  }
}

registerLoader('FittedMissingTokens', 1, FittedMissingTokens.fromJSON);
