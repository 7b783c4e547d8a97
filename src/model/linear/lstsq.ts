import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';

/**
 * Least squares `min ‖Xw − y‖` for a row-major n x p matrix: Householder QR when X has full column
 * rank, otherwise the minimum-norm solution from the SVD with singular values below
 * `max(n, p) · ε · s_max` treated as zero (numpy's `lstsq` default), so perfectly collinear columns
 * share their weight and more columns than rows still give an answer. Returns the rank found.
 *
 * @example
 * ```ts
 * const { w, rank } = lstsq(new Float64Array([1, 0, 0, 1, 1, 1]), new Float64Array([1, 2, 3]), 3, 2);
 * ```
 */
export function lstsq(X: Float64Array, y: Float64Array, n: number, p: number): { w: Float64Array; rank: number } {
  const A = new Matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A.set(i, j, X[i * p + j] as number);
  const b = Matrix.columnVector(Array.from(y));
  const tolFactor = Math.max(n, p) * 2.220446049250313e-16;
  if (n >= p) {
    const qr = new QrDecomposition(A);
    const R = qr.upperTriangularMatrix;
    let rmax = 0;
    for (let j = 0; j < p; j++) rmax = Math.max(rmax, Math.abs(R.get(j, j)));
    let full = rmax > 0;
    for (let j = 0; j < p && full; j++) if (Math.abs(R.get(j, j)) <= tolFactor * rmax * 10) full = false;
    if (full) {
      const w = qr.solve(b);
      return { w: Float64Array.from(w.getColumn(0)), rank: p };
    }
  }
  const svd = new SingularValueDecomposition(A, { autoTranspose: true });
  const s = svd.diagonal;
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const smax = Math.max(0, ...s);
  const cut = tolFactor * smax;
  const w = new Float64Array(p);
  let rank = 0;
  for (let k = 0; k < s.length; k++) {
    const sk = s[k] as number;
    if (!(sk > cut)) continue;
    rank++;
    let uty = 0;
    for (let i = 0; i < n; i++) uty += U.get(i, k) * (y[i] as number);
    const c = uty / sk;
    for (let j = 0; j < p; j++) w[j] = (w[j] as number) + c * V.get(j, k);
  }
  return { w, rank };
}
