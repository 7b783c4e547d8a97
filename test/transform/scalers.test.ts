import { describe, expect, it } from 'vitest';
import { Dataset, MinMaxScaler, RobustScaler, StandardScaler } from '../../src/index.js';
import { conformance } from '../conformance.js';

const data = () => Dataset.from({ a: [1, 2, 3, 4, 10], b: [5, 5, 5, 5, 5], c: ['x', 'y', 'x', 'y', 'x'], y: [0, 1, 0, 1, 1] }, { roles: { y: 'target' } });
const withMissing = () => Dataset.from({ a: [1, null, 3, 4, 10], b: [5, 5, null, 5, 5] });

conformance({ name: 'StandardScaler', make: (o) => new StandardScaler(o), data, withMissing, badOptions: [{ withMean: 3 }, { columns: 'a' }] });
conformance({ name: 'MinMaxScaler', make: (o) => new MinMaxScaler(o), data, withMissing, badOptions: [{ featureRange: [1, 0] }, { featureRange: 2 }] });
conformance({
  name: 'RobustScaler',
  make: (o) => new RobustScaler(o),
  data,
  withMissing,
  badOptions: [{ quantileRange: [80, 20] }, { quantileRange: [-1, 50] }],
});

describe('scalers match scikit-learn', () => {
  it('StandardScaler uses the population sd and leaves targets alone', async () => {
    const ds = data();
    const out = (await new StandardScaler().fit(ds)).transform(ds);
    // sklearn: StandardScaler().fit_transform([[1],[2],[3],[4],[10]])
    const expected = [-3, -2, -1, 0, 6].map((d) => d / Math.sqrt(10));
    const a = out.column('a');
    if (a.kind !== 'number') throw new Error('kind');
    a.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 8));
    expect(Array.from(out.matrix(['b']))).toEqual([0, 0, 0, 0, 0]);
    expect(out.column('y')).toBe(ds.column('y'));
    expect(out.column('c')).toBe(ds.column('c'));
  });

  it('MinMaxScaler maps to the range and inverts', async () => {
    const ds = data();
    const fitted = await new MinMaxScaler({ featureRange: [-1, 1] }).fit(ds);
    const out = fitted.transform(ds);
    expect(Array.from(out.matrix(['a']))).toEqual([-1, -1 + 2 / 9, -1 + 4 / 9, -1 + 6 / 9, 1].map((v) => expect.closeTo(v, 12)));
    const back = fitted.inverseTransform(out);
    Array.from(back.matrix(['a'])).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3, 4, 10][i] as number, 10));
  });

  it('RobustScaler centres on the median and scales by the IQR', async () => {
    const fitted = await new RobustScaler().fit(data());
    expect(fitted.center[0]).toBe(3);
    expect(fitted.scale[0]).toBe(2); // q75 = 4, q25 = 2
    expect(fitted.scale[1]).toBe(1); // constant column
  });

  it('keeps missing values missing', async () => {
    const ds = withMissing();
    const out = (await new StandardScaler().fit(ds)).transform(ds);
    expect(out.get(1, 'a')).toBeNull();
  });
});
