import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  Dataset,
  isTesseraError,
  KFold,
  LinearRegression,
  LogisticRegression,
  permutationImportance,
  StratifiedKFold,
  TimeSeriesSplit,
  trainTestSplit,
} from '../../src/index.js';

const tests = (folds: Iterable<{ test: Int32Array }>) => [...folds].map((f) => Array.from(f.test));

describe('splitters give scikit-learn folds', () => {
  it('KFold: first n % k folds one larger; train is the complement', () => {
    // sklearn: [t for _, t in KFold(3).split(range(10))]
    expect(tests(new KFold({ nSplits: 3 }).split(10))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    for (const f of new KFold({ nSplits: 4, shuffle: true, seed: 3 }).split(11)) expect(f.train.length + f.test.length).toBe(11);
    const a = tests(new KFold({ shuffle: true, seed: 1 }).split(20));
    expect(tests(new KFold({ shuffle: true, seed: 1 }).split(20))).toEqual(a);
    expect(a.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('StratifiedKFold deals each class across folds as scikit-learn does', () => {
    const y = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2];
    // sklearn 1.2: [t.tolist() for _, t in StratifiedKFold(3).split(np.zeros(15), y)]
    expect(tests(new StratifiedKFold({ nSplits: 3 }).split(15, y))).toEqual([
      [0, 1, 2, 7, 12],
      [3, 4, 8, 9, 13],
      [5, 6, 10, 11, 14],
    ]);
  });

  it('TimeSeriesSplit: growing windows, gap, fixed test size', () => {
    const folds = [...new TimeSeriesSplit({ nSplits: 3 }).split(10)].map((f) => [Array.from(f.train), Array.from(f.test)]);
    expect(folds).toEqual([
      [
        [0, 1, 2, 3],
        [4, 5],
      ],
      [
        [0, 1, 2, 3, 4, 5],
        [6, 7],
      ],
      [
        [0, 1, 2, 3, 4, 5, 6, 7],
        [8, 9],
      ],
    ]);
    const g = [...new TimeSeriesSplit({ nSplits: 3, gap: 1, testSize: 2 }).split(12)].map((f) => [Array.from(f.train), Array.from(f.test)]);
    expect(g[0]).toEqual([
      [0, 1, 2, 3, 4],
      [6, 7],
    ]);
    expect(() => [...new TimeSeriesSplit({ nSplits: 5 }).split(4)]).toThrow(/too few/);
  });

  it('trainTestSplit is seeded and keeps class shares when stratified', () => {
    const ds = Dataset.from({ x: Array.from({ length: 40 }, (_, i) => i), y: Array.from({ length: 40 }, (_, i) => (i < 28 ? 'a' : 'b')) });
    const s1 = trainTestSplit(ds, { testSize: 0.25, stratify: 'y', seed: 2 });
    const s2 = trainTestSplit(ds, { testSize: 0.25, stratify: 'y', seed: 2 });
    expect(Array.from(s1.testIndex)).toEqual(Array.from(s2.testIndex));
    expect(s1.test.nrows).toBe(10);
    expect(s1.test.toColumns().y?.filter((v) => v === 'b').length).toBe(3);
    expect(s1.train.nrows + s1.test.nrows).toBe(40);
    const plain = trainTestSplit(ds, { testSize: 5, shuffle: false });
    expect(Array.from(plain.testIndex)).toEqual([35, 36, 37, 38, 39]);
    try {
      trainTestSplit(ds, { testSize: 40 });
      throw new Error('expected a TesseraError');
    } catch (e) {
      expect(isTesseraError(e, 'E_EMPTY')).toBe(true);
    }
  });
});

describe('crossValidate and permutationImportance', () => {
  const n = 60;
  const x1 = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 3);
  const x2 = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
  const ds = Dataset.from({ x1, x2, y: x1.map((v, i) => 2 * v + 0.01 * (x2[i] as number)), c: x1.map((v) => (v > 0 ? 'pos' : 'neg')) });

  it('scores every fold; stratified for a classification target', async () => {
    const r = await crossValidate(new LinearRegression({ columns: ['x1', 'x2'] }), ds, { target: 'y', cv: 4, scoring: ['r2', 'neg_mean_absolute_error'] });
    expect(r.scores.r2).toHaveLength(4);
    expect(r.mean.r2).toBeGreaterThan(0.999);
    expect(r.mean.neg_mean_absolute_error).toBeLessThanOrEqual(0);
    const c = await crossValidate(new LogisticRegression({ columns: ['x1', 'x2'] }), ds, { target: 'c', scoring: ['accuracy', 'roc_auc'] });
    expect(c.scores.accuracy).toHaveLength(5);
    expect(c.mean.accuracy).toBeGreaterThan(0.9);
    await expect(crossValidate(new LinearRegression(), ds, { target: 'y', scoring: 'nope' as 'r2' })).rejects.toThrow(/unknown scoring/);
  });

  it('permutation importance ranks the informative column first and is seeded', async () => {
    const fitted = await new LinearRegression({ columns: ['x1', 'x2'] }).fit(ds, { target: 'y' });
    const r = permutationImportance(fitted, ds, { nRepeats: 3, seed: 1 });
    expect(r.columns).toEqual(['x1', 'x2']);
    expect(r.mean[0]).toBeGreaterThan(1);
    expect(Math.abs(r.mean[1] as number)).toBeLessThan(1e-3);
    expect(Array.from(permutationImportance(fitted, ds, { nRepeats: 3, seed: 1 }).importances)).toEqual(Array.from(r.importances));
  });
});
