import { Matrix, SingularValueDecomposition } from 'ml-matrix';

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
  const tolFactor = Math.max(n, p) * 2.220446049250313e-16;
  if (n >= p) {
    const w = householderSolve(X, y, n, p, tolFactor * 10);
    if (w) return { w, rank: p };
  }
  return svdSolve(X, y, n, p, tolFactor);
}

/** Householder QR on a column-major copy; returns null when a diagonal of R is (relatively) zero. */
function householderSolve(X: Float64Array, y: Float64Array, n: number, p: number, tol: number): Float64Array | null {
  const A = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A[j * n + i] = X[i * p + j] as number;
  const b = y.slice();
  const rdiag = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const ck = k * n;
    let norm = 0;
    for (let i = k; i < n; i++) norm += (A[ck + i] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    const alpha = (A[ck + k] as number) > 0 ? -norm : norm;
    A[ck + k] = (A[ck + k] as number) - alpha;
    let vn = 0;
    for (let i = k; i < n; i++) vn += (A[ck + i] as number) ** 2;
    rdiag[k] = alpha;
    if (vn === 0) continue;
    const f = 2 / vn;
    for (let j = k + 1; j < p; j++) {
      const cj = j * n;
      let s = 0;
      for (let i = k; i < n; i++) s += (A[ck + i] as number) * (A[cj + i] as number);
      s *= f;
      for (let i = k; i < n; i++) A[cj + i] = (A[cj + i] as number) - s * (A[ck + i] as number);
    }
    let s = 0;
    for (let i = k; i < n; i++) s += (A[ck + i] as number) * (b[i] as number);
    s *= f;
    for (let i = k; i < n; i++) b[i] = (b[i] as number) - s * (A[ck + i] as number);
  }
  let rmax = 0;
  for (let k = 0; k < p; k++) rmax = Math.max(rmax, Math.abs(rdiag[k] as number));
  for (let k = 0; k < p; k++) if (!(Math.abs(rdiag[k] as number) > tol * rmax)) return null;
  const w = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k] as number;
    for (let j = k + 1; j < p; j++) s -= (A[j * n + k] as number) * (w[j] as number);
    w[k] = s / (rdiag[k] as number);
  }
  return w;
}

function svdSolve(X: Float64Array, y: Float64Array, n: number, p: number, tolFactor: number): { w: Float64Array; rank: number } {
  const A = new Matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A.set(i, j, X[i * p + j] as number);
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
