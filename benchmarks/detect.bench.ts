/**
 * Detect benchmark. Run: `npx tsx benchmarks/detect.bench.ts [quality|speed|all] [seeds]`.
 *
 * 1. sklearn parity: IsolationForest fit and scored on all rows of each of the 12 ADBench sets in
 *    ../shared/data/anomaly (Liu et al. protocol), mean AUCROC of seeds 0..4 (and 0..39) against
 *    scikit-learn's (benchmarks/reference/detect.json, from benchmarks/reference/detect.py).
 * 2. ADBench protocol (paper table D4/D5): stratified 70/30 split per seed (seeds 0..4, tessera's
 *    Rng), detectors fit on the training part without labels, test part scored; AUCROC and AUCPR,
 *    mean of 5 seeds, for every detector, against the paper's 14 detectors (mean over these sets).
 * 3. Speed: IsolationForest on 100,000 x 10 standard normal rows, 100 trees, 256 samples: fit and
 *    score, median of 3 runs, against npm `isolation-forest` (1 run: it is slow) in the same
 *    process and scikit-learn's one-thread timing from the reference JSON. Peak RSS sampled.
 * 4. `supervised [seeds] [sets]`: SupervisedDetector (HistGradientBoostingClassifier, and
 *    LogisticRegression on standardised features; class weights 'balanced') on the ADBench 70/30
 *    split with labels, against the unsupervised IsolationForest on the same split and against
 *    scikit-learn's HistGradientBoostingClassifier / LogisticRegression (class_weight='balanced')
 *    on the same indices (child process, Debian's python3-sklearn). Default sets: cardio, thyroid,
 *    satellite.
 * 5. `nab-lstm`: LSTMForecaster (tessera/nn) one-step residual scores on the 8 shared NAB series:
 *    fit on each file's probationary 15% (gaps filled with the previous value), then
 *    `oneStepResidualScores` over the whole file, peaks filter as in benchmarks/nab, threshold
 *    tuned on these 8 series with benchmarks/nab/scoring.ts, normalised NAB standard score.
 * CSV files are read through test/detect/csv.ts (the project's own `readCSV`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { IsolationForest as PeerIForest } from 'isolation-forest';
import {
  averagePrecision as ap,
  rocAuc as auc,
  Dataset,
  ECOD,
  EllipticEnvelope,
  EnsembleDetector,
  type FittedDetector,
  HistGradientBoostingClassifier,
  IQR,
  IsolationForest,
  KNNDetector,
  LocalOutlierFactor,
  LogisticRegression,
  OneClassSVM,
  oneStepResidualScores,
  Rng,
  RobustZScore,
  StandardScaler,
  SupervisedDetector,
  ZScore,
} from '../src/index.js';
import { ADBENCH, readAnomalySet, readCsv, SHARED, adbenchSplit as split } from '../test/detect/csv.js';

const mode = process.argv[2] ?? 'all';
/** Optional comma-separated detector names to run (quality mode), e.g. `Ensemble,IForest`. */
const only = process.argv[4]?.split(',');
const SEEDS = Number(process.argv[3] ?? 5);
interface RefSet {
  iforest: { aucroc_mean: number; aucroc_mean40: number; aucpr_mean: number };
}
const ref = JSON.parse(readFileSync(new URL('./reference/detect.json', import.meta.url), 'utf8')) as {
  sets: Record<string, RefSet>;
  timing_iforest_100k_x10: { fit_s_median: number; score_s_median: number };
};
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : ' n/a ');
const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

async function parity(): Promise<void> {
  console.log('\n## IsolationForest vs scikit-learn (fit and scored on all rows; AUCROC)\n');
  console.log('| set | tessera 5 seeds | sklearn 5 seeds | diff | tessera 40 seeds | sklearn 40 seeds | diff |');
  console.log('|---|---|---|---|---|---|---|');
  for (const name of ADBENCH) {
    const s = readAnomalySet(name);
    const ds = Dataset.from(s.columns);
    const a: number[] = [];
    for (let seed = 0; seed < 40; seed++) a.push(auc(s.label, (await new IsolationForest({ seed }).fit(ds)).score(ds)));
    const r = (ref.sets[name] as RefSet).iforest;
    const m5 = mean(a.slice(0, 5));
    const m40 = mean(a);
    console.log(
      `| ${name} | ${f3(m5)} | ${f3(r.aucroc_mean)} | ${(m5 - r.aucroc_mean).toFixed(4)} | ${f3(m40)} | ${f3(r.aucroc_mean40)} | ${(m40 - r.aucroc_mean40).toFixed(4)} |`,
    );
  }
}

type Maker = (seed: number) => { fit(ds: Dataset): Promise<FittedDetector> };
const DETECTORS: Record<string, { make: Maker; scaled?: boolean; maxRows?: number }> = {
  IForest: { make: (seed) => new IsolationForest({ seed }) },
  LOF: { make: () => new LocalOutlierFactor(), scaled: true },
  Mahalanobis_MCD: { make: (seed) => new EllipticEnvelope({ seed }) },
  OCSVM: { make: (seed) => new OneClassSVM({ maxSamples: 5000, seed }), scaled: true },
  ECOD: { make: () => new ECOD() },
  ZScore: { make: () => new ZScore() },
  RobustZScore: { make: () => new RobustZScore({ combine: 'mean' }) },
  IQR: { make: () => new IQR({ combine: 'mean' }) },
  KNN: { make: () => new KNNDetector(), scaled: true },
  Ensemble: { make: (seed) => new EnsembleDetector({ seed }) },
  Ensemble_mean: { make: (seed) => new EnsembleDetector({ seed, aggregate: 'mean' }) },
  Ensemble_IF_LOF_MCD_mean: { make: (seed) => new EnsembleDetector({ seed, aggregate: 'mean', members: ['isolationForest', 'lof', 'ellipticEnvelope'] }) },
};

async function quality(): Promise<void> {
  const d4 = readCsv(new URL('reference/adbench_paper_tableD4_unsupervised_aucroc.csv', SHARED));
  const d5 = readCsv(new URL('reference/adbench_paper_tableD5_unsupervised_aucpr.csv', SHARED));
  const names = Object.keys(DETECTORS).filter((d) => !only || only.includes(d));
  const roc: Record<string, Record<string, number>> = {};
  const prc: Record<string, Record<string, number>> = {};
  const secs: Record<string, number> = {};
  for (const set of ADBENCH) {
    const s = readAnomalySet(set);
    const full = Dataset.from(s.columns);
    roc[set] = {};
    prc[set] = {};
    for (const det of names) {
      const spec = DETECTORS[det] as (typeof DETECTORS)[string];
      const r: number[] = [];
      const p: number[] = [];
      const t0 = performance.now();
      for (let seed = 0; seed < SEEDS; seed++) {
        const { train, test } = split(s.label, seed);
        let tr = full.take(train);
        let te = full.take(test);
        if (spec.scaled) {
          const sc = await new StandardScaler().fit(tr);
          tr = sc.transform(tr);
          te = sc.transform(te);
        }
        const fitted = await spec.make(seed).fit(tr);
        const score = fitted.score(te);
        const y = Int32Array.from(test, (i) => s.label[i] as number);
        r.push(auc(y, score));
        p.push(ap(y, score));
      }
      secs[det] = (secs[det] ?? 0) + (performance.now() - t0) / 1000;
      (roc[set] as Record<string, number>)[det] = mean(r);
      (prc[set] as Record<string, number>)[det] = mean(p);
    }
    console.error(set, JSON.stringify(roc[set]));
  }
  const paper = (tbl: { header: string[]; rows: (number | string | null)[][] }, set: string, col: string): number => {
    const row = tbl.rows.find((r) => String(r[0]).toLowerCase() === set);
    const v = row?.[tbl.header.indexOf(col)];
    return typeof v === 'number' ? v / 100 : Number.NaN;
  };
  const paperCols = d4.header.slice(1);
  for (const [title, tbl, ours] of [
    ['AUCROC', d4, roc],
    ['AUCPR', d5, prc],
  ] as const) {
    console.log(`\n## ${title}, ADBench protocol (70/30 stratified, mean of ${SEEDS} seeds)\n`);
    console.log(`| set | ${names.join(' | ')} | paper IForest | paper best |`);
    console.log(`|---|${names.map(() => '---').join('|')}|---|---|`);
    for (const set of ADBENCH) {
      const best = Math.max(...paperCols.map((c) => paper(tbl, set, c)).filter((v) => Number.isFinite(v)));
      console.log(
        `| ${set} | ${names.map((d) => f3((ours[set] as Record<string, number>)[d] as number)).join(' | ')} | ${f3(paper(tbl, set, 'IForest'))} | ${f3(best)} |`,
      );
    }
    console.log(`| **mean** | ${names.map((d) => f3(mean(ADBENCH.map((set) => (ours[set] as Record<string, number>)[d] as number)))).join(' | ')} | | |`);
    console.log(`\nPaper table ${title === 'AUCROC' ? 'D4' : 'D5'}, mean over the same 12 sets (N/A cells skipped):\n`);
    console.log(
      paperCols
        .map((c) => {
          const v = ADBENCH.map((set) => paper(tbl, set, c)).filter((x) => Number.isFinite(x));
          return `${c} ${f3(mean(v))}${v.length < ADBENCH.length ? ` (${v.length} sets)` : ''}`;
        })
        .join(', '),
    );
  }
  console.log(`\nSeconds per detector (all sets, all seeds): ${names.map((d) => `${d} ${(secs[d] as number).toFixed(1)}`).join(', ')}`);
}

async function speed(): Promise<void> {
  const n = 100_000;
  const p = 10;
  const rng = new Rng(0);
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < p; j++) cols[`x${j}`] = Float64Array.from({ length: n }, () => rng.normal());
  const ds = Dataset.from(cols);
  const fits: number[] = [];
  const scores: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const f = await new IsolationForest({ seed: r, nEstimators: 100, maxSamples: 256 }).fit(ds);
    const t1 = performance.now();
    f.score(ds);
    const t2 = performance.now();
    fits.push((t1 - t0) / 1000);
    scores.push((t2 - t1) / 1000);
    peakRss = Math.max(peakRss, process.memoryUsage().rss); // the sampler cannot fire during synchronous scoring
  }
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1] as number;
  // note: tessera's fit also scores the training rows once (to fit the threshold)
  const tf = med(fits);
  const ts = med(scores);
  const rows = Array.from({ length: n }, (_, i) => {
    const o: Record<string, number> = {};
    for (let j = 0; j < p; j++) o[`x${j}`] = (cols[`x${j}`] as Float64Array)[i] as number;
    return o;
  });
  const t0 = performance.now();
  const peer = new PeerIForest(100, 256);
  peer.fit(rows);
  const t1 = performance.now();
  peer.predict(rows);
  const t2 = performance.now();
  const pf = (t1 - t0) / 1000;
  const ps = (t2 - t1) / 1000;
  const sk = ref.timing_iforest_100k_x10;
  console.log('\n## IsolationForest speed, 100,000 x 10, 100 trees, 256 samples\n');
  console.log('| implementation | fit s | score s | total s | total vs tessera |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| tessera (median of 5; with the default 'auto' threshold fit does not score the training rows) | ${tf.toFixed(3)} | ${ts.toFixed(3)} | ${(tf + ts).toFixed(3)} | 1.00 |`,
  );
  console.log(
    `| npm isolation-forest 0.0.9 (1 run, same process) | ${pf.toFixed(2)} | ${ps.toFixed(2)} | ${(pf + ps).toFixed(2)} | ${((pf + ps) / (tf + ts)).toFixed(1)}x slower |`,
  );
  console.log(
    `| scikit-learn 1 thread (reference JSON, same machine) | ${sk.fit_s_median.toFixed(3)} | ${sk.score_s_median.toFixed(3)} | ${(sk.fit_s_median + sk.score_s_median).toFixed(3)} | ${((sk.fit_s_median + sk.score_s_median) / (tf + ts)).toFixed(1)}x slower |`,
  );
  console.log('\n`ml-isolation-forest` is not installed: not measured.');
}

/** Autoencoder 20-16-8-16-20, 100,000 rows, batch 256: seconds per epoch (`ae wasm` or `ae cpu`, one backend per process). */
async function autoencoderSpeed(): Promise<void> {
  const backendName = process.argv[3] === 'cpu' ? 'cpu' : 'wasm';
  const nn = await import('../src/nn/index.js');
  const got = await nn.ensureBackend({ backend: backendName });
  const rng = new Rng(0);
  const n = 100_000;
  const cols: Record<string, Float64Array> = {};
  for (let j = 0; j < 20; j++) cols[`x${j}`] = Float64Array.from({ length: n }, () => rng.normal());
  const ds = Dataset.from(cols);
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await new nn.Autoencoder({ hidden: [16, 8, 16], epochs: 1, batchSize: 256, seed: r }).fit(ds);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(
    `\nAutoencoder 20-16-8-16-20, 100,000 rows, batch 256, backend ${got}: ${(times[1] as number).toFixed(2)} s per epoch (median of 3 one-epoch fits, incl. scoring the training rows)`,
  );
  // PyTorch CPU, same architecture and task, right after (Debian's python3-torch; skipped when absent)
  for (const threads of ['1', '2']) {
    const py = spawnSync('/usr/bin/python3', [new URL('reference/detect_ae_torch.py', import.meta.url).pathname, threads], { encoding: 'utf8' });
    if (py.status !== 0) {
      console.log(`PyTorch reference not run (${(py.stderr || py.error?.message || '').trim().split('\n').pop()})`);
      break;
    }
    const ref = JSON.parse(py.stdout) as { torch: string; s_per_epoch_median: number };
    const ratio = (times[1] as number) / ref.s_per_epoch_median;
    console.log(
      `PyTorch ${ref.torch} CPU, ${threads} thread(s): ${ref.s_per_epoch_median.toFixed(2)} s per epoch (median of 3); tessera ${got} / PyTorch = ${ratio.toFixed(1)}`,
    );
  }
}

const SK_SUPERVISED = `
import sys, json, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score, average_precision_score
cfg = json.load(sys.stdin)
X = np.loadtxt(cfg['path'], delimiter=',', skiprows=1)
y = X[:, -1].astype(int); X = X[:, :-1]
out = []
for tr, te in cfg['splits']:
    tr = np.array(tr); te = np.array(te); r = {}
    w = np.where(y[tr] == 1, len(tr) / (2 * y[tr].sum()), len(tr) / (2 * (len(tr) - y[tr].sum())))
    m = HistGradientBoostingClassifier(random_state=0).fit(X[tr], y[tr], sample_weight=w)
    p = m.predict_proba(X[te])[:, 1]; r['hgb'] = [roc_auc_score(y[te], p), average_precision_score(y[te], p)]
    sc = StandardScaler().fit(X[tr])
    m = LogisticRegression(class_weight='balanced', max_iter=1000).fit(sc.transform(X[tr]), y[tr])
    p = m.predict_proba(sc.transform(X[te]))[:, 1]; r['logreg'] = [roc_auc_score(y[te], p), average_precision_score(y[te], p)]
    out.append(r)
print(json.dumps(out))
`;

async function supervised(): Promise<void> {
  const sets = process.argv[4]?.split(',') ?? ['cardio', 'thyroid', 'satellite'];
  console.log(`\nSupervised detector (ADBench 70/30 split with labels; mean of seeds 0..${SEEDS - 1}): AUCROC / AUCPR on the test part`);
  console.log('set        | IForest (unsup.) | Sup. HGB      | sklearn HGB   | Sup. LogReg   | sklearn LogReg | HGB fit s');
  for (const set of sets) {
    const s = readAnomalySet(set);
    const full = Dataset.from({ ...s.columns, label: Float64Array.from(s.label) });
    const acc: Record<string, [number[], number[]]> = {};
    const add = (k: string, r: number, p: number): void => {
      acc[k] ??= [[], []];
      (acc[k] as [number[], number[]])[0].push(r);
      (acc[k] as [number[], number[]])[1].push(p);
    };
    const splits: [number[], number[]][] = [];
    let hgbSecs = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const { train, test } = split(s.label, seed);
      splits.push([train, test]);
      const tr = full.take(train);
      const te = full.take(test);
      const y = Int32Array.from(test, (i) => s.label[i] as number);
      const iso = await new IsolationForest({ seed }).fit(tr.drop(['label']));
      const si = iso.score(te.drop(['label']));
      add('iforest', auc(y, si), ap(y, si));
      const t0 = performance.now();
      const hgb = await new SupervisedDetector({ model: new HistGradientBoostingClassifier({ seed }), threshold: 0.5 }).fit(tr, { target: 'label' });
      hgbSecs += (performance.now() - t0) / 1000;
      const sh = hgb.score(te);
      add('hgb', auc(y, sh), ap(y, sh));
      const sc = await new StandardScaler().fit(tr.drop(['label']));
      const lr = await new SupervisedDetector({ model: new LogisticRegression(), threshold: 0.5 }).fit(
        sc.transform(tr.drop(['label'])).withColumn('label', tr.column('label')),
        {
          target: 'label',
        },
      );
      const sl = lr.score(sc.transform(te.drop(['label'])));
      add('logreg', auc(y, sl), ap(y, sl));
    }
    const py = spawnSync('/usr/bin/python3', ['-c', SK_SUPERVISED], {
      input: JSON.stringify({ path: new URL(`anomaly/${set}/data.csv`, SHARED).pathname, splits }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (py.status === 0) {
      for (const r of JSON.parse(py.stdout) as Record<string, [number, number]>[]) {
        add('sk_hgb', ...(r.hgb as [number, number]));
        add('sk_logreg', ...(r.logreg as [number, number]));
      }
    } else console.error('scikit-learn reference failed:', py.stderr.trim().split('\n').pop());
    const cell = (k: string): string => (acc[k] ? `${f3(mean(acc[k][0]))} / ${f3(mean(acc[k][1]))}` : '     n/a     ');
    console.log(
      `${set.padEnd(10)} | ${cell('iforest')}    | ${cell('hgb')} | ${cell('sk_hgb')} | ${cell('logreg')} | ${cell('sk_logreg')}  | ${(hgbSecs / SEEDS).toFixed(2)}`,
    );
  }
}

async function nabLstm(): Promise<void> {
  const { loadSeries, NAB_SERIES } = await import('./nab/data.js');
  const { nullAndPerfect, normalise, optimiseThreshold, peaks, scoreFile } = await import('./nab/scoring.js');
  const { LSTMForecaster } = await import('../src/nn/index.js');
  const series = NAB_SERIES.map(loadSeries);
  const t0 = performance.now();
  const scores: Float64Array[] = [];
  for (const s of series) {
    const v = Float64Array.from(s.values);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i] as number)) v[i] = i > 0 ? (v[i - 1] as number) : 0;
    const prob = Math.max(60, Math.floor(0.15 * v.length));
    const f = await new LSTMForecaster({ window: 24, units: 16, epochs: 15, seed: 0 }).fit(v.subarray(0, prob));
    const r = oneStepResidualScores(f, v).map((x) => (Number.isFinite(x) ? x : 0));
    f.dispose();
    // finite scores (NaN mapped to 0 above), so peaks' handling of non-finite scores does not apply
    scores.push(peaks(r, Math.max(10, Math.floor(0.02 * v.length))));
    console.error(s.name, ((performance.now() - t0) / 1000).toFixed(1), 's');
  }
  const tuned = optimiseThreshold(series.map((s, k) => ({ file: s.file, scores: scores[k] as Float64Array })));
  const res = series.map((s, k) => ({ raw: scoreFile(s.file, scores[k] as Float64Array, tuned.threshold).raw, ...nullAndPerfect(s.file) }));
  console.log(
    `\nLSTMForecaster (window 24, 16 units, 15 epochs, fit on the probationary 15%) one-step residuals on the 8 NAB series: normalised standard score ${normalise(res).toFixed(1)} (threshold ${tuned.threshold.toPrecision(4)} tuned on these 8; ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
  for (const [k, s] of series.entries()) {
    console.log(`  ${s.name}: raw ${(res[k] as { raw: number }).raw.toFixed(2)}`);
  }
}

if (mode === 'supervised') await supervised();
if (mode === 'nab-lstm') await nabLstm();
if (mode === 'ae') await autoencoderSpeed();
if (mode === 'speed' || mode === 'all') await speed();
if (mode === 'parity' || mode === 'all') await parity();
if (mode === 'quality' || mode === 'all') await quality();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(`\nPeak RSS: ${(peakRss / 1048576).toFixed(0)} MB (node ${process.version}, ${new Date().toISOString()})`);
