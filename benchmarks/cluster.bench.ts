/**
 * Clustering benchmark: tessera vs its npm peers in this process, and scikit-learn (one thread)
 * measured by benchmarks/reference/cluster_bench.py right before each task (same machine load).
 *
 *   npx tsx benchmarks/cluster.bench.ts            (add --no-python to skip scikit-learn)
 *
 * Reports medians of several runs (wall seconds, after one warm-up) and ratios.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { adjustedRandIndex, DBSCAN, KMeans } from '../src/index.js';
import { blobs, median, peakRssMb, timeRuns, toDataset, toRows } from './cluster-data.js';

const require = createRequire(import.meta.url);
const densityClustering = require('density-clustering') as { DBSCAN: new () => { run(data: number[][], eps: number, minPts: number): number[][] } };

export function sklearn(task: string): Record<string, { median_s: number; runs: number[] }> | undefined {
  if (process.argv.includes('--no-python')) return undefined;
  const r = spawnSync('/usr/bin/python3', ['benchmarks/reference/cluster_bench.py', task], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) {
    console.error(`scikit-learn reference failed: ${r.stderr}`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

const fmt = (s: number): string => `${s.toFixed(3)} s`;
const lines: string[] = [];
const log = (s: string): void => {
  lines.push(s);
  console.log(s);
};

const main = process.argv[1]?.endsWith('cluster.bench.ts') ?? false;
if (main) log(`# cluster benchmark, ${new Date().toISOString()}, Node ${process.version}`);

// KMeans, 100,000 x 10, k = 8
if (main) {
  const py = sklearn('kmeans')?.kmeans_100k_10_k8;
  const n = 100_000;
  const d = 10;
  const { X, labels: truth } = blobs(n, d, 8, 0);
  const ds = toDataset(X, n, d);
  let labels: Int32Array = new Int32Array(0);
  const ours = await timeRuns(async () => {
    labels = (await new KMeans({ k: 8, nInit: 1, seed: 0 }).fit(ds)).labels;
  }, 7);
  const rows = toRows(X, n, d);
  const peer = await timeRuns(() => mlKmeans(rows, 8, { initialization: 'kmeans++', seed: 0 }), 3, false);
  log('\n## KMeans 100,000 x 10, k = 8 (k-means++, one init)');
  log(
    `tessera KMeans: median ${fmt(median(ours))} (runs ${ours.map((t) => t.toFixed(3)).join(', ')}); ARI vs generating blobs ${adjustedRandIndex(truth, labels).toFixed(3)}`,
  );
  log(`ml-kmeans:      median ${fmt(median(peer))}  -> tessera is ${(median(peer) / median(ours)).toFixed(1)}x faster`);
  if (py) log(`scikit-learn:   median ${fmt(py.median_s)} (one thread, same load)  -> tessera / sklearn = ${(median(ours) / py.median_s).toFixed(2)}`);
  log(`peak RSS so far: ${peakRssMb()} MB`);

  // harder data: uniform in [-1, 1]^10 (no cluster structure: many Lloyd iterations, as the issue's
  // 0.08 s scikit-learn reference suggests). Same settings on all sides: k-means++, one init,
  // maxIter 300 (ml-kmeans: maxIterations 300; its tolerance is absolute, default 1e-6).
  const pu = sklearn('kmeans')?.kmeans_100k_10_k8_uniform as { median_s: number; n_iter?: number } | undefined;
  const U = new Float64Array(n * d);
  let s = 1;
  for (let i = 0; i < U.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    U[i] = (s / 4294967296) * 2 - 1;
  }
  const dsU = toDataset(U, n, d);
  let iters = 0;
  const oursU = await timeRuns(async () => {
    iters = (await new KMeans({ k: 8, nInit: 1, seed: 0 }).fit(dsU)).iterations;
  }, 7);
  const rowsU = toRows(U, n, d);
  const peerU = await timeRuns(() => mlKmeans(rowsU, 8, { initialization: 'kmeans++', seed: 0, maxIterations: 300 }), 3, false);
  log('\n## KMeans 100,000 x 10, k = 8, uniform [-1, 1]^10 (k-means++, one init, maxIter 300)');
  log(`tessera KMeans: median ${fmt(median(oursU))} (runs ${oursU.map((t) => t.toFixed(3)).join(', ')}); ${iters} iterations`);
  log(`ml-kmeans:      median ${fmt(median(peerU))}  -> tessera is ${(median(peerU) / median(oursU)).toFixed(1)}x faster`);
  if (pu)
    log(`scikit-learn:   median ${fmt(pu.median_s)} (${pu.n_iter} iterations, one thread)  -> tessera / sklearn = ${(median(oursU) / pu.median_s).toFixed(2)}`);
  log(`peak RSS so far: ${peakRssMb()} MB`);
}

// DBSCAN, 20,000 2-D points
if (main) {
  const py = sklearn('dbscan')?.dbscan_20k_2d;
  const n = 20_000;
  const { X } = blobs(n, 2, 6, 2);
  const ds = toDataset(X, n, 2);
  let ncl = 0;
  const ours = await timeRuns(async () => {
    ncl = (await new DBSCAN({ eps: 0.3, minSamples: 10 }).fit(ds)).nClusters;
  }, 7);
  const rows = toRows(X, n, 2);
  const peer = await timeRuns(() => new densityClustering.DBSCAN().run(rows, 0.3, 10), 1, false);
  log('\n## DBSCAN 20,000 x 2 (eps 0.3, minSamples 10, 6 blobs)');
  log(`tessera DBSCAN:     median ${fmt(median(ours))} (runs ${ours.map((t) => t.toFixed(3)).join(', ')}); ${ncl} clusters`);
  log(`density-clustering: ${fmt(median(peer))} (one run)  -> tessera is ${(median(peer) / median(ours)).toFixed(0)}x faster`);
  if (py) log(`scikit-learn:       median ${fmt(py.median_s)} (same load)  -> tessera / sklearn = ${(median(ours) / py.median_s).toFixed(2)}`);
  log(`peak RSS so far: ${peakRssMb()} MB`);
}
