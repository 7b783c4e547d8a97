/**
 * Histogram gradient-boosting tree grower (internal), in the manner of LightGBM and
 * scikit-learn's `HistGradientBoosting*`: leaf-wise (best-first) growth up to `maxLeafNodes`,
 * gradient/hessian histograms over 255 value bins plus a missing bin, the histogram-subtraction
 * trick (the larger child's histogram = parent - smaller child), a learned default direction for
 * missing values, and categorical splits on categories sorted by `G / (H + smooth)`.
 */
import { decodeFloat64, decodeInt32, decodeUint8, encodeArray } from '../../core/serialize.js';
import { type BinnedData, HIST_BINS, MISSING_BIN } from '../tree/binning.js';

// Per bin: sum of gradients, sum of hessians. Row counts are estimated from hessians as LightGBM
// does (count = H * rows / sum of hessians); exact when hessians are constant (regression).
const W = 2;
const MIN_CAT_SUPPORT = 10;
const CAT_SMOOTH = 10;

/** Grower limits. */
export interface GrowerConfig {
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  minHessian: number;
  learningRate: number;
}

/** Boosted trees as flat arrays (all iterations and classes concatenated). */
export class BoostedTrees {
  n = 0;
  feature: Int32Array = new Int32Array(256);
  threshold: Float64Array = new Float64Array(256);
  binThreshold: Int32Array = new Int32Array(256);
  missingLeft: Uint8Array = new Uint8Array(256);
  catOffset: Int32Array = new Int32Array(256);
  left: Int32Array = new Int32Array(256);
  right: Int32Array = new Int32Array(256);
  value: Float64Array = new Float64Array(256);
  bits: Int32Array = new Int32Array(64);
  nBits = 0;
  roots: number[] = [];

  add(): number {
    if (this.n === this.feature.length) {
      const cap = this.n * 2;
      this.feature = copyI(this.feature, cap);
      this.threshold = copyF(this.threshold, cap);
      this.binThreshold = copyI(this.binThreshold, cap);
      const ml = new Uint8Array(cap);
      ml.set(this.missingLeft);
      this.missingLeft = ml;
      this.catOffset = copyI(this.catOffset, cap);
      this.left = copyI(this.left, cap);
      this.right = copyI(this.right, cap);
      this.value = copyF(this.value, cap);
    }
    const i = this.n++;
    this.feature[i] = -1;
    this.catOffset[i] = -1;
    this.value[i] = 0;
    return i;
  }

  addBitset(b: Int32Array): number {
    if (this.nBits + 8 > this.bits.length) this.bits = copyI(this.bits, this.bits.length * 2);
    const off = this.nBits;
    this.bits.set(b, off);
    this.nBits += 8;
    return off;
  }

  /** Compact JSON state. */
  encode(): BoostedState {
    const n = this.n;
    return {
      roots: encodeArray(Int32Array.from(this.roots)),
      feature: encodeArray(this.feature.slice(0, n)),
      threshold: encodeArray(this.threshold.slice(0, n)),
      binThreshold: encodeArray(this.binThreshold.slice(0, n)),
      missingLeft: encodeArray(this.missingLeft.slice(0, n)),
      catOffset: encodeArray(this.catOffset.slice(0, n)),
      left: encodeArray(this.left.slice(0, n)),
      right: encodeArray(this.right.slice(0, n)),
      value: encodeArray(this.value.slice(0, n)),
      bits: encodeArray(this.bits.slice(0, this.nBits)),
    };
  }

  static decode(s: BoostedState): BoostedTrees {
    const t = new BoostedTrees();
    t.feature = decodeInt32(s.feature);
    t.n = t.feature.length;
    t.threshold = decodeFloat64(s.threshold);
    t.binThreshold = decodeInt32(s.binThreshold);
    t.missingLeft = decodeUint8(s.missingLeft);
    t.catOffset = decodeInt32(s.catOffset);
    t.left = decodeInt32(s.left);
    t.right = decodeInt32(s.right);
    t.value = decodeFloat64(s.value);
    t.bits = decodeInt32(s.bits);
    t.nBits = t.bits.length;
    t.roots = Array.from(decodeInt32(s.roots));
    return t;
  }

  /** Adds tree outputs to `raw` (`nrows x k`, tree `t` feeds column `t % k`) for raw feature rows (categorical columns hold codes or NaN). */
  predictRaw(X: Float64Array, nrows: number, ncols: number, categorical: Uint8Array, k: number, raw: Float64Array, fromTree = 0): void {
    const { feature, threshold, missingLeft, catOffset, left, right, value, bits, roots } = this;
    for (let i = 0; i < nrows; i++) {
      const base = i * ncols;
      for (let t = fromTree; t < roots.length; t++) {
        let node = roots[t] as number;
        let f = feature[node] as number;
        while (f >= 0) {
          const x = X[base + f] as number;
          let goLeft: boolean;
          if (Number.isNaN(x)) goLeft = missingLeft[node] === 1;
          else if (categorical[f] === 1) {
            const off = catOffset[node] as number;
            goLeft = x >= 0 && x < 256 && (((bits[off + (x >>> 5)] as number) >>> (x & 31)) & 1) === 1;
          } else goLeft = x <= (threshold[node] as number);
          node = goLeft ? (left[node] as number) : (right[node] as number);
          f = feature[node] as number;
        }
        const j = i * k + (t % k);
        raw[j] = (raw[j] as number) + (value[node] as number);
      }
    }
  }

  /** Adds one tree's outputs to `raw[i * k + c]` for binned rows (column-major). */
  predictBinnedTree(tree: number, binned: Uint8Array | Uint16Array, nrows: number, categorical: Uint8Array, k: number, c: number, raw: Float64Array): void {
    const { feature, binThreshold, missingLeft, catOffset, left, right, value, bits } = this;
    const root = this.roots[tree] as number;
    for (let i = 0; i < nrows; i++) {
      let node = root;
      let f = feature[node] as number;
      while (f >= 0) {
        const b = binned[f * nrows + i] as number;
        let goLeft: boolean;
        if (categorical[f] === 1) {
          const off = catOffset[node] as number;
          goLeft = (((bits[off + (b >>> 5)] as number) >>> (b & 31)) & 1) === 1;
        } else if (b === MISSING_BIN) goLeft = missingLeft[node] === 1;
        else goLeft = b <= (binThreshold[node] as number);
        node = goLeft ? (left[node] as number) : (right[node] as number);
        f = feature[node] as number;
      }
      const j = i * k + c;
      raw[j] = (raw[j] as number) + (value[node] as number);
    }
  }
}

/** JSON form of {@link BoostedTrees}. */
export interface BoostedState {
  roots: string;
  feature: string;
  threshold: string;
  binThreshold: string;
  missingLeft: string;
  catOffset: string;
  left: string;
  right: string;
  value: string;
  bits: string;
}

function copyI(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a.subarray(0, Math.min(a.length, cap)));
  return b;
}
function copyF(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a.subarray(0, Math.min(a.length, cap)));
  return b;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  cat: Int32Array | null;
  gl: number;
  hl: number;
  cl: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  c: number;
  hist: number; // pool index, -1 when none
  split: Split | null;
}

/** Reusable buffers of one boosting run. */
export class GrowerContext {
  readonly idx: Int32Array;
  readonly tmp: Int32Array;
  readonly og: Float64Array;
  readonly oh: Float64Array;
  private pool: Float64Array[] = [];
  private free: number[] = [];
  readonly histSize: number;
  readonly order: Int32Array = new Int32Array(HIST_BINS);
  readonly ratio: Float64Array = new Float64Array(HIST_BINS);
  /** The binned matrix row-major (`rowMajor[i * ncols + f]`), for row-wise histograms. */
  readonly rowMajor: Uint8Array;
  constructor(
    readonly data: BinnedData,
    readonly featureGain: Float64Array,
  ) {
    const n = data.nrows;
    this.idx = new Int32Array(n);
    this.tmp = new Int32Array(n);
    this.og = new Float64Array(n);
    this.oh = new Float64Array(n);
    this.histSize = data.ncols * HIST_BINS * W;
    const p = data.ncols;
    this.rowMajor = new Uint8Array(n * p);
    for (let f = 0; f < p; f++) {
      const base = f * n;
      for (let i = 0; i < n; i++) this.rowMajor[i * p + f] = data.binned[base + i] as number;
    }
  }
  acquire(): number {
    const f = this.free.pop();
    if (f !== undefined) {
      (this.pool[f] as Float64Array).fill(0);
      return f;
    }
    this.pool.push(new Float64Array(this.histSize));
    return this.pool.length - 1;
  }
  release(i: number): void {
    if (i >= 0) this.free.push(i);
  }
  hist(i: number): Float64Array {
    return this.pool[i] as Float64Array;
  }
}

/**
 * Grows one tree on gradients `g` / hessians `h` into `trees` and returns the leaves' row ranges in
 * `ctx.idx` (`[start, end, node]` triples) so the caller can update predictions.
 */
export function growBoostedTree(ctx: GrowerContext, g: Float64Array, h: Float64Array, cfg: GrowerConfig, trees: BoostedTrees): number[] {
  const { data, idx } = ctx;
  const n = data.nrows;
  for (let i = 0; i < n; i++) idx[i] = i;
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += g[i] as number;
    H += h[i] as number;
  }
  const root: Leaf = { node: trees.add(), start: 0, end: n, depth: 0, g: G, h: H, c: n, hist: -1, split: null };
  trees.roots.push(root.node);
  const done: Leaf[] = [];
  const candidates: Leaf[] = [];
  const canSplit = (l: Leaf): boolean => l.c >= 2 * cfg.minSamplesLeaf && l.depth < cfg.maxDepth && l.h >= 2 * cfg.minHessian;
  if (canSplit(root) && cfg.maxLeafNodes > 1) {
    root.hist = ctx.acquire();
    buildHist(ctx, root, g, h, true);
    root.split = findSplit(ctx, root, cfg);
  }
  if (root.split) candidates.push(root);
  else {
    ctx.release(root.hist);
    done.push(root);
  }
  let nLeaves = 1;
  while (candidates.length > 0 && nLeaves < cfg.maxLeafNodes) {
    let bi = 0;
    for (let i = 1; i < candidates.length; i++) if ((candidates[i]?.split?.gain as number) > (candidates[bi]?.split?.gain as number)) bi = i;
    const leaf = candidates[bi] as Leaf;
    candidates.splice(bi, 1);
    const s = leaf.split as Split;
    // record the split
    const node = leaf.node;
    trees.feature[node] = s.feature;
    trees.binThreshold[node] = s.bin;
    trees.missingLeft[node] = s.missingLeft ? 1 : 0;
    if (s.cat) trees.catOffset[node] = trees.addBitset(s.cat);
    else
      trees.threshold[node] =
        s.bin < (data.thresholds[s.feature] as Float64Array).length ? ((data.thresholds[s.feature] as Float64Array)[s.bin] as number) : Infinity;
    ctx.featureGain[s.feature] = (ctx.featureGain[s.feature] as number) + s.gain;
    const mid = partition(ctx, leaf, s);
    const l: Leaf = { node: trees.add(), start: leaf.start, end: mid, depth: leaf.depth + 1, g: s.gl, h: s.hl, c: mid - leaf.start, hist: -1, split: null };
    const r: Leaf = {
      node: trees.add(),
      start: mid,
      end: leaf.end,
      depth: leaf.depth + 1,
      g: leaf.g - s.gl,
      h: leaf.h - s.hl,
      c: leaf.end - mid,
      hist: -1,
      split: null,
    };
    trees.left[node] = l.node;
    trees.right[node] = r.node;
    nLeaves++;
    const lSplit = canSplit(l) && nLeaves < cfg.maxLeafNodes;
    const rSplit = canSplit(r) && nLeaves < cfg.maxLeafNodes;
    if (lSplit || rSplit) {
      const small = l.c <= r.c ? l : r;
      const large = small === l ? r : l;
      small.hist = ctx.acquire();
      buildHist(ctx, small, g, h, false);
      large.hist = leaf.hist;
      leaf.hist = -1;
      const hs = ctx.hist(small.hist);
      const hl = ctx.hist(large.hist);
      for (let j = 0; j < hl.length; j++) hl[j] = (hl[j] as number) - (hs[j] as number);
      for (const c of [l, r]) {
        c.split = (c === l ? lSplit : rSplit) ? findSplit(ctx, c, cfg) : null;
        if (c.split) candidates.push(c);
        else {
          ctx.release(c.hist);
          c.hist = -1;
          done.push(c);
        }
      }
    } else {
      ctx.release(leaf.hist);
      leaf.hist = -1;
      done.push(l, r);
    }
  }
  for (const c of candidates) {
    ctx.release(c.hist);
    done.push(c);
  }
  const out: number[] = [];
  for (const leaf of done) {
    trees.value[leaf.node] = (-leaf.g / (leaf.h + cfg.l2)) * cfg.learningRate;
    out.push(leaf.start, leaf.end, leaf.node);
  }
  return out;
}

function buildHist(ctx: GrowerContext, leaf: Leaf, g: Float64Array, h: Float64Array, isRoot: boolean): void {
  const { idx, rowMajor } = ctx;
  const hist = ctx.hist(leaf.hist);
  const p = ctx.data.ncols;
  const { start, end } = leaf;
  const stride = HIST_BINS * W;
  const p4 = p - (p & 3);
  // row-wise (each row's bins are contiguous in `rowMajor`), four features per step
  for (let i = start; i < end; i++) {
    const r = isRoot ? i : (idx[i] as number);
    const gi = g[r] as number;
    const hi = h[r] as number;
    let rb = r * p;
    let hb = 0;
    let f = 0;
    for (; f < p4; f += 4) {
      const j0 = hb + (rowMajor[rb] as number) * W;
      const j1 = hb + stride + (rowMajor[rb + 1] as number) * W;
      const j2 = hb + 2 * stride + (rowMajor[rb + 2] as number) * W;
      const j3 = hb + 3 * stride + (rowMajor[rb + 3] as number) * W;
      hist[j0] = (hist[j0] as number) + gi;
      hist[j0 + 1] = (hist[j0 + 1] as number) + hi;
      hist[j1] = (hist[j1] as number) + gi;
      hist[j1 + 1] = (hist[j1 + 1] as number) + hi;
      hist[j2] = (hist[j2] as number) + gi;
      hist[j2 + 1] = (hist[j2 + 1] as number) + hi;
      hist[j3] = (hist[j3] as number) + gi;
      hist[j3 + 1] = (hist[j3 + 1] as number) + hi;
      rb += 4;
      hb += 4 * stride;
    }
    for (; f < p; f++) {
      const j = hb + (rowMajor[rb] as number) * W;
      hist[j] = (hist[j] as number) + gi;
      hist[j + 1] = (hist[j + 1] as number) + hi;
      rb++;
      hb += stride;
    }
  }
}

function partition(ctx: GrowerContext, leaf: Leaf, s: Split): number {
  const { data, idx, tmp } = ctx;
  const base = s.feature * data.nrows;
  const binned = data.binned;
  let w = leaf.start;
  let t = 0;
  const cat = s.cat;
  if (cat) {
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = idx[i] as number;
      const b = binned[base + r] as number;
      if ((((cat[b >>> 5] as number) >>> (b & 31)) & 1) === 1) idx[w++] = r;
      else tmp[t++] = r;
    }
  } else {
    const bin = s.bin;
    const ml = s.missingLeft;
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = idx[i] as number;
      const b = binned[base + r] as number;
      if (b <= bin || (ml && b === MISSING_BIN)) idx[w++] = r;
      else tmp[t++] = r;
    }
  }
  idx.set(tmp.subarray(0, t), w);
  return w;
}

function findSplit(ctx: GrowerContext, leaf: Leaf, cfg: GrowerConfig): Split | null {
  const { data } = ctx;
  const hist = ctx.hist(leaf.hist);
  const { l2, minSamplesLeaf: minLeaf, minHessian } = cfg;
  const G = leaf.g;
  const H = leaf.h;
  const C = leaf.c;
  const parent = (G * G) / (H + l2);
  const cf = C / H;
  let best: Split | null = null;
  let bestGain = 0;
  for (let f = 0; f < data.ncols; f++) {
    const hb = f * HIST_BINS * W;
    const nb = data.nBins[f] as number;
    const mj = hb + MISSING_BIN * W;
    const gM = hist[mj] as number;
    const hM = hist[mj + 1] as number;
    const cM = hM > 0 ? Math.max(1, hM * cf) : 0;
    if (data.categorical[f] === 1) {
      const s = categoricalSplit(ctx, hist, hb, nb, G, H, C, parent, cfg);
      if (s && s.gain > bestGain) {
        bestGain = s.gain;
        s.feature = f;
        best = s;
      }
      continue;
    }
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const last = cM > 0 ? nb - 1 : nb - 2;
    for (let b = 0; b <= last; b++) {
      const j = hb + b * W;
      gl += hist[j] as number;
      hl += hist[j + 1] as number;
      cl = hl * cf;
      // missing to the right
      if (cl >= minLeaf && C - cl >= minLeaf && hl >= minHessian && H - hl >= minHessian) {
        const gr = G - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (H - hl + l2) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          best = { gain, feature: f, bin: b, missingLeft: false, cat: null, gl, hl, cl };
        }
      }
      // missing to the left
      if (cM > 0 && b < nb - 1) {
        const gl2 = gl + gM;
        const hl2 = hl + hM;
        const cl2 = cl + cM;
        if (cl2 >= minLeaf && C - cl2 >= minLeaf && hl2 >= minHessian && H - hl2 >= minHessian) {
          const gr = G - gl2;
          const gain = (gl2 * gl2) / (hl2 + l2) + (gr * gr) / (H - hl2 + l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            best = { gain, feature: f, bin: b, missingLeft: true, cat: null, gl: gl2, hl: hl2, cl: cl2 };
          }
        }
      }
    }
    // no missing seen here: send missing values at predict time to the larger child (scikit-learn)
    if (best && best.feature === f && cM === 0 && !best.missingLeft) best.missingLeft = best.cl >= C - best.cl;
  }
  return best;
}

function categoricalSplit(
  ctx: GrowerContext,
  hist: Float64Array,
  hb: number,
  nb: number,
  G: number,
  H: number,
  C: number,
  parent: number,
  cfg: GrowerConfig,
): Split | null {
  const { order, ratio } = ctx;
  const cf = C / H;
  let m = 0;
  const consider = (b: number): void => {
    const j = hb + b * W;
    if ((hist[j + 1] as number) * cf >= MIN_CAT_SUPPORT) {
      order[m] = b;
      ratio[b] = (hist[j] as number) / ((hist[j + 1] as number) + CAT_SMOOTH);
      m++;
    }
  };
  for (let b = 0; b < nb; b++) consider(b);
  consider(MISSING_BIN);
  if (m < 2) return null;
  const ord = order.subarray(0, m).sort((a, b) => (ratio[a] as number) - (ratio[b] as number));
  let gl = 0;
  let hl = 0;
  let cl = 0;
  let bestGain = 0;
  let bestK = -1;
  let bgl = 0;
  let bhl = 0;
  let bcl = 0;
  for (let t = 0; t < m - 1; t++) {
    const j = hb + (ord[t] as number) * W;
    gl += hist[j] as number;
    hl += hist[j + 1] as number;
    cl += (hist[j + 1] as number) * cf;
    if (cl < cfg.minSamplesLeaf || C - cl < cfg.minSamplesLeaf || hl < cfg.minHessian || H - hl < cfg.minHessian) continue;
    const gr = G - gl;
    const gain = (gl * gl) / (hl + cfg.l2) + (gr * gr) / (H - hl + cfg.l2) - parent;
    if (gain > bestGain) {
      bestGain = gain;
      bestK = t;
      bgl = gl;
      bhl = hl;
      bcl = cl;
    }
  }
  if (bestK < 0) return null;
  const bits = new Int32Array(8);
  for (let t = 0; t <= bestK; t++) {
    const b = ord[t] as number;
    bits[b >>> 5] = (bits[b >>> 5] as number) | (1 << (b & 31));
  }
  return {
    gain: bestGain,
    feature: -1,
    bin: -1,
    missingLeft: !!(((bits[MISSING_BIN >>> 5] as number) >>> (MISSING_BIN & 31)) & 1),
    cat: bits,
    gl: bgl,
    hl: bhl,
    cl: bcl,
  };
}
