import { z } from 'zod';
import { checkAbort } from '../../core/abort.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../../core/serialize.js';
import type { ColumnKind } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../../dataset/features.js';
import {
  addIndicators,
  type ColumnSpec,
  checkFinite,
  checkKinds,
  decodeFilled,
  encodeMatrix,
  type ImputeResult,
  isCategorical,
  makeReport,
  missingCounts,
  refuseEmptyColumns,
} from './common.js';
import { buildSpecs, columnFallbacks, constantFallback } from './fallback.js';

const Options = z
  .object({
    /** Columns to impute and to measure distances on; default: every number/integer/datetime/boolean/category feature (text passes through). */
    columns: z.array(z.string()).optional(),
    /** Number of neighbours (donors) per filled cell. Default 5. */
    k: z.number().int().min(1).max(1000).default(5),
    /** `'uniform'` (plain mean / majority vote) or `'distance'` (weights 1/distance; a donor at distance 0 takes all the weight). */
    weights: z.enum(['uniform', 'distance']).default('uniform'),
    /** Standardise numeric columns (fitted mean and sd) before measuring distances. Default true (scikit-learn does not scale). */
    scale: z.boolean().default(true),
    /** Append a boolean `<column>_missing` column for each column that had gaps when fitting. */
    addIndicator: z.boolean().default(false),
    /** A column with no observed value when fitting: `'error'` (default) or `'constant'` (0, `'missing'` or `false`, and not used in distances). */
    emptyColumns: z.enum(['error', 'constant']).default('error'),
    /** Round fills of integer and datetime columns to whole numbers. Default true. */
    roundIntegers: z.boolean().default(true),
  })
  .strict();

/** Options of {@link KNNImputer}. @example `const o: KNNImputerOptions = { k: 5, weights: 'distance' };` */
export type KNNImputerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };
const KINDS: readonly ColumnKind[] = ['number', 'integer', 'datetime', 'boolean', 'category'];

/**
 * Fills each missing cell from the `k` nearest rows of the fitted data that have that cell
 * observed, as scikit-learn's `KNNImputer`: the distance is the nan-aware Euclidean distance
 * (`sqrt(p / present · Σ over coordinates present in both rows (a − b)²)`), measured on
 * standardised numeric columns (`scale`, default on) plus a 0/1 mismatch for each categorical
 * column. Numbers get the (weighted) mean of the donors, categories and booleans the (weighted)
 * majority vote (ties: the smallest level). A row with no comparable donor gets the column's mean
 * or mode. Distances are computed one receiving row at a time into a buffer of one row per fitted
 * row, so memory is O(n·p), never an n × n matrix. A category level seen only at transform time is
 * kept as a value and treated as absent in distances.
 *
 * @example
 * ```ts
 * import { Dataset, KNNImputer } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3, 4, null], b: [1, 2, 3, 4, 5] });
 * const fitted = await new KNNImputer({ k: 2 }).fit(ds);
 * fitted.transform(ds).get(4, 'a'); // 4 (mean of rows with b = 4 and 3, rounded: a is integer)
 * ```
 */
export class KNNImputer implements Transform<FittedKNNImputer> {
  readonly kind = 'transform' as const;
  readonly type = 'KNNImputer';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: KNNImputerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedKNNImputer> {
    checkAbort(options?.signal);
    requireRows(ds, this.type);
    const cols = resolveColumns(ds, this.params.columns, KINDS, this.type);
    const counts = missingCounts(ds, cols);
    const emptyNames = cols.filter((_, j) => counts[j] === ds.nrows);
    if (this.params.emptyColumns === 'error') refuseEmptyColumns(this.type, emptyNames);
    const specs = buildSpecs(ds, cols, counts);
    const { X, n, p } = encodeMatrix(ds, specs);
    checkFinite(X, n, p, specs, this.type);
    const fallback = columnFallbacks(X, n, p, specs);
    const center = new Float64Array(p);
    const scale = new Float64Array(p).fill(1);
    for (let j = 0; j < p; j++) {
      if (isCategorical((specs[j] as ColumnSpec).kind) || !this.params.scale) continue;
      let m = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const v = X[i * p + j] as number;
        if (!Number.isNaN(v)) {
          c++;
          m += (v - m) / c;
        }
      }
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const v = X[i * p + j] as number;
        if (!Number.isNaN(v)) ss += (v - m) * (v - m);
      }
      const sd = c > 0 ? Math.sqrt(ss / c) : 1;
      center[j] = c > 0 ? m : 0;
      scale[j] = sd > 0 && Number.isFinite(sd) ? sd : 1;
    }
    for (let j = 0; j < p; j++) if (counts[j] === n) fallback[j] = constantFallback(specs[j] as ColumnSpec);
    const withGaps = cols.filter((_, j) => (counts[j] as number) > 0);
    options?.onProgress?.({ stage: 'index', step: 1, total: 1 });
    return new FittedKNNImputer(this.params, specs, X, n, center, scale, fallback, withGaps);
  }
}

interface State {
  specs: ColumnSpec[];
  n: number;
  X: string;
  center: string;
  scale: string;
  fallback: string;
  indicators: string[];
}

/**
 * A fitted {@link KNNImputer}: holds the fitted rows (the donors), the scaling and per-column
 * fallbacks.
 *
 * @example
 * ```ts
 * const fitted = await new KNNImputer({ k: 5 }).fit(train);
 * const { data, report } = fitted.transformWithReport(test);
 * ```
 */
export class FittedKNNImputer implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedKNNImputer';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Columns that get a missing indicator when `addIndicator`. */
  readonly indicatorColumns: readonly string[];
  private readonly specs: readonly ColumnSpec[];
  private readonly X: Float64Array;
  private readonly n: number;
  private readonly center: Float64Array;
  private readonly scale: Float64Array;
  private readonly fallback: Float64Array;
  // The index: donors grouped by presence on the key columns, each group a k-d tree.
  private readonly index: DonorIndex;

  constructor(
    params: Params,
    specs: readonly ColumnSpec[],
    X: Float64Array,
    n: number,
    center: Float64Array,
    scale: Float64Array,
    fallback: Float64Array,
    indicators: readonly string[],
  ) {
    this.params = params;
    this.specs = specs;
    this.inputColumns = Object.freeze(specs.map((s) => s.name));
    this.indicatorColumns = Object.freeze([...indicators]);
    this.X = X;
    this.n = n;
    this.center = center;
    this.scale = scale;
    this.fallback = fallback;
    const p = specs.length;
    // scaled values (level index for categories, 0 where missing) and presence, for the index only
    const Z = new Float64Array(n * p);
    const M = new Uint8Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const v = X[i * p + j] as number;
        if (!Number.isNaN(v)) {
          Z[i * p + j] = (v - (center[j] as number)) / (scale[j] as number);
          M[i * p + j] = 1;
        }
      }
    }
    this.index = buildIndex(Z, M, n, p, specs);
  }

  transform(ds: Dataset): Dataset {
    return this.transformWithReport(ds).data;
  }

  /** Fills gaps and reports how many cells were filled per column. */
  transformWithReport(ds: Dataset): ImputeResult {
    requireColumns(ds, this.inputColumns, this.type);
    checkKinds(
      ds,
      this.inputColumns,
      this.specs.map((s) => s.kind),
      this.type,
    );
    const specs = this.specs;
    const { X, missing, n, p } = encodeMatrix(ds, specs);
    checkFinite(X, n, p, specs, this.type);
    const out = X.slice();
    const N = this.n;
    const k = Math.min(this.params.k, N);
    const distanceWeights = this.params.weights === 'distance';
    const zr = new Float64Array(p);
    const present = new Int32Array(p);
    const presentIsCat = new Uint8Array(p);
    const missCols = new Int32Array(p);
    const cat = specs.map((s) => isCategorical(s.kind));
    const maxLevels = Math.max(1, ...specs.map((s) => s.levels.length));
    const votes = new Float64Array(maxLevels);
    const w = new Float64Array(k);
    const searcher = new Searcher(this.index, p, k);
    const { nbrD, nbrIdx, found } = searcher;
    const FX = this.X;
    for (let r = 0; r < n; r++) {
      let nMiss = 0;
      let nPres = 0;
      for (let j = 0; j < p; j++) {
        if (missing[r * p + j]) missCols[nMiss++] = j;
        const v = X[r * p + j] as number;
        if (Number.isNaN(v)) {
          zr[j] = Number.NaN;
          continue;
        }
        presentIsCat[nPres] = cat[j] ? 1 : 0;
        present[nPres++] = j;
        zr[j] = cat[j] ? v : (v - (this.center[j] as number)) / (this.scale[j] as number);
      }
      if (nMiss === 0) continue;
      searcher.search(zr, present, presentIsCat, nPres, missCols, nMiss);
      for (let t = 0; t < nMiss; t++) {
        const j = missCols[t] as number;
        const nf = found[t] as number;
        const o = t * k;
        if (nf === 0) {
          out[r * p + j] = this.fallback[j] as number;
          continue;
        }
        // Weights: uniform, or 1/d with exact matches taking all the weight.
        let zero = false;
        if (distanceWeights) for (let q = 0; q < nf; q++) if (nbrD[o + q] === 0) zero = true;
        let wsum = 0;
        for (let q = 0; q < nf; q++) {
          const d = Math.sqrt(nbrD[o + q] as number);
          const wq = !distanceWeights ? 1 : zero ? (d === 0 ? 1 : 0) : 1 / d;
          w[q] = wq;
          wsum += wq;
        }
        if (cat[j]) {
          const L = (specs[j] as ColumnSpec).levels.length;
          votes.fill(0, 0, L);
          for (let q = 0; q < nf; q++) {
            const l = FX[(nbrIdx[o + q] as number) * p + j] as number;
            votes[l] = (votes[l] as number) + (w[q] as number);
          }
          let best = 0;
          for (let l = 1; l < L; l++) if ((votes[l] as number) > (votes[best] as number)) best = l;
          out[r * p + j] = best;
        } else {
          let s = 0;
          for (let q = 0; q < nf; q++) s += (w[q] as number) * (FX[(nbrIdx[o + q] as number) * p + j] as number);
          out[r * p + j] = s / wsum;
        }
      }
    }
    const { data, counts } = decodeFilled(ds, specs, out, missing, this.params.roundIntegers);
    const result = this.params.addIndicator ? addIndicators(data, ds, this.indicatorColumns, this.type) : data;
    return { data: result, report: makeReport(specs, counts) };
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        specs: this.specs.map((s) => ({ ...s, levels: [...s.levels] })),
        n: this.n,
        X: encodeArray(this.X),
        center: encodeArray(this.center),
        scale: encodeArray(this.scale),
        fallback: encodeArray(this.fallback),
        indicators: [...this.indicatorColumns],
      },
    };
  }

  /** Restores from {@link FittedKNNImputer.toJSON} output. */
  static fromJSON(json: Serialized): FittedKNNImputer {
    const { params, state } = expectType<State, Params>(json, 'FittedKNNImputer');
    return new FittedKNNImputer(
      parseOptions(Options, params, 'KNNImputer'),
      state.specs,
      decodeFloat64(state.X),
      state.n,
      decodeFloat64(state.center),
      decodeFloat64(state.scale),
      decodeFloat64(state.fallback),
      state.indicators,
    );
  }
}

registerLoader('FittedKNNImputer', 1, FittedKNNImputer.fromJSON);

/**
 * The donors, grouped by which key columns they observe, each group a k-d tree over the key columns
 * it has. Rows are stored in tree order: row-major values (NaN where missing), presence, and the
 * fitted row number (`perm`).
 */
interface DonorIndex {
  Z: Float64Array;
  M: Uint8Array;
  perm: Int32Array;
  /** Column of each key slot. */
  keyCols: Int32Array;
  /** Per node: first and end row (tree order), children (-1 for a leaf). */
  start: Int32Array;
  end: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** Per node and key slot (`node·K + s`): bounding box; ±Infinity where the group lacks the key. */
  lo: Float64Array;
  hi: Float64Array;
  /** Root node of each group, largest group first. */
  roots: Int32Array;
}

/** Key columns of the k-d trees (the numeric columns observed most often). */
const KEYS = 4;
const LEAF = 32;

/** Builds the {@link DonorIndex} from the scaled values `Z` (0 where missing) and presence `M`. */
function buildIndex(Z: Float64Array, M: Uint8Array, n: number, p: number, specs: readonly ColumnSpec[]): DonorIndex {
  const numeric: { j: number; c: number }[] = [];
  for (let j = 0; j < p; j++) {
    if (isCategorical((specs[j] as ColumnSpec).kind)) continue;
    let c = 0;
    for (let i = 0; i < n; i++) c += M[i * p + j] as number;
    if (c > 0) numeric.push({ j, c });
  }
  numeric.sort((a, b) => b.c - a.c || a.j - b.j);
  const keyCols = Int32Array.from(numeric.slice(0, KEYS), (x) => x.j);
  const K = keyCols.length;
  // groups by presence pattern on the keys
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    let g = 0;
    for (let s = 0; s < K; s++) if (M[i * p + (keyCols[s] as number)] === 1) g |= 1 << s;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  const ord = new Int32Array(n);
  const start: number[] = [];
  const end: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const roots: number[] = [];
  let at = 0;
  for (const [g, rows] of ordered) {
    ord.set(rows, at);
    const build = (a: number, b: number): number => {
      const node = start.length;
      start.push(a);
      end.push(b);
      left.push(-1);
      right.push(-1);
      let split = -1;
      let widest = 0;
      for (let s = 0; s < K; s++) {
        let mn = Number.POSITIVE_INFINITY;
        let mx = Number.NEGATIVE_INFINITY;
        if (g & (1 << s)) {
          const j = keyCols[s] as number;
          for (let t = a; t < b; t++) {
            const v = Z[(ord[t] as number) * p + j] as number;
            if (v < mn) mn = v;
            if (v > mx) mx = v;
          }
          if (mx - mn > widest) {
            widest = mx - mn;
            split = s;
          }
        } else {
          mn = Number.NEGATIVE_INFINITY;
          mx = Number.POSITIVE_INFINITY;
        }
        lo.push(mn);
        hi.push(mx);
      }
      if (b - a <= LEAF || split < 0) return node;
      const j = keyCols[split] as number;
      ord.subarray(a, b).sort((x, y) => (Z[x * p + j] as number) - (Z[y * p + j] as number) || x - y);
      const mid = (a + b) >> 1;
      left[node] = build(a, mid);
      right[node] = build(mid, b);
      return node;
    };
    roots.push(build(at, at + rows.length));
    at += rows.length;
  }
  const Zs = new Float64Array(n * p);
  const Ms = new Uint8Array(n * p);
  for (let q = 0; q < n; q++) {
    const i = ord[q] as number;
    for (let j = 0; j < p; j++) {
      const present = M[i * p + j] === 1;
      Zs[q * p + j] = present ? (Z[i * p + j] as number) : Number.NaN;
      Ms[q * p + j] = present ? 1 : 0;
    }
  }
  return {
    Z: Zs,
    M: Ms,
    perm: ord,
    keyCols,
    start: Int32Array.from(start),
    end: Int32Array.from(end),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    roots: Int32Array.from(roots),
  };
}

/**
 * The k nearest donors of one receiving row per missing column, with reused buffers.
 *
 * Distance: squared nan-Euclidean, `p / present · Σ d²` over the coordinates present in both rows
 * (categories: 0/1 mismatch). Ties are broken by the donor's row number (smaller first), so the
 * result does not depend on the order of the search and equals a sorted brute-force search.
 *
 * Search: every group's k-d tree is walked depth first, nearer child first. A node is skipped when
 * the squared distance from the receiver to its bounding box, over the key columns both the
 * receiver and the group observe, exceeds the current bound (the worst kept distance over the
 * missing columns): that is a lower bound of every donor's distance below it, since each term
 * belongs to the sum and `p / present ≥ 1`. A donor's full distance is abandoned as soon as its
 * partial sum exceeds the bound. Memory: O(k·p).
 */
class Searcher {
  readonly nbrD: Float64Array;
  readonly nbrIdx: Int32Array;
  readonly found: Int32Array;
  private readonly worst: Float64Array;
  private readonly worstIdx: Int32Array;
  private readonly kv: Float64Array;
  private readonly actKey: Int32Array;
  private readonly actVal: Float64Array;
  /** The receiver's observed columns that are not key columns. */
  private readonly rest: Int32Array;
  private readonly restIsCat: Uint8Array;
  private nRest = 0;
  private readonly isKey: Uint8Array;
  private bound = Number.POSITIVE_INFINITY;
  // the current receiver
  private zr: Float64Array = new Float64Array(0);
  private missCols: Int32Array = new Int32Array(0);
  private nMiss = 0;

  constructor(
    private readonly ix: DonorIndex,
    private readonly p: number,
    private readonly k: number,
  ) {
    this.nbrD = new Float64Array(k * p);
    this.nbrIdx = new Int32Array(k * p);
    this.found = new Int32Array(p);
    this.worst = new Float64Array(p);
    this.worstIdx = new Int32Array(p);
    this.kv = new Float64Array(ix.keyCols.length);
    this.actKey = new Int32Array(ix.keyCols.length);
    this.actVal = new Float64Array(ix.keyCols.length);
    this.rest = new Int32Array(p);
    this.restIsCat = new Uint8Array(p);
    this.isKey = new Uint8Array(p);
    for (let s = 0; s < ix.keyCols.length; s++) this.isKey[ix.keyCols[s] as number] = 1;
  }

  /**
   * Fills `nbrD`/`nbrIdx` (sorted, at offset `t·k` for the t-th missing column; indices are fitted
   * row numbers) and `found` for the receiver `zr` (scaled; categories as level indices; NaN where
   * missing).
   */
  search(zr: Float64Array, present: Int32Array, presentIsCat: Uint8Array, nPres: number, missCols: Int32Array, nMiss: number): void {
    this.zr = zr;
    this.missCols = missCols;
    this.nMiss = nMiss;
    this.found.fill(0, 0, nMiss);
    this.worst.fill(Number.POSITIVE_INFINITY, 0, nMiss);
    this.worstIdx.fill(0x7fffffff, 0, nMiss);
    this.bound = Number.POSITIVE_INFINITY;
    let nRest = 0;
    for (let t = 0; t < nPres; t++) {
      const j = present[t] as number;
      if (this.isKey[j] === 1) continue;
      this.rest[nRest] = j;
      this.restIsCat[nRest++] = presentIsCat[t] as number;
    }
    this.nRest = nRest;
    const keys = this.ix.keyCols;
    for (let s = 0; s < keys.length; s++) this.kv[s] = zr[keys[s] as number] as number;
    const roots = this.ix.roots;
    for (let g = 0; g < roots.length; g++) {
      const root = roots[g] as number;
      if (this.boxBound(root) <= this.bound) this.visit(root);
    }
  }

  /** Squared distance from the receiver to a node's box over the keys both observe. */
  private boxBound(node: number): number {
    const { kv, ix } = this;
    const K = kv.length;
    const o = node * K;
    let s2 = 0;
    for (let s = 0; s < K; s++) {
      const v = kv[s] as number;
      const a = ix.lo[o + s] as number;
      if (v < a) {
        s2 += (a - v) * (a - v);
        continue;
      }
      const b = ix.hi[o + s] as number;
      if (v > b) s2 += (v - b) * (v - b);
    }
    return s2;
  }

  private visit(node: number): void {
    const ix = this.ix;
    const l = ix.left[node] as number;
    if (l < 0) {
      this.scan(node);
      return;
    }
    const r = ix.right[node] as number;
    const bl = this.boxBound(l);
    const br = this.boxBound(r);
    if (bl <= br) {
      if (bl <= this.bound) this.visit(l);
      if (br <= this.bound) this.visit(r);
    } else {
      if (br <= this.bound) this.visit(r);
      if (bl <= this.bound) this.visit(l);
    }
  }

  private scan(node: number): void {
    const { p, k, zr, missCols, nMiss, worst, worstIdx, found, nbrD, nbrIdx, kv, actKey, actVal, rest, restIsCat, nRest } = this;
    const { Z, M, perm, keyCols, lo } = this.ix;
    const K = kv.length;
    // key columns observed by the receiver and by every donor of this group: no missing check
    let nAct = 0;
    for (let s = 0; s < K; s++) {
      if (Number.isNaN(kv[s] as number) || lo[node * K + s] === Number.NEGATIVE_INFINITY) continue;
      actKey[nAct] = keyCols[s] as number;
      actVal[nAct++] = kv[s] as number;
    }
    let bound = this.bound;
    const to = this.ix.end[node] as number;
    for (let q = this.ix.start[node] as number; q < to; q++) {
      const base = q * p;
      let sum = 0;
      for (let t = 0; t < nAct; t++) {
        const d = (actVal[t] as number) - (Z[base + (actKey[t] as number)] as number);
        sum += d * d;
      }
      if (sum > bound) continue;
      let c = nAct;
      let t = 0;
      for (; t < nRest; t++) {
        const j = rest[t] as number;
        const z = Z[base + j] as number;
        if (Number.isNaN(z)) continue; // missing in the donor
        c++;
        if (restIsCat[t] === 1) {
          if (z !== zr[j]) sum += 1;
        } else {
          const d = (zr[j] as number) - z;
          sum += d * d;
        }
        if (sum > bound) break;
      }
      if (t < nRest || c === 0) continue;
      const d2 = (p / c) * sum;
      if (d2 > bound) continue;
      const idx = perm[q] as number;
      let newBound = 0;
      for (let m = 0; m < nMiss; m++) {
        const j = missCols[m] as number;
        const wm = worst[m] as number;
        if (M[base + j] === 1 && (d2 < wm || (d2 === wm && idx < (worstIdx[m] as number)))) {
          const o = m * k;
          const f = found[m] as number;
          let e = f < k ? f : k - 1;
          if (f < k) found[m] = f + 1;
          while (e > 0) {
            const dp = nbrD[o + e - 1] as number;
            if (dp < d2 || (dp === d2 && (nbrIdx[o + e - 1] as number) < idx)) break;
            nbrD[o + e] = dp;
            nbrIdx[o + e] = nbrIdx[o + e - 1] as number;
            e--;
          }
          nbrD[o + e] = d2;
          nbrIdx[o + e] = idx;
          if (found[m] === k) {
            worst[m] = nbrD[o + k - 1] as number;
            worstIdx[m] = nbrIdx[o + k - 1] as number;
          }
        }
        const wb = worst[m] as number;
        if (wb > newBound) newBound = wb;
      }
      bound = newBound;
    }
    this.bound = bound;
  }
}
