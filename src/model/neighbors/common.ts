import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { bruteKnn, KdTree } from './kd-tree.js';

/**
 * Options shared by the k-nearest-neighbour models.
 *
 * @example
 * ```ts
 * KnnOptions.parse({ k: 5 });
 * ```
 */
export const KnnOptions = z
  .object({
    /** Feature columns; default: every column without a non-feature role, except the target. */
    columns: z.array(z.string()).optional(),
    /** Number of neighbours (scikit-learn's `n_neighbors`). Default 5. */
    k: z.number().int().min(1).max(100_000).default(5),
    /** `uniform` (default) or `distance` (weight 1/d; exact matches take all the weight). */
    weights: z.enum(['uniform', 'distance']).default('uniform'),
    /** `euclidean` (default) or `manhattan`. */
    metric: z.enum(['euclidean', 'manhattan']).default('euclidean'),
    /** `auto` (k-d tree up to 15 columns, brute force above), `kdTree` or `brute`. */
    algorithm: z.enum(['auto', 'kdTree', 'brute']).default('auto'),
    /** Rows per k-d tree leaf. Default 30 (scikit-learn's `leaf_size`). */
    leafSize: z.number().int().min(1).max(10_000).default(30),
  })
  .strict();

/** Validated neighbour options. @example `const p: KnnParams = KnnOptions.parse({});` */
export type KnnParams = z.output<typeof KnnOptions>;

/**
 * Finds the neighbours of each query row among the training rows: returns row-major `m x k`
 * indices and weights (uniform, or 1/distance with exact matches taking all the weight, as
 * scikit-learn does).
 *
 * @example
 * ```ts
 * const { index, weight, k } = neighbours(Xtrain, n, p, Xquery, m, params, 'KNeighborsClassifier');
 * ```
 */
export function neighbours(
  X: Float64Array,
  n: number,
  p: number,
  Q: Float64Array,
  m: number,
  params: KnnParams,
  owner: string,
  tree?: KdTree,
): { index: Int32Array; weight: Float64Array; k: number } {
  const k = params.k;
  if (k > n) throw new TesseraError('E_OPTION', `${owner} option "k": ${k} neighbours but only ${n} training rows`, { option: 'k' });
  const man = params.metric === 'manhattan';
  const useTree = params.algorithm === 'kdTree' || (params.algorithm === 'auto' && p <= 15);
  const t = useTree ? (tree ?? new KdTree(X, n, p, params.leafSize, man)) : undefined;
  const index = new Int32Array(m * k);
  const weight = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    const r = t ? t.query(Q, k, i * p) : bruteKnn(X, n, p, Q, i * p, k, man);
    index.set(r.index, i * k);
    if (params.weights === 'uniform') weight.fill(1, i * k, (i + 1) * k);
    else {
      let exact = false;
      for (let j = 0; j < k; j++) if (r.dist[j] === 0) exact = true;
      for (let j = 0; j < k; j++) weight[i * k + j] = exact ? (r.dist[j] === 0 ? 1 : 0) : 1 / (r.dist[j] as number);
    }
  }
  return { index, weight, k };
}

/**
 * Refuses `k` larger than the number of training rows (`E_OPTION`).
 *
 * @example
 * ```ts
 * checkK(5, ds.nrows, 'KNeighborsRegressor');
 * ```
 */
export function checkK(k: number, n: number, owner: string): void {
  if (k > n) throw new TesseraError('E_OPTION', `${owner} option "k": ${k} neighbours but only ${n} training rows`, { option: 'k' });
}
