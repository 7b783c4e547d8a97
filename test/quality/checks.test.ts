import { describe, expect, it } from 'vitest';
import { checksToSQL, Dataset, isTesseraError, offStep, parseSuite, runChecks, SafePattern } from '../../src/index.js';
import { customersData, fullSuite, ordersData } from './fixtures.js';

const opts = { references: { customers: customersData() }, predicates: { smallDiscount: (r: Record<string, unknown>) => (r.discount as number) < 100 } };

function byCheck(ds = ordersData()) {
  const report = runChecks(ds, fullSuite, opts);
  return { report, f: Object.fromEntries(report.findings.map((x) => [x.check, x])) };
}

describe('runChecks (in memory)', () => {
  it('finds each failure with the failing rows, samples, observed and expected', () => {
    const { report, f } = byCheck();
    expect(report.success).toBe(false);
    expect(report.checks).toBe(41);
    expect(f['notNull(customer)']?.rows).toEqual([3]);
    expect(f['notNull(customer)']?.sample).toEqual([{ customer: null }]);
    expect(f['notNull(id)']).toBeUndefined();
    // a row missing any of the columns: shipped (row 2), customer (row 3), code (row 4)
    expect(f['complete(customer, code, shipped)']).toMatchObject({ code: 'incomplete', rows: [2, 3, 4], failing: 3 });
    expect(f['complete(customer, code, shipped)']?.sample[0]).toEqual({ customer: 'c9', code: 'x', shipped: null });
    expect(f['unique(id)']?.rows).toEqual([1, 2]);
    expect(f['unique(id)']?.code).toBe('not_unique');
    expect(f['unique(customer, status)']?.rows).toEqual([1, 5]);
    expect(f['unique(customer, status)']?.severity).toBe('warning');
    expect(f['inSet(status)']?.rows).toEqual([2]);
    expect(f['inSet(discount)']?.rows).toEqual([1]);
    expect(f['notInSet(status)']).toMatchObject({ code: 'forbidden_value', rows: [2], expected: { not: ['lost', 'void'] } });
    expect(f['notInSet(discount)']?.rows).toEqual([1]);
    expect(f['between(total)']?.rows).toEqual([2, 4]);
    expect(f['between(total)']?.expected).toEqual({ min: 0, max: 200 });
    // mostly 0.8 of 6 rows allows 1.2 rounded up = 2 failing rows; mostly 0.9 allows 1
    expect(f['mostly(status)']).toMatchObject({ code: 'not_in_set', rows: [2], failing: 1, severity: 'info' });
    expect(f['mostly(status)']?.message).toContain('mostly 0.8 allows 2 of 6, within tolerance');
    expect(f['mostly(total)']).toMatchObject({ code: 'out_of_range', rows: [2, 4], failing: 2, severity: 'error' });
    expect(f['allow(total)']).toMatchObject({ rows: [2, 4], severity: 'info' });
    expect(f['allow(total)']?.message).toContain('mostly 0.9, allowFailing 2 allows 2 of 6, within tolerance');
    expect(f['between(placed)']?.rows).toEqual([0, 5]);
    // steps: 10.5 is not a whole number; every total is a multiple of 0.5; discounts 1, 3 are odd and 120 is above 100
    expect(f['step(total)']).toMatchObject({ code: 'out_of_range', rows: [0], expected: { step: 1 } });
    expect(f['step(total)']?.message).toContain('in steps of 1');
    expect(f['halves(total)']).toBeUndefined();
    expect(f['between(discount)']).toMatchObject({ rows: [0, 1, 4], expected: { min: 0, max: 100, step: 2 } });
    expect(offStep(2.79, 0.01)).toBe(false);
    expect(offStep(0.1 + 0.2, 0.1)).toBe(false);
    expect(offStep(1e12 + 0.5, 1)).toBe(true);
    expect(offStep(-7, 1)).toBe(false);
    expect(() => runChecks(ordersData(), { checks: [{ type: 'between', column: 'placed', step: 1 }] })).toThrow(
      expect.objectContaining({ code: 'E_SCHEMA', message: expect.stringContaining('"placed"') }),
    );
    expect(() => parseSuite({ checks: [{ type: 'between', column: 'total', step: 0 }] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(f['matchesPattern(code)']?.rows).toEqual([2]);
    expect(f['matchesPattern(status)']?.rows).toEqual([2]);
    expect(f['kind(total)']?.observed).toBe('number');
    expect(f['kind(id)']).toBeUndefined();
    expect(f['rowCountBetween()']?.observed).toBe(6);
    expect(f['columnStatBetween(total.mean)']?.observed).toBeCloseTo(78.9, 10);
    expect(f['columnStatBetween(total.max)']).toBeUndefined();
    expect(f['columnStatBetween(total.stddev)']?.observed).toBeCloseTo(103.57388667, 6);
    expect(f['columnStatBetween(total.median)']?.observed).toBe(40);
    expect(f['columnStatBetween(customer.nullFraction)']?.observed).toBeCloseTo(1 / 6, 12);
    expect(f['columnStatBetween(customer.distinctCount)']?.observed).toBe(3);
    expect(f['columnStatBetween(total.count)']?.observed).toBe(5);
    expect(f['relation(placed <= shipped)']?.rows).toEqual([1]);
    expect(f['relation(discount < total)']?.rows).toEqual([1, 2]);
    // total - 0.5 discount + 2.25 in [0, 100]: row 2 gives -2.75, row 4 gives 250.75, row 3 (total missing) is skipped
    expect(f['linear(total, discount)']).toMatchObject({
      code: 'linear_out_of_range',
      rows: [2, 4],
      sample: [
        { total: -5, discount: 0 },
        { total: 250, discount: 3 },
      ],
    });
    expect(f['linear(total, discount)']?.message).toContain('"total" - 0.5*"discount" + 2.25');
    expect(f['linear(id)']).toMatchObject({ rows: [4, 5], severity: 'warning' });
    expect(f['freshness(placed)']?.code).toBe('stale');
    expect(f['freshness(placed)']?.observed).toBe('2024-03-06T10:00:00.000Z');
    expect(Object.keys(f).filter((k) => k.startsWith('freshness'))).toHaveLength(1);
    expect(f['referential(customer)']?.rows).toEqual([2]);
    expect(f['custom(smallDiscount)']?.rows).toEqual([1]);
    // zod-issue shape
    const one = f['between(total)'];
    expect(one).toMatchObject({ code: 'out_of_range', path: ['total'], column: 'total', failing: 2, severity: 'error' });
    expect(one?.sample).toEqual([{ total: -5 }, { total: 250 }]);
    expect(typeof one?.message).toBe('string');
  });

  it('reads text cells where a check needs numbers or dates, and fails the cells that are not', () => {
    // a text cell turns a numeric column to text when kinds are inferred: the checks still run
    const ds = Dataset.from({
      g: ['100', '250', 'Mississippi', '007', null],
      h: ['1', '2', '3', '4', '5'],
      d: ['2024-01-01', '2024-02-01', 'x', '2024-03-01', null],
    });
    expect([ds.column('g').kind, ds.column('h').kind, ds.column('d').kind]).toEqual(['category', 'integer', 'category']);
    const r = runChecks(ds, {
      checks: [
        { type: 'between', column: 'g', min: 0, max: 200 },
        { type: 'kind', column: 'g', kind: 'number' },
        { type: 'relation', left: 'g', op: '>=', right: 'h' },
        { type: 'linear', terms: [{ column: 'g', coef: 1 }], max: 200 },
        { type: 'between', column: 'd', min: '2024-01-01', max: '2024-02-15' },
        { type: 'columnStatBetween', column: 'g', stat: 'max', max: 100 },
        { type: 'matchesPattern', column: 'h', pattern: '[1-3]' },
      ],
    });
    expect(r.findings.map((f) => [f.check, f.rows])).toEqual([
      ['between(g)', [1, 2]],
      ['kind(g)', [2]],
      ['relation(g >= h)', [2]],
      ['linear(g)', [1, 2]],
      ['between(d)', [2, 3]],
      ['columnStatBetween(g.max)', []],
      ['matchesPattern(h)', [3, 4]],
    ]);
    expect(r.findings[1]?.sample).toEqual([{ g: 'Mississippi' }]);
    // a boolean column with a stray word: the kind finding names that row
    const flags = Dataset.from({ f: ['true', 'false', 'maybe', null, 'TRUE'] });
    expect(runChecks(flags, { checks: [{ type: 'kind', column: 'f', kind: 'boolean' }] }).findings[0]).toMatchObject({ code: 'wrong_kind', rows: [2] });
    expect(r.findings[5]?.observed).toBe(250);
  });

  it('is JSON data: a suite survives JSON and gives the same report', () => {
    const again = JSON.parse(JSON.stringify(fullSuite));
    expect(runChecks(ordersData(), again, opts)).toEqual(runChecks(ordersData(), fullSuite, opts));
  });

  it('uses rowId values as row ids and in samples', () => {
    const r = runChecks(ordersData(), { checks: [{ type: 'unique', columns: ['id'] }] }, { rowId: 'code' });
    expect(r.findings[0]?.rows).toEqual(['AB-124', 'x']);
    expect(r.findings[0]?.sample[0]).toEqual({ code: 'AB-124', id: 2 });
  });

  it('succeeds when only warnings fail', () => {
    const r = runChecks(ordersData(), { checks: [{ type: 'notNull', column: 'customer', severity: 'warning' }] });
    expect(r.success).toBe(true);
    expect(r.findings).toHaveLength(1);
  });

  it('refuses an unknown column naming the closest', () => {
    try {
      runChecks(ordersData(), { checks: [{ type: 'notNull', column: 'totl' }] });
      throw new Error('no error');
    } catch (e) {
      expect(isTesseraError(e, 'E_COLUMN')).toBe(true);
      expect((e as Error).message).toContain('"total"');
    }
  });

  it('refuses a bad suite with E_OPTION naming the path', () => {
    try {
      parseSuite({ checks: [{ type: 'between', column: 'a' }, { type: 'nope' }] });
      throw new Error('no error');
    } catch (e) {
      expect(isTesseraError(e, 'E_OPTION')).toBe(true);
      expect((e as Error).message).toContain('checks.1');
    }
    expect(() => runChecks(ordersData(), { checks: [{ type: 'custom', predicate: 'nope' }] })).toThrow(/predicates/);
    expect(() => runChecks(ordersData(), { checks: [{ type: 'referential', column: 'id', reference: { table: 'x', column: 'y' } }] })).toThrow(/references/);
    expect(() => runChecks(ordersData(), { checks: [{ type: 'linear', terms: [{ column: 'placed', coef: 1 }], max: 1 }] })).toThrow(
      expect.objectContaining({ code: 'E_SCHEMA', message: expect.stringContaining('"placed"') }),
    );
    for (const mostly of [0, -0.1, 1.5]) {
      expect(() => parseSuite({ checks: [{ type: 'notNull', column: 'a', mostly }] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    }
    // mostly belongs to row-level checks only
    expect(() => parseSuite({ checks: [{ type: 'rowCountBetween', min: 1, mostly: 0.9 }] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => parseSuite({ checks: [{ type: 'linear', terms: [], max: 1 }] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });

  it('handles an empty dataset, an all-null column, mixed kinds and huge text', () => {
    const empty = ordersData().slice(0, 0);
    const r = runChecks(empty, {
      checks: [
        { type: 'notNull', column: 'id' },
        { type: 'rowCountBetween', min: 1 },
        { type: 'columnStatBetween', column: 'total', stat: 'mean', min: 0 },
      ],
    });
    expect(r.findings.map((x) => x.code)).toEqual(['row_count', 'stat_out_of_range']);
    expect(r.findings[1]?.observed).toBeNull();
    const nulls = Dataset.from({ a: [null, null, null] });
    const r2 = runChecks(nulls, {
      checks: [
        { type: 'notNull', column: 'a' },
        { type: 'between', column: 'a', min: 0 },
        { type: 'unique', columns: ['a'] },
        { type: 'freshness', column: 'a', maxAgeMs: 1, now: 0 },
      ],
    });
    expect(r2.findings.map((x) => x.code)).toEqual(['not_null', 'stale']);
    const mixed = Dataset.from({ m: [1, 'two', true, null] });
    expect(mixed.column('m').kind).toBe('text');
    const r3 = runChecks(mixed, {
      checks: [
        { type: 'kind', column: 'm', kind: 'number' },
        { type: 'matchesPattern', column: 'm', pattern: '\\d+' },
      ],
    });
    // the kind finding names the cells that are not numbers (true, 'two'); the pattern reads every cell as text
    expect(r3.findings.map((x) => [x.code, x.rows])).toEqual([
      ['wrong_kind', [1, 2]],
      ['pattern_mismatch', [1, 2]],
    ]);
    expect(r3.findings[0]?.message).toContain('(2 rows not read as number)');
    const huge = Dataset.from({ t: ['a'.repeat(1_000_000), 'ok'] }, { schema: { t: { kind: 'text' } } });
    const r4 = runChecks(huge, { checks: [{ type: 'matchesPattern', column: 't', pattern: '(a+)+$' }] });
    expect(r4.findings[0]?.rows).toEqual([1]);
  });
});

describe('SafePattern', () => {
  it('matches the regex subset (whole value)', () => {
    const cases: Array<[string, string, boolean]> = [
      ['abc', 'abc', true],
      ['abc', 'abcd', false],
      ['a.c', 'axc', true],
      ['a.c', 'a\nc', false],
      ['[a-c]+', 'abcab', true],
      ['[^a-c]+', 'xyz', true],
      ['[^a-c]+', 'xaz', false],
      ['\\d{3}-\\d{2,4}', '123-12', true],
      ['\\d{3}-\\d{2,4}', '123-12345', false],
      ['(ab|cd)*', 'abcdab', true],
      ['(ab|cd)*', '', true],
      ['x?y+', 'yyy', true],
      ['^\\w+@\\w+\\.com$', 'me@site.com', true],
      ['[\\w.-]+', 'a.b-c_d', true],
      ['a{2,}', 'a', false],
      ['a{2,}', 'aaaa', true],
      ['(?:a|b){0,2}c', 'abc', true],
      ['(?:a|b){0,2}c', 'abac', false],
      ['é+', 'ééé', true],
      ['😀.', '😀x', true],
      ['\\s*\\S+\\s*', '  x  ', true],
    ];
    for (const [p, s, want] of cases) expect([p, s, SafePattern.compile(p).test(s)]).toEqual([p, s, want]);
  });

  it('agrees with RegExp on random inputs', () => {
    const pats = ['(a|ab)(c|bcd)(d*)', '[ab]*b[ab]{2}', '(a?){3}a{3}', 'x(y|z)+x?', '\\d+(\\.\\d+)?'];
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const p of pats) {
      const re = new RegExp(`^(?:${p})$`);
      const sp = SafePattern.compile(p);
      for (let k = 0; k < 300; k++) {
        const len = Math.floor(rnd() * 8);
        let s = '';
        for (let j = 0; j < len; j++) s += 'abcdxyz1.'[Math.floor(rnd() * 9)];
        expect([p, s, sp.test(s)]).toEqual([p, s, re.test(s)]);
      }
    }
  });

  it('runs catastrophic patterns in linear time', () => {
    for (const p of ['(a+)+$', '(a|a)*b', '(a*)*b', '(x+x+)+y', '(.*a){20}']) {
      const sp = SafePattern.compile(p);
      expect(sp.test(`${'a'.repeat(20_000)}!`)).toBe(false);
    }
  });

  it('refuses what is not regular or too large', () => {
    for (const bad of ['(a)\\1', '(?=a)', '(?<n>a)', 'a*?', '\\b', 'a{1001}', '*a', '(a', '[a', 'a^b', 'x'.repeat(3000)]) {
      expect(() => SafePattern.compile(bad), bad).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    }
  });

  it('prints an anchored SQL regex', () => {
    expect(SafePattern.compile('\\d+').toSqlRegex()).toBe('^(?:(?:[0-9])+)$');
    expect(SafePattern.compile('a.b|c').toSqlRegex()).toBe('^(?:(?:a[^\n]b|c))$');
  });
});

describe('checksToSQL', () => {
  it('binds every value as a parameter', () => {
    const compiled = checksToSQL(fullSuite, 'orders', 'postgres', { rowId: 'rid' });
    const inSet = compiled.find((c) => c.check.type === 'inSet');
    expect(inSet?.query?.text).toContain('NOT IN ($1, $2)');
    expect(inSet?.query?.params).toEqual(['paid', 'open']);
    const custom = compiled.find((c) => c.check.type === 'custom');
    expect(custom?.mode).toBe('skipped');
    expect(custom?.note).toContain('in memory only');
    for (const c of compiled) expect(c.query?.text ?? '').not.toContain("'paid'");
    const ansi = checksToSQL({ checks: [{ type: 'between', column: 'a', min: 1 }] }, 'we"ird', 'ansi');
    expect(ansi[0]?.query?.text).toContain('"we""ird"');
    expect(ansi[0]?.query?.text).toContain('< ?');
  });
});
