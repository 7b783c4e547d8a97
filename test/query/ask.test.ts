import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ask, Dataset, executePlan, isTesseraError, parse, type QueryPlan, tokenize, toSQL } from '../../src/index.js';
import { customers, NOW, QUESTIONS } from './fixture.js';

const ds = customers();

function sortRows(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe('ask: one question per feature on an inline table', () => {
  for (const { q, feature, rows } of QUESTIONS) {
    it(`${feature}: "${q}"`, () => {
      const a = ask(ds, q, { now: NOW, rowOrder: 'row' });
      const got = a.result.toRows() as Record<string, unknown>[];
      const ordered = a.plan.type === 'select' && a.plan.orderBy.length > 0;
      if (ordered) expect(got).toEqual(rows.map((r) => expect.objectContaining(r)));
      else expect(sortRows(got.map((r) => roundNums(r)))).toEqual(sortRows(rows.map((r) => roundNums(r))));
      expect(typeof a.restatement).toBe('string');
      expect(a.restatement.length).toBeGreaterThan(0);
      expect(a.confidence).toBeGreaterThan(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
      expect(a.sql?.text).toContain('SELECT');
    });
  }
});

function roundNums(r: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v;
  return o;
}

describe('parse', () => {
  it('returns a typed plan, never a string, and ranked alternatives for ambiguous values', () => {
    const amb = Dataset.from({ home: ['Reds', 'Blues', 'Greens'], away: ['Blues', 'Greens', 'Reds'], goals: [1, 2, 3] });
    const r = parse('goals when blues played', amb);
    expect(typeof r.plan).toBe('object');
    expect(r.alternatives.length).toBeGreaterThan(0);
    const cols = [r.plan, ...r.alternatives.map((x) => x.plan)].map((p) => JSON.stringify(p));
    expect(cols.some((c) => c.includes('"home"'))).toBe(true);
    expect(cols.some((c) => c.includes('"away"'))).toBe(true);
    expect(r.confidence).toBeGreaterThanOrEqual(r.alternatives[0]?.confidence ?? 0);
  });

  it('prefers a reading that returns rows when the best one returns none (preferNonEmpty)', () => {
    const games = Dataset.from({ home: ['Reds', 'Blues', 'Greens'], away: ['Blues', 'Greens', 'Reds'], year: [2001, 2002, 2003], goals: [1, 2, 3] });
    const a = ask(games, 'goals when blues played in 2001');
    expect(a.result.toRows()).toEqual([{ goals: 1 }]);
    expect(JSON.stringify(a.plan)).toContain('"away"');
    expect(a.alternatives[0]?.restatement).toContain('home');
    expect(ask(games, 'goals when blues played in 2001', { preferNonEmpty: false }).result.nrows).toBe(0);
  });

  it('links adjectives to values (sunny → sun, foggy → fog)', () => {
    const w = Dataset.from({ weather: ['sun', 'fog', 'sun', 'rain'], wind: [1, 2, 3, 4] });
    expect(ask(w, 'how many days were sunny').result.toRows()).toEqual([{ count: 2 }]);
    expect(ask(w, 'average wind on foggy days').result.toRows()).toEqual([{ 'avg wind': 2 }]);
  });

  it('answers the span of a year column (max − min)', () => {
    const t = Dataset.from({ Year: [1990, 1995, 2003], Title: ['a', 'b', 'c'] });
    const a = ask(t, 'how long in years does the table cover?');
    expect(a.plan.type).toBe('arithmetic');
    expect(a.result.toRows()).toEqual([{ span: 13 }]);
  });

  it('uses user synonyms', () => {
    const t = Dataset.from({ region: ['n', 's'], revenue: [5, 7] });
    const r = parse('total turnover', t, { synonyms: { revenue: ['turnover', 'sales'] } });
    expect(executePlan(r.plan, t).toRows()).toEqual([{ 'sum revenue': 12 }]);
  });

  it('links by schema only (no values) for a column list', () => {
    const r = parse('average price by make', [
      { name: 'make', kind: 'category' },
      { name: 'price', kind: 'number' },
    ]);
    expect(r.plan).toMatchObject({ type: 'select', groupBy: ['make'], items: [{ column: 'make' }, { fn: 'avg', column: 'price' }] });
  });

  it('refuses a question it cannot map with E_QUERY naming the words and close columns', () => {
    let err: unknown;
    try {
      parse('qwerty asdf', ds);
    } catch (e) {
      err = e;
    }
    expect(isTesseraError(err, 'E_QUERY')).toBe(true);
    const te = err as { message: string; details: { words: string[]; suggestions: string[] } };
    expect(te.details.words).toEqual(['qwerty', 'asdf']);
    expect(te.message).toContain('qwerty');
    expect(te.details.suggestions.length).toBeGreaterThan(0);
  });

  it('treats __proto__ and constructor as ordinary column names and handles empty tables', () => {
    const p = Dataset.fromRows(JSON.parse('[{"__proto__":"x","constructor":1},{"__proto__":"z","constructor":2}]'));
    const a = ask(p, 'constructor where proto is z');
    expect(a.result.toRows()).toEqual([{ constructor: 2 }]);
    expect(a.sql?.text).toContain('"__proto__"');
    expect(ask(p, 'total constructor').result.toRows()).toEqual([{ 'sum constructor': 3 }]);
    const empty = Dataset.from({ n: [] as number[], g: [] as string[] });
    expect(ask(empty, 'how many rows').result.toRows()).toEqual([{ count: 0 }]);
  });

  it('bounds the question length (E_LIMIT) and validates options (E_OPTION)', () => {
    expect(() => parse('a'.repeat(1001), ds)).toThrow(expect.objectContaining({ code: 'E_LIMIT' }));
    expect(() => parse('how many', ds, { maxAlternatives: -1 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => parse('how many', ds, { maxLength: 1e9 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });

  it('tokenizes numbers with magnitudes, percentages and ordinals', () => {
    const t = tokenize('5k 1.2 million 20% 3rd 1,200 third');
    expect(t.map((x) => x.num)).toEqual([5000, 1_200_000, 20, 3, 1200, undefined]);
    expect(t[2]?.percent).toBe(true);
    expect(t[3]?.ordinal).toBe(true);
    const r = parse('customers with tenure over 1.2 million', ds);
    expect(JSON.stringify(r.plan)).toContain('1200000');
    expect(JSON.stringify(parse('customers with charges above 5k', ds).plan)).toContain('5000');
  });
});

describe('toSQL', () => {
  it('binds every value as a parameter and quotes identifiers', () => {
    const plan: QueryPlan = {
      type: 'select',
      items: [{ type: 'aggregate', fn: 'count', column: null, as: 'n' }],
      where: { type: 'compare', column: 'x"; DROP TABLE t; --', op: '=', value: "'; DROP TABLE t; --" },
      groupBy: [],
      orderBy: [],
    };
    for (const dialect of ['duckdb', 'postgres', 'ansi'] as const) {
      const q = toSQL(plan, dialect, 't');
      expect(q.text).not.toContain("DROP TABLE t; --'");
      expect(q.text).toContain('"x""; DROP TABLE t; --"');
      expect(q.params).toEqual(["'; DROP TABLE t; --"]);
      expect(q.text).toContain(dialect === 'ansi' ? '?' : '$1');
    }
  });
  it('refuses row-order plans without a row-order column (E_UNSUPPORTED)', () => {
    const plan = parse('first customer', ds).plan;
    expect(() => toSQL(plan, 'duckdb', 't')).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
    expect(toSQL(plan, 'duckdb', 't', { rowOrder: 'row' }).text).toContain('ORDER BY "row" ASC');
  });
});

describe('safety: fuzzing the parser', () => {
  const words = [
    'how',
    'many',
    'customers',
    'texas',
    'tenure',
    'over',
    'between',
    'and',
    'or',
    'not',
    'by',
    'top',
    'first',
    'last',
    'after',
    'than',
    'more',
    '5k',
    '20%',
    'third',
    '2023',
    'month',
    '"',
    "'",
    ';',
    '--',
    '>=',
    'é',
    '🙂',
    '\u0000',
    '\u202e',
  ];
  const q = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.array(fc.constantFrom(...words), { maxLength: 60 }).map((w) => w.join(' ')),
    fc.tuple(fc.constantFrom(...words), fc.integer({ min: 1, max: 400 })).map(([w, n]) => `${w} `.repeat(n)),
  );
  it('gives only results or TesseraErrors on 10,000 random and adversarial strings', () => {
    const small = Dataset.from({ customer: ['Ann', 'Bob'], state: ['Texas', 'Ohio'], tenure: [1, 2], signup: [new Date(0), new Date(1e12)] });
    fc.assert(
      fc.property(q, (question) => {
        try {
          const a = ask(small, question, { now: NOW, rowOrder: 'tenure' });
          return a.result instanceof Dataset;
        } catch (e) {
          return isTesseraError(e);
        }
      }),
      { numRuns: 10_000, seed: 42 },
    );
  });
});
