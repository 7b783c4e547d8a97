import { describe, expect, it } from 'vitest';
import {
  Dataset,
  DecisionTreeClassifier,
  type FittedSupervisedDetector,
  HistGradientBoostingClassifier,
  isTesseraError,
  LogisticRegression,
  load,
  Ridge,
  Rng,
  StandardScaler,
  SupervisedDetector,
} from '../../src/index.js';
import { conformance } from '../conformance.js';

function make(n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const a: number[] = [];
  const b: number[] = [];
  const noise: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const anomaly = i % 10 === 3;
    a.push(anomaly ? 2.5 + rng.normal() : rng.normal());
    b.push(rng.normal());
    noise.push(rng.normal());
    y.push(anomaly ? 1 : 0);
  }
  return Dataset.from({ a, b, noise, y });
}

const data = (): Dataset => make(120, 1);
const withMissing = (): Dataset =>
  data().withColumn(
    'a',
    Float64Array.from(data().matrix(['a']), (v, i) => (i === 5 ? Number.NaN : v)),
  );

conformance({
  name: 'SupervisedDetector (LogisticRegression)',
  make: (o) => new SupervisedDetector({ model: new LogisticRegression(), ...o }),
  data,
  fitOptions: { target: 'y' },
  withMissing,
  oneRow: 'error',
  badOptions: [{ threshold: 1.5 }, { classWeight: 'heavy' }, { folds: 1 }, { model: 3 }, { threshold: { precision: 0 } }],
});

async function auc(scores: Float64Array, y: ArrayLike<number>): Promise<number> {
  let pos = 0;
  let wins = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!y[i]) continue;
    pos++;
    for (let j = 0; j < scores.length; j++) if (!y[j]) wins += (scores[i] as number) > (scores[j] as number) ? 1 : scores[i] === scores[j] ? 0.5 : 0;
  }
  return wins / (pos * (scores.length - pos));
}

describe('SupervisedDetector', () => {
  const train = make(300, 2);
  const test = make(300, 3);
  const yTest = test.matrix(['y']);

  it('scores P(anomaly) that ranks held-out anomalies well and thresholds by F1', async () => {
    const f = await new SupervisedDetector({ model: new LogisticRegression() }).fit(train, { target: 'y' });
    const s = f.score(test);
    expect(s.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(await auc(s, yTest)).toBeGreaterThan(0.9);
    expect(f.threshold).toBeGreaterThan(0);
    expect(f.threshold).toBeLessThan(1);
    const p = f.predict(test);
    let tp = 0;
    for (let i = 0; i < p.length; i++) if (p[i] && yTest[i]) tp++;
    expect(tp).toBeGreaterThan(15);
    const e = f.explain(test, 3);
    expect(e.contributions[0]?.column).toBe('a');
  });

  it('a mad threshold over tied probabilities falls back on the mean absolute deviation (not a cut at the median)', async () => {
    // a pure-leaf tree gives most out-of-fold rows a probability of exactly 0: MAD is 0
    const f = await new SupervisedDetector({ model: new DecisionTreeClassifier(), threshold: { kind: 'mad' } }).fit(train, { target: 'y' });
    expect(f.threshold).toBeGreaterThan(0);
    const p = f.score(train);
    const flagged = Array.from(f.predict(train)).filter(Boolean).length;
    expect(flagged).toBeLessThan(p.filter((v) => v > 0).length + 1);
    expect(flagged).toBeLessThan(train.nrows / 2);
  });

  it('precision / recall targets move the threshold the right way', async () => {
    const m = new LogisticRegression();
    const hi = await new SupervisedDetector({ model: m, threshold: { recall: 0.99 } }).fit(train, { target: 'y' });
    const lo = await new SupervisedDetector({ model: m, threshold: { precision: 0.95 } }).fit(train, { target: 'y' });
    expect(hi.threshold).toBeLessThan(lo.threshold);
    const fixed = await new SupervisedDetector({ model: m, threshold: 0.3 }).fit(train, { target: 'y' });
    expect(fixed.threshold).toBe(0.3);
    const cont = await new SupervisedDetector({ model: m, threshold: { kind: 'contamination', contamination: 0.1 } }).fit(train, { target: 'y' });
    expect(cont.predict(train).filter(Boolean).length).toBeGreaterThan(15);
  });

  it('class weighting: sample weights for LogisticRegression, replicated rows for a tree (balanced raises P(anomaly))', async () => {
    for (const model of [new LogisticRegression(), new DecisionTreeClassifier({ maxDepth: 3 })]) {
      const none = await new SupervisedDetector({ model, classWeight: 'none', threshold: 0.5 }).fit(train, { target: 'y' });
      const bal = await new SupervisedDetector({ model, classWeight: 'balanced', threshold: 0.5 }).fit(train, { target: 'y' });
      const mean = (s: Float64Array): number => s.reduce((x, v) => x + v, 0) / s.length;
      expect(mean(bal.score(test))).toBeGreaterThan(mean(none.score(test)) + 0.05);
    }
  });

  it('wraps gradient boosting; round trips with the fitted model inside; exposes importances', async () => {
    const f = await new SupervisedDetector({ model: new HistGradientBoostingClassifier({ maxIter: 20, minSamplesLeaf: 5 }), folds: 2 }).fit(train, {
      target: 'y',
    });
    const again = load<FittedSupervisedDetector>(JSON.parse(JSON.stringify(f.toJSON())));
    expect(Array.from(again.score(test))).toEqual(Array.from(f.score(test)));
    expect(again.threshold).toBe(f.threshold);
    expect(f.featureImportances?.[0]?.column).toBe('a');
    expect(await auc(f.score(test), yTest)).toBeGreaterThan(0.75);
  });

  it('accepts boolean labels and a two-level category with positive', async () => {
    const y = train.matrix(['y']);
    const asBool = train.withColumn(
      'y',
      Array.from(y, (v) => v === 1),
      'boolean',
    );
    const asCat = train.withColumn(
      'y',
      Array.from(y, (v) => (v ? 'fraud' : 'ok')),
      'category',
    );
    const f0 = await new SupervisedDetector({ model: new LogisticRegression(), threshold: 0.5 }).fit(train, { target: 'y' });
    const f1 = await new SupervisedDetector({ model: new LogisticRegression(), threshold: 0.5 }).fit(asBool, { target: 'y' });
    const f2 = await new SupervisedDetector({ model: new LogisticRegression(), threshold: 0.5, positive: 'fraud' }).fit(asCat, { target: 'y' });
    expect(Array.from(f1.score(test))).toEqual(Array.from(f0.score(test)));
    expect(Array.from(f2.score(test))).toEqual(Array.from(f0.score(test)));
  });

  it('refuses bad labels with typed errors', async () => {
    const det = new SupervisedDetector({ model: new LogisticRegression() });
    const code = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
      } catch (e) {
        return isTesseraError(e) ? e.code : `not tessera: ${String(e)}`;
      }
      return 'no error';
    };
    expect(await code(det.fit(train.drop(['y'])))).toBe('E_OPTION'); // no labels
    expect(await code(det.fit(train.withColumn('y', new Float64Array(300)), { target: 'y' }))).toBe('E_SCHEMA'); // one class
    expect(
      await code(
        det.fit(
          train.withColumn(
            'y',
            Float64Array.from({ length: 300 }, (_, i) => i % 3),
          ),
          { target: 'y' },
        ),
      ),
    ).toBe('E_SCHEMA'); // not 0/1
    const cat = train.withColumn(
      'y',
      Array.from({ length: 300 }, (_, i) => ['a', 'b', 'c'][i % 3]),
      'category',
    );
    expect(await code(det.fit(cat, { target: 'y' }))).toBe('E_SCHEMA'); // strings without positive
    expect(await code(new SupervisedDetector({ model: new LogisticRegression(), positive: 'a' }).fit(cat, { target: 'y' }))).toBe('E_SCHEMA'); // 3 levels
    expect(await code(Promise.resolve().then(() => new SupervisedDetector({ model: new StandardScaler() as never })))).toBe('E_OPTION');
    expect(await code(new SupervisedDetector({ model: new Ridge(), threshold: 0.5 }).fit(train, { target: 'y' }))).toBe('E_UNSUPPORTED'); // no probabilities
  });
});
