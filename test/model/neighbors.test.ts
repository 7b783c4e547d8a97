import { describe, expect, it } from 'vitest';
import { bruteKnn, Dataset, KdTree, KNeighborsClassifier, KNeighborsRegressor } from '../../src/index.js';
import { conformance } from '../conformance.js';

const n = 40;
const data = () =>
  Dataset.from({
    a: Array.from({ length: n }, (_, i) => Math.sin(i * 1.7)),
    b: Array.from({ length: n }, (_, i) => Math.cos(i * 0.9)),
    y: Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.9)),
    c: Array.from({ length: n }, (_, i) => (Math.sin(i * 1.7) > 0 ? 'up' : 'down')),
  });
const withMissing = () => Dataset.from({ a: [1, null, 3, 4, 5, 6], y: [1, 2, 3, 4, 5, 6] });

conformance({
  name: 'KNeighborsClassifier',
  make: (o) => new KNeighborsClassifier(o),
  data: () => data().withRoles({ y: 'id' }),
  fitOptions: { target: 'c' },
  badOptions: [{ k: 0 }, { weights: 'gaussian' }],
  withMissing: () => Dataset.from({ a: [1, null, 3, 4, 5, 6], c: ['x', 'y', 'x', 'y', 'x', 'y'] }),
  oneRow: 'error',
});
conformance({
  name: 'KNeighborsRegressor',
  make: (o) => new KNeighborsRegressor(o),
  data: () => data().withRoles({ c: 'id' }),
  fitOptions: { target: 'y' },
  badOptions: [{ k: 1.5 }, { metric: 'cosine' }],
  withMissing,
  oneRow: 'error',
});

describe('k-d tree', () => {
  it('finds the same neighbours as brute force', () => {
    const m = 500;
    const p = 3;
    const X = Float64Array.from({ length: m * p }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453));
    const tree = new KdTree(X, m, p, 8);
    for (let q = 0; q < 50; q++) {
      const point = Float64Array.from({ length: p }, (_, j) => Math.cos(q * 3 + j));
      const a = tree.query(point, 7);
      const b = bruteKnn(X, m, p, point, 0, 7, false);
      expect(Array.from(a.index)).toEqual(Array.from(b.index));
      Array.from(a.dist).forEach((d, j) => expect(d).toBeCloseTo(b.dist[j] as number, 12));
    }
  });

  it('distance weights give exact matches all the weight; k larger than the data is refused', async () => {
    const ds = Dataset.from({ x: [0, 1, 2, 3], y: [10, 20, 30, 40] });
    const f = await new KNeighborsRegressor({ k: 3, weights: 'distance' }).fit(ds, { target: 'y' });
    expect(Array.from(f.predict(Dataset.from({ x: [1] })))).toEqual([20]);
    await expect(new KNeighborsRegressor({ k: 5 }).fit(ds, { target: 'y' })).rejects.toThrow(/only 4 training rows/);
  });
});
