import { describe, expect, it } from 'vitest';
import { Dataset, DateParser, type FittedTransform, KindCoercer, load, MissingTokens, parseDate, TextCleaner, Winsorizer } from '../../src/index.js';
import { conformance } from '../conformance.js';

const messy = () =>
  Dataset.from(
    {
      city: ['  Oslo', 'oslo ', 'ＲＯＭＥ', 'N/A', null, 'Rome\u00a0 '],
      note: ['a  b', ' - ', 'c', 'ok', 'null', 'x'],
      day: ['31/12/2024', '01/02/2025', '15/06/2023', '28/02/2024', null, '02/03/2024'],
      price: ['12.5', 'n/a', '7', '1e3', '-999', '3'],
      x: [1, 2, 3, 4, 1000, -50],
    },
    { schema: { city: { kind: 'category' }, note: { kind: 'text' }, day: { kind: 'text' }, price: { kind: 'text' } }, missingTokens: [] },
  );
const withMissing = () =>
  Dataset.from(
    { city: ['a', null, 'b'], note: [null, 'x', 'y'], day: ['2024-01-01', null, '2024-01-03'], price: ['1', null, '2'], x: [1, null, 3] },
    { schema: { city: { kind: 'category' }, note: { kind: 'text' }, day: { kind: 'text' }, price: { kind: 'text' } } },
  );

conformance({ name: 'TextCleaner', make: (o) => new TextCleaner(o), data: messy, withMissing, badOptions: [{ case: 'title' }, { normalize: 'NFX' }] });
conformance({ name: 'MissingTokens', make: (o) => new MissingTokens(o), data: messy, withMissing, badOptions: [{ tokens: 'NA' }, { numbers: ['x'] }] });
conformance({
  name: 'KindCoercer',
  make: (o) => new KindCoercer({ kinds: { price: 'number' }, ...o }),
  data: messy,
  withMissing,
  badOptions: [{ kinds: {} }, { kinds: { price: 'money' } }],
});
conformance({
  name: 'DateParser',
  make: (o) => new DateParser({ columns: ['day'], ...o }),
  data: messy,
  withMissing,
  badOptions: [{ formats: [] }, { minShare: 0 }],
});
conformance({ name: 'Winsorizer', make: (o) => new Winsorizer(o), data: messy, withMissing, badOptions: [{ lower: 0.7 }, { method: 'zscore' }, { k: -1 }] });

describe('cleaning transforms', () => {
  it('TextCleaner trims, collapses, folds case and normalises; categories merge', async () => {
    const ds = messy();
    const out = (await new TextCleaner({ case: 'lower', normalize: 'NFKC' }).fit(ds)).transform(ds);
    expect(out.toColumns().city).toEqual(['oslo', 'oslo', 'rome', 'n/a', null, 'rome']);
    const c = out.column('city');
    expect(c.kind === 'category' && c.dictionary).toEqual(['oslo', 'rome', 'n/a']);
    expect(out.toColumns().note).toEqual(['a b', '-', 'c', 'ok', 'null', 'x']);
    const huge = Dataset.from({ t: [` ${'x '.repeat(500_000)}`] }, { schema: { t: { kind: 'text' } } });
    expect(((await new TextCleaner().fit(huge)).transform(huge).get(0, 't') as string).length).toBe(999_999);
  });

  it('MissingTokens unifies missing spellings and sentinels', async () => {
    const ds = messy();
    const out = (await new MissingTokens({ numbers: [1000] }).fit(ds)).transform(ds);
    const cols = out.toColumns();
    expect(cols.city).toEqual(['  Oslo', 'oslo ', 'ＲＯＭＥ', null, null, 'Rome\u00a0 ']);
    expect(cols.note).toEqual(['a  b', null, 'c', 'ok', null, 'x']);
    expect(cols.price).toEqual(['12.5', null, '7', '1e3', '-999', '3']);
    expect(cols.x).toEqual([1, 2, 3, 4, null, -50]);
  });

  it('KindCoercer converts and reports what failed', async () => {
    const ds = messy();
    const fitted = await new KindCoercer({ kinds: { price: 'number', x: 'category' } }).fit(ds);
    const { dataset, report } = fitted.transformWithReport(ds);
    expect(dataset.column('price').kind).toBe('number');
    expect(dataset.toColumns().price).toEqual([12.5, null, 7, 1000, -999, 3]);
    expect(report[0]).toEqual({ column: 'price', from: 'text', to: 'number', failed: 1, rows: [1], examples: ['n/a'] });
    expect(dataset.column('x').kind).toBe('category');
    await expect(new KindCoercer({ kinds: { prize: 'number' } }).fit(ds)).rejects.toMatchObject({ code: 'E_COLUMN' });
  });

  it('DateParser picks the format per column and reports failures', async () => {
    const ds = messy();
    const fitted = await new DateParser().fit(ds);
    expect(fitted.formats).toEqual({ day: 'dmy' });
    const { dataset, report } = fitted.transformWithReport(ds);
    expect(dataset.get(0, 'day')).toEqual(new Date('2024-12-31T00:00:00Z'));
    expect(report).toEqual([{ column: 'day', format: 'dmy', failed: 0, rows: [] }]);
    const us = Dataset.from({ d: ['03/04/2024', '12/25/2024', 'garbage'] }, { schema: { d: { kind: 'text' } } });
    const f2 = await new DateParser({ minShare: 0.6 }).fit(us);
    expect(f2.formats).toEqual({ d: 'mdy' });
    expect(f2.transformWithReport(us).report[0]?.rows).toEqual([2]);
    const amb = Dataset.from({ d: ['03/04/2024', '05/06/2024'] }, { schema: { d: { kind: 'text' } } });
    expect((await new DateParser({ dayFirst: true }).fit(amb)).formats).toEqual({ d: 'dmy' });
    expect((await new DateParser().fit(amb)).formats).toEqual({ d: 'mdy' });
    expect(parseDate('Jun 12 1998', 'mon-d-y')).toBe(Date.UTC(1998, 5, 12));
    expect(parseDate('12-Jun-98', 'd-mon-y')).toBe(Date.UTC(1998, 5, 12));
    expect(parseDate('2024-02-30', 'iso')).toBeUndefined();
    expect(parseDate('2024-03-01T10:00:00+02:00', 'iso')).toBe(Date.UTC(2024, 2, 1, 8));
    expect(parseDate(`${'1'.repeat(100_000)}/1/2024`, 'dmy')).toBeUndefined();
    await expect(new DateParser({ columns: ['note'] }).fit(ds)).rejects.toMatchObject({ code: 'E_PARSE' });
  });

  it('Winsorizer caps at learnt quantiles or IQR fences', async () => {
    const ds = Dataset.from({ x: [1, 2, 3, 4, 1000] });
    const f = await new Winsorizer({ method: 'iqr' }).fit(ds);
    expect(f.transform(ds).toColumns().x).toEqual([1, 2, 3, 4, 7]);
    const q = await new Winsorizer({ lower: 0.25, upper: 0.75 }).fit(ds);
    expect(q.transform(ds).toColumns().x).toEqual([2, 2, 3, 4, 4]);
    const again = load<FittedTransform>(JSON.parse(JSON.stringify(q.toJSON())));
    expect(again.transform(ds).toColumns()).toEqual(q.transform(ds).toColumns());
    const nulls = Dataset.from({ x: [null, null] });
    expect((await new Winsorizer({ columns: ['x'] }).fit(nulls)).transform(nulls).toColumns().x).toEqual([null, null]);
  });
});
