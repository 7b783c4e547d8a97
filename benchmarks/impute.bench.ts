/**
 * Imputation benchmark: a 10,000 x 10 correlated numeric table (3 factors + noise) with 20% of the
 * cells missing completely at random. Times tessera's SimpleImputer, KNNImputer and
 * IterativeImputer (fit + transform, medians of several runs), then scikit-learn's on the SAME
 * table (benchmarks/reference/impute.py, Debian's python3-sklearn, run right after in a
 * subprocess), and reports ratios, accuracy (NRMSE on the hidden cells) and peak RSS.
 *
 *   npx tsx benchmarks/impute.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Dataset, IterativeImputer, KNNImputer, SimpleImputer } from '../src/index.js';
import { correlatedTable } from './impute/synthetic.js';

const N = 10_000;
const P = 10;
const { full, holed } = correlatedTable(N, P, 0.2, 0);
const ds = Dataset.fromMatrix(holed, N, P);

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

function nrmse(out: Dataset): number {
  const X = out.matrix();
  let total = 0;
  for (let j = 0; j < P; j++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += (full[i * P + j] as number) / N;
    let v = 0;
    for (let i = 0; i < N; i++) v += ((full[i * P + j] as number) - m) ** 2 / N;
    let se = 0;
    let c = 0;
    for (let i = 0; i < N; i++) {
      if (!Number.isNaN(holed[i * P + j] as number)) continue;
      se += ((X[i * P + j] as number) - (full[i * P + j] as number)) ** 2;
      c++;
    }
    total += Math.sqrt(se / c) / Math.sqrt(v);
  }
  return total / P;
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function time(name: string, reps: number, run: () => Promise<Dataset>): Promise<{ name: string; median: number; runs: number[]; nrmse: number }> {
  const runs: number[] = [];
  let out: Dataset | undefined;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    out = await run();
    runs.push((performance.now() - t0) / 1000);
  }
  return { name, median: median(runs), runs, nrmse: out ? nrmse(out) : Number.NaN };
}

const ours = [
  await time('SimpleImputer', 7, async () => (await new SimpleImputer({ roundIntegers: false }).fit(ds)).transform(ds)),
  await time('KNNImputer', 5, async () => (await new KNNImputer({ roundIntegers: false })).fit(ds).then((f) => f.transform(ds))),
  await time('IterativeImputer', 5, async () => (await new IterativeImputer({ roundIntegers: false }).fit(ds)).transform(ds)),
];
const fitOnly = await time('IterativeImputer (fit only)', 5, async () => {
  await new IterativeImputer({ roundIntegers: false }).fit(ds);
  return ds;
});
clearInterval(sampler);

writeFileSync('/tmp/tessera-impute-bench.json', JSON.stringify({ n: N, p: P, holed: Array.from(holed, (v) => (Number.isNaN(v) ? null : v)), knnReps: 3 }));
let sk: Record<string, { median_s: number; runs: number[] }> = {};
try {
  const out = execFileSync('/usr/bin/python3', [new URL('./reference/impute.py', import.meta.url).pathname, 'bench', '/tmp/tessera-impute-bench.json'], {
    encoding: 'utf8',
  });
  sk = JSON.parse(out.trim().split('\n').pop() ?? '{}');
} catch (e) {
  console.log(`(scikit-learn reference not run: ${(e as Error).message.split('\n')[0]})`);
}

console.log(`impute benchmark, ${new Date().toISOString()}: ${N} x ${P} correlated table, 20% MCAR (${ds.nrows} rows)`);
console.log('| imputer | tessera median s (runs) | sklearn median s | tessera speed-up vs sklearn | tessera NRMSE |');
console.log('|---|---|---|---|---|');
for (const r of ours) {
  const s = sk[r.name]?.median_s;
  console.log(
    `| ${r.name} | ${r.median.toFixed(3)} (${r.runs.map((x) => x.toFixed(2)).join(', ')}) | ${s !== undefined ? s.toFixed(3) : '-'} | ${s !== undefined ? `${(s / r.median).toFixed(2)}x` : '-'} | ${r.nrmse.toFixed(3)} |`,
  );
}
console.log(
  `| IterativeImputer, fit only | ${fitOnly.median.toFixed(3)} | | ${sk.IterativeImputer ? `${(sk.IterativeImputer.median_s / fitOnly.median).toFixed(2)}x` : '-'} | |`,
);
console.log(`peak RSS (tessera part): ${(peak / 2 ** 20).toFixed(0)} MiB`);
