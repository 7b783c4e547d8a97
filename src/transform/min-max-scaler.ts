import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { type AffineState, decodeAffine, FittedAffine, fitAffine } from './affine.js';

const Options = z
  .object({
    /** Columns to scale; default: every number/integer column without a non-feature role. */
    columns: z.array(z.string()).optional(),
    /** Target range `[min, max]`. Default `[0, 1]`. */
    featureRange: z.tuple([z.number(), z.number()]).default([0, 1]),
  })
  .strict();

/** Options of {@link MinMaxScaler}. @example `const o: MinMaxScalerOptions = { featureRange: [-1, 1] };` */
export type MinMaxScalerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true };

/**
 * Rescales numeric columns linearly so the training minimum and maximum map to `featureRange`
 * (scikit-learn's `MinMaxScaler`). Missing values are ignored and kept; a constant column maps to
 * the range's lower end.
 *
 * @example
 * ```ts
 * const fitted = await new MinMaxScaler({ featureRange: [0, 1] }).fit(ds);
 * fitted.transform(ds);
 * ```
 */
export class MinMaxScaler implements Transform<FittedMinMaxScaler> {
  readonly kind = 'transform' as const;
  readonly type = 'MinMaxScaler';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: MinMaxScalerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    const [lo, hi] = this.params.featureRange;
    if (!(lo < hi)) throw new TesseraError('E_OPTION', `MinMaxScaler option "featureRange": min must be < max, got [${lo}, ${hi}]`, { option: 'featureRange' });
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedMinMaxScaler> {
    const [lo, hi] = this.params.featureRange;
    const f = fitAffine(ds, this.params.columns, this.type, options, (v) => {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const x of v) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      const range = max - min;
      if (range === 0) return [min - lo, 1];
      const s = range / (hi - lo);
      return [min - lo * s, s];
    });
    return new FittedMinMaxScaler(this.params, f.columns, f.center, f.scale);
  }
}

/**
 * A fitted {@link MinMaxScaler}.
 *
 * @example
 * ```ts
 * const fitted = await new MinMaxScaler().fit(ds);
 * fitted.inverseTransform(fitted.transform(ds));
 * ```
 */
export class FittedMinMaxScaler extends FittedAffine<Params> {
  readonly type = 'FittedMinMaxScaler';
  constructor(params: Params, columns: readonly string[], center: Float64Array, scale: Float64Array) {
    super(params, TAGS, columns, center, scale);
  }
  /** Restores from {@link FittedMinMaxScaler.toJSON} output. */
  static fromJSON(json: Serialized): FittedMinMaxScaler {
    const { params, state } = expectType<AffineState, Params>(json, 'FittedMinMaxScaler');
    const s = decodeAffine(state);
    return new FittedMinMaxScaler(parseOptions(Options, params, 'MinMaxScaler'), s.columns, s.center, s.scale);
  }
}

registerLoader('FittedMinMaxScaler', 1, FittedMinMaxScaler.fromJSON);
