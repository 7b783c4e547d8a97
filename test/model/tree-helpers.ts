/**
 * Test/benchmark helpers for the tree and forecast suites (Node only: reads ../shared/data).
 * A tiny local CSV reader (quoted fields, empty = missing) is used until `readCSV` is exported
 * from src/index.ts by the dataset engineer. Metrics come from src/model/metrics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Dataset } from '../../src/index.js';

export const SHARED = new URL('../../../shared/data/', import.meta.url);
export const hasShared = existsSync(SHARED);
export const REF_URL = new URL('../../benchmarks/reference/model_trees.json', import.meta.url);

function parseLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (q) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Raw columns of a shared CSV: numbers where every non-empty value parses, else strings; null for ''. */
export function readSharedColumns(rel: string): Record<string, (number | string | null)[]> {
  const text = readFileSync(new URL(rel, SHARED), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = parseLine(lines[0] as string);
  const raw = header.map(() => [] as string[]);
  for (let i = 1; i < lines.length; i++) {
    const cells = parseLine(lines[i] as string);
    header.forEach((_, j) => raw[j]?.push(cells[j] ?? ''));
  }
  const cols: Record<string, (number | string | null)[]> = {};
  header.forEach((h, j) => {
    const v = raw[j] as string[];
    const numeric = v.every((s) => s === '' || Number.isFinite(Number(s)));
    cols[h] = v.map((s) => (s === '' ? null : numeric ? Number(s) : s));
  });
  return cols;
}

/** Reference entry of one shared set in benchmarks/reference/model_trees.json. */
export interface QualityRef {
  task: 'clf' | 'reg';
  metric: 'auc' | 'accuracy' | 'rmse';
  target: string;
  train: number[];
  test: number[];
  forestColumns: string[];
  decisionTree: number;
  randomForest: number;
  histGradientBoosting: number;
}

const DROP: Record<string, string[]> = { iris: ['target'], titanic: ['passenger'], 'cars-auto-mpg': ['Name'] };

/** The set's columns after the reference script's preparation (drops; cars: rows with a target, Year as a number). */
export function loadSet(name: string): Record<string, (number | string | null)[]> {
  const cols = readSharedColumns(`tabular/${name}/data.csv`);
  for (const d of DROP[name] ?? []) delete cols[d];
  if (name === 'cars-auto-mpg') {
    const keep = (cols.Miles_per_Gallon as (number | null)[]).map((v) => v !== null);
    for (const k of Object.keys(cols)) cols[k] = (cols[k] as (number | string | null)[]).filter((_, i) => keep[i]);
    cols.Year = (cols.Year as string[]).map((s) => Number(s.slice(0, 4)));
  }
  return cols;
}

function levels(v: readonly (number | string | null)[]): string[] {
  const seen = new Set<string>();
  for (const x of v) if (typeof x === 'string') seen.add(x);
  return [...seen];
}

/** Numeric design for forests: indicators per category (missing = all zeros), numeric NaN -> train median. */
export function forestDataset(cols: Record<string, (number | string | null)[]>, target: string, train: readonly number[]): Dataset {
  const out: Record<string, unknown[]> = {};
  for (const [c, v] of Object.entries(cols)) {
    if (c === target) continue;
    if (v.some((x) => typeof x === 'string')) {
      for (const lv of levels(v)) out[`${c}=${lv}`] = v.map((x) => (x === lv ? 1 : 0));
    } else {
      const tr = train
        .map((i) => v[i])
        .filter((x): x is number => typeof x === 'number')
        .sort((a, b) => a - b);
      const m = tr.length % 2 ? (tr[tr.length >> 1] as number) : ((tr[tr.length / 2 - 1] as number) + (tr[tr.length / 2] as number)) / 2;
      out[c] = v.map((x) => (x === null ? m : x));
    }
  }
  out[target] = cols[target] as unknown[];
  const schema: Record<string, { kind: 'number' }> = {};
  for (const k of Object.keys(out)) if (k !== target) schema[k] = { kind: 'number' };
  return Dataset.from(out, { schema });
}

/** Design for gradient boosting: category columns native, missing values kept. */
export function gbmDataset(cols: Record<string, (number | string | null)[]>, target: string): Dataset {
  const schema: Record<string, { kind: 'category' | 'number' }> = {};
  for (const [c, v] of Object.entries(cols)) {
    if (c === target) continue;
    schema[c] = { kind: v.some((x) => typeof x === 'string') ? 'category' : 'number' };
  }
  return Dataset.from(cols, { schema });
}
