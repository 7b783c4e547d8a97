import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkColumns,
  classifyText,
  compareDatasets,
  Dataset,
  formatShape,
  HyperLogLog,
  hashNumber,
  KllSketch,
  mergeProfiles,
  Profiler,
  profile,
  profileChunk,
  profileToHTML,
  Rng,
  runChecks,
  type Suite,
  suggestChecks,
  tailBounds,
  validate,
} from '../../src/index.js';

/** A suite's first check of `type` whose first column is `col`. */
function checkOf(suite: Suite, type: string, col: string) {
  return suite.checks.find((c) => c.type === type && checkColumns(c)[0] === col);
}

/** The `mostly` allowance of a suite's check, if it has one. */
function mostlyOf(suite: Suite, type: string, col: string): number | undefined {
  const c = checkOf(suite, type, col);
  return c && 'mostly' in c ? c.mostly : undefined;
}

function people(): Dataset {
  return Dataset.from([
    { id: 1, name: 'Ann <b>Lee</b>', email: 'ann@example.com', phone: '+1 555 123 4567', age: 34, city: 'Oslo', joined: '2024-01-05' },
    { id: 2, name: 'Bo "Park"', email: 'bo@example.org', phone: '(555) 987-6543', age: 41, city: 'Rome', joined: '2024-02-10' },
    { id: 3, name: 'Cy & Co', email: 'not-an-email', phone: 'n/a', age: 29, city: 'Oslo', joined: '2024-03-15' },
    { id: 4, name: 'Di', email: null, phone: '555-0000', age: null, city: 'Oslo', joined: '2024-04-20' },
    { id: 5, name: 'Ed', email: 'ed@example.com', phone: '12345', age: 200, city: 'Rome', joined: '2024-05-25' },
    { id: 5, name: 'Ed', email: 'ed@example.com', phone: '12345', age: 200, city: 'Rome', joined: '2024-05-25' },
  ]);
}

describe('profile', () => {
  it('summarises each column by kind', () => {
    const p = profile(people());
    const col = (n: string) => p.columns.find((c) => c.name === n);
    expect(p.nrows).toBe(6);
    expect(col('age')).toMatchObject({ kind: 'integer', count: 5, missing: 1, distinct: 4 });
    expect(col('age')?.numeric?.mean).toBeCloseTo(100.8, 10);
    expect(col('age')?.numeric?.quantiles.p50).toBe(41);
    expect(col('age')?.numeric?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(col('city')).toMatchObject({
      kind: 'category',
      distinct: 2,
      top: [
        { value: 'Oslo', count: 3 },
        { value: 'Rome', count: 3 },
      ],
    });
    expect(col('email')?.text?.patterns.email).toBe(4);
    expect(col('phone')?.text?.patterns.phone).toBe(3);
    expect(col('joined')?.datetime).toEqual({ min: '2024-01-05T00:00:00.000Z', max: '2024-05-25T00:00:00.000Z' });
    expect(p.duplicates).toMatchObject({ count: 1, groups: [[4, 5]] });
    expect(p.correlations?.pearson.columns).toEqual(['id', 'age']);
    expect(JSON.parse(JSON.stringify(p)).columns[0].name).toBe('id');
  });

  it('handles empty data, all-null columns, mixed kinds and huge text', () => {
    expect(profile(Dataset.empty())).toMatchObject({ nrows: 0, ncols: 0, columns: [] });
    const empty = people().slice(0, 0);
    const pe = profile(empty);
    expect(pe.columns.find((c) => c.name === 'age')).toMatchObject({ count: 0, missing: 0, distinct: 0 });
    const nulls = profile(Dataset.from({ a: [null, null], b: [1, 2] }));
    expect(nulls.columns[0]).toMatchObject({ count: 0, missing: 2, missingFraction: 1, distinct: 0 });
    const mixed = profile(Dataset.from({ m: [1, 'x', true, null] }));
    expect(mixed.columns[0]).toMatchObject({ kind: 'text', count: 3, distinct: 3 });
    const big = 'é'.repeat(2_000_000);
    const huge = profile(Dataset.from({ t: [big, 'a@b.co'] }, { schema: { t: { kind: 'text' } } }));
    expect(huge.columns[0]?.text?.maxLength).toBe(2_000_000);
    expect(huge.columns[0]?.text?.patterns.email).toBe(1);
    expect(() => profile(people(), { bins: 0 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });

  it('classifies text patterns in linear time', () => {
    expect(classifyText('a.b@c.io')).toEqual(['email']);
    expect(classifyText('https://x.org/a?b=1')).toEqual(['url']);
    expect(classifyText('2024-03-01')).toEqual(['dateLike']);
    expect(classifyText('03/01/2024')).toEqual(['dateLike']);
    expect(classifyText('-12.5e3')).toEqual(['numericLike']);
    expect(classifyText(`${'a@'.repeat(100)}`)).toEqual([]);
  });

  it('uses selection above 200k values and agrees with the sorted path', () => {
    const n = 210_000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = ((i * 7919) % n) / 10;
    const big = profile(Dataset.fromColumns({ x: v }), { correlations: false, duplicates: false }).columns[0];
    const small = profile(Dataset.fromColumns({ x: v.slice(0, 190_000) }), { correlations: false, duplicates: false }).columns[0];
    expect(big?.numeric?.quantiles.p50).toBeCloseTo(10_499.95, 8);
    expect(big?.numeric?.min).toBe(0);
    expect(big?.approximate).toBe(true);
    expect(Math.abs((big?.distinct as number) - n) / n).toBeLessThan(0.02);
    expect(small?.approximate).toBe(false);
  });

  it('streams: chunks merge to the same counts; state survives JSON', () => {
    const ds = people();
    const whole = new Profiler().update(ds).result();
    const merged = mergeProfiles(profileChunk(ds.slice(0, 2)), profileChunk(ds.slice(2))).result();
    expect(merged.columns.map((c) => [c.name, c.count, c.missing, c.distinct])).toEqual(whole.columns.map((c) => [c.name, c.count, c.missing, c.distinct]));
    const again = Profiler.fromJSON(JSON.parse(JSON.stringify(new Profiler().update(ds).toJSON()))).result();
    expect(again).toEqual(whole);
    expect(() => new Profiler().update(ds).update(ds.select(['id']))).toThrow(expect.objectContaining({ code: 'E_SCHEMA' }));
  });
});

describe('sketches', () => {
  it('HyperLogLog estimates within 2% and merges', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 50_000; i++) a.addHash(hashNumber(i));
    for (let i = 25_000; i < 100_000; i++) b.addHash(hashNumber(i));
    a.merge(b);
    expect(Math.abs(a.estimate() - 100_000) / 100_000).toBeLessThan(0.02);
    expect(HyperLogLog.fromJSON(a.toJSON()).estimate()).toBe(a.estimate());
  });
  it('KLL quantiles within 1% rank error and merges', () => {
    const a = new KllSketch(200);
    const b = new KllSketch(200);
    for (let i = 0; i < 50_000; i++) (i % 2 ? a : b).add((i * 7919) % 50_000);
    a.merge(b);
    expect(a.n).toBe(50_000);
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.99]) expect(Math.abs(a.quantile(q) / 50_000 - q)).toBeLessThan(0.01);
  });
});

describe('profileToHTML (rendered in the document)', () => {
  it('is self-contained, escapes values, and reads back', () => {
    const p = profile(people());
    const html = profileToHTML(p, { title: '<script>alert(1)</script>' });
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('&lt;script&gt;');
    if (typeof document === 'undefined') return; // Node: string checks only; Chromium renders below
    const host = document.createElement('div');
    host.innerHTML = new DOMParser().parseFromString(html, 'text/html').body.innerHTML;
    document.body.appendChild(host);
    try {
      expect(host.querySelector('[data-stat="nrows"]')?.textContent).toBe('6');
      expect(host.querySelector('[data-stat="duplicates"]')?.textContent).toBe('1');
      const age = host.querySelector('section[data-column="age"]');
      expect(age?.querySelector('[data-stat="mean"]')?.textContent).toBe('100.8');
      expect(age?.querySelector('[data-stat="missing"]')?.textContent).toBe('1');
      expect(age?.querySelectorAll('svg.hist rect').length).toBe(20);
      const name = host.querySelector('section[data-column="name"]');
      expect(name?.querySelector('[data-top-value="Ann <b>Lee</b>"]')).not.toBeNull();
      expect(name?.querySelector('b')).toBeNull();
      expect(host.querySelector('h1')?.textContent).toBe('<script>alert(1)</script>');
      expect(host.querySelector('[data-corr="id|age"]')?.getAttribute('data-value')).toBe(((p.correlations?.pearson.matrix[0]?.[1] ?? 0) as number).toFixed(6));
      const rect = age?.querySelector('svg.hist')?.getBoundingClientRect();
      expect(rect?.width).toBeGreaterThan(100);
    } finally {
      host.remove();
    }
  });
});

describe('validate (zod)', () => {
  it('returns findings per column and code with failing rows', () => {
    const schema = z.object({ id: z.number().int(), email: z.email().nullable(), age: z.number().min(0).max(150).nullable(), city: z.enum(['Oslo', 'Rome']) });
    const r = validate(people(), schema, { rowId: 'id' });
    expect(r.success).toBe(false);
    const byCol = Object.fromEntries(r.findings.map((f) => [`${f.column}:${f.code}`, f]));
    expect(byCol['email:invalid_format']?.rows).toEqual([3]);
    expect(byCol['age:too_big']?.rows).toEqual([5, 5]);
    expect(byCol['age:too_big']?.sample[0]).toEqual({ id: 5, age: 200 });
    expect(byCol['age:too_big']?.expected).toBe(150);
    expect(validate(people().slice(0, 2), schema).success).toBe(true);
    expect(validate(Dataset.empty(), schema)).toEqual({ success: true, findings: [], checks: 1 });
    expect(() => validate(people(), {} as never)).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});

describe('compareDatasets and suggestChecks (small)', () => {
  it('flags a shifted column and not an unchanged one', () => {
    const n = 400;
    const ref = Dataset.from({
      x: Array.from({ length: n }, (_, i) => Math.sin(i) * 10),
      c: Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3] as string),
    });
    const cur = Dataset.from({
      x: Array.from({ length: n }, (_, i) => Math.sin(i + 0.5) * 10 + 8),
      c: Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][(i * 7) % 3] as string),
    });
    const r = compareDatasets(ref, cur);
    expect(r.columns.find((c) => c.column === 'x')).toMatchObject({ drift: true, severity: 'major' });
    expect(r.columns.find((c) => c.column === 'c')).toMatchObject({ drift: false });
    expect(r.drift).toBe(true);
    expect(compareDatasets(ref, ref).drift).toBe(false);
    const empty = compareDatasets(ref.slice(0, 0), cur);
    expect(empty.columns[0]?.note).toBe('no values on one side');
    expect(() => compareDatasets(ref, cur, { columns: ['y'] })).toThrow(expect.objectContaining({ code: 'E_COLUMN' }));
  });
  it('suggests an editable JSON suite', () => {
    const ds = Dataset.from({
      id: Array.from({ length: 60 }, (_, i) => i),
      v: Array.from({ length: 60 }, (_, i) => i % 7),
      c: Array.from({ length: 60 }, (_, i) => (i % 2 ? 'x' : 'y')),
    });
    const s = suggestChecks(ds);
    const types = s.checks.map((c) => `${c.type}:${'column' in c ? c.column : 'columns' in c ? c.columns.join('+') : ''}`);
    expect(types).toContain('unique:id');
    expect(types).toContain('inSet:c');
    expect(types).toContain('notNull:v');
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(suggestChecks(Dataset.empty()).checks).toEqual([{ type: 'rowCountBetween', min: 1, description: 'the table is not empty', severity: 'error' }]);
  });
  it('grades evidence: allowances where the reference hints at rare failures, strict checks elsewhere', () => {
    const rng = new Rng(5);
    const n = 400;
    const x = Array.from({ length: n }, () => rng.next() * 10);
    const complete = Dataset.from({
      x,
      y: x.map((v) => 2 * v + rng.next()),
      flag: Array.from({ length: n }, (_, i) => i % 2),
      c: Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3] as string),
    });
    const s = suggestChecks(complete);
    const find = (type: string, col: string) => checkOf(s, type, col);
    expect(find('notNull', 'x')?.severity).toBe('error');
    expect(find('inSet', 'c')?.severity).toBe('error');
    // a 0/1 flag: both tails pile up at the extremes, read as limits give or take one step
    expect(find('between', 'flag')).toMatchObject({ min: 0, max: 2, severity: 'error' });
    // tail model: beyond the observed range, but not by a whole range
    const bx = find('between', 'x') as { min: number; max: number };
    expect(bx.max).toBeGreaterThan(Math.max(...x));
    expect(bx.max).toBeLessThan(Math.max(...x) + 10);
    // y = 2x + noise: a linear check on the residual, which a swapped cell breaks
    const lin = s.checks.find((c) => c.type === 'linear');
    expect(lin && checkColumns(lin).sort()).toEqual(['x', 'y']);
    const swapped = Dataset.from({ x: [1, 9], y: [2.5, 2.5], flag: [0, 1], c: ['a', 'b'] });
    expect(runChecks(swapped, s).findings.map((f) => [f.type, f.rows])).toEqual([['linear', [1]]]);
    expect(runChecks(complete, s).findings).toEqual([]);
    // a missing cell elsewhere and a category seen once: notNull and inSet tolerate a few failing
    // rows (mostly): 7 missing cells per 400 rows, and the Good-Turing allowance of new values
    const gappy = Dataset.from({
      x: x.map((v, i) => (i === 0 ? null : v)),
      flag: Array.from({ length: n }, (_, i) => i % 2),
      c: Array.from({ length: n }, (_, i) => (i === 7 ? 'rare' : (['a', 'b', 'c'][i % 3] as string))),
      d: Array.from({ length: n }, (_, i) => ['u', 'v'][i % 2] as string),
    });
    const g = suggestChecks(gappy);
    const gf = (type: string, col: string) => checkOf(g, type, col);
    expect(gf('notNull', 'flag')).toMatchObject({ severity: 'error', mostly: 0.9825 });
    // and the complete columns together: a loss spread thinly over several columns adds up
    expect(g.checks.find((c) => c.type === 'complete')).toMatchObject({ name: 'complete(rows)', columns: ['flag', 'c', 'd'], mostly: 0.9825 });
    // one value seen once: about 1 new value per 400 rows, 5 at the upper 0.1% quantile of Poisson(1)
    expect(gf('inSet', 'c')).toMatchObject({ severity: 'error', mostly: 0.9875 });
    expect(gf('inSet', 'd')).toMatchObject({ severity: 'error', mostly: 0.9875 });
    // within the allowance a failing row is reported as info; beyond it, as an error. The
    // allowance is a share rounded up: a 5-row batch may have 1 failing row, not 2
    const few = Dataset.from({ x: [1, 2, 3, 4, null], flag: [0, 1, 0, 1, null], c: ['a', 'b', 'new', 'c', 'a'], d: ['u', 'v', 'u', 'v', 'u'] });
    expect(runChecks(few, g).findings.map((f) => [f.check, f.severity, f.rows])).toEqual([
      ['notNull(flag)', 'info', [4]],
      ['inSet(c)', 'info', [2]],
      ['complete(rows)', 'info', [4]],
    ]);
    const two = Dataset.from({ x: [1, 2, 3, 4, 5], flag: [0, 1, 0, null, null], c: ['a', 'b', 'new', 'c', 'a'], d: ['u', 'v', 'u', 'v', 'u'] });
    expect(runChecks(two, g).findings.map((f) => [f.check, f.severity, f.rows])).toEqual([
      ['notNull(flag)', 'error', [3, 4]],
      ['inSet(c)', 'info', [2]],
      ['complete(rows)', 'error', [3, 4]],
    ]);
    const many = Dataset.from({
      x: Array.from({ length: 400 }, (_, i) => 1 + (i % 8)),
      flag: Array.from({ length: 400 }, (_, i) => (i < 7 ? null : i % 2)),
      c: Array.from({ length: 400 }, (_, i) => (i < 6 ? `new${i}` : (['a', 'b', 'c'][i % 3] as string))),
      d: Array.from({ length: 400 }, (_, i) => (i === 0 ? 'w' : (['u', 'v'][i % 2] as string))),
    });
    expect(runChecks(many, g).findings.map((f) => [f.check, f.severity, f.failing])).toEqual([
      ['notNull(flag)', 'info', 7],
      ['inSet(c)', 'error', 6],
      ['inSet(d)', 'info', 1],
      ['complete(rows)', 'info', 7],
    ]);
    // 4 missing cells in each of 2 columns: within each column's allowance, not within the rows'
    const spread = Dataset.from({
      x: Array.from({ length: 400 }, (_, i) => 1 + (i % 8)),
      flag: Array.from({ length: 400 }, (_, i) => (i < 4 ? null : i % 2)),
      c: Array.from({ length: 400 }, (_, i) => ['a', 'b', 'c'][i % 3] as string),
      d: Array.from({ length: 400 }, (_, i) => (i >= 4 && i < 8 ? null : (['u', 'v'][i % 2] as string))),
    });
    expect(runChecks(spread, g).findings.map((f) => [f.check, f.severity, f.failing])).toEqual([
      ['notNull(flag)', 'info', 4],
      ['notNull(d)', 'info', 4],
      ['complete(rows)', 'error', 8],
    ]);
    // the observed range, with 14 values per 400 rows allowed beyond it and 5 in any batch (a rank argument)
    const rx = g.checks.find((c) => c.name === 'range(x)');
    expect(rx).toMatchObject({ type: 'between', mostly: 0.965, allowFailing: 5 });
    const beyond = (k: number) =>
      runChecks(
        gappy.withColumn(
          'x',
          x.map((v, i) => (i < k ? 10 + i : v)),
        ),
        g,
      ).findings.find((f) => f.check === 'range(x)');
    expect(beyond(14)?.severity).toBe('info');
    expect(beyond(15)).toMatchObject({ severity: 'error', failing: 15 });
    // a 20-row batch: 5 values beyond the range are chance at that size (a share alone would allow 1)
    const small = (k: number) =>
      runChecks(
        Dataset.from({
          x: Array.from({ length: 20 }, (_, i) => (i < k ? 20 + i : 5)),
          flag: Array(20).fill(0),
          c: Array(20).fill('a'),
          d: Array(20).fill('u'),
        }),
        g,
      ).findings.find((f) => f.check === 'range(x)');
    expect(small(5)?.severity).toBe('info');
    expect(small(6)?.severity).toBe('error');
    // identifiers (distinct integers where chance would collide) continue in new batches: unique, no range
    const ids = suggestChecks(Dataset.from({ id: Array.from({ length: 400 }, (_, i) => 1000 + 3 * i), x }));
    expect(ids.checks.filter((c) => checkColumns(c)[0] === 'id').map((c) => c.name ?? c.type)).toEqual(['kind', 'notNull', 'between', 'step(id)', 'unique']);
    expect(ids.checks.some((c) => c.name === 'range(x)')).toBe(true);
    expect(() => suggestChecks(complete, { alpha: 2 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    // limits shared by several columns (a 0..16 scale) cap a sparse column's tail model; a
    // constant column bounded by them is no longer weak
    const scale = Dataset.from({
      p1: Array.from({ length: n }, (_, i) => i % 17),
      p2: Array.from({ length: n }, (_, i) => (i * 7) % 17),
      p3: Array.from({ length: n }, (_, i) => (i * 3) % 17),
      sparse: Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 3 : 0)),
      zero: new Array<number>(n).fill(0),
    });
    const sc = suggestChecks(scale, { linear: false, relations: false });
    const between = (col: string) => sc.checks.find((c) => c.type === 'between' && c.column === col);
    expect(between('sparse')).toMatchObject({ min: 0, max: 16, severity: 'error' });
    expect(between('zero')).toMatchObject({ min: 0, max: 16, severity: 'error' });
    expect(suggestChecks(scale.drop(['p2', 'p3']), { linear: false }).checks.find((c) => c.type === 'between' && c.column === 'zero')).toMatchObject({
      min: 0,
      max: 0,
      severity: 'warning',
    });
    expect(() => tailBounds(new Float64Array(0))).toThrow(expect.objectContaining({ code: 'E_EMPTY' }));
    expect(tailBounds(Float64Array.from([5, 5, 5, 5]))).toMatchObject({ lo: 5, hi: 5, weak: true });
    expect(
      formatShape(
        new Map([
          ['May 05 2000', 7],
          ['Jun 12 1998', 9],
        ]),
      )?.pattern,
    ).toBe('[A-Za-z]{3} [0-9]{2} [0-9]{4}');
    expect(
      formatShape(
        new Map([
          ['May 05 2000', 7],
          ['x', 1],
        ]),
      ),
    ).toBeUndefined();
    // an all-null column is not a sporadic gap; a column holding Infinity gets no range; JSON round trip
    const odd = complete.withColumn('empty', new Array<null>(n).fill(null)).withColumn(
      'inf',
      x.map((v, i) => (i === 3 ? Number.POSITIVE_INFINITY : v)),
    );
    const o = suggestChecks(odd);
    expect(o.checks.find((c) => c.type === 'notNull' && c.column === 'x')?.severity).toBe('error');
    expect(o.checks.filter((c) => checkColumns(c).includes('inf')).map((c) => c.type)).toEqual(['kind', 'notNull']);
    expect(runChecks(odd, JSON.parse(JSON.stringify(o))).findings).toEqual([]);
  });
  it('suggests a step for columns recorded at a steady resolution, none when a column mixes precisions', () => {
    const rng = new Rng(3);
    const n = 200;
    const steady = Dataset.from({
      tenths: Array.from({ length: n }, () => Math.round(rng.next() * 500) / 10),
      count: Array.from({ length: n }, () => Math.floor(rng.next() * 40)),
      cents: Array.from({ length: n }, () => Math.round(rng.next() * 10_000) / 100),
    });
    const steps = (ds: Dataset) =>
      Object.fromEntries(
        suggestChecks(ds)
          .checks.filter((c) => c.type === 'between' && c.step !== undefined)
          .map((c) => [checkColumns(c)[0], c.type === 'between' ? c.step : undefined]),
      );
    expect(steps(steady)).toEqual({ tenths: 0.1, count: 1, cents: 0.01 });
    const suite = suggestChecks(steady);
    const off = Dataset.from({ tenths: [12.3, 12.34], count: [3, 3.5], cents: [50.25, 50.25] });
    expect(runChecks(off, suite).findings.map((f) => [f.check, f.rows, f.severity])).toEqual([
      ['step(tenths)', [1], 'error'],
      ['step(count)', [1], 'error'],
    ]);
    // whole numbers in most rows of a column with decimals elsewhere: precision is mixed, no step anywhere
    const mixed = steady.withColumn(
      'mpg',
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 20 + (i % 7) / 10 : 20 + (i % 9))),
    );
    expect(steps(mixed)).toEqual({});
    // a lone 97.5 among integers mixes precisions too
    expect(
      steps(
        steady.withColumn(
          'disp',
          Array.from({ length: n }, (_, i) => (i === 5 ? 97.5 : 90 + (i % 30))),
        ),
      ),
    ).toEqual({});
  });
  it("forbids other columns' categories where the vocabularies never meet (strictly, even when inSet tolerates new values)", () => {
    const n = 120;
    const ds = Dataset.from({
      genre: Array.from({ length: n }, (_, i) => (i === 0 ? 'Opera' : (['Drama', 'Comedy', 'Horror'][i % 3] as string))),
      rating: Array.from({ length: n }, (_, i) => ['G', 'PG', 'R'][i % 3] as string),
      answer: Array.from({ length: n }, (_, i) => ['Yes', 'No'][i % 2] as string),
      other: Array.from({ length: n }, (_, i) => ['Yes', 'No', 'Maybe'][i % 3] as string),
    });
    const suite = suggestChecks(ds);
    const get = (type: string, col: string) => checkOf(suite, type, col);
    const mostly = (type: string, col: string) => mostlyOf(suite, type, col);
    // a genre seen once: inSet tolerates a few new values (Good-Turing), but a rating in the genre column is an error
    expect(mostly('inSet', 'genre')).toBeLessThan(1);
    expect(mostly('notInSet', 'genre')).toBeUndefined();
    expect(get('notInSet', 'genre')).toMatchObject({ severity: 'error', values: ['G', 'Maybe', 'No', 'PG', 'R', 'Yes'] });
    // vocabularies that meet (Yes/No in two columns) are not forbidden in each other
    expect(get('notInSet', 'answer')).toMatchObject({ values: ['Comedy', 'Drama', 'G', 'Horror', 'Opera', 'PG', 'R'] });
    const swapped = Dataset.from({ genre: ['PG', 'Drama'], rating: ['Drama', 'G'], answer: ['Yes', 'No'], other: ['Maybe', 'No'] });
    // 2 rows: the inSet allowance (a share of the rows, rounded up) is 1 row, so the new values
    // are info; the forbidden values are errors
    const errors = runChecks(swapped, suite).findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.check, f.code, f.rows])).toEqual([
      ['notInSet(genre)', 'forbidden_value', [0]],
      ['notInSet(rating)', 'forbidden_value', [0]],
    ]);
    expect(runChecks(swapped, suite).findings.find((f) => f.check === 'inSet(rating)')).toMatchObject({ severity: 'info', rows: [0] });
    // in a batch of the reference's size, one new genre is within the allowance, one forbidden value is not
    const big = Dataset.from({
      genre: Array.from({ length: n }, (_, i) => (i === 0 ? 'Opera2' : i === 1 ? 'PG' : (['Drama', 'Comedy', 'Horror'][i % 3] as string))),
      rating: Array.from({ length: n }, (_, i) => ['G', 'PG', 'R'][i % 3] as string),
      answer: Array.from({ length: n }, (_, i) => ['Yes', 'No'][i % 2] as string),
      other: Array.from({ length: n }, (_, i) => ['Yes', 'No', 'Maybe'][i % 3] as string),
    });
    const genre = runChecks(big, suite).findings.filter((f) => f.column === 'genre');
    expect(genre.map((f) => [f.check, f.severity, f.rows])).toEqual([
      ['inSet(genre)', 'info', [0, 1]],
      ['notInSet(genre)', 'error', [1]],
    ]);
  });
  it('character families of a category column are an error check when every family is used by 5 or more distinct values', () => {
    const n = 200;
    // letters in every value, spaces in 5: every family used by at least 5 distinct values
    const words = ['Drama', 'Comedy', 'Black Comedy', 'Romantic Comedy', 'Dark Horror', 'Space Western', 'Film Noir', 'Horror'];
    const ds = Dataset.from({
      genre: Array.from({ length: n }, (_, i) => words[i % words.length] as string),
      // a category seen once elsewhere: inSet checks get an allowance (pooled Good-Turing)
      tag: Array.from({ length: n }, (_, i) => (i === 0 ? 'once' : (['a', 'b'][i % 2] as string))),
    });
    const suite = suggestChecks(ds);
    const get = (type: string, col: string) => checkOf(suite, type, col);
    const mostly = (type: string, col: string) => mostlyOf(suite, type, col);
    expect(mostly('inSet', 'genre')).toBeLessThan(1);
    expect(get('matchesPattern', 'genre')).toMatchObject({ severity: 'error' });
    expect(mostly('matchesPattern', 'genre')).toBeUndefined();
    const batch = Dataset.from({ genre: ['Musical Comedy', 'unseen_42', '1999'], tag: ['a', 'b', 'a'] });
    const found = runChecks(batch, suite).findings.filter((f) => f.column === 'genre');
    // new categories fail the inSet (3 of 3 rows: beyond its allowance); digits or '_' in a column of
    // words fail the strict pattern
    expect(found.map((f) => [f.type, f.severity, f.rows])).toEqual(
      expect.arrayContaining([
        ['inSet', 'error', [0, 1, 2]],
        ['matchesPattern', 'error', [1, 2]],
      ]),
    );
    // a family used by few distinct values (the '/' of two genres) leaves the pattern tolerant
    const words2 = ['Drama', 'Comedy', 'Black Comedy', 'Thriller/Suspense', 'Romantic Comedy', 'Horror', 'Concert/Performance', 'Dark Horror', 'Film Noir'];
    const rare = ds.withColumn(
      'genre',
      Array.from({ length: n }, (_, i) => words2[i % words2.length] as string),
    );
    expect(
      suggestChecks(rare).checks.filter((c) => c.type === 'matchesPattern' && checkColumns(c)[0] === 'genre' && !('mostly' in c && c.mostly !== undefined)),
    ).toEqual([]);
  });
  it('keeps an order whose differences pile up at 0 only when the ties are no coincidence', () => {
    const rng = new Rng(8);
    const n = 300;
    const home = Array.from({ length: n }, () => Math.round(1e6 * Math.exp(3 * rng.next())));
    // worldwide = home for a third of the films (released at home only), more elsewhere
    const world = home.map((h, i) => (i % 3 === 0 ? h : h + Math.round(h * 2 * rng.next()) + 1));
    const rel = (ds: Dataset) =>
      suggestChecks(ds, { linear: false })
        .checks.filter((c) => c.type === 'relation')
        .map((c) => checkColumns(c).join(' <= '));
    expect(rel(Dataset.from({ home, world }))).toEqual(['home <= world']);
    // small integers that are often equal by chance (both 0): no relation from ties alone
    const a = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 + (i % 3) : 0));
    const b = a.map((x, i) => (i % 5 === 0 ? x : x + (i % 3)));
    expect(rel(Dataset.from({ a, b }))).toEqual([]);
  });
  it('gaps by design (missing exactly where another column holds one value) do not weaken notNull', () => {
    const n = 300;
    const tenure = Array.from({ length: n }, (_, i) => (i % 60 === 0 ? 0 : 1 + (i % 40)));
    const base = {
      tenure,
      monthly: Array.from({ length: n }, (_, i) => 20 + (i % 13)),
      c: Array.from({ length: n }, (_, i) => ['a', 'b'][i % 2] as string),
    };
    // total missing exactly for the 5 rows with tenure 0: structural, notNull stays an error
    const byDesign = Dataset.from({ ...base, total: tenure.map((t, i) => (t === 0 ? null : t * (20 + (i % 13)))) });
    // 'error': every row must pass; 'tolerant': a few missing cells are allowed (mostly)
    const sev = (ds: Dataset, col: string) => {
      const suite = suggestChecks(ds);
      return mostlyOf(suite, 'notNull', col) !== undefined ? 'tolerant' : checkOf(suite, 'notNull', col)?.severity;
    };
    expect(sev(byDesign, 'monthly')).toBe('error');
    expect(sev(byDesign, 'c')).toBe('error');
    // the same number of gaps in other rows (no column marks them): sporadic, notNull is tolerant
    const lost = Dataset.from({ ...base, total: tenure.map((t, i) => (i % 60 === 7 ? null : t * (20 + (i % 13)))) });
    expect(sev(lost, 'monthly')).toBe('tolerant');
    // a value shared by the gap rows but also by other rows does not explain them
    const shared = Dataset.from({ ...base, total: tenure.map((t, i) => (i % 120 === 0 ? null : t * (20 + (i % 13)))) });
    expect(sev(shared, 'monthly')).toBe('tolerant');
    // a number marks "not applicable" at its boundary, not in the middle (tenure 20)
    const middle = Dataset.from({ ...base, total: tenure.map((t, i) => (t === 20 ? null : t * (20 + (i % 13)))) });
    expect(sev(middle, 'monthly')).toBe('tolerant');
    // a time window of gaps (a day of lost readings) is sporadic loss, not a design
    const day = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + Math.floor(i / 5))).toISOString());
    const window = Dataset.from({ ...base, day, total: tenure.map((t, i) => (i >= 50 && i < 55 ? null : t * (20 + (i % 13)))) });
    expect(window.column('day').kind).toBe('datetime');
    expect(sev(window, 'monthly')).toBe('tolerant');
  });
});
