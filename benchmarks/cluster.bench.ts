/**
 * Clustering benchmark: tessera vs its npm peers in this process, and scikit-learn (one thread)
 * measured by benchmarks/reference/cluster_bench.py right before each task (same machine load).
 *
 *   npx tsx benchmarks/cluster.bench.ts            (add --no-python to skip scikit-learn,
 *                                                   --rounds=N for N KMeans rounds (default 5),
 *                                                   --kmeans-only to skip DBSCAN)
 *
 * Reports medians of several runs (wall seconds, after one warm-up) and ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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

// KMeans, 100,000 x 10, k = 8, on two data sets: Gaussian blobs (converges in a few iterations, so
// the k-means++ seeding dominates) and uniform [-1, 1]^10 (no cluster structure: ~100 Lloyd
// iterations). Rounds interleave tessera, ml-kmeans and a scikit-learn child process that reads
// the very same numbers from a temporary file; round r uses seed r everywhere, so that the
// iteration counts (which depend on the seeding) are sampled alike. Same settings on all sides:
// k-means++ (tessera and scikit-learn: greedy, 2 + ln k candidates), one init, maxIter 300,
// tol 1e-4 relative (ml-kmeans: its own absolute tolerance 1e-6, maxIterations 300).
if (main) {
  const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5);
  const n = 100_000;
  const d = 10;
  const { X, labels: truth } = blobs(n, d, 8, 0);
  const U = new Float64Array(n * d);
  let s = 1;
  for (let i = 0; i < U.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    U[i] = (s / 4294967296) * 2 - 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tessera-kmeans-'));
  const files = { blobs: join(dir, 'blobs.f64'), uniform: join(dir, 'uniform.f64') };
  writeFileSync(files.blobs, new Uint8Array(X.buffer));
  writeFileSync(files.uniform, new Uint8Array(U.buffer));
  const tasks = [
    { name: 'blobs', title: 'KMeans 100,000 x 10, k = 8, blobs', ds: toDataset(X, n, d), rows: toRows(X, n, d), file: files.blobs, runs: 3 },
    { name: 'uniform', title: 'KMeans 100,000 x 10, k = 8, uniform [-1, 1]^10', ds: toDataset(U, n, d), rows: toRows(U, n, d), file: files.uniform, runs: 1 },
  ];
  type Acc = {
    ours: number[];
    oursCpu: number[];
    oursCpuPerIt: number[];
    pyCpuPerIt: number[];
    peer: number[];
    py: number[];
    pyCpu: number[];
    itOurs: number[];
    itPy: number[];
    inertia: number[];
    paired: number[];
  };
  const acc = new Map<string, Acc>(
    tasks.map((t) => [
      t.name,
      { ours: [], oursCpu: [], oursCpuPerIt: [], pyCpuPerIt: [], peer: [], py: [], pyCpu: [], itOurs: [], itPy: [], inertia: [], paired: [] },
    ]),
  );
  const loads: number[] = [];
  let ari = 0;
  for (const t of tasks) await new KMeans({ k: 8, seed: 99 }).fit(t.ds); // warm-up (JIT)
  for (let r = 0; r < rounds; r++) {
    loads.push(loadavg()[0] as number);
    const py = process.argv.includes('--no-python')
      ? undefined
      : (() => {
          const out = spawnSync(
            '/usr/bin/python3',
            ['benchmarks/reference/cluster_bench.py', 'kmeans_files', `${n}`, `${d}`, `${r}`, '3', files.blobs, files.uniform],
            {
              encoding: 'utf8',
              timeout: 600_000,
            },
          );
          if (out.status !== 0) console.error(`scikit-learn reference failed: ${out.stderr}`);
          return out.status === 0
            ? (JSON.parse(out.stdout.trim().split('\n').at(-1) as string) as Record<string, { runs: number[]; cpu: number[]; n_iter: number }>)
            : undefined;
        })();
    for (const t of tasks) {
      const a = acc.get(t.name) as Acc;
      const mine: number[] = [];
      for (let run = 0; run < t.runs; run++) {
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        const f = await new KMeans({ k: 8, nInit: 1, seed: r }).fit(t.ds);
        mine.push((performance.now() - w0) / 1000);
        const c1 = process.cpuUsage(c0);
        a.oursCpu.push((c1.user + c1.system) / 1e6);
        a.oursCpuPerIt.push((c1.user + c1.system) / 1e6 / f.iterations);
        a.itOurs.push(f.iterations);
        a.inertia.push(f.inertia);
        if (t.name === 'blobs') ari = adjustedRandIndex(truth, f.labels);
      }
      a.ours.push(...mine);
      a.peer.push(...(await timeRuns(() => mlKmeans(t.rows, 8, { initialization: 'kmeans++', seed: r, maxIterations: 300 }), 1, false)));
      const p = py?.[`${t.name}.f64`];
      if (p) {
        a.py.push(...p.runs);
        a.pyCpu.push(...p.cpu);
        a.itPy.push(p.n_iter);
        a.paired.push(median(mine) / median(p.runs));
        for (const c of p.cpu) a.pyCpuPerIt.push(c / p.n_iter);
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const list = (v: number[]): string => v.map((x) => x.toFixed(3)).join(', ');
  for (const t of tasks) {
    const a = acc.get(t.name) as Acc;
    log(`\n## ${t.title} (k-means++, one init, maxIter 300; ${rounds} interleaved rounds, seed = round)`);
    log(
      `tessera KMeans: median ${fmt(median(a.ours))} (runs ${list(a.ours)}; CPU ${fmt(median(a.oursCpu))}); iterations ${a.itOurs.join(', ')}${t.name === 'blobs' ? `; ARI vs generating blobs ${ari.toFixed(3)}` : ''}`,
    );
    log(`ml-kmeans:      median ${fmt(median(a.peer))} (runs ${list(a.peer)})  -> tessera is ${(median(a.peer) / median(a.ours)).toFixed(1)}x faster`);
    if (a.py.length > 0)
      log(
        `scikit-learn:   median ${fmt(median(a.py))} (runs ${list(a.py)}; CPU ${fmt(median(a.pyCpu))}); iterations ${a.itPy.join(', ')}  -> tessera / sklearn = ${(median(a.ours) / median(a.py)).toFixed(2)} (CPU ${(median(a.oursCpu) / median(a.pyCpu)).toFixed(2)}; per round ${a.paired.map((x) => x.toFixed(2)).join(', ')})`,
      );
  }
  const u = acc.get('uniform') as Acc;
  if (u.pyCpuPerIt.length > 0)
    log(
      `\nuniform, CPU per Lloyd iteration (seeding included; the iteration counts differ with the seeds): tessera ${(1000 * median(u.oursCpuPerIt)).toFixed(2)} ms, scikit-learn ${(1000 * median(u.pyCpuPerIt)).toFixed(2)} ms -> ${(median(u.oursCpuPerIt) / median(u.pyCpuPerIt)).toFixed(2)}`,
    );
  log(`load average (1 min) at each round: ${loads.map((x) => x.toFixed(1)).join(', ')}; peak RSS so far: ${peakRssMb()} MB`);
}

// DBSCAN, 20,000 2-D points
if (main && !process.argv.includes('--kmeans-only')) {
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
