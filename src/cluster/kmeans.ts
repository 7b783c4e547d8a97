import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { fitMatrix, inferMatrix } from './common.js';
import { nearestCenters, runKMeans } from './kmeans-core.js';
import { yielder } from './yielder.js';

const Options = z
  .object({
    /** Number of clusters. Default 8 (as scikit-learn). */
    k: z.number().int().min(1).max(1_000_000).default(8),
    /** Number of k-means++ restarts; the run with the lowest inertia wins. Default 1 (scikit-learn's `n_init='auto'` for k-means++). */
    nInit: z.number().int().min(1).max(10_000).default(1),
    /** Maximum Lloyd iterations per run. Default 300. */
    maxIter: z.number().int().min(1).max(1_000_000).default(300),
    /** Relative tolerance on the squared centre shift (times the mean column variance). Default 1e-4. */
    tol: z.number().min(0).default(1e-4),
    /** `hamerly` (default; Lloyd with Hamerly's bounds, same result, faster) or plain `lloyd`. */
    algorithm: z.enum(['hamerly', 'lloyd']).default('hamerly'),
    /** Seed of the k-means++ draws. Default 0. */
    seed: z.number().int().default(0),
    /** Feature columns; default every column without an id/target/time role. */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link KMeans}. @example `const o: KMeansOptions = { k: 3, nInit: 10, seed: 1 };` */
export type KMeansOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true };

/**
 * k-means clustering: k-means++ seeding (scikit-learn's greedy variant), then Lloyd iterations
 * accelerated with Hamerly's bounds; `nInit` restarts keep the lowest inertia. Unsupervised: a
 * `target` passed to `fit` is ignored, and columns with a target/id/time role are not used.
 *
 * @example
 * ```ts
 * import { Dataset, KMeans } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.1, 5, 5.1], y: [0, 0.2, 5, 5.2] });
 * const fitted = await new KMeans({ k: 2, nInit: 10, seed: 0 }).fit(ds);
 * fitted.labels;        // Int32Array [0, 0, 1, 1] (or [1, 1, 0, 0])
 * fitted.centroids;     // Float64Array, k x ncols row-major
 * fitted.predict(ds);   // nearest centroid per row
 * ```
 */
export class KMeans implements Model<FittedKMeans> {
  readonly kind = 'model' as const;
  readonly type = 'KMeans';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: KMeansOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedKMeans> {
    checkAbort(options?.signal);
    const p = this.params;
    const m = fitMatrix(ds, p.columns, this.type);
    if (p.k > m.nrows) {
      throw new TesseraError('E_OPTION', `KMeans option "k" (${p.k}) exceeds the number of rows (${m.nrows})`, { option: 'k', rows: m.nrows });
    }
    const tick = yielder(options?.signal);
    const run = await runKMeans(m.data, m.nrows, m.ncols, p.k, {
      rng: new Rng(p.seed),
      nInit: p.nInit,
      maxIter: p.maxIter,
      tol: p.tol,
      algorithm: p.algorithm,
      tick: async (r, it) => {
        if (it < 0) options?.onProgress?.({ stage: 'init', step: r + 1, total: p.nInit });
        await tick();
      },
    });
    return new FittedKMeans(p, m.columns, run.centers, run.labels, run.inertia, run.iterations);
  }
}

interface State {
  columns: string[];
  centroids: string;
  labels: string;
  inertia: number;
  iterations: number;
}

/**
 * A fitted {@link KMeans}: centroids (k x ncols, row-major, original units), training labels,
 * inertia and iterations; `predict` gives the nearest centroid, `distances` the Euclidean
 * distance to every centroid.
 *
 * @example
 * ```ts
 * const fitted = await new KMeans({ k: 3 }).fit(ds);
 * fitted.inertia; fitted.iterations;
 * const d = fitted.distances(ds); // d[i * fitted.k + j]
 * ```
 */
export class FittedKMeans implements FittedModel<Int32Array> {
  readonly kind = 'model' as const;
  readonly type: string = 'FittedKMeans';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** k x ncols centroids, row-major, in the units of the input columns. */
  readonly centroids: Float64Array;
  /** Cluster of each training row. */
  readonly labels: Int32Array;
  /** Sum of squared distances of the training rows to their centroid. */
  readonly inertia: number;
  /** Lloyd iterations of the best run. */
  readonly iterations: number;

  constructor(params: Params, columns: readonly string[], centroids: Float64Array, labels: Int32Array, inertia: number, iterations: number) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.centroids = centroids;
    this.labels = labels;
    this.inertia = inertia;
    this.iterations = iterations;
  }

  /** Number of clusters. */
  get k(): number {
    return this.centroids.length / Math.max(1, this.inputColumns.length);
  }

  /** Number of input columns (the width of a centroid). */
  get ncols(): number {
    return this.inputColumns.length;
  }

  /** The nearest centroid of each row. */
  predict(ds: Dataset): Int32Array {
    const m = inferMatrix(ds, this.inputColumns, this.type);
    return nearestCenters(m.data, m.nrows, m.ncols, this.centroids, this.k);
  }

  /** Euclidean distance of each row to each centroid: `nrows x k`, row-major (scikit-learn's `transform`). */
  distances(ds: Dataset): Float64Array {
    const m = inferMatrix(ds, this.inputColumns, this.type);
    const k = this.k;
    const d = m.ncols;
    const out = new Float64Array(m.nrows * k);
    for (let i = 0; i < m.nrows; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let q = 0; q < d; q++) {
          const v = (m.data[i * d + q] as number) - (this.centroids[j * d + q] as number);
          s += v * v;
        }
        out[i * k + j] = Math.sqrt(s);
      }
    }
    return out;
  }

  toJSON(): Serialized<object, object> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        centroids: encodeArray(this.centroids),
        labels: encodeArray(this.labels),
        inertia: this.inertia,
        iterations: this.iterations,
      },
    };
  }

  /** Restores from {@link FittedKMeans.toJSON} output. */
  static fromJSON(json: Serialized): FittedKMeans {
    const { params, state } = expectType<State, Params>(json, 'FittedKMeans');
    return new FittedKMeans(
      parseOptions(Options, params, 'KMeans'),
      state.columns,
      decodeFloat64(state.centroids),
      decodeInt32(state.labels),
      state.inertia,
      state.iterations,
    );
  }
}

registerLoader('FittedKMeans', 1, FittedKMeans.fromJSON);
