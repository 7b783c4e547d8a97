import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { fitMatrix, inferMatrix } from './common.js';
import { KDTree } from './kd-tree.js';
import { yielder } from './yielder.js';

const Options = z
  .object({
    /** Neighbourhood radius (Euclidean, inclusive: distance <= eps). Must be > 0. Default 0.5 (as scikit-learn). */
    eps: z.number().positive().finite().default(0.5),
    /** Rows (the row itself included) within `eps` for a row to be a core sample. Default 5. */
    minSamples: z.number().int().min(1).max(1_000_000).default(5),
    /** Leaf size of the KD-tree. Default 16. */
    leafSize: z.number().int().min(1).max(10_000).default(16),
    /** Feature columns; default every column without an id/target/time role. */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link DBSCAN}. @example `const o: DBSCANOptions = { eps: 0.3, minSamples: 10 };` */
export type DBSCANOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };

/**
 * Density-based clustering (DBSCAN, Ester et al. 1996) with a KD-tree, so neighbourhoods cost
 * about O(n log n) on typical data instead of O(n²). A row with at least `minSamples` rows
 * (itself included) within `eps` is a core sample; clusters are the core samples connected
 * through each other's neighbourhoods plus the rows they reach; the rest is noise, label -1.
 * Clusters are numbered, and border rows assigned, in the same order as scikit-learn, so labels
 * are identical to `sklearn.cluster.DBSCAN` for the same `eps` and `minSamples`.
 *
 * @example
 * ```ts
 * import { Dataset, DBSCAN } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.1, 0.2, 5, 5.1, 5.2, 20], y: [0, 0, 0.1, 5, 5, 5.1, 20] });
 * const fitted = await new DBSCAN({ eps: 0.5, minSamples: 2 }).fit(ds);
 * fitted.labels; // Int32Array [0, 0, 0, 1, 1, 1, -1]
 * ```
 */
export class DBSCAN implements Model<FittedDBSCAN> {
  readonly kind = 'model' as const;
  readonly type = 'DBSCAN';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: DBSCANOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedDBSCAN> {
    checkAbort(options?.signal);
    const p = this.params;
    const { data, nrows: n, ncols: d, columns } = fitMatrix(ds, p.columns, this.type);
    const tick = yielder(options?.signal);
    const tree = new KDTree(data, n, d, p.leafSize);
    // neighbourhoods in CSR form (self included), as scikit-learn's radius_neighbors
    let idx = new Int32Array(Math.max(16, n * 8));
    const ptr = new Int32Array(n + 1);
    let used = 0;
    const push = (row: number): void => {
      if (used === idx.length) {
        const t = new Int32Array(idx.length * 2);
        t.set(idx);
        idx = t;
      }
      idx[used++] = row;
    };
    for (let i = 0; i < n; i++) {
      tree.radiusVisit(data, p.eps, push, i * d);
      ptr[i + 1] = used;
      if ((i & 1023) === 1023) {
        options?.onProgress?.({ stage: 'neighbours', step: i + 1, total: n });
        await tick();
      }
    }
    const core = new Uint8Array(n);
    for (let i = 0; i < n; i++) if ((ptr[i + 1] as number) - (ptr[i] as number) >= p.minSamples) core[i] = 1;
    // expansion in scikit-learn's order (dbscan_inner): clusters start at the lowest unlabelled core row
    const labels = new Int32Array(n).fill(-1);
    const stack = new Int32Array(n + 1);
    let label = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== -1 || !core[i]) continue;
      // every row reachable from core row i joins this cluster; only core rows are expanded, so each
      // enters the stack once (the same clusters and border assignments as scikit-learn's dbscan_inner)
      let top = 0;
      labels[i] = label;
      stack[top++] = i;
      while (top > 0) {
        const cur = stack[--top] as number;
        for (let q = ptr[cur] as number; q < (ptr[cur + 1] as number); q++) {
          const v = idx[q] as number;
          if (labels[v] !== -1) continue;
          labels[v] = label;
          if (core[v]) stack[top++] = v;
        }
      }
      label++;
    }
    let ncore = 0;
    for (let i = 0; i < n; i++) ncore += core[i] as number;
    const coreIdx = new Int32Array(ncore);
    const coreData = new Float64Array(ncore * d);
    const coreLabels = new Int32Array(ncore);
    let w = 0;
    for (let i = 0; i < n; i++) {
      if (!core[i]) continue;
      coreIdx[w] = i;
      coreLabels[w] = labels[i] as number;
      coreData.set(data.subarray(i * d, i * d + d), w * d);
      w++;
    }
    return new FittedDBSCAN(p, columns, labels, coreIdx, coreData, coreLabels, label);
  }
}

interface State {
  columns: string[];
  labels: string;
  coreSampleIndices: string;
  components: string;
  coreLabels: string;
  nClusters: number;
}

/**
 * A fitted {@link DBSCAN}: `labels` of the training rows (-1 = noise), `coreSampleIndices`,
 * `components` (the core samples' values) and `nClusters`. scikit-learn's DBSCAN has no
 * `predict`; here `predict` gives a new row the cluster of its nearest core sample when that
 * sample is within `eps`, else -1 (on the training rows this equals `labels` except for border
 * rows within reach of two clusters, which may go to the nearer one).
 *
 * @example
 * ```ts
 * const fitted = await new DBSCAN({ eps: 0.5 }).fit(ds);
 * fitted.nClusters; fitted.coreSampleIndices;
 * fitted.predict(newRows);
 * ```
 */
export class FittedDBSCAN implements FittedModel<Int32Array> {
  readonly kind = 'model' as const;
  readonly type = 'FittedDBSCAN';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Cluster of each training row; -1 for noise. */
  readonly labels: Int32Array;
  /** Indices of the core samples in the training rows, ascending. */
  readonly coreSampleIndices: Int32Array;
  /** The core samples' values, `coreSampleIndices.length x ncols`, row-major. */
  readonly components: Float64Array;
  /** Number of clusters found (labels 0..nClusters-1). */
  readonly nClusters: number;
  private readonly coreLabels: Int32Array;
  private tree: KDTree | undefined;

  constructor(
    params: Params,
    columns: readonly string[],
    labels: Int32Array,
    coreSampleIndices: Int32Array,
    components: Float64Array,
    coreLabels: Int32Array,
    nClusters: number,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.labels = labels;
    this.coreSampleIndices = coreSampleIndices;
    this.components = components;
    this.coreLabels = coreLabels;
    this.nClusters = nClusters;
  }

  /** Cluster of the nearest core sample within `eps`, else -1. */
  predict(ds: Dataset): Int32Array {
    const { data, nrows: n, ncols: d } = inferMatrix(ds, this.inputColumns, this.type);
    this.tree ??= new KDTree(this.components, this.coreSampleIndices.length, d, this.params.leafSize);
    const out = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const [best, dist] = this.tree.nearest(data, i * d);
      if (best >= 0 && dist <= this.params.eps) out[i] = this.coreLabels[best] as number;
    }
    return out;
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        labels: encodeArray(this.labels),
        coreSampleIndices: encodeArray(this.coreSampleIndices),
        components: encodeArray(this.components),
        coreLabels: encodeArray(this.coreLabels),
        nClusters: this.nClusters,
      },
    };
  }

  /** Restores from {@link FittedDBSCAN.toJSON} output. */
  static fromJSON(json: Serialized): FittedDBSCAN {
    const { params, state } = expectType<State, Params>(json, 'FittedDBSCAN');
    return new FittedDBSCAN(
      parseOptions(Options, params, 'DBSCAN'),
      state.columns,
      decodeInt32(state.labels),
      decodeInt32(state.coreSampleIndices),
      decodeFloat64(state.components),
      decodeInt32(state.coreLabels),
      state.nClusters,
    );
  }
}

registerLoader('FittedDBSCAN', 1, FittedDBSCAN.fromJSON);
