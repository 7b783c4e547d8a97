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
        if (v === v) {
          c++;
          m += (v - m) / c;
        }
      }
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const v = X[i * p + j] as number;
        if (v === v) ss += (v - m) * (v - m);
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
  // Donor storage: scaled values (0 where missing), presence (1/0).
  private readonly Z: Float64Array;
  private readonly M: Float64Array;

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
    this.M = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const v = X[i * p + j] as number;
        if (v === v) {
          this.Z[i * p + j] = (v - (center[j] as number)) / (scale[j] as number);
          this.M[i * p + j] = 1;
        }
      }
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
    const D = new Float64Array(N);
    const nbrIdx = new Int32Array(k);
    const nbrD = new Float64Array(k);
    const zr = new Float64Array(p);
    const presentNum = new Int32Array(p);
    const presentCat = new Int32Array(p);
    const missCols = new Int32Array(p);
    const cat = specs.map((s) => isCategorical(s.kind));
    const maxLevels = Math.max(1, ...specs.map((s) => s.levels.length));
    const votes = new Float64Array(maxLevels);
    const w = new Float64Array(k);
    const Z = this.Z;
    const M = this.M;
    const FX = this.X;
    for (let r = 0; r < n; r++) {
      let nMiss = 0;
      let nNum = 0;
      let nCat = 0;
      for (let j = 0; j < p; j++) {
        if (missing[r * p + j]) missCols[nMiss++] = j;
        const v = X[r * p + j] as number;
        if (v !== v) continue;
        if (cat[j]) presentCat[nCat++] = j;
        else {
          presentNum[nNum++] = j;
          zr[j] = (v - (this.center[j] as number)) / (this.scale[j] as number);
        }
      }
      if (nMiss === 0) continue;
      // Distances from row r to every fitted row (one buffer of N, reused).
      for (let i = 0; i < N; i++) {
        const base = i * p;
        let s = 0;
        let c = 0;
        for (let t = 0; t < nNum; t++) {
          const j = presentNum[t] as number;
          const m = M[base + j] as number;
          const d = (zr[j] as number) - (Z[base + j] as number);
          s += m * d * d;
          c += m;
        }
        for (let t = 0; t < nCat; t++) {
          const j = presentCat[t] as number;
          const m = M[base + j] as number;
          if (m > 0) {
            c += 1;
            if (FX[base + j] !== X[r * p + j]) s += 1;
          }
        }
        D[i] = c > 0 ? Math.sqrt((p / c) * s) : Number.NaN;
      }
      for (let t = 0; t < nMiss; t++) {
        const j = missCols[t] as number;
        // k smallest distances among fitted rows that observe column j (insertion into a sorted list).
        let found = 0;
        for (let i = 0; i < N; i++) {
          if (M[i * p + j] === 0) continue;
          const d = D[i] as number;
          if (d !== d) continue;
          if (found < k) {
            let q = found++;
            while (q > 0 && (nbrD[q - 1] as number) > d) {
              nbrD[q] = nbrD[q - 1] as number;
              nbrIdx[q] = nbrIdx[q - 1] as number;
              q--;
            }
            nbrD[q] = d;
            nbrIdx[q] = i;
          } else if (d < (nbrD[k - 1] as number)) {
            let q = k - 1;
            while (q > 0 && (nbrD[q - 1] as number) > d) {
              nbrD[q] = nbrD[q - 1] as number;
              nbrIdx[q] = nbrIdx[q - 1] as number;
              q--;
            }
            nbrD[q] = d;
            nbrIdx[q] = i;
          }
        }
        if (found === 0) {
          out[r * p + j] = this.fallback[j] as number;
          continue;
        }
        // Weights: uniform, or 1/d with exact matches taking all the weight.
        let zero = false;
        if (distanceWeights) for (let q = 0; q < found; q++) if (nbrD[q] === 0) zero = true;
        let wsum = 0;
        for (let q = 0; q < found; q++) {
          const d = nbrD[q] as number;
          const wq = !distanceWeights ? 1 : zero ? (d === 0 ? 1 : 0) : 1 / d;
          w[q] = wq;
          wsum += wq;
        }
        if (cat[j]) {
          const L = (specs[j] as ColumnSpec).levels.length;
          votes.fill(0, 0, L);
          for (let q = 0; q < found; q++) {
            const l = FX[(nbrIdx[q] as number) * p + j] as number;
            votes[l] = (votes[l] as number) + (w[q] as number);
          }
          let best = 0;
          for (let l = 1; l < L; l++) if ((votes[l] as number) > (votes[best] as number)) best = l;
          out[r * p + j] = best;
        } else {
          let s = 0;
          for (let q = 0; q < found; q++) s += (w[q] as number) * (FX[(nbrIdx[q] as number) * p + j] as number);
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
