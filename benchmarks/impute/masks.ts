import { type CellValue, Dataset, Rng } from '../../src/index.js';
import type { EvalSet } from './sets.js';

/** Hidden cells: row and column name. */
export interface Mask {
  rate: number;
  mechanism: 'MCAR' | 'MAR';
  cells: [number, string][];
}

/**
 * Hides `rate` of the observed cells of every column except the driver. MCAR: each cell with
 * probability `rate`. MAR: the probability depends on the driver column's rank (logistic in the
 * rank, rows with high driver values lose ~3x more than low ones), rescaled to the same mean rate.
 */
export function makeMask(set: EvalSet, rate: number, mechanism: 'MCAR' | 'MAR', seed: number): Mask {
  const rng = new Rng(seed);
  const { ds, driver } = set;
  const n = ds.nrows;
  const cols = [...set.numeric, ...set.categorical].filter((c) => c !== driver);
  const prob = new Float64Array(n).fill(rate);
  if (mechanism === 'MAR') {
    const d = ds.toColumns()[driver] as number[];
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (d[a] as number) - (d[b] as number) || a - b);
    const w = new Float64Array(n);
    order.forEach((i, r) => {
      w[i] = 1 / (1 + Math.exp(-4 * (r / Math.max(1, n - 1) - 0.5)));
    });
    const mean = w.reduce((a, b) => a + b, 0) / n;
    for (let i = 0; i < n; i++) prob[i] = Math.min(0.95, (rate * (w[i] as number)) / mean);
  }
  const cells: [number, string][] = [];
  for (const c of cols) for (let i = 0; i < n; i++) if (rng.next() < (prob[i] as number)) cells.push([i, c]);
  return { rate, mechanism, cells };
}

/** The table with the mask's cells set missing. */
export function applyMask(ds: Dataset, mask: Mask): Dataset {
  const cols = ds.toColumns();
  for (const [i, c] of mask.cells) (cols[c] as CellValue[])[i] = null;
  const schema: Record<string, { kind: 'category' | 'number' | 'integer' }> = {};
  for (const col of ds.columns()) schema[col.name] = { kind: col.kind === 'category' ? 'category' : col.kind === 'integer' ? 'integer' : 'number' };
  return Dataset.from(cols, { schema });
}

/** NRMSE (RMSE over hidden cells / sd of the true column), averaged over numeric columns, and accuracy over hidden category cells. */
export function scoreImputation(set: EvalSet, mask: Mask, imputed: Dataset): { nrmse: number; accuracy: number } {
  const truth = set.ds.toColumns();
  const got = imputed.toColumns();
  const byCol = new Map<string, number[]>();
  for (const [i, c] of mask.cells) {
    const l = byCol.get(c) ?? [];
    byCol.set(c, l);
    l.push(i);
  }
  let nr = 0;
  let nc = 0;
  let hit = 0;
  let tot = 0;
  for (const [c, rows] of byCol) {
    const t = truth[c] as CellValue[];
    const g = got[c] as CellValue[];
    if (set.categorical.includes(c)) {
      for (const i of rows) {
        tot++;
        if (g[i] === t[i]) hit++;
      }
      continue;
    }
    const tv = t as number[];
    const m = tv.reduce((a, b) => a + b, 0) / tv.length;
    const sd = Math.sqrt(tv.reduce((a, b) => a + (b - m) ** 2, 0) / tv.length);
    let se = 0;
    for (const i of rows) {
      const v = g[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${set.name}: column ${c} row ${i} not filled (${String(v)})`);
      se += (v - (tv[i] as number)) ** 2;
    }
    nr += Math.sqrt(se / rows.length) / (sd > 0 ? sd : 1);
    nc++;
  }
  return { nrmse: nc > 0 ? nr / nc : Number.NaN, accuracy: tot > 0 ? hit / tot : Number.NaN };
}
