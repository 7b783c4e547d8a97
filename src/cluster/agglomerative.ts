import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { fitMatrix, inferMatrix } from './common.js';
import { nearestCenters } from './kmeans-core.js';
import { yielder } from './yielder.js';

const Options = z
  .object({
    /** Number of clusters to cut the tree into. Default 2 (as scikit-learn); ignored when `distanceThreshold` is set. */
    nClusters: z.number().int().min(1).max(1_000_000).optional(),
    /** Cut the tree at this merge distance instead: clusters = merges at or above it, plus one. */
    distanceThreshold: z.number().min(0).finite().optional(),
    /** `ward` (default; minimises the within-cluster variance), `complete`, `average` or `single`. */
    linkage: z.enum(['ward', 'complete', 'average', 'single']).default('ward'),
    /**
     * Memory guard: ward, complete and average keep all pairwise distances (8·n(n-1)/2 bytes, about
     * 400 MB at 10,000 rows), so more rows than this throw `E_LIMIT`. Default 10,000. Single linkage
     * needs O(n) memory and is not limited.
     */
    maxRows: z.number().int().min(2).max(200_000).default(10_000),
    /** Feature columns; default every column without an id/target/time role. */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link AgglomerativeClustering}. @example `const o: AgglomerativeOptions = { nClusters: 3, linkage: 'average' };` */
export type AgglomerativeOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };

/**
 * Hierarchical agglomerative clustering with ward, complete, average or single linkage
 * (Euclidean). The full merge tree is built (nearest-neighbour chain on the pairwise distances,
 * as SciPy; Prim's minimum spanning tree for single linkage, as scikit-learn) and cut into
 * `nClusters` clusters or at `distanceThreshold`. Labels, the merge tree and merge distances are
 * those of scikit-learn's `AgglomerativeClustering` (label numbers included).
 *
 * @example
 * ```ts
 * import { AgglomerativeClustering, Dataset } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.2, 5, 5.3, 9], y: [0, 0.1, 5, 5.1, 9] });
 * const fitted = await new AgglomerativeClustering({ nClusters: 2, linkage: 'average' }).fit(ds);
 * fitted.labels;    // Int32Array, one cluster per row
 * fitted.children;  // (n-1) x 2 merge tree, scikit-learn's children_
 * fitted.distances; // merge heights, for a dendrogram
 * ```
 */
export class AgglomerativeClustering implements Model<FittedAgglomerative> {
  readonly kind = 'model' as const;
  readonly type = 'AgglomerativeClustering';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: AgglomerativeOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    if (this.params.nClusters !== undefined && this.params.distanceThreshold !== undefined) {
      throw new TesseraError('E_OPTION', 'AgglomerativeClustering: give either option "nClusters" or "distanceThreshold", not both', {
        option: 'distanceThreshold',
      });
    }
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedAgglomerative> {
    checkAbort(options?.signal);
    const p = this.params;
    const { data, nrows: n, ncols: d, columns } = fitMatrix(ds, p.columns, this.type);
    const want = p.distanceThreshold === undefined ? (p.nClusters ?? 2) : undefined;
    if (want !== undefined && want > n) {
      throw new TesseraError('E_OPTION', `AgglomerativeClustering option "nClusters" (${want}) exceeds the number of rows (${n})`, { option: 'nClusters' });
    }
    if (p.linkage !== 'single' && n > p.maxRows) {
      throw new TesseraError(
        'E_LIMIT',
        `AgglomerativeClustering (${p.linkage} linkage) keeps all ${n}·(${n}-1)/2 pairwise distances (${Math.round((4 * n * (n - 1)) / 1e6)} MB); at most option "maxRows" = ${p.maxRows} rows: sample the rows, raise maxRows, or use linkage "single"`,
        { option: 'maxRows', rows: n },
      );
    }
    const tick = yielder(options?.signal);
    const tree = p.linkage === 'single' ? await singleLinkage(data, n, d, tick) : await nnChain(data, n, d, p.linkage, tick);
    const nClusters = want ?? countAbove(tree.distances, p.distanceThreshold as number) + 1;
    const labels = n === 1 ? new Int32Array(1) : cutTree(nClusters, tree.children, n);
    // centroids of the clusters, for predict
    const centroids = new Float64Array(nClusters * d);
    const size = new Float64Array(nClusters);
    for (let i = 0; i < n; i++) {
      const c = labels[i] as number;
      size[c] = (size[c] as number) + 1;
      for (let q = 0; q < d; q++) centroids[c * d + q] = (centroids[c * d + q] as number) + (data[i * d + q] as number);
    }
    for (let c = 0; c < nClusters; c++) for (let q = 0; q < d; q++) centroids[c * d + q] = (centroids[c * d + q] as number) / (size[c] as number);
    return new FittedAgglomerative(p, columns, labels, tree.children, tree.distances, centroids, nClusters);
  }
}

function countAbove(distances: Float64Array, t: number): number {
  let c = 0;
  for (const v of distances) if (v >= t) c++;
  return c;
}

interface Tree {
  /** (n-1) x 2 row-major: the two nodes merged at each step; leaves are 0..n-1, step i makes node n + i. */
  children: Int32Array;
  distances: Float64Array;
}

/** Index of pair (i, j), i < j, in a condensed distance matrix (SciPy's order). */
function condensed(n: number, i: number, j: number): number {
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/** SciPy's `nn_chain` (Müllner 2011) for ward, complete and average linkage, then its stable sort and relabelling. */
async function nnChain(X: Float64Array, n: number, d: number, linkage: 'ward' | 'complete' | 'average', tick: () => Promise<void>): Promise<Tree> {
  const D = new Float64Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const t = (X[i * d + q] as number) - (X[j * d + q] as number);
        s += t * t;
      }
      D[condensed(n, i, j)] = Math.sqrt(s);
    }
    if ((i & 255) === 255) await tick();
  }
  const Z = new Float64Array(Math.max(0, n - 1) * 3);
  const size = new Float64Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLength = 0;
  const dist = (a: number, b: number): number => (a < b ? (D[condensed(n, a, b)] as number) : (D[condensed(n, b, a)] as number));
  for (let k = 0; k < n - 1; k++) {
    let x = 0;
    let y = 0;
    let currentMin = Number.POSITIVE_INFINITY;
    if (chainLength === 0) {
      for (let i = 0; i < n; i++) {
        if ((size[i] as number) > 0) {
          chain[0] = i;
          chainLength = 1;
          break;
        }
      }
    }
    for (;;) {
      x = chain[chainLength - 1] as number;
      if (chainLength > 1) {
        y = chain[chainLength - 2] as number;
        currentMin = dist(x, y);
      } else currentMin = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        if ((size[i] as number) === 0 || x === i) continue;
        const v = dist(x, i);
        if (v < currentMin) {
          currentMin = v;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) [x, y] = [y, x];
    const nx = size[x] as number;
    const ny = size[y] as number;
    Z[k * 3] = x;
    Z[k * 3 + 1] = y;
    Z[k * 3 + 2] = currentMin;
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i] as number;
      if (ni === 0 || i === y) continue;
      const dxi = dist(i, x);
      const dyi = dist(i, y);
      let v: number;
      if (linkage === 'complete') v = dxi > dyi ? dxi : dyi;
      else if (linkage === 'average') v = (nx * dxi + ny * dyi) / (nx + ny);
      else {
        const t = 1 / (nx + ny + ni);
        v = Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * currentMin * currentMin);
      }
      D[i < y ? condensed(n, i, y) : condensed(n, y, i)] = v;
    }
    if ((k & 255) === 255) await tick();
  }
  // stable sort by distance, then relabel with a union-find (SciPy's `label`): smaller id first
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort((a, b) => (Z[a * 3 + 2] as number) - (Z[b * 3 + 2] as number) || a - b);
  const parent = new Int32Array(2 * n - 1);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[v] !== r) {
      const nx2 = parent[v] as number;
      parent[v] = r;
      v = nx2;
    }
    return r;
  };
  const children = new Int32Array(Math.max(0, n - 1) * 2);
  const distances = new Float64Array(Math.max(0, n - 1));
  order.forEach((src, i) => {
    const a = find(Z[src * 3] as number);
    const b = find(Z[src * 3 + 1] as number);
    children[i * 2] = Math.min(a, b);
    children[i * 2 + 1] = Math.max(a, b);
    distances[i] = Z[src * 3 + 2] as number;
    parent[a] = n + i;
    parent[b] = n + i;
  });
  return { children, distances };
}

/** scikit-learn's single linkage: Prim's minimum spanning tree from row 0, stable sort, union-find labelling. */
async function singleLinkage(X: Float64Array, n: number, d: number, tick: () => Promise<void>): Promise<Tree> {
  const inTree = new Uint8Array(n);
  const current = new Float64Array(n).fill(Number.MAX_VALUE);
  const edges = new Float64Array(Math.max(0, n - 1) * 3);
  let node = 0;
  for (let i = 0; i < n - 1; i++) {
    inTree[node] = 1;
    let best = Number.MAX_VALUE;
    let next = 0;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let s = 0;
      for (let q = 0; q < d; q++) {
        const t = (X[node * d + q] as number) - (X[j * d + q] as number);
        s += t * t;
      }
      const v = Math.sqrt(s);
      if (v < (current[j] as number)) current[j] = v;
      if ((current[j] as number) < best) {
        best = current[j] as number;
        next = j;
      }
    }
    edges[i * 3] = node;
    edges[i * 3 + 1] = next;
    edges[i * 3 + 2] = best;
    node = next;
    if ((i & 255) === 255) await tick();
  }
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort((a, b) => (edges[a * 3 + 2] as number) - (edges[b * 3 + 2] as number) || a - b);
  const parent = new Int32Array(2 * n - 1).fill(-1);
  let nextLabel = n;
  const find = (v: number): number => {
    let r = v;
    while ((parent[r] as number) !== -1) r = parent[r] as number;
    while ((parent[v] as number) !== -1 && parent[v] !== r) {
      const t = parent[v] as number;
      parent[v] = r;
      v = t;
    }
    return r;
  };
  const children = new Int32Array(Math.max(0, n - 1) * 2);
  const distances = new Float64Array(Math.max(0, n - 1));
  order.forEach((src, i) => {
    const a = find(edges[src * 3] as number);
    const b = find(edges[src * 3 + 1] as number);
    children[i * 2] = a;
    children[i * 2 + 1] = b;
    distances[i] = edges[src * 3 + 2] as number;
    parent[a] = nextLabel;
    parent[b] = nextLabel;
    nextLabel++;
  });
  return { children, distances };
}

/** Python's heapq on negated node ids, as scikit-learn's `_hc_cut` uses it, so label numbers match. */
function siftDown(heap: number[], start: number, pos: number): void {
  const item = heap[pos] as number;
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos] as number;
    if (item < parent) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

function siftUp(heap: number[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const item = heap[pos] as number;
  let child = 2 * pos + 1;
  while (child < end) {
    const right = child + 1;
    if (right < end && !((heap[child] as number) < (heap[right] as number))) child = right;
    heap[pos] = heap[child] as number;
    pos = child;
    child = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, start, pos);
}

/**
 * Cuts a merge tree into `nClusters` clusters, numbering them exactly as scikit-learn's `_hc_cut`.
 *
 * @example
 * ```ts
 * cutTree(2, fitted.children, fitted.labels.length);
 * ```
 */
export function cutTree(nClusters: number, children: Int32Array, nLeaves: number): Int32Array {
  const label = new Int32Array(nLeaves);
  if (nLeaves <= 1) return label;
  const last = (nLeaves - 2) * 2;
  const nodes: number[] = [-(Math.max(children[last] as number, children[last + 1] as number) + 1)];
  for (let c = 0; c < nClusters - 1; c++) {
    const row = -(nodes[0] as number) - nLeaves;
    const a = children[row * 2] as number;
    const b = children[row * 2 + 1] as number;
    nodes.push(-a);
    siftDown(nodes, 0, nodes.length - 1);
    const item = -b;
    if ((nodes[0] as number) < item) {
      nodes[0] = item;
      siftUp(nodes, 0);
    }
  }
  const stack: number[] = [];
  nodes.forEach((neg, i) => {
    stack.push(-neg);
    while (stack.length > 0) {
      const v = stack.pop() as number;
      if (v < nLeaves) label[v] = i;
      else stack.push(children[(v - nLeaves) * 2] as number, children[(v - nLeaves) * 2 + 1] as number);
    }
  });
  return label;
}

interface State {
  columns: string[];
  labels: string;
  children: string;
  distances: string;
  centroids: string;
  nClusters: number;
}

/**
 * A fitted {@link AgglomerativeClustering}: training `labels`, the merge tree (`children`, as
 * scikit-learn's `children_`, and `distances`), `nClusters` and the clusters' `centroids`.
 * scikit-learn has no `predict` for this model; here `predict` assigns the nearest cluster centroid.
 *
 * @example
 * ```ts
 * const fitted = await new AgglomerativeClustering({ nClusters: 3 }).fit(ds);
 * fitted.linkageMatrix(); // [[a, b, distance, size], ...] as SciPy, for a dendrogram
 * ```
 */
export class FittedAgglomerative implements FittedModel<Int32Array> {
  readonly kind = 'model' as const;
  readonly type = 'FittedAgglomerative';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Cluster of each training row. */
  readonly labels: Int32Array;
  /** (n-1) x 2, row-major: the nodes merged at step i (leaves 0..n-1; step i creates node n + i). */
  readonly children: Int32Array;
  /** Merge distance (height) of each step, non-decreasing. */
  readonly distances: Float64Array;
  /** nClusters x ncols cluster means, row-major. */
  readonly centroids: Float64Array;
  /** Number of clusters of the cut. */
  readonly nClusters: number;

  constructor(
    params: Params,
    columns: readonly string[],
    labels: Int32Array,
    children: Int32Array,
    distances: Float64Array,
    centroids: Float64Array,
    nClusters: number,
  ) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.labels = labels;
    this.children = children;
    this.distances = distances;
    this.centroids = centroids;
    this.nClusters = nClusters;
  }

  /** Labels of another cut of the same tree (no refit). */
  cut(nClusters: number): Int32Array {
    const n = this.labels.length;
    if (!Number.isInteger(nClusters) || nClusters < 1 || nClusters > n) {
      throw new TesseraError('E_OPTION', `cut: nClusters must be an integer in [1, ${n}], got ${nClusters}`, { option: 'nClusters' });
    }
    return cutTree(nClusters, this.children, n);
  }

  /** The tree as SciPy's linkage matrix rows `[a, b, distance, size]`, for dendrogram plotting. */
  linkageMatrix(): [number, number, number, number][] {
    const n = this.labels.length;
    const size = new Float64Array(2 * n - 1).fill(1);
    const out: [number, number, number, number][] = [];
    for (let i = 0; i < n - 1; i++) {
      const a = this.children[i * 2] as number;
      const b = this.children[i * 2 + 1] as number;
      size[n + i] = (size[a] as number) + (size[b] as number);
      out.push([a, b, this.distances[i] as number, size[n + i] as number]);
    }
    return out;
  }

  /** The nearest cluster centroid of each row. */
  predict(ds: Dataset): Int32Array {
    const m = inferMatrix(ds, this.inputColumns, this.type);
    return nearestCenters(m.data, m.nrows, m.ncols, this.centroids, this.nClusters);
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        labels: encodeArray(this.labels),
        children: encodeArray(this.children),
        distances: encodeArray(this.distances),
        centroids: encodeArray(this.centroids),
        nClusters: this.nClusters,
      },
    };
  }

  /** Restores from {@link FittedAgglomerative.toJSON} output. */
  static fromJSON(json: Serialized): FittedAgglomerative {
    const { params, state } = expectType<State, Params>(json, 'FittedAgglomerative');
    return new FittedAgglomerative(
      parseOptions(Options, params, 'AgglomerativeClustering'),
      state.columns,
      decodeInt32(state.labels),
      decodeInt32(state.children),
      decodeFloat64(state.distances),
      decodeFloat64(state.centroids),
      state.nClusters,
    );
  }
}

registerLoader('FittedAgglomerative', 1, FittedAgglomerative.fromJSON);
