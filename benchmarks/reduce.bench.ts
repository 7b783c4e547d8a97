/**
 * Dimensionality-reduction benchmark: tessera vs its npm peers in this process, and scikit-learn
 * (one thread) measured by benchmarks/reference/cluster_bench.py right before each task.
 *
 *   npx tsx benchmarks/reduce.bench.ts             (add --no-python to skip scikit-learn)
 *
 * tsne-js is exact O(n²) per iteration and takes about 15 minutes on the 1,797 digits: it runs on
 * the first 300 digits for 200 iterations and the full time is extrapolated by (1797/300)² x 5.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PCA as MlPCA } from 'ml-pca';
import { Dataset, PCA, Rng, TSNE, trustworthiness } from '../src/index.js';
import { sklearn } from './cluster.bench.js';
import { median, peakRssMb, timeRuns, toRows } from './cluster-data.js';

const require = createRequire(import.meta.url);
const TsneJs = require('tsne-js') as new (o: object) => { init(o: object): void; run(): [number, number]; getOutput(): number[][] };

const fmt = (s: number): string => `${s.toFixed(3)} s`;
console.log(`# reduce benchmark, ${new Date().toISOString()}, Node ${process.version}`);

// PCA, 50,000 x 50 -> 10 components
{
  const py = sklearn('pca');
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
  const ours = await timeRuns(async () => (await new PCA({ nComponents: 10 }).fit(ds)).transform(ds), 7);
  const rows = toRows(X, n, d);
  const peer = await timeRuns(() => new MlPCA(rows).predict(rows, { nComponents: 10 }), 1, false);
  console.log('\n## PCA 50,000 x 50 -> 10 components (fit + transform)');
  console.log(`tessera PCA: median ${fmt(median(ours))} (runs ${ours.map((t) => t.toFixed(3)).join(', ')})`);
  console.log(`ml-pca:      ${fmt(median(peer))} (one run)  -> tessera is ${(median(peer) / median(ours)).toFixed(0)}x faster`);
  if (py) {
    const auto = py.pca_50k_50_to_10 as { median_s: number };
    const full = py.pca_50k_50_to_10_full as { median_s: number };
    console.log(`scikit-learn (auto = randomized): median ${fmt(auto.median_s)}  -> tessera / sklearn = ${(median(ours) / auto.median_s).toFixed(2)}`);
    console.log(`scikit-learn (full SVD):          median ${fmt(full.median_s)}  -> tessera / sklearn = ${(median(ours) / full.median_s).toFixed(2)}`);
  }
  console.log(`peak RSS so far: ${peakRssMb()} MB`);
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
  let tw = 0;
  const ours: number[] = [];
  const pyRuns: number[] = [];
  let pyTw = Number.NaN;
  for (let r = 0; r < 3; r++) {
    const py = sklearn('tsne1')?.tsne_digits as { median_s: number; trustworthiness_k5_median: number } | undefined;
    if (py) {
      pyRuns.push(py.median_s);
      pyTw = py.trustworthiness_k5_median;
    }
    const t = performance.now();
    const f = await new TSNE({ seed: r }).fit(ds);
    ours.push((performance.now() - t) / 1000);
    tw = trustworthiness(X, d, f.embedding, 2, 5);
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
  console.log(
    `tessera TSNE: median ${fmt(median(ours))} (runs ${ours.map((t) => t.toFixed(2)).join(', ')}); trustworthiness(k=5) of the last run ${tw.toFixed(4)}`,
  );
  console.log(
    `tsne-js: ${fmt(median(peer))} on 300 rows x 200 iterations, extrapolated to ${fmt(extrapolated)}  -> tessera is ${(extrapolated / median(ours)).toFixed(0)}x faster`,
  );
  if (pyRuns.length) {
    console.log(
      `scikit-learn: median ${fmt(median(pyRuns))} (runs ${pyRuns.map((t) => t.toFixed(2)).join(', ')}); trustworthiness(k=5) ${pyTw.toFixed(4)}  -> tessera / sklearn = ${(median(ours) / median(pyRuns)).toFixed(2)}`,
    );
  }
  console.log(`peak RSS so far: ${peakRssMb()} MB`);
}
