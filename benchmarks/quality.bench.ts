/**
 * Profile benchmark: tessera's profile() of a generated 1,000,000-row x 5-column numeric table,
 * against arquero's aggregate ops computing the same summary (count, mean, std, min, quartiles,
 * max per column) in this process, and pandas describe() (benchmarks/reference/quality.py --bench,
 * run as a child process right after). Medians of several runs; peak RSS sampled.
 *
 *   npx tsx benchmarks/quality.bench.ts
 *
 * With `--suggest`: the suggested-suite evaluation on the 16 shared tabular sets instead (random
 * halves, 5 seeds; see test/quality/suggest-eval.ts), with a breakdown per corruption kind, per set
 * and per severity level, the clean-half findings, and (with `--missed`) every unflagged row.
 *
 *   npx tsx benchmarks/quality.bench.ts --suggest [--missed] [--missed-errors] [--detail] [--held-out] [--no-steps] [--no-forbidden]
 *
 * `--held-out` uses the held-out seeds 21-30 (not tuned on) instead of 11-15; `--detail` prints
 * per set and corruption kind the share flagged by errors (and by errors + warnings).
 * `--dedup`: FuzzyDedup with default options on 4 shared tables with 10% damaged duplicates
 * (precision and recall over duplicate pairs, seeds 1-3 and 4-8).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as aq from 'arquero';
import { Dataset, profile, Rng } from '../src/index.js';

if (process.argv.includes('--dedup')) {
  // FuzzyDedup with default options on shared tables with 10% damaged duplicates (test/transform/dedup-eval.ts)
  const { DEDUP_TABLES, scoreDedup } = await import('../test/transform/dedup-eval.js');
  for (const seeds of [
    [1, 2, 3],
    [4, 5, 6, 7, 8],
  ]) {
    let T = 0;
    let P = 0;
    let C = 0;
    for (const table of Object.keys(DEDUP_TABLES)) {
      let t = 0;
      let p = 0;
      let c = 0;
      const ms: number[] = [];
      for (const seed of seeds) {
        const t0 = performance.now();
        const r = await scoreDedup(table, seed);
        ms.push(performance.now() - t0);
        t += r.truth;
        p += r.predicted;
        c += r.precision * r.predicted;
      }
      ms.sort((x, y) => x - y);
      console.log(
        `seeds ${seeds.join(',')} ${table.padEnd(14)} precision ${(c / p).toFixed(3)} recall ${(c / t).toFixed(3)} (${t} true pairs; median fit+cluster ${(ms[ms.length >> 1] as number).toFixed(0)} ms)`,
      );
      T += t;
      P += p;
      C += c;
    }
    console.log(`seeds ${seeds.join(',')} pooled precision ${(C / P).toFixed(3)} recall ${(C / T).toFixed(3)}`);
  }
  console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  process.exit(0);
}

if (process.argv.includes('--suggest')) {
  const { evaluateSuggestions, pct, SEEDS, HELD_OUT_SEEDS } = await import('../test/quality/suggest-eval.js');
  const t0 = performance.now();
  const seeds = process.argv.includes('--held-out') ? HELD_OUT_SEEDS : SEEDS;
  const runs = 16 * seeds.length;
  console.log(
    `seeds ${seeds.join(', ')}; checked halves read ${process.argv.includes('--infer') ? 'with kinds inferred afresh (--infer)' : "with the reference's kinds, cells that do not fit missing"}${process.argv.includes('--plain') ? '; corruptions without artefacts (--plain)' : ''}`,
  );
  // ablations: --no-steps, --no-forbidden (figures without the step / notInSet checks); --infer reads
  // the checked halves with kinds inferred afresh; --plain corrupts without the generator's artefacts
  const r = evaluateSuggestions(
    undefined,
    seeds,
    {
      ...(process.argv.includes('--no-steps') ? { steps: false } : {}),
      ...(process.argv.includes('--no-forbidden') ? { forbidden: false } : {}),
    },
    process.argv.includes('--infer') ? 'infer' : 'schema',
    process.argv.includes('--plain'),
  );
  for (const lv of ['error', 'all'] as const) {
    const f = r[lv];
    const kinds = Object.entries(f.byKind).map(([k, v]) => `${k} ${pct(v.flagged, v.corrupted)} (${v.flagged}/${v.corrupted})`);
    console.log(
      `${lv === 'error' ? 'errors only     ' : 'errors+warnings '}: ${pct(f.flagged, f.corrupted)} of corrupted rows flagged (${f.flagged}/${f.corrupted}); ${kinds.join(', ')}`,
    );
    console.log(`${' '.repeat(17)}  clean splits with a finding: ${f.alarmRuns.length}/${runs}; clean rows named: ${pct(f.cleanRowsFlagged, f.cleanRows)}`);
  }
  console.log(
    `per set (errors+warnings): ${Object.entries(r.perSet)
      .map(([k, v]) => `${k} ${pct(v.flagged, v.corrupted)}`)
      .join(', ')}`,
  );
  if (process.argv.includes('--detail')) {
    for (const [set, lv] of Object.entries(r.perSetKind)) {
      const cell = (x: { flagged: number; corrupted: number }) => `${pct(x.flagged, x.corrupted)}/${x.corrupted}`;
      console.log(
        `  ${set.padEnd(22)} ${(['swap', 'outOfRange', 'newCategory', 'nullNeverNull'] as const).map((k) => `${k} ${cell(lv.error[k])} (all ${pct(lv.all[k].flagged, lv.all[k].corrupted)})`).join('  ')}`,
      );
    }
  }
  console.log(`findings on clean halves:\n  ${r.all.alarms.join('\n  ')}`);
  if (process.argv.includes('--missed')) console.log(`unflagged corrupted rows:\n  ${r.missed.join('\n  ')}`);
  if (process.argv.includes('--missed-errors')) console.log(`corrupted rows without an error finding:\n  ${r.missedError.join('\n  ')}`);
  console.log(`time ${(performance.now() - t0).toFixed(0)} ms`);
  // let a piped stdout drain before exiting (long --missed lists were cut at 64 KiB)
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(0);
}

const N = 1_000_000;
const COLS = ['a', 'b', 'c', 'd', 'e'];
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] as number;
}
function time(runs: number, f: () => unknown): number[] {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return out;
}

const rng = new Rng(1);
const columns: Record<string, Float64Array> = {};
for (const c of COLS) {
  const v = new Float64Array(N);
  for (let i = 0; i < N; i++) v[i] = rng.next() * 100;
  columns[c] = v;
}
const ds = Dataset.fromColumns(columns);
const table = aq.table(columns);

const describeLike = () => profile(ds, { correlations: false, duplicates: false, topK: 0 });
const full = () => profile(ds);
const arquero = () => {
  const ops: Record<string, unknown> = {};
  for (const c of COLS) {
    ops[`${c}_count`] = aq.op.valid(c);
    ops[`${c}_mean`] = aq.op.mean(c);
    ops[`${c}_std`] = aq.op.stdev(c);
    ops[`${c}_min`] = aq.op.min(c);
    ops[`${c}_q1`] = aq.op.quantile(c, 0.25);
    ops[`${c}_median`] = aq.op.median(c);
    ops[`${c}_q3`] = aq.op.quantile(c, 0.75);
    ops[`${c}_max`] = aq.op.max(c);
  }
  return table.rollup(ops as never).objects();
};

function pandasDescribe(runs: number): number {
  const py = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('./reference/quality.py', import.meta.url)), '--bench', '--runs', String(runs)], {
    encoding: 'utf8',
  });
  try {
    return (JSON.parse(py.stdout.trim().split('\n').pop() as string) as { pandasDescribeMedianMs: number }).pandasDescribeMedianMs;
  } catch {
    console.error('pandas reference failed:', py.stderr);
    return Number.NaN;
  }
}

// warm up, then interleave rounds (tessera, arquero, pandas) so that they share the machine's load
describeLike();
arquero();
const tTessera: number[] = [];
const tArquero: number[] = [];
const tPandas: number[] = [];
const roundRatios: number[] = [];
for (let r = 0; r < 5; r++) {
  const t = median(time(3, describeLike));
  const pd = pandasDescribe(3);
  tTessera.push(t);
  tPandas.push(pd);
  roundRatios.push(t / pd);
  tArquero.push(...time(1, arquero));
}
const tFull = time(3, full);

const check = profile(ds, { correlations: false, duplicates: false }).columns[0];
const aqRow = arquero()[0] as Record<string, number>;
const agree =
  Math.abs((check?.numeric?.quantiles.p50 as number) - (aqRow.a_median as number)) < 1e-9 &&
  Math.abs((check?.numeric?.std as number) - (aqRow.a_std as number)) < 1e-9;

clearInterval(sampler);
const pandas = median(tPandas);
const mT = median(tTessera);
const mA = median(tArquero);
console.log(`rows x cols: ${N} x ${COLS.length}`);
console.log(
  `tessera profile (describe-equivalent: no correlations/duplicates): median ${mT.toFixed(0)} ms  round medians ${tTessera.map((t) => t.toFixed(0)).join(', ')}`,
);
console.log(
  `tessera profile (full: + correlations, duplicates):               median ${median(tFull).toFixed(0)} ms  runs ${tFull.map((t) => t.toFixed(0)).join(', ')}`,
);
console.log(
  `arquero rollup (count, mean, stdev, min, q1, median, q3, max):     median ${mA.toFixed(0)} ms  runs ${tArquero.map((t) => t.toFixed(0)).join(', ')}`,
);
console.log(
  `pandas describe() (child process, 3 runs per round):                median ${pandas.toFixed(0)} ms  rounds ${tPandas.map((t) => t.toFixed(0)).join(', ')}`,
);
console.log(
  `ratio tessera / pandas: ${(mT / pandas).toFixed(2)}; per round ${roundRatios.map((x) => x.toFixed(2)).join(', ')}, median ${median(roundRatios).toFixed(2)} (goal <= 3)`,
);
console.log(`speed-up vs arquero: ${(mA / mT).toFixed(2)}x (goal >= 5)`);
console.log(`same median and std as arquero: ${agree}`);
console.log(`peak RSS: ${(peak / 2 ** 20).toFixed(0)} MiB`);
