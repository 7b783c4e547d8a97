import type { Dataset } from '../../dataset/dataset.js';
import { type ColumnSpec, isCategorical, levelsOf } from './common.js';

/**
 * Column specs for the model-based imputers. A category column with no observed value gets the
 * single level `'missing'` (used only with `emptyColumns: 'constant'`).
 */
export function buildSpecs(ds: Dataset, cols: readonly string[], counts: ArrayLike<number>): ColumnSpec[] {
  return cols.map((name, j) => {
    const col = ds.column(name);
    if (!isCategorical(col.kind)) return { name, kind: col.kind, levels: [] };
    const levels = levelsOf(col);
    return { name, kind: col.kind, levels: counts[j] === ds.nrows && col.kind !== 'boolean' ? ['missing'] : levels };
  });
}

/**
 * Per-column fallback fill in encoded units: the mean of a numeric column (median for datetimes),
 * the most frequent level index of a categorical one (ties: the smallest index), 0 when nothing is
 * observed.
 */
export function columnFallbacks(X: Float64Array, n: number, p: number, specs: readonly ColumnSpec[]): Float64Array {
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const s = specs[j] as ColumnSpec;
    if (isCategorical(s.kind)) {
      const counts = new Float64Array(Math.max(1, s.levels.length));
      for (let i = 0; i < n; i++) {
        const v = X[i * p + j] as number;
        if (!Number.isNaN(v)) counts[v] = (counts[v] as number) + 1;
      }
      let best = 0;
      for (let l = 1; l < counts.length; l++) if ((counts[l] as number) > (counts[best] as number)) best = l;
      out[j] = best;
    } else if (s.kind === 'datetime') {
      const v: number[] = [];
      for (let i = 0; i < n; i++) {
        const x = X[i * p + j] as number;
        if (!Number.isNaN(x)) v.push(x);
      }
      v.sort((a, b) => a - b);
      const m = v.length >> 1;
      out[j] = v.length === 0 ? 0 : v.length % 2 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
    } else {
      let m = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const x = X[i * p + j] as number;
        if (!Number.isNaN(x)) {
          c++;
          m += (x - m) / c;
        }
      }
      out[j] = m;
    }
  }
  return out;
}

/** The constant fill (in encoded units) of a column with no observed value: 0, level 0 (`'missing'` or `false`). */
export function constantFallback(_spec: ColumnSpec): number {
  return 0;
}
