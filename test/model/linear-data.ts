/**
 * Test helpers for the model tests that read the shared real data sets (Node only: import from
 * *.node.test.ts files).
 *
 * The project's CSV reader (src/dataset/io) is being written in parallel and not yet exported from
 * src/index.ts, so `readCsv` is a tiny local parser for the shared files: header row,
 * comma-separated, double-quoted fields with "" escapes, empty field = missing, a column is numeric
 * when every present value parses as a number, otherwise text (Dataset.from infers category/text).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Dataset } from '../../src/index.js';

export const DATA_DIR = new URL('../../../shared/data/tabular/', import.meta.url);
export const HAS_DATA = existsSync(DATA_DIR);

function parseLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function readCsv(name: string): Dataset {
  const text = readFileSync(new URL(`${name}/data.csv`, DATA_DIR), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = parseLine(lines[0] as string);
  const cells = lines.slice(1).map(parseLine);
  const cols: Record<string, unknown[]> = {};
  header.forEach((h, j) => {
    const raw = cells.map((r) => r[j] ?? '');
    const numeric = raw.every((v) => v === '' || Number.isFinite(Number(v)));
    cols[h] = raw.map((v) => (v === '' ? null : numeric ? Number(v) : v));
  });
  return Dataset.from(cols);
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
