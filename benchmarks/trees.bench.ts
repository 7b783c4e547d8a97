/**
 * Trees benchmark: tessera's RandomForestClassifier (100 trees) and HistGradientBoostingClassifier
 * (100 iterations) on 100,000 x 20 synthetic rows (80,000 train, 20,000 test), against
 * scikit-learn (single thread, figures from benchmarks/reference/model_trees.json, measured on this
 * machine by benchmarks/reference/model_trees.py on the bit-identical data) and against npm
 * `ml-random-forest` in this process. ml-random-forest's CART is quadratic in the rows (about 6 s
 * per tree at 5,000 rows here), so it is compared at 2,000 and 5,000 rows with the same number
 * of trees on both sides, and its 100,000-row time is extrapolated.
 *
 * Run: npx tsx benchmarks/trees.bench.ts [--quick | --mlrf-scaling | --mlrf-100k]
 * CPU times (process.cpuUsage) are reported next to wall times: the machine is shared.
 */
import { readFileSync } from 'node:fs';
import { RandomForestClassifier as MLRF } from 'ml-random-forest';
import { Dataset, HistGradientBoostingClassifier, RandomForestClassifier } from '../src/index.js';

const quick = process.argv.includes('--quick');

/** Same generator as benchmarks/reference/model_trees.py (32-bit LCG, Box-Muller). */
export function synthetic(n: number, p: number, seed = 1): { X: Float64Array; y: Int32Array } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const X = new Float64Array(n * p);
  const y = new Int32Array(n);
  const z = new Float64Array(p + 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= p; j++) {
      const u1 = next();
      const u2 = next();
      z[j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    for (let j = 0; j < p; j++) X[i * p + j] = z[j] as number;
    const v = (z[0] as number) + 0.5 * (z[1] as number) * (z[2] as number) - (z[3] as number) + 0.5 * Math.sin(2 * (z[4] as number)) + 0.3 * (z[p] as number);
    y[i] = v > 0 ? 1 : 0;
  }
  return { X, y };
}

function toDataset(X: Float64Array, y: Int32Array, p: number, from: number, to: number): Dataset {
  const cols: Record<string, Float64Array | number[]> = {};
  for (let j = 0; j < p; j++) {
    const c = new Float64Array(to - from);
    for (let i = from; i < to; i++) c[i - from] = X[i * p + j] as number;
    cols[`f${j}`] = c;
  }
  cols.y = Array.from(y.subarray(from, to));
  return Dataset.from(cols);
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ wall: number; cpu: number; value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  return { wall: (performance.now() - t) / 1000, cpu: (process.cpuUsage(c).user + process.cpuUsage(c).system) / 1e6, value };
}

function accuracy(pred: readonly unknown[], y: Int32Array, from: number): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === y[from + i]) ok++;
  return ok / pred.length;
}

const ref = JSON.parse(readFileSync(new URL('./reference/model_trees.json', import.meta.url), 'utf8')) as {
  timing?: Record<string, { wallMedianS: number; cpuMedianS: number; testAccuracy: number }>;
};
const lines: string[] = [];
const log = (s: string): void => {
  lines.push(s);
  console.log(s);
};

const p = 20;
const n = 100_000;
const ntr = 80_000;
const { X, y } = synthetic(n, p);
const train = toDataset(X, y, p, 0, ntr);
const test = toDataset(X, y, p, ntr, n);
log(`# trees benchmark (${new Date().toISOString().slice(0, 10)}), ${n} x ${p}, ${ntr} train rows, Node ${process.version}`);

// --- ml-random-forest scaling (`--mlrf-scaling`): per-tree CPU time against training rows, linearity
// in the number of trees, 100 trees at the largest size that completes in about a minute, and a
// power-law extrapolation to 80,000 training rows; `--mlrf-100k`: 1 ml-random-forest tree on the
// full 80,000 training rows (run it under `timeout`; the CPU time at the kill is a lower bound).
function mlrfFit(m: number, nt: number): { cpu: number; acc: number } {
  const mtr = Math.floor(m * 0.8);
  const Xa: number[][] = [];
  for (let i = 0; i < m; i++) Xa.push(Array.from(X.subarray(i * p, (i + 1) * p)));
  const c = process.cpuUsage();
  const f = new MLRF({ nEstimators: nt, seed: 1, noOOB: true });
  f.train(Xa.slice(0, mtr), Array.from(y.subarray(0, mtr)));
  const u = process.cpuUsage(c);
  return { cpu: (u.user + u.system) / 1e6, acc: accuracy(f.predict(Xa.slice(mtr)), y, mtr) };
}
async function oursFit(m: number, nt: number, runs = 3): Promise<{ cpu: number; acc: number }> {
  const mtr = Math.floor(m * 0.8);
  const tr = toDataset(X, y, p, 0, mtr);
  const te = toDataset(X, y, p, mtr, m);
  const cpus: number[] = [];
  let acc = 0;
  for (let r = 0; r < runs; r++) {
    const t = await time(() => new RandomForestClassifier({ nEstimators: nt, seed: r }).fit(tr, { target: 'y' }));
    cpus.push(t.cpu);
    acc += accuracy(t.value.predict(te), y, mtr) / runs;
  }
  return { cpu: median(cpus), acc };
}
if (process.argv.includes('--mlrf-100k')) {
  log('ml-random-forest, 1 tree, 80,000 training rows x 20: started');
  const r = mlrfFit(n, 1);
  log(
    `ml-random-forest 1 tree on 80,000 rows: cpu ${r.cpu.toFixed(1)} s, accuracy ${r.acc.toFixed(4)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  process.exit(0);
}
if (process.argv.includes('--mlrf-scaling')) {
  const sizes = [1000, 2000, 4000, 8000];
  const lx: number[] = [];
  const ly: number[] = [];
  for (const m of sizes) {
    const ml = mlrfFit(m, 1);
    const ours = await oursFit(m, 1);
    lx.push(Math.log(Math.floor(m * 0.8)));
    ly.push(Math.log(ml.cpu));
    log(
      `${m} rows (80% train), 1 tree: ml-random-forest cpu ${ml.cpu.toFixed(2)} s, accuracy ${ml.acc.toFixed(4)}; tessera cpu ${(ours.cpu * 1000).toFixed(1)} ms (median of 3), accuracy ${ours.acc.toFixed(4)} (mean of 3 seeds)`,
    );
  }
  for (const nt of [1, 2, 5]) {
    const ml = mlrfFit(2000, nt);
    log(`2000 rows, ${nt} trees: ml-random-forest cpu ${ml.cpu.toFixed(2)} s = ${(ml.cpu / nt).toFixed(2)} s per tree, accuracy ${ml.acc.toFixed(4)}`);
  }
  {
    const ml = mlrfFit(1000, 100);
    const ours = await oursFit(1000, 100);
    log(
      `1000 rows, 100 trees: ml-random-forest cpu ${ml.cpu.toFixed(2)} s, accuracy ${ml.acc.toFixed(4)}; tessera cpu ${ours.cpu.toFixed(3)} s, accuracy ${ours.acc.toFixed(4)} -> ${(ml.cpu / ours.cpu).toFixed(0)}x`,
    );
  }
  // least-squares power law  cpu_per_tree = a * rows^b  on the 1-tree runs
  const k = lx.length;
  const mx = lx.reduce((s0, v) => s0 + v, 0) / k;
  const my = ly.reduce((s0, v) => s0 + v, 0) / k;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < k; i++) {
    sxy += ((lx[i] as number) - mx) * ((ly[i] as number) - my);
    sxx += ((lx[i] as number) - mx) ** 2;
  }
  const b = sxy / sxx;
  const perTree = Math.exp(my + b * (Math.log(ntr) - mx));
  log(
    `power law: cpu per tree ~ rows^${b.toFixed(2)}; extrapolated to ${ntr} training rows: ${perTree.toFixed(0)} s per tree, ${(perTree * 100).toFixed(0)} s for 100 trees`,
  );
  log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  process.exit(0);
}

// --- gradient boosting
{
  const runs: { wall: number; cpu: number }[] = [];
  let acc = 0;
  await new HistGradientBoostingClassifier({ maxIter: 5, earlyStopping: false }).fit(train, { target: 'y' }); // warm-up
  for (let r = 0; r < (quick ? 2 : 5); r++) {
    const t = await time(() => new HistGradientBoostingClassifier({ maxIter: 100, earlyStopping: false }).fit(train, { target: 'y' }));
    runs.push(t);
    acc = accuracy(t.value.predict(test), y, ntr);
  }
  const sk = ref.timing?.HistGradientBoostingClassifier;
  const cpu = median(runs.map((r) => r.cpu));
  log(
    `HistGradientBoostingClassifier 100 iter: wall median ${median(runs.map((r) => r.wall)).toFixed(2)} s, cpu median ${cpu.toFixed(2)} s (${runs.length} runs), test accuracy ${acc.toFixed(4)}`,
  );
  if (sk)
    log(
      `  scikit-learn (1 thread): cpu ${sk.cpuMedianS.toFixed(2)} s, wall ${sk.wallMedianS.toFixed(2)} s, accuracy ${sk.testAccuracy.toFixed(4)} -> tessera/sklearn cpu ratio ${(cpu / sk.cpuMedianS).toFixed(2)}`,
    );
}

// --- random forest
{
  const runs: { wall: number; cpu: number }[] = [];
  let acc = 0;
  let nodes = 0;
  for (let r = 0; r < (quick ? 1 : 2); r++) {
    const t = await time(() => new RandomForestClassifier({ nEstimators: 100, seed: r }).fit(train, { target: 'y' }));
    runs.push(t);
    acc = accuracy(t.value.predict(test), y, ntr);
    nodes = t.value.nodeCount;
  }
  const sk = ref.timing?.RandomForestClassifier;
  const cpu = median(runs.map((r) => r.cpu));
  log(
    `RandomForestClassifier 100 trees: wall median ${median(runs.map((r) => r.wall)).toFixed(2)} s, cpu median ${cpu.toFixed(2)} s (${runs.length} runs), test accuracy ${acc.toFixed(4)}, ${nodes} nodes`,
  );
  if (sk)
    log(
      `  scikit-learn (n_jobs=1): cpu ${sk.cpuMedianS.toFixed(2)} s, wall ${sk.wallMedianS.toFixed(2)} s, accuracy ${sk.testAccuracy.toFixed(4)} -> tessera/sklearn cpu ratio ${(cpu / sk.cpuMedianS).toFixed(2)}`,
    );
}

// --- ml-random-forest, same rows and trees on both sides
for (const [rows, trees] of quick
  ? [[2000, 5]]
  : [
      [2000, 10],
      [5000, 3],
    ]) {
  const m = rows as number;
  const nt = trees as number;
  const mtr = Math.floor(m * 0.8);
  const Xa: number[][] = [];
  for (let i = 0; i < m; i++) Xa.push(Array.from(X.subarray(i * p, (i + 1) * p)));
  const ml = await time(() => {
    const f = new MLRF({ nEstimators: nt, seed: 1, noOOB: true });
    f.train(Xa.slice(0, mtr), Array.from(y.subarray(0, mtr)));
    return f;
  });
  const mlPred = ml.value.predict(Xa.slice(mtr));
  let mlOk = 0;
  for (let i = 0; i < mlPred.length; i++) if (mlPred[i] === y[mtr + i]) mlOk++;
  const tr = toDataset(X, y, p, 0, mtr);
  const te = toDataset(X, y, p, mtr, m);
  const ours: { wall: number; cpu: number }[] = [];
  let acc = 0;
  for (let r = 0; r < 5; r++) {
    const t = await time(() => new RandomForestClassifier({ nEstimators: nt, seed: r }).fit(tr, { target: 'y' }));
    ours.push(t);
    acc = accuracy(t.value.predict(te), y, mtr);
  }
  const oc = median(ours.map((r) => r.cpu));
  log(
    `${m} rows, ${nt} trees: ml-random-forest cpu ${ml.cpu.toFixed(2)} s (accuracy ${(mlOk / mlPred.length).toFixed(4)}); tessera cpu median ${oc.toFixed(3)} s (accuracy ${acc.toFixed(4)}) -> ${(ml.cpu / oc).toFixed(0)}x faster`,
  );
}
log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
