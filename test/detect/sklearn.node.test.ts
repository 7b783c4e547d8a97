/**
 * Detectors against scikit-learn references (benchmarks/reference/detect.json, computed by
 * benchmarks/reference/detect.py with Debian's python3-sklearn) on the shared ADBench data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dataset, EllipticEnvelope, IsolationForest, LocalOutlierFactor, OneClassSVM, rocAuc, StandardScaler } from '../../src/index.js';
import { ADBENCH, hasShared, readAnomalySet } from './csv.js';

interface Ref {
  sets: Record<
    string,
    { iforest: { aucroc: number[]; aucroc_mean: number; aucroc_mean40: number }; lof_aucroc: number; elliptic_aucroc: number | null; ocsvm_aucroc?: number }
  >;
}
const ref = JSON.parse(readFileSync(new URL('../../benchmarks/reference/detect.json', import.meta.url), 'utf8')) as Ref;

interface Fixture {
  X: number[][];
  lof_train: number[];
  lof_novel_first10: number[];
  ocsvm_decision: number[];
  ocsvm_n_support: number;
  ocsvm_rho: number;
  mcd_location: number[];
  mcd_mahalanobis: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../benchmarks/reference/detect_fixture.json', import.meta.url), 'utf8')) as Fixture;
const fixture = (shift = 0, rows = fx.X.length): Dataset =>
  Dataset.from(Object.fromEntries([0, 1, 2, 3, 4].map((j) => [`x${j}`, fx.X.slice(0, rows).map((r) => (r[j] as number) + shift)])));

describe.skipIf(!hasShared)('detectors match scikit-learn (needs ../shared/data)', () => {
  it('LocalOutlierFactor: training LOF and novelty scores equal sklearn to 1e-9', async () => {
    const f = await new LocalOutlierFactor({ nNeighbors: 10 }).fit(fixture());
    fx.lof_train.forEach((v, i) => expect(f.trainingScores[i]).toBeCloseTo(v, 9));
    const novel = f.score(fixture(0.5, 10));
    fx.lof_novel_first10.forEach((v, i) => expect(novel[i]).toBeCloseTo(v, 9));
  });

  it('OneClassSVM: the SMO solution gives sklearn decision values (to 1e-3), rho and support count', async () => {
    const f = await new OneClassSVM({ nu: 0.2, gamma: 0.1 }).fit(fixture());
    const d = f.decisionFunction(fixture());
    let maxErr = 0;
    fx.ocsvm_decision.forEach((v, i) => {
      maxErr = Math.max(maxErr, Math.abs((d[i] as number) - v));
    });
    expect(maxErr).toBeLessThan(1e-3);
    expect(f.rho).toBeCloseTo(fx.ocsvm_rho, 2);
    expect(Math.abs(f.nSupport - fx.ocsvm_n_support)).toBeLessThanOrEqual(2);
  });

  it('EllipticEnvelope (FastMCD): robust location and distances close to MinCovDet', async () => {
    const f = await new EllipticEnvelope({ seed: 0 }).fit(fixture());
    fx.mcd_location.forEach((v, j) => expect(Math.abs((f.location[j] as number) - v)).toBeLessThan(0.05));
    const s = f.score(fixture());
    let rel = 0;
    fx.mcd_mahalanobis.forEach((v, i) => {
      rel = Math.max(rel, Math.abs((s[i] as number) - v) / Math.max(1, v));
    });
    // FastMCD is randomised: sklearn's own MinCovDet differs by up to 0.18 (relative) across
    // random_state 0..5 on this fixture, so the bound is 0.25 plus the same top-6 rows.
    expect(rel).toBeLessThan(0.25);
    const top = (a: ArrayLike<number>): number[] =>
      Array.from(a, (v, i) => [v, i] as const)
        .sort((x, y) => y[0] - x[0])
        .slice(0, 6)
        .map((x) => x[1])
        .sort((x, y) => x - y);
    expect(top(s)).toEqual(top(fx.mcd_mahalanobis));
  });

  // The default rng ('sklearn') grows scikit-learn's trees: every seed's AUCROC equals scikit-learn's.
  it.each(ADBENCH)('IsolationForest (default rng) AUCROC on %s equals scikit-learn for each of the seeds 0-4', async (name) => {
    const s = readAnomalySet(name);
    const ds = Dataset.from(s.columns);
    const r = (ref.sets[name] as Ref['sets'][string]).iforest.aucroc;
    for (let seed = 0; seed < 5; seed++) {
      expect(rocAuc(s.label, (await new IsolationForest({ seed }).fit(ds)).score(ds)), `seed ${seed}`).toBeCloseTo(r[seed] as number, 12);
    }
  });

  // Small and mid-size sets keep this test fast; benchmarks/detect.bench.ts covers all 12.
  const SETS = ['wbc', 'glass', 'ionosphere', 'pima', 'vowels', 'cardio', 'thyroid'];
  it.each(SETS)("IsolationForest rng 'tessera': AUCROC on %s within 0.01 of scikit-learn (20 seeds vs sklearn 40 seeds)", async (name) => {
    // tessera's own generator gives other trees from the same distribution: seed-to-seed spread is
    // up to 0.02 on some sets (vowels: 5 sklearn seeds give 0.771, 40 give 0.752), so the test
    // compares expected values.
    const s = readAnomalySet(name);
    const ds = Dataset.from(s.columns);
    let m = 0;
    for (let seed = 0; seed < 20; seed++) m += rocAuc(s.label, (await new IsolationForest({ seed, rng: 'tessera' }).fit(ds)).score(ds)) / 20;
    const r = (ref.sets[name] as Ref['sets'][string]).iforest.aucroc_mean40;
    expect(Math.abs(m - r)).toBeLessThan(0.01);
  });

  it.each(['wbc', 'glass', 'ionosphere', 'pima', 'vowels', 'cardio'])('LOF (k=20) and OCSVM AUCROC on %s equal sklearn', async (name) => {
    const s = readAnomalySet(name);
    const ds = Dataset.from(s.columns);
    const lof = await new LocalOutlierFactor().fit(ds);
    const r = ref.sets[name] as Ref['sets'][string];
    expect(rocAuc(s.label, lof.trainingScores)).toBeCloseTo(r.lof_aucroc, 2);
    const sc = (await new StandardScaler().fit(ds)).transform(ds);
    const oc = await new OneClassSVM().fit(sc);
    expect(rocAuc(s.label, oc.score(sc))).toBeCloseTo(r.ocsvm_aucroc as number, 3);
  });
});
