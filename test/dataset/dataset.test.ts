import { describe, expect, it } from 'vitest';
import { Dataset, isTesseraError } from '../../src/index.js';

describe('Dataset basics', () => {
  it('infers kinds and keeps missing values', () => {
    const ds = Dataset.from([
      { region: 'north', income: 52000.5, age: 41, vip: true, seen: '2024-03-01' },
      { region: 'south', income: null, age: 35, vip: false, seen: '2024-03-02' },
      { region: 'north', income: 48000, age: null, vip: null, seen: null },
    ]);
    expect(ds.schema.fields.map((f) => [f.name, f.kind, f.nullable])).toEqual([
      ['region', 'category', false],
      ['income', 'number', true],
      ['age', 'integer', true],
      ['vip', 'boolean', true],
      ['seen', 'datetime', true],
    ]);
    expect(ds.get(1, 'income')).toBeNull();
    expect(ds.get(0, 'seen')).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(Array.from(ds.matrix(['income', 'age']))).toEqual([52000.5, 41, Number.NaN, 35, 48000, Number.NaN]);
  });

  it('treats __proto__ and constructor as ordinary names', () => {
    const rows = JSON.parse('[{"__proto__": 1, "constructor": "a"}, {"__proto__": 2, "constructor": "b"}]');
    const ds = Dataset.from(rows);
    expect(ds.columnNames).toEqual(['__proto__', 'constructor']);
    const back = ds.toRows();
    expect(Object.keys(back[0] as object)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(back[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the closest column for an unknown one', () => {
    const ds = Dataset.from({ income: [1], age: [2] });
    try {
      ds.column('incme');
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e, 'E_COLUMN')).toBe(true);
      expect((e as Error).message).toContain('income');
    }
  });

  it('select, drop, filter, slice, sample, concat, rename, withColumn, head', () => {
    const ds = Dataset.from({ a: [1, 2, 3, 4], b: ['x', 'y', 'x', 'z'] });
    expect(ds.select(['b']).columnNames).toEqual(['b']);
    expect(ds.drop(['b']).columnNames).toEqual(['a']);
    expect(ds.filter((r) => (r.a as number) > 2).toColumns().a).toEqual([3, 4]);
    expect(ds.filter([1, 0, 0, 1]).toColumns().b).toEqual(['x', 'z']);
    expect(ds.slice(1, 3).toColumns().a).toEqual([2, 3]);
    expect(ds.slice(-1).toColumns().a).toEqual([4]);
    expect(ds.head(2).nrows).toBe(2);
    const s1 = ds.sample({ n: 3, seed: 7 }).toColumns().a;
    const s2 = ds.sample({ n: 3, seed: 7 }).toColumns().a;
    expect(s1).toEqual(s2);
    expect(new Set(s1).size).toBe(3);
    const both = ds.concat(Dataset.from({ b: ['w'], a: [5] }));
    expect(both.toColumns().b).toEqual(['x', 'y', 'x', 'z', 'w']);
    expect(ds.rename({ a: 'alpha' }).columnNames).toEqual(['alpha', 'b']);
    expect(ds.withColumn('c', new Float64Array([1, 1, 1, 1])).ncols).toBe(3);
    expect(() => ds.withColumn('c', [1, 2])).toThrow(/4 rows/);
  });

  it('fromMatrix and matrix are inverse', () => {
    const m = new Float64Array([1, 2, 3, 4, 5, 6]);
    const ds = Dataset.fromMatrix(m, 3, 2, ['p', 'q']);
    expect(Array.from(ds.matrix())).toEqual(Array.from(m));
    expect(() => Dataset.fromMatrix(m, 4, 2)).toThrow(/not 4 x 2/);
  });

  it('refuses category columns in matrix by name', () => {
    const ds = Dataset.from({ a: [1, 2], b: ['x', 'y'] });
    expect(() => ds.matrix(['a', 'b'])).toThrow(/"b" is not numeric/);
  });

  it('never mutates its input rows', () => {
    const rows = [{ a: '1', b: 'x' }];
    const copy = structuredClone(rows);
    Dataset.from(rows).withColumn('c', [1]);
    expect(rows).toEqual(copy);
  });

  it('applies overrides and reports coercions', () => {
    const ds = Dataset.from(
      [
        { zip: '02139', n: '5' },
        { zip: '10001', n: 'x' },
      ],
      {
        schema: { zip: { kind: 'category' }, n: { kind: 'integer' } },
        onInvalid: 'null',
      },
    );
    expect(ds.column('zip').kind).toBe('category');
    expect(ds.get(0, 'zip')).toBe('02139');
    expect(ds.get(1, 'n')).toBeNull();
    expect(ds.coercions.some((c) => c.column === 'n' && c.to === 'null' && c.rows[0] === 1)).toBe(true);
    expect(() => Dataset.from([{ n: 'x' }], { schema: { n: { kind: 'number' } } })).toThrow(/row 0/);
  });

  it('keeps leading zeros (no silent number conversion)', () => {
    const ds = Dataset.from([{ zip: '02139' }, { zip: '10001' }, { zip: '00501' }]);
    expect(ds.column('zip').kind).not.toBe('integer');
    expect(ds.get(0, 'zip')).toBe('02139');
  });

  it('round trips through arquero', () => {
    const ds = Dataset.from({ a: [1, null, 3], b: ['x', 'y', null] });
    const back = Dataset.from(ds.table);
    expect(back.toColumns()).toEqual(ds.toColumns());
    expect(ds.table.numRows()).toBe(3);
  });
});
