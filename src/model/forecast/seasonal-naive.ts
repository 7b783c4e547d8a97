import { z } from 'zod';
import { parseOptions } from '../../core/options.js';
import type { FittedModel, Model, ModelFitOptions, Serialized } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { checkForecastArgs, extractSeries, FORECAST_TAGS, type Forecast, type ForecastOptions, futureTimes, makeForecast } from './common.js';

const Options = z
  .object({
    /** Season length in steps (1 = plain naive: repeat the last value). Default 1. */
    seasonLength: z.number().int().min(1).max(100_000).default(1),
    /** Time column; default the column with role 'time' (else rows are taken in order). */
    time: z.string().optional(),
  })
  .strict();

/** Options of {@link SeasonalNaive}. @example `const o: SeasonalNaiveOptions = { seasonLength: 7 };` */
export type SeasonalNaiveOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

/**
 * Seasonal naive forecaster: the forecast for step `h` is the last observed value of the same
 * season, `y[T - m + ((h - 1) mod m) + 1]`. Prediction intervals use the standard deviation σ of
 * the seasonal differences `y[t] - y[t - m]` and grow as `σ √(⌊(h - 1)/m⌋ + 1)` (Hyndman and
 * Athanasopoulos, FPP3 5.5).
 *
 * @example
 * ```ts
 * import { Dataset, SeasonalNaive } from 'tessera';
 * const ds = Dataset.from({ sales: [1, 5, 3, 2, 6, 4, 3, 7, 5] });
 * const fitted = await new SeasonalNaive({ seasonLength: 3 }).fit(ds, { target: 'sales' });
 * fitted.forecast(3).mean; // Float64Array [3, 7, 5]
 * ```
 */
export class SeasonalNaive implements Model<FittedSeasonalNaive> {
  readonly kind = 'model' as const;
  readonly type = 'SeasonalNaive';
  readonly tags = FORECAST_TAGS;
  readonly params: Params;

  constructor(options: SeasonalNaiveOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedSeasonalNaive> {
    const m = this.params.seasonLength;
    const s = extractSeries(ds, options, this.params.time, this.type, m + 1);
    const y = s.y;
    let ss = 0;
    for (let t = m; t < y.length; t++) ss += ((y[t] as number) - (y[t - m] as number)) ** 2;
    const sigma = Math.sqrt(ss / (y.length - m));
    return new FittedSeasonalNaive(this.params, s.target, y.slice(y.length - m), sigma, s.time);
  }
}

interface State {
  target: string;
  last: string;
  sigma: number;
  time: string | null;
}

/**
 * A fitted {@link SeasonalNaive}: `forecast(h, { level })`, and `predict(ds)` = the mean forecast
 * for the next `ds.nrows` steps.
 *
 * @example
 * ```ts
 * const f = (await new SeasonalNaive({ seasonLength: 7 }).fit(ds, { target: 'y' })).forecast(14, { level: 0.8 });
 * ```
 */
export class FittedSeasonalNaive implements FittedModel<Float64Array> {
  readonly kind = 'model' as const;
  readonly type = 'FittedSeasonalNaive';
  readonly tags = FORECAST_TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[] = [];
  readonly target: string;
  /** Standard deviation of the seasonal differences (one-season-ahead error). */
  readonly sigma: number;
  private readonly last: Float64Array;
  private readonly time: Float64Array | null;

  constructor(params: Params, target: string, last: Float64Array, sigma: number, time: Float64Array | null) {
    this.params = params;
    this.target = target;
    this.last = last;
    this.sigma = sigma;
    this.time = time && time.length >= 2 ? time.slice(time.length - 2) : null;
  }

  /** Mean path and prediction interval for the next `h` steps. */
  forecast(h: number, options?: ForecastOptions): Forecast {
    const { level, z } = checkForecastArgs(h, options, this.type);
    const m = this.last.length;
    const mean = new Float64Array(h);
    const sd = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      mean[i] = this.last[i % m] as number;
      sd[i] = this.sigma * Math.sqrt(Math.floor(i / m) + 1);
    }
    return makeForecast(mean, sd, z, level, futureTimes(this.time, h));
  }

  /** The mean forecast for the next `ds.nrows` steps (the rows' values are not read). */
  predict(ds: Dataset): Float64Array {
    return ds.nrows === 0 ? new Float64Array(0) : this.forecast(ds.nrows).mean;
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: { target: this.target, last: encodeArray(this.last), sigma: this.sigma, time: this.time ? encodeArray(this.time) : null },
    };
  }

  /** Restores from {@link FittedSeasonalNaive.toJSON} output. */
  static fromJSON(json: Serialized): FittedSeasonalNaive {
    const { params, state } = expectType<State, Params>(json, 'FittedSeasonalNaive');
    return new FittedSeasonalNaive(
      parseOptions(Options, params, 'SeasonalNaive'),
      state.target,
      decodeFloat64(state.last),
      state.sigma,
      state.time ? decodeFloat64(state.time) : null,
    );
  }
}

registerLoader('FittedSeasonalNaive', 1, FittedSeasonalNaive.fromJSON);
