import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../core/abort.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type Detector, type FitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat32, decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/index.js';
import {
  BaseOptions,
  type DetectorState,
  type Explanation,
  FittedDetectorBase,
  makeExplanation,
  prepareFit,
  resolveThreshold,
  strategyOf,
} from '../detect/index.js';
import { ensureBackend, tf } from './backend.js';

const Options = z
  .object({
    ...BaseOptions,
    /** Hidden layer sizes (encoder, bottleneck, decoder). Default: [ceil(0.75p), ceil(p/2.5), ceil(0.75p)]. */
    hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(16).optional(),
    /** Hidden activation. Default 'tanh'; the output layer is linear. */
    activation: z.enum(['tanh', 'relu']).default('tanh'),
    /** Training epochs. Default 50. */
    epochs: z.number().int().min(1).max(100_000).default(50),
    /** Mini-batch size. Default 256. */
    batchSize: z.number().int().min(1).max(1_000_000).default(256),
    /** Adam learning rate. Default 0.001. */
    learningRate: z.number().positive().max(10).default(0.001),
    /** Seed (initial weights, batch order). Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link Autoencoder}. @example `const o: AutoencoderOptions = { hidden: [16, 8, 16], epochs: 20 };` */
export type AutoencoderOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true };

interface Net {
  sizes: number[];
  weights: Float32Array[];
  biases: Float32Array[];
}

/**
 * Autoencoder anomaly detector (TensorFlow.js, WASM backend where available): a dense network
 * p → hidden… → p on standardised columns, trained with Adam on the mean squared reconstruction
 * error. After training the weights are copied out and every tensor is disposed, so inference
 * (`score`, `scoreColumns`, `explain`) runs in plain JavaScript, synchronously, and the fitted
 * detector holds no tensors. `score` = mean squared error per row (standardised units);
 * `scoreColumns` = squared error per row and column, so a user sees which fields are odd.
 * `auto` threshold: the MAD rule on the training scores.
 *
 * @example
 * ```ts
 * import { Dataset } from 'tessera';
 * import { Autoencoder } from 'tessera/nn';
 * const fitted = await new Autoencoder({ epochs: 30 }).fit(ds);
 * fitted.scoreColumns(ds); // rows x columns
 * fitted.explain(ds, 0).contributions[0].column;
 * ```
 */
export class Autoencoder implements Detector<FittedAutoencoder> {
  readonly kind = 'detector' as const;
  readonly type = 'Autoencoder';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: AutoencoderOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    strategyOf(this.params, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedAutoencoder> {
    checkAbort(options?.signal);
    const m = prepareFit(ds, this.params.columns, this.type, options);
    await ensureBackend();
    const { nrows: n, ncols: p } = m;
    const mean = new Float64Array(p);
    const scale = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += m.data[i * p + j] as number;
      const mu = s / n;
      let q = 0;
      for (let i = 0; i < n; i++) q += ((m.data[i * p + j] as number) - mu) ** 2;
      mean[j] = mu;
      const sd = Math.sqrt(q / n);
      scale[j] = sd > 0 ? sd : 1;
    }
    const x = new Float32Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) x[i * p + j] = ((m.data[i * p + j] as number) - (mean[j] as number)) / (scale[j] as number);
    const hidden = this.params.hidden ?? [Math.ceil(0.75 * p), Math.max(1, Math.ceil(p / 2.5)), Math.ceil(0.75 * p)];
    const sizes = [p, ...hidden, p];
    const rng = new Rng(this.params.seed);
    const W: tf.Variable[] = [];
    const B: tf.Variable[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fi = sizes[l] as number;
      const fo = sizes[l + 1] as number;
      const lim = Math.sqrt(6 / (fi + fo));
      const w = Float32Array.from({ length: fi * fo }, () => rng.uniform(-lim, lim));
      W.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fi, fo]))));
      B.push(tf.tidy(() => tf.variable(tf.zeros([fo]))));
    }
    const act = this.params.activation;
    const forward = (xb: tf.Tensor2D): tf.Tensor2D => {
      let h = xb;
      for (let l = 0; l < W.length; l++) {
        const z = tf.add(tf.matMul(h, W[l] as tf.Variable), B[l] as tf.Variable) as tf.Tensor2D;
        h = l === W.length - 1 ? z : act === 'relu' ? tf.relu(z) : tf.tanh(z);
      }
      return h;
    };
    const optimizer = tf.train.adam(this.params.learningRate);
    const bs = Math.min(this.params.batchSize, n);
    const batch = new Float32Array(bs * p);
    let net: Net = { sizes, weights: [], biases: [] };
    try {
      for (let epoch = 0; epoch < this.params.epochs; epoch++) {
        const order = rng.permutation(n);
        let lossSum = 0;
        let batches = 0;
        for (let s = 0; s < n; s += bs) {
          const e = Math.min(n, s + bs);
          const mrows = e - s;
          for (let r = 0; r < mrows; r++) batch.set(x.subarray((order[s + r] as number) * p, (order[s + r] as number) * p + p), r * p);
          const cost = optimizer.minimize(
            () =>
              tf.tidy(() => {
                const xb = tf.tensor2d(batch.subarray(0, mrows * p), [mrows, p]);
                return tf.losses.meanSquaredError(xb, forward(xb)) as tf.Scalar;
              }),
            true,
          );
          if (cost) {
            lossSum += (cost.dataSync()[0] as number) ?? 0;
            cost.dispose();
          }
          batches++;
        }
        options?.onProgress?.({ stage: 'epoch', step: epoch + 1, total: this.params.epochs, loss: lossSum / Math.max(1, batches) });
        await yieldToEventLoop(options?.signal);
      }
    } finally {
      net = {
        sizes,
        weights: W.map((w) => Float32Array.from(w.dataSync() as Float32Array)),
        biases: B.map((b) => Float32Array.from(b.dataSync() as Float32Array)),
      };
      for (const v of [...W, ...B]) v.dispose();
      optimizer.dispose();
    }
    const proto = new FittedAutoencoder(this.params, m.columns, Number.NaN, net, mean, scale);
    const train = proto.scoreMatrix(m.data, n);
    const threshold = resolveThreshold(strategyOf(this.params), train);
    return new FittedAutoencoder(this.params, m.columns, threshold, net, mean, scale);
  }
}

interface AeState {
  sizes: number[];
  weights: string[];
  biases: string[];
  mean: string;
  scale: string;
}

/**
 * A fitted {@link Autoencoder}: weights as plain arrays (no tensors held; nothing to dispose).
 *
 * @example
 * ```ts
 * const fitted = await new Autoencoder().fit(train);
 * fitted.score(test); fitted.scoreColumns(test);
 * ```
 */
export class FittedAutoencoder extends FittedDetectorBase<Params, AeState> {
  readonly type = 'FittedAutoencoder';
  private readonly net: Net;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;

  constructor(params: Params, columns: readonly string[], threshold: number, net: Net, mean: Float64Array, scale: Float64Array) {
    super(params, TAGS, columns, threshold);
    this.net = net;
    this.mean = mean;
    this.scale = scale;
  }

  /** Squared reconstruction error per row and column (standardised units), row-major. */
  errorMatrix(data: Float64Array, nrows: number): Float64Array {
    const { sizes, weights, biases } = this.net;
    const p = sizes[0] as number;
    const maxW = Math.max(...sizes);
    const out = new Float64Array(nrows * p);
    let a = new Float64Array(maxW);
    let b = new Float64Array(maxW);
    const relu = this.params.activation === 'relu';
    for (let i = 0; i < nrows; i++) {
      for (let j = 0; j < p; j++) a[j] = ((data[i * p + j] as number) - (this.mean[j] as number)) / (this.scale[j] as number);
      const x0 = a.slice(0, p);
      for (let l = 0; l < weights.length; l++) {
        const fi = sizes[l] as number;
        const fo = sizes[l + 1] as number;
        const w = weights[l] as Float32Array;
        const bias = biases[l] as Float32Array;
        const last = l === weights.length - 1;
        for (let o = 0; o < fo; o++) {
          let s = bias[o] as number;
          for (let k = 0; k < fi; k++) s += (a[k] as number) * (w[k * fo + o] as number);
          b[o] = last ? s : relu ? Math.max(0, s) : Math.tanh(s);
        }
        const t = a;
        a = b;
        b = t;
      }
      for (let j = 0; j < p; j++) out[i * p + j] = ((a[j] as number) - (x0[j] as number)) ** 2;
    }
    return out;
  }

  scoreMatrix(data: Float64Array, nrows: number): Float64Array {
    const p = this.inputColumns.length;
    const e = this.errorMatrix(data, nrows);
    const out = new Float64Array(nrows);
    for (let i = 0; i < nrows; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += e[i * p + j] as number;
      out[i] = s / p;
    }
    return out;
  }

  /** Squared reconstruction error per row and column, row-major `nrows x inputColumns.length`. */
  scoreColumns(ds: Dataset): Float64Array {
    const m = this.matrixOf(ds);
    return this.errorMatrix(m.data, m.nrows);
  }

  /** Per-column squared reconstruction errors of one row. */
  explain(ds: Dataset, row: number): Explanation {
    const r = this.rowOf(ds, row);
    return makeExplanation(row, r.score, this.inputColumns, r.values, this.errorMatrix(r.values, 1));
  }

  protected state(): AeState {
    return {
      sizes: [...this.net.sizes],
      weights: this.net.weights.map((w) => encodeArray(w)),
      biases: this.net.biases.map((b) => encodeArray(b)),
      mean: encodeArray(this.mean),
      scale: encodeArray(this.scale),
    };
  }

  /** Restores from `toJSON` output. */
  static fromJSON(json: Serialized): FittedAutoencoder {
    const { params, state } = expectType<DetectorState & AeState, Params>(json, 'FittedAutoencoder');
    const net: Net = { sizes: [...state.sizes], weights: state.weights.map((w) => decodeFloat32(w)), biases: state.biases.map((b) => decodeFloat32(b)) };
    return new FittedAutoencoder(
      parseOptions(Options, params, 'Autoencoder'),
      state.columns,
      state.threshold,
      net,
      decodeFloat64(state.mean),
      decodeFloat64(state.scale),
    );
  }
}

registerLoader('FittedAutoencoder', 1, FittedAutoencoder.fromJSON);
