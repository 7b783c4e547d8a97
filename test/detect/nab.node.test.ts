/** NAB scoring (benchmarks/nab/scoring.ts) reproduces NAB's published per-file raw scores. */
import { describe, expect, it } from 'vitest';
import { loadSeries, NAB_DETECTORS, NAB_SERIES, publishedScores, rangeOf } from '../../benchmarks/nab/data.js';
import { normalise, nullAndPerfect, scaledSigmoid, scoreFile } from '../../benchmarks/nab/scoring.js';
import { RelativeEntropyDetector } from '../../src/index.js';
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

  it('RelativeEntropyDetector (defaults, file range as NAB supplies, untuned threshold 1) beats NAB random cut forest on these series', () => {
    const series = NAB_SERIES.map((n) => loadSeries(n));
    const rows = series.map((s) => {
      const d = new RelativeEntropyDetector({ range: rangeOf(s) });
      const scores = Float64Array.from(s.values, (v) => d.update(v));
      const np = nullAndPerfect(s.file);
      const rcf = published.get(s.key).get('randomCutForest').raw as number;
      return { ours: { raw: scoreFile(s.file, scores, 1).raw, ...np }, rcf: { raw: rcf, ...np } };
    });
    const ours = normalise(rows.map((r) => r.ours));
    const rcf = normalise(rows.map((r) => r.rcf));
    expect(rcf).toBeCloseTo(47.3, 1); // NAB's RCF at its published threshold, normalised over these 8 series
    expect(ours).toBeCloseTo(63.3, 1); // benchmarks/results/detect.md
    expect(ours).toBeGreaterThan(rcf);
  });
});
