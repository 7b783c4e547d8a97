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
  const n = ds.nrows;
  const d = columns.length;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = ds.column(columns[j] as string);
    if (col.kind !== 'number' && col.kind !== 'integer' && col.kind !== 'datetime') return featureMatrix(ds, columns, { owner });
    const v = col.values;
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (x - x !== 0) return featureMatrix(ds, columns, { owner }); // NaN or +-Infinity
      data[i * d + j] = x;
    }
  }
  return { data, nrows: n, ncols: d, columns };
}
