import { describe, expect, it } from 'vitest';
import { chi2Quantile } from '../../src/detect/linalg.js';
import {
  averagePathLength,
  averagePrecision,
  Dataset,
  ECOD,
  EllipticEnvelope,
  EnsembleDetector,
  IQR,
  IsolationForest,
  isTesseraError,
  KNNDetector,
  LocalOutlierFactor,
  load,
  OneClassSVM,
  Rng,
  RobustZScore,
  resolveThreshold,
  rocAuc,
  ZScore,
} from '../../src/index.js';
import { conformance } from '../conformance.js';

/** 60 inliers around (0, 0, 0) plus 3 outliers, and a label column with role target. */
function blob(n = 60, seed = 1): Dataset {
  const rng = new Rng(seed);
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    a.push(z + 0.1 * rng.normal());
    b.push(2 * z + 0.3 * rng.normal());
    c.push(rng.normal());
  }
  a.push(6, 0.5, -5);
  b.push(-6, 8, -10);
  c.push(0, 5, 0.2);
  const y = [...Array.from({ length: n }, () => 0), 1, 1, 1];
  return Dataset.from({ a, b, c, y }, { roles: { y: 'target' } });
}
const data = () => blob();
const withMissing = () => Dataset.from({ a: [1, 2, null, 4, 5, 6], b: [1, 3, 2, 4, 5, 7] });
const badThreshold = [{ contamination: 0 }, { contamination: 0.6 }, { threshold: { kind: 'quantile', q: 1.5 } }];

conformance({ name: 'ZScore', make: (o) => new ZScore(o), data, withMissing, badOptions: [...badThreshold, { combine: 'median' }] });
conformance({ name: 'RobustZScore', make: (o) => new RobustZScore(o), data, withMissing, badOptions: badThreshold });
conformance({ name: 'IQR', make: (o) => new IQR(o), data, withMissing, badOptions: badThreshold });
conformance({
  name: 'IsolationForest',
  make: (o) => new IsolationForest(o),
  data,
  withMissing,
  baseOptions: { nEstimators: 25 },
  badOptions: [...badThreshold, { nEstimators: 0 }, { maxSamples: -3 }, { maxFeatures: 0 }],
});
conformance({ name: 'EllipticEnvelope', make: (o) => new EllipticEnvelope(o), data, withMissing, badOptions: [...badThreshold, { supportFraction: 0.2 }] });
conformance({
  name: 'LocalOutlierFactor',
  make: (o) => new LocalOutlierFactor(o),
  data,
  withMissing,
  baseOptions: { nNeighbors: 5 },
  badOptions: [...badThreshold, { nNeighbors: 0 }],
});
conformance({
  name: 'KNNDetector',
  make: (o) => new KNNDetector(o),
  data,
  withMissing,
  badOptions: [...badThreshold, { nNeighbors: 0 }, { method: 'max' }],
});
conformance({ name: 'OneClassSVM', make: (o) => new OneClassSVM(o), data, withMissing, badOptions: [...badThreshold, { nu: 0 }, { nu: 1.5 }, { gamma: -1 }] });
conformance({ name: 'ECOD', make: (o) => new ECOD(o), data, withMissing, badOptions: badThreshold });
conformance({
  name: 'EnsembleDetector',
  make: (o) => new EnsembleDetector(o),
  data,
  withMissing,
  badOptions: [...badThreshold, { members: [] }, { members: ['knnn'] }, { combine: 'max' }, { aggregate: 'sum' }],
});

type Opts = { contamination?: number };
const ALL = [
  (o: Opts = {}) => new ZScore(o),
  (o: Opts = {}) => new RobustZScore(o),
  (o: Opts = {}) => new IQR(o),
  (o: Opts = {}) => new IsolationForest({ nEstimators: 50, ...o }),
  (o: Opts = {}) => new EllipticEnvelope(o),
  (o: Opts = {}) => new LocalOutlierFactor({ nNeighbors: 10, ...o }),
  (o: Opts = {}) => new OneClassSVM({ nu: 0.1, gamma: 0.1, ...o }),
  (o: Opts = {}) => new ECOD(o),
  (o: Opts = {}) => new KNNDetector(o),
  (o: Opts = {}) => new EnsembleDetector(o),
  (o: Opts = {}) => new EnsembleDetector({ aggregate: 'mean', members: ['isolationForest', 'lof', 'ellipticEnvelope'], ...o }),
];

describe('every detector', () => {
  it('ranks the three planted outliers above the inliers (AUCROC > 0.9)', async () => {
    const ds = blob();
    const y = ds.matrix(['y']);
    for (const make of ALL) {
      const d = make();
      const s = (await d.fit(ds)).score(ds);
      expect(s.length).toBe(ds.nrows);
      // ECOD is axis-wise: the (6, -6, 0) outlier breaks the a-b relation more than either axis
      expect(rocAuc(y, s), d.type).toBeGreaterThan(d.type === 'ECOD' ? 0.85 : 0.9);
    }
  });

  it('flags about the contamination share of the training rows', async () => {
    const ds = blob(200, 4);
    for (const make of ALL) {
      const d = make({ contamination: 0.1 });
      const fitted = await d.fit(ds);
      const flagged = fitted.predict(ds).filter(Boolean).length;
      expect(flagged, d.type).toBeGreaterThanOrEqual(10);
      expect(flagged, d.type).toBeLessThanOrEqual(32);
    }
  });

  it('refuses contamination outside (0, 0.5] with E_OPTION naming it', () => {
    for (const c of [0, -0.1, 0.51, 1]) {
      try {
        new IsolationForest({ contamination: c });
        throw new Error('expected a TesseraError');
      } catch (e) {
        expect(isTesseraError(e, 'E_OPTION')).toBe(true);
        expect((e as Error).message).toContain('contamination');
      }
    }
    expect(() => new ZScore({ threshold: { kind: 'contamination', contamination: 0.7 } })).toThrow(/contamination/);
    expect(() => new ZScore({ contamination: 0.1, threshold: { kind: 'fixed', value: 2 } })).toThrow(/either/);
    expect(new ZScore({ contamination: 0.5 }).params.contamination).toBe(0.5);
  });

  it('refuses a training set with no variance (E_SCHEMA) for every detector', async () => {
    const flat = Dataset.from({ a: [3, 3, 3, 3, 3], b: [1, 1, 1, 1, 1] });
    for (const make of ALL) {
      const d = make();
      await expect(d.fit(flat), d.type).rejects.toMatchObject({ code: 'E_SCHEMA', message: expect.stringContaining('no variance') });
    }
  });

  it('ignores a constant column when another one varies', async () => {
    const ds = Dataset.from({ a: [1, 2, 3, 4, 50], k: [7, 7, 7, 7, 7] });
    const f = await new ZScore().fit(ds);
    expect(f.scale[1]).toBe(0);
    expect(f.score(Dataset.from({ a: [3], k: [1000] }))[0]).toBeCloseTo(f.score(Dataset.from({ a: [3], k: [7] }))[0] as number, 12);
  });

  it('refuses NaN at fit and at score with E_MISSING_VALUES naming the column', async () => {
    const ds = blob();
    for (const make of ALL) {
      const d = make();
      await expect(d.fit(withMissing())).rejects.toMatchObject({ code: 'E_MISSING_VALUES', message: expect.stringContaining('"a"') });
      const fitted = await d.fit(ds);
      const bad = Dataset.from({ a: [1, Number.NaN], b: [0, 0], c: [0, 0] });
      expect(() => fitted.score(bad)).toThrow(/"a"/);
    }
  });

  it('survives JSON for a non-default threshold strategy', async () => {
    const ds = blob();
    const f = await new IsolationForest({ nEstimators: 20, threshold: { kind: 'mad', k: 2 } }).fit(ds);
    const again = load<typeof f>(JSON.parse(JSON.stringify(f.toJSON())));
    expect(again.threshold).toBe(f.threshold);
    expect(again.predict(ds)).toEqual(f.predict(ds));
  });
});

describe('thresholds', () => {
  const scores = Float64Array.from({ length: 101 }, (_, i) => i);
  it('contamination, fixed, quantile, mad and auto', () => {
    expect(resolveThreshold({ kind: 'contamination', contamination: 0.1 }, scores)).toBeCloseTo(90, 12);
    expect(resolveThreshold({ kind: 'fixed', value: 7 }, scores)).toBe(7);
    expect(resolveThreshold({ kind: 'quantile', q: 0.25 }, scores)).toBe(25);
    // median 50, MAD 25 → 50 + 3 * 1.4826 * 25
    expect(resolveThreshold({ kind: 'mad', k: 3 }, scores)).toBeCloseTo(50 + 3 * 1.4826 * 25, 10);
    expect(resolveThreshold({ kind: 'auto' }, scores, 0.5)).toBe(0.5);
    expect(resolveThreshold({ kind: 'auto' }, scores)).toBeCloseTo(50 + 3 * 1.4826 * 25, 10);
  });
  it('mad falls back on the mean absolute deviation when MAD is 0', () => {
    const s = [0, 0, 0, 0, 0, 0, 10];
    expect(resolveThreshold({ kind: 'mad', k: 3 }, s)).toBeGreaterThan(0);
  });
  it('auto uses each detector natural cut-off', async () => {
    const ds = blob();
    expect((await new IsolationForest({ nEstimators: 10 }).fit(ds)).threshold).toBe(0.5);
    expect((await new ZScore().fit(ds)).threshold).toBe(3);
    expect((await new RobustZScore().fit(ds)).threshold).toBe(3.5);
    expect((await new IQR().fit(ds)).threshold).toBe(1.5);
    expect((await new LocalOutlierFactor().fit(ds)).threshold).toBe(1.5);
    expect((await new OneClassSVM().fit(ds)).threshold).toBe(0);
    expect((await new EllipticEnvelope().fit(ds)).threshold).toBeCloseTo(chi2Quantile(0.975, 3), 10);
  });
  it('chi-square quantiles match scipy', () => {
    expect(chi2Quantile(0.975, 2)).toBeCloseTo(7.377758908227871, 8);
    expect(chi2Quantile(0.5, 9)).toBeCloseTo(8.342832692252955, 8);
    expect(chi2Quantile(0.975, 36)).toBeCloseTo(54.437293631813226, 6);
  });
});

describe('IsolationForest', () => {
  it('c(n) matches scikit-learn _average_path_length', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920116851, 10);
    expect(averagePathLength(3)).toBeCloseTo(2 * (Math.log(2) + 0.5772156649015329) - 4 / 3, 12);
  });
  it('uses every row when there are fewer rows than the subsample size', async () => {
    const ds = blob(20);
    const f = await new IsolationForest({ maxSamples: 256, nEstimators: 10 }).fit(ds);
    expect(f.samplesPerTree).toBe(23);
    const half = await new IsolationForest({ maxSamples: 0.5, nEstimators: 10 }).fit(ds);
    expect(half.samplesPerTree).toBe(11);
  });
  it('scores lie in (0, 1] and explain points at the odd feature', async () => {
    const rng = new Rng(3);
    const a = Array.from({ length: 200 }, () => rng.normal());
    const b = Array.from({ length: 200 }, () => rng.normal());
    a.push(0);
    b.push(12);
    const ds = Dataset.from({ a, b });
    const f = await new IsolationForest({ seed: 2 }).fit(ds);
    const s = f.score(ds);
    for (const v of s) expect(v > 0 && v <= 1).toBe(true);
    const e = f.explain(ds, 200);
    expect(e.contributions[0]?.column).toBe('b');
    expect(e.score).toBeCloseTo(s[200] as number, 12);
    expect(() => f.explain(ds, 999)).toThrow(/out of range/);
  });
  it('deep trees (pointer walk) and shallow trees (complete layout) agree with their own JSON round trip', async () => {
    const ds = blob(300, 9);
    const deep = await new IsolationForest({ maxSamples: 1.0, nEstimators: 5 }).fit(ds);
    const again = load<typeof deep>(JSON.parse(JSON.stringify(deep.toJSON())));
    expect(Array.from(again.score(ds))).toEqual(Array.from(deep.score(ds)));
  });
});

describe('explanations', () => {
  it('z-score, MAD, IQR, Mahalanobis and ECOD name the column that drove the score', async () => {
    const ds = blob();
    for (const d of [new ZScore(), new RobustZScore(), new IQR(), new EllipticEnvelope({ robust: false }), new ECOD()]) {
      const f = await d.fit(ds);
      const e = f.explain(ds, 61); // row 61 = (0.5, 8, 5): c = 5 is odd, and b = 8 against a = 0.5 breaks the a-b relation
      expect(e.contributions.length).toBe(3);
      expect(['b', 'c']).toContain(e.contributions[0]?.column);
    }
    const mah = await new EllipticEnvelope({ robust: false }).fit(ds);
    const e = mah.explain(ds, 60);
    const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
    expect(sum).toBeCloseTo(e.score, 8);
  });
  it('per-column scores for the statistical detectors', async () => {
    const ds = blob();
    const f = await new RobustZScore().fit(ds);
    const pc = f.scoreColumns(ds);
    expect(pc.length).toBe(ds.nrows * 3);
    expect(pc[61 * 3 + 2]).toBeGreaterThan(3.5);
  });
});

describe('ranking metrics', () => {
  it('match scikit-learn on a small example with ties', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333, 9);
    // sklearn: roc_auc_score([0,1,0,1,1],[1,1,2,2,3]) = 0.6667, average_precision_score = 0.7556
    expect(rocAuc([0, 1, 0, 1, 1], [1, 1, 2, 2, 3])).toBeCloseTo(0.6666666667, 9);
    expect(averagePrecision([0, 1, 0, 1, 1], [1, 1, 2, 2, 3])).toBeCloseTo(0.7555555556, 9);
  });
});
