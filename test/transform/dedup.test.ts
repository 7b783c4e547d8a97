import { describe, expect, it } from 'vitest';
import { Dataset, ExactDedup, FuzzyDedup, jaroWinkler, levenshteinSimilarity, tokenSetSimilarity } from '../../src/index.js';
import { conformance } from '../conformance.js';

const people = () =>
  Dataset.from([
    { name: 'Ann Lee', city: 'Oslo', age: 34 },
    { name: 'Ann  Lee', city: 'Oslo', age: 34 },
    { name: 'Bo Park', city: 'Rome', age: 41 },
    { name: 'Park Bo', city: 'Rome', age: null },
    { name: 'Cy Diaz', city: 'Lima', age: 29 },
    { name: 'Cyrus Diaz', city: 'Lima', age: 62 },
    { name: 'Di Evans', city: 'Oslo', age: 50 },
    { name: 'Ed Fox', city: 'Rome', age: 22 },
    { name: 'Ann Lee', city: 'Oslo', age: 34 },
  ]);
const withMissing = () => Dataset.from({ name: ['a b', null, 'a b'], city: ['x', 'y', null], age: [1, null, 1] });

conformance({ name: 'ExactDedup', make: (o) => new ExactDedup(o), data: people, withMissing, badOptions: [{ keep: 'middle' }, { columns: [] }] });
conformance({
  name: 'FuzzyDedup',
  make: (o) => new FuzzyDedup(o),
  baseOptions: { threshold: 0.5, uSamples: 500 },
  data: people,
  withMissing,
  oneRow: 'error',
  badOptions: [{ threshold: 1 }, { merge: 'last' }, { maxBlockSize: 1 }, { comparisons: [] }],
});

describe('similarities', () => {
  it('match published values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('', 'a')).toBe(0);
    expect(levenshteinSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    expect(tokenSetSimilarity('Allen, Miss Elisabeth', 'Elisabeth Allen (Miss)')).toBe(1);
    expect(tokenSetSimilarity('a b', 'c d')).toBeLessThan(0.5);
    const long = 'x'.repeat(20_000);
    expect(jaroWinkler(long, long)).toBe(1);
  });
});

describe('dedup transforms', () => {
  it('ExactDedup drops rows equal on the key, keeping first or last', async () => {
    const ds = people();
    const first = await new ExactDedup().fit(ds);
    expect(first.groups(ds)).toEqual([[0, 8]]);
    expect(first.transform(ds).nrows).toBe(8);
    const byCity = await new ExactDedup({ columns: ['city'], keep: 'last' }).fit(ds);
    expect(byCity.transform(ds).toColumns().name).toEqual(['Cyrus Diaz', 'Ed Fox', 'Ann Lee']);
    await expect(new ExactDedup({ columns: ['cty'] }).fit(ds)).rejects.toMatchObject({ code: 'E_COLUMN' });
  });

  it('FuzzyDedup defaults: names fuzzy, categories exact, all pairs on a small table, monotone m, and a mangled name rescued by rare exact agreements', async () => {
    const rows: Array<Record<string, string | number>> = [];
    const names = ['Gray seal', 'Arctic fox', 'Cow', 'Goat', 'Sheep', 'Okapi', 'Mouse', 'Rabbit', 'Horse', 'Donkey', 'Jaguar', 'Giraffe'];
    names.forEach((name, i) => {
      for (let r = 0; r < 5; r++)
        rows.push({
          name: `${name} ${r}`,
          kind: i % 2 ? 'wild' : 'farm',
          weight: 10 + 7.3 * i + 1.1 * r,
          sleep: 3 + ((i * 5 + r * 3) % 17) / 2,
          score: 1 + ((i + r) % 5),
        });
    });
    // copies: a typo; a name mangled beyond the similarity levels (all other fields exact); a missing field
    rows.push({ ...(rows[3] as Record<string, string | number>), name: 'Gray sael 3' });
    rows.push({ ...(rows[0] as Record<string, string | number>), name: 'Gry esal 0' });
    rows.push({ ...(rows[27] as Record<string, string | number>), sleep: '' });
    const ds = Dataset.from(rows);
    const fitted = await new FuzzyDedup({ uSamples: 2000 }).fit(ds);
    expect(fitted.state.comparisons.map((c) => [c.column, c.method])).toEqual([
      ['name', 'fuzzy'],
      ['kind', 'exact'],
      ['weight', 'numeric'],
      ['sleep', 'numeric'],
      ['score', 'numeric'],
    ]);
    expect(fitted.state.blocking).toEqual([['name:tokens'], ['name:prefix3'], ['weight'], ['sleep'], ['score']]);
    for (const row of fitted.state.m) for (let l = 1; l < row.length; l++) expect(row[l] as number).toBeLessThanOrEqual((row[l - 1] as number) + 1e-12);
    const found = fitted
      .clusters(ds)
      .filter((c) => c.rows.length > 1)
      .map((c) => c.rows);
    expect(found).toEqual([
      [0, 61],
      [3, 60],
      [27, 62],
    ]);
  });

  it('FuzzyDedup clusters near duplicates with scores and merges them', async () => {
    const ds = people();
    const fitted = await new FuzzyDedup({
      comparisons: [
        { column: 'name', method: 'fuzzy' },
        { column: 'city', method: 'exact' },
        { column: 'age', method: 'numeric' },
      ],
      blocking: [['name:tokens']],
      threshold: 0.5,
      uSamples: 2000,
    }).fit(ds);
    const clusters = fitted.clusters(ds).filter((c) => c.rows.length > 1);
    expect(clusters.map((c) => c.rows)).toContainEqual([0, 1, 8]);
    expect(clusters.map((c) => c.rows)).toContainEqual([2, 3]);
    for (const c of clusters) for (const p of c.pairs) expect(p.probability).toBeGreaterThanOrEqual(0.5);
    const merged = fitted.transform(ds);
    expect(merged.nrows).toBe(ds.nrows - 3);
    const coalesce = await new FuzzyDedup({ ...fitted.params, merge: 'coalesce' }).fit(ds);
    const row = coalesce
      .transform(ds)
      .toRows()
      .find((r) => r.city === 'Rome' && String(r.name).includes('Bo'));
    expect(row?.age).toBe(41);
    expect(() => new FuzzyDedup({ blocking: [['name:soundex']] })).not.toThrow();
    await expect(new FuzzyDedup({ blocking: [['name:soundex']] }).fit(ds)).rejects.toMatchObject({ code: 'E_OPTION' });
    const huge = Dataset.from(
      { name: [`${'ab '.repeat(200_000)}x`, `${'ab '.repeat(200_000)}y`, 'c d'], city: ['a', 'a', 'b'] },
      { schema: { name: { kind: 'text' } } },
    );
    const hf = await new FuzzyDedup({
      comparisons: [
        { column: 'name', method: 'fuzzy' },
        { column: 'city', method: 'exact' },
      ],
      blocking: [['city']],
      uSamples: 100,
    }).fit(huge);
    expect(hf.pairs(huge)).toHaveLength(1);
  });
});
