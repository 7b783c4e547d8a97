/** Loads the 8 shared NAB series, their windows, NAB's per-row detector scores and published per-file raw scores. */
import { readFileSync } from 'node:fs';
import { readCsv, SHARED } from '../../test/detect/csv.js';
import type { NabFile } from './scoring.js';

export const NAB_SERIES = [
  'nyc-taxi',
  'machine-temperature-system-failure',
  'ambient-temperature-system-failure',
  'cpu-utilization-asg-misconfiguration',
  'ec2-cpu-utilization-825cc2',
  'rogue-agent-key-hold',
  'twitter-volume-aapl',
  'speed-7578',
] as const;

export const NAB_DETECTORS = ['numenta', 'windowedGaussian', 'randomCutForest', 'relativeEntropy'] as const;

export interface NabSeries {
  name: string;
  /** NAB's file key, e.g. realKnownCause/nyc_taxi.csv. */
  key: string;
  file: NabFile;
  values: Float64Array;
  /** NAB detectors' per-row scores. */
  detectorScores: Record<string, Float64Array>;
}

export function loadSeries(name: string): NabSeries {
  const dir = new URL(`timeseries/${name}/`, SHARED);
  const data = readCsv(new URL('data.csv', dir));
  const labels = JSON.parse(readFileSync(new URL('labels.json', dir), 'utf8')) as { file: string; windows: [string, string][] };
  const det = readCsv(new URL('nab_detector_scores.csv', dir));
  const timestamps = data.rows.map((r) => String(r[0]));
  const vi = data.header.indexOf('value');
  const values = Float64Array.from(data.rows, (r) => (typeof r[vi] === 'number' ? (r[vi] as number) : Number.NaN));
  const detectorScores: Record<string, Float64Array> = {};
  det.header.slice(1).forEach((h, k) => {
    detectorScores[h] = Float64Array.from(det.rows, (r) => r[k + 1] as number);
  });
  return { name, key: labels.file, file: { timestamps, windows: labels.windows }, values, detectorScores };
}

/**
 * The value range of a series (its finite values): NAB passes `inputMin`/`inputMax` of each file
 * to every detector.
 *
 * @example
 * ```ts
 * new RelativeEntropyDetector({ range: rangeOf(loadSeries('nyc-taxi')) });
 * ```
 */
export function rangeOf(s: NabSeries): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of s.values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export interface PublishedRow {
  raw: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
  threshold: number;
}

/** NAB's published per-file raw standard scores: key → detector → row. */
export function publishedScores(): Map<string, Map<string, PublishedRow>> {
  const t = readCsv(new URL('reference/nab/nab_per_file_raw_scores_standard_selected.csv', SHARED));
  const out = new Map<string, Map<string, PublishedRow>>();
  for (const r of t.rows) {
    const key = String(r[0]);
    if (!out.has(key)) out.set(key, new Map());
    (out.get(key) as Map<string, PublishedRow>).set(String(r[1]), {
      raw: r[3] as number,
      tp: r[4] as number,
      tn: r[5] as number,
      fp: r[6] as number,
      fn: r[7] as number,
      threshold: r[8] as number,
    });
  }
  return out;
}
