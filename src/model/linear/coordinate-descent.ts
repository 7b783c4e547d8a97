import { yieldToEventLoop } from '../../core/abort.js';

/**
 * Cyclic coordinate descent for the elastic net, the algorithm of scikit-learn's
 * `enet_coordinate_descent` step for step: minimises
 * `1/(2n)‖y − Xw‖² + alpha·l1Ratio·‖w‖₁ + alpha·(1 − l1Ratio)/2·‖w‖²` on centred data, checks the
 * duality gap whenever the largest coefficient change falls below `tol` relative to the largest
 * coefficient, and stops when the gap is below `tol·‖y‖²`.
 *
 * @example
 * ```ts
 * const { w, nIter, gap } = await enetCoordinateDescent(Xc, yc, n, p, 1, 0.5, 1e-4, 1000);
 * ```
 */
export async function enetCoordinateDescent(
  X: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  alphaIn: number,
  l1Ratio: number,
  tolIn: number,
  maxIter: number,
  signal?: AbortSignal,
): Promise<{ w: Float64Array; nIter: number; gap: number; converged: boolean }> {
  const alpha = alphaIn * l1Ratio * n;
  const beta = alphaIn * (1 - l1Ratio) * n;
  // column-major copy (scikit-learn works on Fortran-ordered X)
  const Xf = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xf[j * n + i] = X[i * p + j] as number;
  const norm = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    const o = j * n;
    for (let i = 0; i < n; i++) s += (Xf[o + i] as number) ** 2;
    norm[j] = s;
  }
  const w = new Float64Array(p);
  const R = y.slice();
  let yy = 0;
  for (let i = 0; i < n; i++) yy += (y[i] as number) ** 2;
  const tol = tolIn * yy;
  let gap = tol + 1;
  let iter = 0;
  let converged = false;
  for (; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      if (norm[j] === 0) continue;
      const o = j * n;
      const wj = w[j] as number;
      if (wj !== 0) for (let i = 0; i < n; i++) R[i] = (R[i] as number) + wj * (Xf[o + i] as number);
      let tmp = 0;
      for (let i = 0; i < n; i++) tmp += (Xf[o + i] as number) * (R[i] as number);
      const nw = (Math.sign(tmp) * Math.max(Math.abs(tmp) - alpha, 0)) / ((norm[j] as number) + beta);
      w[j] = nw;
      if (nw !== 0) for (let i = 0; i < n; i++) R[i] = (R[i] as number) - nw * (Xf[o + i] as number);
      const d = Math.abs(nw - wj);
      if (d > dwMax) dwMax = d;
      if (Math.abs(nw) > wMax) wMax = Math.abs(nw);
    }
    if (wMax === 0 || dwMax / wMax < tolIn || iter === maxIter - 1) {
      gap = dualityGap(Xf, y, R, w, n, p, alpha, beta);
      if (gap < tol) {
        converged = true;
        break;
      }
    }
    if (iter % 50 === 49) await yieldToEventLoop(signal);
  }
  return { w, nIter: Math.min(iter + 1, maxIter), gap, converged };
}

function dualityGap(Xf: Float64Array, y: Float64Array, R: Float64Array, w: Float64Array, n: number, p: number, alpha: number, beta: number): number {
  let dual = 0;
  for (let j = 0; j < p; j++) {
    let s = 0;
    const o = j * n;
    for (let i = 0; i < n; i++) s += (Xf[o + i] as number) * (R[i] as number);
    s -= beta * (w[j] as number);
    if (Math.abs(s) > dual) dual = Math.abs(s);
  }
  let rn = 0;
  let ry = 0;
  for (let i = 0; i < n; i++) {
    rn += (R[i] as number) ** 2;
    ry += (R[i] as number) * (y[i] as number);
  }
  let wn = 0;
  let l1 = 0;
  for (let j = 0; j < p; j++) {
    wn += (w[j] as number) ** 2;
    l1 += Math.abs(w[j] as number);
  }
  let c = 1;
  let gap: number;
  if (dual > alpha) {
    c = alpha / dual;
    gap = 0.5 * (rn + rn * c * c);
  } else gap = rn;
  return gap + alpha * l1 - c * ry + 0.5 * beta * (1 + c * c) * wn;
}
