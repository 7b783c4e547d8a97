/**
 * Shared-data helpers for the detect tests and benchmarks (Node only: reads files). Files are read
 * with the project's own `readCSV`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Rng, readCSV } from '../../src/index.js';

export const SHARED = new URL('../../../shared/data/', import.meta.url);
export const hasShared = existsSync(SHARED);

export const ADBENCH = [
  'annthyroid',
  'cardio',
  'glass',
  'ionosphere',
  'mammography',
  'pendigits',
  'pima',
  'satellite',
  'shuttle',
  'thyroid',
  'vowels',
  'wbc',
] as const;

/** A CSV file as a header and rows of cells (numbers, strings as written, null for an empty field), read by `readCSV` (dates kept as their text). */
export function readCsv(path: string | URL): { header: string[]; rows: (number | string | null)[][] } {
  const text = readFileSync(path, 'utf8');
  const dates = readCSV(text)
    .columns()
    .filter((c) => c.kind === 'datetime')
    .map((c) => [c.name, { kind: 'text' as const }]);
  const ds = readCSV(text, { schema: Object.fromEntries(dates) });
  const header = ds.columnNames;
  const rows = ds.toRows().map((r) => header.map((h) => r[h] as number | string | null));
  return { header, rows };
}

/** An ADBench set: features as columns of numbers, labels apart. */
export function readAnomalySet(name: string): { columns: Record<string, Float64Array>; label: Int32Array; n: number; p: number; names: string[] } {
  const ds = readCSV(readFileSync(new URL(`anomaly/${name}/data.csv`, SHARED), 'utf8'));
  const names = ds.columnNames.filter((h) => h !== 'label');
  const columns: Record<string, Float64Array> = {};
  for (const h of names) columns[h] = ds.matrix([h]);
  const label = Int32Array.from(ds.matrix(['label']));
  return { columns, label, n: ds.nrows, p: names.length, names };
}

/** ADBench's protocol: a stratified 70/30 split (30% of each class to test), seeded. */
export function adbenchSplit(label: Int32Array, seed: number): { train: number[]; test: number[] } {
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    label.forEach((v, i) => {
      if (v === cls) idx.push(i);
    });
    rng.shuffle(idx);
    const nTest = Math.round(idx.length * 0.3);
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest));
  }
  return { train: train.sort((x, y) => x - y), test: test.sort((x, y) => x - y) };
}
