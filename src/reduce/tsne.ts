import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import { decodeFloat64, encodeArray, expectType, registerLoader } from '../core/serialize.js';
import { COLUMN_KINDS, type Column, makeColumn } from '../dataset/column.js';
import { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';
import { numericMatrix } from './matrix.js';
import { PCA, withPassthrough } from './pca.js';
import { bhGradient, exactAffinities, exactGradient, knnAffinities, QuadTree } from './tsne-core.js';

const Options = z
  .object({
    /** Output dimensions: 2 for Barnes-Hut; 1 to 3 with `method: 'exact'`. Default 2. */
    nComponents: z.number().int().min(1).max(3).default(2),
    /** Effective number of neighbours (scikit-learn's default 30); must be below the number of rows. */
    perplexity: z.number().positive().finite().default(30),
    /** Factor on the affinities during the first 250 iterations. Default 12. */
    earlyExaggeration: z.number().min(1).finite().default(12),
    /** Step size, or `auto` = max(rows / earlyExaggeration / 4, 50) (Belkina et al. 2019, scikit-learn's `auto`). */
    learningRate: z.union([z.literal('auto'), z.number().positive().finite()]).default('auto'),
    /** Total gradient-descent iterations (at least 250, as scikit-learn). Default 1000. */
    maxIter: z.number().int().min(250).max(100_000).default(1000),
    /** `barnes-hut` (default, O(n log n) per iteration, 2-D) or `exact` (O(n²) per iteration; small data). */
    method: z.enum(['barnes-hut', 'exact']).default('barnes-hut'),
    /** Barnes-Hut accuracy: a cell is summarised when its width / distance < angle. Default 0.5. */
    angle: z.number().min(0).max(1).default(0.5),
    /** `pca` (default: principal components scaled to sd 1e-4, as scikit-learn) or `random`. */
    init: z.enum(['pca', 'random']).default('pca'),
    /** Stop when the gradient norm falls below this. Default 1e-7. */
    minGradNorm: z.number().min(0).default(1e-7),
    /** Stop after this many iterations without improving the objective (checked every 50). Default 300. */
    nIterWithoutProgress: z.number().int().min(50).default(300),
    /** Seed (random init). Default 0. */
    seed: z.number().int().default(0),
    /** Prefix of the output columns. Default `tsne` (tsne0, tsne1). */
    prefix: z.string().min(1).default('tsne'),
    /** Input columns; default every column without an id/target/time role (all numeric). */
    columns: z.array(z.string()).optional(),
  })
  .strict();

/** Options of {@link TSNE}. @example `const o: TSNEOptions = { perplexity: 20, seed: 1 };` */
export type TSNEOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, stochastic: true };
const EXPLORATION_ITER = 250;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten and Hinton 2008), following
 * scikit-learn's `TSNE`: affinities from the `3·perplexity` nearest neighbours with a per-row
 * binary search on the perplexity, early exaggeration for 250 iterations (momentum 0.5, then 0.8),
 * gains, automatic learning rate, PCA initialisation, and a Barnes-Hut quadtree for the repulsive
 * forces (or the exact O(n²) gradient with `method: 'exact'`). Progress is reported every 50
 * iterations with the KL divergence as `loss`.
 *
 * t-SNE has no out-of-sample mapping (nor does scikit-learn's): the fitted object holds the
 * `embedding` of the training rows, and `transform` accepts only that same data (checked by a
 * fingerprint of its input columns), throwing `E_UNSUPPORTED` for any other Dataset.
 *
 * @example
 * ```ts
 * import { TSNE } from 'tessera';
 * const fitted = await new TSNE({ perplexity: 30, seed: 0 }).fit(ds, { onProgress: (p) => console.log(p.step, p.loss) });
 * fitted.embedding;          // Float64Array, nrows x 2
 * fitted.transform(ds);      // Dataset with tsne0, tsne1 (+ id/target/time columns)
 * ```
 */
export class TSNE implements Transform<FittedTSNE> {
  readonly kind = 'transform' as const;
  readonly type = 'TSNE';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: TSNEOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
    if (this.params.method === 'barnes-hut' && this.params.nComponents !== 2) {
      throw new TesseraError('E_OPTION', `TSNE option "nComponents" must be 2 with the Barnes-Hut method (use method: 'exact' for 1 or 3)`, {
        option: 'nComponents',
      });
    }
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedTSNE> {
    checkAbort(options?.signal);
    const p = this.params;
    requireRows(ds, this.type, 2);
    const cols = resolveColumns(ds, p.columns, COLUMN_KINDS, this.type);
    if (cols.length === 0) throw new TesseraError('E_SCHEMA', 'TSNE found no feature columns; pass { columns: [...] }', { option: 'columns' });
    const { data: X, nrows: n, ncols: d } = numericMatrix(ds, cols, this.type);
    if (p.perplexity >= n) {
      throw new TesseraError('E_OPTION', `TSNE option "perplexity" (${p.perplexity}) must be less than the number of rows (${n})`, { option: 'perplexity' });
    }
    const dim = p.nComponents;
    // affinities
    const P = p.method === 'exact' ? exactAffinities(X, n, d, p.perplexity) : knnAffinities(X, n, d, p.perplexity);
    checkAbort(options?.signal);
    // initial embedding
    let Y: Float64Array;
    if (p.init === 'pca') {
      const pcaDs = Dataset.fromMatrix(X, n, d);
      const k = Math.min(dim, n, d);
      const pca = await new PCA({ nComponents: k }).fit(pcaDs);
      const s = pca.scores(pcaDs);
      Y = new Float64Array(n * dim);
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) Y[i * dim + c] = s[i * k + c] as number;
      let m = 0;
      for (let i = 0; i < n; i++) m += Y[i * dim] as number;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += ((Y[i * dim] as number) - m) ** 2;
      const sd = Math.sqrt(v / n);
      const scale = sd > 0 ? 1e-4 / sd : 1;
      for (let q = 0; q < Y.length; q++) Y[q] = (Y[q] as number) * scale;
    } else {
      const rng = new Rng(p.seed);
      Y = new Float64Array(n * dim);
      for (let q = 0; q < Y.length; q++) Y[q] = 1e-4 * rng.normal();
    }
    const lr = p.learningRate === 'auto' ? Math.max(n / p.earlyExaggeration / 4, 50) : p.learningRate;
    const grad = new Float64Array(n * dim);
    const update = new Float64Array(n * dim);
    const gains = new Float64Array(n * dim).fill(1);
    const tree = p.method === 'barnes-hut' ? new QuadTree(n) : undefined;
    const theta2 = p.angle * p.angle;
    let bestError = Number.POSITIVE_INFINITY;
    let bestIter = 0;
    let klDivergence = Number.NaN;
    let iterations = 0;
    let last = now();
    for (let it = 0; it < p.maxIter; it++) {
      const exploring = it < EXPLORATION_ITER;
      const exaggeration = exploring ? p.earlyExaggeration : 1;
      const momentum = exploring ? 0.5 : 0.8;
      const check = (it + 1) % 50 === 0 || it === p.maxIter - 1;
      const error = tree
        ? bhGradient(P, Y, n, exaggeration, tree, theta2, grad, check)
        : exactGradient(P.dense as Float64Array, Y, n, dim, exaggeration, grad, check);
      let gradNorm = 0;
      for (let q = 0; q < grad.length; q++) {
        const g = grad[q] as number;
        const u = update[q] as number;
        let gain = gains[q] as number;
        gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
        if (gain < 0.01) gain = 0.01;
        gains[q] = gain;
        const step = momentum * u - lr * g * gain;
        update[q] = step;
        Y[q] = (Y[q] as number) + step;
        gradNorm += g * g;
      }
      iterations = it + 1;
      if (check) {
        klDivergence = error;
        options?.onProgress?.({ stage: exploring ? 'early exaggeration' : 'iteration', step: it + 1, total: p.maxIter, loss: error });
        if (!exploring) {
          if (error < bestError) {
            bestError = error;
            bestIter = it;
          } else if (it - bestIter > p.nIterWithoutProgress) break;
          if (Math.sqrt(gradNorm) < p.minGradNorm) break;
        }
      }
      if (now() - last > 40) {
        await yieldToEventLoop(options?.signal);
        last = now();
      }
    }
    return new FittedTSNE(p, cols, Y, n, fingerprint(X), klDivergence, iterations);
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** A 52-bit fingerprint of a matrix's values (FNV-1a over the bytes, two lanes), to recognise the fitted data. */
function fingerprint(X: Float64Array): string {
  const bytes = new Uint8Array(X.buffer, X.byteOffset, X.byteLength);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ X.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    h1 = Math.imul(h1 ^ b, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ b ^ (i & 0xff), 0x5bd1e995) >>> 0;
  }
  return `${X.length}:${h1.toString(16)}:${h2.toString(16)}`;
}

interface State {
  columns: string[];
  embedding: string;
  nrows: number;
  fingerprint: string;
  klDivergence: number;
  iterations: number;
}

/**
 * A fitted {@link TSNE}: the `embedding` of the training rows (nrows x nComponents, row-major),
 * the final `klDivergence` and `iterations`. `transform` returns the embedding as columns for
 * the fitted data only (t-SNE has no out-of-sample mapping): another Dataset throws `E_UNSUPPORTED`.
 *
 * @example
 * ```ts
 * const fitted = await new TSNE().fit(ds);
 * const out = fitted.transform(ds); // tsne0, tsne1
 * ```
 */
export class FittedTSNE implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedTSNE';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** nrows x nComponents, row-major. */
  readonly embedding: Float64Array;
  /** KL divergence at the last check (every 50 iterations and at the end). */
  readonly klDivergence: number;
  /** Iterations run. */
  readonly iterations: number;
  private readonly nrows: number;
  private readonly print: string;

  constructor(params: Params, columns: readonly string[], embedding: Float64Array, nrows: number, print: string, klDivergence: number, iterations: number) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.embedding = embedding;
    this.nrows = nrows;
    this.print = print;
    this.klDivergence = klDivergence;
    this.iterations = iterations;
  }

  /** The output column names (`tsne0`, `tsne1`, ...). */
  get outputColumns(): string[] {
    return Array.from({ length: this.params.nComponents }, (_, c) => `${this.params.prefix}${c}`);
  }

  /** The embedding as columns, for the fitted data only (`E_UNSUPPORTED` otherwise). */
  transform(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, this.type);
    const { data } = numericMatrix(ds, this.inputColumns, this.type);
    if (ds.nrows !== this.nrows || fingerprint(data) !== this.print) {
      throw new TesseraError(
        'E_UNSUPPORTED',
        `TSNE has no out-of-sample transform: it embeds only the ${this.nrows} rows it was fitted on; fit it on the new data (or on old and new rows together)`,
        { rows: ds.nrows },
      );
    }
    const k = this.params.nComponents;
    const cols: Column[] = this.outputColumns.map((name, c) => {
      const v = new Float64Array(this.nrows);
      for (let i = 0; i < this.nrows; i++) v[i] = this.embedding[i * k + c] as number;
      return makeColumn(name, 'number', { values: v });
    });
    return withPassthrough(ds, cols, this.inputColumns);
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: {
        columns: [...this.inputColumns],
        embedding: encodeArray(this.embedding),
        nrows: this.nrows,
        fingerprint: this.print,
        klDivergence: this.klDivergence,
        iterations: this.iterations,
      },
    };
  }

  /** Restores from {@link FittedTSNE.toJSON} output. */
  static fromJSON(json: Serialized): FittedTSNE {
    const { params, state } = expectType<State, Params>(json, 'FittedTSNE');
    return new FittedTSNE(
      parseOptions(Options, params, 'TSNE'),
      state.columns,
      decodeFloat64(state.embedding),
      state.nrows,
      state.fingerprint,
      state.klDivergence,
      state.iterations,
    );
  }
}

registerLoader('FittedTSNE', 1, FittedTSNE.fromJSON);
