import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  confusionMatrix,
  f1,
  isTesseraError,
  logLoss,
  mae,
  mape,
  mase,
  prAuc,
  precision,
  r2,
  recall,
  rmse,
  rocAuc,
  smape,
} from '../../src/index.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isTesseraError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('classification metrics (hand-computed, scikit-learn definitions)', () => {
  it('accuracy, balanced accuracy and the confusion matrix', () => {
    expect(accuracy(['a', 'b', 'b'], ['a', 'b', 'a'])).toBeCloseTo(2 / 3, 12);
    expect(balancedAccuracy([0, 0, 0, 1], [0, 0, 0, 0])).toBe(0.5);
    const cm = confusionMatrix([0, 1, 1, 2], [0, 1, 0, 2]);
    expect(cm.labels).toEqual([0, 1, 2]);
    expect(Array.from(cm.matrix)).toEqual([1, 0, 0, 1, 1, 0, 0, 0, 1]);
  });

  it('precision, recall and F1: binary with posLabel, macro, weighted, micro', () => {
    expect(precision([0, 1, 1, 0], [0, 1, 0, 1])).toBe(0.5);
    expect(recall(['No', 'Yes', 'Yes'], ['No', 'Yes', 'No'], { posLabel: 'Yes' })).toBe(0.5);
    expect(f1(['No', 'Yes', 'Yes'], ['No', 'Yes', 'No'], { posLabel: 'Yes' })).toBeCloseTo(2 / 3, 12);
    // y = [a a b c], p = [a b b b]: P = [1, 1/3, 0], R = [1/2, 1, 0]
    const yt = ['a', 'a', 'b', 'c'];
    const yp = ['a', 'b', 'b', 'b'];
    expect(precision(yt, yp, { average: 'macro' })).toBeCloseTo(4 / 9, 12);
    expect(recall(yt, yp, { average: 'macro' })).toBeCloseTo(0.5, 12);
    expect(f1(yt, yp, { average: 'weighted' })).toBeCloseTo((2 * (2 / 3) + 0.5) / 4, 12);
    expect(f1(yt, yp, { average: 'micro' })).toBeCloseTo(0.5, 12);
    expect(precision([0, 0, 1], [0, 0, 0])).toBe(0); // zero_division = 0
  });

  it('refuses string labels without posLabel for a binary score, and mismatched lengths', () => {
    expect(code(() => f1(['x', 'y'], ['x', 'x']))).toBe('E_OPTION');
    expect(code(() => f1(['a', 'b', 'c'], ['a', 'b', 'c']))).toBe('E_OPTION');
    expect(code(() => accuracy([1, 2], [1]))).toBe('E_SHAPE');
    expect(code(() => accuracy([], []))).toBe('E_EMPTY');
  });

  it('ROC AUC counts ties as half; multiclass one-vs-rest', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc(['n', 'y', 'y'], [0.2, 0.9, 0.6], { posLabel: 'y' })).toBe(1);
    const P = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.5, 0.3, 0.2];
    expect(rocAuc(['a', 'b', 'c', 'a'], P, { classes: ['a', 'b', 'c'] })).toBe(1);
    expect(code(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3]))).toBe('E_SCHEMA');
    expect(code(() => rocAuc([0, 1], [Number.NaN, 0.2]))).toBe('E_NON_FINITE');
  });

  it('average precision (= PR AUC) and log loss', () => {
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 12);
    expect(prAuc([0, 1, 1], [0.2, 0.9, 0.6])).toBe(1);
    expect(logLoss([0, 1], [0.1, 0.8])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(logLoss(['a', 'b'], [0.9, 0.1, 0.2, 0.8], { classes: ['a', 'b'] })).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true); // clipped, not Infinity
  });
});

describe('regression and forecast metrics', () => {
  const yt = [3, -0.5, 2, 7];
  const yp = [2.5, 0, 2, 8];
  it('MAE, RMSE, R2, MAPE', () => {
    expect(mae(yt, yp)).toBe(0.5);
    expect(rmse(yt, yp)).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(r2(yt, yp)).toBeCloseTo(0.9486081370449679, 12);
    expect(r2([1, 1], [1, 1])).toBe(1);
    expect(r2([1, 1], [1, 2])).toBe(0);
    expect(mape([100, 200], [110, 180])).toBeCloseTo(0.1, 12);
  });
  it('sMAPE and MASE', () => {
    expect(smape([100, 200], [110, 180])).toBeCloseTo((20 / 210 + 40 / 380) / 2, 12);
    expect(smape([0], [0])).toBe(0);
    expect(mase([5, 6], [5.5, 6.5], [1, 2, 3, 4])).toBe(0.5);
    expect(mase([5, 6], [5.5, 6.5], [1, 2, 1, 2], { seasonality: 2 })).toBe(Number.POSITIVE_INFINITY);
    expect(code(() => mase([1], [1], [1], { seasonality: 1 }))).toBe('E_EMPTY');
    expect(code(() => mae([1, Number.NaN], [1, 2]))).toBe('E_NON_FINITE');
  });
});
