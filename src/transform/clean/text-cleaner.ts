import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { FittedCleaner, fitColumns, stateColumns, stringColumn, stringValues } from './common.js';

const Options = z
  .object({
    /** Columns to clean; default: every category and text column without a non-feature role. */
    columns: z.array(z.string()).optional(),
    /** Remove leading and trailing white space. Default true. */
    trim: z.boolean().default(true),
    /** Replace runs of white space (including non-breaking spaces and tabs) with one space. Default true. */
    collapseWhitespace: z.boolean().default(true),
    /** Case folding. Default `none`. */
    case: z.enum(['none', 'lower', 'upper']).default('none'),
    /** Unicode normal form (`NFKC` also folds full-width letters, ligatures...). Default `NFC`. */
    normalize: z.enum(['none', 'NFC', 'NFD', 'NFKC', 'NFKD']).default('NFC'),
  })
  .strict();

/** Options of {@link TextCleaner}. @example `const o: TextCleanerOptions = { case: 'lower', normalize: 'NFKC' };` */
export type TextCleanerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };

/**
 * Trims, collapses white space, folds case and normalises Unicode in category and text columns.
 * Categories that become equal merge (`' Oslo'` and `'oslo'` → `'oslo'` with `case: 'lower'`).
 * Missing values stay missing. Stateless apart from the column list.
 *
 * @example
 * ```ts
 * import { Dataset, TextCleaner } from 'tessera';
 * const ds = Dataset.from({ city: [' Oslo', 'oslo ', 'ＲＯＭＥ'] });
 * const out = (await new TextCleaner({ case: 'lower', normalize: 'NFKC' }).fit(ds)).transform(ds);
 * out.toColumns().city; // ['oslo', 'oslo', 'rome']
 * ```
 */
export class TextCleaner implements Transform<FittedTextCleaner> {
  readonly kind = 'transform' as const;
  readonly type = 'TextCleaner';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: TextCleanerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedTextCleaner> {
    return new FittedTextCleaner(this.params, fitColumns(ds, this.params.columns, ['category', 'text'], this.type, options));
  }
}

/**
 * A fitted {@link TextCleaner}.
 *
 * @example
 * ```ts
 * const fitted = await new TextCleaner().fit(ds);
 * fitted.clean('  a  b '); // 'a b'
 * ```
 */
export class FittedTextCleaner extends FittedCleaner<Params, Record<string, never>> {
  readonly type = 'FittedTextCleaner';
  constructor(params: Params, columns: readonly string[]) {
    super(params, TAGS, columns, {});
  }
  /** Cleans one string with the fitted options. */
  clean(s: string): string {
    const p = this.params;
    let t = p.normalize === 'none' ? s : s.normalize(p.normalize);
    if (p.collapseWhitespace) t = t.replace(/[\s\u00a0\u2000-\u200b\u3000]+/g, ' ');
    if (p.trim) t = t.trim();
    if (p.case === 'lower') t = t.toLowerCase();
    else if (p.case === 'upper') t = t.toUpperCase();
    return t;
  }
  protected apply(ds: Dataset): Dataset {
    let out = ds;
    for (const name of this.inputColumns) {
      const col = ds.column(name);
      const values = stringValues(col).map((v) => (v === null ? null : this.clean(v)));
      out = out.withColumn(name, stringColumn(name, col.kind === 'category' ? 'category' : 'text', values));
    }
    return out;
  }
  /** Restores from {@link FittedTextCleaner.toJSON} output. */
  static fromJSON(json: Serialized): FittedTextCleaner {
    const { params, state } = expectType<{ columns: string[] }, Params>(json, 'FittedTextCleaner');
    return new FittedTextCleaner(parseOptions(Options, params, 'TextCleaner'), stateColumns(state, 'FittedTextCleaner'));
  }
}

registerLoader('FittedTextCleaner', 1, FittedTextCleaner.fromJSON);
