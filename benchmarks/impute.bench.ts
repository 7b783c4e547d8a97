/**
 * Imputation benchmark: a 10,000 x 10 correlated numeric table (3 factors + noise) with 20% of the
 * cells missing completely at random. Times tessera's SimpleImputer, KNNImputer and
 * IterativeImputer (fit + transform) and scikit-learn's on the SAME table
 * (benchmarks/reference/impute.py, Debian's python3-sklearn, one run per subprocess, timed inside
 * Python), interleaved run by run; reports medians, per-run ratios, accuracy (NRMSE on the hidden
 * cells) and peak RSS of the tessera process.
 *
 *   npx tsx benchmarks/impute.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

writeFileSync('/tmp/tessera-impute-bench.json', JSON.stringify({ n: N, p: P, holed: Array.from(holed, (v) => (Number.isNaN(v) ? null : v)) }));
const script = new URL('./reference/impute.py', import.meta.url).pathname;
/** One timed scikit-learn run (timed inside Python, fit_transform only): wall and CPU seconds, NaN when Python is unavailable. */
function sklearnOnce(name: string): { wall: number; cpu: number } {
  try {
    const out = execFileSync('/usr/bin/python3', [script, 'bench', '/tmp/tessera-impute-bench.json', name], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, { median_s: number; cpu_s?: number[] }>;
    return { wall: r[name]?.median_s ?? Number.NaN, cpu: r[name]?.cpu_s?.[0] ?? Number.NaN };
  } catch {
    return { wall: Number.NaN, cpu: Number.NaN };
  }
}

const plan: [string, number, () => Promise<Dataset>][] = [
  ['SimpleImputer', 5, async () => (await new SimpleImputer({ roundIntegers: false }).fit(ds)).transform(ds)],
  ['KNNImputer', 5, async () => (await new KNNImputer({ roundIntegers: false }).fit(ds)).transform(ds)],
  ['IterativeImputer', 5, async () => (await new IterativeImputer({ roundIntegers: false }).fit(ds)).transform(ds)],
];
const load0 = loadavg();
const rows: { name: string; ours: number[]; theirs: number[]; ratios: number[]; cpuOurs: number[]; cpuTheirs: number[]; nrmse: number }[] = [];
for (const [name, reps, run] of plan) {
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  const cpuOurs: number[] = [];
  const cpuTheirs: number[] = [];
  let out: Dataset | undefined;
  // Interleaved: tessera, then scikit-learn, per repetition; the ratio is taken within a repetition.
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    out = await run();
    const t = (performance.now() - t0) / 1000;
    const cu = process.cpuUsage(c0);
    const s = sklearnOnce(name);
    ours.push(t);
    theirs.push(s.wall);
    ratios.push(s.wall / t);
    cpuOurs.push((cu.user + cu.system) / 1e6);
    cpuTheirs.push(s.cpu);
  }
  rows.push({ name, ours, theirs, ratios, cpuOurs, cpuTheirs, nrmse: out ? nrmse(out) : Number.NaN });
}
const load1 = loadavg();
clearInterval(sampler);

console.log(`impute benchmark, ${new Date().toISOString()}: ${N} x ${P} correlated table, 20% MCAR (${ds.nrows} rows)`);
console.log('| imputer | tessera median s (runs) | sklearn median s (runs) | sklearn time / tessera time, per run: median (runs) | tessera NRMSE |');
console.log('|---|---|---|---|---|');
const fmt = (a: number[]) => a.map((x) => x.toFixed(2)).join(', ');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${median(r.ours).toFixed(3)} (${fmt(r.ours)}) | ${median(r.theirs).toFixed(3)} (${fmt(r.theirs)}) | **${median(r.ratios).toFixed(2)}x** (${fmt(r.ratios)}) | ${r.nrmse.toFixed(3)} |`,
  );
}
console.log(`peak RSS (tessera part): ${(peak / 2 ** 20).toFixed(0)} MiB`);
console.log('');
console.log('CPU seconds (tessera: process.cpuUsage around fit + transform; scikit-learn: time.process_time around fit_transform, all its threads):');
console.log('| imputer | tessera CPU s median (runs) | scikit-learn CPU s median (runs) | ratio of medians |');
console.log('|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${median(r.cpuOurs).toFixed(3)} (${fmt(r.cpuOurs)}) | ${median(r.cpuTheirs).toFixed(3)} (${fmt(r.cpuTheirs)}) | ${(median(r.cpuTheirs) / median(r.cpuOurs)).toFixed(2)}x |`,
  );
}
const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
console.log(`load average at start: ${la(load0)}; at end: ${la(load1)} (2 cores)`);
