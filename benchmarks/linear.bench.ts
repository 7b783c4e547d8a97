/**
 * LogisticRegression (lbfgs, binary, defaults C=1, tol=1e-4, maxIter=100) on 100,000 x 50 rows,
 * against scikit-learn 1.2's LogisticRegression() on the same data on this machine (single thread),
 * run interleaved with ours (one sklearn run, one tessera run, ...) through
 * benchmarks/reference/model_linear_timing.py, because the machine is shared and its load varies
 * by several times within minutes; the standalone figure in model_linear.json is printed too. Also Ridge,
 * LinearRegression for context. Binary and multinomial (3 classes). No npm peer is installed
 * (ml-logistic-regression / ml-regression are not dependencies), so sklearn is the only reference.
 *
 * Run: npx tsx benchmarks/linear.bench.ts
 *      npx tsx benchmarks/linear.bench.ts --auto   (AutoModel vs scikit-learn's default models, a markdown table)
 *      npx tsx benchmarks/linear.bench.ts --mlp    (tessera/nn MLP vs scikit-learn's MLP: test metric, epochs, ms per epoch)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracy, Dataset, LinearRegression, LogisticRegression, Ridge } from '../src/index.js';
import { columnKernel } from '../src/model/linear/column-kernel.js';

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
  // three classes from two directions (multinomial)
  cols.y3 = Array.from({ length: n }, (_, i) => {
    const a = (X[i * p + 1] as number) - (X[i * p + 2] as number);
    const b = (X[i * p + 3] as number) + (X[i * p + 4] as number) * 0.5;
    return a > 0.1 ? 2 : b > 0 ? 1 : 0;
  });
  cols.yr = Float64Array.from(y, (v, i) => v + (X[i * p] as number));
  return { ds: Dataset.from(cols), names };
}

if (process.argv.includes('--mlp')) {
  await mlpTable();
  process.exit(0);
}
if (process.argv.includes('--auto')) {
  await autoTable();
  process.exit(0);
}

/** AutoModel (defaults) against each default scikit-learn model on the reference script's test rows. */
async function autoTable(): Promise<void> {
  const { AutoModel } = await import('../src/index.js');
  const { autoSet, splitByIndex, testMetric } = await import('../test/model/auto-data.js');
  const all = JSON.parse(readFileSync(new URL('./reference/model_linear.json', import.meta.url), 'utf8'));
  console.log(
    `uptime: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log('| set | metric | AutoModel (pick) | CV score | scikit-learn models on the same test rows | best sklearn | match or beat | time |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const name of ['iris', 'wine', 'penguins', 'titanic', 'telco-churn', 'diabetes-progression', 'cars-auto-mpg']) {
    const r = all.auto[name];
    const { train, test } = splitByIndex(autoSet(name), r.test_idx);
    const t0 = performance.now();
    const fitted = await new AutoModel({ timeBudgetMs: 300_000 }).fit(train, { target: r.target });
    const secs = (performance.now() - t0) / 1000;
    const m = testMetric(fitted, test, r);
    const sk = Object.entries(r.models as Record<string, Record<string, number>>)
      .map(([k, v]) => `${k.replace(/Classifier|Regressor|Regression/, '')} ${(v[m.name] as number).toFixed(4)}`)
      .join(', ');
    const ok = m.name === 'rmse' ? m.ours <= m.best : m.ours >= m.best - 1e-9;
    const top = fitted.leaderboardRows[0];
    console.log(
      `| ${name} | ${m.name} | ${m.ours.toFixed(5)} (${fitted.bestModel}) | ${top?.score.toFixed(5)} | ${sk} | ${m.best.toFixed(5)} (${m.bestModel}) | ${ok ? (Math.abs(m.ours - m.best) <= 1e-9 ? 'tie' : 'beats') : 'NO'} | ${secs.toFixed(1)} s |`,
    );
  }
}

/**
 * MLPClassifier / MLPRegressor (defaults: 100 ReLU units, Adam, 200 epochs) against scikit-learn's
 * on the reference script's splits, five seeds each; the scikit-learn script is run in this
 * process's run (before ours) so both are timed under the same load.
 */
async function mlpTable(): Promise<void> {
  const { accuracy: acc, rmse } = await import('../src/index.js');
  const { MLPClassifier, MLPRegressor, ensureBackend } = await import('../src/nn/index.js');
  const { dropMissing, readCsv } = await import('../test/model/linear-data.js');
  await ensureBackend();
  console.log(
    `uptime: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const py = spawnSync('/usr/bin/python3', [new URL('./reference/model_mlp.py', import.meta.url).pathname], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  const sk = JSON.parse(py.status === 0 ? py.stdout : readFileSync(new URL('./reference/model_mlp.json', import.meta.url), 'utf8'));
  console.log(`scikit-learn ${sk.sklearn} (${py.status === 0 ? 'run now, same process run' : 'stored JSON: the child process failed'})`);
  console.log(
    '| set | metric | tessera mean ± sd (5 seeds) | scikit-learn mean ± sd | difference | epochs (tessera / sklearn) | ms per epoch (tessera / sklearn) | ratio |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  const msd = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { m, sd: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) };
  };
  for (const [name, r] of Object.entries(sk.sets as Record<string, Record<string, unknown> & { columns: string[]; target: string; test_idx: number[] }>)) {
    const ds = dropMissing(readCsv(name), [...r.columns, r.target]).select([...r.columns, r.target]);
    const isTest = new Set<number>(r.test_idx);
    const tr: number[] = [];
    for (let i = 0; i < ds.nrows; i++) if (!isTest.has(i)) tr.push(i);
    const train = ds.take(tr);
    const test = ds.take(r.test_idx);
    const scores: number[] = [];
    const perEpoch: number[] = [];
    const epochs: number[] = [];
    for (const seed of sk.seeds as number[]) {
      const t0 = performance.now();
      if (r.task === 'classification') {
        const f = await new MLPClassifier({ seed }).fit(train, { target: r.target });
        perEpoch.push((performance.now() - t0) / f.epochs);
        epochs.push(f.epochs);
        scores.push(acc(test.toColumns()[r.target] as (string | number)[], f.predict(test)));
        f.dispose();
      } else {
        const y = train.toColumns()[r.target] as number[];
        const mu = y.reduce((a, b) => a + b, 0) / y.length;
        const sd = Math.sqrt(y.reduce((a, b) => a + (b - mu) ** 2, 0) / y.length);
        const f = await new MLPRegressor({ seed }).fit(
          train.withColumn(
            r.target,
            y.map((v) => (v - mu) / sd),
          ),
          { target: r.target },
        );
        perEpoch.push((performance.now() - t0) / f.epochs);
        epochs.push(f.epochs);
        scores.push(
          rmse(
            test.toColumns()[r.target] as number[],
            Array.from(f.predict(test), (v) => v * sd + mu),
          ),
        );
        f.dispose();
      }
    }
    const o = msd(scores);
    const runs = r.runs as { metric: number; n_iter: number; s_per_epoch: number }[];
    const t = msd(runs.map((x) => x.metric));
    const ourMs = medianOf(perEpoch);
    const skMs = medianOf(runs.map((x) => x.s_per_epoch * 1000));
    const diff = r.task === 'classification' ? (o.m - t.m).toFixed(4) : `${(((o.m - t.m) / t.m) * 100).toFixed(1)}%`;
    console.log(
      `| ${name} | ${r.metric_name} | ${o.m.toFixed(4)} ± ${o.sd.toFixed(4)} | ${t.m.toFixed(4)} ± ${t.sd.toFixed(4)} | ${diff} | ${msd(epochs).m.toFixed(0)} / ${msd(runs.map((x) => x.n_iter)).m.toFixed(0)} | ${ourMs.toFixed(2)} / ${skMs.toFixed(2)} | ${(ourMs / skMs).toFixed(1)} |`,
    );
  }
}

function medianOf(v: number[]): number {
  return [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
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
const dir = tmpdir();
const xPath = join(dir, `tessera-linear-X-${process.pid}.f64`);
const yPath = join(dir, `tessera-linear-y-${process.pid}.f64`);
writeFileSync(xPath, new Uint8Array(Xf.buffer));
interface SkInfo {
  n_iter: number;
  coef_head: number[];
  train_accuracy: number;
  scipy_nit?: number;
  scipy_nfev?: number;
}
/** Rounds of (scikit-learn child process, tessera) on target `target`; returns medians and the last fits. */
async function interleaved(target: string, rounds: number) {
  writeFileSync(yPath, new Uint8Array(ds.matrix([target]).buffer));
  const ours: number[] = [];
  const theirs: number[] = [];
  let sk: SkInfo | undefined;
  for (let r = 0; r < rounds; r++) {
    const py = spawnSync(
      '/usr/bin/python3',
      [new URL('./reference/model_linear_timing.py', import.meta.url).pathname, xPath, yPath, String(n), '50', '1', r === 0 ? 'counts' : ''],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } },
    );
    if (py.status === 0) {
      const j = JSON.parse(py.stdout);
      theirs.push(j.runs_s[0]);
      sk = { ...sk, ...j };
    } else console.error(py.stderr);
    const t0 = performance.now();
    await new LogisticRegression(features).fit(ds, { target });
    ours.push((performance.now() - t0) / 1000);
    sample();
  }
  const fitted = await new LogisticRegression(features).fit(ds, { target });
  const acc = accuracy(ds.toColumns()[target] as number[], fitted.predict(ds) as number[]);
  return { ours, theirs, sk, fitted, acc };
}
const ROUNDS = 7;
const kernelKind = columnKernel(ds, names.slice(0, 1), 1, 'bench').wasm ? 'WebAssembly SIMD kernel' : 'JavaScript kernel';
const lines: string[] = [
  `uptime: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
];
for (const [label, target] of [
  ['binary', 'y'],
  ['multinomial, 3 classes', 'y3'],
] as const) {
  const { ours, theirs, sk, fitted, acc } = await interleaved(target, ROUNDS);
  const mo = medianOf(ours);
  lines.push(
    `LogisticRegression 100,000 x 50 (lbfgs, ${label}, ${kernelKind}): median ${mo.toFixed(3)} s over ${ROUNDS} runs [${ours.map((v) => v.toFixed(3)).join(', ')}], ${fitted.nIter} iterations, ${fitted.nEval} evaluations, train accuracy ${acc.toFixed(4)}`,
  );
  if (sk && theirs.length) {
    const ms = medianOf(theirs);
    lines.push(
      `  scikit-learn ${ref.sklearn} LogisticRegression() interleaved: median ${ms.toFixed(3)} s [${theirs.map((v) => v.toFixed(3)).join(', ')}], ${sk.n_iter} iterations (SciPy nit ${sk.scipy_nit}, nfev ${sk.scipy_nfev}), train accuracy ${sk.train_accuracy.toFixed(4)}; ratio of medians tessera/sklearn = ${(mo / ms).toFixed(2)}, median of per-round ratios ${medianOf(ours.map((v, i) => v / (theirs[i] ?? Number.NaN))).toFixed(2)}`,
      `  first coefficients: tessera [${Array.from(fitted.coef.slice(0, 5), (v) => v.toFixed(6)).join(', ')}], sklearn [${sk.coef_head.map((v: number) => v.toFixed(6)).join(', ')}]`,
    );
  } else lines.push('  scikit-learn timing failed (see stderr)');
}
rmSync(xPath, { force: true });
rmSync(yPath, { force: true });
const ridge = await median(3, () => new Ridge(features).fit(ds, { target: 'yr' }));
const ols = await median(3, () => new LinearRegression(features).fit(ds, { target: 'yr' }));
clearInterval(timer);
lines.push(
  `Ridge 100,000 x 50: median ${ridge.median.toFixed(3)} s; LinearRegression (Householder QR): median ${ols.median.toFixed(3)} s`,
  `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
);
for (const l of lines) console.log(l);
