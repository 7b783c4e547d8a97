import { describe, expect, it } from 'vitest';
import { accuracy, averagePrecision, balancedAccuracy, confusionMatrix, f1, logLoss, mae, mape, precision, r2, recall, rmse, rocAuc } from '../../src/index.js';
import { type Ref, reference } from './linear-data.js';

describe('metrics equal scikit-learn on random inputs with ties (benchmarks/reference/model_linear.json)', () => {
  const m: Ref = reference().metrics;
  it('classification', () => {
    const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 12);
    close(accuracy(m.ym, m.pm), m.accuracy);
    close(balancedAccuracy(m.ym, m.pm), m.balanced_accuracy);
    close(precision(m.yb, m.pb), m.precision_binary);
    close(recall(m.yb, m.pb), m.recall_binary);
    close(f1(m.yb, m.pb), m.f1_binary);
    close(precision(m.ym, m.pm, { average: 'macro' }), m.precision_macro);
    close(recall(m.ym, m.pm, { average: 'macro' }), m.recall_macro);
    close(f1(m.ym, m.pm, { average: 'macro' }), m.f1_macro);
    close(f1(m.ym, m.pm, { average: 'weighted' }), m.f1_weighted);
    close(precision(m.ym, m.pm, { average: 'weighted' }), m.precision_weighted);
    close(f1(m.ym, m.pm, { average: 'micro' }), m.f1_micro);
    close(rocAuc(m.yb, m.sb), m.roc_auc_binary);
    close(averagePrecision(m.yb, m.sb), m.average_precision);
    close(rocAuc(m.ym, m.P, { classes: [0, 1, 2] }), m.roc_auc_ovr_macro);
    close(rocAuc(m.ym, m.P, { classes: [0, 1, 2], average: 'weighted' }), m.roc_auc_ovr_weighted);
    close(logLoss(m.yb, m.sb), m.log_loss_binary);
    close(logLoss(m.ym, m.P, { classes: [0, 1, 2] }), m.log_loss_multi);
    expect(Array.from(confusionMatrix(m.ym, m.pm).matrix)).toEqual(m.confusion);
  });
  it('regression', () => {
    expect(mae(m.yr, m.pr)).toBeCloseTo(m.mae, 12);
    expect(rmse(m.yr, m.pr)).toBeCloseTo(m.rmse, 12);
    expect(r2(m.yr, m.pr)).toBeCloseTo(m.r2, 12);
    expect(mape(m.yr, m.pr)).toBeCloseTo(m.mape, 12);
  });
});
