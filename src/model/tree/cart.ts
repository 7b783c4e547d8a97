/**
 * CART on binned features (internal): the tree builder shared by DecisionTree and RandomForest,
 * and the flat node storage ("forest arrays") they predict with and serialise.
 */
import { TesseraError } from '../../core/errors.js';
import type { Rng } from '../../core/random.js';
import { decodeFloat64, decodeInt32, encodeArray } from '../../core/serialize.js';
import { type BinnedData, HIST_BINS } from './binning.js';

/** Split criterion. */
export type Criterion = 'gini' | 'entropy' | 'squared_error';

/** Growth limits of one tree. */
export interface CartConfig {
  criterion: Criterion;
  /** Number of classes (1 for regression). */
  nOutputs: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per split (non-constant ones counted, as scikit-learn). */
  maxFeatures: number;
  minImpurityDecrease: number;
}

/**
 * Trees as flat typed arrays, concatenated: node `i` is a leaf when `feature[i] < 0`; otherwise
 * rows with `x[feature] <= threshold` go to `left[i]`, the others to `right[i]` (absolute node
 * indices). Leaf outputs live at `value[i * nOutputs ...]` (class probabilities or a mean).
 * Tree `t` starts at node `roots[t]`.
 *
 * @example
 * ```ts
 * const f: ForestArrays = fitted.forest;
 * f.roots.length;   // number of trees
 * f.feature[0];     // feature index of the first root's split (-1 for a leaf)
 * ```
 */
export interface ForestArrays {
  nOutputs: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** JSON form of {@link ForestArrays}. */
export interface ForestState {
  nOutputs: number;
  roots: string;
  feature: string;
  threshold: string;
  left: string;
  right: string;
  value: string;
}

/** A growable node store for one tree. */
export class TreeBuilder {
  n = 0;
  feature: Int32Array = new Int32Array(64);
  threshold: Float64Array = new Float64Array(64);
  left: Int32Array = new Int32Array(64);
  right: Int32Array = new Int32Array(64);
  value: Float64Array;
  constructor(readonly k: number) {
    this.value = new Float64Array(64 * k);
  }
  add(): number {
    if (this.n === this.feature.length) {
      const cap = this.n * 2;
      this.feature = growI(this.feature, cap);
      this.threshold = growF(this.threshold, cap);
      this.left = growI(this.left, cap);
      this.right = growI(this.right, cap);
      this.value = growF(this.value, cap * this.k);
    }
    const i = this.n++;
    this.feature[i] = -1;
    return i;
  }
}

function growI(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
function growF(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/** Concatenates built trees into one {@link ForestArrays}. */
export function concatTrees(trees: readonly TreeBuilder[], k: number): ForestArrays {
  let total = 0;
  for (const t of trees) total += t.n;
  const out: ForestArrays = {
    nOutputs: k,
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total * k),
  };
  let off = 0;
  trees.forEach((t, ti) => {
    out.roots[ti] = off;
    out.feature.set(t.feature.subarray(0, t.n), off);
    out.threshold.set(t.threshold.subarray(0, t.n), off);
    for (let i = 0; i < t.n; i++) {
      out.left[off + i] = (t.left[i] as number) + off;
      out.right[off + i] = (t.right[i] as number) + off;
    }
    out.value.set(t.value.subarray(0, t.n * k), off * k);
    off += t.n;
  });
  return out;
}

/** Encodes forest arrays for `toJSON`. */
export function encodeForest(f: ForestArrays): ForestState {
  return {
    nOutputs: f.nOutputs,
    roots: encodeArray(f.roots),
    feature: encodeArray(f.feature),
    threshold: encodeArray(f.threshold),
    left: encodeArray(f.left),
    right: encodeArray(f.right),
    value: encodeArray(f.value),
  };
}

/** Decodes {@link encodeForest} output, checking the shapes. */
export function decodeForest(s: ForestState): ForestArrays {
  const f: ForestArrays = {
    nOutputs: s.nOutputs,
    roots: decodeInt32(s.roots),
    feature: decodeInt32(s.feature),
    threshold: decodeFloat64(s.threshold),
    left: decodeInt32(s.left),
    right: decodeInt32(s.right),
    value: decodeFloat64(s.value),
  };
  const n = f.feature.length;
  if (f.threshold.length !== n || f.left.length !== n || f.right.length !== n || f.value.length !== n * f.nOutputs) {
    throw new TesseraError('E_SERIALIZATION', 'serialised forest arrays have inconsistent lengths');
  }
  return f;
}

/**
 * Average of the leaf outputs of every tree for each row of a row-major matrix:
 * `out[i * k + c]` (`k = nOutputs`).
 */
export function predictForest(f: ForestArrays, X: Float64Array, nrows: number, ncols: number): Float64Array {
  const k = f.nOutputs;
  const out = new Float64Array(nrows * k);
  const { feature, threshold, left, right, value, roots } = f;
  const nt = roots.length;
  for (let i = 0; i < nrows; i++) {
    const base = i * ncols;
    const ob = i * k;
    for (let t = 0; t < nt; t++) {
      let node = roots[t] as number;
      let feat = feature[node] as number;
      while (feat >= 0) {
        node = (X[base + feat] as number) <= (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
        feat = feature[node] as number;
      }
      const vb = node * k;
      for (let c = 0; c < k; c++) out[ob + c] = (out[ob + c] as number) + (value[vb + c] as number);
    }
    if (nt > 1) for (let c = 0; c < k; c++) out[ob + c] = (out[ob + c] as number) / nt;
  }
  return out;
}

/** Scratch buffers reused across nodes and trees (no per-node allocation). */
export class CartScratch {
  readonly hist: Float64Array;
  readonly cnt: Int32Array;
  readonly total: Float64Array;
  readonly leftAcc: Float64Array;
  readonly features: Int32Array;
  /** Sort keys for nodes with fewer rows than a quarter of the bins. */
  readonly keys: Float64Array;
  constructor(ncols: number, k: number, maxBins = HIST_BINS) {
    const width = k + (k === 1 ? 1 : 0); // classification: class weights; regression: [w, sum y]
    const nb = Math.max(HIST_BINS, maxBins);
    this.hist = new Float64Array(nb * Math.max(2, width));
    this.cnt = new Int32Array(nb);
    this.total = new Float64Array(Math.max(2, k + 1));
    this.leftAcc = new Float64Array(Math.max(2, k + 1));
    this.features = new Int32Array(ncols);
    this.keys = new Float64Array(Math.ceil(nb / 4) + 1);
  }
}

interface Best {
  gain: number;
  feature: number;
  bin: number;
}

/**
 * Grows one CART tree on the rows `rows` (with integer weights `w`, e.g. bootstrap counts; `null`
 * for all ones). `yc` holds class indices (classification) or `yr` targets (regression).
 * Adds the weighted impurity decrease of each split to `importances`.
 */
export function growTree(
  data: BinnedData,
  yc: Int32Array | null,
  yr: Float64Array | null,
  w: Float64Array | null,
  rowsIn: Int32Array,
  cfg: CartConfig,
  rng: Rng,
  scratch: CartScratch,
  importances: Float64Array,
  X: Float64Array,
): TreeBuilder {
  const k = cfg.nOutputs;
  const isClf = yc !== null;
  const tree = new TreeBuilder(k);
  const rows = rowsIn; // partitioned in place
  const { binned, nrows, ncols, nBins } = data;
  const { hist, cnt, total, leftAcc, features } = scratch;
  const width = isClf ? k : 2;
  const entropy = cfg.criterion === 'entropy';
  for (let f = 0; f < ncols; f++) features[f] = f;

  // explicit stack: start, end, depth, node
  const stack: number[] = [0, rows.length, 0, tree.add()];
  const best: Best = { gain: 0, feature: -1, bin: -1 };
  let totalW = 0;

  while (stack.length > 0) {
    const node = stack.pop() as number;
    const depth = stack.pop() as number;
    const end = stack.pop() as number;
    const start = stack.pop() as number;
    const nNode = end - start;

    // node totals and output
    total.fill(0);
    let wNode = 0;
    let sumY2 = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      const wi = w ? (w[r] as number) : 1;
      wNode += wi;
      if (isClf) total[yc[r] as number] = (total[yc[r] as number] as number) + wi;
      else {
        const y = (yr as Float64Array)[r] as number;
        total[1] = (total[1] as number) + wi * y;
        sumY2 += wi * y * y;
      }
    }
    if (node === 0) totalW = wNode;
    if (!isClf) total[0] = wNode;
    const vb = node * k;
    let impurity: number;
    if (isClf) {
      for (let c = 0; c < k; c++) tree.value[vb + c] = (total[c] as number) / wNode;
      impurity = nodeImpurity(total, 0, k, wNode, entropy);
    } else {
      const mean = (total[1] as number) / wNode;
      tree.value[vb] = mean;
      impurity = Math.max(0, sumY2 / wNode - mean * mean);
    }

    if (depth >= cfg.maxDepth || nNode < cfg.minSamplesSplit || nNode < 2 * cfg.minSamplesLeaf || impurity <= 1e-12) continue;

    // choose features: a fresh random order, evaluate until maxFeatures non-constant ones were seen
    best.gain = Number.NEGATIVE_INFINITY;
    best.feature = -1;
    best.bin = -1;
    const parentProxy = isClf ? proxyOf(total, 0, k, wNode, entropy) : ((total[1] as number) * (total[1] as number)) / wNode;
    let visited = 0;
    let remaining = ncols;
    while (remaining > 0 && visited < cfg.maxFeatures) {
      // features in a fresh random order at every node, even when all are tried: among splits
      // that tie (frequent in small nodes) the first feature drawn wins, as in scikit-learn
      const j = rng.int(remaining);
      const fi: number = features[j] as number;
      features[j] = features[remaining - 1] as number;
      features[remaining - 1] = fi;
      remaining--;
      const nb = nBins[fi] as number;
      if (nb < 2) continue;
      const base = fi * nrows;
      if (nNode * 4 < nb) {
        // few rows, many bins: sort the node's rows by bin instead of scanning every bin
        const keys = scratch.keys.subarray(0, nNode);
        for (let i = 0; i < nNode; i++) keys[i] = (binned[base + (rows[start + i] as number)] as number) * KEY_SHIFT + i;
        keys.sort();
        const first = Math.floor((keys[0] as number) / KEY_SHIFT);
        if (first === Math.floor((keys[nNode - 1] as number) / KEY_SHIFT)) continue; // constant in this node
        visited++;
        leftAcc.fill(0, 0, width);
        let nLeft = 0;
        for (let t = 0; t < nNode - 1; t++) {
          const key = keys[t] as number;
          const b = Math.floor(key / KEY_SHIFT);
          const r = rows[start + (key - b * KEY_SHIFT)] as number;
          const wi = w ? (w[r] as number) : 1;
          if (isClf) leftAcc[yc[r] as number] = (leftAcc[yc[r] as number] as number) + wi;
          else {
            leftAcc[0] = (leftAcc[0] as number) + wi;
            leftAcc[1] = (leftAcc[1] as number) + wi * ((yr as Float64Array)[r] as number);
          }
          nLeft++;
          if (Math.floor((keys[t + 1] as number) / KEY_SHIFT) === b) continue; // not a boundary
          if (nLeft < cfg.minSamplesLeaf) continue;
          if (nNode - nLeft < cfg.minSamplesLeaf) break;
          const proxy = splitProxy(isClf, leftAcc, total, k, wNode, entropy);
          if (proxy > best.gain + 1e-12 * Math.abs(proxy)) {
            best.gain = proxy;
            best.feature = fi;
            best.bin = b;
          }
        }
        continue;
      }
      hist.fill(0, 0, nb * width);
      cnt.fill(0, 0, nb);
      if (isClf) {
        for (let i = start; i < end; i++) {
          const r = rows[i] as number;
          const b = binned[base + r] as number;
          hist[b * width + (yc[r] as number)] = (hist[b * width + (yc[r] as number)] as number) + (w ? (w[r] as number) : 1);
          cnt[b] = (cnt[b] as number) + 1;
        }
      } else {
        const yv = yr as Float64Array;
        for (let i = start; i < end; i++) {
          const r = rows[i] as number;
          const b = binned[base + r] as number;
          const wi = w ? (w[r] as number) : 1;
          hist[b * 2] = (hist[b * 2] as number) + wi;
          hist[b * 2 + 1] = (hist[b * 2 + 1] as number) + wi * (yv[r] as number);
          cnt[b] = (cnt[b] as number) + 1;
        }
      }
      let nonEmpty = 0;
      for (let b = 0; b < nb && nonEmpty < 2; b++) if ((cnt[b] as number) > 0) nonEmpty++;
      if (nonEmpty < 2) continue; // constant in this node: not counted (scikit-learn)
      visited++;
      // scan thresholds
      leftAcc.fill(0, 0, width);
      let nLeft = 0;
      for (let b = 0; b < nb - 1; b++) {
        const cb = cnt[b] as number;
        if (cb === 0) continue;
        nLeft += cb;
        for (let c = 0; c < width; c++) leftAcc[c] = (leftAcc[c] as number) + (hist[b * width + c] as number);
        if (nLeft < cfg.minSamplesLeaf) continue;
        if (nNode - nLeft < cfg.minSamplesLeaf) break;
        const proxy = splitProxy(isClf, leftAcc, total, k, wNode, entropy);
        if (proxy > best.gain + 1e-12 * Math.abs(proxy)) {
          best.gain = proxy;
          best.feature = fi;
          best.bin = b;
        }
      }
    }
    if (best.feature < 0) continue;
    // weighted impurity decrease (scikit-learn's definition, relative to the root weight below)
    const decrease = isClf ? decreaseClf(best.gain, parentProxy, wNode, entropy) : best.gain - parentProxy;
    if (cfg.minImpurityDecrease > 0 && decrease / (totalW || wNode) < cfg.minImpurityDecrease) continue;

    // partition rows[start, end) by bin <= best.bin
    // and find the largest value going left and the smallest going right, for a threshold halfway
    // between the node's own values as scikit-learn's exact CART places it
    const base = best.feature * nrows;
    let i = start;
    let j = end - 1;
    let leftMax = Number.NEGATIVE_INFINITY;
    let rightMin = Number.POSITIVE_INFINITY;
    while (i <= j) {
      const xi = X[(rows[i] as number) * ncols + best.feature] as number;
      if ((binned[base + (rows[i] as number)] as number) <= best.bin) {
        if (xi > leftMax) leftMax = xi;
        i++;
      } else {
        if (xi < rightMin) rightMin = xi;
        const t = rows[i] as number;
        rows[i] = rows[j] as number;
        rows[j] = t;
        j--;
      }
    }
    const mid = i;
    if (mid === start || mid === end) continue;
    importances[best.feature] = (importances[best.feature] as number) + decrease;
    const l = tree.add();
    const r = tree.add();
    tree.feature[node] = best.feature;
    let thr = leftMax / 2 + rightMin / 2;
    if (thr >= rightMin || !Number.isFinite(thr)) thr = leftMax;
    tree.threshold[node] = thr;
    tree.left[node] = l;
    tree.right[node] = r;
    stack.push(mid, end, depth + 1, r);
    stack.push(start, mid, depth + 1, l);
  }
  return tree;
}

const KEY_SHIFT = 1 << 21; // sort key = bin * KEY_SHIFT + position (nodes sorted this way have < 2^21 rows)

/** Proxy of a split (higher is better), or -Infinity when a side has no weight. */
function splitProxy(isClf: boolean, leftAcc: Float64Array, total: Float64Array, k: number, wNode: number, entropy: boolean): number {
  if (isClf) {
    let wLeft = 0;
    for (let c = 0; c < k; c++) wLeft += leftAcc[c] as number;
    const wRight = wNode - wLeft;
    if (wLeft <= 0 || wRight <= 0) return Number.NEGATIVE_INFINITY;
    return proxyOf(leftAcc, 0, k, wLeft, entropy) + proxyRight(total, leftAcc, k, wRight, entropy);
  }
  const wLeft = leftAcc[0] as number;
  const wRight = wNode - wLeft;
  if (wLeft <= 0 || wRight <= 0) return Number.NEGATIVE_INFINITY;
  const sl = leftAcc[1] as number;
  const sr = (total[1] as number) - sl;
  return (sl * sl) / wLeft + (sr * sr) / wRight;
}

/** Gini or entropy impurity of class weights `a[off..off+k)` with total `wt`. */
export function nodeImpurity(a: Float64Array, off: number, k: number, wt: number, entropy: boolean): number {
  let s = 0;
  if (entropy) {
    for (let c = 0; c < k; c++) {
      const p = (a[off + c] as number) / wt;
      if (p > 0) s -= p * Math.log2(p);
    }
    return s;
  }
  for (let c = 0; c < k; c++) {
    const p = (a[off + c] as number) / wt;
    s += p * p;
  }
  return 1 - s;
}

// Proxy to maximise: gini: sum_c n_c^2 / n (= n - n * gini); entropy: sum_c n_c ln n_c - n ln n (= -n * H * ln 2).
function proxyOf(a: Float64Array, off: number, k: number, wt: number, entropy: boolean): number {
  let s = 0;
  if (entropy) {
    for (let c = 0; c < k; c++) {
      const v = a[off + c] as number;
      if (v > 0) s += v * Math.log(v);
    }
    return s - wt * Math.log(wt);
  }
  for (let c = 0; c < k; c++) {
    const v = a[off + c] as number;
    s += v * v;
  }
  return s / wt;
}

function proxyRight(total: Float64Array, left: Float64Array, k: number, wt: number, entropy: boolean): number {
  let s = 0;
  if (entropy) {
    for (let c = 0; c < k; c++) {
      const v = (total[c] as number) - (left[c] as number);
      if (v > 0) s += v * Math.log(v);
    }
    return s - wt * Math.log(wt);
  }
  for (let c = 0; c < k; c++) {
    const v = (total[c] as number) - (left[c] as number);
    s += v * v;
  }
  return s / wt;
}

// Weighted impurity decrease n*I(parent) - nL*I(L) - nR*I(R) from the proxies.
function decreaseClf(childProxy: number, parentProxy: number, _w: number, entropy: boolean): number {
  // gini: n*I = n - proxy, so decrease = proxyChildren - proxyParent; entropy (bits): -proxy / ln 2
  return entropy ? (childProxy - parentProxy) / Math.LN2 : childProxy - parentProxy;
}
