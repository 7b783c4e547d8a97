import { z } from 'zod';
import { yieldToEventLoop } from '../core/abort.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { BaseOptions, type DetectorState, type Explanation, FittedDetectorBase, makeExplanation, prepareFit, resolveThreshold, strategyOf } from './common.js';
import { growSklearnForest } from './sklearn-iforest.js';

const Options = z
  .object({
    ...BaseOptions,
    /** Number of trees. Default 100. */
    nEstimators: z.number().int().min(1).max(100_000).default(100),
    /** Rows per tree: `'auto'` = min(256, n), an integer >= 1, or a fraction in (0, 1]. Default 'auto'. */
    maxSamples: z.union([z.literal('auto'), z.number().int().min(2), z.number().gt(0).max(1)]).default('auto'),
    /** Features per tree: a fraction in (0, 1] or an integer count. Default 1 (all). */
    maxFeatures: z.union([z.number().gt(0).max(1), z.number().int().min(1)]).default(1),
    /** Seed. Default 0. */
    seed: z.number().int().default(0),
    /**
     * Random streams: `'sklearn'` (default) grows exactly the trees of scikit-learn's
     * `IsolationForest(random_state=seed)` (NumPy's MT19937 streams, scikit-learn's sampling and
     * random splitter, float32 comparisons), so scores match scikit-learn's for the same seed
     * (seeds are taken modulo 2^32); `'tessera'` uses tessera's own generator (same algorithm and
     * score distribution, different trees).
     */
    rng: z.enum(['sklearn', 'tessera']).default('sklearn'),
  })
  .strict();

/** Options of {@link IsolationForest}. @example `const o: IsolationForestOptions = { nEstimators: 200, maxSamples: 512 };` */
export type IsolationForestOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true };
const EULER = 0.5772156649015329;

/**
 * Average path length of an unsuccessful search in a binary search tree of `n` points, `c(n)`
 * (Liu et al. 2008), as scikit-learn computes it: 0 for n <= 1, 1 for n = 2, else
 * `2 (ln(n - 1) + γ) - 2 (n - 1) / n`.
 *
 * @example
 * ```ts
 * averagePathLength(256); // 10.24...
 * ```
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER) - (2 * (n - 1)) / n;
}

/**
 * Isolation Forest (Liu, Ting and Zhou, 2008), as scikit-learn's `IsolationForest`: each tree is
 * grown on a subsample of `maxSamples` rows (default min(256, n), without replacement) with random
 * features and uniform random thresholds up to depth `ceil(log2(maxSamples))`; a row's path length
 * is its leaf depth plus `c(leaf size)`, and `score = 2^(-E[h] / c(maxSamples))` (scikit-learn's
 * `-score_samples`, in (0, 1], higher = more anomalous). `auto` threshold: 0.5 (scikit-learn's
 * offset for `contamination='auto'`). With fewer rows than `maxSamples`, every tree uses all rows.
 *
 * @example
 * ```ts
 * import { Dataset, IsolationForest } from 'tessera';
 * const ds = Dataset.from({ x: [1, 1.1, 0.9, 1.05, 8], y: [2, 2.1, 1.9, 2, -5] });
 * const fitted = await new IsolationForest({ seed: 1 }).fit(ds);
 * fitted.score(ds);   // the last row has the highest score
 * fitted.explain(ds, 4);
 * ```
 */
export class IsolationForest implements Detector<FittedIsolationForest> {
  readonly kind = 'detector' as const;
  readonly type = 'IsolationForest';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: IsolationForestOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedIsolationForest> {
    const m = prepareFit(ds, this.params.columns, this.type, options);
    const { data, nrows: n, ncols: p } = m;
    const ms = this.params.maxSamples;
    const psi = Math.max(1, Math.min(n, ms === 'auto' ? 256 : ms > 1 ? ms : Math.floor(ms * n)));
    const mf = this.params.maxFeatures;
    const nFeat = Math.max(1, Math.min(p, mf > 1 ? mf : Math.floor(mf * p)));
    const depthLimit = Math.ceil(Math.log2(Math.max(psi, 2)));
    const T = this.params.nEstimators;
    const maxNodes = 2 * psi - 1;
    const feature = new Int32Array(T * maxNodes);
    const split = new Float64Array(T * maxNodes);
    const left = new Int32Array(T * maxNodes);
    const value = new Float64Array(T * maxNodes);
    const roots = new Int32Array(T);
    if (this.params.rng === 'sklearn') {
      const data32 = new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) data32[i] = Math.fround(data[i] as number);
      const grown = growSklearnForest(data32, n, p, psi, nFeat, T, this.params.seed >>> 0, (d, size) => d + averagePathLength(size));
      options?.onProgress?.({ stage: 'tree', step: T, total: T });
      return this.finish({ ...grown, psi }, m.columns, data, n);
    }
    const rng = new Rng(this.params.seed);
    const rows = new Int32Array(psi);
    const stack = new Int32Array(4 * (depthLimit + 2) * 2);
    const cand = new Int32Array(p);
    let next = 0;
    for (let t = 0; t < T; t++) {
      const trng = rng.fork();
      const feats = nFeat < p ? trng.sample(p, nFeat) : Int32Array.from({ length: p }, (_, j) => j);
      const sample = trng.sample(n, psi);
      rows.set(sample);
      const root = next++;
      roots[t] = root;
      let sp = 0;
      stack[sp++] = root;
      stack[sp++] = 0;
      stack[sp++] = psi;
      stack[sp++] = 0;
      while (sp > 0) {
        const depth = stack[--sp] as number;
        const end = stack[--sp] as number;
        const start = stack[--sp] as number;
        const node = stack[--sp] as number;
        const size = end - start;
        let f = -1;
        let lo = 0;
        let hi = 0;
        if (depth < depthLimit && size > 1) {
          cand.set(feats);
          let remaining = feats.length;
          while (remaining > 0) {
            const k = trng.int(remaining);
            const j = cand[k] as number;
            cand[k] = cand[remaining - 1] as number;
            remaining--;
            lo = Number.POSITIVE_INFINITY;
            hi = Number.NEGATIVE_INFINITY;
            for (let r = start; r < end; r++) {
              const v = data[(rows[r] as number) * p + j] as number;
              if (v < lo) lo = v;
              if (v > hi) hi = v;
            }
            if (hi > lo) {
              f = j;
              break;
            }
          }
        }
        if (f < 0) {
          feature[node] = -1;
          value[node] = depth + averagePathLength(size);
          continue;
        }
        let thr = lo + trng.next() * (hi - lo);
        if (thr >= hi) thr = lo;
        // partition rows[start:end): x[f] <= thr first
        let i = start;
        let j = end - 1;
        while (i <= j) {
          if ((data[(rows[i] as number) * p + f] as number) <= thr) i++;
          else {
            const tmp = rows[i] as number;
            rows[i] = rows[j] as number;
            rows[j] = tmp;
            j--;
          }
        }
        const l = next;
        next += 2;
        feature[node] = f;
        split[node] = thr;
        left[node] = l;
        stack[sp++] = l + 1;
        stack[sp++] = i;
        stack[sp++] = end;
        stack[sp++] = depth + 1;
        stack[sp++] = l;
        stack[sp++] = start;
        stack[sp++] = i;
        stack[sp++] = depth + 1;
      }
      if ((t & 15) === 15) {
        options?.onProgress?.({ stage: 'tree', step: t + 1, total: T });
        await yieldToEventLoop(options?.signal);
      }
    }
    const forest: Forest = {
      feature: feature.slice(0, next),
      split: split.slice(0, next),
      left: left.slice(0, next),
      value: value.slice(0, next),
      roots,
      psi,
    };
    return this.finish(forest, m.columns, data, n);
  }

  private finish(forest: Forest, columns: readonly string[], data: Float64Array, n: number): FittedIsolationForest {
    const strategy = strategyOf(this.params);
    // 'auto' and 'fixed' need no training scores: skip scoring the training rows
    const needsScores = strategy.kind !== 'auto' && strategy.kind !== 'fixed';
    const train = needsScores ? new FittedIsolationForest(this.params, columns, Number.NaN, forest).scoreMatrix(data, n) : new Float64Array(0);
    const threshold = resolveThreshold(strategy, train, 0.5);
    return new FittedIsolationForest(this.params, columns, threshold, forest);
  }
}

interface Forest {
  feature: Int32Array;
  split: Float64Array;
  left: Int32Array;
  value: Float64Array;
  roots: Int32Array;
  psi: number;
}

interface ForestState {
  feature: string;
  split: string;
  left: string;
  value: string;
  roots: string;
  psi: number;
}

/**
 * A fitted {@link IsolationForest}. The trees live in flat typed arrays (`feature` -1 marks a leaf;
 * a split node's children are `left` and `left + 1`; a leaf's `value` is its depth plus `c(size)`).
 *
 * @example
 * ```ts
 * const fitted = await new IsolationForest({ contamination: 0.05 }).fit(train);
 * fitted.predict(test);
 * ```
 */
export class FittedIsolationForest extends FittedDetectorBase<Params, ForestState> {
  readonly type = 'FittedIsolationForest';
  private readonly forest: Forest;

  constructor(params: Params, columns: readonly string[], threshold: number, forest: Forest) {
    super(params, TAGS, columns, threshold);
    this.forest = forest;
  }

  /** Number of trees. */
  get nTrees(): number {
    return this.forest.roots.length;
  }

  /** Rows per tree actually used (min(maxSamples, training rows)). */
  get samplesPerTree(): number {
    return this.forest.psi;
  }

  /**
   * Mean path length `E[h(x)]` per row (lower = more anomalous). Trees no deeper than 12 are
   * walked in a complete-tree layout (a fixed number of branch-free steps; a shallow leaf becomes
   * pass-through nodes with threshold +Infinity); deeper ones by pointers. The loop is tree-outer
   * over blocks of rows so that one tree stays in cache.
   */
  pathLengthMatrix(data: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const T = this.forest.roots.length;
    const out = new Float64Array(nrows);
    const block = 2048;
    const full = this.complete();
    if (full) {
      const { feat, thr, leaf, depth } = full;
      const M = (1 << depth) - 1;
      const L = 1 << depth;
      for (let b0 = 0; b0 < nrows; b0 += block) {
        const b1 = Math.min(nrows, b0 + block);
        for (let t = 0; t < T; t++) {
          const o = t * M;
          const lo = t * L - M;
          for (let i = b0; i < b1; i++) {
            const base = i * p;
            let k = 0;
            for (let d = 0; d < depth; d++) {
              const node = o + k;
              k = 2 * k + ((data[base + (feat[node] as number)] as number) > (thr[node] as number) ? 2 : 1);
            }
            out[i] = (out[i] as number) + (leaf[lo + k] as number);
          }
        }
      }
    } else {
      const { feature, split, left, value, roots } = this.forest;
      for (let b0 = 0; b0 < nrows; b0 += block) {
        const b1 = Math.min(nrows, b0 + block);
        for (let t = 0; t < T; t++) {
          const root = roots[t] as number;
          for (let i = b0; i < b1; i++) {
            const base = i * p;
            let node = root;
            let f = feature[node] as number;
            while (f >= 0) {
              node = (left[node] as number) + ((data[base + f] as number) <= (split[node] as number) ? 0 : 1);
              f = feature[node] as number;
            }
            out[i] = (out[i] as number) + (value[node] as number);
          }
        }
      }
    }
    for (let i = 0; i < nrows; i++) out[i] = (out[i] as number) / T;
    return out;
  }

  private layout: { feat: Int32Array; thr: Float64Array; leaf: Float64Array; depth: number } | null | undefined;

  /** The complete-tree layout (built once, lazily), or null when trees are deeper than 12. */
  private complete(): { feat: Int32Array; thr: Float64Array; leaf: Float64Array; depth: number } | null {
    if (this.layout !== undefined) return this.layout;
    const { feature, split, left, value, roots, psi } = this.forest;
    const depth = Math.ceil(Math.log2(Math.max(psi, 2)));
    if (depth > 12) {
      this.layout = null;
      return null;
    }
    const T = roots.length;
    const M = (1 << depth) - 1;
    const L = 1 << depth;
    const feat = new Int32Array(T * M);
    const thr = new Float64Array(T * M).fill(Number.POSITIVE_INFINITY);
    const leaf = new Float64Array(T * L);
    const stack: number[] = [];
    for (let t = 0; t < T; t++) {
      // (pointer node, complete index, depth)
      stack.push(roots[t] as number, 0, 0);
      while (stack.length) {
        const d = stack.pop() as number;
        const k = stack.pop() as number;
        const node = stack.pop() as number;
        const f = feature[node] as number;
        if (f >= 0 && d < depth) {
          feat[t * M + k] = f;
          thr[t * M + k] = split[node] as number;
          stack.push(left[node] as number, 2 * k + 1, d + 1, (left[node] as number) + 1, 2 * k + 2, d + 1);
        } else {
          // a leaf at depth d: always go left (threshold +Infinity) down to the last level
          let kk = k;
          for (let dd = d; dd < depth; dd++) kk = 2 * kk + 1;
          leaf[t * L + kk - M] = value[node] as number;
        }
      }
    }
    this.layout = { feat, thr, leaf, depth };
    return this.layout;
  }

  scoreMatrix(data: Float64Array, nrows: number): Float64Array {
    const h = this.pathLengthMatrix(data, nrows);
    const c = averagePathLength(this.forest.psi);
    for (let i = 0; i < nrows; i++) h[i] = c > 0 ? 2 ** (-(h[i] as number) / c) : 0.5;
    return h;
  }

  /**
   * Path-based attribution: in every tree, the row's path is followed and each split feature on it
   * gets weight `1 / pathLength` of that tree (short paths, which make a row anomalous, weigh most),
   * shared equally among the path's splits; contributions are normalised to sum to 1.
   */
  explain(ds: Dataset, row: number): Explanation {
    const r = this.rowOf(ds, row);
    const { feature, split, left, value, roots } = this.forest;
    const p = this.inputColumns.length;
    const contrib = new Float64Array(p);
    const used: number[] = [];
    for (let t = 0; t < roots.length; t++) {
      used.length = 0;
      let node = roots[t] as number;
      let f = feature[node] as number;
      while (f >= 0) {
        used.push(f);
        node = (r.values[f] as number) <= (split[node] as number) ? (left[node] as number) : (left[node] as number) + 1;
        f = feature[node] as number;
      }
      const h = Math.max(value[node] as number, 1e-9);
      for (const u of used) contrib[u] = (contrib[u] as number) + 1 / h / Math.max(1, used.length);
    }
    let s = 0;
    for (let j = 0; j < p; j++) s += contrib[j] as number;
    if (s > 0) for (let j = 0; j < p; j++) contrib[j] = (contrib[j] as number) / s;
    return makeExplanation(row, r.score, this.inputColumns, r.values, contrib);
  }

  protected state(): ForestState {
    const f = this.forest;
    return {
      feature: encodeArray(f.feature),
      split: encodeArray(f.split),
      left: encodeArray(f.left),
      value: encodeArray(f.value),
      roots: encodeArray(f.roots),
      psi: f.psi,
    };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedIsolationForest {
    const { params, state } = expectType<DetectorState & ForestState, Params>(json, 'FittedIsolationForest');
    const forest: Forest = {
      feature: decodeInt32(state.feature),
      split: decodeFloat64(state.split),
      left: decodeInt32(state.left),
      value: decodeFloat64(state.value),
      roots: decodeInt32(state.roots),
      psi: state.psi,
    };
    return new FittedIsolationForest(parseOptions(Options, params, 'IsolationForest'), state.columns, state.threshold, forest);
  }
}

registerLoader('FittedIsolationForest', 1, FittedIsolationForest.fromJSON);
