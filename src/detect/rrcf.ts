import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { Rng } from '../core/random.js';
import type { StreamingDetector } from './streaming.js';

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

/** mulberry32, seeded from the forest's Rng. */
class FastRng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** One robust random cut tree in flat typed arrays with a free list. */
class RcTree {
  readonly parent: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly cutDim: Int32Array;
  readonly cutVal: Float64Array;
  readonly mass: Int32Array;
  readonly bmin: Float64Array;
  readonly bmax: Float64Array;
  /** Leaf of each point-store slot. */
  readonly leafOf: Int32Array;
  private readonly free: Int32Array;
  private nFree: number;
  root = -1;

  constructor(
    readonly cap: number,
    readonly d: number,
    slots: number,
  ) {
    const nodes = 2 * cap + 2;
    this.parent = new Int32Array(nodes);
    this.left = new Int32Array(nodes).fill(-1);
    this.right = new Int32Array(nodes);
    this.cutDim = new Int32Array(nodes);
    this.cutVal = new Float64Array(nodes);
    this.mass = new Int32Array(nodes);
    this.bmin = new Float64Array(nodes * d);
    this.bmax = new Float64Array(nodes * d);
    this.leafOf = new Int32Array(slots).fill(-1);
    this.free = new Int32Array(nodes);
    for (let i = 0; i < nodes; i++) this.free[i] = nodes - 1 - i;
    this.nFree = nodes;
  }

  private alloc(): number {
    return this.free[--this.nFree] as number;
  }
  private release(i: number): void {
    this.free[this.nFree++] = i;
  }

  private newLeaf(p: Float64Array): number {
    const d = this.d;
    const leaf = this.alloc();
    this.left[leaf] = -1;
    this.mass[leaf] = 1;
    this.bmin.set(p, leaf * d);
    this.bmax.set(p, leaf * d);
    return leaf;
  }

  /** Inserts a point and returns its collusive displacement, computed on the way down (same value as {@link codisp} of the new leaf). */
  insert(p: Float64Array, slot: number, rng: FastRng): number {
    const d = this.d;
    if (this.root < 0) {
      const leaf = this.newLeaf(p);
      this.parent[leaf] = -1;
      this.root = leaf;
      this.leafOf[slot] = leaf;
      return 0;
    }
    let best = 0;
    let node = this.root;
    const { bmin, bmax } = this;
    for (;;) {
      const o = node * d;
      let total = 0;
      for (let j = 0; j < d; j++) {
        const v = p[j] as number;
        total += Math.max(bmax[o + j] as number, v) - Math.min(bmin[o + j] as number, v);
      }
      if (total === 0) {
        // a duplicate of this leaf's point
        this.mass[node] = (this.mass[node] as number) + 1;
        this.leafOf[slot] = node;
        return best;
      }
      let r = rng.next() * total;
      let c = 0;
      let lo = 0;
      for (; c < d; c++) {
        const v = p[c] as number;
        lo = Math.min(bmin[o + c] as number, v);
        const span = Math.max(bmax[o + c] as number, v) - lo;
        if (r < span || c === d - 1) break;
        r -= span;
      }
      const x = lo + r;
      const pc = p[c] as number;
      const sepLeft = x < (bmin[o + c] as number); // p alone on the left
      const sepRight = x >= (bmax[o + c] as number); // p alone on the right
      if (sepLeft || sepRight || this.left[node] === -1) {
        const leaf = this.newLeaf(p);
        const u = this.alloc();
        const par = this.parent[node] as number;
        this.cutDim[u] = c;
        this.cutVal[u] = x;
        if (pc <= x) {
          this.left[u] = leaf;
          this.right[u] = node;
        } else {
          this.left[u] = node;
          this.right[u] = leaf;
        }
        this.parent[u] = par;
        this.parent[node] = u;
        this.parent[leaf] = u;
        this.mass[u] = (this.mass[node] as number) + 1;
        const ou = u * d;
        for (let j = 0; j < d; j++) {
          const v = p[j] as number;
          bmin[ou + j] = Math.min(bmin[o + j] as number, v);
          bmax[ou + j] = Math.max(bmax[o + j] as number, v);
        }
        if (par < 0) this.root = u;
        else if (this.left[par] === node) this.left[par] = u;
        else this.right[par] = u;
        this.leafOf[slot] = leaf;
        const ratio = this.mass[node] as number; // sibling of the new leaf / the leaf's mass 1
        return ratio > best ? ratio : best;
      }
      // not separated: extend this node's box, count the point, follow the existing cut
      this.mass[node] = (this.mass[node] as number) + 1;
      for (let j = 0; j < d; j++) {
        const v = p[j] as number;
        if (v < (bmin[o + j] as number)) bmin[o + j] = v;
        if (v > (bmax[o + j] as number)) bmax[o + j] = v;
      }
      const goLeft = (p[this.cutDim[node] as number] as number) <= (this.cutVal[node] as number);
      const child = goLeft ? (this.left[node] as number) : (this.right[node] as number);
      const sib = goLeft ? (this.right[node] as number) : (this.left[node] as number);
      const ratio = (this.mass[sib] as number) / ((this.mass[child] as number) + 1);
      if (ratio > best) best = ratio;
      node = child;
    }
  }

  remove(slot: number): void {
    const leaf = this.leafOf[slot] as number;
    this.leafOf[slot] = -1;
    if (leaf < 0) return;
    if ((this.mass[leaf] as number) > 1) {
      for (let n = leaf; n >= 0; n = this.parent[n] as number) this.mass[n] = (this.mass[n] as number) - 1;
      return;
    }
    const par = this.parent[leaf] as number;
    this.release(leaf);
    if (par < 0) {
      this.root = -1;
      return;
    }
    const sib = this.left[par] === leaf ? (this.right[par] as number) : (this.left[par] as number);
    const grand = this.parent[par] as number;
    this.parent[sib] = grand;
    if (grand < 0) this.root = sib;
    else if (this.left[grand] === par) this.left[grand] = sib;
    else this.right[grand] = sib;
    this.release(par);
    const d = this.d;
    const { bmin, bmax } = this;
    let boxes = true;
    for (let n = grand; n >= 0; n = this.parent[n] as number) {
      this.mass[n] = (this.mass[n] as number) - 1;
      if (!boxes) continue;
      const a = (this.left[n] as number) * d;
      const b = (this.right[n] as number) * d;
      const o = n * d;
      let changed = false;
      for (let j = 0; j < d; j++) {
        const lo = Math.min(bmin[a + j] as number, bmin[b + j] as number);
        const hi = Math.max(bmax[a + j] as number, bmax[b + j] as number);
        if (lo !== bmin[o + j] || hi !== bmax[o + j]) changed = true;
        bmin[o + j] = lo;
        bmax[o + j] = hi;
      }
      // an unchanged box leaves every ancestor's box unchanged too
      if (!changed) boxes = false;
    }
  }

  /** Collusive displacement of a leaf: max over its ancestors of |sibling| / |subtree|. */
  codisp(leaf: number): number {
    let best = 0;
    let node = leaf;
    for (let par = this.parent[node] as number; par >= 0; par = this.parent[node] as number) {
      const sib = this.left[par] === node ? (this.right[par] as number) : (this.left[par] as number);
      const ratio = (this.mass[sib] as number) / (this.mass[node] as number);
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
  private trees: RcTree[] = [];
  private store: Float64Array;
  private readonly shingle: Float64Array;
  private readonly point: Float64Array;
  private rng: FastRng;
  private n = 0;
  private next = 0;
  private filled = 0;

  constructor(options: RandomCutForestOptions = {}) {
    this.params = parseOptions(Options, options, 'RandomCutForest');
    const { numTrees, treeSize, shingleSize, seed } = this.params;
    this.rng = new FastRng(new Rng(seed).uint32());
    this.store = new Float64Array(treeSize * shingleSize);
    this.shingle = new Float64Array(shingleSize);
    this.point = new Float64Array(shingleSize);
    for (let t = 0; t < numTrees; t++) this.trees.push(new RcTree(treeSize, shingleSize, treeSize));
  }

  get count(): number {
    return this.n;
  }

  /** Scores and learns one value (shingled). The first `shingleSize - 1` values score 0. */
  update(value: number): number {
    if (!Number.isFinite(value)) {
      throw new TesseraError('E_NON_FINITE', `RandomCutForest.update: point ${this.n} is ${value}; skip or impute missing points before updating`, {
        row: this.n,
      });
    }
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
    for (let j = 0; j < s; j++) this.point[j] = p[j] as number;
    const slot = this.next;
    const size = this.params.treeSize;
    if (this.filled === size) for (const t of this.trees) t.remove(slot);
    else this.filled++;
    this.store.set(this.point, slot * s);
    let sum = 0;
    for (const t of this.trees) sum += t.insert(this.point, slot, this.rng);
    this.next = (slot + 1) % size;
    const warm = this.params.warmup ?? Math.floor(size / 4);
    return this.filled <= warm ? 0 : sum / this.trees.length;
  }

  reset(): void {
    const { numTrees, treeSize, shingleSize, seed } = this.params;
    this.rng = new FastRng(new Rng(seed).uint32());
    this.trees = [];
    for (let t = 0; t < numTrees; t++) this.trees.push(new RcTree(treeSize, shingleSize, treeSize));
    this.n = 0;
    this.next = 0;
    this.filled = 0;
    this.shingle.fill(0);
  }
}
