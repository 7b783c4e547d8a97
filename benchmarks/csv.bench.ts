/**
 * CSV benchmark: parse a generated 1,000,000-row CSV (int id, a 100-value category, two floats, an
 * ISO date) and group by the category (mean of both floats, count). Compares, in one process,
 * tessera's `readCSV` with arquero's `fromCSV` and papaparse (`dynamicTyping`), and pandas
 * (`benchmarks/reference/io_csv.py`, run as a child process, timed inside Python). Runs are
 * interleaved so the load of a shared machine hits every reader alike, with a full GC before each
 * timed section; medians of the runs and of the per-run ratios. Peak RSS: each reader once in a fresh process.
 * Run: `npx tsx benchmarks/csv.bench.ts [rows=1000000] [runs=3]` (`ONLY=tessera,pandas` to pick).
 * The file is written to a temporary directory (not committed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as aq from 'arquero';
import Papa from 'papaparse';
import { type Dataset, readCSV } from '../src/index.js';
import { streamCSVFile } from '../src/node/index.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);

/** Deterministic generator (mulberry32) so every run and pandas see the same file. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(rows: number): string {
  const r = rng(42);
  const cats = Array.from({ length: 100 }, (_, i) => `cat_${String(i).padStart(3, '0')}`);
  const parts: string[] = ['id,category,x,y,date\n'];
  const day0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < rows; i++) {
    const c = cats[Math.floor(r() * 100)];
    const x = (r() * 1000 - 500).toFixed(4);
    const y = (r() * 2).toFixed(6);
    const d = new Date(day0 + Math.floor(r() * 1500) * 86400000).toISOString().slice(0, 10);
    parts.push(`${i},${c},${x},${y},${d}\n`);
  }
  return parts.join('');
}

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const sample = (): void => {
  peak = Math.max(peak, process.memoryUsage().rss);
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

// a full garbage collection before each timed section, so that no reader pays for the garbage
// another left behind (all readers alike)
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Collects garbage and waits for V8's background threads (concurrent sweeping, freeing the pages of
 * the previous reader's heap) to finish, so that their CPU time is not counted to the next reader.
 */
async function settle(): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, 400));
  gc();
  await new Promise((r) => setTimeout(r, 100));
}

/** Wall-clock and CPU seconds (user + system of this process) of one call. */
interface Timing {
  wall: number;
  cpu: number;
}

function time<T>(f: () => T): [T, Timing] {
  gc();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return [v, { wall, cpu: (c.user + c.system) / 1e6 }];
}

/** Group-by on the typed arrays: codes index the sums directly. */
function groupTyped(ds: Dataset): { key: string; count: number; meanX: number; meanY: number }[] {
  const cat = ds.column('category');
  const x = ds.column('x');
  const y = ds.column('y');
  if (cat.kind !== 'category' || x.kind !== 'number' || y.kind !== 'number') throw new Error('unexpected kinds');
  const k = cat.dictionary.length;
  const cnt = new Float64Array(k);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const nx = new Float64Array(k);
  const ny = new Float64Array(k);
  const codes = cat.codes;
  const xv = x.values;
  const yv = y.values;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c < 0) continue;
    cnt[c] = (cnt[c] as number) + 1;
    const a = xv[i] as number;
    if (!Number.isNaN(a)) {
      sx[c] = (sx[c] as number) + a;
      nx[c] = (nx[c] as number) + 1;
    }
    const b = yv[i] as number;
    if (!Number.isNaN(b)) {
      sy[c] = (sy[c] as number) + b;
      ny[c] = (ny[c] as number) + 1;
    }
  }
  return cat.dictionary.map((key, c) => ({
    key,
    count: cnt[c] as number,
    meanX: (sx[c] as number) / (nx[c] as number),
    meanY: (sy[c] as number) / (ny[c] as number),
  }));
}

const groupSpec = { count: aq.op.count(), meanX: aq.op.mean('x'), meanY: aq.op.mean('y') };

if (process.argv[2] === '--generate') {
  // generation runs in a child process so that its garbage does not count in the peak below
  writeFileSync(process.argv[3] as string, generate(Number(process.argv[4])));
  process.exit(0);
}

if (process.argv[2] === '--peak') {
  // one reader, once, in a fresh process: its peak RSS
  const which = process.argv[3];
  const buf = readFileSync(process.argv[4] as string);
  sample();
  const before = peak;
  let n = 0;
  if (which === 'tessera') n = groupTyped(readCSV(buf)).length;
  else if (which === 'tessera-stream') {
    // streamed from the file in chunks of 100,000 rows: memory holds about one chunk
    const t0 = performance.now();
    for await (const chunk of streamCSVFile(process.argv[4] as string, { chunkSize: 100_000 })) n += groupTyped(chunk).length;
    console.error(`tessera streamCSVFile: ${((performance.now() - t0) / 1000).toFixed(3)} s`);
  } else if (which === 'arquero') n = aq.fromCSV(buf.toString('utf8')).groupby('category').rollup(groupSpec).numRows();
  else n = Papa.parse<Record<string, unknown>>(buf.toString('utf8'), { header: true, dynamicTyping: true, skipEmptyLines: true }).data.length;
  sample();
  // the kernel's high-water mark of the process RSS (exact, unlike sampling)
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ which, before, peak: Math.max(peak, maxRss), n }));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'tessera-csv-'));
const file = join(dir, `rows-${ROWS}.csv`);
spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate', file, String(ROWS)], { stdio: 'inherit' });
const bytes = readFileSync(file);
console.log(`file ${file}: ${(bytes.length / 1e6).toFixed(1)} MB, ${ROWS} rows; ${RUNS} runs each`);

const which = (process.env.ONLY ?? 'tessera,arquero,papaparse,pandas').split(',');
const here = dirname(fileURLToPath(import.meta.url));
const results: Record<string, { parse: Timing[]; group: Timing[] }> = {};
const ratios: Record<string, { wall: number[]; cpu: number[] }> = {};
let check = 0;
const NONE: Timing = { wall: Number.NaN, cpu: Number.NaN };
const record = (name: string, parse: Timing, group?: Timing): void => {
  results[name] ??= { parse: [], group: [] };
  const r = results[name];
  r.parse.push(parse);
  if (group !== undefined) r.group.push(group);
};
const ratio = (name: string, a: Timing, b: Timing): void => {
  ratios[name] ??= { wall: [], cpu: [] };
  ratios[name].wall.push(a.wall / b.wall);
  ratios[name].cpu.push(a.cpu / b.cpu);
};
/** pandas in a child process, timed inside Python (read_csv plain and with parse_dates, group-by). */
function pandas(): { plain: Timing; dated: Timing; group: Timing } | undefined {
  const r = spawnSync('/usr/bin/python3', [join(here, 'reference', 'io_csv.py'), file, '1'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const num = (label: string): Timing => {
    const m = new RegExp(`${label}.*median ([0-9.]+) s \\(cpu ([0-9.]+) s\\)`).exec(r.stdout);
    return { wall: Number(m?.[1]), cpu: Number(m?.[2]) };
  };
  return { plain: num('plain'), dated: num('parse_dates'), group: num('groupby') };
}
// Runs are interleaved (tessera, arquero, papaparse, pandas, then again) so that the load of this
// shared machine hits every reader alike; ratios are taken within a run, then their median. CPU
// time (user + system) is reported beside wall-clock time: on a machine whose cores are shared it
// measures the work done, unlike wall-clock time, which also counts the time spent waiting for a core.
for (let run = 0; run < RUNS; run++) {
  let tp = NONE;
  if (which.includes('tessera')) {
    await settle();
    const [ds, t] = time(() => readCSV(bytes));
    sample();
    tp = t;
    await settle();
    const [g, tg] = time(() => groupTyped(ds));
    await settle();
    const [ga, tga] = time(() => ds.table.groupby('category').rollup(groupSpec));
    check += g.length + ga.numRows();
    record('tessera readCSV + typed-array group-by', tp, tg);
    record('tessera: group-by via ds.table (arquero rollup)', NONE, tga);
  }
  if (which.includes('arquero')) {
    await settle();
    const [t, ta] = time(() => aq.fromCSV(bytes.toString('utf8')));
    sample();
    await settle();
    const [g, tg] = time(() => t.groupby('category').rollup(groupSpec));
    check += g.numRows();
    record('arquero fromCSV + groupby/rollup', ta, tg);
    ratio('arquero parse / tessera parse', ta, tp);
  }
  if (which.includes('papaparse')) {
    await settle();
    const [res, tpp] = time(() => Papa.parse<Record<string, unknown>>(bytes.toString('utf8'), { header: true, dynamicTyping: true, skipEmptyLines: true }));
    sample();
    check += res.data.length;
    record('papaparse (dynamicTyping)', tpp);
    ratio('papaparse parse / tessera parse', tpp, tp);
  }
  if (which.includes('pandas')) {
    const pd = pandas();
    if (pd) {
      record('pandas read_csv (plain; date stays a string)', pd.plain, pd.group);
      record("pandas read_csv(parse_dates=['date'])", pd.dated);
      ratio('tessera parse / pandas plain read_csv', tp, pd.plain);
      ratio('tessera parse / pandas read_csv with parse_dates', tp, pd.dated);
    }
  }
}
clearInterval(sampler);
const peaks: string[] = [];
for (const w of [...which.filter((x) => x !== 'pandas'), ...(which.includes('tessera') ? ['tessera-stream'] : [])]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--peak', w, file], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  if (r.stderr.includes('streamCSVFile')) console.log(r.stderr.trim().split('\n').pop());
  const j = JSON.parse(line) as { before: number; peak: number };
  peaks.push(`| ${w} | ${(j.before / 1e6).toFixed(0)} MB | ${(j.peak / 1e6).toFixed(0)} MB | ${((j.peak - j.before) / 1e6).toFixed(0)} MB |`);
}
const fmt = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(3)} s`);
const med = (ts: Timing[], k: keyof Timing): number => median(ts.map((t) => t[k]));
console.log(`\n| reader | parse wall (median of ${RUNS}) | parse CPU | group-by wall | group-by CPU |`);
console.log('|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  const g = r.group.length > 0;
  console.log(
    `| ${name} | ${fmt(med(r.parse, 'wall'))} | ${fmt(med(r.parse, 'cpu'))} | ${g ? fmt(med(r.group, 'wall')) : '-'} | ${g ? fmt(med(r.group, 'cpu')) : '-'} |`,
  );
}
console.log('\n| ratio (per run, then median) | wall | CPU | CPU ratio of each run |');
console.log('|---|---|---|---|');
for (const [name, r] of Object.entries(ratios)) {
  console.log(`| ${name} | ${median(r.wall).toFixed(2)}x | ${median(r.cpu).toFixed(2)}x | ${r.cpu.map((x) => x.toFixed(2)).join(', ')} |`);
}
console.log(`\npeak RSS of this whole process (all readers): ${(peak / 1e6).toFixed(0)} MB (check ${check})`);
console.log('\nPeak RSS (kernel high-water mark), one parse + group-by in a fresh process (file already read into a Buffer):');
console.log('| reader | RSS before | peak RSS | peak - before |');
console.log('|---|---|---|---|');
for (const p of peaks) console.log(p);
console.log(`(pandas peak RSS: run /usr/bin/python3 benchmarks/reference/io_csv.py ${file})`);
