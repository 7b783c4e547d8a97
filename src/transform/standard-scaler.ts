import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { type AffineState, decodeAffine, FittedAffine, fitAffine } from './affine.js';

const Options = z
  .object({
    /** Columns to scale; default: every number/integer column without a non-feature role. */
    columns: z.array(z.string()).optional(),
    /** Subtract the mean. Default true. */
    withMean: z.boolean().default(true),
    /** Divide by the (population) standard deviation. Default true. */
    withStd: z.boolean().default(true),
  })
  .strict();

/** Options of {@link StandardScaler}. @example `const o: StandardScalerOptions = { withMean: false };` */
export type StandardScalerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true };

/**
 * Standardises numeric columns to mean 0 and standard deviation 1 (population sd, as
 * scikit-learn's `StandardScaler`). Missing values are ignored when fitting and stay missing;
 * a constant column gets scale 1. Columns with an `id`, `target` or `time` role pass through.
 *
 * @example
 * ```ts
 * import { Dataset, StandardScaler } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3], b: [10, 20, 30] });
 * const fitted = await new StandardScaler().fit(ds);
 * fitted.transform(ds).column('a'); // values -1.22, 0, 1.22
 * ```
 */
export class StandardScaler implements Transform<FittedStandardScaler> {
  readonly kind = 'transform' as const;
  readonly type = 'StandardScaler';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: StandardScalerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedStandardScaler> {
    const { withMean, withStd } = this.params;
    const f = fitAffine(ds, this.params.columns, this.type, options, (v) => {
      let m = 0;
      for (let i = 0; i < v.length; i++) m += ((v[i] as number) - m) / (i + 1);
      let ss = 0;
      for (let i = 0; i < v.length; i++) ss += ((v[i] as number) - m) ** 2;
      return [withMean ? m : 0, withStd ? Math.sqrt(ss / v.length) : 1];
    });
    return new FittedStandardScaler(this.params, f.columns, f.center, f.scale);
  }
}

/**
 * A fitted {@link StandardScaler}: `center` holds the means, `scale` the standard deviations.
 *
 * @example
 * ```ts
 * const fitted = await new StandardScaler().fit(ds);
 * fitted.center; fitted.scale; fitted.transform(ds);
 * ```
 */
export class FittedStandardScaler extends FittedAffine<Params> {
  readonly type = 'FittedStandardScaler';
  constructor(params: Params, columns: readonly string[], center: Float64Array, scale: Float64Array) {
    super(params, TAGS, columns, center, scale);
  }
  /** Restores from {@link FittedStandardScaler.toJSON} output. */
  static fromJSON(json: Serialized): FittedStandardScaler {
    const { params, state } = expectType<AffineState, Params>(json, 'FittedStandardScaler');
    const s = decodeAffine(state);
    return new FittedStandardScaler(parseOptions(Options, params, 'StandardScaler'), s.columns, s.center, s.scale);
  }
}

registerLoader('FittedStandardScaler', 1, FittedStandardScaler.fromJSON);
