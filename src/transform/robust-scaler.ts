import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { type AffineState, decodeAffine, FittedAffine, fitAffine, quantileSorted } from './affine.js';

const Options = z
  .object({
    /** Columns to scale; default: every number/integer column without a non-feature role. */
    columns: z.array(z.string()).optional(),
    /** Subtract the median. Default true. */
    withCentering: z.boolean().default(true),
    /** Divide by the quantile range. Default true. */
    withScaling: z.boolean().default(true),
    /** Quantile range in percent, default `[25, 75]` (the IQR). */
    quantileRange: z.tuple([z.number().min(0).max(100), z.number().min(0).max(100)]).default([25, 75]),
  })
  .strict();

/** Options of {@link RobustScaler}. @example `const o: RobustScalerOptions = { quantileRange: [10, 90] };` */
export type RobustScalerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true };

/**
 * Centres numeric columns on the median and scales by the interquartile range (scikit-learn's
 * `RobustScaler`, quantiles by linear interpolation), so outliers do not dominate. Missing values
 * are ignored and kept.
 *
 * @example
 * ```ts
 * const fitted = await new RobustScaler().fit(ds);
 * fitted.transform(ds);
 * ```
 */
export class RobustScaler implements Transform<FittedRobustScaler> {
  readonly kind = 'transform' as const;
  readonly type = 'RobustScaler';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: RobustScalerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    const [a, b] = this.params.quantileRange;
    if (!(a < b))
      throw new TesseraError('E_OPTION', `RobustScaler option "quantileRange": lower must be < upper, got [${a}, ${b}]`, { option: 'quantileRange' });
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedRobustScaler> {
    const { withCentering, withScaling, quantileRange } = this.params;
    const f = fitAffine(ds, this.params.columns, this.type, options, (v) => {
      const sorted = v.sort();
      const med = quantileSorted(sorted, 0.5);
      const iqr = quantileSorted(sorted, quantileRange[1] / 100) - quantileSorted(sorted, quantileRange[0] / 100);
      return [withCentering ? med : 0, withScaling ? iqr : 1];
    });
    return new FittedRobustScaler(this.params, f.columns, f.center, f.scale);
  }
}

/**
 * A fitted {@link RobustScaler}: `center` holds the medians, `scale` the quantile ranges.
 *
 * @example
 * ```ts
 * const fitted = await new RobustScaler().fit(ds);
 * fitted.center; // medians
 * ```
 */
export class FittedRobustScaler extends FittedAffine<Params> {
  readonly type = 'FittedRobustScaler';
  constructor(params: Params, columns: readonly string[], center: Float64Array, scale: Float64Array) {
    super(params, TAGS, columns, center, scale);
  }
  /** Restores from {@link FittedRobustScaler.toJSON} output. */
  static fromJSON(json: Serialized): FittedRobustScaler {
    const { params, state } = expectType<AffineState, Params>(json, 'FittedRobustScaler');
    const s = decodeAffine(state);
    return new FittedRobustScaler(parseOptions(Options, params, 'RobustScaler'), s.columns, s.center, s.scale);
  }
}

registerLoader('FittedRobustScaler', 1, FittedRobustScaler.fromJSON);
