/**
 * Test helpers that read the shared real data sets (Node only: import from *.node.test.ts files).
 * `readCsv` reads a shared set with the project's own `readCSV` (empty field = missing, numbers
 * where every present value is numeric).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Dataset, readCSV } from '../../src/index.js';

export const DATA_DIR = new URL('../../../shared/data/tabular/', import.meta.url);
export const HAS_DATA = existsSync(DATA_DIR);

export interface Reference {
  sklearn: string;
  sets: Record<string, SetReference>;
  tsne_digits400: { rows: number; trustworthiness_k5: { barnes_hut: number[]; exact: number[] } };
}

export interface SetReference {
  columns: string[];
  nrows: number;
  k: number;
  kmeans: Record<string, { inertia: number; labels: number[]; inertia_seeds: number[]; inertia_median: number; single_runs: number[] }>;
  metrics: { silhouette: number; davies_bouldin: number; calinski_harabasz: number; ari_vs_label: number; nmi_vs_label: number; label: string[] };
  dbscan: { eps: number; min_samples: number; labels: number[]; core: number[] };
  agglomerative: Record<string, { labels: number[]; children: [number, number][]; distances: number[] }>;
  agglomerative_threshold: { linkage: string; threshold: number; n_clusters: number; labels: number[] };
  pca: { components: number[][]; explained_variance: number[]; explained_variance_ratio: number[]; mean: number[]; scores_head: number[][] };
  pca_whiten2: { scores_head: number[][] };
  trustworthiness_pca2_k5: number;
}

export function reference(): Reference {
  return JSON.parse(readFileSync(new URL('../../benchmarks/reference/cluster.json', import.meta.url), 'utf8')) as Reference;
}

/** The digits-8x8 pixels (first `rows` rows) as a dense matrix. */
export function digits(rows?: number): { X: Float64Array; n: number; d: number } {
  const ds = readCsv('digits-8x8');
  const cols = ds.columnNames.filter((c) => c !== 'target');
  const n = Math.min(rows ?? ds.nrows, ds.nrows);
  return { X: ds.slice(0, n).matrix(cols), n, d: cols.length };
}

export function readCsv(name: string): Dataset {
  return readCSV(readFileSync(new URL(`${name}/data.csv`, DATA_DIR), 'utf8'));
}

/** The set's reference columns, rows with a missing value dropped, standardised (population sd), as the Python script does. */
export function scaledSet(name: string, columns: readonly string[]): { ds: Dataset; X: Float64Array; n: number; d: number } {
  const raw = readCsv(name);
  const keep = raw.filter((row) => columns.every((c) => row[c] !== null));
  const n = keep.nrows;
  const d = columns.length;
  const X = keep.matrix(columns);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i * d + j] as number;
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += ((X[i * d + j] as number) - m) ** 2;
    const sd = Math.sqrt(s / n) || 1;
    for (let i = 0; i < n; i++) X[i * d + j] = ((X[i * d + j] as number) - m) / sd;
  }
  return { ds: Dataset.fromMatrix(X, n, d, columns), X, n, d };
}
