import { z } from 'zod';
import { checkAbort, yieldToEventLoop } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { Rng } from '../../core/random.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import { type CellValue, type Column, cellValue } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireColumns, requireRows } from '../../dataset/features.js';
import { jaroWinkler, levenshteinSimilarity, tokenSetSimilarity } from './similarity.js';

const Method = z.enum(['exact', 'jaroWinkler', 'levenshtein', 'tokenSet', 'fuzzy', 'numeric']);
const Comparison = z
  .object({
    column: z.string(),
    /** Similarity used for the column (`fuzzy` = the better of Levenshtein and token-set: robust to typos and to reordered words). Default: fuzzy for text, exact for category and boolean (a few values: agreeing on one says little, and a similarity would call "male" and "female" close), numeric for numbers and dates. */
    method: Method.optional(),
    /** Similarity thresholds (descending) defining the levels below "exact"; for `numeric`, absolute differences in standard deviations of the column (ascending; default 0.05, 0.25). */
    thresholds: z.array(z.number()).max(5).optional(),
  })
  .strict();
const BlockKey = z.enum(['exact', 'lower', 'prefix3', 'tokens']);
const Options = z
  .object({
    /** Columns compared for each candidate pair; default: every column. */
    comparisons: z.array(Comparison).min(1).optional(),
    /** Blocking rules: pairs are candidates when they share a key under any rule. Each rule lists `column` or `column:key` (key: exact, lower, prefix3, tokens). Default: `tokens` and `prefix3` on each text column (`tokens` on category columns when there is no text column) and the exact value of each number, integer and datetime column. */
    blocking: z.array(z.array(z.string()).min(1)).min(1).optional(),
    /** A table with at most this many rows has every pair compared instead of blocked (300 rows: 44,850 pairs), so that a typo in a short name cannot hide a duplicate. 0 turns it off. Default 300. */
    allPairsBelow: z.number().int().min(0).max(5000).default(300),
    /** Blocks larger than this are skipped (their key is too common to be informative, e.g. a title such as "Mr"). Default 50. */
    maxBlockSize: z.number().int().min(2).max(100_000).default(50),
    /** Match probability at or above which a pair is a duplicate. Default 0.9. */
    threshold: z.number().gt(0).lt(1).default(0.9),
    /** EM iterations (Fellegi-Sunter m and match share; u from random pairs). Default 40. */
    maxIterations: z.number().int().min(1).max(1000).default(40),
    /** Re-estimate u by EM among the candidate pairs (their non-matches are similar-looking, unlike random pairs), shrunk towards the random-pair estimate. Default true. */
    estimateU: z.boolean().default(true),
    /** Keep each comparison's m (level frequencies among matches) non-increasing from "exact" to "disagree" during EM. Default true. */
    monotone: z.boolean().default(true),
    /** Random pairs drawn to estimate u (non-match) probabilities. Default 20000. */
    uSamples: z.number().int().min(100).max(1_000_000).default(20_000),
    /** How a cluster becomes one row: `first` row, `mostComplete` row (fewest missing), or `coalesce` (first non-missing value per column). Default `mostComplete`. */
    merge: z.enum(['first', 'mostComplete', 'coalesce']).default('mostComplete'),
    seed: z.number().int().default(0),
  })
  .strict();

/** Options of {@link FuzzyDedup}. @example `const o: FuzzyDedupOptions = { comparisons: [{ column: 'name', method: 'jaroWinkler' }], blocking: [['name:tokens']] };` */
export type FuzzyDedupOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;
const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true, stochastic: true };

interface Cmp {
  column: string;
  method: z.output<typeof Method>;
  thresholds: number[];
  /** For `numeric`: the column's standard deviation (differences are measured in it). */
  scale?: number;
}

const MAX_COMPARE = 1000;

/** Number of agreement levels of a comparison: exact, one per threshold, else. @internal */
function levels(c: Cmp): number {
  return c.thresholds.length + 2;
}

function str(v: CellValue): string | null {
  if (v === null) return null;
  return v instanceof Date ? v.toISOString() : String(v);
}

/** The agreement level of two cells (0 = exact ... levels-1 = disagree), or -1 when one is missing. */
function level(c: Cmp, a: CellValue, b: CellValue): number {
  if (a === null || b === null) return -1;
  if (c.method === 'numeric') {
    const x = a instanceof Date ? a.getTime() : Number(a);
    const y = b instanceof Date ? b.getTime() : Number(b);
    if (x === y) return 0;
    const rel = Math.abs(x - y) / (c.scale && c.scale > 0 ? c.scale : Math.max(Math.abs(x), Math.abs(y), 1e-12));
    for (let k = 0; k < c.thresholds.length; k++) if (rel <= (c.thresholds[k] as number)) return k + 1;
    return c.thresholds.length + 1;
  }
  const s = str(a) as string;
  const t = str(b) as string;
  if (s === t) return 0;
  if (c.method === 'exact') return c.thresholds.length + 1;
  // Similarities are quadratic in the worst case: compare at most the first 1000 characters.
  const sl = s.slice(0, MAX_COMPARE).toLowerCase();
  const tl = t.slice(0, MAX_COMPARE).toLowerCase();
  const sim =
    c.method === 'jaroWinkler'
      ? jaroWinkler(sl, tl)
      : c.method === 'levenshtein'
        ? levenshteinSimilarity(sl, tl)
        : c.method === 'tokenSet'
          ? tokenSetSimilarity(sl, tl)
          : Math.max(levenshteinSimilarity(sl, tl), tokenSetSimilarity(sl, tl));
  for (let k = 0; k < c.thresholds.length; k++) if (sim >= (c.thresholds[k] as number)) return k + 1;
  return c.thresholds.length + 1;
}

function blockKeys(v: CellValue, key: z.output<typeof BlockKey>): string[] {
  const s = str(v);
  if (s === null) return [];
  switch (key) {
    case 'exact':
      return [s];
    case 'lower':
      return [s.trim().toLowerCase()];
    case 'prefix3':
      return [s.trim().toLowerCase().slice(0, 3)];
    case 'tokens':
      return [
        ...new Set(
          s
            .toLowerCase()
            .split(/[^\p{L}\p{N}]+/u)
            .filter((t) => t.length >= 3),
        ),
      ];
  }
}

/**
 * A candidate pair with its comparison levels, match weight (log2 Bayes factor plus prior) and
 * match probability.
 *
 * @example
 * ```ts
 * const p: ScoredPair = fitted.pairs(ds)[0]; // { a: 3, b: 17, probability: 0.998, weight: 9.1, levels: [0, 1, -1] }
 * ```
 */
export interface ScoredPair {
  a: number;
  b: number;
  levels: number[];
  weight: number;
  probability: number;
}

/**
 * A cluster of duplicate rows: its rows (ascending), the row the merge policy keeps (or builds
 * from, for `coalesce`), and the matching pairs inside it.
 *
 * @example
 * ```ts
 * fitted.clusters(ds).filter((c) => c.rows.length > 1);
 * ```
 */
export interface DuplicateCluster {
  rows: number[];
  representative: number;
  pairs: ScoredPair[];
}

interface State {
  comparisons: Cmp[];
  blocking: string[][];
  lambda: number;
  m: number[][];
  u: number[][];
  iterations: number;
}

function resolveComparisons(ds: Dataset, p: Params): Cmp[] {
  const list: Array<z.output<typeof Comparison>> = p.comparisons ?? ds.columnNames.map((column) => ({ column }));
  return list.map((c) => {
    const col = ds.column(c.column);
    const method = c.method ?? (col.kind === 'text' ? 'fuzzy' : col.kind === 'category' || col.kind === 'boolean' ? 'exact' : 'numeric');
    const thresholds =
      c.thresholds ??
      (method === 'numeric'
        ? [0.01, 0.1]
        : method === 'exact'
          ? []
          : method === 'jaroWinkler'
            ? [0.92, 0.8]
            : method === 'tokenSet' || method === 'fuzzy'
              ? [0.9, 0.8]
              : [0.8, 0.6]);
    const out: Cmp = { column: c.column, method, thresholds: [...thresholds] };
    if (method === 'numeric') {
      const v = ds.matrix([c.column]).filter((x) => !Number.isNaN(x));
      let mean = 0;
      for (const x of v) mean += x / v.length;
      let ss = 0;
      for (const x of v) ss += (x - mean) ** 2;
      const sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
      if (sd > 0 && Number.isFinite(sd)) out.scale = sd;
    }
    return out;
  });
}

/** The columns and keys of blocking rules; throws `E_OPTION` on an unknown key, `E_COLUMN` on an unknown column. */
function blockingParts(ds: Dataset, blocking: readonly string[][]): Array<Array<{ col: Column; key: z.output<typeof BlockKey> }>> {
  return blocking.map((rule) =>
    rule.map((r) => {
      const [column, key = 'exact'] = r.split(':') as [string, string];
      const k = BlockKey.safeParse(key);
      if (!k.success)
        throw new TesseraError('E_OPTION', `FuzzyDedup blocking key "${key}" (in "${r}") is not one of exact, lower, prefix3, tokens`, { option: 'blocking' });
      return { col: ds.column(column), key: k.data };
    }),
  );
}

function candidatePairs(ds: Dataset, blocking: readonly string[][], maxBlock: number, allPairsBelow: number): Array<[number, number]> {
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  const n = ds.nrows;
  const rules = blockingParts(ds, blocking);
  if (n <= allPairsBelow) {
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out.push([a, b]);
    return out;
  }
  for (const parts of rules) {
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      let keys: string[] = [''];
      for (const part of parts) {
        const ks = blockKeys(cellValue(part.col, i), part.key);
        const next: string[] = [];
        for (const a of keys) for (const b of ks) next.push(`${a}\u0000${b}`);
        keys = next;
      }
      for (const k of keys) {
        let b = blocks.get(k);
        if (!b) {
          b = [];
          blocks.set(k, b);
        }
        b.push(i);
      }
    }
    for (const rows of blocks.values()) {
      if (rows.length < 2 || rows.length > maxBlock) continue;
      for (let x = 0; x < rows.length; x++) {
        for (let y = x + 1; y < rows.length; y++) {
          const a = rows[x] as number;
          const b = rows[y] as number;
          const key = a * n + b;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push([a, b]);
        }
      }
    }
  }
  return out;
}

/**
 * Keeps the candidate pairs that are similar on at least one fuzzy text comparison (a level other
 * than "disagree" and "missing"): sharing a blocking token alone (a family name, a city) does not
 * make a candidate. A pair whose name is mangled beyond the similarity levels is kept too when its
 * other fields agree exactly on values so rare together that chance would give that agreement to
 * fewer than one in 1000 tables' worth of pairs (the sum of -log2 u(exact) over those fields
 * reaches log2(n(n-1)/2) + 10, with `u` the level frequencies among random pairs; the margin
 * covers fields that agree together, such as scores on one scale). Without fuzzy text
 * comparisons every pair is kept.
 */
function similarPairs(
  cols: Column[],
  cmps: Cmp[],
  pairs: Array<[number, number]>,
  u: readonly number[][],
  n: number,
): { pairs: Array<[number, number]>; g: Int8Array } {
  const g = comparePairs(cols, cmps, pairs);
  const k = cmps.length;
  const fuzzy = cmps.map((c, j) => (c.method === 'exact' || c.method === 'numeric' ? -1 : j)).filter((j) => j >= 0);
  if (fuzzy.length === 0) return { pairs, g };
  const others = cmps.map((_, j) => j).filter((j) => !fuzzy.includes(j));
  const bar = Math.log2(Math.max(2, (n * (n - 1)) / 2)) + 10;
  const keep: number[] = [];
  for (let q = 0; q < pairs.length; q++) {
    const similar = fuzzy.some((j) => {
      const l = g[q * k + j] as number;
      return l >= 0 && l <= (cmps[j] as Cmp).thresholds.length;
    });
    let bits = 0;
    if (!similar) for (const j of others) if (g[q * k + j] === 0) bits -= Math.log2(((u[j] as number[])[0] as number) || 1);
    if (similar || bits >= bar) keep.push(q);
  }
  const g2 = new Int8Array(keep.length * k);
  keep.forEach((q, r) => g2.set(g.subarray(q * k, q * k + k), r * k));
  return { pairs: keep.map((q) => pairs[q] as [number, number]), g: g2 };
}

/** Least-squares non-increasing fit of `row` in place (pool-adjacent-violators, equal weights); keeps its sum. */
function nonIncreasing(row: number[]): void {
  const sums: number[] = [];
  const counts: number[] = [];
  for (const x of row) {
    sums.push(x);
    counts.push(1);
    let b = sums.length - 1;
    while (b > 0 && (sums[b - 1] as number) / (counts[b - 1] as number) < (sums[b] as number) / (counts[b] as number)) {
      sums[b - 1] = (sums[b - 1] as number) + (sums.pop() as number);
      counts[b - 1] = (counts[b - 1] as number) + (counts.pop() as number);
      b--;
    }
  }
  let i = 0;
  sums.forEach((sum, b) => {
    for (let r = 0; r < (counts[b] as number); r++) row[i++] = sum / (counts[b] as number);
  });
}

function comparePairs(cols: Column[], cmps: Cmp[], pairs: ReadonlyArray<[number, number]>): Int8Array {
  const k = cmps.length;
  const g = new Int8Array(pairs.length * k);
  pairs.forEach(([a, b], p) => {
    for (let j = 0; j < k; j++) g[p * k + j] = level(cmps[j] as Cmp, cellValue(cols[j] as Column, a), cellValue(cols[j] as Column, b));
  });
  return g;
}

/**
 * Fuzzy deduplication by probabilistic record linkage, as Splink does: candidate pairs come from
 * blocking rules, kept when at least one fuzzy text comparison finds them similar; each pair is
 * compared column by column (Jaro-Winkler, Levenshtein, token-set,
 * exact, or numeric difference in standard deviations) into agreement levels; Fellegi-Sunter weights are
 * estimated without labels — u (level frequencies among non-matches) from random pairs, m (among
 * matches) and the match share by expectation-maximisation over the candidate pairs. Pairs whose
 * match probability reaches `threshold` are linked; connected rows form clusters, which the merge
 * policy turns into one row each. A missing cell is neutral (weight 0). Defaults, for a table given
 * as is: text columns compared with `fuzzy`, category and boolean columns `exact`, numbers
 * `numeric`; blocking on the tokens and first three letters of each text column and on the exact
 * value of each numeric column (every pair when the table has at most `allPairsBelow` rows); m
 * kept non-increasing from "exact" to "disagree" (`monotone`), so that a family of similar but
 * distinct records (one car model over several years) does not become EM's match class.
 *
 * @example
 * ```ts
 * import { Dataset, FuzzyDedup } from 'tessera';
 * const fitted = await new FuzzyDedup({
 *   comparisons: [{ column: 'name', method: 'jaroWinkler' }, { column: 'city', method: 'exact' }, { column: 'age', method: 'numeric' }],
 *   blocking: [['name:tokens'], ['city']],
 * }).fit(people);
 * fitted.clusters(people).filter((c) => c.rows.length > 1); // groups of duplicates with scores
 * fitted.transform(people);                                 // one row per cluster
 * ```
 */
export class FuzzyDedup implements Transform<FittedFuzzyDedup> {
  readonly kind = 'transform' as const;
  readonly type = 'FuzzyDedup';
  readonly tags = TAGS;
  readonly params: Params;
  constructor(options: FuzzyDedupOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedFuzzyDedup> {
    checkAbort(options?.signal);
    requireRows(ds, this.type, 2);
    const p = this.params;
    const cmps = resolveComparisons(ds, p);
    const compared = ds.schema.fields.filter((f) => cmps.some((c) => c.column === f.name));
    const text = compared.filter((f) => f.kind === 'text');
    // a copy whose name lost its tokens and first letters to typos still shares the exact value
    // of a high-cardinality field (a weight, a gross); low-cardinality fields make blocks over
    // maxBlockSize, which are skipped
    const exactKeys = compared.filter((f) => f.kind === 'number' || f.kind === 'integer' || f.kind === 'datetime').map((f) => [f.name]);
    const named =
      text.length > 0
        ? text.flatMap((f) => [[`${f.name}:tokens`], [`${f.name}:prefix3`]])
        : compared.filter((f) => f.kind === 'category').map((f) => [`${f.name}:tokens`]);
    const blocking = p.blocking ?? [...named, ...exactKeys];
    if (blocking.length === 0)
      throw new TesseraError('E_OPTION', 'FuzzyDedup needs blocking rules (no text column to block on by default)', { option: 'blocking' });
    const cols = cmps.map((c) => ds.column(c.column));
    const k = cmps.length;
    // u: level frequencies among random pairs (almost all non-matches).
    const rng = new Rng(p.seed);
    const u = cmps.map((c) => new Array<number>(levels(c)).fill(1));
    const n = ds.nrows;
    for (let s = 0; s < p.uSamples; s++) {
      const a = Math.floor(rng.next() * n);
      let b = Math.floor(rng.next() * (n - 1));
      if (b >= a) b++;
      for (let j = 0; j < k; j++) {
        const l = level(cmps[j] as Cmp, cellValue(cols[j] as Column, a), cellValue(cols[j] as Column, b));
        if (l >= 0) (u[j] as number[])[l] = ((u[j] as number[])[l] as number) + 1;
      }
      if (s % 5000 === 4999) await yieldToEventLoop(options?.signal);
    }
    for (const row of u) {
      const t = row.reduce((x, y) => x + y, 0);
      for (let l = 0; l < row.length; l++) row[l] = (row[l] as number) / t;
    }
    const uRandom = u.map((row) => [...row]);
    const { pairs, g } = similarPairs(cols, cmps, candidatePairs(ds, blocking, p.maxBlockSize, p.allPairsBelow), uRandom, n);
    // m: start from "matches mostly agree", then EM.
    const m = cmps.map((c) => {
      const L = levels(c);
      return Array.from({ length: L }, (_, l) => (l === 0 ? 0.9 : l === L - 1 ? 0.01 : 0.09 / (L - 2)));
    });
    let lambda = Math.min(0.5, Math.max(1e-6, (n * 0.01) / Math.max(1, pairs.length)));
    let it = 0;
    const post = new Float64Array(pairs.length);
    for (; it < p.maxIterations; it++) {
      checkAbort(options?.signal);
      let sumP = 0;
      const mNew = cmps.map((c) => new Array<number>(levels(c)).fill(1e-3));
      const uNew = cmps.map((c) => new Array<number>(levels(c)).fill(1e-3));
      for (let q = 0; q < pairs.length; q++) {
        let lm = Math.log(lambda);
        let lu = Math.log(1 - lambda);
        for (let j = 0; j < k; j++) {
          const l = g[q * k + j] as number;
          if (l < 0) continue;
          lm += Math.log((m[j] as number[])[l] as number);
          lu += Math.log((u[j] as number[])[l] as number);
        }
        const pm = 1 / (1 + Math.exp(lu - lm));
        post[q] = pm;
        sumP += pm;
        for (let j = 0; j < k; j++) {
          const l = g[q * k + j] as number;
          if (l < 0) continue;
          (mNew[j] as number[])[l] = ((mNew[j] as number[])[l] as number) + pm;
          (uNew[j] as number[])[l] = ((uNew[j] as number[])[l] as number) + 1 - pm;
        }
      }
      const newLambda = Math.min(0.99, Math.max(1e-9, sumP / Math.max(1, pairs.length)));
      if (p.estimateU) {
        // u among the candidate pairs' non-matches, shrunk towards the random-pair estimate.
        uNew.forEach((row, j) => {
          const t = row.reduce((x, y) => x + y, 0);
          const prior = u[j] as number[];
          const w = t / (t + 100);
          row.forEach((v, l) => {
            prior[l] = w * (v / t) + (1 - w) * ((uRandom[j] as number[])[l] as number);
          });
        });
      }
      let change = Math.abs(newLambda - lambda);
      mNew.forEach((row, j) => {
        const t = row.reduce((x, y) => x + y, 0);
        for (let l = 0; l < row.length; l++) row[l] = (row[l] as number) / t;
        // matches are at least as likely to agree closely as loosely: m is kept non-increasing
        // from "exact" to "disagree" (pool-adjacent-violators), so that a family of similar but
        // distinct records (one car model over several years) cannot teach EM that matches
        // often disagree on a field
        if (p.monotone) nonIncreasing(row);
        row.forEach((nv, l) => {
          change = Math.max(change, Math.abs(nv - ((m[j] as number[])[l] as number)));
          (m[j] as number[])[l] = nv;
        });
      });
      lambda = newLambda;
      options?.onProgress?.({ stage: 'em', step: it + 1, total: p.maxIterations });
      if (change < 1e-6) break;
      await yieldToEventLoop(options?.signal);
    }
    return new FittedFuzzyDedup(p, { comparisons: cmps, blocking, lambda, m, u, iterations: it + 1 });
  }
}

/**
 * A fitted {@link FuzzyDedup}: the Fellegi-Sunter parameters (`lambda` = match share among
 * candidate pairs, `m` and `u` per comparison level) and what to compare.
 *
 * @example
 * ```ts
 * fitted.pairs(ds).filter((p) => p.probability > 0.9);
 * fitted.clusters(ds);
 * fitted.transform(ds);
 * ```
 */
export class FittedFuzzyDedup implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedFuzzyDedup';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  readonly state: State;

  constructor(params: Params, state: State) {
    this.params = params;
    this.state = state;
    const cols = new Set(state.comparisons.map((c) => c.column));
    for (const rule of state.blocking) for (const r of rule) cols.add(r.split(':')[0] as string);
    this.inputColumns = Object.freeze([...cols]);
  }

  /** Match weight of each level: log2(m / u). */
  get weights(): number[][] {
    return this.state.m.map((row, j) => row.map((mv, l) => Math.log2(mv / ((this.state.u[j] as number[])[l] as number))));
  }

  /** Scores every candidate pair (from the blocking rules). */
  pairs(ds: Dataset): ScoredPair[] {
    requireColumns(ds, this.inputColumns, 'FuzzyDedup');
    const { comparisons: cmps, lambda } = this.state;
    const cols = cmps.map((c) => ds.column(c.column));
    const { pairs, g } = similarPairs(
      cols,
      cmps,
      candidatePairs(ds, this.state.blocking, this.params.maxBlockSize, this.params.allPairsBelow),
      this.state.u,
      ds.nrows,
    );
    const w = this.weights;
    const prior = Math.log2(lambda / (1 - lambda));
    const k = cmps.length;
    return pairs.map(([a, b], q) => {
      let weight = prior;
      const lv: number[] = [];
      for (let j = 0; j < k; j++) {
        const l = g[q * k + j] as number;
        lv.push(l);
        if (l >= 0) weight += (w[j] as number[])[l] as number;
      }
      return { a, b, levels: lv, weight, probability: 1 / (1 + 2 ** -weight) };
    });
  }

  /** Clusters of rows linked by pairs at or above the threshold (singletons included). */
  clusters(ds: Dataset): DuplicateCluster[] {
    const scored = this.pairs(ds).filter((p) => p.probability >= this.params.threshold);
    const parent = Int32Array.from({ length: ds.nrows }, (_, i) => i);
    const find = (x: number): number => {
      let r = x;
      while (parent[r] !== r) r = parent[r] as number;
      let y = x;
      while (parent[y] !== r) {
        const nx = parent[y] as number;
        parent[y] = r;
        y = nx;
      }
      return r;
    };
    for (const p of scored) {
      const ra = find(p.a);
      const rb = find(p.b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
    const groups = new Map<number, DuplicateCluster>();
    for (let i = 0; i < ds.nrows; i++) {
      const r = find(i);
      let c = groups.get(r);
      if (!c) {
        c = { rows: [], representative: i, pairs: [] };
        groups.set(r, c);
      }
      c.rows.push(i);
    }
    for (const p of scored) groups.get(find(p.a))?.pairs.push(p);
    const missing = (i: number): number => ds.columns().reduce((s, col) => s + (cellValue(col, i) === null ? 1 : 0), 0);
    for (const c of groups.values()) {
      if (this.params.merge === 'mostComplete' && c.rows.length > 1) {
        let best = c.rows[0] as number;
        let bestMissing = missing(best);
        for (const i of c.rows) {
          const mi = missing(i);
          if (mi < bestMissing) {
            best = i;
            bestMissing = mi;
          }
        }
        c.representative = best;
      }
    }
    return [...groups.values()];
  }

  /** One row per cluster, by the merge policy, in the order of each cluster's first row. */
  transform(ds: Dataset): Dataset {
    const clusters = this.clusters(ds);
    if (this.params.merge !== 'coalesce') return ds.take(clusters.map((c) => c.representative));
    const base = ds.take(clusters.map((c) => c.rows[0] as number));
    let out = base;
    for (const col of ds.columns()) {
      const values = clusters.map((c) => {
        for (const i of c.rows) {
          const v = cellValue(col, i);
          if (v !== null) return v;
        }
        return null;
      });
      out = out.withColumn(col.name, values, col.kind);
    }
    return out;
  }

  toJSON(): Serialized<Params, State> {
    return { type: this.type, version: 1, params: this.params, state: JSON.parse(JSON.stringify(this.state)) as State };
  }

  /** Restores from {@link FittedFuzzyDedup.toJSON} output. */
  static fromJSON(json: Serialized): FittedFuzzyDedup {
    const { params, state } = expectType<State, Params>(json, 'FittedFuzzyDedup');
    if (!Array.isArray(state?.comparisons) || !Array.isArray(state.m) || !Array.isArray(state.u))
      throw new TesseraError('E_SERIALIZATION', 'FittedFuzzyDedup: bad state');
    return new FittedFuzzyDedup(parseOptions(Options, params, 'FuzzyDedup'), state);
  }
}

registerLoader('FittedFuzzyDedup', 1, FittedFuzzyDedup.fromJSON);
