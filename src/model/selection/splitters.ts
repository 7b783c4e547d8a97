import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { Rng } from '../../core/random.js';
import { cellValue } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import type { ClassLabel } from '../target.js';

/**
 * One fold of a cross-validation split: row indices for training and for testing.
 *
 * @example
 * ```ts
 * for (const { train, test } of new KFold({ nSplits: 5 }).split(100)) ds.take(train);
 * ```
 */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * A cross-validation splitter: yields folds over `n` rows (classes `y` for stratified splitters).
 *
 * @example
 * ```ts
 * const cv: Splitter = new StratifiedKFold({ nSplits: 3 });
 * [...cv.split(ds.nrows, labels)];
 * ```
 */
export interface Splitter {
  readonly nSplits: number;
  split(n: number, y?: ArrayLike<ClassLabel>): Generator<Fold>;
}

function range(a: number, b: number): Int32Array {
  const out = new Int32Array(Math.max(0, b - a));
  for (let i = 0; i < out.length; i++) out[i] = a + i;
  return out;
}

function complement(n: number, test: Int32Array): Int32Array {
  const mark = new Uint8Array(n);
  for (const i of test) mark[i] = 1;
  const out = new Int32Array(n - test.length);
  let w = 0;
  for (let i = 0; i < n; i++) if (!mark[i]) out[w++] = i;
  return out;
}

function checkN(n: number, nSplits: number, owner: string): void {
  if (!Number.isInteger(n) || n < 0) throw new TesseraError('E_OPTION', `${owner}.split: n must be a non-negative integer, got ${n}`, { option: 'n' });
  if (n < nSplits) throw new TesseraError('E_EMPTY', `${owner}: cannot make ${nSplits} folds from ${n} rows`, { option: 'nSplits', rows: n });
}

const KFoldOptions = z
  .object({
    /** Number of folds, at least 2. Default 5. */
    nSplits: z.number().int().min(2).max(100_000).default(5),
    /** Shuffle rows before splitting. Default false (consecutive blocks, as scikit-learn). */
    shuffle: z.boolean().default(false),
    /** Seed for the shuffle. Default 0. */
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link KFold} and {@link StratifiedKFold}. @example `const o: KFoldOptions = { nSplits: 10, shuffle: true, seed: 1 };` */
export type KFoldOptions = z.input<typeof KFoldOptions>;

/**
 * K-fold cross-validation, as scikit-learn's `KFold`: `nSplits` consecutive test blocks, the first
 * `n % nSplits` one row larger (the same folds as scikit-learn without shuffling).
 *
 * @example
 * ```ts
 * import { KFold } from 'tessera';
 * for (const { train, test } of new KFold({ nSplits: 3 }).split(10)) console.log(test); // [0..3], [4..6], [7..9]
 * ```
 */
export class KFold implements Splitter {
  readonly nSplits: number;
  readonly params: z.output<typeof KFoldOptions>;
  constructor(options: KFoldOptions = {}) {
    this.params = parseOptions(KFoldOptions, options, 'KFold');
    this.nSplits = this.params.nSplits;
  }
  *split(n: number): Generator<Fold> {
    checkN(n, this.nSplits, 'KFold');
    const order = this.params.shuffle ? new Rng(this.params.seed).permutation(n) : range(0, n);
    const k = this.nSplits;
    let start = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      const test = order.slice(start, start + size).sort();
      start += size;
      yield { train: complement(n, test), test };
    }
  }
}

/**
 * Stratified k-fold, scikit-learn's `StratifiedKFold` algorithm: each class's rows are dealt to the
 * folds so that every fold keeps the class proportions (the same folds as scikit-learn without
 * shuffling). Needs the labels.
 *
 * @example
 * ```ts
 * import { StratifiedKFold } from 'tessera';
 * const folds = [...new StratifiedKFold({ nSplits: 3 }).split(6, ['a', 'a', 'a', 'b', 'b', 'b'])];
 * ```
 */
export class StratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly params: z.output<typeof KFoldOptions>;
  constructor(options: KFoldOptions = {}) {
    this.params = parseOptions(KFoldOptions, options, 'StratifiedKFold');
    this.nSplits = this.params.nSplits;
  }
  *split(n: number, y?: ArrayLike<ClassLabel>): Generator<Fold> {
    if (!y) throw new TesseraError('E_OPTION', 'StratifiedKFold.split needs the class labels', { option: 'y' });
    if (y.length !== n) throw new TesseraError('E_SHAPE', `StratifiedKFold.split: ${y.length} labels for ${n} rows`, { option: 'y' });
    checkN(n, this.nSplits, 'StratifiedKFold');
    const k = this.nSplits;
    // classes numbered by first appearance (scikit-learn's encoding)
    const index = new Map<ClassLabel, number>();
    const enc = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = y[i] as ClassLabel;
      let c = index.get(v);
      if (c === undefined) {
        c = index.size;
        index.set(v, c);
      }
      enc[i] = c;
    }
    const nc = index.size;
    const counts = new Int32Array(nc);
    for (const c of enc) counts[c] = (counts[c] as number) + 1;
    let minCount = n;
    for (const c of counts) minCount = Math.min(minCount, c);
    if (counts.every((c) => c < k)) {
      throw new TesseraError('E_EMPTY', `StratifiedKFold: nSplits ${k} is larger than every class's count`, { option: 'nSplits' });
    }
    const yOrder = Int32Array.from(enc).sort();
    // allocation[f][c] = count of class c in yOrder[f::k]
    const alloc = Array.from({ length: k }, () => new Int32Array(nc));
    for (let i = 0; i < n; i++) {
      const a = alloc[i % k] as Int32Array;
      a[yOrder[i] as number] = (a[yOrder[i] as number] as number) + 1;
    }
    const rng = new Rng(this.params.seed);
    const testFold = new Int32Array(n);
    for (let c = 0; c < nc; c++) {
      const folds: number[] = [];
      for (let f = 0; f < k; f++) for (let t = 0; t < ((alloc[f] as Int32Array)[c] as number); t++) folds.push(f);
      if (this.params.shuffle) rng.shuffle(folds);
      let w = 0;
      for (let i = 0; i < n; i++) if (enc[i] === c) testFold[i] = folds[w++] as number;
    }
    for (let f = 0; f < k; f++) {
      const test: number[] = [];
      for (let i = 0; i < n; i++) if (testFold[i] === f) test.push(i);
      const t = Int32Array.from(test);
      yield { train: complement(n, t), test: t };
    }
  }
}

const TsOptions = z
  .object({
    /** Number of splits. Default 5. */
    nSplits: z.number().int().min(2).max(100_000).default(5),
    /** Rows per test block; default `floor(n / (nSplits + 1))`. */
    testSize: z.number().int().min(1).optional(),
    /** Rows left out between the end of training and the test block. Default 0. */
    gap: z.number().int().min(0).default(0),
    /** Keep at most this many of the latest training rows. */
    maxTrainSize: z.number().int().min(1).optional(),
  })
  .strict();

/** Options of {@link TimeSeriesSplit}. @example `const o: TimeSeriesSplitOptions = { nSplits: 4, gap: 2 };` */
export type TimeSeriesSplitOptions = z.input<typeof TsOptions>;

/**
 * Forward-chaining splits for ordered data, as scikit-learn's `TimeSeriesSplit`: each test block
 * follows its training rows (which grow, or slide with `maxTrainSize`), with an optional `gap`.
 * Rows must already be in time order.
 *
 * @example
 * ```ts
 * import { TimeSeriesSplit } from 'tessera';
 * for (const { train, test } of new TimeSeriesSplit({ nSplits: 3 }).split(10)) console.log(train.length, test);
 * ```
 */
export class TimeSeriesSplit implements Splitter {
  readonly nSplits: number;
  readonly params: z.output<typeof TsOptions>;
  constructor(options: TimeSeriesSplitOptions = {}) {
    this.params = parseOptions(TsOptions, options, 'TimeSeriesSplit');
    this.nSplits = this.params.nSplits;
  }
  *split(n: number): Generator<Fold> {
    const { nSplits, gap, maxTrainSize } = this.params;
    const folds = nSplits + 1;
    const testSize = this.params.testSize ?? Math.floor(n / folds);
    if (n - gap - testSize * nSplits <= 0 || testSize < 1) {
      throw new TesseraError('E_EMPTY', `TimeSeriesSplit: ${n} rows are too few for ${nSplits} splits of ${testSize} test rows with gap ${gap}`, {
        option: 'nSplits',
        rows: n,
      });
    }
    for (let start = n - nSplits * testSize; start < n; start += testSize) {
      const trainEnd = start - gap;
      const trainStart = maxTrainSize !== undefined && maxTrainSize < trainEnd ? trainEnd - maxTrainSize : 0;
      yield { train: range(trainStart, trainEnd), test: range(start, start + testSize) };
    }
  }
}

const SplitOptions = z
  .object({
    /** Share (0..1) or number of rows for the test set. Default 0.25. */
    testSize: z.number().positive().default(0.25),
    /** Seed for the shuffle. Default 0. */
    seed: z.number().int().default(0),
    /** Shuffle before splitting. Default true; false takes the last rows as the test set. */
    shuffle: z.boolean().default(true),
    /** Column whose class proportions both sets keep. */
    stratify: z.string().optional(),
  })
  .strict();

/** Options of {@link trainTestSplit}. @example `const o: TrainTestSplitOptions = { testSize: 0.2, stratify: 'churn', seed: 1 };` */
export type TrainTestSplitOptions = z.input<typeof SplitOptions>;

/**
 * Splits a Dataset into a training and a test Dataset, seeded, optionally stratified by a column
 * (each class split in proportion; rounding by largest remainder). Sizes follow scikit-learn:
 * `nTest = ceil(testSize · n)` for a fraction. Rows keep their order within each part.
 *
 * @example
 * ```ts
 * import { Dataset, trainTestSplit } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 5, 6, 7, 8], y: [0, 1, 0, 1, 0, 1, 0, 1] });
 * const { train, test } = trainTestSplit(ds, { testSize: 0.25, stratify: 'y', seed: 1 });
 * test.nrows; // 2
 * ```
 */
export function trainTestSplit(
  ds: Dataset,
  options: TrainTestSplitOptions = {},
): { train: Dataset; test: Dataset; trainIndex: Int32Array; testIndex: Int32Array } {
  const o = parseOptions(SplitOptions, options, 'trainTestSplit');
  const n = ds.nrows;
  const nTest = o.testSize < 1 ? Math.ceil(o.testSize * n) : Math.floor(o.testSize);
  if (o.testSize >= 1 && !Number.isInteger(o.testSize))
    throw new TesseraError('E_OPTION', 'trainTestSplit option "testSize": a count must be an integer', { option: 'testSize' });
  if (nTest < 1 || nTest >= n) {
    throw new TesseraError('E_EMPTY', `trainTestSplit: ${n} rows cannot give ${nTest} test rows and at least one training row`, {
      option: 'testSize',
      rows: n,
    });
  }
  const rng = new Rng(o.seed);
  const isTest = new Uint8Array(n);
  if (o.stratify !== undefined) {
    if (!o.shuffle) throw new TesseraError('E_OPTION', 'trainTestSplit: stratify needs shuffle: true', { option: 'shuffle' });
    const col = ds.column(o.stratify);
    const groups = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const v = cellValue(col, i);
      const key = v === null ? '\u0000null' : v instanceof Date ? String(v.getTime()) : `${typeof v}:${String(v)}`;
      let g = groups.get(key);
      if (!g) {
        g = [];
        groups.set(key, g);
      }
      g.push(i);
    }
    const list = [...groups.values()];
    const exact = list.map((g) => (g.length * nTest) / n);
    const take = exact.map(Math.floor);
    let rest = nTest - take.reduce((a, b) => a + b, 0);
    const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, k] of order) {
      if (rest <= 0) break;
      take[k] = (take[k] as number) + 1;
      rest--;
    }
    list.forEach((g, k) => {
      const picks = rng.sample(g.length, take[k] as number);
      for (const p of picks) isTest[g[p] as number] = 1;
    });
  } else if (o.shuffle) {
    for (const i of rng.sample(n, nTest)) isTest[i] = 1;
  } else for (let i = n - nTest; i < n; i++) isTest[i] = 1;
  const tr: number[] = [];
  const te: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? te : tr).push(i);
  const trainIndex = Int32Array.from(tr);
  const testIndex = Int32Array.from(te);
  return { train: ds.take(trainIndex), test: ds.take(testIndex), trainIndex, testIndex };
}
