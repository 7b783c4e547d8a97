import { describe, expect, it } from 'vitest';
import { Dataset, GaussianNaiveBayes } from '../../src/index.js';
import { conformance } from '../conformance.js';

const data = () =>
  Dataset.from({
    a: [1, 1.2, 0.8, 1.1, 5, 5.3, 4.9, 5.2],
    b: [2, 2.5, 2.1, 1.9, 0, 0.3, -0.2, 0.1],
    y: ['p', 'p', 'p', 'p', 'q', 'q', 'q', 'q'],
  });

conformance({
  name: 'GaussianNaiveBayes',
  make: (o) => new GaussianNaiveBayes(o),
  data,
  fitOptions: { target: 'y' },
  badOptions: [{ varSmoothing: -1 }, { priors: 'equal' }],
  withMissing: () => Dataset.from({ a: [1, null, 3, 4], y: ['x', 'y', 'x', 'y'] }),
  oneRow: 'error',
});

describe('GaussianNaiveBayes', () => {
  it('learns class means, population variances plus smoothing, and priors', async () => {
    const f = await new GaussianNaiveBayes().fit(data(), { target: 'y' });
    expect(f.classes).toEqual(['p', 'q']);
    expect(f.theta[0]).toBeCloseTo(1.025, 12);
    expect(Array.from(f.prior)).toEqual([0.5, 0.5]);
    const p = f.predictProba(Dataset.from({ a: [4.5], b: [0.5] }));
    expect(p[1]).toBeGreaterThan(0.99);
    expect((p[0] as number) + (p[1] as number)).toBeCloseTo(1, 12);
    await expect(new GaussianNaiveBayes({ priors: [0.2, 0.2] }).fit(data(), { target: 'y' })).rejects.toThrow(/sum to 1/);
  });
});
