import * as flechette from '@uwdata/flechette';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  closest,
  Dataset,
  decodeFloat64,
  decodeInt32,
  encodeArray,
  isTesseraError,
  load,
  parseOptions,
  quoteIdent,
  Rng,
  SqlParams,
  StandardScaler,
  TesseraError,
} from '../../src/index.js';

describe('Rng', () => {
  it('is reproducible and seed-dependent', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });

  it('draws uniform doubles and normal deviates with the right moments', () => {
    const r = new Rng(1);
    let s = 0;
    let s2 = 0;
    let u = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
      const v = r.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      u += v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.01);
  });

  it('samples distinct indices and permutations', () => {
    const r = new Rng(3);
    const s = r.sample(100, 10);
    expect(new Set(s).size).toBe(10);
    const big = r.sample(10, 9);
    expect(new Set(big).size).toBe(9);
    expect([...r.permutation(6)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => r.sample(3, 4)).toThrow(TesseraError);
    expect(() => new Rng(Number.NaN)).toThrow(/seed/);
  });
});

describe('serialisation', () => {
  it('encodes typed arrays exactly, NaN and Infinity included', () => {
    const a = new Float64Array([1.5, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e-310]);
    const back = decodeFloat64(encodeArray(a));
    expect(Array.from(back)).toEqual(Array.from(a));
    expect(Object.is(back[3], -0)).toBe(true);
    expect(Array.from(decodeInt32(encodeArray(new Int32Array([-1, 7]))))).toEqual([-1, 7]);
    expect(() => decodeFloat64('AAA')).toThrow(TesseraError);
  });

  it('load refuses unknown types and malformed input', () => {
    expect(() => load({ type: 'Nope', version: 1, params: {}, state: {} })).toThrow(/unknown type "Nope"/);
    expect(() => load(42)).toThrow(TesseraError);
    expect(() => load(null)).toThrow(TesseraError);
  });
});

describe('options and errors', () => {
  it('names the option and the allowed range', () => {
    const S = z.object({ k: z.number().int().min(1).default(8) }).strict();
    expect(parseOptions(S, {}, 'X')).toEqual({ k: 8 });
    try {
      parseOptions(S, { k: 0 }, 'KMeans');
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e, 'E_OPTION')).toBe(true);
      expect((e as TesseraError).details.option).toBe('k');
      expect((e as Error).message).toMatch(/KMeans option "k".*1/);
    }
    expect(() => parseOptions(S, { kk: 1 }, 'KMeans')).toThrow(/unknown option "kk"/);
    expect(() => new StandardScaler({ withMean: 'yes' as never })).toThrow(/withMean/);
  });

  it('suggests close names', () => {
    expect(closest('incme', ['income', 'age', 'region'])).toEqual(['income']);
    expect(closest('zzzzzz', ['income'])).toEqual([]);
  });
});

describe('SQL helpers', () => {
  it('quotes identifiers and binds values', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(() => quoteIdent('')).toThrow(TesseraError);
    const p = new SqlParams('postgres');
    expect(p.add(1)).toBe('$1');
    expect(p.add("'; DROP TABLE t; --")).toBe('$2');
    expect(p.values).toHaveLength(2);
    expect(new SqlParams('ansi').add(1)).toBe('?');
  });
});

describe('Dataset construction', () => {
  it('takes a zod schema as overrides', () => {
    const ds = Dataset.from([{ a: '1', b: 'x', c: '2024-01-01T00:00:00Z' }], {
      schema: z.object({ a: z.number().int(), b: z.enum(['x', 'y']).nullable(), c: z.iso.datetime() }),
    });
    expect(ds.schema.fields.map((f) => f.kind)).toEqual(['integer', 'category', 'datetime']);
    expect(ds.coercions.some((c) => c.column === 'a' && c.from === 'string')).toBe(true);
  });

  it('reads Arrow tables (flechette and apache-arrow)', () => {
    const t = flechette.tableFromArrays({ x: new Float64Array([1, 2]), y: ['a', 'b'] });
    const ds = Dataset.from(t);
    expect(ds.toColumns()).toEqual({ x: [1, 2], y: ['a', 'b'] });
    const at = arrow.tableFromArrays({ n: Int32Array.from([1, 2, 3]), f: Float64Array.from([0.5, Number.NaN, 2]) });
    const ds2 = Dataset.from(at);
    expect(ds2.column('n').kind).toBe('integer');
    expect(ds2.get(1, 'f')).toBeNull();
  });

  it('refuses ragged columns, duplicate names and bad rows by name', () => {
    expect(() => Dataset.from({ a: [1, 2], b: [1] })).toThrow(/"b" has 1 values, expected 2/);
    expect(() => Dataset.from([1 as never])).toThrow(/row 0 is not an object/);
    const ds = Dataset.from({ a: [1] });
    expect(() => ds.withColumn('b', [1]).rename({ b: 'a' })).toThrow(/duplicate column name "a"/);
    expect(() => ds.get(5, 'a')).toThrow(/row 5 out of range/);
    expect(() => Dataset.from({ a: [1] }, { schema: { b: { kind: 'number' } } })).toThrow(/unknown column "b"/);
    expect(() => Dataset.from({ a: [1] }, { schema: { a: { kind: 'float' as never } } })).toThrow(/unknown kind "float"/);
  });

  it('handles empty, all-null and Infinity inputs', () => {
    expect(Dataset.from([]).nrows).toBe(0);
    const ds = Dataset.from({ a: [null, null], b: [Number.POSITIVE_INFINITY, 1] });
    expect(ds.schema.field('a')).toEqual({ name: 'a', kind: 'number', nullable: true });
    expect(ds.get(0, 'b')).toBe(Number.POSITIVE_INFINITY);
    expect(ds.column('b').kind).toBe('number');
  });

  it('mixed kinds become text with a report', () => {
    const ds = Dataset.from({ m: [1, 'a', true] });
    expect(ds.column('m').kind).toBe('text');
    expect(ds.toColumns().m).toEqual(['1', 'a', 'true']);
    expect(ds.coercions.length).toBeGreaterThan(0);
  });
});

describe('Arrow conversion', () => {
  it('toArrow and Dataset.from(arrowTable) are inverse, roles and kinds included', async () => {
    const { toArrow } = await import('../../src/index.js');
    const ds = Dataset.from(
      { id: [1, 2, 3], x: [0.5, null, 2], c: ['a', null, 'b'], t: ['2024-01-01', null, '2024-01-03'], ok: [true, false, null] },
      { roles: { id: 'id' } },
    );
    const table = toArrow(ds);
    expect(table.numRows).toBe(3);
    const back = Dataset.from(table);
    expect(back.toColumns()).toEqual(ds.toColumns());
    expect(back.schema.fields.map((f) => f.kind)).toEqual(ds.schema.fields.map((f) => f.kind));
  });
});

describe('special functions', () => {
  it('incomplete gamma P and Q agree with closed forms on both branches', async () => {
    const { gammaP, gammaQ, lnGamma } = await import('../../src/index.js');
    expect(Math.exp(lnGamma(5))).toBeCloseTo(24, 10);
    for (const x of [0.5, 1, 2, 5, 20]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 12);
      expect(gammaQ(1, x)).toBeCloseTo(Math.exp(-x), 12);
      expect(gammaP(3, x) + gammaQ(3, x)).toBeCloseTo(1, 12);
    }
    expect(gammaP(2, 0)).toBe(0);
    expect(gammaQ(2, 0)).toBe(1);
  });
});
