/**
 * Dimensionality-reduction benchmark: tessera vs its npm peers in this process, and scikit-learn
 * (one thread) in a child process (benchmarks/reference/reduce_bench.py), interleaved round by
 * round (tessera, npm peer, scikit-learn, repeat) so that all see the same machine load. Wall and
 * CPU seconds are reported (CPU time is far less disturbed by a shared, loaded machine); a full GC
 * runs before each tessera round so the peer's garbage is not collected inside tessera's timings.
 *
 *   npx tsx benchmarks/reduce.bench.ts             (add --no-python to skip scikit-learn,
 *                                                   --rounds=N for N rounds, default 3)
 *
 * tsne-js is exact O(n²) per iteration and takes about 15 minutes on the 1,797 digits: it runs on
 * the first 300 digits for 200 iterations and the full time is extrapolated by (1797/300)² x 5.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PCA as MlPCA } from 'ml-pca';
import { Dataset, PCA, Rng, TSNE, trustworthiness } from '../src/index.js';
import { median, peakRssMb, timeRuns, toRows } from './cluster-data.js';

const require = createRequire(import.meta.url);
const TsneJs = require('tsne-js') as new (o: object) => { init(o: object): void; run(): [number, number]; getOutput(): number[][] };

interface PyTiming {
  median_s: number;
  runs: number[];
  cpu: number[];
  trustworthiness_k5?: number[];
}

/** scikit-learn's figures for one task, from a child process (undefined with --no-python or on failure). */
function sklearn(task: 'pca' | 'tsne', runs: number): Record<string, PyTiming> | undefined {
  if (process.argv.includes('--no-python')) return undefined;
  const r = spawnSync('/usr/bin/python3', ['benchmarks/reference/reduce_bench.py', task, String(runs)], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) {
    console.error(`scikit-learn reference failed: ${r.stderr}`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

/** A full garbage collection (V8's `gc`, exposed at run time), so one contender's garbage is not collected in another's timings. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
const ROUNDS = roundsArg ? Number(roundsArg.slice('--rounds='.length)) : 3;
const fmt = (s: number): string => `${s.toFixed(3)} s`;
const list = (v: number[], digits = 3): string => v.map((t) => t.toFixed(digits)).join(', ');
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`# reduce benchmark, ${new Date().toISOString()}, Node ${process.version}, load average ${load()}, ${ROUNDS} rounds`);

// PCA, 50,000 x 50 -> 10 components
{
  const n = 50_000;
  const d = 50;
  const rng = new Rng(1);
  const Z = new Float64Array(n * d);
  for (let q = 0; q < Z.length; q++) Z[q] = rng.normal();
  const M = new Float64Array(d * d);
  for (let q = 0; q < M.length; q++) M[q] = rng.normal();
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let l = 0; l < d; l++) s += (Z[i * d + l] as number) * (M[l * d + j] as number);
      X[i * d + j] = s;
    }
  const ds = Dataset.fromMatrix(X, n, d);
  const rows = toRows(X, n, d);
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const peer: number[] = [];
  const auto: number[] = [];
  const full: number[] = [];
  const autoCpu: number[] = [];
  const fullCpu: number[] = [];
  const roundRatios: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    collectGarbage(); // the previous round's ml-pca garbage is not tessera's to collect
    if (r === 0) (await new PCA({ nComponents: 10 }).fit(ds)).transform(ds); // warm-up
    const t: number[] = [];
    for (let q = 0; q < 5; q++) {
      const w0 = performance.now();
      const c0 = process.cpuUsage();
      (await new PCA({ nComponents: 10 }).fit(ds)).transform(ds);
      const c = process.cpuUsage(c0);
      t.push((performance.now() - w0) / 1000);
      oursCpu.push((c.user + c.system) / 1e6);
    }
    ours.push(...t);
    peer.push(...(await timeRuns(() => new MlPCA(rows).predict(rows, { nComponents: 10 }), 1, false)));
    const py = sklearn('pca', 5);
    if (py) {
      auto.push(...(py.pca_auto as PyTiming).runs);
      full.push(...(py.pca_full as PyTiming).runs);
      autoCpu.push(...(py.pca_auto as PyTiming).cpu);
      fullCpu.push(...(py.pca_full as PyTiming).cpu);
      roundRatios.push(`${(median(t) / (py.pca_auto as PyTiming).median_s).toFixed(2)}/${(median(t) / (py.pca_full as PyTiming).median_s).toFixed(2)}`);
    }
  }
  console.log('\n## PCA 50,000 x 50 -> 10 components (fit + transform)');
  console.log(`tessera PCA: median ${fmt(median(ours))} of ${ours.length} runs (${list(ours)})`);
  console.log(
    `ml-pca:      median ${fmt(median(peer))} of ${peer.length} runs (${list(peer)})  -> tessera is ${(median(peer) / median(ours)).toFixed(0)}x faster`,
  );
  if (auto.length) {
    console.log(
      `scikit-learn (auto = randomized): median ${fmt(median(auto))} of ${auto.length}  -> tessera / sklearn = ${(median(ours) / median(auto)).toFixed(2)}`,
    );
    console.log(
      `scikit-learn (full SVD):          median ${fmt(median(full))} of ${full.length}  -> tessera / sklearn = ${(median(ours) / median(full)).toFixed(2)}`,
    );
    console.log(`per-round ratios (auto/full): ${roundRatios.join(', ')}`);
    console.log(
      `CPU seconds per run: tessera median ${fmt(median(oursCpu))} (${list(oursCpu)}), scikit-learn auto median ${fmt(median(autoCpu))}, full ${fmt(median(fullCpu))}  -> CPU ratio ${(median(oursCpu) / median(autoCpu)).toFixed(2)}/${(median(oursCpu) / median(fullCpu)).toFixed(2)}`,
    );
  }
  console.log(`load average ${load()}; peak RSS so far: ${peakRssMb()} MB`);
}

// t-SNE, digits 8x8 (1,797 x 64), 1,000 iterations
{
  const text = readFileSync(new URL('../../shared/data/tabular/digits-8x8/data.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  const d = (text[0] as string).split(',').length - 1;
  const n = text.length - 1;
  const X = new Float64Array(n * d);
  text.slice(1).forEach((l, i) => {
    l.split(',')
      .slice(0, d)
      .forEach((v, j) => {
        X[i * d + j] = Number(v);
      });
  });
  const ds = Dataset.fromMatrix(X, n, d);
  // alternate scikit-learn and tessera runs so that both see the same machine load
  const tws: number[] = [];
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const pyRuns: number[] = [];
  const pyCpu: number[] = [];
  const pyTws: number[] = [];
  const paired: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const py = sklearn('tsne', 1)?.tsne;
    collectGarbage();
    const t = performance.now();
    const c0 = process.cpuUsage();
    const f = await new TSNE({ seed: r }).fit(ds);
    const dt = (performance.now() - t) / 1000;
    const c = process.cpuUsage(c0);
    ours.push(dt);
    oursCpu.push((c.user + c.system) / 1e6);
    tws.push(trustworthiness(X, d, f.embedding, 2, 5));
    if (py) {
      pyRuns.push(py.median_s);
      pyCpu.push(...py.cpu);
      pyTws.push(...(py.trustworthiness_k5 ?? []));
      paired.push((dt / py.median_s).toFixed(2));
    }
  }
  const sub = toRows(X, 300, d);
  const peer = await timeRuns(
    () => {
      const m = new TsneJs({ dim: 2, perplexity: 30, earlyExaggeration: 4, learningRate: 100, nIter: 200, metric: 'euclidean' });
      m.init({ data: sub, type: 'dense' });
      m.run();
    },
    1,
    false,
  );
  const extrapolated = median(peer) * (n / 300) ** 2 * 5;
  console.log('\n## t-SNE digits-8x8 1,797 x 64, 1,000 iterations (Barnes-Hut, perplexity 30)');
  console.log(`tessera TSNE: median ${fmt(median(ours))} (runs ${list(ours, 2)}); trustworthiness(k=5) ${list(tws, 4)}`);
  console.log(
    `tsne-js: ${fmt(median(peer))} on 300 rows x 200 iterations, extrapolated to ${fmt(extrapolated)}  -> tessera is ${(extrapolated / median(ours)).toFixed(0)}x faster`,
  );
  if (pyRuns.length) {
    console.log(
      `scikit-learn: median ${fmt(median(pyRuns))} (runs ${list(pyRuns, 2)}); trustworthiness(k=5) ${list(pyTws, 4)}  -> tessera / sklearn = ${(median(ours) / median(pyRuns)).toFixed(2)} (paired ${paired.join(', ')})`,
    );
  }
  if (pyCpu.length) {
    console.log(`CPU seconds: tessera ${list(oursCpu, 2)}, scikit-learn ${list(pyCpu, 2)}  -> CPU ratio ${(median(oursCpu) / median(pyCpu)).toFixed(2)}`);
  }
  console.log(`load average ${load()}; peak RSS: ${peakRssMb()} MB`);
}
