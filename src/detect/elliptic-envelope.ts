import { z } from 'zod';
import { yieldToEventLoop } from '../core/abort.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import {
  BaseOptions,
  type DetectorState,
  type Explanation,
  FittedDetectorBase,
  makeExplanation,
  median,
  prepareFit,
  resolveThreshold,
  strategyOf,
} from './common.js';
import { chi2Quantile, cholesky, inverseFromCholesky, logDetFromCholesky } from './linalg.js';

const Options = z
  .object({
    ...BaseOptions,
    /** Robust covariance (Minimum Covariance Determinant, FastMCD) when true (default); the classic mean and covariance when false. */
    robust: z.boolean().default(true),
    /** Share of rows in the MCD support, in [0.5, 1]; default (n + p + 1) / 2n as scikit-learn. */
    supportFraction: z.number().min(0.5).max(1).optional(),
    /** Random starts of FastMCD. Default 30. */
    nStarts: z.number().int().min(1).max(1000).default(30),
    /** Seed (FastMCD's random starts). Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link EllipticEnvelope}. @example `const o: EllipticEnvelopeOptions = { robust: true, contamination: 0.05 };` */
export type EllipticEnvelopeOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true };

function meanCov(data: Float64Array, p: number, rows: ArrayLike<number>, count: number): { mu: Float64Array; cov: Float64Array } {
  const mu = new Float64Array(p);
  for (let r = 0; r < count; r++) {
    const b = (rows[r] as number) * p;
    for (let j = 0; j < p; j++) mu[j] = (mu[j] as number) + (data[b + j] as number);
  }
  for (let j = 0; j < p; j++) mu[j] = (mu[j] as number) / count;
  const cov = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (let r = 0; r < count; r++) {
    const b = (rows[r] as number) * p;
    for (let j = 0; j < p; j++) d[j] = (data[b + j] as number) - (mu[j] as number);
    for (let i = 0; i < p; i++) {
      const di = d[i] as number;
      for (let j = 0; j <= i; j++) cov[i * p + j] = (cov[i * p + j] as number) + di * (d[j] as number);
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      const v = (cov[i * p + j] as number) / count;
      cov[i * p + j] = v;
      cov[j * p + i] = v;
    }
  }
  return { mu, cov };
}

/** Squared Mahalanobis distances of all rows under (mu, precision). */
function mahalanobis(data: Float64Array, n: number, p: number, mu: Float64Array, prec: Float64Array, out: Float64Array): void {
  const d = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const b = r * p;
    for (let j = 0; j < p; j++) d[j] = (data[b + j] as number) - (mu[j] as number);
    let s = 0;
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < p; j++) t += (prec[i * p + j] as number) * (d[j] as number);
      s += (d[i] as number) * t;
    }
    out[r] = s;
  }
}

interface Estimate {
  mu: Float64Array;
  cov: Float64Array;
  logDet: number;
}

function estimate(data: Float64Array, p: number, rows: ArrayLike<number>, count: number): Estimate & { prec: Float64Array } {
  const { mu, cov } = meanCov(data, p, rows, count);
  const { L } = cholesky(cov, p);
  return { mu, cov, logDet: logDetFromCholesky(L, p), prec: inverseFromCholesky(L, p) };
}

/** C-steps: keep the h rows closest under the current estimate, re-estimate; until the determinant stops falling. */
function cSteps(
  data: Float64Array,
  n: number,
  p: number,
  h: number,
  start: Estimate & { prec: Float64Array },
  maxSteps: number,
): Estimate & { prec: Float64Array } {
  let cur = start;
  const dist = new Float64Array(n);
  const rows = new Int32Array(h);
  for (let s = 0; s < maxSteps; s++) {
    mahalanobis(data, n, p, cur.mu, cur.prec, dist);
    const cut = dist.slice().sort()[h - 1] as number;
    let w = 0;
    for (let i = 0; i < n && w < h; i++) if ((dist[i] as number) < cut) rows[w++] = i;
    for (let i = 0; i < n && w < h; i++) if (dist[i] === cut) rows[w++] = i;
    const next = estimate(data, p, rows, h);
    if (next.logDet >= cur.logDet - 1e-12 && s > 0) return next.logDet < cur.logDet ? next : cur;
    cur = next;
  }
  return cur;
}

/**
 * Elliptic envelope / Mahalanobis detector: the score is the squared Mahalanobis distance to a
 * robust location and covariance. With `robust: true` (default) the estimate is the Minimum
 * Covariance Determinant found by FastMCD (Rousseeuw and Van Driessen, 1999): `nStarts` random
 * (p+1)-subsets, two C-steps each, the best ten iterated to convergence (all on a random subset of at
 * most 1,500 rows), then the best iterated to convergence on all rows, then scikit-learn's consistency correction
 * (`median(d²) / χ²_p(0.5)`) and reweighting (rows with `d² < χ²_p(0.975)`). With
 * `robust: false` it is the classic mean and covariance. A singular covariance gets a small ridge.
 * `auto` threshold: `χ²_p(0.975)`. `explain` splits `d²` into per-feature terms `z_j (Σ⁻¹ z)_j`.
 *
 * @example
 * ```ts
 * import { Dataset, EllipticEnvelope } from 'tessera';
 * const ds = Dataset.from({ a: [1, 2, 3, 4, 5, 6, 3], b: [2, 4, 6, 8, 10, 12, 1] });
 * const fitted = await new EllipticEnvelope({ robust: false }).fit(ds);
 * fitted.explain(ds, 6).contributions[0].column; // the column that breaks the a-b relation most
 * ```
 */
export class EllipticEnvelope implements Detector<FittedEllipticEnvelope> {
  readonly kind = 'detector' as const;
  readonly type = 'EllipticEnvelope';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: EllipticEnvelopeOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedEllipticEnvelope> {
    const m = prepareFit(ds, this.params.columns, this.type, options, 2);
    const { data, nrows: n, ncols: p } = m;
    const all = Int32Array.from({ length: n }, (_, i) => i);
    let est: Estimate & { prec: Float64Array };
    if (!this.params.robust) {
      est = estimate(data, p, all, n);
    } else {
      const h = Math.min(n, Math.ceil(this.params.supportFraction !== undefined ? this.params.supportFraction * n : 0.5 * (n + p + 1)));
      const rng = new Rng(this.params.seed);
      const sub = n > 1500 ? rng.sample(n, 1500) : all;
      const ns = sub.length;
      const subData = new Float64Array(ns * p);
      for (let r = 0; r < ns; r++) subData.set(data.subarray((sub[r] as number) * p, (sub[r] as number) * p + p), r * p);
      const hs = Math.min(ns, Math.ceil((h * ns) / n));
      const cands: (Estimate & { prec: Float64Array })[] = [];
      for (let s = 0; s < this.params.nStarts; s++) {
        const start = rng.sample(ns, Math.min(ns, p + 1));
        cands.push(cSteps(subData, ns, p, hs, estimate(subData, p, start, start.length), 2));
        if ((s & 7) === 7) await yieldToEventLoop(options?.signal);
      }
      cands.sort((a, b) => a.logDet - b.logDet);
      let best: (Estimate & { prec: Float64Array }) | undefined;
      for (const c of cands.slice(0, 10)) {
        const r = cSteps(subData, ns, p, hs, c, 30);
        if (!best || r.logDet < best.logDet) best = r;
      }
      est = best as Estimate & { prec: Float64Array };
      if (ns < n) est = cSteps(data, n, p, h, est, 30);
      // consistency correction
      const dist = new Float64Array(n);
      mahalanobis(data, n, p, est.mu, est.prec, dist);
      const corr = median(dist) / chi2Quantile(0.5, p);
      if (corr > 0 && Number.isFinite(corr)) {
        for (let k = 0; k < est.cov.length; k++) est.cov[k] = (est.cov[k] as number) * corr;
        for (let k = 0; k < est.prec.length; k++) est.prec[k] = (est.prec[k] as number) / corr;
        for (let k = 0; k < n; k++) dist[k] = (dist[k] as number) / corr;
      }
      // reweighting
      const cut = chi2Quantile(0.975, p);
      const keep: number[] = [];
      for (let k = 0; k < n; k++) if ((dist[k] as number) < cut) keep.push(k);
      if (keep.length > p) est = estimate(data, p, keep, keep.length);
    }
    const proto = new FittedEllipticEnvelope(this.params, m.columns, Number.NaN, est.mu, est.cov, est.prec);
    const train = proto.scoreMatrix(data, n);
    const threshold = resolveThreshold(strategyOf(this.params), train, chi2Quantile(0.975, p));
    return new FittedEllipticEnvelope(this.params, m.columns, threshold, est.mu, est.cov, est.prec);
  }
}

interface EEState {
  location: string;
  covariance: string;
  precision: string;
}

/**
 * A fitted {@link EllipticEnvelope}: `location`, `covariance`, `precision`; `score` is the squared
 * Mahalanobis distance.
 *
 * @example
 * ```ts
 * const fitted = await new EllipticEnvelope().fit(ds);
 * fitted.location; fitted.score(ds);
 * ```
 */
export class FittedEllipticEnvelope extends FittedDetectorBase<Params, EEState> {
  readonly type = 'FittedEllipticEnvelope';
  /** Robust (or classic) mean. */
  readonly location: Float64Array;
  /** Robust (or classic) covariance, row-major p x p. */
  readonly covariance: Float64Array;
  /** Inverse of the covariance. */
  readonly precision: Float64Array;

  constructor(params: Params, columns: readonly string[], threshold: number, location: Float64Array, covariance: Float64Array, precision: Float64Array) {
    super(params, TAGS, columns, threshold);
    this.location = location;
    this.covariance = covariance;
    this.precision = precision;
  }

  scoreMatrix(data: Float64Array, nrows: number): Float64Array {
    const out = new Float64Array(nrows);
    mahalanobis(data, nrows, this.inputColumns.length, this.location, this.precision, out);
    return out;
  }

  /** Per-feature terms `z_j (Σ⁻¹ z)_j` of the squared distance (they sum to the score). */
  explain(ds: Dataset, row: number): Explanation {
    const r = this.rowOf(ds, row);
    const p = this.inputColumns.length;
    const z = new Float64Array(p);
    for (let j = 0; j < p; j++) z[j] = (r.values[j] as number) - (this.location[j] as number);
    const c = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < p; j++) t += (this.precision[i * p + j] as number) * (z[j] as number);
      c[i] = (z[i] as number) * t;
    }
    return makeExplanation(row, r.score, this.inputColumns, r.values, c);
  }

  protected state(): EEState {
    return { location: encodeArray(this.location), covariance: encodeArray(this.covariance), precision: encodeArray(this.precision) };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedEllipticEnvelope {
    const { params, state } = expectType<DetectorState & EEState, Params>(json, 'FittedEllipticEnvelope');
    return new FittedEllipticEnvelope(
      parseOptions(Options, params, 'EllipticEnvelope'),
      state.columns,
      state.threshold,
      decodeFloat64(state.location),
      decodeFloat64(state.covariance),
      decodeFloat64(state.precision),
    );
  }
}

registerLoader('FittedEllipticEnvelope', 1, FittedEllipticEnvelope.fromJSON);
