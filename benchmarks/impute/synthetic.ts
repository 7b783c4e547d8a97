import { Rng } from '../../src/index.js';

/**
 * The benchmark table: `n` x `p` correlated normal columns (a random 3-factor model plus noise),
 * then `frac` of the cells hidden completely at random. Returns the full and the holed matrix.
 */
export function correlatedTable(n: number, p: number, frac: number, seed = 0): { full: Float64Array; holed: Float64Array; n: number; p: number } {
  const rng = new Rng(seed);
  const f = 3;
  const load = new Float64Array(f * p);
  for (let i = 0; i < load.length; i++) load[i] = rng.normal();
  const full = new Float64Array(n * p);
  const z = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < f; k++) z[k] = rng.normal();
    for (let j = 0; j < p; j++) {
      let s = 0.5 * rng.normal();
      for (let k = 0; k < f; k++) s += (z[k] as number) * (load[k * p + j] as number);
      full[i * p + j] = s;
    }
  }
  const holed = full.slice();
  for (let t = 0; t < holed.length; t++) if (rng.next() < frac) holed[t] = Number.NaN;
  return { full, holed, n, p };
}
