import { describe, expect, it } from 'vitest';
import { Dataset, isTesseraError, KNNImputer, load, Rng, SimpleImputer } from '../../src/index.js';
import { conformance } from '../conformance.js';

const data = () =>
  Dataset.from(
    {
      a: [1.5, 2.5, null, 4.5, 5.5, 6.5],
      b: [10, 20, 30, null, 50, 60],
      c: ['x', null, 'y', 'x', 'y', 'x'],
      d: [true, false, null, true, true, false],
      t: [new Date('2020-01-01'), null, new Date('2020-01-03'), new Date('2020-01-05'), new Date('2020-01-02'), new Date('2020-01-04')],
      y: [0, 1, 0, 1, 0, 1],
    },
    { roles: { y: 'target' }, schema: { c: { kind: 'category' } } },
  );

conformance({
  name: 'SimpleImputer',
  make: (o) => new SimpleImputer(o),
  data,
  withMissing: data,
  oneRow: 'fit',
  badOptions: [{ strategy: 'avg' }, { addIndicator: 'yes' }, { emptyColumns: 'drop' }],
});
conformance({
  name: 'KNNImputer',
  make: (o) => new KNNImputer(o),
  data: () => data().drop(['t']),
  withMissing: () => data().drop(['t']),
  oneRow: 'fit',
  badOptions: [{ k: 0 }, { weights: 'gaussian' }, { k: 2.5 }],
});

function expectCode(f: () => unknown, code: string): Error {
  try {
    f();
  } catch (e) {
    expect(isTesseraError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected ${code}`);
}
async function expectCodeAsync(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isTesseraError(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return e as Error;
  }
  throw new Error(`expected ${code}`);
}

describe('SimpleImputer', () => {
  it('fills by kind: mean for numbers, mode for categories and booleans, median for datetimes', async () => {
    const ds = data();
    const fitted = await new SimpleImputer({ roundIntegers: false }).fit(ds);
    const out = fitted.transform(ds);
    expect(out.get(2, 'a')).toBeCloseTo((1.5 + 2.5 + 4.5 + 5.5 + 6.5) / 5);
    expect(out.get(3, 'b')).toBeCloseTo(34);
    expect(out.get(1, 'c')).toBe('x');
    expect(out.get(2, 'd')).toBe(true);
    expect((out.get(1, 't') as Date).toISOString()).toBe('2020-01-03T00:00:00.000Z');
    expect(out.get(0, 'y')).toBe(0);
    expect(out.column('c').kind).toBe('category');
    expect(out.column('b').kind).toBe('integer');
  });

  it('rounds integer fills by default and keeps the kind', async () => {
    const ds = data();
    const out = (await new SimpleImputer().fit(ds)).transform(ds);
    expect(out.get(3, 'b')).toBe(34);
    expect(out.column('b').kind).toBe('integer');
  });

  it('median, most frequent (ties: smallest) and constant', async () => {
    const ds = Dataset.from({ v: [3, 1, 1, 3, null, 7], s: ['b', 'a', 'b', 'a', null, 'c'] });
    const med = (await new SimpleImputer({ strategy: 'median', roundIntegers: false }).fit(ds)).transform(ds);
    expect(med.get(4, 'v')).toBe(3);
    const mf = (await new SimpleImputer({ strategy: 'mostFrequent' }).fit(ds)).transform(ds);
    expect(mf.get(4, 'v')).toBe(1);
    expect(mf.get(4, 's')).toBe('a');
    const c = (await new SimpleImputer({ strategy: 'constant', fillValue: { v: -1, s: 'none' } }).fit(ds)).transform(ds);
    expect(c.get(4, 'v')).toBe(-1);
    expect(c.get(4, 's')).toBe('none');
    const d = (await new SimpleImputer({ strategy: 'constant' }).fit(ds)).transform(ds);
    expect(d.get(4, 'v')).toBe(0);
    expect(d.get(4, 's')).toBe('missing');
  });

  it('reports what it filled and adds indicators on request', async () => {
    const ds = data();
    const fitted = await new SimpleImputer({ addIndicator: true }).fit(ds);
    const { data: out, report } = fitted.transformWithReport(ds);
    expect(report.total).toBe(5);
    expect(report.columns.map((c) => [c.column, c.filled])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['t', 1],
    ]);
    expect(out.columnNames).toEqual(['a', 'b', 'c', 'd', 't', 'y', 'a_missing', 'b_missing', 'c_missing', 'd_missing', 't_missing']);
    expect(out.toColumns().a_missing).toEqual([false, false, true, false, false, false]);
    expect(out.column('a_missing').kind).toBe('boolean');
  });

  it('refuses a column with every value missing, or fills it with a documented constant', async () => {
    const ds = Dataset.from({ a: [1, 2, 3], e: [null, null, null] }, { schema: { e: { kind: 'number' } } });
    const err = await expectCodeAsync(new SimpleImputer().fit(ds), 'E_MISSING_VALUES');
    expect(err.message).toContain('"e"');
    const out = (await new SimpleImputer({ emptyColumns: 'constant' }).fit(ds)).transform(ds);
    expect(out.toColumns().e).toEqual([0, 0, 0]);
  });

  it('leaves a column with no gaps unchanged and keeps unseen category levels', async () => {
    const ds = Dataset.from({ a: [1, 2, 3], c: ['x', 'y', null] }, { schema: { c: { kind: 'category' } } });
    const fitted = await new SimpleImputer().fit(ds);
    const test = Dataset.from({ a: [null, 5], c: ['zzz', null] }, { schema: { c: { kind: 'category' }, a: { kind: 'integer' } } });
    const { data: out, report } = fitted.transformWithReport(test);
    expect(out.toColumns().c).toEqual(['zzz', 'x']);
    expect(out.toColumns().a).toEqual([2, 5]);
    expect(report.total).toBe(2);
    const same = fitted.transform(ds.select(['a']).withColumn('c', ['x', 'y', 'x'], 'category'));
    expect(same.toColumns().a).toEqual([1, 2, 3]);
  });

  it('fits one row', async () => {
    const one = Dataset.from({ a: [3], c: ['x'] });
    const out = (await new SimpleImputer().fit(one)).transform(
      Dataset.from({ a: [null], c: [null] }, { schema: { a: { kind: 'integer' }, c: { kind: 'category' } } }),
    );
    expect(out.row(0)).toEqual({ a: 3, c: 'x' });
  });

  it('refuses a fill value of the wrong kind, naming the column', async () => {
    const ds = Dataset.from({ a: [1, null] });
    const err = await expectCodeAsync(new SimpleImputer({ strategy: 'constant', fillValue: 'zero' }).fit(ds), 'E_OPTION');
    expect(err.message).toContain('"a"');
  });
});

describe('KNNImputer', () => {
  it('matches scikit-learn KNNImputer (scale off, uniform and distance weights)', async () => {
    // sklearn.impute.KNNImputer(n_neighbors=2[, weights='distance']).fit_transform(X) with
    // X = [[1, 2, nan], [3, 4, 3], [nan, 6, 5], [8, 8, 7]] gives
    // uniform: [[1, 2, 4], [3, 4, 3], [5.5, 6, 5], [8, 8, 7]]; distance: row 0, column 2 = 3.66666667
    const X = Dataset.fromMatrix(new Float64Array([1, 2, Number.NaN, 3, 4, 3, Number.NaN, 6, 5, 8, 8, 7]), 4, 3, ['a', 'b', 'c']);
    const u = (await new KNNImputer({ k: 2, scale: false, roundIntegers: false }).fit(X)).transform(X);
    expect(u.get(0, 'c')).toBeCloseTo(4, 10);
    expect(u.get(2, 'a')).toBeCloseTo(5.5, 10);
    const d = (await new KNNImputer({ k: 2, scale: false, weights: 'distance' }).fit(X)).transform(X);
    expect(d.get(0, 'c')).toBeCloseTo(3.66666667, 7);
    expect(d.get(2, 'a')).toBeCloseTo(5.5, 10);
  });

  it('the indexed, pruned search equals a brute-force nan-Euclidean search', async () => {
    const rng = new Rng(11);
    const n = 80;
    const p = 5;
    const X = new Float64Array(n * p);
    for (let t = 0; t < X.length; t++) X[t] = rng.next() < 0.25 ? Number.NaN : rng.normal() * (1 + (t % p));
    const ds = Dataset.fromMatrix(X, n, p);
    for (const weights of ['uniform', 'distance'] as const) {
      const out = (await new KNNImputer({ k: 3, scale: false, weights }).fit(ds)).transform(ds).matrix();
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < p; j++) {
          if (!Number.isNaN(X[r * p + j] as number)) continue;
          const cand: [number, number][] = [];
          for (let i = 0; i < n; i++) {
            if (Number.isNaN(X[i * p + j] as number)) continue;
            let s = 0;
            let c = 0;
            for (let t = 0; t < p; t++) {
              const a = X[r * p + t] as number;
              const b = X[i * p + t] as number;
              if (Number.isNaN(a) || Number.isNaN(b)) continue;
              s += (a - b) ** 2;
              c++;
            }
            if (c > 0) cand.push([Math.sqrt((p / c) * s), X[i * p + j] as number]);
          }
          cand.sort((a, b) => a[0] - b[0]);
          const top = cand.slice(0, 3);
          const w = top.map(([d]) => (weights === 'uniform' ? 1 : 1 / d));
          const want = top.reduce((acc, [, v], q) => acc + (w[q] as number) * v, 0) / w.reduce((a, b) => a + b, 0);
          expect(out[r * p + j]).toBeCloseTo(want, 9);
        }
      }
    }
  });

  it('the k-d tree search equals brute force on a larger table with ties and a category (ties: lower row first)', async () => {
    const rng = new Rng(5);
    const n = 700;
    const p = 6;
    const X = new Float64Array(n * p);
    const g: (string | null)[] = [];
    for (let i = 0; i < n; i++) {
      const f = rng.normal();
      for (let j = 0; j < p; j++) X[i * p + j] = rng.next() < 0.2 ? Number.NaN : Math.round(3 * f + rng.normal() * (j + 1));
      g.push(rng.next() < 0.2 ? null : f > 0 ? 'up' : 'down');
    }
    const names = Array.from({ length: p }, (_, j) => `x${j}`);
    const ds = Dataset.fromMatrix(X, n, p, names).withColumn('g', g, 'category');
    // receivers: a fresh table (all rows are receivers of the fitted donors)
    const m = 120;
    const R = new Float64Array(m * p);
    const rg: (string | null)[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < p; j++) R[i * p + j] = rng.next() < 0.3 ? Number.NaN : Math.round(rng.normal() * 4);
      rg.push(rng.next() < 0.3 ? null : rng.next() < 0.5 ? 'up' : 'down');
    }
    const test = Dataset.fromMatrix(R, m, p, names).withColumn('g', rg, 'category');
    const code = (v: string | null) => (v === null ? Number.NaN : v === 'down' ? 0 : 1);
    for (const weights of ['uniform', 'distance'] as const) {
      const out = (await new KNNImputer({ k: 4, scale: false, weights, roundIntegers: false }).fit(ds)).transform(test).matrix(names);
      let checked = 0;
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < p; j++) {
          if (!Number.isNaN(R[r * p + j] as number)) continue;
          const cand: [number, number, number][] = [];
          for (let i = 0; i < n; i++) {
            if (Number.isNaN(X[i * p + j] as number)) continue;
            let s = 0;
            let c = 0;
            for (let t = 0; t <= p; t++) {
              const a = t < p ? (R[r * p + t] as number) : code(rg[r] ?? null);
              const b = t < p ? (X[i * p + t] as number) : code(g[i] ?? null);
              if (Number.isNaN(a) || Number.isNaN(b)) continue;
              s += t < p ? (a - b) ** 2 : a === b ? 0 : 1;
              c++;
            }
            if (c > 0) cand.push([((p + 1) / c) * s, i, X[i * p + j] as number]);
          }
          cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const top = cand.slice(0, 4);
          const zero = top.some(([d]) => d === 0);
          const w = top.map(([d]) => (weights === 'uniform' ? 1 : zero ? (d === 0 ? 1 : 0) : 1 / Math.sqrt(d)));
          const want = top.reduce((acc, [, , v], q) => acc + (w[q] as number) * v, 0) / w.reduce((a, b) => a + b, 0);
          expect(out[r * p + j]).toBeCloseTo(want, 9);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(100);
    }
  });

  it('index edge cases: identical rows (no split possible), categories only, a column never observed', async () => {
    const n = 300;
    const same = Dataset.from({ a: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : 2)), b: Array.from({ length: n }, () => 5) });
    const out = (await new KNNImputer({ roundIntegers: false }).fit(same)).transform(same);
    expect(out.toColumns().a?.every((v) => v === 2)).toBe(true);
    const levels = ['x', 'y', 'z'];
    const cats = Dataset.from(
      {
        g: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : levels[i % 3])),
        h: Array.from({ length: n }, (_, i) => levels[i % 3]),
      },
      { schema: { g: { kind: 'category' }, h: { kind: 'category' } } },
    );
    const filled = (await new KNNImputer({ k: 3 }).fit(cats)).transform(cats);
    for (let i = 0; i < n; i += 5) expect(filled.get(i, 'g')).toBe(levels[i % 3]);
    const empty = Dataset.from(
      {
        a: Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? null : i)),
        b: Array.from({ length: 60 }, (_, i) => i),
        e: Array.from({ length: 60 }, () => null),
      },
      { schema: { e: { kind: 'number' } } },
    );
    const e = (await new KNNImputer({ emptyColumns: 'constant', k: 2, roundIntegers: false }).fit(empty)).transform(empty);
    expect(e.get(4, 'a')).toBe(4); // rows 3 and 5 (b = 3, 5)
    expect(e.get(0, 'e')).toBe(0);
  });

  it('votes for categories and reports counts', async () => {
    const ds = Dataset.from({ x: [0, 0.1, 0.2, 5, 5.1, 5.2, 0.05], g: ['a', 'a', 'a', 'b', 'b', 'b', null] }, { schema: { g: { kind: 'category' } } });
    const fitted = await new KNNImputer({ k: 3 }).fit(ds);
    const { data: out, report } = fitted.transformWithReport(ds);
    expect(out.get(6, 'g')).toBe('a');
    expect(report.columns.find((c) => c.column === 'g')?.filled).toBe(1);
    expect(report.total).toBe(1);
  });

  it('fills a new table from the fitted donors and treats unseen levels as values', async () => {
    const ds = Dataset.from({ x: [0, 1, 2, 3], g: ['a', 'a', 'b', 'b'] }, { schema: { g: { kind: 'category' } } });
    const fitted = await new KNNImputer({ k: 1 }).fit(ds);
    const test = Dataset.from({ x: [null, 2.9], g: ['zzz', null] }, { schema: { g: { kind: 'category' } } });
    const out = fitted.transform(test);
    expect(out.toColumns().g).toEqual(['zzz', 'b']);
    // row 0 has no comparable coordinate (x missing, g unseen): falls back to the mean of x.
    expect(out.get(0, 'x')).toBe(1.5);
  });

  it('refuses an all-missing column unless emptyColumns is constant; one row fits', async () => {
    const ds = Dataset.from({ a: [1, 2, 3], e: [null, null, null] }, { schema: { e: { kind: 'number' } } });
    await expectCodeAsync(new KNNImputer().fit(ds), 'E_MISSING_VALUES');
    const out = (await new KNNImputer({ emptyColumns: 'constant' }).fit(ds)).transform(ds);
    expect(out.toColumns().e).toEqual([0, 0, 0]);
    const one = await new KNNImputer().fit(Dataset.from({ a: [1], b: [2] }));
    expect(one.transform(Dataset.from({ a: [null], b: [5] }, { schema: { a: { kind: 'integer' } } })).get(0, 'a')).toBe(1);
  });

  it('round-trips with indicators', async () => {
    const ds = data().drop(['t']);
    const fitted = await new KNNImputer({ addIndicator: true, k: 2 }).fit(ds);
    const again = load<typeof fitted>(JSON.parse(JSON.stringify(fitted.toJSON())));
    expect(again.transform(ds).toRows()).toEqual(fitted.transform(ds).toRows());
    expect(fitted.transform(ds).columnNames).toContain('c_missing');
    expectCode(() => fitted.transform(ds.drop(['a'])), 'E_NOT_FITTED_COLUMNS');
  });
});
