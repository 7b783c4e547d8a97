/**
 * Churn prediction end to end: split, a baseline logistic regression with metrics, cross-validation,
 * permutation importance, and AutoModel with its leaderboard; then save and reload the winner.
 * Reads the shared telco-churn set (../shared/data).
 *
 *   npx tsx examples/churn.ts
 */
import { readFileSync } from 'node:fs';
import {
  AutoModel,
  accuracy,
  confusionMatrix,
  crossValidate,
  type FittedAutoModel,
  f1,
  LogisticRegression,
  load,
  OneHotEncoder,
  permutationImportance,
  pipeline,
  readCSV,
  rocAuc,
  SimpleImputer,
  StandardScaler,
  trainTestSplit,
} from '../src/index.js';

const text = readFileSync(new URL('../../shared/data/tabular/telco-churn/data.csv', import.meta.url), 'utf8');
const ds = readCSV(text);
const { train, test } = trainTestSplit(ds, { testSize: 0.25, stratify: 'churn', seed: 0 });
console.log(`train ${train.nrows} rows, test ${test.nrows} rows`);

// 1. A baseline: impute, one-hot encode, scale, logistic regression with balanced class weights.
const model = pipeline([
  new SimpleImputer({ strategy: 'median' }),
  new OneHotEncoder({ handleUnknown: 'ignore' }),
  new StandardScaler(),
  new LogisticRegression({ classWeight: 'balanced', maxIter: 1000 }),
]);
const fitted = await model.fit(train, { target: 'churn' });
const truth = test.toColumns().churn as string[];
const labels = fitted.predict(test) as string[];
const proba = fitted.predictProba(test);
const pYes = Float64Array.from({ length: test.nrows }, (_, i) => proba[i * 2 + 1] as number);
console.log(
  'accuracy',
  accuracy(truth, labels).toFixed(3),
  'F1(Yes)',
  f1(truth, labels, { posLabel: 'Yes' }).toFixed(3),
  'ROC AUC',
  rocAuc(truth, pYes, { posLabel: 'Yes' }).toFixed(3),
);
console.log('confusion matrix (rows = truth No/Yes):', Array.from(confusionMatrix(truth, labels).matrix));

// 2. Cross-validation on the training rows.
const cv = await crossValidate(model, train, { target: 'churn', cv: 5, scoring: ['roc_auc', 'balanced_accuracy'] });
console.log('5-fold ROC AUC', cv.mean.roc_auc?.toFixed(3), '±', cv.std.roc_auc?.toFixed(3));

// 3. Which columns matter (score drop when one is shuffled).
const imp = permutationImportance(fitted, test, { target: 'churn', scoring: 'roc_auc', nRepeats: 3, seed: 1 });
const top = imp.columns.map((c, j) => [c, imp.mean[j] as number] as const).sort((a, b) => b[1] - a[1]);
console.log(
  'top columns:',
  top
    .slice(0, 5)
    .map(([c, v]) => `${c} ${v.toFixed(3)}`)
    .join(', '),
);

// 4. AutoModel: preprocessing and model choice inside a time budget.
const auto = await new AutoModel({ timeBudgetMs: 30_000 }).fit(train, { target: 'churn' });
console.log(auto.leaderboard.toString(10));
const again = load<FittedAutoModel>(JSON.parse(JSON.stringify(auto.toJSON())));
const autoP = again.predictProba(test);
console.log(
  `AutoModel picked ${again.bestModel}; test ROC AUC`,
  rocAuc(
    truth,
    Float64Array.from({ length: test.nrows }, (_, i) => autoP[i * 2 + 1] as number),
    { posLabel: 'Yes' },
  ).toFixed(3),
);
