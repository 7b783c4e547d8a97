/** Synthetic inputs shared by benchmarks/cluster.bench.ts and benchmarks/reduce.bench.ts (seeded). */
import { Dataset, Rng } from '../src/index.js';

/** Gaussian blobs: `k` centres uniform in [-box, box]^d, each row a centre plus N(0, sd²) noise (as the Python reference draws them). */
export function blobs(n: number, d: number, k: number, seed = 0, sd = 1, box = 10): { X: Float64Array; labels: Int32Array } {
  const rng = new Rng(seed);
  const centers = new Float64Array(k * d);
  for (let q = 0; q < centers.length; q++) centers[q] = rng.uniform(-box, box);
  const X = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(k);
    labels[i] = c;
    for (let q = 0; q < d; q++) X[i * d + q] = (centers[c * d + q] as number) + sd * rng.normal();
  }
  return { X, labels };
}

export function toDataset(X: Float64Array, n: number, d: number): Dataset {
  return Dataset.fromMatrix(X, n, d);
}

export function toRows(X: Float64Array, n: number, d: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(X.subarray(i * d, i * d + d)));
  return rows;
}

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Runs `f` `runs` times (after one warm-up unless `warmup` is false) and returns the wall times in seconds. */
export async function timeRuns(f: () => unknown | Promise<unknown>, runs: number, warmup = true): Promise<number[]> {
  if (warmup) await f();
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await f();
    out.push((performance.now() - t) / 1000);
  }
  return out;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
