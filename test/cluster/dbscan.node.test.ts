import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, DBSCAN } from '../../src/index.js';
import { HAS_DATA, reference, scaledSet } from './data.js';

describe.skipIf(!HAS_DATA)('DBSCAN matches scikit-learn on the shared data (needs ../shared/data)', () => {
  const ref = HAS_DATA ? reference() : { sets: {} as ReturnType<typeof reference>['sets'] };
  for (const [name, r] of Object.entries(ref.sets)) {
    it(`${name}: identical labels and core samples (eps ${r.dbscan.eps}, minSamples ${r.dbscan.min_samples})`, async () => {
      const { ds } = scaledSet(name, r.columns);
      const fitted = await new DBSCAN({ eps: r.dbscan.eps, minSamples: r.dbscan.min_samples }).fit(ds);
      expect(Array.from(fitted.labels)).toEqual(r.dbscan.labels);
      expect(Array.from(fitted.coreSampleIndices)).toEqual(r.dbscan.core);
      expect(adjustedRandIndex(fitted.labels, r.dbscan.labels)).toBe(1);
      // predict on the training rows: core rows keep their label, noise stays noise
      const pred = fitted.predict(ds);
      for (const c of r.dbscan.core) expect(pred[c]).toBe(r.dbscan.labels[c]);
      r.dbscan.labels.forEach((l, i) => {
        if (l === -1) expect(pred[i]).toBe(-1);
      });
    });
  }
});
