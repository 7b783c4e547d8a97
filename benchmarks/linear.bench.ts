/**
 * LogisticRegression (lbfgs, binary, defaults C=1, tol=1e-4, maxIter=100) on 100,000 x 50 rows,
 * against scikit-learn 1.2's LogisticRegression() on the same data on this machine (single thread),
 * run interleaved with ours (one sklearn run, one tessera run, ...) through
 * benchmarks/reference/model_linear_timing.py, because the machine is shared and its load varies
 * by several times within minutes; the standalone figure in model_linear.json is printed too. Also Ridge,
 * LinearRegression and a multinomial fit for context. No npm peer is installed
 * (ml-logistic-regression / ml-regression are not dependencies), so sklearn is the only reference.
 *
 * Run: npx tsx benchmarks/linear.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracy, Dataset, LinearRegression, LogisticRegression, Ridge } from '../src/index.js';

/** The same deterministic data as the Python script (MINSTD generator). */
function lcgData(n: number, p: number, seed = 12345): { ds: Dataset; names: string[] } {
  let s = seed;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) {
    s = (s * 48271) % 2147483647;
    X[i] = s / 2147483647 - 0.5;
  }
  const beta = Array.from({ length: p }, (_, j) => ((j % 7) - 3) / 3);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < p; j++) z += (X[i * p + j] as number) * (beta[j] as number);
    s = (s * 48271) % 2147483647;
    y[i] = z * 4 + 2 * (s / 2147483647 - 0.5) > 0 ? 1 : 0;
  }
  const names = Array.from({ length: p }, (_, j) => `x${j}`);
  const cols: Record<string, ArrayLike<unknown>> = {};
  names.forEach((nm, j) => {
    cols[nm] = Float64Array.from({ length: n }, (_, i) => X[i * p + j] as number);
  });
  cols.y = y;
  cols.yr = Float64Array.from(y, (v, i) => v + (X[i * p] as number));
  return { ds: Dataset.from(cols), names };
}

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const timer = setInterval(sample, 20);

async function median(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; runs: number[] }> {
  const t: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    t.push((performance.now() - t0) / 1000);
    sample();
  }
  const s = [...t].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] as number, runs: t };
}

const ref = JSON.parse(readFileSync(new URL('./reference/model_linear.json', import.meta.url), 'utf8'));
const { ds, names } = lcgData(100_000, 50);
const features = { columns: names };
const n = ds.nrows;
const Xf = ds.matrix(names);
const yf = ds.matrix(['y']);
const dir = tmpdir();
const xPath = join(dir, `tessera-linear-X-${process.pid}.f64`);
const yPath = join(dir, `tessera-linear-y-${process.pid}.f64`);
writeFileSync(xPath, new Uint8Array(Xf.buffer));
writeFileSync(yPath, new Uint8Array(yf.buffer));
const ours: number[] = [];
const theirs: number[] = [];
let skInfo: { n_iter: number; coef_head: number[]; train_accuracy: number } | undefined;
for (let r = 0; r < 5; r++) {
  const py = spawnSync('/usr/bin/python3', [new URL('./reference/model_linear_timing.py', import.meta.url).pathname, xPath, yPath, String(n), '50', '1'], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (py.status === 0) {
    const j = JSON.parse(py.stdout);
    theirs.push(j.runs_s[0]);
    skInfo = j;
  }
  const t0 = performance.now();
  await new LogisticRegression(features).fit(ds, { target: 'y' });
  ours.push((performance.now() - t0) / 1000);
  sample();
}
rmSync(xPath, { force: true });
rmSync(yPath, { force: true });
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const logit = { median: med(ours), runs: ours };
const fitted = await new LogisticRegression(features).fit(ds, { target: 'y' });
const acc = accuracy(ds.toColumns().y as number[], fitted.predict(ds) as number[]);
const skStored = ref.timing?.logistic_100k_50;
const sk = theirs.length ? { median_s: med(theirs), runs_s: theirs, threads: 'OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1, interleaved', ...skInfo } : skStored;
const ridge = await median(3, () => new Ridge(features).fit(ds, { target: 'yr' }));
const ols = await median(3, () => new LinearRegression(features).fit(ds, { target: 'yr' }));
clearInterval(timer);
const lines = [
  `LogisticRegression 100,000 x 50 (lbfgs, binary): median ${logit.median.toFixed(3)} s over 5 runs [${logit.runs.map((v) => v.toFixed(3)).join(', ')}], ${fitted.nIter} iterations, train accuracy ${acc.toFixed(4)}`,
  sk
    ? `scikit-learn ${ref.sklearn} LogisticRegression(): median ${sk.median_s.toFixed(3)} s (${sk.threads}), ${sk.n_iter} iterations, train accuracy ${sk.train_accuracy.toFixed(4)}; ratio tessera/sklearn = ${(logit.median / sk.median_s).toFixed(2)}`
    : 'scikit-learn timing missing: run benchmarks/reference/model_linear.py without --no-timing',
  sk && theirs.length
    ? `sklearn interleaved runs [${theirs.map((v) => v.toFixed(3)).join(', ')}]; stored standalone median ${skStored?.median_s?.toFixed(3)} s`
    : '',
  `first coefficients: tessera [${Array.from(fitted.coef.slice(0, 5), (v) => v.toFixed(6)).join(', ')}]${sk ? `, sklearn [${sk.coef_head.map((v: number) => v.toFixed(6)).join(', ')}]` : ''}`,
  `Ridge 100,000 x 50: median ${ridge.median.toFixed(3)} s; LinearRegression (Householder QR): median ${ols.median.toFixed(3)} s`,
  `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
];
for (const l of lines) console.log(l);
