import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat32, decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/index.js';
import { featureMatrix, requireColumns, requireRows, resolveColumns, resolveTarget } from '../dataset/index.js';
import { type ClassLabel, encodeTarget, type FittedClassifier, probaToLabels } from '../model/index.js';
import { ensureBackend, tf } from './backend.js';

const Options = z
  .object({
    /** Feature columns; default every column without a non-feature role, except the target (numeric only). */
    columns: z.array(z.string()).optional(),
    /** Hidden layer sizes. Default [100] (scikit-learn's default). */
    hiddenLayers: z.array(z.number().int().min(1).max(100_000)).max(50).default([100]),
    /** Hidden activation. Default `relu`. */
    activation: z.enum(['relu', 'tanh', 'logistic']).default('relu'),
    /** L2 penalty (scikit-learn's `alpha`, scaled by the batch size). Default 1e-4. */
    alpha: z.number().min(0).default(1e-4),
    /** Adam learning rate. Default 1e-3. */
    learningRate: z.number().positive().default(1e-3),
    /** Epochs (scikit-learn's `max_iter`). Default 200. */
    epochs: z.number().int().min(1).max(100_000).default(200),
    /** Mini-batch size; default min(200, rows). */
    batchSize: z.number().int().min(1).optional(),
    /** Stop when the training loss has not improved by `tol` for `nIterNoChange` epochs. Default 1e-4. */
    tol: z.number().min(0).default(1e-4),
    /** Default 10. */
    nIterNoChange: z.number().int().min(1).default(10),
    /** Standardise the features with the training mean and sd (stored in the model). Default true. */
    standardize: z.boolean().default(true),
    /** Seed of the initial weights and of the batch shuffles. Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link MLPClassifier} and {@link MLPRegressor}. @example `const o: MLPOptions = { hiddenLayers: [32, 16], epochs: 100 };` */
export type MLPOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, supervised: true, stochastic: true };
const KINDS = ['number', 'integer', 'boolean', 'datetime', 'category', 'text'] as const;

interface Net {
  sizes: number[];
  weights: tf.Variable[];
  biases: tf.Variable[];
}

function initNet(sizes: number[], activation: Params['activation'], rng: Rng): Net {
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fi = sizes[l] as number;
    const fo = sizes[l + 1] as number;
    // scikit-learn's Glorot-uniform initialisation (factor 2 for logistic)
    const limit = Math.sqrt((activation === 'logistic' ? 2 : 6) / (fi + fo));
    const w = new Float32Array(fi * fo);
    for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
    const b = new Float32Array(fo);
    for (let i = 0; i < fo; i++) b[i] = rng.uniform(-limit, limit);
    weights.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fi, fo]))));
    biases.push(tf.tidy(() => tf.variable(tf.tensor1d(b))));
  }
  return { sizes, weights, biases };
}

function forward(net: Net, x: tf.Tensor2D, activation: Params['activation']): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const L = net.weights.length;
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(h, net.weights[l] as tf.Variable), net.biases[l] as tf.Variable) as tf.Tensor2D;
    if (l === L - 1) return z;
    h = activation === 'relu' ? tf.relu(z) : activation === 'tanh' ? tf.tanh(z) : tf.sigmoid(z);
  }
  return h;
}

interface Prepared {
  X: Float32Array;
  n: number;
  p: number;
  columns: string[];
  target: string;
  mean: Float64Array;
  scale: Float64Array;
}

function prepare(ds: Dataset, params: Params, options: ModelFitOptions | undefined, owner: string): Prepared {
  checkAbort(options?.signal);
  requireRows(ds, owner);
  const target = resolveTarget(ds, options?.target, owner);
  const columns = resolveColumns(ds, params.columns, KINDS, owner, [target]).filter((c) => c !== target);
  if (columns.length === 0) throw new TesseraError('E_SCHEMA', `${owner}: no feature columns besides the target "${target}"`, { column: target });
  const m = featureMatrix(ds, columns, { owner });
  const p = columns.length;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p).fill(1);
  if (params.standardize) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < m.nrows; i++) s += m.data[i * p + j] as number;
      const mu = s / m.nrows;
      let v = 0;
      for (let i = 0; i < m.nrows; i++) v += ((m.data[i * p + j] as number) - mu) ** 2;
      mean[j] = mu;
      const sd = Math.sqrt(v / m.nrows);
      scale[j] = sd > 0 ? sd : 1;
    }
  }
  return { X: scaled(m.data, m.nrows, p, mean, scale), n: m.nrows, p, columns, target, mean, scale };
}

function scaled(X: Float64Array, n: number, p: number, mean: Float64Array, scale: Float64Array): Float32Array {
  const out = new Float32Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[i * p + j] = ((X[i * p + j] as number) - (mean[j] as number)) / (scale[j] as number);
  return out;
}

/** Mini-batch Adam training; `lossOf(logits, yBatch)` gives the data loss. Returns the net. */
async function train(
  prep: Prepared,
  outDim: number,
  yData: Float32Array,
  params: Params,
  options: ModelFitOptions | undefined,
  lossOf: (logits: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar,
): Promise<{ net: Net; epochs: number; loss: number }> {
  await ensureBackend();
  const rng = new Rng(params.seed);
  const net = initNet([prep.p, ...params.hiddenLayers, outDim], params.activation, rng);
  const vars = [...net.weights, ...net.biases];
  const optimizer = tf.train.adam(params.learningRate, 0.9, 0.999, 1e-8);
  const bs = Math.min(params.batchSize ?? 200, prep.n);
  const xb = new Float32Array(bs * prep.p);
  const yb = new Float32Array(bs * outDim);
  let best = Number.POSITIVE_INFINITY;
  let noChange = 0;
  let epoch = 0;
  let lastLoss = Number.NaN;
  let lastYield = performance.now();
  try {
    for (; epoch < params.epochs; epoch++) {
      const order = rng.permutation(prep.n);
      let total = 0;
      for (let start = 0; start < prep.n; start += bs) {
        const m = Math.min(bs, prep.n - start);
        for (let r = 0; r < m; r++) {
          const i = order[start + r] as number;
          xb.set(prep.X.subarray(i * prep.p, (i + 1) * prep.p), r * prep.p);
          yb.set(yData.subarray(i * outDim, (i + 1) * outDim), r * outDim);
        }
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const x = tf.tensor2d(xb.subarray(0, m * prep.p), [m, prep.p]);
              const y = tf.tensor2d(yb.subarray(0, m * outDim), [m, outDim]);
              let l = lossOf(forward(net, x, params.activation), y);
              if (params.alpha > 0) {
                let reg = tf.scalar(0);
                for (const w of net.weights) reg = tf.add(reg, tf.sum(tf.square(w)));
                l = tf.add(l, tf.mul(reg, (0.5 * params.alpha) / m));
              }
              return l as tf.Scalar;
            }),
          true,
          vars,
        );
        if (cost) {
          total += (cost.dataSync()[0] as number) * m;
          cost.dispose();
        }
      }
      lastLoss = total / prep.n;
      options?.onProgress?.({ stage: 'epoch', step: epoch + 1, total: params.epochs, loss: lastLoss });
      if (lastLoss > best - params.tol) noChange++;
      else noChange = 0;
      if (lastLoss < best) best = lastLoss;
      if (noChange >= params.nIterNoChange) {
        epoch++;
        break;
      }
      // yield to the event loop every 25 ms, not every epoch: a timer costs 1-4 ms, more than a
      // small epoch (the abort signal is checked every epoch)
      if (performance.now() - lastYield >= 25) {
        await yieldToEventLoop(options?.signal);
        lastYield = performance.now();
      } else checkAbort(options?.signal);
    }
  } catch (e) {
    for (const v of vars) v.dispose();
    optimizer.dispose();
    throw e;
  }
  optimizer.dispose();
  return { net, epochs: epoch, loss: lastLoss };
}

interface State {
  columns: string[];
  target: string;
  classes?: ClassLabel[];
  sizes: number[];
  weights: string[];
  biases: string[];
  mean: string;
  scale: string;
  epochs: number;
  loss: number;
}

abstract class FittedMLPBase {
  readonly kind = 'model' as const;
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  readonly target: string;
  /** Epochs run. */
  readonly epochs: number;
  /** Final training loss (mean over rows, penalty included). */
  readonly loss: number;
  protected readonly net: Net;
  protected readonly mean: Float64Array;
  protected readonly scale: Float64Array;
  private disposed = false;

  constructor(params: Params, columns: readonly string[], target: string, net: Net, mean: Float64Array, scale: Float64Array, epochs: number, loss: number) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.target = target;
    this.net = net;
    this.mean = mean;
    this.scale = scale;
    this.epochs = epochs;
    this.loss = loss;
  }

  /** Raw network outputs, row-major `n x outputs`. */
  protected outputs(ds: Dataset, owner: string): { out: Float32Array; n: number; k: number } {
    if (this.disposed) throw new TesseraError('E_UNSUPPORTED', `${owner} was disposed`);
    requireColumns(ds, this.inputColumns, owner);
    const m = featureMatrix(ds, this.inputColumns, { owner });
    const p = this.inputColumns.length;
    const X = scaled(m.data, m.nrows, p, this.mean, this.scale);
    const k = this.net.sizes[this.net.sizes.length - 1] as number;
    const out = tf.tidy(() => {
      const logits = forward(this.net, tf.tensor2d(X, [m.nrows, p]), this.params.activation);
      return logits.dataSync() as Float32Array;
    });
    return { out: Float32Array.from(out), n: m.nrows, k };
  }

  /** Frees the network's tensors. The model cannot predict afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of [...this.net.weights, ...this.net.biases]) v.dispose();
  }

  protected state(classes?: readonly ClassLabel[]): State {
    const s: State = {
      columns: [...this.inputColumns],
      target: this.target,
      sizes: [...this.net.sizes],
      weights: this.net.weights.map((w) => encodeArray(w.dataSync() as Float32Array)),
      biases: this.net.biases.map((b) => encodeArray(b.dataSync() as Float32Array)),
      mean: encodeArray(this.mean),
      scale: encodeArray(this.scale),
      epochs: this.epochs,
      loss: this.loss,
    };
    if (classes) s.classes = [...classes];
    return s;
  }
}

function restoreNet(s: State): Net {
  const weights: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 0; l + 1 < s.sizes.length; l++) {
    weights.push(tf.tidy(() => tf.variable(tf.tensor2d(decodeFloat32(s.weights[l]), [s.sizes[l] as number, s.sizes[l + 1] as number]))));
    biases.push(tf.tidy(() => tf.variable(tf.tensor1d(decodeFloat32(s.biases[l])))));
  }
  return { sizes: [...s.sizes], weights, biases };
}

/**
 * A multi-layer perceptron classifier on TensorFlow.js (as scikit-learn's `MLPClassifier`: ReLU
 * hidden layers, softmax output with cross-entropy, L2 penalty `alpha`, Adam, mini-batches of 200,
 * stopping when the training loss stalls). Features are standardised inside the model by default.
 * Call `dispose()` on the fitted model to free its tensors.
 *
 * @example
 * ```ts
 * import { MLPClassifier } from 'tessera/nn';
 * const fitted = await new MLPClassifier({ hiddenLayers: [16], epochs: 50 }).fit(ds, { target: 'species' });
 * fitted.predictProba(ds);
 * fitted.dispose();
 * ```
 */
export class MLPClassifier implements Model<FittedMLPClassifier> {
  readonly kind = 'model' as const;
  readonly type = 'MLPClassifier';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: MLPOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedMLPClassifier> {
    const prep = prepare(ds, this.params, options, this.type);
    const enc = encodeTarget(ds, prep.target, 'classification', this.type);
    if (enc.task !== 'classification') throw new TesseraError('E_INTERNAL', 'expected a classification target');
    const k = enc.classes.length;
    const y = new Float32Array(prep.n * k);
    for (let i = 0; i < prep.n; i++) y[i * k + (enc.y[i] as number)] = 1;
    const r = await train(prep, k, y, this.params, options, (logits, yb) => tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar);
    return new FittedMLPClassifier(this.params, prep.columns, prep.target, enc.classes, r.net, prep.mean, prep.scale, r.epochs, r.loss);
  }
}

/**
 * A fitted {@link MLPClassifier}.
 *
 * @example
 * ```ts
 * const fitted = await new MLPClassifier().fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.dispose();
 * ```
 */
export class FittedMLPClassifier extends FittedMLPBase implements FittedClassifier {
  readonly type = 'FittedMLPClassifier';
  readonly classes: readonly ClassLabel[];
  constructor(
    params: Params,
    columns: readonly string[],
    target: string,
    classes: readonly ClassLabel[],
    net: Net,
    mean: Float64Array,
    scale: Float64Array,
    epochs: number,
    loss: number,
  ) {
    super(params, columns, target, net, mean, scale, epochs, loss);
    this.classes = Object.freeze([...classes]);
  }
  predictProba(ds: Dataset): Float64Array {
    const { out, n, k } = this.outputs(ds, this.type);
    const P = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) m = Math.max(m, out[i * k + c] as number);
      let s = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp((out[i * k + c] as number) - m);
        P[i * k + c] = e;
        s += e;
      }
      for (let c = 0; c < k; c++) P[i * k + c] = (P[i * k + c] as number) / s;
    }
    return P;
  }
  predict(ds: Dataset): ClassLabel[] {
    return probaToLabels(this.predictProba(ds), this.classes);
  }
  toJSON(): Serialized<Params, State> {
    return { type: this.type, version: 1, params: this.params, state: this.state(this.classes) };
  }
  /** Restores from {@link FittedMLPClassifier.toJSON} output (creates tensors: call `dispose()` when done). */
  static fromJSON(json: Serialized): FittedMLPClassifier {
    const { params, state: s } = expectType<State, Params>(json, 'FittedMLPClassifier');
    return new FittedMLPClassifier(
      parseOptions(Options, params, 'MLPClassifier'),
      s.columns,
      s.target,
      s.classes ?? [],
      restoreNet(s),
      decodeFloat64(s.mean),
      decodeFloat64(s.scale),
      s.epochs,
      s.loss,
    );
  }
}

/**
 * A multi-layer perceptron regressor on TensorFlow.js (as scikit-learn's `MLPRegressor`: identity
 * output, half squared error, L2 penalty, Adam). Features are standardised inside the model by
 * default; scale a target with a large range yourself. Call `dispose()` to free the tensors.
 *
 * @example
 * ```ts
 * import { MLPRegressor } from 'tessera/nn';
 * const fitted = await new MLPRegressor({ hiddenLayers: [32], epochs: 100 }).fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.dispose();
 * ```
 */
export class MLPRegressor implements Model<FittedMLPRegressor> {
  readonly kind = 'model' as const;
  readonly type = 'MLPRegressor';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: MLPOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }
  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedMLPRegressor> {
    const prep = prepare(ds, this.params, options, this.type);
    const enc = encodeTarget(ds, prep.target, 'regression', this.type);
    const y = Float32Array.from(enc.y as Float64Array);
    const r = await train(prep, 1, y, this.params, options, (out, yb) => tf.mul(tf.losses.meanSquaredError(yb, out), 0.5) as tf.Scalar);
    return new FittedMLPRegressor(this.params, prep.columns, prep.target, r.net, prep.mean, prep.scale, r.epochs, r.loss);
  }
}

/**
 * A fitted {@link MLPRegressor}.
 *
 * @example
 * ```ts
 * const fitted = await new MLPRegressor().fit(ds, { target: 'y' });
 * fitted.predict(ds); fitted.dispose();
 * ```
 */
export class FittedMLPRegressor extends FittedMLPBase implements FittedModel<Float64Array> {
  readonly type = 'FittedMLPRegressor';
  predict(ds: Dataset): Float64Array {
    const { out } = this.outputs(ds, this.type);
    return Float64Array.from(out);
  }
  toJSON(): Serialized<Params, State> {
    return { type: this.type, version: 1, params: this.params, state: this.state() };
  }
  /** Restores from {@link FittedMLPRegressor.toJSON} output (creates tensors: call `dispose()` when done). */
  static fromJSON(json: Serialized): FittedMLPRegressor {
    const { params, state: s } = expectType<State, Params>(json, 'FittedMLPRegressor');
    return new FittedMLPRegressor(
      parseOptions(Options, params, 'MLPRegressor'),
      s.columns,
      s.target,
      restoreNet(s),
      decodeFloat64(s.mean),
      decodeFloat64(s.scale),
      s.epochs,
      s.loss,
    );
  }
}

registerLoader('FittedMLPClassifier', 1, FittedMLPClassifier.fromJSON);
registerLoader('FittedMLPRegressor', 1, FittedMLPRegressor.fromJSON);
