import type { Dataset } from '../dataset/dataset.js';
import { featureMatrix } from '../dataset/features.js';

/**
 * A dense row-major matrix with its shape and column names, as the clustering and reduction
 * primitives read it.
 *
 * @example
 * ```ts
 * const m: DenseMatrix = { data: new Float64Array([1, 2, 3, 4]), nrows: 2, ncols: 2, columns: ['a', 'b'] };
 * ```
 */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly nrows: number;
  readonly ncols: number;
  readonly columns: readonly string[];
}

/**
 * `featureMatrix` with a fast path: when every column is stored as a `Float64Array` (number,
 * integer, datetime) and holds no NaN or infinity, the matrix is built in one tight pass;
 * otherwise `featureMatrix` runs and throws its named errors (encoder / imputer hints).
 *
 * @example
 * ```ts
 * const { data } = numericMatrix(ds, ['a', 'b'], 'KMeans');
 * ```
 */
export function numericMatrix(ds: Dataset, columns: readonly string[], owner: string): DenseMatrix {
  const values = numericColumns(ds, columns, owner);
  if (!values) return featureMatrix(ds, columns, { owner });
  const n = ds.nrows;
  const d = columns.length;
  const data = new Float64Array(n * d);
  // blocked transpose: 256 rows at a time, so the row-major writes stay in cache
  for (let i0 = 0; i0 < n; i0 += 256) {
    const i1 = Math.min(n, i0 + 256);
    for (let j = 0; j < d; j++) {
      const v = values[j] as Float64Array;
      for (let i = i0; i < i1; i++) data[i * d + j] = v[i] as number;
    }
  }
  return { data, nrows: n, ncols: d, columns };
}

/**
 * The columns' `Float64Array`s when all are number/integer/datetime columns without NaN or
 * infinity; otherwise `featureMatrix` is called so that it throws its named error (or, for
 * boolean columns, `undefined` is returned and callers fall back to `featureMatrix`). With `sums`
 * (length `columns.length`), each column's sum is written there in the same pass.
 *
 * @example
 * ```ts
 * const cols = numericColumns(ds, ['a', 'b'], 'PCA'); // Float64Array[] | undefined
 * ```
 */
export function numericColumns(ds: Dataset, columns: readonly string[], owner: string, sums?: Float64Array): Float64Array[] | undefined {
  const out: Float64Array[] = [];
  for (let c = 0; c < columns.length; c++) {
    const name = columns[c] as string;
    const col = ds.column(name);
    if (col.kind !== 'number' && col.kind !== 'integer' && col.kind !== 'datetime') {
      featureMatrix(ds, columns, { owner });
      return undefined;
    }
    const v = col.values;
    let s = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number;
      if (x - x !== 0) {
        featureMatrix(ds, columns, { owner }); // NaN or +-Infinity: throws the named error
        return undefined;
      }
      s += x;
    }
    if (sums) sums[c] = s;
    out.push(v);
  }
  return out;
}
