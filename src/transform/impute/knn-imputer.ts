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
  // Donor storage, row-major: scaled values (level index for categories, 0 where missing), presence (1/0). Zs/Ms: the same in index order, NaN where missing.
  private readonly Z: Float64Array;
  private readonly M: Uint8Array;
  // The index: donors in score order.
  private readonly direction: Float64Array;
  private readonly perm: Int32Array;
  private readonly sortedScore: Float64Array;
  private readonly Zs: Float64Array;
  private readonly Z0s: Float64Array;
  private readonly Ms: Uint8Array;

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
    this.Z = new Float64Array(n * p);
    this.M = new Uint8Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const v = X[i * p + j] as number;
        if (!Number.isNaN(v)) {
          this.Z[i * p + j] = (v - (center[j] as number)) / (scale[j] as number);
          this.M[i * p + j] = 1;
        }
      }
    }
    // Index: donors sorted by their score on the first principal direction of the scaled numeric
    // columns (missing cells count as the mean). A search starts at the receiver's own score and
    // walks outwards, so near donors come first and the pruning bound tightens at once.
    this.direction = principalDirection(this.Z, n, p, specs);
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sc = 0;
      for (let j = 0; j < p; j++) sc += (this.direction[j] as number) * (this.Z[i * p + j] as number);
      score[i] = sc;
    }
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (score[a] as number) - (score[b] as number) || a - b);
    this.perm = order;
    this.sortedScore = new Float64Array(n);
    this.Zs = new Float64Array(n * p);
    this.Z0s = new Float64Array(n * p);
    this.Ms = new Uint8Array(n * p);
    for (let q = 0; q < n; q++) {
      const i = order[q] as number;
      this.sortedScore[q] = score[i] as number;
      for (let j = 0; j < p; j++) this.Zs[q * p + j] = this.M[i * p + j] === 1 ? (this.Z[i * p + j] as number) : Number.NaN;
      this.Z0s.set(this.Z.subarray(i * p, i * p + p), q * p);
      this.Ms.set(this.M.subarray(i * p, i * p + p), q * p);
    }
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
    const nbrIdx = new Int32Array(k * p);
    const nbrD = new Float64Array(k * p);
    const zr = new Float64Array(p);
    const present = new Int32Array(p);
    const presentIsCat = new Uint8Array(p);
    const missCols = new Int32Array(p);
    const found = new Int32Array(p);
    const cat = specs.map((s) => isCategorical(s.kind));
    const maxLevels = Math.max(1, ...specs.map((s) => s.levels.length));
    const votes = new Float64Array(maxLevels);
    const w = new Float64Array(k);
    const index = { Z: this.Zs, Z0: this.Z0s, M: this.Ms, score: this.sortedScore, perm: this.perm };
    const dir = this.direction;
    const FX = this.X;
    for (let r = 0; r < n; r++) {
      let nMiss = 0;
      let nPres = 0;
      for (let j = 0; j < p; j++) {
        if (missing[r * p + j]) missCols[nMiss++] = j;
        const v = X[r * p + j] as number;
        if (Number.isNaN(v)) continue;
        presentIsCat[nPres] = cat[j] ? 1 : 0;
        present[nPres++] = j;
        zr[j] = cat[j] ? v : (v - (this.center[j] as number)) / (this.scale[j] as number);
      }
      if (nMiss === 0) continue;
      let sr = 0;
      for (let t = 0; t < nPres; t++) {
        const j = present[t] as number;
        if (presentIsCat[t] === 0) sr += (dir[j] as number) * (zr[j] as number);
      }
      searchRow(index, sr, N, p, k, zr, present, presentIsCat, nPres, missCols, nMiss, nbrD, nbrIdx, found);
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
 * For one receiving row, the k nearest donors per missing column (squared nan-Euclidean distance,
 * `p / present · Σ d²`), written sorted into `nbrD`/`nbrIdx` at offset `t · k` for the t-th missing
 * column, with counts in `found`. Donors are scanned once; the partial sum is a lower bound of the
 * final distance (the factor `p / present` is at least 1), so a donor is abandoned as soon as its
 * partial sum exceeds the worst kept distance of every missing column. Memory: O(k · p).
 */
function searchRow(
  index: { Z: Float64Array; Z0: Float64Array; M: Uint8Array; score: Float64Array; perm: Int32Array },
  sr: number,
  N: number,
  p: number,
  k: number,
  zr: Float64Array,
  present: Int32Array,
  presentIsCat: Uint8Array,
  nPres: number,
  missCols: Int32Array,
  nMiss: number,
  nbrD: Float64Array,
  nbrIdx: Int32Array,
  found: Int32Array,
): void {
  found.fill(0, 0, nMiss);
  const worst = new Float64Array(nMiss).fill(Number.POSITIVE_INFINITY);
  let bound = Number.POSITIVE_INFINITY;
  const { Z, Z0, M, score, perm } = index;
  // Start where the receiver's score would sit and walk outwards, nearer score first.
  let hi = 0;
  let lo2 = N;
  while (hi < lo2) {
    const mid = (hi + lo2) >> 1;
    if ((score[mid] as number) < sr) hi = mid + 1;
    else lo2 = mid;
  }
  // Two sweeps (upwards from the start, then downwards): near donors come first in each, without
  // an unpredictable branch per donor.
  const start = hi;
  let allNumeric = true;
  for (let t = 0; t < nPres; t++) if (presentIsCat[t] === 1) allNumeric = false;
  const j0 = present[0] as number;
  const j1 = present[1] as number;
  const zr0 = zr[j0] as number;
  const zr1 = zr[j1] as number;
  for (let step = 0; step < N; step++) {
    const i = step < N - start ? start + step : N - 1 - step;
    const base = i * p;
    let s = 0;
    let c = 0;
    let t = 0;
    if (allNumeric) {
      if (nPres >= 2) {
        // Branch-light screen on the first two features (missing cells count 0): most donors stop here.
        const a = zr0 - (Z0[base + j0] as number);
        const b = zr1 - (Z0[base + j1] as number);
        if ((M[base + j0] as number) * a * a + (M[base + j1] as number) * b * b > bound) continue;
      }
      for (; t < nPres; t++) {
        const j = present[t] as number;
        const d = (zr[j] as number) - (Z[base + j] as number);
        if (!Number.isNaN(d)) {
          c++;
          s += d * d;
          if (s > bound) break;
        }
      }
    } else {
      for (; t < nPres; t++) {
        const j = present[t] as number;
        const z = Z[base + j] as number;
        if (Number.isNaN(z)) continue;
        c++;
        if (presentIsCat[t] === 1) {
          if (z !== zr[j]) s += 1;
        } else {
          const d = (zr[j] as number) - z;
          s += d * d;
        }
        if (s > bound) break;
      }
    }
    if (t < nPres || c === 0) continue;
    const d2 = (p / c) * s;
    if (!(d2 < bound)) continue;
    let newBound = 0;
    for (let u = 0; u < nMiss; u++) {
      const j = missCols[u] as number;
      if (M[base + j] === 1 && d2 < (worst[u] as number)) {
        const o = u * k;
        const f = found[u] as number;
        let q = f < k ? f : k - 1;
        if (f < k) found[u] = f + 1;
        while (q > 0 && (nbrD[o + q - 1] as number) > d2) {
          nbrD[o + q] = nbrD[o + q - 1] as number;
          nbrIdx[o + q] = nbrIdx[o + q - 1] as number;
          q--;
        }
        nbrD[o + q] = d2;
        nbrIdx[o + q] = perm[i] as number;
        if (found[u] === k) worst[u] = nbrD[o + k - 1] as number;
      }
      const wu = worst[u] as number;
      if (wu > newBound) newBound = wu;
    }
    bound = newBound;
  }
}

/** First principal direction of the scaled numeric columns (power iteration on Zᵀ Z; categorical columns get weight 0). */
function principalDirection(Z: Float64Array, n: number, p: number, specs: readonly ColumnSpec[]): Float64Array {
  const C = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const b = i * p;
    for (let a = 0; a < p; a++) {
      const za = Z[b + a] as number;
      if (za === 0) continue;
      for (let c = a; c < p; c++) C[a * p + c] = (C[a * p + c] as number) + za * (Z[b + c] as number);
    }
  }
  for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) C[a * p + c] = C[c * p + a] as number;
  const num = specs.map((s) => !isCategorical(s.kind));
  let v = new Float64Array(p);
  for (let j = 0; j < p; j++) v[j] = num[j] ? 1 + j * 1e-3 : 0;
  for (let it = 0; it < 50; it++) {
    const w = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      if (!num[a]) continue;
      let s = 0;
      for (let c = 0; c < p; c++) if (num[c]) s += (C[a * p + c] as number) * (v[c] as number);
      w[a] = s;
    }
    let norm = 0;
    for (let a = 0; a < p; a++) norm += (w[a] as number) ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) break;
    for (let a = 0; a < p; a++) w[a] = (w[a] as number) / norm;
    v = w;
  }
  return v;
}
