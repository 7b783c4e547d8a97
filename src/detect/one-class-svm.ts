import { z } from 'zod';
import { yieldToEventLoop } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { BaseOptions, type DetectorState, FittedDetectorBase, prepareFit, resolveThreshold, strategyOf } from './common.js';

const Options = z
  .object({
    ...BaseOptions,
    /** Upper bound on the share of training errors and lower bound on the share of support vectors, in (0, 1]. Default 0.5. */
    nu: z.number().gt(0).max(1).default(0.5),
    /** RBF width: `'scale'` = 1 / (p · Var(X)) (default), `'auto'` = 1 / p, or a positive number. */
    gamma: z.union([z.enum(['scale', 'auto']), z.number().positive()]).default('scale'),
    /** Stopping tolerance on the KKT violation (libsvm's eps). Default 1e-3. */
    tol: z.number().positive().default(1e-3),
    /** Maximum SMO iterations. Default 10,000,000. */
    maxIter: z.number().int().min(1).default(10_000_000),
    /** Kernel row cache in MB. Default 64. */
    cacheMb: z.number().positive().max(4096).default(64),
    /** Train on at most this many rows (a seeded random subset); default: all rows. */
    maxSamples: z.number().int().min(2).optional(),
    /** Seed (only used with `maxSamples`). Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link OneClassSVM}. @example `const o: OneClassSVMOptions = { nu: 0.1, gamma: 0.5 };` */
export type OneClassSVMOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS };
const TAU = 1e-12;

/**
 * One-class SVM (Schölkopf et al. 2001) with an RBF kernel, nu formulation, solved as libsvm does:
 * SMO with second-order working-set selection (Fan, Chen and Lin 2005) on
 * `min ½ αᵀQα, 0 ≤ α_i ≤ 1, Σα = ν·l`, starting from libsvm's initial point, with an LRU kernel row
 * cache of `cacheMb`; `ρ` from the free support vectors. `score = -decision = ρ - Σ α_i K(x_i, x)`
 * (scikit-learn's `-decision_function`); `auto` threshold: 0. Features are used as given:
 * standardise them first (StandardScaler) as for any RBF method.
 *
 * @example
 * ```ts
 * import { Dataset, OneClassSVM } from 'tessera';
 * const ds = Dataset.from({ x: [0, 0.1, -0.1, 0.05, 0, 4], y: [0, 0.1, 0, -0.1, 0.05, 4] });
 * const fitted = await new OneClassSVM({ nu: 0.2, gamma: 1 }).fit(ds);
 * fitted.predict(ds).at(-1); // true
 * ```
 */
export class OneClassSVM implements Detector<FittedOneClassSVM> {
  readonly kind = 'detector' as const;
  readonly type = 'OneClassSVM';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: OneClassSVMOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedOneClassSVM> {
    const full = prepareFit(ds, this.params.columns, this.type, options);
    const p = full.ncols;
    let data = full.data;
    let l = full.nrows;
    if (this.params.maxSamples !== undefined && l > this.params.maxSamples) {
      const idx = new Rng(this.params.seed).sample(l, this.params.maxSamples);
      const sub = new Float64Array(idx.length * p);
      for (let r = 0; r < idx.length; r++) sub.set(data.subarray((idx[r] as number) * p, (idx[r] as number) * p + p), r * p);
      data = sub;
      l = idx.length;
    }
    let gamma: number;
    if (typeof this.params.gamma === 'number') gamma = this.params.gamma;
    else if (this.params.gamma === 'auto') gamma = 1 / p;
    else {
      let mean = 0;
      for (let i = 0; i < data.length; i++) mean += ((data[i] as number) - mean) / (i + 1);
      let v = 0;
      for (let i = 0; i < data.length; i++) v += ((data[i] as number) - mean) ** 2;
      v /= data.length;
      gamma = v > 0 ? 1 / (p * v) : 1;
    }
    const nu = this.params.nu;
    // kernel row cache (LRU)
    const norms = new Float64Array(l);
    for (let i = 0; i < l; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (data[i * p + j] as number) ** 2;
      norms[i] = s;
    }
    const maxRows = Math.max(2, Math.min(l, Math.floor((this.params.cacheMb * 1024 * 1024) / (8 * l))));
    const cache = new Map<number, Float64Array>();
    const row = (i: number): Float64Array => {
      const hit = cache.get(i);
      if (hit) {
        cache.delete(i);
        cache.set(i, hit);
        return hit;
      }
      let r: Float64Array;
      if (cache.size >= maxRows) {
        const oldest = cache.keys().next().value as number;
        r = cache.get(oldest) as Float64Array;
        cache.delete(oldest);
      } else r = new Float64Array(l);
      const bi = i * p;
      const ni = norms[i] as number;
      for (let t = 0; t < l; t++) {
        const bt = t * p;
        let dot = 0;
        for (let j = 0; j < p; j++) dot += (data[bi + j] as number) * (data[bt + j] as number);
        r[t] = Math.exp(-gamma * Math.max(0, ni + (norms[t] as number) - 2 * dot));
      }
      cache.set(i, r);
      return r;
    };
    // libsvm's initial point: the first floor(nu*l) alphas at 1, the next one the remainder
    const alpha = new Float64Array(l);
    const nInit = Math.floor(nu * l);
    for (let i = 0; i < nInit; i++) alpha[i] = 1;
    if (nInit < l) alpha[nInit] = nu * l - nInit;
    const G = new Float64Array(l);
    for (let i = 0; i < l; i++) {
      const a = alpha[i] as number;
      if (a !== 0) {
        const Qi = row(i);
        for (let t = 0; t < l; t++) G[t] = (G[t] as number) + a * (Qi[t] as number);
      }
    }
    const eps = this.params.tol;
    let iter = 0;
    for (; iter < this.params.maxIter; iter++) {
      // working set selection (WSS 2, all y = +1, C = 1)
      let Gmax = Number.NEGATIVE_INFINITY;
      let i = -1;
      for (let t = 0; t < l; t++) {
        if ((alpha[t] as number) < 1 && -(G[t] as number) >= Gmax) {
          Gmax = -(G[t] as number);
          i = t;
        }
      }
      if (i < 0) break;
      const Qi = row(i);
      const Qii = 1; // RBF diagonal
      let Gmax2 = Number.NEGATIVE_INFINITY;
      let j = -1;
      let objMin = Number.POSITIVE_INFINITY;
      for (let t = 0; t < l; t++) {
        if ((alpha[t] as number) > 0) {
          const gt = G[t] as number;
          const diff = Gmax + gt;
          if (gt >= Gmax2) Gmax2 = gt;
          if (diff > 0) {
            let quad = Qii + 1 - 2 * (Qi[t] as number);
            if (quad <= 0) quad = TAU;
            const obj = -(diff * diff) / quad;
            if (obj <= objMin) {
              j = t;
              objMin = obj;
            }
          }
        }
      }
      if (Gmax + Gmax2 < eps || j < 0) break;
      const Qj = row(j);
      const Ci = 1;
      const Cj = 1;
      const oldI = alpha[i] as number;
      const oldJ = alpha[j] as number;
      let quad = 2 - 2 * (Qi[j] as number);
      if (quad <= 0) quad = TAU;
      const delta = ((G[i] as number) - (G[j] as number)) / quad;
      const sum = oldI + oldJ;
      let ai = oldI - delta;
      let aj = oldJ + delta;
      if (sum > Ci) {
        if (ai > Ci) {
          ai = Ci;
          aj = sum - Ci;
        }
      } else if (aj < 0) {
        aj = 0;
        ai = sum;
      }
      if (sum > Cj) {
        if (aj > Cj) {
          aj = Cj;
          ai = sum - Cj;
        }
      } else if (ai < 0) {
        ai = 0;
        aj = sum;
      }
      alpha[i] = ai;
      alpha[j] = aj;
      const di = ai - oldI;
      const dj = aj - oldJ;
      // Qi may have been evicted by row(j) only if the cache holds 2 rows and i === j (impossible)
      for (let t = 0; t < l; t++) G[t] = (G[t] as number) + (Qi[t] as number) * di + (Qj[t] as number) * dj;
      if ((iter & 4095) === 4095) {
        options?.onProgress?.({ stage: 'iteration', step: iter + 1, loss: Gmax + Gmax2 });
        await yieldToEventLoop(options?.signal);
      }
    }
    if (iter >= this.params.maxIter) {
      throw new TesseraError('E_NOT_CONVERGED', `OneClassSVM did not converge in ${this.params.maxIter} iterations (option "maxIter")`, { option: 'maxIter' });
    }
    // rho
    let ub = Number.POSITIVE_INFINITY;
    let lb = Number.NEGATIVE_INFINITY;
    let sumFree = 0;
    let nFree = 0;
    for (let t = 0; t < l; t++) {
      const a = alpha[t] as number;
      const g = G[t] as number;
      if (a >= 1) lb = Math.max(lb, g);
      else if (a <= 0) ub = Math.min(ub, g);
      else {
        nFree++;
        sumFree += g;
      }
    }
    const rho = nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
    let nsv = 0;
    for (let t = 0; t < l; t++) if ((alpha[t] as number) > 0) nsv++;
    const sv = new Float64Array(nsv * p);
    const coef = new Float64Array(nsv);
    let w = 0;
    for (let t = 0; t < l; t++) {
      if ((alpha[t] as number) > 0) {
        sv.set(data.subarray(t * p, t * p + p), w * p);
        coef[w++] = alpha[t] as number;
      }
    }
    const proto = new FittedOneClassSVM(this.params, full.columns, Number.NaN, sv, coef, rho, gamma);
    const train = proto.scoreMatrix(full.data, full.nrows);
    const threshold = resolveThreshold(strategyOf(this.params), train, 0);
    return new FittedOneClassSVM(this.params, full.columns, threshold, sv, coef, rho, gamma);
  }
}

interface SvmState {
  sv: string;
  coef: string;
  rho: number;
  gamma: number;
}

/**
 * A fitted {@link OneClassSVM}: support vectors, their coefficients (`alpha`), `rho` and `gamma`.
 *
 * @example
 * ```ts
 * const fitted = await new OneClassSVM({ nu: 0.1 }).fit(train);
 * fitted.decisionFunction(test); // libsvm's sign convention: negative = outside
 * ```
 */
export class FittedOneClassSVM extends FittedDetectorBase<Params, SvmState> {
  readonly type = 'FittedOneClassSVM';
  /** Support vectors, row-major. */
  readonly supportVectors: Float64Array;
  /** Dual coefficients of the support vectors. */
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly gamma: number;

  constructor(params: Params, columns: readonly string[], threshold: number, sv: Float64Array, alpha: Float64Array, rho: number, gamma: number) {
    super(params, TAGS, columns, threshold);
    this.supportVectors = sv;
    this.alpha = alpha;
    this.rho = rho;
    this.gamma = gamma;
  }

  /** Number of support vectors. */
  get nSupport(): number {
    return this.alpha.length;
  }

  scoreMatrix(data: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const sv = this.supportVectors;
    const a = this.alpha;
    const m = a.length;
    const g = this.gamma;
    const out = new Float64Array(nrows);
    for (let i = 0; i < nrows; i++) {
      const bi = i * p;
      let s = 0;
      for (let t = 0; t < m; t++) {
        const bt = t * p;
        let d = 0;
        for (let j = 0; j < p; j++) {
          const x = (data[bi + j] as number) - (sv[bt + j] as number);
          d += x * x;
        }
        s += (a[t] as number) * Math.exp(-g * d);
      }
      out[i] = this.rho - s;
    }
    return out;
  }

  /** libsvm / scikit-learn `decision_function`: `Σ α_i K(x_i, x) - ρ` (negative = outlier). */
  decisionFunction(ds: Dataset): Float64Array {
    const s = this.score(ds);
    for (let i = 0; i < s.length; i++) s[i] = -(s[i] as number);
    return s;
  }

  protected state(): SvmState {
    return { sv: encodeArray(this.supportVectors), coef: encodeArray(this.alpha), rho: this.rho, gamma: this.gamma };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedOneClassSVM {
    const { params, state } = expectType<DetectorState & SvmState, Params>(json, 'FittedOneClassSVM');
    return new FittedOneClassSVM(
      parseOptions(Options, params, 'OneClassSVM'),
      state.columns,
      state.threshold,
      decodeFloat64(state.sv),
      decodeFloat64(state.coef),
      state.rho,
      state.gamma,
    );
  }
}

registerLoader('FittedOneClassSVM', 1, FittedOneClassSVM.fromJSON);
