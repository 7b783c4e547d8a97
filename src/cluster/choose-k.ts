import { TesseraError } from '../core/errors.js';
import type { FitOptions } from '../core/protocol.js';
import { Rng } from '../core/random.js';
import type { Dataset } from '../dataset/dataset.js';
import { fitMatrix } from './common.js';
import { runKMeans } from './kmeans-core.js';
import { silhouetteScore } from './metrics.js';

/**
 * Options of {@link chooseK}.
 *
 * @example
 * ```ts
 * const o: ChooseKOptions = { kMin: 2, kMax: 8, nInit: 10, seed: 0 };
 * ```
 */
export interface ChooseKOptions extends FitOptions {
  /** Smallest k tried. Default 2. */
  kMin?: number;
  /** Largest k tried. Default 10 (capped at rows - 1). */
  kMax?: number;
  /** k-means restarts per k. Default 10. */
  nInit?: number;
  /** Seed. Default 0. */
  seed?: number;
  /** Which criterion picks `k`: `silhouette` (default, the highest) or `elbow` (the knee of the inertia curve). */
  method?: 'silhouette' | 'elbow';
  /** Rows sampled for the silhouette when there are more. Default 5000. */
  sampleSize?: number;
  /** Feature columns; default every column without an id/target/time role. */
  columns?: readonly string[];
}

/**
 * One k tried by {@link chooseK}.
 *
 * @example
 * ```ts
 * const s: ChooseKScore = { k: 3, inertia: 139.8, silhouette: 0.46 };
 * ```
 */
export interface ChooseKScore {
  k: number;
  inertia: number;
  silhouette: number;
}

/**
 * What {@link chooseK} found: the chosen `k`, the choice of each criterion and the scores per k.
 *
 * @example
 * ```ts
 * const r: ChooseKResult = await chooseK(ds);
 * r.scores.map((s) => [s.k, s.silhouette]);
 * ```
 */
export interface ChooseKResult {
  k: number;
  method: 'silhouette' | 'elbow';
  bySilhouette: number;
  byElbow: number;
  scores: ChooseKScore[];
}

/**
 * Runs k-means for each k in [kMin, kMax] and scores it by inertia (elbow) and mean silhouette
 * (sampled above `sampleSize` rows). The elbow is the k whose normalised inertia lies farthest
 * below the straight line from the first to the last k (the "kneedle" rule).
 *
 * @example
 * ```ts
 * import { chooseK, KMeans } from 'tessera';
 * const { k, scores } = await chooseK(scaled, { kMax: 8 });
 * const model = await new KMeans({ k, nInit: 10 }).fit(scaled);
 * ```
 */
export async function chooseK(ds: Dataset, options: ChooseKOptions = {}): Promise<ChooseKResult> {
  const m = fitMatrix(ds, options.columns, 'chooseK', 3);
  const kMin = options.kMin ?? 2;
  const kMax = Math.min(options.kMax ?? 10, m.nrows - 1);
  if (!Number.isInteger(kMin) || kMin < 2) throw new TesseraError('E_OPTION', `chooseK option "kMin" must be an integer >= 2, got ${kMin}`, { option: 'kMin' });
  if (!Number.isInteger(kMax) || kMax < kMin) {
    throw new TesseraError('E_OPTION', `chooseK option "kMax" (${options.kMax ?? 10}, at most rows - 1 = ${m.nrows - 1}) must be >= kMin (${kMin})`, {
      option: 'kMax',
    });
  }
  const rng = new Rng(options.seed ?? 0);
  const scores: ChooseKScore[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const run = await runKMeans(m.data, m.nrows, m.ncols, k, { rng, nInit: options.nInit ?? 10 });
    const silhouette = silhouetteScore(m, run.labels, { sampleSize: options.sampleSize ?? 5000, seed: options.seed ?? 0 });
    scores.push({ k, inertia: run.inertia, silhouette });
    options.onProgress?.({ stage: 'k', step: k - kMin + 1, total: kMax - kMin + 1, loss: run.inertia });
  }
  let bySilhouette = kMin;
  let best = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (s.silhouette > best) {
      best = s.silhouette;
      bySilhouette = s.k;
    }
  }
  const byElbow = elbow(scores);
  const method = options.method ?? 'silhouette';
  return { k: method === 'elbow' ? byElbow : bySilhouette, method, bySilhouette, byElbow, scores };
}

function elbow(scores: readonly ChooseKScore[]): number {
  const first = scores[0] as ChooseKScore;
  const last = scores[scores.length - 1] as ChooseKScore;
  if (scores.length < 3 || first.inertia === last.inertia) return first.k;
  let bestK = first.k;
  let bestGap = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    const x = (s.k - first.k) / (last.k - first.k);
    const y = (s.inertia - last.inertia) / (first.inertia - last.inertia);
    const gap = 1 - x - y; // distance below the line from (0, 1) to (1, 0)
    if (gap > bestGap) {
      bestGap = gap;
      bestK = s.k;
    }
  }
  return bestK;
}
