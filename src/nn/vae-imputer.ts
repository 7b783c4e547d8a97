import { z } from 'zod';
import {
  checkAbort,
  DEFAULT_TAGS,
  decodeFloat32,
  encodeArray,
  expectType,
  type FitOptions,
  type FittedTransform,
  parseOptions,
  Rng,
  registerLoader,
  type Serialized,
  type Tags,
  TesseraError,
  type Transform,
  yieldToEventLoop,
} from '../core/index.js';
import { type Column, type ColumnKind, type Dataset, makeColumn, requireColumns, requireRows, resolveColumns } from '../dataset/index.js';
import type { ImputeReport, ImputeResult } from '../transform/index.js';
import { ensureBackend, tf } from './backend.js';

const Options = z
  .object({
    /** Columns to impute and learn from; default: every number/integer/boolean/category feature. */
    columns: z.array(z.string()).optional(),
    /** Width of the two hidden layers of the encoder and of the decoder. Default 64. */
    hidden: z.number().int().min(2).max(4096).default(64),
    /** Latent dimension; default `min(8, max(2, ceil(width / 2)))` where width counts one-hot slots. */
    latent: z.number().int().min(1).max(1024).optional(),
    /** Training epochs. Default 150. */
    epochs: z.number().int().min(1).max(100_000).default(150),
    /** Mini-batch size. Default 32. */
    batchSize: z.number().int().min(1).max(65_536).default(32),
    /** Adam learning rate. Default 1e-3. */
    learningRate: z.number().positive().max(1).default(1e-3),
    /** Weight of the KL term of the ELBO (a β-VAE; 1 is the plain ELBO, which tends to collapse the latent code on small tables). Default 0.1. */
    beta: z.number().min(0).default(0.1),
    /** Share of observed entries hidden from the encoder (still scored) at each step, so it learns to fill. Default 0.2. */
    dropObserved: z.number().min(0).max(0.9).default(0.2),
    /** Refinement passes at transform time (encode the current fill, decode, replace the gaps). Default 5. */
    refine: z.number().int().min(0).max(1000).default(5),
    /** A column with no observed value when fitting: `'error'` (default) or `'constant'` (0, first level). */
    emptyColumns: z.enum(['error', 'constant']).default('error'),
    /** Round fills of integer columns. Default true. */
    roundIntegers: z.boolean().default(true),
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link VAEImputer}. @example `const o: VAEImputerOptions = { epochs: 200, hidden: 32, seed: 1 };` */
export type VAEImputerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true, stochastic: true };
const KINDS: readonly ColumnKind[] = ['number', 'integer', 'boolean', 'category'];

interface Spec {
  name: string;
  kind: ColumnKind;
  /** Levels of a categorical column ([] for numbers). */
  levels: string[];
  /** First input slot and width (1 for numbers, one per level for categories). */
  offset: number;
  width: number;
  /** Standardisation of a numeric column. */
  center: number;
  scale: number;
}

/** The layer sizes and weights (Float32, row-major [in, out]) of encoder and decoder. */
interface Net {
  sizes: number[][];
  weights: Float32Array[];
}

function isCat(kind: ColumnKind): boolean {
  return kind === 'category' || kind === 'boolean';
}

/** Encodes a Dataset: `X` (n × W, standardised numbers, one-hot levels, 0 where missing), `M` (n × W, 1 observed), `miss` (n × p, 1 = gap to fill). */
function encode(ds: Dataset, specs: readonly Spec[], W: number): { X: Float32Array; M: Float32Array; miss: Uint8Array; n: number } {
  const n = ds.nrows;
  const p = specs.length;
  const X = new Float32Array(n * W);
  const M = new Float32Array(n * W);
  const miss = new Uint8Array(n * p);
  specs.forEach((s, j) => {
    const col = ds.column(s.name);
    for (let i = 0; i < n; i++) {
      if (col.kind === 'category' || col.kind === 'boolean') {
        let level: number;
        if (col.kind === 'boolean') level = col.values[i] as number;
        else {
          const c = col.codes[i] as number;
          level = c < 0 ? -1 : s.levels.indexOf(col.dictionary[c] as string);
          if (c >= 0 && level < 0) level = -2; // seen only now: a value, not a gap; no slot
        }
        if (level === -1) miss[i * p + j] = 1;
        if (level >= 0) {
          X[i * W + s.offset + level] = 1;
          for (let l = 0; l < s.width; l++) M[i * W + s.offset + l] = 1;
        }
      } else {
        const v = (col as { values: Float64Array }).values[i] as number;
        if (Number.isNaN(v)) miss[i * p + j] = 1;
        else {
          if (!Number.isFinite(v)) throw new TesseraError('E_NON_FINITE', `VAEImputer: column "${s.name}", row ${i} is ${v}`, { column: s.name, row: i });
          X[i * W + s.offset] = (v - s.center) / s.scale;
          M[i * W + s.offset] = 1;
        }
      }
    }
  });
  return { X, M, miss, n };
}

function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * a;
  return w;
}

/** Encoder: [X, M] → h → h → (mu, logvar); decoder: z → h → h → W outputs. Layer list: e1, e2, eMu, eLv, d1, d2, dOut. */
function initNet(W: number, h: number, d: number, rng: Rng): Net {
  const sizes = [
    [2 * W, h],
    [h, h],
    [h, d],
    [h, d],
    [d, h],
    [h, h],
    [h, W],
  ];
  const weights: Float32Array[] = [];
  for (const [i, o] of sizes as [number, number][]) {
    weights.push(glorot(rng, i, o));
    weights.push(new Float32Array(o));
  }
  // Learnt log standard deviation of the Gaussian decoder, per slot (HI-VAE style).
  sizes.push([1, W]);
  weights.push(new Float32Array(W));
  return { sizes, weights };
}

type Tensors = tf.Tensor[];

function forwardEncoder(v: Tensors, X: tf.Tensor, M: tf.Tensor): { mu: tf.Tensor; lv: tf.Tensor } {
  const inp = tf.concat([X, M], 1);
  const h1 = tf.relu(tf.add(tf.matMul(inp, v[0] as tf.Tensor), v[1] as tf.Tensor));
  const h2 = tf.relu(tf.add(tf.matMul(h1, v[2] as tf.Tensor), v[3] as tf.Tensor));
  const mu = tf.add(tf.matMul(h2, v[4] as tf.Tensor), v[5] as tf.Tensor);
  const lv = tf.clipByValue(tf.add(tf.matMul(h2, v[6] as tf.Tensor), v[7] as tf.Tensor), -10, 10);
  return { mu, lv };
}

function forwardDecoder(v: Tensors, zt: tf.Tensor): tf.Tensor {
  const h1 = tf.relu(tf.add(tf.matMul(zt, v[8] as tf.Tensor), v[9] as tf.Tensor));
  const h2 = tf.relu(tf.add(tf.matMul(h1, v[10] as tf.Tensor), v[11] as tf.Tensor));
  return tf.add(tf.matMul(h2, v[12] as tf.Tensor), v[13] as tf.Tensor);
}

/**
 * Masked reconstruction loss per row: Gaussian negative log-likelihood with a learnt standard
 * deviation per slot on observed numeric slots, softmax cross-entropy on observed categorical columns.
 */
function reconLoss(out: tf.Tensor, X: tf.Tensor, M: tf.Tensor, specs: readonly Spec[], logSigma: tf.Tensor): tf.Tensor {
  const parts: tf.Tensor[] = [];
  const ls = tf.clipByValue(logSigma, -4, 2);
  for (const s of specs) {
    const o = tf.slice(out, [0, s.offset], [-1, s.width]);
    const x = tf.slice(X, [0, s.offset], [-1, s.width]);
    const m = tf.slice(M, [0, s.offset], [-1, 1]);
    if (isCat(s.kind)) parts.push(tf.mul(tf.neg(tf.sum(tf.mul(x, tf.logSoftmax(o)), 1, true)), m));
    else {
      const l = tf.slice(ls, [s.offset], [1]);
      parts.push(tf.mul(tf.add(tf.mul(tf.square(tf.sub(o, x)), tf.mul(tf.exp(tf.mul(l, -2)), 0.5)), l), m));
    }
  }
  return tf.sum(tf.concat(parts, 1), 1);
}

/**
 * A variational autoencoder imputer (HI-VAE / MIWAE style): the encoder reads the row with its
 * missingness mask, the ELBO is computed on the observed entries only (Gaussian reconstruction for
 * standardised numbers, softmax cross-entropy for categories and booleans, KL to a standard normal
 * prior), and a share of observed entries is hidden from the encoder at each step so it learns to
 * fill them. At transform time the gaps start at the decoder's output for the masked row and are
 * refined `refine` times (encode the current fill as complete, decode, replace the gaps); the
 * latent mean is used, so `transform` is deterministic. Weights are plain arrays (no tensors are
 * kept between calls); training is seeded.
 *
 * @example
 * ```ts
 * import { Dataset } from 'tessera';
 * import { VAEImputer } from 'tessera/nn';
 * const ds = Dataset.from({ a: [1, 2, null, 4, 5, 6], b: [2, 4, 6, 8, null, 12] });
 * const fitted = await new VAEImputer({ epochs: 50, seed: 1 }).fit(ds);
 * fitted.transformWithReport(ds).report.total; // 2
 * ```
 */
export class VAEImputer implements Transform<FittedVAEImputer> {
  readonly kind = 'transform' as const;
  readonly type = 'VAEImputer';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: VAEImputerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedVAEImputer> {
    checkAbort(options?.signal);
    requireRows(ds, this.type);
    await ensureBackend();
    const P = this.params;
    const cols = resolveColumns(ds, P.columns, KINDS, this.type);
    const specs: Spec[] = [];
    let W = 0;
    const empty: string[] = [];
    for (const name of cols) {
      const col = ds.column(name);
      let observed = 0;
      let levels: string[] = [];
      let center = 0;
      let scale = 1;
      if (col.kind === 'boolean') {
        levels = ['false', 'true'];
        for (let i = 0; i < col.length; i++) if ((col.values[i] as number) >= 0) observed++;
      } else if (col.kind === 'category') {
        const seen = new Set<string>();
        for (let i = 0; i < col.length; i++) {
          const c = col.codes[i] as number;
          if (c >= 0) {
            observed++;
            seen.add(col.dictionary[c] as string);
          }
        }
        levels = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        if (levels.length === 0) levels = ['missing'];
      } else {
        const v = (col as { values: Float64Array }).values;
        let m = 0;
        for (let i = 0; i < v.length; i++) {
          const x = v[i] as number;
          if (!Number.isNaN(x)) {
            observed++;
            m += (x - m) / observed;
          }
        }
        let ss = 0;
        for (let i = 0; i < v.length; i++) {
          const x = v[i] as number;
          if (!Number.isNaN(x)) ss += (x - m) * (x - m);
        }
        center = observed > 0 ? m : 0;
        const sd = observed > 0 ? Math.sqrt(ss / observed) : 1;
        scale = sd > 0 && Number.isFinite(sd) ? sd : 1;
      }
      if (observed === 0) empty.push(name);
      const width = isCat(col.kind) ? levels.length : 1;
      specs.push({ name, kind: col.kind, levels, offset: W, width, center, scale });
      W += width;
    }
    if (empty.length && P.emptyColumns === 'error') {
      throw new TesseraError(
        'E_MISSING_VALUES',
        `${this.type}: column${empty.length > 1 ? 's' : ''} ${empty.map((c) => `"${c}"`).join(', ')} ${empty.length > 1 ? 'have' : 'has'} no observed value to learn from; drop ${empty.length > 1 ? 'them' : 'it'} or pass emptyColumns: 'constant'`,
        { columns: empty },
      );
    }
    const { X, M, n } = encode(ds, specs, W);
    const d = P.latent ?? Math.min(8, Math.max(2, Math.ceil(W / 2)));
    const rng = new Rng(P.seed);
    const net = initNet(W, P.hidden, d, rng);
    const vars = net.weights.map((w, k) => {
      const [i, o] = net.sizes[k >> 1] as [number, number];
      const init = k % 2 === 0 && k < 14 ? tf.tensor2d(w, [i, o]) : tf.tensor1d(w);
      const variable = tf.variable(init);
      init.dispose();
      return variable;
    });
    const opt = tf.train.adam(P.learningRate);
    const bs = Math.min(P.batchSize, n);
    const batches = Math.ceil(n / bs);
    const xb = new Float32Array(bs * W);
    const mb = new Float32Array(bs * W);
    const keep = new Float32Array(bs * W);
    const eps = new Float32Array(bs * d);
    try {
      for (let epoch = 0; epoch < P.epochs; epoch++) {
        const order = rng.permutation(n);
        let total = 0;
        for (let b = 0; b < batches; b++) {
          const start = b * bs;
          const m = Math.min(bs, n - start);
          for (let r = 0; r < m; r++) {
            const i = order[start + r] as number;
            xb.set(X.subarray(i * W, i * W + W), r * W);
            mb.set(M.subarray(i * W, i * W + W), r * W);
            // Hide a share of the observed columns from the encoder (whole one-hot blocks).
            for (const s of specs) {
              const k = rng.next() < P.dropObserved ? 0 : 1;
              for (let l = 0; l < s.width; l++) keep[r * W + s.offset + l] = k;
            }
          }
          for (let t = 0; t < m * d; t++) eps[t] = rng.normal();
          const loss = opt.minimize(
            () =>
              tf.tidy(() => {
                const Xt = tf.tensor2d(xb.subarray(0, m * W), [m, W]);
                const Mt = tf.tensor2d(mb.subarray(0, m * W), [m, W]);
                const Kt = tf.mul(Mt, tf.tensor2d(keep.subarray(0, m * W), [m, W]));
                const { mu, lv } = forwardEncoder(vars, tf.mul(Xt, Kt), Kt);
                const zt = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), tf.tensor2d(eps.subarray(0, m * d), [m, d])));
                const out = forwardDecoder(vars, zt);
                const rec = reconLoss(out, Xt, Mt, specs, vars[14] as tf.Tensor);
                const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(lv)), tf.add(lv, 1)), 1), 0.5 * P.beta);
                return tf.mean(tf.add(rec, kl)) as tf.Scalar;
              }),
            true,
            vars,
          );
          if (loss) {
            total += (loss.dataSync()[0] as number) * m;
            loss.dispose();
          }
        }
        options?.onProgress?.({ stage: 'epoch', step: epoch + 1, total: P.epochs, loss: total / n });
        if (epoch % 10 === 9 || epoch === P.epochs - 1) await yieldToEventLoop(options?.signal);
      }
      const weights = vars.map((v) => Float32Array.from(v.dataSync()));
      return new FittedVAEImputer(P, specs, W, d, { sizes: net.sizes, weights });
    } finally {
      for (const v of vars) v.dispose();
      opt.dispose();
    }
  }
}

interface State {
  specs: Spec[];
  W: number;
  d: number;
  sizes: number[][];
  weights: string[];
}

/**
 * A fitted {@link VAEImputer}. `transform` runs the network on the CPU backend's tensors inside
 * `tf.tidy`; nothing is kept between calls (`dispose` is a no-op kept for symmetry).
 *
 * @example
 * ```ts
 * const fitted = await new VAEImputer({ seed: 1 }).fit(train);
 * const { data, report } = fitted.transformWithReport(test);
 * ```
 */
export class FittedVAEImputer implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedVAEImputer';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  private readonly specs: readonly Spec[];
  private readonly W: number;
  private readonly d: number;
  private readonly net: Net;

  constructor(params: Params, specs: readonly Spec[], W: number, d: number, net: Net) {
    this.params = params;
    this.specs = specs;
    this.inputColumns = Object.freeze(specs.map((s) => s.name));
    this.W = W;
    this.d = d;
    this.net = net;
  }

  transform(ds: Dataset): Dataset {
    return this.transformWithReport(ds).data;
  }

  /** Fills gaps and reports how many cells were filled per column. */
  transformWithReport(ds: Dataset): ImputeResult {
    requireColumns(ds, this.inputColumns, this.type);
    const specs = this.specs;
    for (const s of specs) {
      const k = ds.column(s.name).kind;
      if (isCat(k) !== isCat(s.kind))
        throw new TesseraError('E_SCHEMA', `${this.type}: column "${s.name}" was ${s.kind} when fitting, is ${k} now`, { column: s.name });
    }
    const W = this.W;
    const p = specs.length;
    const { X, M, miss, n } = encode(ds, specs, W);
    const fill = n === 0 ? new Float32Array(0) : this.reconstruct(X, M, n);
    let out = ds;
    const counts = specs.map(() => 0);
    specs.forEach((s, j) => {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (miss[i * p + j]) rows.push(i);
      counts[j] = rows.length;
      if (rows.length === 0) return;
      out = out.withColumn(s.name, fillColumn(ds.column(s.name), s, rows, fill, W, this.params.roundIntegers));
    });
    let total = 0;
    const report: ImputeReport = {
      columns: specs.map((s, j) => {
        total += counts[j] as number;
        return { column: s.name, kind: s.kind, filled: counts[j] as number };
      }),
      total: 0,
    };
    return { data: out, report: { ...report, total } };
  }

  /** Decoder output (n × W) after the refinement passes. */
  private reconstruct(X: Float32Array, M: Float32Array, n: number): Float32Array {
    const W = this.W;
    return tf.tidy(() => {
      const v = this.net.weights.map((w, k) => {
        const [i, o] = this.net.sizes[k >> 1] as [number, number];
        return k % 2 === 0 && k < 14 ? tf.tensor2d(w, [i, o]) : tf.tensor1d(w);
      });
      const Xt = tf.tensor2d(X, [n, W]);
      const Mt = tf.tensor2d(M, [n, W]);
      const ones = tf.onesLike(Mt);
      const decode = (x: tf.Tensor, m: tf.Tensor): tf.Tensor => {
        const out = forwardDecoder(v, forwardEncoder(v, x, m).mu);
        // Categories as probabilities (softmax per one-hot block), numbers as they are.
        const parts = this.specs.map((s) => {
          const o = tf.slice(out, [0, s.offset], [-1, s.width]);
          return isCat(s.kind) ? tf.softmax(o) : o;
        });
        return tf.concat(parts, 1);
      };
      // First pass reads the masked row; later passes read the current fill as complete.
      let rec = decode(Xt, Mt);
      for (let t = 0; t < this.params.refine; t++) {
        const filled = tf.add(tf.mul(Xt, Mt), tf.mul(rec, tf.sub(ones, Mt)));
        rec = decode(filled, ones);
      }
      return rec.dataSync() as Float32Array;
    });
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        specs: this.specs.map((s) => ({ ...s, levels: [...s.levels] })),
        W: this.W,
        d: this.d,
        sizes: this.net.sizes.map((s) => [...s]),
        weights: this.net.weights.map((w) => encodeArray(w)),
      },
    };
  }

  /** Releases nothing (no tensors are kept); present so callers can treat every nn primitive alike. */
  dispose(): void {}

  /** Restores from {@link FittedVAEImputer.toJSON} output. */
  static fromJSON(json: Serialized): FittedVAEImputer {
    const { params, state } = expectType<State, Params>(json, 'FittedVAEImputer');
    return new FittedVAEImputer(parseOptions(Options, params, 'VAEImputer'), state.specs, state.W, state.d, {
      sizes: state.sizes,
      weights: state.weights.map((w) => decodeFloat32(w)),
    });
  }
}

registerLoader('FittedVAEImputer', 1, FittedVAEImputer.fromJSON);

/** A column with `rows` filled from the decoder output (standardised numbers back to units; the most probable level). */
function fillColumn(col: Column, s: Spec, rows: readonly number[], rec: Float32Array, W: number, round: boolean): Column {
  if (col.kind === 'category' || col.kind === 'boolean') {
    const pick = (i: number) => {
      let best = 0;
      for (let l = 1; l < s.width; l++) if ((rec[i * W + s.offset + l] as number) > (rec[i * W + s.offset + best] as number)) best = l;
      return best;
    };
    if (col.kind === 'boolean') {
      const v = col.values.slice();
      for (const i of rows) v[i] = pick(i);
      return makeColumn(col.name, 'boolean', { values: v });
    }
    const dict = [...col.dictionary];
    const codes = col.codes.slice();
    for (const i of rows) {
      const label = s.levels[pick(i)] as string;
      let k = dict.indexOf(label);
      if (k < 0) {
        k = dict.length;
        dict.push(label);
      }
      codes[i] = k;
    }
    return makeColumn(col.name, 'category', { codes, dictionary: dict });
  }
  const v = (col as { values: Float64Array }).values.slice();
  const r = round && col.kind === 'integer';
  let whole = true;
  for (const i of rows) {
    const x = (rec[i * W + s.offset] as number) * s.scale + s.center;
    v[i] = r ? Math.round(x) : x;
    if (!Number.isInteger(v[i])) whole = false;
  }
  return makeColumn(col.name, col.kind === 'integer' && !whole ? 'number' : col.kind, { values: v });
}
