import { TesseraError } from '../core/errors.js';

/**
 * Trustworthiness of an embedding (Venna and Kaski 2001), as scikit-learn's
 * `sklearn.manifold.trustworthiness`: 1 minus a penalty for every row that is among a point's
 * `k` nearest neighbours in the embedding but not in the original space, weighted by how far down
 * the original ranking it is. In [0, 1]; 1 means the embedding invents no neighbours. O(n²·d)
 * time, O(n) memory. Both inputs are dense row-major matrices with the same number of rows.
 * Exact ties in the original distances are ranked by row index (a stable sort; NumPy's default
 * sort leaves their order unspecified, so on data with duplicate rows the two can differ slightly).
 *
 * @example
 * ```ts
 * const fitted = await new TSNE().fit(ds);
 * const X = ds.matrix(fitted.inputColumns);
 * trustworthiness(X, fitted.inputColumns.length, fitted.embedding, 2, 5); // e.g. 0.99
 * ```
 */
export function trustworthiness(X: Float64Array, d: number, E: Float64Array, e: number, k = 5): number {
  const n = X.length / d;
  if (!Number.isInteger(n) || E.length !== n * e) {
    throw new TesseraError('E_SHAPE', `trustworthiness: ${X.length / d} rows in X but ${E.length / e} in the embedding`, { option: 'embedding' });
  }
  if (!Number.isInteger(k) || k < 1 || k >= n / 2) {
    throw new TesseraError('E_OPTION', `trustworthiness: k must be an integer in [1, n/2), got ${k} for ${n} rows`, { option: 'k' });
  }
  const dx = new Float64Array(n);
  const de = new Float64Array(n);
  const nbr = new Int32Array(k);
  const nd = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const t = (X[i * d + q] as number) - (X[j * d + q] as number);
        s += t * t;
      }
      dx[j] = s;
      let u = 0;
      for (let q = 0; q < e; q++) {
        const t = (E[i * e + q] as number) - (E[j * e + q] as number);
        u += t * t;
      }
      de[j] = u;
    }
    // k nearest in the embedding (self excluded), by insertion into a sorted buffer
    let filled = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const v = de[j] as number;
      if (filled === k && v >= (nd[k - 1] as number)) continue;
      let p = filled < k ? filled++ : k - 1;
      while (p > 0 && (nd[p - 1] as number) > v) {
        nd[p] = nd[p - 1] as number;
        nbr[p] = nbr[p - 1] as number;
        p--;
      }
      nd[p] = v;
      nbr[p] = j;
    }
    for (let t = 0; t < k; t++) {
      const j = nbr[t] as number;
      const dij = dx[j] as number;
      // rank of j among the other rows by original distance; exact ties are ordered by row index
      let rank = 1;
      for (let l = 0; l < n; l++) {
        if (l === i) continue;
        const v = dx[l] as number;
        if (v < dij || (v === dij && l < j)) rank++;
      }
      if (rank > k) total += rank - k;
    }
  }
  return 1 - (total * 2) / (n * k * (2 * n - 3 * k - 1));
}
