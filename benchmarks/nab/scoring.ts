/**
 * NAB scoring, standard profile (Lavin and Ahmad, "Evaluating real-time anomaly detection
 * algorithms: the Numenta Anomaly Benchmark", 2015), written from NAB's description and checked
 * against NAB's published per-file raw scores (benchmarks/nab/nab.bench.ts and
 * test/detect/nab.node.test.ts):
 *
 * - The first `min(floor(0.15 n), 750)` rows are probationary: never scored.
 * - A row inside a label window, detected (score >= threshold), is worth
 *   `tpWeight * S(-(right - i + 1) / width) / S(-1)` with the scaled sigmoid
 *   `S(x) = 2 / (1 + e^{5x}) - 1` (`-1` when x >= 3); only the best (earliest) detection of a
 *   window counts; a window with no detection costs `-fnWeight`.
 * - A detected row outside every window costs `fpWeight * S(|i - prevRight| / (prevWidth - 1))`
 *   relative to the previous window (`S(3)`, i.e. about -1, before the first window); every such
 *   row counts.
 * - Normalised score over a set of files: `100 * (raw - null) / (perfect - null)` with the null
 *   detector's raw `-fnWeight · windows` and the perfect detector's `tpWeight · windows`.
 */

export interface CostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** NAB's standard profile. */
export const STANDARD: CostProfile = { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };

export function scaledSigmoid(x: number): number {
  if (x >= 3) return -1;
  return 2 / (1 + Math.exp(5 * x)) - 1;
}

export interface NabFile {
  timestamps: string[];
  /** Inclusive [start, end] timestamps of each label window, in time order. */
  windows: [string, string][];
}

export interface NabResult {
  raw: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

/** Per-row weights: `sweep[i]` (the value of detecting row i) and `win[i]` (window id, -1 outside, -2 probationary). */
export function sweep(file: NabFile, profile: CostProfile = STANDARD): { sweep: Float64Array; win: Int32Array; nWindows: number } {
  const ts = file.timestamps;
  const n = ts.length;
  const index = new Map<string, number>();
  ts.forEach((t, i) => index.set(normaliseTime(t), i));
  const bounds = file.windows.map(([a, b]) => {
    const s = index.get(normaliseTime(a));
    const e = index.get(normaliseTime(b));
    if (s === undefined || e === undefined) throw new Error(`window ${a} .. ${b} does not start and end on rows of the file`);
    return [s, e] as const;
  });
  const probation = Math.min(Math.floor(0.15 * n), 0.15 * 5000);
  const maxTP = scaledSigmoid(-1);
  const out = new Float64Array(n);
  const win = new Int32Array(n).fill(-1);
  let w = 0;
  let cur = -1;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    if (w < bounds.length && i === (bounds[w] as readonly [number, number])[0]) cur = w++;
    if (cur >= 0) {
      const [s, e] = bounds[cur] as readonly [number, number];
      const width = e - s + 1;
      out[i] = (scaledSigmoid(-(e - i + 1) / width) * profile.tpWeight) / maxTP;
      win[i] = cur;
    } else {
      const pos = prevRight < 0 ? 3 : Math.abs(prevRight - i) / (prevWidth - 1);
      out[i] = scaledSigmoid(pos) * profile.fpWeight;
    }
    if (i < probation) win[i] = -2;
    if (cur >= 0 && i === (bounds[cur] as readonly [number, number])[1]) {
      prevRight = i;
      prevWidth = i - (bounds[cur] as readonly [number, number])[0] + 1;
      cur = -1;
    }
  }
  return { sweep: out, win, nWindows: bounds.length };
}

/** Raw NAB score of one file at one threshold (rows with score >= threshold are detections). */
export function scoreFile(file: NabFile, scores: ArrayLike<number>, threshold: number, profile: CostProfile = STANDARD): NabResult {
  const { sweep: sw, win, nWindows } = sweep(file, profile);
  const best = new Float64Array(nWindows).fill(Number.NaN);
  const scorable = new Uint8Array(nWindows);
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let fpSum = 0;
  for (let i = 0; i < sw.length; i++) {
    const w = win[i] as number;
    if (w === -2) continue;
    const hit = (scores[i] as number) >= threshold;
    if (w >= 0) {
      scorable[w] = 1;
      if (hit) {
        tp++;
        const b = best[w] as number;
        if (Number.isNaN(b) || (sw[i] as number) > b) best[w] = sw[i] as number;
      } else fn++;
    } else if (hit) {
      fp++;
      fpSum += sw[i] as number;
    } else tn++;
  }
  let raw = fpSum;
  for (let w = 0; w < nWindows; w++) if (scorable[w]) raw += Number.isNaN(best[w] as number) ? -profile.fnWeight : (best[w] as number);
  return { raw, tp, tn, fp, fn };
}

/** Null and perfect raw scores of a file (windows that have scorable rows). */
export function nullAndPerfect(file: NabFile, profile: CostProfile = STANDARD): { null: number; perfect: number } {
  const { win, nWindows } = sweep(file, profile);
  const scorable = new Set<number>();
  for (const w of win) if (w >= 0) scorable.add(w);
  void nWindows;
  return { null: -profile.fnWeight * scorable.size, perfect: profile.tpWeight * scorable.size };
}

/** `100 * (raw - null) / (perfect - null)` summed over files. */
export function normalise(results: { raw: number; null: number; perfect: number }[]): number {
  let r = 0;
  let z = 0;
  let p = 0;
  for (const x of results) {
    r += x.raw;
    z += x.null;
    p += x.perfect;
  }
  return (100 * (r - z)) / (p - z);
}

/**
 * The threshold maximising the summed raw score over files (NAB's optimiser does the same over its
 * corpus): candidates are the distinct score values (when there are more than `maxCandidates`:
 * that many quantiles of them plus the `maxCandidates` largest).
 */
export function optimiseThreshold(
  files: { file: NabFile; scores: ArrayLike<number> }[],
  profile: CostProfile = STANDARD,
  maxCandidates = 400,
): { threshold: number; raw: number } {
  const all: number[] = [];
  for (const f of files) for (let i = 0; i < f.scores.length; i++) all.push(f.scores[i] as number);
  const uniq = Array.from(new Set(all.filter((v) => Number.isFinite(v)))).sort((a, b) => a - b);
  // quantiles of the distinct values, plus the largest distinct values (high thresholds matter most)
  const cands =
    uniq.length <= maxCandidates
      ? uniq
      : Array.from(
          new Set([
            ...Array.from({ length: maxCandidates }, (_, k) => uniq[Math.floor(((k + 0.5) * uniq.length) / maxCandidates)] as number),
            ...uniq.slice(-maxCandidates),
          ]),
        );
  let best = { threshold: Number.POSITIVE_INFINITY, raw: Number.NEGATIVE_INFINITY };
  for (const t of cands) {
    let raw = 0;
    for (const f of files) raw += scoreFile(f.file, f.scores, t, profile).raw;
    if (raw > best.raw) best = { threshold: t, raw };
  }
  return best;
}

/**
 * One report per excursion: a score counts only when it exceeds every finite score of the previous
 * `w` rows, else 0 (non-finite scores give 0).
 *
 * @example
 * ```ts
 * peaks(Float64Array.of(1, 3, 2, 5), 2); // [1, 3, 0, 5]
 * ```
 */
export function peaks(scores: Float64Array, w: number): Float64Array {
  const out = new Float64Array(scores.length);
  // monotone deque of the previous w scores' maximum
  const dq: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    while (dq.length && (dq[0] as number) < i - w) dq.shift();
    const prevMax = dq.length ? (scores[dq[0] as number] as number) : Number.NEGATIVE_INFINITY;
    const v = scores[i] as number;
    out[i] = Number.isFinite(v) && v > prevMax ? v : 0;
    if (Number.isFinite(v)) {
      while (dq.length && (scores[dq[dq.length - 1] as number] as number) <= v) dq.pop();
      dq.push(i);
    }
  }
  return out;
}

function normaliseTime(t: string): string {
  // '2014-10-30 15:30:00.000000' and '2014-10-30 15:30:00' name the same row
  return t.replace(/\.0+$/, '').trim();
}
