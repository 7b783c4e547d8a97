/**
 * The dedup benchmark on any shared table: 10% of the rows duplicated and damaged (typos in
 * the name column, swapped fields, a missing value), then scored over duplicate pairs. Shared by
 * test/transform/dedup-shared.node.test.ts and `npx tsx benchmarks/quality.bench.ts --dedup`.
 */
import { Dataset, FuzzyDedup, type FuzzyDedupOptions, Rng } from '../../src/index.js';
import { readRows } from '../quality/shared-data.js';

/** Tables with an entity-name column (the column typos go to), and that column. */
export const DEDUP_TABLES: Record<string, string> = {
  titanic: 'passenger',
  'cars-auto-mpg': 'Name',
  movies: 'Title',
  'mammal-sleep': 'species',
};

export function typo(rng: Rng, s: string): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(rng.next() * (s.length - 2));
  const r = rng.next();
  const c = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rng.next() * 26)] as string;
  if (r < 0.25) return s.slice(0, i) + s.slice(i + 1);
  if (r < 0.5) return s.slice(0, i) + c + s.slice(i);
  if (r < 0.75) return s.slice(0, i) + c + s.slice(i + 1);
  return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1);
}

/**
 * Duplicates 10% of `table`'s rows, each damaged one way: 1-2 typos in the name; two fields
 * swapped (the name's words reordered when it has several, else two other non-empty fields'
 * values exchanged); or one other field emptied (plus a typo in the name half the time).
 * `truth` holds the duplicate pairs `original,copy`.
 */
export function damaged(table: string, seed: number): { ds: Dataset; truth: Set<string> } {
  const name = DEDUP_TABLES[table] as string;
  const rows = readRows(table);
  const rng = new Rng(seed);
  const others = Object.keys(rows[0] ?? {}).filter((c) => c !== name);
  const out = rows.map((r) => ({ ...r }));
  const truth = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    if (rng.next() >= 0.1) continue;
    const d = { ...(rows[i] as Record<string, string>) };
    const kind = Math.floor(rng.next() * 3);
    const nm = d[name] ?? '';
    if (kind === 0) {
      d[name] = typo(rng, nm);
      if (rng.next() < 0.5) d[name] = typo(rng, d[name] as string);
    } else if (kind === 1) {
      const comma = nm.indexOf(', ');
      const words = nm.split(' ');
      if (comma > 0) d[name] = `${nm.slice(comma + 2)} ${nm.slice(0, comma)}`;
      else if (words.length >= 2) d[name] = [...words.slice(1), words[0]].join(' ');
      else {
        const filled = others.filter((c) => (d[c] ?? '') !== '');
        const a = filled[Math.floor(rng.next() * filled.length)];
        const b = filled[Math.floor(rng.next() * filled.length)];
        if (a && b && a !== b) [d[a], d[b]] = [d[b] as string, d[a] as string];
      }
    } else {
      const c = others[Math.floor(rng.next() * others.length)] as string;
      d[c] = '';
      if (rng.next() < 0.5) d[name] = typo(rng, nm);
    }
    truth.add(`${i},${out.length}`);
    out.push(d);
  }
  return { ds: Dataset.from(out), truth };
}

/** Precision and recall over duplicate pairs of FuzzyDedup with `options` on a damaged table. */
export async function scoreDedup(
  table: string,
  seed: number,
  options: FuzzyDedupOptions = {},
): Promise<{ precision: number; recall: number; truth: number; predicted: number }> {
  const { ds, truth } = damaged(table, seed);
  const fitted = await new FuzzyDedup(options).fit(ds);
  const pred = new Set<string>();
  for (const c of fitted.clusters(ds))
    for (let a = 0; a < c.rows.length; a++) for (let b = a + 1; b < c.rows.length; b++) pred.add(`${c.rows[a]},${c.rows[b]}`);
  let tp = 0;
  for (const p of pred) if (truth.has(p)) tp++;
  return { precision: pred.size === 0 ? 1 : tp / pred.size, recall: tp / truth.size, truth: truth.size, predicted: pred.size };
}
