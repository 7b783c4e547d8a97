import { type Dataset, Rng } from '../../src/index.js';

export type Corruption = 'swap' | 'outOfRange' | 'newCategory' | 'nullNeverNull';

/**
 * Corrupts one cell in each of `frac` of the rows (raw CSV strings), choosing uniformly among the
 * corruption types that apply to the row. What applies is decided from the full table `full`
 * (the tester's knowledge), never from a suggested suite:
 * - swap: two cells of the row with different values change places;
 * - outOfRange: a number column gets max + (1+u)·range or min − (1+u)·range (u uniform in [0, 1));
 * - newCategory: a category column (at most 50 values) gets a value never seen;
 * - nullNeverNull: a column with no missing value in the full table gets an empty cell.
 *
 * With `plain`, the corruptions carry no artefact of this generator that a check could key on: the
 * new category is one of the column's values with its characters rotated (same length and
 * character families, e.g. `Drama` -> `ramaD`), and an out-of-range number is written with as many
 * decimals as the column's values have (not 8 significant digits).
 */
export function corrupt(
  rows: Record<string, string>[],
  full: Dataset,
  frac: number,
  seed: number,
  plain = false,
): { rows: Record<string, string>[]; corrupted: Map<number, Corruption> } {
  const rng = new Rng(seed);
  const out = rows.map((r) => ({ ...r }));
  const names = full.columnNames;
  const info = names.map((n) => {
    const c = full.column(n);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let missing = 0;
    if (c.kind === 'number' || c.kind === 'integer') {
      for (const x of c.values) {
        if (Number.isNaN(x)) missing++;
        else {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    } else {
      for (let i = 0; i < c.length; i++) if (full.get(i, n) === null) missing++;
    }
    let decimals = 0;
    const seen = new Set<string>();
    for (let i = 0; i < c.length; i++) {
      const v = full.get(i, n);
      if (v === null) continue;
      const s = String(v);
      seen.add(s);
      const dot = s.indexOf('.');
      if (dot >= 0 && !/e/i.test(s)) decimals = Math.max(decimals, s.length - dot - 1);
    }
    return {
      seen,
      decimals,
      name: n,
      numeric: c.kind === 'number' || c.kind === 'integer',
      category: c.kind === 'category' && c.dictionary.length <= 50,
      min,
      max,
      neverNull: missing === 0,
    };
  });
  const corrupted = new Map<number, Corruption>();
  rows.forEach((row, i) => {
    if (rng.next() >= frac) return;
    const options: Array<() => Corruption | undefined> = [];
    const present = info.filter((c) => (row[c.name] ?? '') !== '');
    options.push(() => {
      for (let t = 0; t < 20; t++) {
        const a = present[Math.floor(rng.next() * present.length)];
        const b = present[Math.floor(rng.next() * present.length)];
        if (a && b && a !== b && row[a.name] !== row[b.name]) {
          (out[i] as Record<string, string>)[a.name] = row[b.name] as string;
          (out[i] as Record<string, string>)[b.name] = row[a.name] as string;
          return 'swap';
        }
      }
      return undefined;
    });
    const nums = present.filter((c) => c.numeric && c.max > c.min);
    if (nums.length) {
      options.push(() => {
        const c = nums[Math.floor(rng.next() * nums.length)] as (typeof nums)[number];
        const range = c.max - c.min;
        const v = rng.next() < 0.5 ? c.max + (1 + rng.next()) * range : c.min - (1 + rng.next()) * range;
        (out[i] as Record<string, string>)[c.name] = plain ? v.toFixed(c.decimals) : String(Number(v.toPrecision(8)));
        return 'outOfRange';
      });
    }
    const cats = present.filter((c) => c.category);
    if (cats.length) {
      options.push(() => {
        const c = cats[Math.floor(rng.next() * cats.length)] as (typeof cats)[number];
        let value = `unseen_${Math.floor(rng.next() * 1000)}`;
        if (plain) {
          const from = row[c.name] as string;
          value = '';
          for (let r = 1; r < from.length && value === ''; r++) {
            const rotated = from.slice(r) + from.slice(0, r);
            if (!c.seen.has(rotated)) value = rotated;
          }
          if (value === '') value = `${from}${from}`;
        }
        (out[i] as Record<string, string>)[c.name] = value;
        return 'newCategory';
      });
    }
    const nn = present.filter((c) => c.neverNull);
    if (nn.length) {
      options.push(() => {
        const c = nn[Math.floor(rng.next() * nn.length)] as (typeof nn)[number];
        (out[i] as Record<string, string>)[c.name] = '';
        return 'nullNeverNull';
      });
    }
    const pick = options[Math.floor(rng.next() * options.length)];
    const kind = pick?.();
    if (kind) corrupted.set(i, kind);
  });
  return { rows: out, corrupted };
}
