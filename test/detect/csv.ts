/**
 * A tiny numeric CSV reader for the detect tests and benchmarks (Node only: reads files), used
 * until the project's CSV reader lands. Numbers become numbers, other fields stay strings, an
 * empty field is null.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Rng } from '../../src/index.js';

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

export function readCsv(path: string | URL): { header: string[]; rows: (number | string | null)[][] } {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines[0] as string).split(',');
  const rows = lines.slice(1).map((l) =>
    l.split(',').map((f) => {
      if (f === '') return null;
      const v = Number(f);
      return Number.isNaN(v) ? f : v;
    }),
  );
  return { header, rows };
}

/** An ADBench set: features as columns of numbers, labels apart. */
export function readAnomalySet(name: string): { columns: Record<string, Float64Array>; label: Int32Array; n: number; p: number; names: string[] } {
  const { header, rows } = readCsv(new URL(`anomaly/${name}/data.csv`, SHARED));
  const li = header.indexOf('label');
  const names = header.filter((_, j) => j !== li);
  const n = rows.length;
  const columns: Record<string, Float64Array> = {};
  for (const h of names) columns[h] = new Float64Array(n);
  const label = new Int32Array(n);
  rows.forEach((r, i) => {
    header.forEach((h, j) => {
      if (j === li) label[i] = r[j] as number;
      else (columns[h] as Float64Array)[i] = r[j] as number;
    });
  });
  return { columns, label, n, p: names.length, names };
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
