/**
 * Test helpers for the model tests that read the shared real data sets (Node only: import from
 * *.node.test.ts files).
 * `readCsv` reads a shared set with the project's own `readCSV`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { type Dataset, readCSV } from '../../src/index.js';

export const DATA_DIR = new URL('../../../shared/data/tabular/', import.meta.url);
export const HAS_DATA = existsSync(DATA_DIR);

export function readCsv(name: string): Dataset {
  return readCSV(readFileSync(new URL(`${name}/data.csv`, DATA_DIR), 'utf8'));
}

/** Standardises columns in place (population sd), as the reference script does. */
export function standardized(ds: Dataset, columns: readonly string[]): Dataset {
  let out = ds;
  for (const c of columns) {
    const v = ds.matrix([c]);
    let m = 0;
    for (const x of v) m += x;
    m /= v.length;
    let s = 0;
    for (const x of v) s += (x - m) ** 2;
    const sd = Math.sqrt(s / v.length) || 1;
    out = out.withColumn(
      c,
      Float64Array.from(v, (x) => (x - m) / sd),
      'number',
    );
  }
  return out;
}

export function dropMissing(ds: Dataset, columns: readonly string[]): Dataset {
  return ds.filter((r) => columns.every((c) => r[c] !== null));
}

// biome-ignore lint/suspicious/noExplicitAny: the reference JSON is loosely typed test data
export type Ref = any;

export function reference(): Ref {
  return JSON.parse(readFileSync(new URL('../../benchmarks/reference/model_linear.json', import.meta.url), 'utf8'));
}

/** Largest relative difference, relative to the largest magnitude of the reference (so near-zero entries do not dominate). */
export function maxRelDiff(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i] as number));
  let d = 0;
  for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs((ours[i] as number) - (ref[i] as number)));
  return d / (scale || 1);
}
