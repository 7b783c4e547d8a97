import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { BaseOptions, type DetectorState, type Explanation, FittedDetectorBase, makeExplanation, prepareFit, resolveThreshold, strategyOf } from './common.js';

const Options = z.object({ ...BaseOptions }).strict();

/** Options of {@link ECOD}. @example `const o: ECODOptions = { contamination: 0.1 };` */
export type ECODOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };

/** Count of sorted values <= x (upper bound). */
function countLE(sorted: Float64Array, off: number, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[off + mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Count of sorted values < x (lower bound). */
function countLT(sorted: Float64Array, off: number, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[off + mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * ECOD, empirical-cumulative-distribution outlier detection (Li et al., TKDE 2022): each column's
 * left and right tail probabilities come from the training ECDF (`(count + 1) / (n + 1)`, so new
 * extreme values stay finite); the row score is the largest of the summed `-log` left tails, the
 * summed right tails, and the sum that follows each column's skewness. Parameter-free, linear in
 * rows, and `explain` gives each column's `-log` tail term.
 *
 * @example
 * ```ts
 * import { Dataset, ECOD } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3, 2, 1, 30], b: [5, 6, 5, 6, 5, 6] });
 * const fitted = await new ECOD().fit(ds);
 * fitted.explain(ds, 5).contributions[0].column; // 'a'
 * ```
 */
export class ECOD implements Detector<FittedECOD> {
  readonly kind = 'detector' as const;
  readonly type = 'ECOD';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: ECODOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedECOD> {
    const m = prepareFit(ds, this.params.columns, this.type, options);
    const { data, nrows: n, ncols: p } = m;
    const sorted = new Float64Array(n * p);
    const skew = new Float64Array(p);
    const col = new Float64Array(n);
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < n; i++) col[i] = data[i * p + j] as number;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += col[i] as number;
      mean /= n;
      let m2 = 0;
      let m3 = 0;
      for (let i = 0; i < n; i++) {
        const d = (col[i] as number) - mean;
        m2 += d * d;
        m3 += d * d * d;
      }
      m2 /= n;
      m3 /= n;
      skew[j] = m2 > 0 ? m3 / m2 ** 1.5 : 0;
      col.sort();
      sorted.set(col, j * n);
    }
    const proto = new FittedECOD(this.params, m.columns, Number.NaN, sorted, n, skew);
    const train = proto.scoreMatrix(data, n);
    const threshold = resolveThreshold(strategyOf(this.params), train);
    return new FittedECOD(this.params, m.columns, threshold, sorted, n, skew);
  }
}

interface EcodState {
  sorted: string;
  n: number;
  skew: string;
}

/**
 * A fitted {@link ECOD}: the sorted training columns and their skewness.
 *
 * @example
 * ```ts
 * const fitted = await new ECOD().fit(train);
 * fitted.score(test);
 * ```
 */
export class FittedECOD extends FittedDetectorBase<Params, EcodState> {
  readonly type = 'FittedECOD';
  private readonly sorted: Float64Array;
  private readonly n: number;
  private readonly skew: Float64Array;

  constructor(params: Params, columns: readonly string[], threshold: number, sorted: Float64Array, n: number, skew: Float64Array) {
    super(params, TAGS, columns, threshold);
    this.sorted = sorted;
    this.n = n;
    this.skew = skew;
  }

  private tails(x: number, j: number): [number, number] {
    const n = this.n;
    const off = j * n;
    const left = -Math.log((countLE(this.sorted, off, n, x) + 1) / (n + 1));
    const right = -Math.log((n - countLT(this.sorted, off, n, x) + 1) / (n + 1));
    return [left, right];
  }

  scoreMatrix(data: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const out = new Float64Array(nrows);
    for (let i = 0; i < nrows; i++) {
      let sl = 0;
      let sr = 0;
      let sa = 0;
      for (let j = 0; j < p; j++) {
        const [l, r] = this.tails(data[i * p + j] as number, j);
        sl += l;
        sr += r;
        sa += (this.skew[j] as number) < 0 ? l : r;
      }
      out[i] = Math.max(sl, sr, sa);
    }
    return out;
  }

  /** Each column's `-log` tail probability on the side its skewness points to. */
  explain(ds: Dataset, row: number): Explanation {
    const r = this.rowOf(ds, row);
    const p = this.inputColumns.length;
    const c = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const [l, rt] = this.tails(r.values[j] as number, j);
      c[j] = Math.max(l, rt);
    }
    return makeExplanation(row, r.score, this.inputColumns, r.values, c);
  }

  protected state(): EcodState {
    return { sorted: encodeArray(this.sorted), n: this.n, skew: encodeArray(this.skew) };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedECOD {
    const { params, state } = expectType<DetectorState & EcodState, Params>(json, 'FittedECOD');
    return new FittedECOD(
      parseOptions(Options, params, 'ECOD'),
      state.columns,
      state.threshold,
      decodeFloat64(state.sorted),
      state.n,
      decodeFloat64(state.skew),
    );
  }
}

registerLoader('FittedECOD', 1, FittedECOD.fromJSON);
