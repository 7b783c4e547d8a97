import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { fitMatrix, inferMatrix } from './common.js';
import { FittedKMeans } from './kmeans.js';
import { nearestCenters, seedPlusPlus } from './kmeans-core.js';
import { yielder } from './yielder.js';

const Options = z
  .object({
    /** Number of clusters. Default 8. */
    k: z.number().int().min(1).max(1_000_000).default(8),
    /** Rows per mini-batch. Default 1024 (as scikit-learn). */
    batchSize: z.number().int().min(1).max(10_000_000).default(1024),
    /** Passes over the data in `fit`. Default 100; stops earlier when the centres stop moving (`tol`). */
    maxIter: z.number().int().min(1).max(100_000).default(100),
    /** Stop when a pass moves the centres by at most this squared distance (relative to the mean column variance). Default 1e-4. */
    tol: z.number().min(0).default(1e-4),
    /** Seed of the seeding and of the batch order. Default 0. */
    seed: z.number().int().default(0),
    /** Feature columns; default every column without an id/target/time role. */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link MiniBatchKMeans}. @example `const o: MiniBatchKMeansOptions = { k: 5, batchSize: 2048 };` */
export type MiniBatchKMeansOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true, incremental: true };

/**
 * Mini-batch k-means (Sculley 2010), for data that is large or arrives in pieces: k-means++
 * seeding on the first chunk, then each mini-batch moves every centre towards the mean of its
 * rows with a per-centre learning rate of 1 / (rows seen by that centre). `fit` makes passes over
 * its data; the fitted model's `update(chunk)` returns a new fitted model that has also learnt
 * from `chunk` (the original is unchanged).
 *
 * @example
 * ```ts
 * import { MiniBatchKMeans } from 'tessera';
 * let model = await new MiniBatchKMeans({ k: 4, seed: 1 }).fit(firstChunk);
 * for await (const chunk of moreChunks) model = model.update(chunk);
 * model.predict(ds);
 * ```
 */
export class MiniBatchKMeans implements Model<FittedMiniBatchKMeans> {
  readonly kind = 'model' as const;
  readonly type = 'MiniBatchKMeans';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: MiniBatchKMeansOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedMiniBatchKMeans> {
    checkAbort(options?.signal);
    const p = this.params;
    const m = fitMatrix(ds, p.columns, this.type);
    if (p.k > m.nrows) {
      throw new TesseraError('E_OPTION', `MiniBatchKMeans option "k" (${p.k}) exceeds the number of rows (${m.nrows})`, { option: 'k', rows: m.nrows });
    }
    const { data: X, nrows: n, ncols: d } = m;
    const rng = new Rng(p.seed);
    // seed on a sample of 3 batches (scikit-learn's init_size), k-means++
    const initSize = Math.min(n, Math.max(p.k, 3 * p.batchSize));
    const sample = initSize < n ? rng.sample(n, initSize) : Int32Array.from({ length: n }, (_, i) => i);
    const S = new Float64Array(sample.length * d);
    sample.forEach((r, i) => {
      S.set(X.subarray(r * d, r * d + d), i * d);
    });
    const centers = seedPlusPlus(S, sample.length, d, p.k, rng).centers;
    const counts = new Float64Array(p.k);
    let variance = 0;
    for (let q = 0; q < d; q++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += X[i * d + q] as number;
      mean /= n;
      for (let i = 0; i < n; i++) variance += ((X[i * d + q] as number) - mean) ** 2;
    }
    const tolAbs = (p.tol * variance) / n / d;
    const tick = yielder(options?.signal);
    let steps = 0;
    const before = new Float64Array(centers.length);
    for (let epoch = 0; epoch < p.maxIter; epoch++) {
      before.set(centers);
      const order = rng.permutation(n);
      for (let s = 0; s < n; s += p.batchSize) {
        miniBatchStep(X, d, order.subarray(s, Math.min(n, s + p.batchSize)), centers, counts, p.k);
        steps++;
        await tick();
      }
      let shift = 0;
      for (let q = 0; q < centers.length; q++) shift += ((centers[q] as number) - (before[q] as number)) ** 2;
      options?.onProgress?.({ stage: 'epoch', step: epoch + 1, total: p.maxIter, loss: shift });
      if (shift <= tolAbs) break;
    }
    const sq = new Float64Array(n);
    const labels = nearestCenters(X, n, d, centers, p.k, sq);
    let inertia = 0;
    for (const v of sq) inertia += v;
    return new FittedMiniBatchKMeans(p, m.columns, centers, labels, inertia, steps, counts);
  }
}

/** One mini-batch: assign rows to their nearest centre, then move each centre by learning rate 1 / count. */
function miniBatchStep(X: Float64Array, d: number, rows: Int32Array, centers: Float64Array, counts: Float64Array, k: number): void {
  const b = rows.length;
  const sums = new Float64Array(k * d);
  const nb = new Float64Array(k);
  for (let t = 0; t < b; t++) {
    const i = rows[t] as number;
    let best = Number.POSITIVE_INFINITY;
    let a = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const v = (X[i * d + q] as number) - (centers[j * d + q] as number);
        s += v * v;
      }
      if (s < best) {
        best = s;
        a = j;
      }
    }
    nb[a] = (nb[a] as number) + 1;
    for (let q = 0; q < d; q++) sums[a * d + q] = (sums[a * d + q] as number) + (X[i * d + q] as number);
  }
  for (let j = 0; j < k; j++) {
    const m = nb[j] as number;
    if (m === 0) continue;
    const total = (counts[j] as number) + m;
    for (let q = 0; q < d; q++) {
      const c = centers[j * d + q] as number;
      centers[j * d + q] = c + ((sums[j * d + q] as number) - m * c) / total;
    }
    counts[j] = total;
  }
}

interface State {
  columns: string[];
  centroids: string;
  labels: string;
  inertia: number;
  iterations: number;
  counts: string;
}

/**
 * A fitted {@link MiniBatchKMeans}: everything a {@link FittedKMeans} has (centroids, labels and
 * inertia of the fitted rows, `predict`, `distances`), the rows each centre has absorbed
 * (`counts`), and `update(chunk)`.
 *
 * @example
 * ```ts
 * const next = fitted.update(chunk); // a new model; `fitted` is unchanged
 * next.counts; // rows absorbed per centre
 * ```
 */
export class FittedMiniBatchKMeans extends FittedKMeans {
  override readonly type: string = 'FittedMiniBatchKMeans';
  override readonly tags = TAGS;
  /** Rows absorbed by each centre so far. */
  readonly counts: Float64Array;
  private readonly mbParams: Params;

  constructor(
    params: Params,
    columns: readonly string[],
    centroids: Float64Array,
    labels: Int32Array,
    inertia: number,
    iterations: number,
    counts: Float64Array,
  ) {
    super(
      { k: params.k, nInit: 1, maxIter: params.maxIter, tol: params.tol, algorithm: 'lloyd', seed: params.seed, columns: params.columns },
      columns,
      centroids,
      labels,
      inertia,
      iterations,
    );
    this.mbParams = params;
    this.counts = counts;
  }

  /**
   * Learns from another chunk (mini-batches of `batchSize` in row order) and returns a new fitted
   * model; `labels` and `inertia` of the result describe `chunk`.
   */
  update(chunk: Dataset): FittedMiniBatchKMeans {
    const m = inferMatrix(chunk, this.inputColumns, this.type);
    const centers = Float64Array.from(this.centroids);
    const counts = Float64Array.from(this.counts);
    const k = this.k;
    const order = Int32Array.from({ length: m.nrows }, (_, i) => i);
    let steps = this.iterations;
    for (let s = 0; s < m.nrows; s += this.mbParams.batchSize) {
      miniBatchStep(m.data, m.ncols, order.subarray(s, Math.min(m.nrows, s + this.mbParams.batchSize)), centers, counts, k);
      steps++;
    }
    const sq = new Float64Array(m.nrows);
    const labels = nearestCenters(m.data, m.nrows, m.ncols, centers, k, sq);
    let inertia = 0;
    for (const v of sq) inertia += v;
    return new FittedMiniBatchKMeans(this.mbParams, this.inputColumns, centers, labels, inertia, steps, counts);
  }

  override toJSON(): Serialized<object, object> {
    return {
      type: this.type,
      version: 1,
      params: this.mbParams,
      state: {
        columns: [...this.inputColumns],
        centroids: encodeArray(this.centroids),
        labels: encodeArray(this.labels),
        inertia: this.inertia,
        iterations: this.iterations,
        counts: encodeArray(this.counts),
      },
    };
  }

  /** Restores from {@link FittedMiniBatchKMeans.toJSON} output. */
  static override fromJSON(json: Serialized): FittedMiniBatchKMeans {
    const { params, state } = expectType<State, Params>(json, 'FittedMiniBatchKMeans');
    return new FittedMiniBatchKMeans(
      parseOptions(Options, params, 'MiniBatchKMeans'),
      state.columns,
      decodeFloat64(state.centroids),
      decodeInt32(state.labels),
      state.inertia,
      state.iterations,
      decodeFloat64(state.counts),
    );
  }
}

registerLoader('FittedMiniBatchKMeans', 1, FittedMiniBatchKMeans.fromJSON);
