import { describe, expect, it } from 'vitest';
import { Dataset, isTesseraError, OneHotEncoder, OrdinalEncoder } from '../../src/index.js';
import { conformance } from '../conformance.js';

const data = () =>
  Dataset.from(
    { region: ['north', 'south', 'north', 'east', 'south'], size: ['M', 'S', 'L', 'M', 'S'], income: [1, 2, 3, 4, 5], y: ['a', 'b', 'a', 'b', 'a'] },
    { roles: { y: 'target' } },
  );
const withMissing = () =>
  Dataset.from({ region: ['north', null, 'north', 'east', 'south'], income: [1, 2, 3, 4, 5] }, { schema: { region: { kind: 'category' } } });

conformance({ name: 'OneHotEncoder', make: (o) => new OneHotEncoder(o), data, withMissing, badOptions: [{ handleUnknown: 'maybe' }, { drop: 3 }] });
conformance({ name: 'OrdinalEncoder', make: (o) => new OrdinalEncoder(o), data, withMissing, badOptions: [{ handleUnknown: 'x' }, { unknownValue: 0.5 }] });

describe('OneHotEncoder', () => {
  it('encodes sorted categories in place, as scikit-learn', async () => {
    const ds = data();
    const fitted = await new OneHotEncoder().fit(ds);
    const out = fitted.transform(ds);
    expect(out.columnNames).toEqual(['region_east', 'region_north', 'region_south', 'size_L', 'size_M', 'size_S', 'income', 'y']);
    expect(out.toColumns().region_north).toEqual([1, 0, 1, 0, 0]);
    expect(out.role('y')).toBe('target');
    expect(out.column('region_east').kind).toBe('integer');
  });

  it('drops the first category on request', async () => {
    const ds = data();
    const out = (await new OneHotEncoder({ drop: 'first' }).fit(ds)).transform(ds);
    expect(out.columnNames.slice(0, 4)).toEqual(['region_north', 'region_south', 'size_M', 'size_S']);
  });

  it('refuses or ignores unseen categories', async () => {
    const ds = data();
    const test = Dataset.from({ region: ['west'], size: ['M'], income: [1], y: ['a'] });
    const strict = await new OneHotEncoder().fit(ds);
    try {
      strict.transform(test);
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e, 'E_UNKNOWN_CATEGORY')).toBe(true);
      expect((e as Error).message).toContain('"region"');
      expect((e as Error).message).toContain('west');
    }
    const lax = await new OneHotEncoder({ handleUnknown: 'ignore' }).fit(ds);
    const row = lax.transform(test).row(0);
    expect([row.region_east, row.region_north, row.region_south]).toEqual([0, 0, 0]);
  });

  it('gives missing values their own indicator', async () => {
    const ds = withMissing();
    const out = (await new OneHotEncoder().fit(ds)).transform(ds);
    expect(out.toColumns().region_null).toEqual([0, 1, 0, 0, 0]);
  });
});

describe('OrdinalEncoder', () => {
  it('codes categories in sorted order and inverts', async () => {
    const ds = data();
    const fitted = await new OrdinalEncoder({ columns: ['size'] }).fit(ds);
    const out = fitted.transform(ds);
    expect(out.toColumns().size).toEqual([1, 2, 0, 1, 2]);
    expect(fitted.inverseTransform(out).toColumns().size).toEqual(['M', 'S', 'L', 'M', 'S']);
  });

  it('writes unknownValue for unseen categories when asked', async () => {
    const fitted = await new OrdinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: -1 }).fit(data());
    const out = fitted.transform(Dataset.from({ region: ['west'], size: ['XL'], income: [1], y: ['a'] }));
    expect(out.row(0).region).toBe(-1);
  });
});
