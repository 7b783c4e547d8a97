import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat32, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { Dataset, requireColumns, resolveTarget } from '../dataset/index.js';
import { ensureBackend } from './backend.js';

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, stochastic: true };

const Options = z
  .object({
    /** Past points fed to the network for each prediction. Default 24. */
    window: z.number().int().min(2).max(10_000).default(24),
    /** LSTM units. Default 16. */
    units: z.number().int().min(1).max(1024).default(16),
    /** Training epochs. Default 30. */
    epochs: z.number().int().min(1).max(10_000).default(30),
    /** Mini-batch size. Default 32. */
    batchSize: z.number().int().min(1).default(32),
    /** Adam learning rate. Default 0.01. */
    learningRate: z.number().positive().default(0.01),
    /** Input scaling: `standard` (z-score, default), `minmax` (to [0, 1]) or `none`. */
    scaling: z.enum(['standard', 'minmax', 'none']).default('standard'),
    /** Seed of the weight initialisation and the batch shuffling. Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link LSTMForecaster}. @example `const o: LSTMForecasterOptions = { window: 48, units: 32, epochs: 20 };` */
export type LSTMForecasterOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

interface Net {
  kernel: tf.Variable; // [1 + units, 4 units]
  bias: tf.Variable; // [4 units]
  wOut: tf.Variable; // [units, 1]
  bOut: tf.Variable; // [1]
}

function glorot(rng: Rng, fanIn: number, fanOut: number, n: number): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: n }, () => rng.uniform(-a, a));
}

function makeNet(units: number, rng: Rng): Net {
  const k = glorot(rng, 1 + units, 4 * units, (1 + units) * 4 * units);
  const w = glorot(rng, units, 1, units);
  return tf.tidy(() => ({
    kernel: tf.variable(tf.tensor2d(k, [1 + units, 4 * units])),
    bias: tf.variable(tf.zeros([4 * units])),
    wOut: tf.variable(tf.tensor2d(w, [units, 1])),
    bOut: tf.variable(tf.zeros([1])),
  }));
}

/** One-step predictions (scaled) for a batch of windows `x` [m, window]. */
function forward(net: Net, x: tf.Tensor2D, window: number, units: number): tf.Tensor2D {
  const m = x.shape[0];
  let c: tf.Tensor2D = tf.zeros([m, units]);
  let h: tf.Tensor2D = tf.zeros([m, units]);
  for (let t = 0; t < window; t++) {
    const xt = tf.slice(x, [0, t], [m, 1]);
    [c, h] = tf.basicLSTMCell(1, net.kernel as tf.Tensor2D, net.bias as tf.Tensor1D, xt, c, h) as [tf.Tensor2D, tf.Tensor2D];
  }
  return tf.add(tf.matMul(h, net.wOut as tf.Tensor2D), net.bOut) as tf.Tensor2D;
}

function checkSeries(values: ArrayLike<number>, owner: string, min: number, column = 'value'): void {
  if (values.length < min) throw new TesseraError('E_EMPTY', `${owner}: series "${column}" has ${values.length} points; it needs at least ${min}`, { column });
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v))
      throw new TesseraError('E_MISSING_VALUES', `${owner}: series "${column}" is missing at row ${i}; fill gaps first (e.g. regularize and interpolate)`, {
        column,
        row: i,
      });
    if (!Number.isFinite(v)) throw new TesseraError('E_NON_FINITE', `${owner}: series "${column}" is ${v} at row ${i}`, { column, row: i });
  }
}

/**
 * LSTM one-step-ahead forecaster (TensorFlow.js): a single LSTM layer reads the last `window`
 * (scaled) points and a linear head predicts the next one; trained with Adam on mean squared
 * error over every window of the training series. Weights are initialised from `seed` (Glorot
 * uniform, zero biases, forget bias 1), so fits are reproducible on one backend.
 * The fitted forecaster gives one-step-ahead predictions over any series (`oneStepAhead`, used
 * by `oneStepResidualScores` in `tessera`) and multi-step forecasts from the end of the training
 * series (`forecast`, recursive, usable with `forecastResidualScores`). Call `dispose()` when done.
 *
 * @example
 * ```ts
 * import { LSTMForecaster } from 'tessera/nn';
 * import { oneStepResidualScores } from 'tessera';
 * const fitted = await new LSTMForecaster({ window: 24, units: 16, epochs: 20 }).fit(history); // number[] or a Dataset + { target }
 * const scores = oneStepResidualScores(fitted, recent); // |x − prediction| / residual sd
 * fitted.dispose();
 * ```
 */
export class LSTMForecaster implements Model<FittedLSTMForecaster> {
  readonly kind = 'model' as const;
  readonly type = 'LSTMForecaster';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: LSTMForecasterOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  /**
   * Fits on a series: the `target` column of a Dataset whose rows are in time order (e.g. after
   * `regularize` and gap filling), or a plain array of numbers (its column is then called
   * `value`). No missing or non-finite points; at least `window + 2` points.
   */
  async fit(data: Dataset | ArrayLike<number>, options?: ModelFitOptions): Promise<FittedLSTMForecaster> {
    checkAbort(options?.signal);
    const P = this.params;
    const owner = this.type;
    const ds = data instanceof Dataset ? data : Dataset.from({ value: Float64Array.from(data) });
    const target = data instanceof Dataset ? resolveTarget(ds, options?.target, owner) : 'value';
    const values = ds.matrix([target]);
    checkSeries(values, owner, P.window + 2, target);
    await ensureBackend();
    const n = values.length;
    let center = 0;
    let scale = 1;
    if (P.scaling !== 'none') {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        s += v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (P.scaling === 'minmax') {
        center = lo;
        scale = hi > lo ? hi - lo : 1;
      } else {
        center = s / n;
        let q = 0;
        for (let i = 0; i < n; i++) q += ((values[i] as number) - center) ** 2;
        const sd = Math.sqrt(q / n);
        scale = sd > 0 ? sd : 1;
      }
    }
    const z = Float32Array.from(values, (v) => (v - center) / scale);
    const W = P.window;
    const m = n - W;
    const X = new Float32Array(m * W);
    const Y = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      X.set(z.subarray(i, i + W), i * W);
      Y[i] = z[i + W] as number;
    }
    const rng = new Rng(P.seed);
    const net = makeNet(P.units, rng);
    tf.tidy(() => net.bias.assign(tf.concat([tf.zeros([P.units]), tf.ones([P.units]), tf.zeros([2 * P.units])]))); // forget-gate bias 1 (i, f, c, o order)
    const optimizer = tf.train.adam(P.learningRate);
    const order = Int32Array.from({ length: m }, (_, i) => i);
    const bs = Math.min(P.batchSize, m);
    const xb = new Float32Array(bs * W);
    const yb = new Float32Array(bs);
    const vars = [net.kernel, net.bias, net.wOut, net.bOut];
    try {
      for (let e = 0; e < P.epochs; e++) {
        for (let i = m - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          const t = order[i] as number;
          order[i] = order[j] as number;
          order[j] = t;
        }
        for (let start = 0; start < m; start += bs) {
          const size = Math.min(bs, m - start);
          for (let r = 0; r < size; r++) {
            const src = order[start + r] as number;
            xb.set(X.subarray(src * W, src * W + W), r * W);
            yb[r] = Y[src] as number;
          }
          const cost = optimizer.minimize(
            () =>
              tf.tidy(() => {
                const x = tf.tensor2d(xb.subarray(0, size * W), [size, W]);
                const y = tf.tensor2d(yb.subarray(0, size), [size, 1]);
                return tf.losses.meanSquaredError(y, forward(net, x, W, P.units)) as tf.Scalar;
              }),
            false,
            vars,
          );
          cost?.dispose();
        }
        options?.onProgress?.({ stage: 'epoch', step: e + 1, total: P.epochs });
        await yieldToEventLoop(options?.signal);
      }
    } catch (err) {
      for (const v of vars) v.dispose();
      optimizer.dispose();
      throw err;
    }
    optimizer.dispose();
    const fitted = new FittedLSTMForecaster(P, target, net, center, scale, Float64Array.from(z.subarray(n - W)), 1);
    // residual sd of the one-step predictions on the training series (original units)
    const pred = fitted.oneStepAhead(values).mean;
    let q = 0;
    for (let i = W; i < n; i++) q += ((values[i] as number) - (pred[i] as number)) ** 2;
    fitted.residualSd = Math.sqrt(q / m);
    return fitted;
  }
}

interface State {
  target: string;
  center: number;
  scale: number;
  residualSd: number;
  tail: number[];
  kernel: string;
  bias: string;
  wOut: string;
  bOut: string;
}

/**
 * A fitted {@link LSTMForecaster}. Holds tensors: call `dispose()` when done.
 *
 * @example
 * ```ts
 * const fitted = await new LSTMForecaster({ window: 12 }).fit(series);
 * fitted.oneStepAhead(series).mean; fitted.forecast(5).mean; fitted.dispose();
 * ```
 */
export class FittedLSTMForecaster implements FittedModel<Float64Array> {
  readonly kind = 'model' as const;
  readonly type = 'FittedLSTMForecaster';
  readonly tags = TAGS;
  readonly params: Params;
  /** The series column learnt from. */
  readonly target: string;
  /** `[target]`: `predict` reads the series column. */
  readonly inputColumns: readonly string[];
  /** Standard deviation of the one-step residuals on the training series (original units). */
  residualSd: number;
  private readonly net: Net;
  private readonly center: number;
  private readonly scale: number;
  /** The last `window` scaled training points (start of `forecast`). */
  private readonly tail: Float64Array;
  private disposed = false;

  constructor(params: Params, target: string, net: Net, center: number, scale: number, tail: Float64Array, residualSd: number) {
    this.params = params;
    this.target = target;
    this.inputColumns = Object.freeze([target]);
    this.net = net;
    this.center = center;
    this.scale = scale;
    this.tail = tail;
    this.residualSd = residualSd;
  }

  private alive(): void {
    if (this.disposed) throw new TesseraError('E_UNSUPPORTED', 'FittedLSTMForecaster was disposed');
  }

  private predictScaled(X: Float32Array, m: number): Float32Array {
    const W = this.params.window;
    return tf.tidy(() => forward(this.net, tf.tensor2d(X, [m, W]), W, this.params.units).dataSync() as Float32Array).slice();
  }

  /**
   * One-step-ahead predictions over `values`: `mean[i]` predicts `values[i]` from the `window`
   * points before it (`NaN` for the first `window` points); `sd` is the training residual sd.
   */
  oneStepAhead(values: ArrayLike<number>): { mean: Float64Array; sd: number } {
    this.alive();
    checkSeries(values, this.type, 0);
    return { mean: this.oneStep(values), sd: this.residualSd };
  }

  /** {@link FittedLSTMForecaster.oneStepAhead}'s predictions for a series already checked. */
  private oneStep(values: ArrayLike<number>): Float64Array {
    const W = this.params.window;
    const n = values.length;
    const mean = new Float64Array(n).fill(Number.NaN);
    const m = n - W;
    if (m > 0) {
      const X = new Float32Array(m * W);
      for (let i = 0; i < m; i++) for (let t = 0; t < W; t++) X[i * W + t] = ((values[i + t] as number) - this.center) / this.scale;
      const chunk = 4096;
      for (let s = 0; s < m; s += chunk) {
        const size = Math.min(chunk, m - s);
        const p = this.predictScaled(X.subarray(s * W, (s + size) * W), size);
        for (let i = 0; i < size; i++) mean[W + s + i] = (p[i] as number) * this.scale + this.center;
      }
    }
    return mean;
  }

  /** One-step-ahead predictions of the `target` column of `ds` (rows in time order); see {@link FittedLSTMForecaster.oneStepAhead}. */
  predict(ds: Dataset): Float64Array {
    requireColumns(ds, this.inputColumns, this.type);
    const values = ds.matrix([this.target]);
    checkSeries(values, this.type, 0, this.target);
    this.alive();
    return this.oneStep(values);
  }

  /**
   * Recursive `h`-step forecast from the end of the training series, with a normal interval of
   * width `z · residualSd · sqrt(step)` (a heuristic: the LSTM has no likelihood).
   */
  forecast(h: number, options: { level?: number } = {}): { mean: Float64Array; lower: Float64Array; upper: Float64Array } {
    this.alive();
    if (!Number.isInteger(h) || h < 1)
      throw new TesseraError('E_OPTION', `FittedLSTMForecaster.forecast: h must be a positive integer, got ${h}`, { option: 'h' });
    const level = options.level ?? 0.95;
    if (!(level > 0 && level < 1))
      throw new TesseraError('E_OPTION', `FittedLSTMForecaster.forecast: level must be in (0, 1), got ${level}`, { option: 'level' });
    const zq = normalQuantile(0.5 + level / 2);
    const W = this.params.window;
    const win = Float32Array.from(this.tail);
    const mean = new Float64Array(h);
    const lower = new Float64Array(h);
    const upper = new Float64Array(h);
    for (let k = 0; k < h; k++) {
      const p = this.predictScaled(win, 1)[0] as number;
      win.copyWithin(0, 1, W);
      win[W - 1] = p;
      const v = p * this.scale + this.center;
      const half = zq * this.residualSd * Math.sqrt(k + 1);
      mean[k] = v;
      lower[k] = v - half;
      upper[k] = v + half;
    }
    return { mean, lower, upper };
  }

  /** Frees the network's tensors (idempotent). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of [this.net.kernel, this.net.bias, this.net.wOut, this.net.bOut]) v.dispose();
  }

  toJSON(): Serialized<Params, State> {
    this.alive();
    const enc = (v: tf.Variable): string => encodeArray(v.dataSync() as Float32Array);
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        target: this.target,
        center: this.center,
        scale: this.scale,
        residualSd: this.residualSd,
        tail: Array.from(this.tail),
        kernel: enc(this.net.kernel),
        bias: enc(this.net.bias),
        wOut: enc(this.net.wOut),
        bOut: enc(this.net.bOut),
      },
    };
  }

  /** Restores from {@link FittedLSTMForecaster.toJSON} (creates tensors: call `dispose()` when done; the backend must be ready). */
  static fromJSON(json: Serialized): FittedLSTMForecaster {
    const { params, state } = expectType<State, LSTMForecasterOptions>(json, 'FittedLSTMForecaster');
    const P = parseOptions(Options, params, 'FittedLSTMForecaster');
    const u = P.units;
    const k = decodeFloat32(state.kernel);
    const b = decodeFloat32(state.bias);
    const w = decodeFloat32(state.wOut);
    const bo = decodeFloat32(state.bOut);
    if (k.length !== (1 + u) * 4 * u || b.length !== 4 * u || w.length !== u || bo.length !== 1 || state.tail.length !== P.window)
      throw new TesseraError('E_SERIALIZATION', 'FittedLSTMForecaster: weights do not match its params');
    const net = tf.tidy(() => ({
      kernel: tf.variable(tf.tensor2d(k, [1 + u, 4 * u])),
      bias: tf.variable(tf.tensor1d(b)),
      wOut: tf.variable(tf.tensor2d(w, [u, 1])),
      bOut: tf.variable(tf.tensor1d(bo)),
    }));
    return new FittedLSTMForecaster(P, state.target, net, state.center, state.scale, Float64Array.from(state.tail), state.residualSd);
  }
}

registerLoader('FittedLSTMForecaster', 1, FittedLSTMForecaster.fromJSON);

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function normalQuantile(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const [b0, b1, b2, b3, b4] = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const [c0, c1, c2, c3, c4, c5] = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const [d0, d1, d2, d3] = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = p < 0.5 ? p : 1 - p;
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c0 * r + c1) * r + c2) * r + c3) * r + c4) * r + c5) / ((((d0 * r + d1) * r + d2) * r + d3) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x = ((((((a0 * s + a1) * s + a2) * s + a3) * s + a4) * s + a5) * r) / (((((b0 * s + b1) * s + b2) * s + b3) * s + b4) * s + 1);
  }
  return p < 0.5 ? x : -x;
}
