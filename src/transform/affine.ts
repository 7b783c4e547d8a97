import { checkAbort } from '../core/abort.js';
import type { FitOptions, FittedTransform, Serialized, Tags } from '../core/protocol.js';
import { decodeFloat64, encodeArray } from '../core/serialize.js';
import { makeColumn, type NumericColumn } from '../dataset/column.js';
import type { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';

/** Kinds that scalers read. @example `SCALABLE.includes('integer') // true` */
export const SCALABLE = ['number', 'integer'] as const;

/**
 * State of a per-column affine map `y = (x - center) / scale`.
 *
 * @example
 * ```ts
 * const s: AffineState = { columns: ['a'], center: encodeArray(new Float64Array([0])), scale: encodeArray(new Float64Array([1])) };
 * ```
 */
export interface AffineState {
  columns: string[];
  center: string;
  scale: string;
}

/**
 * A fitted per-column affine scaler (shared by StandardScaler, MinMaxScaler and RobustScaler):
 * `transform` maps `x` to `(x - center) / scale`, `inverseTransform` back. Missing values stay missing.
 *
 * @example
 * ```ts
 * const fitted = await new StandardScaler().fit(ds);
 * fitted.inverseTransform(fitted.transform(ds)); // ds's values again (up to rounding)
 * ```
 */
export abstract class FittedAffine<P extends object> implements FittedTransform {
  readonly kind = 'transform' as const;
  abstract readonly type: string;
  readonly tags: Tags;
  readonly params: P;
  readonly inputColumns: readonly string[];
  /** Per-column centre, in `inputColumns` order. */
  readonly center: Float64Array;
  /** Per-column scale (never 0), in `inputColumns` order. */
  readonly scale: Float64Array;

  constructor(params: P, tags: Tags, columns: readonly string[], center: Float64Array, scale: Float64Array) {
    this.params = params;
    this.tags = tags;
    this.inputColumns = Object.freeze([...columns]);
    this.center = center;
    this.scale = scale;
  }

  transform(ds: Dataset): Dataset {
    return this.apply(ds, false);
  }

  /** Maps scaled values back to original units. */
  inverseTransform(ds: Dataset): Dataset {
    return this.apply(ds, true);
  }

  private apply(ds: Dataset, inverse: boolean): Dataset {
    requireColumns(ds, this.inputColumns, this.type);
    resolveColumns(ds, this.inputColumns, inverse ? ['number', 'integer'] : SCALABLE, this.type);
    let out = ds;
    this.inputColumns.forEach((name, j) => {
      const src = (ds.column(name) as NumericColumn).values;
      const c = this.center[j] as number;
      const s = this.scale[j] as number;
      const dst = new Float64Array(src.length);
      if (inverse) for (let i = 0; i < src.length; i++) dst[i] = (src[i] as number) * s + c;
      else for (let i = 0; i < src.length; i++) dst[i] = ((src[i] as number) - c) / s;
      out = out.withColumn(name, makeColumn(name, 'number', { values: dst }));
    });
    return out;
  }

  toJSON(): Serialized<P, AffineState> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: { columns: [...this.inputColumns], center: encodeArray(this.center), scale: encodeArray(this.scale) },
    };
  }
}

/**
 * Decodes an {@link AffineState}.
 *
 * @example
 * ```ts
 * const { columns, center, scale } = decodeAffine(json.state);
 * ```
 */
export function decodeAffine(state: AffineState): { columns: string[]; center: Float64Array; scale: Float64Array } {
  return { columns: [...state.columns], center: decodeFloat64(state.center), scale: decodeFloat64(state.scale) };
}

/**
 * Shared `fit` steps for per-column statistics: checks abort and emptiness, resolves the columns,
 * and calls `stat` with each column's non-missing values (a new array), collecting `[center, scale]`.
 * A zero or non-finite scale becomes 1, as scikit-learn does for constant columns.
 *
 * @example
 * ```ts
 * const { columns, center, scale } = fitAffine(ds, params.columns, 'StandardScaler', options, (v) => [mean(v), std(v)]);
 * ```
 */
export function fitAffine(
  ds: Dataset,
  columns: readonly string[] | undefined,
  owner: string,
  options: FitOptions | undefined,
  stat: (values: Float64Array) => [number, number],
): { columns: string[]; center: Float64Array; scale: Float64Array } {
  checkAbort(options?.signal);
  requireRows(ds, owner);
  const cols = resolveColumns(ds, columns, SCALABLE, owner);
  const center = new Float64Array(cols.length);
  const scale = new Float64Array(cols.length);
  cols.forEach((name, j) => {
    const v = (ds.column(name) as NumericColumn).values;
    const present = v.filter((x) => !Number.isNaN(x));
    let c = 0;
    let s = 1;
    if (present.length > 0) [c, s] = stat(present);
    center[j] = Number.isFinite(c) ? c : 0;
    scale[j] = s === 0 || !Number.isFinite(s) ? 1 : s;
  });
  return { columns: cols, center, scale };
}

/**
 * Quantile with linear interpolation (NumPy's default), of a sorted array.
 *
 * @example
 * ```ts
 * quantileSorted(new Float64Array([1, 2, 3, 4]), 0.5); // 2.5
 * ```
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}
