import { z } from 'zod';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { BaseOptions, type DetectorState, FittedDetectorBase, prepareFit, resolveThreshold, strategyOf } from './common.js';
import { forEachNeighbours, kNearest } from './knn.js';

const Options = z
  .object({
    ...BaseOptions,
    /** Neighbours (scikit-learn's `n_neighbors`). Default 20; capped at n - 1. */
    nNeighbors: z.number().int().min(1).max(10_000).default(20),
  })
  .strict();

/** Options of {@link LocalOutlierFactor}. @example `const o: LocalOutlierFactorOptions = { nNeighbors: 35 };` */
export type LocalOutlierFactorOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };

/**
 * Local Outlier Factor (Breunig et al. 2000) in novelty mode, as scikit-learn's
 * `LocalOutlierFactor(novelty=True)`: `fit` learns the k-distances and local reachability
 * densities of the training rows; `score` of a new row is the ratio of its neighbours' density to
 * its own (about 1 for inliers, higher = more anomalous). `trainingScores` holds the training rows'
 * own LOF (each row's neighbours exclude itself; scikit-learn's `-negative_outlier_factor_`).
 * Neighbours come from an exact KD-tree (p <= 16) or a brute-force scan (memory O(k) per row).
 * `auto` threshold: 1.5 (scikit-learn's offset).
 *
 * @example
 * ```ts
 * import { Dataset, LocalOutlierFactor } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.1, 0.2, 0.1, 0.15, 3], y: [0, 0.1, 0, 0.2, 0.1, 3] });
 * const fitted = await new LocalOutlierFactor({ nNeighbors: 3 }).fit(ds);
 * fitted.trainingScores; // the last row is far above 1
 * ```
 */
export class LocalOutlierFactor implements Detector<FittedLocalOutlierFactor> {
  readonly kind = 'detector' as const;
  readonly type = 'LocalOutlierFactor';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: LocalOutlierFactorOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedLocalOutlierFactor> {
    const m = prepareFit(ds, this.params.columns, this.type, options, 2);
    const { data, nrows: n, ncols: p } = m;
    const k = Math.min(this.params.nNeighbors, n - 1);
    const nn = kNearest(data, n, p, data, n, k, true);
    const kdist = new Float64Array(n);
    for (let i = 0; i < n; i++) kdist[i] = nn.dist[i * k + k - 1] as number;
    const lrd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) {
        const j = nn.index[i * k + t] as number;
        s += Math.max(kdist[j] as number, nn.dist[i * k + t] as number);
      }
      lrd[i] = 1 / (s / k + 1e-10);
    }
    const train = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += lrd[nn.index[i * k + t] as number] as number;
      train[i] = s / k / (lrd[i] as number);
    }
    const threshold = resolveThreshold(strategyOf(this.params), train, 1.5);
    return new FittedLocalOutlierFactor(this.params, m.columns, threshold, data.slice(), k, kdist, lrd, train);
  }
}

interface LofState {
  k: number;
  data: string;
  kdist: string;
  lrd: string;
  train: string;
}

/**
 * A fitted {@link LocalOutlierFactor} (keeps the training rows, as a kNN method must).
 *
 * @example
 * ```ts
 * const fitted = await new LocalOutlierFactor().fit(train);
 * fitted.score(test); // LOF of each new row
 * ```
 */
export class FittedLocalOutlierFactor extends FittedDetectorBase<Params, LofState> {
  readonly type = 'FittedLocalOutlierFactor';
  /** Neighbours actually used. */
  readonly k: number;
  /** LOF of each training row, its own neighbours excluding itself. */
  readonly trainingScores: Float64Array;
  private readonly data: Float64Array;
  private readonly kdist: Float64Array;
  private readonly lrd: Float64Array;

  constructor(
    params: Params,
    columns: readonly string[],
    threshold: number,
    data: Float64Array,
    k: number,
    kdist: Float64Array,
    lrd: Float64Array,
    train: Float64Array,
  ) {
    super(params, TAGS, columns, threshold);
    this.data = data;
    this.k = k;
    this.kdist = kdist;
    this.lrd = lrd;
    this.trainingScores = train;
  }

  scoreMatrix(query: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const n = this.kdist.length;
    const k = this.k;
    const out = new Float64Array(nrows);
    forEachNeighbours(this.data, n, p, query, nrows, k, (row, index, dist, o) => {
      let reach = 0;
      let dens = 0;
      for (let t = 0; t < k; t++) {
        const j = index[o + t] as number;
        reach += Math.max(this.kdist[j] as number, dist[o + t] as number);
        dens += this.lrd[j] as number;
      }
      const lrdQ = 1 / (reach / k + 1e-10);
      out[row] = dens / k / lrdQ;
    });
    return out;
  }

  protected state(): LofState {
    return { k: this.k, data: encodeArray(this.data), kdist: encodeArray(this.kdist), lrd: encodeArray(this.lrd), train: encodeArray(this.trainingScores) };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedLocalOutlierFactor {
    const { params, state } = expectType<DetectorState & LofState, Params>(json, 'FittedLocalOutlierFactor');
    return new FittedLocalOutlierFactor(
      parseOptions(Options, params, 'LocalOutlierFactor'),
      state.columns,
      state.threshold,
      decodeFloat64(state.data),
      state.k,
      decodeFloat64(state.kdist),
      decodeFloat64(state.lrd),
      decodeFloat64(state.train),
    );
  }
}

registerLoader('FittedLocalOutlierFactor', 1, FittedLocalOutlierFactor.fromJSON);
