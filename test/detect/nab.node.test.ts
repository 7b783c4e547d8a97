/** NAB scoring (benchmarks/nab/scoring.ts) reproduces NAB's published per-file raw scores. */
import { describe, expect, it } from 'vitest';
import { loadSeries, NAB_DETECTORS, NAB_SERIES, publishedScores } from '../../benchmarks/nab/data.js';
import { nullAndPerfect, scaledSigmoid, scoreFile } from '../../benchmarks/nab/scoring.js';
import { hasShared } from './csv.js';

describe.skipIf(!hasShared)('NAB standard-profile scoring (needs ../shared/data)', () => {
  it('scaled sigmoid as documented by NAB', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3)).toBe(-1);
  });

  const published = hasShared ? publishedScores() : new Map();
  it.each(NAB_SERIES)('reproduces raw score, TP, TN, FP, FN of numenta, windowedGaussian, RCF and relativeEntropy on %s', (name) => {
    const s = loadSeries(name);
    const pub = published.get(s.key);
    expect(pub).toBeDefined();
    for (const d of NAB_DETECTORS) {
      const ref = pub.get(d);
      const r = scoreFile(s.file, s.detectorScores[d] as Float64Array, ref.threshold);
      expect(r.raw, `${name} ${d}`).toBeCloseTo(ref.raw, 6);
      expect([r.tp, r.tn, r.fp, r.fn], `${name} ${d}`).toEqual([ref.tp, ref.tn, ref.fp, ref.fn]);
    }
    // the null detector of the published table scores -fnWeight per window
    const np = nullAndPerfect(s.file);
    expect(np.null).toBeCloseTo(pub.get('null').raw, 9);
  });
});
