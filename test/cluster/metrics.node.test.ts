import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, calinskiHarabaszScore, daviesBouldinScore, normalizedMutualInfo, silhouetteScore } from '../../src/index.js';
import { HAS_DATA, reference, scaledSet } from './data.js';

describe.skipIf(!HAS_DATA)('cluster metrics match scikit-learn on the shared data (needs ../shared/data)', () => {
  const ref = HAS_DATA ? reference() : { sets: {} as ReturnType<typeof reference>['sets'] };
  for (const [name, r] of Object.entries(ref.sets)) {
    it(`${name}: silhouette, Davies-Bouldin, Calinski-Harabasz, ARI, NMI`, () => {
      const { ds } = scaledSet(name, r.columns);
      const labels = (r.kmeans[String(r.k)] as { labels: number[] }).labels;
      expect(silhouetteScore(ds, labels)).toBeCloseTo(r.metrics.silhouette, 10);
      expect(daviesBouldinScore(ds, labels)).toBeCloseTo(r.metrics.davies_bouldin, 10);
      expect(calinskiHarabaszScore(ds, labels)).toBeCloseTo(r.metrics.calinski_harabasz, 7);
      expect(adjustedRandIndex(r.metrics.label, labels)).toBeCloseTo(r.metrics.ari_vs_label, 12);
      expect(normalizedMutualInfo(r.metrics.label, labels)).toBeCloseTo(r.metrics.nmi_vs_label, 12);
      // a sampled silhouette is close to the exact one and reproducible under its seed
      const s1 = silhouetteScore(ds, labels, { sampleSize: 100, seed: 3 });
      expect(silhouetteScore(ds, labels, { sampleSize: 100, seed: 3 })).toBe(s1);
      expect(Math.abs(s1 - r.metrics.silhouette)).toBeLessThan(0.1);
    });
  }
});
