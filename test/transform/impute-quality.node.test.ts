import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskSeed } from '../../benchmarks/impute/harness.js';
import { applyMask, makeMask, scoreImputation } from '../../benchmarks/impute/masks.js';
import { DATA_DIR, evalSets, realGapSets } from '../../benchmarks/impute/sets.js';
import { IterativeImputer, KNNImputer, SimpleImputer } from '../../src/index.js';

// scikit-learn's scores on the same masks (benchmarks/reference/impute.py via benchmarks/impute/harness.ts).
type Score = { nrmse: number | null; accuracy: number | null };
const REF = JSON.parse(readFileSync(new URL('../../benchmarks/reference/impute.json', import.meta.url), 'utf8')) as {
  sets: Record<string, (Record<string, Score> & { rate: number; mechanism: string })[]>;
};

describe.skipIf(!existsSync(DATA_DIR))('imputation quality on shared data (needs ../shared/data)', () => {
  const sets = evalSets();
  const cases = [
    ['iris', 0.2, 'MCAR'],
    ['penguins', 0.2, 'MAR'],
  ] as const;
  for (const [name, rate, mech] of cases) {
    it(`${name} ${mech} ${rate * 100}%: simple equals, KNN and MICE no worse than scikit-learn (NRMSE, 5% tolerance)`, async () => {
      const si = sets.findIndex((s) => s.name === name);
      const set = sets[si];
      if (!set) throw new Error(name);
      const mask = makeMask(set, rate, mech, maskSeed(si, rate, mech));
      const holed = applyMask(set.ds, mask);
      const ref = REF.sets[name]?.find((r) => r.rate === rate && r.mechanism === mech);
      if (!ref) throw new Error('no reference');
      const simple = scoreImputation(set, mask, (await new SimpleImputer({ roundIntegers: false }).fit(holed)).transform(holed));
      expect(simple.nrmse).toBeCloseTo(ref.simple?.nrmse as number, 9);
      const knn = scoreImputation(set, mask, (await new KNNImputer({ roundIntegers: false }).fit(holed)).transform(holed));
      expect(knn.nrmse).toBeLessThanOrEqual((ref.knn?.nrmse as number) * 1.05);
      const mice = scoreImputation(set, mask, (await new IterativeImputer({ roundIntegers: false }).fit(holed)).transform(holed));
      expect(mice.nrmse).toBeLessThanOrEqual((ref.iterative?.nrmse as number) * 1.05);
    });
  }

  it('MCAR 20%, mean NRMSE over the five sets: KNN and MICE no worse than scikit-learn', async () => {
    const ours = { knn: 0, mice: 0 };
    const theirs = { knn: 0, mice: 0 };
    for (const [si, set] of sets.entries()) {
      const mask = makeMask(set, 0.2, 'MCAR', maskSeed(si, 0.2, 'MCAR'));
      const holed = applyMask(set.ds, mask);
      const ref = REF.sets[set.name]?.find((r) => r.rate === 0.2 && r.mechanism === 'MCAR');
      ours.knn += scoreImputation(set, mask, (await new KNNImputer({ roundIntegers: false }).fit(holed)).transform(holed)).nrmse / sets.length;
      ours.mice += scoreImputation(set, mask, (await new IterativeImputer({ roundIntegers: false }).fit(holed)).transform(holed)).nrmse / sets.length;
      theirs.knn += (ref?.knn?.nrmse as number) / sets.length;
      theirs.mice += (ref?.iterative?.nrmse as number) / sets.length;
    }
    expect(ours.knn).toBeLessThanOrEqual(theirs.knn);
    expect(ours.mice).toBeLessThanOrEqual(theirs.mice);
  });

  it('fills every real gap of airquality, titanic, mice-nhanes and freetrade', async () => {
    for (const { ds } of realGapSets()) {
      for (const make of [() => new SimpleImputer(), () => new KNNImputer(), () => new IterativeImputer({ maxIter: 5 })]) {
        const fitted = await make().fit(ds);
        const { data, report } = fitted.transformWithReport(ds);
        const cols = data.toColumns();
        for (const c of fitted.inputColumns) expect(cols[c]?.includes(null)).toBe(false);
        expect(report.total).toBeGreaterThan(0);
      }
    }
  });
});
