import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import { makeColumn, type NumericColumn } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { quantileSorted } from '../affine.js';
import { FittedCleaner, fitColumns, stateColumns } from './common.js';

const Options = z
  .object({
    /** Columns to cap; default: every number/integer column without a non-feature role. */
    columns: z.array(z.string()).optional(),
    /** `quantile`: cap at the `lower`/`upper` quantiles; `iqr`: at Tukey's fences (k × IQR beyond the quartiles). Default `quantile`. */
    method: z.enum(['quantile', 'iqr']).default('quantile'),
    /** Lower quantile (method `quantile`). Default 0.01. */
    lower: z.number().min(0).max(0.5).default(0.01),
    /** Upper quantile (method `quantile`). Default 0.99. */
    upper: z.number().min(0.5).max(1).default(0.99),
    /** Fence width in IQRs (method `iqr`). Default 1.5. */
    k: z.number().positive().default(1.5),
  })
  .strict();

/** Options of {@link Winsorizer}. @example `const o: WinsorizerOptions = { method: 'iqr', k: 3 };` */
export type WinsorizerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true };

/**
 * Caps outliers (winsorises): values below the learnt lower cap become the cap, and likewise
 * above. Caps are learnt by `fit` (quantiles with linear interpolation, or Tukey's IQR fences).
 * Missing values stay missing; the output columns are `number`.
 *
 * @example
 * ```ts
 * import { Dataset, Winsorizer } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 1000] });
 * const out = (await new Winsorizer({ method: 'iqr' }).fit(ds)).transform(ds);
 * out.toColumns().x; // [1, 2, 3, 4, 7]
 * ```
 */
export class Winsorizer implements Transform<FittedWinsorizer> {
  readonly kind = 'transform' as const;
  readonly type = 'Winsorizer';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: WinsorizerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedWinsorizer> {
    const cols = fitColumns(ds, this.params.columns, ['number', 'integer'], this.type, options);
    const lo = new Float64Array(cols.length);
    const hi = new Float64Array(cols.length);
    cols.forEach((name, j) => {
      const s = (ds.column(name) as NumericColumn).values.filter((x) => !Number.isNaN(x)).sort();
      if (s.length === 0) {
        lo[j] = Number.NEGATIVE_INFINITY;
        hi[j] = Number.POSITIVE_INFINITY;
      } else if (this.params.method === 'quantile') {
        lo[j] = quantileSorted(s, this.params.lower);
        hi[j] = quantileSorted(s, this.params.upper);
      } else {
        const q1 = quantileSorted(s, 0.25);
        const q3 = quantileSorted(s, 0.75);
        lo[j] = q1 - this.params.k * (q3 - q1);
        hi[j] = q3 + this.params.k * (q3 - q1);
      }
    });
    return new FittedWinsorizer(this.params, cols, lo, hi);
  }
}

/**
 * A fitted {@link Winsorizer}: `lowerCaps` and `upperCaps` per input column.
 *
 * @example
 * ```ts
 * fitted.lowerCaps; fitted.upperCaps; fitted.transform(ds);
 * ```
 */
export class FittedWinsorizer extends FittedCleaner<Params, { lower: string; upper: string }> {
  readonly type = 'FittedWinsorizer';
  readonly lowerCaps: Float64Array;
  readonly upperCaps: Float64Array;
  constructor(params: Params, columns: readonly string[], lower: Float64Array, upper: Float64Array) {
    super(params, TAGS, columns, { lower: encodeArray(lower), upper: encodeArray(upper) });
    this.lowerCaps = lower;
    this.upperCaps = upper;
  }
  protected apply(ds: Dataset): Dataset {
    let out = ds;
    this.inputColumns.forEach((name, j) => {
      const col = ds.column(name);
      const src = col.kind === 'number' || col.kind === 'integer' ? col.values : ds.matrix([name]);
      const lo = this.lowerCaps[j] as number;
      const hi = this.upperCaps[j] as number;
      const v = Float64Array.from(src, (x) => (x < lo ? lo : x > hi ? hi : x));
      out = out.withColumn(name, makeColumn(name, 'number', { values: v }));
    });
    return out;
  }
  /** Restores from {@link FittedWinsorizer.toJSON} output. */
  static fromJSON(json: Serialized): FittedWinsorizer {
    const { params, state } = expectType<{ columns: string[]; lower: string; upper: string }, Params>(json, 'FittedWinsorizer');
    return new FittedWinsorizer(
      parseOptions(Options, params, 'Winsorizer'),
      stateColumns(state, 'FittedWinsorizer'),
      decodeFloat64(state.lower),
      decodeFloat64(state.upper),
    );
  }
}

registerLoader('FittedWinsorizer', 1, FittedWinsorizer.fromJSON);
