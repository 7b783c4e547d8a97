import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import type { Serialized } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, decodeInt32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { type RcfStep, rcfKernel } from './rrcf-kernel.js';
import { checkCount, checkNumber, checkStreamValue, type StreamingDetector } from './streaming.js';

const Options = z
  .object({
    /** Number of trees. Default 40. */
    numTrees: z.number().int().min(1).max(10_000).default(40),
    /** Points each tree holds: the sliding window length. Default 256. */
    treeSize: z.number().int().min(4).max(1_000_000).default(256),
    /** Shingle length: a point is the last `shingleSize` values. Default 4 (1 = no shingling). */
    shingleSize: z.number().int().min(1).max(1024).default(4),
    /** Updates scored 0 while the window fills (default: treeSize / 4). */
    warmup: z.number().int().min(0).optional(),
    /** Seed. Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link RandomCutForest}. @example `const o: RandomCutForestOptions = { numTrees: 100, shingleSize: 8 };` */
export type RandomCutForestOptions = z.input<typeof Options>;

/** mulberry32, seeded from the forest's Rng; its state is one 32-bit integer (serialised), kept in the forest's memory. */
class FastRng {
  constructor(private readonly state: Uint32Array) {}
  get a(): number {
    return this.state[0] as number;
  }
  set a(v: number) {
    this.state[0] = v;
  }
  next(): number {
    const a = ((this.state[0] as number) + 0x6d2b79f5) >>> 0;
    this.state[0] = a;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

// Integer fields of a node record (stride 5 in `g`).
const LEFT = 0; // -1 for a leaf
const RIGHT = 1;
const PARENT = 2;
const MASS = 3;
const DIM = 4;

/**
 * Byte offsets of one tree's arrays in a forest's memory, from the tree's start (box records at 0),
 * and the bytes it takes (a multiple of 8): the layout `rrcf-kernel.ts` computes too.
 */
function treeLayout(cap: number, d: number): { nodes: number; g: number; leafOf: number; free: number; hdr: number; bytes: number } {
  const nodes = 2 * cap + 2;
  const g = nodes * (2 * d + 1) * 8;
  const leafOf = g + nodes * 20;
  const free = leafOf + cap * 4;
  const hdr = free + nodes * 4;
  return { nodes, g, leafOf, free, hdr, bytes: Math.ceil((hdr + 8) / 8) * 8 };
}

/** Where the forest's memory holds the random state and the point being inserted (see rrcf-kernel.ts); the trees start at 8 + 8d. */
const RNG_AT = 0;
const POINT_AT = 8;

/**
 * One robust random cut tree in flat typed arrays with a free list, laid out as the WebAssembly
 * step in `rrcf-kernel.ts` expects (the arrays may be views into its memory). A node's fields sit
 * next to each other: `f` holds, per node, its box minima (d), maxima (d) and cut value; `g` holds
 * left, right, parent, mass and cut dimension; `hdr` holds nFree and root.
 */
class RcTree {
  readonly f: Float64Array;
  readonly g: Int32Array;
  /** Stride of a node in `f`: 2d + 1. */
  readonly s: number;
  /** Leaf of each point-store slot. */
  readonly leafOf: Int32Array;
  readonly free: Int32Array;
  private readonly hdr: Int32Array;

  constructor(
    readonly cap: number,
    readonly d: number,
    buffer: ArrayBuffer,
    offset: number,
  ) {
    const L = treeLayout(cap, d);
    this.s = 2 * d + 1;
    this.f = new Float64Array(buffer, offset, L.nodes * this.s);
    this.g = new Int32Array(buffer, offset + L.g, L.nodes * 5);
    this.leafOf = new Int32Array(buffer, offset + L.leafOf, cap);
    this.free = new Int32Array(buffer, offset + L.free, L.nodes);
    this.hdr = new Int32Array(buffer, offset + L.hdr, 2);
  }

  /** Empties the tree. */
  clear(): void {
    const nodes = this.free.length;
    this.f.fill(0);
    this.g.fill(0);
    for (let i = 0; i < nodes; i++) this.g[i * 5 + LEFT] = -1;
    this.leafOf.fill(-1);
    for (let i = 0; i < nodes; i++) this.free[i] = nodes - 1 - i;
    this.nFree = nodes;
    this.root = -1;
  }

  get nFree(): number {
    return this.hdr[0] as number;
  }
  set nFree(v: number) {
    this.hdr[0] = v;
  }
  get root(): number {
    return this.hdr[1] as number;
  }
  set root(v: number) {
    this.hdr[1] = v;
  }

  private alloc(): number {
    return this.free[--this.nFree] as number;
  }
  private release(i: number): void {
    this.free[this.nFree++] = i;
  }

  private newLeaf(p: Float64Array): number {
    const leaf = this.alloc();
    this.g[leaf * 5 + LEFT] = -1;
    this.g[leaf * 5 + MASS] = 1;
    this.f.set(p, leaf * this.s);
    this.f.set(p, leaf * this.s + this.d);
    return leaf;
  }

  /** Inserts a point and returns its collusive displacement, computed on the way down (same value as {@link codisp} of the new leaf). */
  insert(p: Float64Array, slot: number, rng: FastRng): number {
    const { d, s, f, g } = this;
    if (this.root < 0) {
      const leaf = this.newLeaf(p);
      g[leaf * 5 + PARENT] = -1;
      this.root = leaf;
      this.leafOf[slot] = leaf;
      return 0;
    }
    let best = 0;
    let node = this.root;
    for (;;) {
      const o = node * s;
      const gi = node * 5;
      // The random cut is drawn over the box extended by p (probability proportional to each
      // dimension's span). It separates p only when it falls outside the node's own box, so only the
      // extension decides: with probability ext / (span + ext); a point inside the box never draws.
      let ext = 0;
      let span = 0;
      for (let j = 0; j < d; j++) {
        const v = p[j] as number;
        const lo = f[o + j] as number;
        const hi = f[o + d + j] as number;
        span += hi - lo;
        if (v < lo) ext += lo - v;
        else if (v > hi) ext += v - hi;
      }
      if (ext === 0 && span === 0) {
        // a duplicate of this leaf's point
        g[gi + MASS] = (g[gi + MASS] as number) + 1;
        this.leafOf[slot] = node;
        return best;
      }
      // a leaf's box is one point (span 0), so a new point always separates from it
      let r = ext > 0 ? rng.next() * (span + ext) : ext;
      if (r < ext) {
        // the cut falls in p's extension: locate the dimension and the value
        let c = -1;
        let x = 0;
        for (let j = 0; j < d; j++) {
          const v = p[j] as number;
          const lo = f[o + j] as number;
          const hi = f[o + d + j] as number;
          const e = v < lo ? lo - v : v > hi ? v - hi : 0;
          if (e === 0) continue;
          c = j;
          // keep the cut strictly between p and the box despite rounding
          if (v < lo) x = v + r < lo ? v + r : v;
          else x = hi + r < v ? hi + r : hi;
          if (r < e) break;
          r -= e; // rounding can leave r >= the last extension: the last such dimension is used
        }
        const leaf = this.newLeaf(p);
        const u = this.alloc();
        const ui = u * 5;
        const par = g[gi + PARENT] as number;
        g[ui + DIM] = c;
        f[u * s + 2 * d] = x;
        if ((p[c] as number) <= x) {
          g[ui + LEFT] = leaf;
          g[ui + RIGHT] = node;
        } else {
          g[ui + LEFT] = node;
          g[ui + RIGHT] = leaf;
        }
        g[ui + PARENT] = par;
        g[gi + PARENT] = u;
        g[leaf * 5 + PARENT] = u;
        g[ui + MASS] = (g[gi + MASS] as number) + 1;
        const ou = u * s;
        for (let j = 0; j < d; j++) {
          const v = p[j] as number;
          const lo = f[o + j] as number;
          const hi = f[o + d + j] as number;
          f[ou + j] = v < lo ? v : lo;
          f[ou + d + j] = v > hi ? v : hi;
        }
        if (par < 0) this.root = u;
        else if (g[par * 5 + LEFT] === node) g[par * 5 + LEFT] = u;
        else g[par * 5 + RIGHT] = u;
        this.leafOf[slot] = leaf;
        const ratio = g[gi + MASS] as number; // sibling of the new leaf / the leaf's mass 1
        return ratio > best ? ratio : best;
      }
      // not separated: extend this node's box, count the point, follow the existing cut
      const massNode = g[gi + MASS] as number;
      g[gi + MASS] = massNode + 1;
      if (ext > 0) {
        for (let j = 0; j < d; j++) {
          const v = p[j] as number;
          if (v < (f[o + j] as number)) f[o + j] = v;
          else if (v > (f[o + d + j] as number)) f[o + d + j] = v;
        }
      }
      const goLeft = (p[g[gi + DIM] as number] as number) <= (f[o + 2 * d] as number);
      const child = goLeft ? (g[gi + LEFT] as number) : (g[gi + RIGHT] as number);
      // the sibling's mass is the node's (before p) minus the child's: no visit to the sibling
      const massChild = g[child * 5 + MASS] as number;
      const ratio = (massNode - massChild) / (massChild + 1);
      if (ratio > best) best = ratio;
      node = child;
    }
  }

  remove(slot: number): void {
    const { d, s, f, g } = this;
    const leaf = this.leafOf[slot] as number;
    this.leafOf[slot] = -1;
    if (leaf < 0) return;
    if ((g[leaf * 5 + MASS] as number) > 1) {
      for (let n = leaf; n >= 0; n = g[n * 5 + PARENT] as number) g[n * 5 + MASS] = (g[n * 5 + MASS] as number) - 1;
      return;
    }
    const par = g[leaf * 5 + PARENT] as number;
    // the removed point, read from the released leaf's record (nothing is allocated before the repair ends)
    const q = leaf * s;
    this.release(leaf);
    if (par < 0) {
      this.root = -1;
      return;
    }
    const pi = par * 5;
    const sib = g[pi + LEFT] === leaf ? (g[pi + RIGHT] as number) : (g[pi + LEFT] as number);
    const grand = g[pi + PARENT] as number;
    g[sib * 5 + PARENT] = grand;
    if (grand < 0) this.root = sib;
    else if (g[grand * 5 + LEFT] === par) g[grand * 5 + LEFT] = sib;
    else g[grand * 5 + RIGHT] = sib;
    this.release(par);
    let boxes = true;
    for (let n = grand; n >= 0; n = g[n * 5 + PARENT] as number) {
      const ni = n * 5;
      g[ni + MASS] = (g[ni + MASS] as number) - 1;
      if (!boxes) continue;
      const o = n * s;
      // a point strictly inside the box (on none of its faces) leaves it, and the ancestors', as is
      let onFace = false;
      for (let j = 0; j < d; j++) {
        const v = f[q + j] as number;
        if (v === f[o + j] || v === f[o + d + j]) {
          onFace = true;
          break;
        }
      }
      if (!onFace) {
        boxes = false;
        continue;
      }
      const a = (g[ni + LEFT] as number) * s;
      const b = (g[ni + RIGHT] as number) * s;
      let changed = false;
      for (let j = 0; j < d; j++) {
        const la = f[a + j] as number;
        const lb = f[b + j] as number;
        const ha = f[a + d + j] as number;
        const hb = f[b + d + j] as number;
        const lo = la < lb ? la : lb;
        const hi = ha > hb ? ha : hb;
        if (lo !== f[o + j] || hi !== f[o + d + j]) {
          changed = true;
          f[o + j] = lo;
          f[o + d + j] = hi;
        }
      }
      // an unchanged box leaves every ancestor's box unchanged too
      if (!changed) boxes = false;
    }
  }

  /** Collusive displacement of a leaf: max over its ancestors of |sibling| / |subtree|. */
  codisp(leaf: number): number {
    const g = this.g;
    let best = 0;
    let node = leaf;
    for (let par = g[node * 5 + PARENT] as number; par >= 0; par = g[node * 5 + PARENT] as number) {
      const sib = g[par * 5 + LEFT] === node ? (g[par * 5 + RIGHT] as number) : (g[par * 5 + LEFT] as number);
      const ratio = (g[sib * 5 + MASS] as number) / (g[node * 5 + MASS] as number);
      if (ratio > best) best = ratio;
      node = par;
    }
    return best;
  }
}

/**
 * Robust random cut forest (Guha, Mishra, Roy and Schrijvers, ICML 2016) for streams: every tree
 * holds the last `treeSize` shingled points (sliding window); `update(value)` shingles the value,
 * evicts the oldest point from each tree, inserts the new one (random cut chosen proportionally
 * to the bounding-box spans, as the paper's insertion), and returns the mean collusive
 * displacement (CoDisp) of the new point. Time per update O(numTrees · depth · shingleSize),
 * memory O(numTrees · treeSize · shingleSize). Seeded and reproducible.
 *
 * @example
 * ```ts
 * import { RandomCutForest } from 'tessera';
 * const rcf = new RandomCutForest({ numTrees: 20, treeSize: 64, shingleSize: 2 });
 * for (let i = 0; i < 200; i++) rcf.update(Math.sin(i / 5));
 * rcf.update(5); // large CoDisp
 * ```
 */
export class RandomCutForest implements StreamingDetector {
  readonly params: z.output<typeof Options>;
  private readonly trees: RcTree[] = [];
  private readonly shingle: Float64Array;
  /** The point being inserted, in the forest's memory (byte 8). */
  private readonly point: Float64Array;
  private readonly rng: FastRng;
  /** The WebAssembly update step over this forest's memory, or null (JavaScript trees). */
  private readonly step: RcfStep | null;
  private readonly treeBytes: number;
  private readonly base: number;
  private n = 0;
  private next = 0;
  private filled = 0;

  constructor(options: RandomCutForestOptions = {}) {
    this.params = parseOptions(Options, options, 'RandomCutForest');
    const { numTrees, treeSize, shingleSize } = this.params;
    // one memory for the forest: the random state, the point, then the trees (see rrcf-kernel.ts)
    this.base = POINT_AT + 8 * shingleSize;
    this.treeBytes = treeLayout(treeSize, shingleSize).bytes;
    const total = this.base + numTrees * this.treeBytes;
    const kernel = rcfKernel(total);
    this.step = kernel?.step ?? null;
    const buffer = kernel ? kernel.memory.buffer : new ArrayBuffer(total);
    this.rng = new FastRng(new Uint32Array(buffer, RNG_AT, 1));
    this.point = new Float64Array(buffer, POINT_AT, shingleSize);
    this.shingle = new Float64Array(shingleSize);
    for (let t = 0; t < numTrees; t++) this.trees.push(new RcTree(treeSize, shingleSize, buffer, this.base + t * this.treeBytes));
    this.reset();
  }

  get count(): number {
    return this.n;
  }

  /** Scores and learns one value (shingled). The first `shingleSize - 1` values score 0. */
  update(value: number): number {
    checkStreamValue(value, 'RandomCutForest', this.n);
    const s = this.params.shingleSize;
    this.shingle.copyWithin(0, 1);
    this.shingle[s - 1] = value;
    this.n++;
    if (this.n < s) return 0;
    return this.updatePoint(this.shingle);
  }

  /** Scores and learns one ready-made point of length `shingleSize` (no shingling). */
  updatePoint(p: ArrayLike<number>): number {
    const s = this.params.shingleSize;
    if (p.length !== s) throw new TesseraError('E_SHAPE', `RandomCutForest.updatePoint: expected ${s} values, got ${p.length}`, { option: 'shingleSize' });
    for (let j = 0; j < s; j++) {
      checkStreamValue(p[j] as number, 'RandomCutForest', this.n);
      this.point[j] = p[j] as number;
    }
    const slot = this.next;
    const size = this.params.treeSize;
    const evict = this.filled === size;
    if (!evict) this.filled++;
    let sum = 0;
    if (this.step) {
      sum = this.step(this.base, this.treeBytes, this.trees.length, s, 2 * size + 2, size, slot, evict ? 1 : 0, POINT_AT, RNG_AT);
    } else {
      // evict from every tree, then insert: the trees are independent and only insertion draws
      // random numbers, so this is the WebAssembly step's order too
      if (evict) for (const t of this.trees) t.remove(slot);
      for (const t of this.trees) sum += t.insert(this.point, slot, this.rng);
    }
    this.next = (slot + 1) % size;
    const warm = this.params.warmup ?? Math.floor(size / 4);
    return this.filled <= warm ? 0 : sum / this.trees.length;
  }

  reset(): void {
    this.rng.a = new Rng(this.params.seed).uint32();
    for (const t of this.trees) t.clear();
    this.n = 0;
    this.next = 0;
    this.filled = 0;
    this.shingle.fill(0);
  }

  /**
   * Serialises the full running state (every tree, the window position, the random stream): a
   * restored forest continues with identical scores. Size about numTrees x treeSize x
   * (2 x shingleSize + 3) x 8 bytes, base64-encoded.
   */
  toJSON(): Serialized {
    const state: ForestState = {
      n: this.n,
      next: this.next,
      filled: this.filled,
      rng: this.rng.a,
      shingle: encodeArray(this.shingle),
      trees: this.trees.map((t) => ({
        f: encodeArray(t.f),
        g: encodeArray(t.g),
        leafOf: encodeArray(t.leafOf),
        free: encodeArray(t.free),
        nFree: t.nFree,
        root: t.root,
      })),
    };
    return { type: 'RandomCutForest', version: 1, params: this.params, state };
  }

  /** Restores a forest from {@link RandomCutForest.toJSON}. */
  static fromJSON(json: Serialized): RandomCutForest {
    const { params, state } = expectType<ForestState, RandomCutForestOptions>(json, 'RandomCutForest');
    const forest = new RandomCutForest(params);
    const p = forest.params;
    const bad = (): never => {
      throw new TesseraError('E_SERIALIZATION', 'RandomCutForest: state does not match its params');
    };
    if (!Array.isArray(state.trees) || state.trees.length !== p.numTrees) bad();
    const owner = 'RandomCutForest';
    forest.n = checkCount(state.n, owner);
    forest.next = checkCount(state.next, owner);
    forest.filled = checkCount(state.filled, owner);
    if (forest.next >= p.treeSize || forest.filled > p.treeSize) bad();
    forest.rng.a = checkNumber(state.rng, owner, 'rng') >>> 0;
    const shingle = decodeFloat64(state.shingle);
    if (shingle.length !== p.shingleSize) bad();
    forest.shingle.set(shingle);
    state.trees.forEach((ts, k) => {
      const t = forest.trees[k] as RcTree;
      const f = decodeFloat64(ts.f);
      const g = decodeInt32(ts.g);
      const leafOf = decodeInt32(ts.leafOf);
      const free = decodeInt32(ts.free);
      if (f.length !== t.f.length || g.length !== t.g.length || leafOf.length !== t.leafOf.length || free.length !== t.free.length) bad();
      t.f.set(f);
      t.g.set(g);
      t.leafOf.set(leafOf);
      t.free.set(free);
      const nodes = t.free.length;
      // every link points at a node (or -1), so neither path can leave the tree's memory
      const inRange = (i: number): boolean => Number.isInteger(i) && i >= -1 && i < nodes;
      if (!inRange(ts.root) || !Number.isInteger(ts.nFree) || ts.nFree < 0 || ts.nFree > nodes) bad();
      for (let i = 0; i < g.length; i++) {
        const v = g[i] as number;
        const field = i % 5;
        if (field === DIM ? v < 0 || v >= p.shingleSize : field !== MASS && !inRange(v)) bad();
      }
      for (const i of leafOf) if (!inRange(i)) bad();
      for (let i = 0; i < ts.nFree; i++) if (!inRange(free[i] as number)) bad();
      t.nFree = ts.nFree;
      t.root = ts.root;
    });
    return forest;
  }
}

interface ForestState {
  n: number;
  next: number;
  filled: number;
  rng: number;
  shingle: string;
  trees: { f: string; g: string; leafOf: string; free: string; nFree: number; root: number }[];
}

registerLoader('RandomCutForest', 1, (json) => RandomCutForest.fromJSON(json));
