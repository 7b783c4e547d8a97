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
    /** Neighbours. Default 5 (PyOD's `n_neighbors`); capped at n - 1. */
    nNeighbors: z.number().int().min(1).max(10_000).default(5),
    /** Score of a row from its neighbour distances: the k-th (`largest`, PyOD's default), their `mean` or `median`. */
    method: z.enum(['largest', 'mean', 'median']).default('largest'),
  })
  .strict();

/** Options of {@link KNNDetector}. @example `const o: KNNDetectorOptions = { nNeighbors: 10, method: 'mean' };` */
export type KNNDetectorOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };

function reduce(dist: Float64Array, i: number, k: number, method: Params['method']): number {
  const o = i * k;
  if (method === 'largest') return dist[o + k - 1] as number;
  if (method === 'mean') {
    let s = 0;
    for (let t = 0; t < k; t++) s += dist[o + t] as number;
    return s / k;
  }
  // distances are sorted ascending
  return k % 2 ? (dist[o + (k - 1) / 2] as number) : ((dist[o + k / 2 - 1] as number) + (dist[o + k / 2] as number)) / 2;
}

/**
 * k-nearest-neighbour distance detector (Ramaswamy, Rastogi and Shim 2000; PyOD's `KNN`): the
 * score of a row is its Euclidean distance to its k-th nearest training row (or the mean or median
 * of the k distances). It finds rows far from every dense region, including small local clusters
 * that a global model misses. `trainingScores` holds the training rows' scores with each row's own
 * neighbours excluding itself. Exact KD-tree search for p <= 16, a brute-force scan above (memory
 * O(k) per row). Put features on one scale first (e.g. `StandardScaler`); `EnsembleDetector` does.
 * `auto` threshold: the `mad` rule on the training scores.
 *
 * @example
 * ```ts
 * import { Dataset, KNNDetector } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.1, 0.2, 0.1, 0.15, 3], y: [0, 0.1, 0, 0.2, 0.1, 3] });
 * const fitted = await new KNNDetector({ nNeighbors: 2 }).fit(ds);
 * fitted.trainingScores; // the last row is far from the others
 * ```
 */
export class KNNDetector implements Detector<FittedKNNDetector> {
  readonly kind = 'detector' as const;
  readonly type = 'KNNDetector';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: KNNDetectorOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedKNNDetector> {
    const m = prepareFit(ds, this.params.columns, this.type, options, 2);
    const { data, nrows: n, ncols: p } = m;
    const k = Math.min(this.params.nNeighbors, n - 1);
    const nn = kNearest(data, n, p, data, n, k, true);
    const train = new Float64Array(n);
    for (let i = 0; i < n; i++) train[i] = reduce(nn.dist, i, k, this.params.method);
    const threshold = resolveThreshold(strategyOf(this.params), train);
    return new FittedKNNDetector(this.params, m.columns, threshold, data.slice(), k, train);
  }
}

interface KnnState {
  k: number;
  data: string;
  train: string;
}

/**
 * A fitted {@link KNNDetector} (keeps the training rows, as a kNN method must).
 *
 * @example
 * ```ts
 * const fitted = await new KNNDetector().fit(train);
 * fitted.score(test); // distance of each new row to its 5th nearest training row
 * ```
 */
export class FittedKNNDetector extends FittedDetectorBase<Params, KnnState> {
  readonly type = 'FittedKNNDetector';
  /** Neighbours actually used. */
  readonly k: number;
  /** Score of each training row, its own neighbours excluding itself. */
  readonly trainingScores: Float64Array;
  private readonly data: Float64Array;

  constructor(params: Params, columns: readonly string[], threshold: number, data: Float64Array, k: number, train: Float64Array) {
    super(params, TAGS, columns, threshold);
    this.data = data;
    this.k = k;
    this.trainingScores = train;
  }

  scoreMatrix(query: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const n = this.trainingScores.length;
    const k = this.k;
    const out = new Float64Array(nrows);
    const method = this.params.method;
    forEachNeighbours(this.data, n, p, query, nrows, k, (row, _index, dist, o) => {
      out[row] = reduce(dist, o / k, k, method);
    });
    return out;
  }

  protected state(): KnnState {
    return { k: this.k, data: encodeArray(this.data), train: encodeArray(this.trainingScores) };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedKNNDetector {
    const { params, state } = expectType<DetectorState & KnnState, Params>(json, 'FittedKNNDetector');
    return new FittedKNNDetector(
      parseOptions(Options, params, 'KNNDetector'),
      state.columns,
      state.threshold,
      decodeFloat64(state.data),
      state.k,
      decodeFloat64(state.train),
    );
  }
}

registerLoader('FittedKNNDetector', 1, FittedKNNDetector.fromJSON);
