import { TesseraError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { cellValue, isMissing } from '../dataset/column.js';
import { Dataset } from '../dataset/dataset.js';
import { pcaMatrix } from '../reduce/index.js';

/**
 * Options of {@link profileSegments}.
 *
 * @example
 * ```ts
 * const o: ProfileOptions = { columns: ['Fresh', 'Milk', 'Channel'], topFeatures: 3 };
 * ```
 */
export interface ProfileOptions {
  /** Columns to describe; default every column without an id/target/time role (text columns are skipped). */
  columns?: readonly string[];
  /** Distinguishing features listed per segment. Default 5. */
  topFeatures?: number;
  /**
   * Axes of the scatter spec: `pca` (default: first two principal components of the standardised
   * numeric columns) or a ready 2-D embedding (e.g. `FittedTSNE.embedding`, nrows x 2, row-major).
   */
  axes?: 'pca' | { embedding: ArrayLike<number>; names?: readonly [string, string] };
  /** Points drawn in the scatter spec at most (a seeded sample above it). Default 5000. */
  maxPoints?: number;
  /** Seed of that sample. Default 0. */
  seed?: number;
}

/**
 * One feature that sets a segment apart. For a numeric column, `score` is the standardised
 * difference (segment mean minus overall mean, over the overall sd); for a category level, it is
 * the difference of shares (segment minus overall), in [-1, 1].
 *
 * @example
 * ```ts
 * const f: SegmentFeature = { column: 'Milk', kind: 'numeric', score: 1.8, segmentValue: 18000, overallValue: 5800 };
 * ```
 */
export interface SegmentFeature {
  column: string;
  kind: 'numeric' | 'category';
  /** The category level, for category features. */
  level?: string;
  score: number;
  /** Segment mean (numeric) or share of the level in the segment (category). */
  segmentValue: number;
  /** Overall mean or share. */
  overallValue: number;
}

/**
 * The profile of one segment.
 *
 * @example
 * ```ts
 * const s: SegmentProfile = profile.segments[0]!;
 * s.size; s.centre.Milk; s.features[0]?.column;
 * ```
 */
export interface SegmentProfile {
  /** The label (-1 = noise, as DBSCAN gives it). */
  label: number;
  size: number;
  share: number;
  /** Mean of each numeric column in original units (missing values ignored). */
  centre: Record<string, number>;
  /** Share of each level of each category/boolean column. */
  categories: Record<string, Record<string, number>>;
  /** The features that set the segment apart most, strongest first. */
  features: SegmentFeature[];
}

/**
 * A Vega-Lite specification (a plain JSON object, data inlined), ready for `vega-embed` or the
 * Vega-Lite compiler; tessera has no Vega dependency.
 *
 * @example
 * ```ts
 * const spec: VegaLiteSpec = profile.specs.scatter;
 * writeFileSync('scatter.vl.json', JSON.stringify(spec));
 * ```
 */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * What {@link profileSegments} returns.
 *
 * @example
 * ```ts
 * const p: SegmentProfiles = profileSegments(ds, labels);
 * p.table.toRows();
 * ```
 */
export interface SegmentProfiles {
  segments: SegmentProfile[];
  /** One row per segment: segment, size, share, the numeric centres, and the top features as text. */
  table: Dataset;
  specs: {
    /** The rows on two axes (PCA or a given embedding), coloured by segment. */
    scatter: VegaLiteSpec;
    /** Heatmap of standardised differences, segment x numeric feature. */
    contrast: VegaLiteSpec;
  };
}

const DESCRIBABLE = new Set(['number', 'integer', 'boolean', 'category', 'datetime']);

/**
 * Describes segments (cluster labels) of a Dataset in the units of its original columns: size and
 * share, centre (numeric means), category shares, and the features that set each segment apart
 * (standardised differences for numeric columns, share differences for category levels), as
 * objects, as a table (a Dataset) and as Vega-Lite specs (a scatter of the segments on PCA or
 * t-SNE axes, and a feature-contrast heatmap). Pass the unscaled data: profiles are read in the
 * data's own units, whatever the clustering saw.
 *
 * @example
 * ```ts
 * import { KMeans, profileSegments } from 'tessera';
 * const model = await new KMeans({ k: 4, nInit: 10 }).fit(scaled);
 * const profile = profileSegments(raw, model.labels);
 * profile.segments[0]?.features[0]; // e.g. { column: 'Grocery', score: 2.1, ... }
 * profile.specs.scatter;            // Vega-Lite JSON
 * ```
 */
export function profileSegments(ds: Dataset, labels: ArrayLike<number>, options: ProfileOptions = {}): SegmentProfiles {
  const n = ds.nrows;
  if (labels.length !== n) throw new TesseraError('E_SHAPE', `profileSegments: ${labels.length} labels for ${n} rows`, { option: 'labels' });
  if (n === 0) throw new TesseraError('E_EMPTY', 'profileSegments needs at least 1 row, got 0', { rows: 0 });
  const cols = options.columns
    ? [...options.columns]
    : ds.schema.fields.filter((f) => DESCRIBABLE.has(f.kind) && (f.role === undefined || f.role === 'feature')).map((f) => f.name);
  for (const c of cols) ds.column(c);
  const topFeatures = options.topFeatures ?? 5;
  const numeric = cols.filter((c) => ['number', 'integer', 'datetime'].includes(ds.column(c).kind));
  const categorical = cols.filter((c) => ['category', 'boolean'].includes(ds.column(c).kind));
  const ids = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const index = new Map(ids.map((l, i) => [l, i]));
  const g = ids.length;
  const size = new Float64Array(g);
  for (let i = 0; i < n; i++) size[index.get(labels[i] as number) as number] = (size[index.get(labels[i] as number) as number] as number) + 1;

  // numeric: overall mean and sd, per-segment means (missing ignored)
  const overall: Record<string, { mean: number; sd: number }> = {};
  const segMean: Record<string, Float64Array> = {};
  for (const c of numeric) {
    const col = ds.column(c);
    const v = col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime' ? col.values : new Float64Array(0);
    const sum = new Float64Array(g);
    const cnt = new Float64Array(g);
    let s = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (Number.isNaN(x)) continue;
      const k = index.get(labels[i] as number) as number;
      sum[k] = (sum[k] as number) + x;
      cnt[k] = (cnt[k] as number) + 1;
      s += x;
      m++;
    }
    const mean = m > 0 ? s / m : Number.NaN;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (!Number.isNaN(x)) ss += (x - mean) ** 2;
    }
    overall[c] = { mean, sd: m > 0 ? Math.sqrt(ss / m) : Number.NaN };
    segMean[c] = sum.map((t, k) => ((cnt[k] as number) > 0 ? t / (cnt[k] as number) : Number.NaN));
  }
  // categories: shares overall and per segment
  const overallShare: Record<string, Map<string, number>> = {};
  const segShare: Record<string, Map<string, Float64Array>> = {};
  for (const c of categorical) {
    const col = ds.column(c);
    const counts = new Map<string, Float64Array>();
    const total = new Map<string, number>();
    const present = new Float64Array(g);
    let all = 0;
    for (let i = 0; i < n; i++) {
      if (isMissing(col, i)) continue;
      const level = String(cellValue(col, i));
      const k = index.get(labels[i] as number) as number;
      let arr = counts.get(level);
      if (!arr) {
        arr = new Float64Array(g);
        counts.set(level, arr);
      }
      arr[k] = (arr[k] as number) + 1;
      present[k] = (present[k] as number) + 1;
      total.set(level, (total.get(level) ?? 0) + 1);
      all++;
    }
    overallShare[c] = new Map([...total].map(([l, t]) => [l, all > 0 ? t / all : 0]));
    segShare[c] = new Map([...counts].map(([l, arr]) => [l, arr.map((t, k) => ((present[k] as number) > 0 ? t / (present[k] as number) : 0))]));
  }

  const segments: SegmentProfile[] = ids.map((label, k) => {
    const centre: Record<string, number> = {};
    const categories: Record<string, Record<string, number>> = {};
    const features: SegmentFeature[] = [];
    for (const c of numeric) {
      const o = overall[c] as { mean: number; sd: number };
      const mv = (segMean[c] as Float64Array)[k] as number;
      centre[c] = mv;
      const score = o.sd > 0 ? (mv - o.mean) / o.sd : 0;
      if (Number.isFinite(score)) features.push({ column: c, kind: 'numeric', score, segmentValue: mv, overallValue: o.mean });
    }
    for (const c of categorical) {
      const shares: Record<string, number> = {};
      for (const [level, arr] of segShare[c] as Map<string, Float64Array>) {
        const sv = arr[k] as number;
        shares[level] = sv;
        const ov = (overallShare[c] as Map<string, number>).get(level) ?? 0;
        features.push({ column: c, kind: 'category', level, score: sv - ov, segmentValue: sv, overallValue: ov });
      }
      categories[c] = shares;
    }
    features.sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || a.column.localeCompare(b.column));
    return { label, size: size[k] as number, share: (size[k] as number) / n, centre, categories, features: features.slice(0, topFeatures) };
  });

  // table
  const tableCols: Record<string, unknown[]> = {
    segment: ids,
    size: Array.from(size),
    share: Array.from(size, (s) => s / n),
  };
  for (const c of numeric) tableCols[`mean_${c}`] = Array.from(segMean[c] as Float64Array);
  tableCols.top_features = segments.map((s) =>
    s.features
      .map((f) =>
        f.kind === 'numeric'
          ? `${f.column} ${f.score >= 0 ? '+' : ''}${f.score.toFixed(2)} sd`
          : `${f.column}=${f.level} ${f.score >= 0 ? '+' : ''}${(f.score * 100).toFixed(0)} pts`,
      )
      .join('; '),
  );
  const table = Dataset.from(tableCols, { schema: { top_features: { kind: 'text' } } });

  const z = (c: string, k: number): number | null => {
    const o = overall[c] as { mean: number; sd: number };
    const v = o.sd > 0 ? (((segMean[c] as Float64Array)[k] as number) - o.mean) / o.sd : 0;
    return Number.isFinite(v) ? v : null;
  };
  return { segments, table, specs: { scatter: scatterSpec(ds, labels, numeric, options), contrast: contrastSpec(segments, numeric, z) } };
}

function scatterSpec(ds: Dataset, labels: ArrayLike<number>, numeric: readonly string[], options: ProfileOptions): VegaLiteSpec {
  const n = ds.nrows;
  let xs: Float64Array;
  let ys: Float64Array;
  let names: readonly [string, string] = ['PC1', 'PC2'];
  const axes = options.axes ?? 'pca';
  if (axes === 'pca') {
    xs = new Float64Array(n);
    ys = new Float64Array(n);
    const usable = numeric.filter((c) => {
      const col = ds.column(c);
      for (let i = 0; i < n; i++) if (isMissing(col, i)) return false;
      return true;
    });
    if (usable.length >= 1 && n >= 2) {
      // standardise, then PCA
      const d = usable.length;
      const X = ds.matrix(usable);
      for (let j = 0; j < d; j++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += (X[i * d + j] as number) / n;
        let s = 0;
        for (let i = 0; i < n; i++) s += ((X[i * d + j] as number) - m) ** 2;
        const sd = Math.sqrt(s / n) || 1;
        for (let i = 0; i < n; i++) X[i * d + j] = ((X[i * d + j] as number) - m) / sd;
      }
      const k = Math.min(2, d, n);
      const { components } = pcaMatrix(X, n, d, k);
      for (let i = 0; i < n; i++) {
        let a = 0;
        let b = 0;
        for (let j = 0; j < d; j++) {
          a += (X[i * d + j] as number) * (components[j] as number);
          if (k > 1) b += (X[i * d + j] as number) * (components[d + j] as number);
        }
        xs[i] = a;
        ys[i] = b;
      }
    }
  } else {
    const e = axes.embedding;
    if (e.length !== 2 * n)
      throw new TesseraError('E_SHAPE', `profileSegments option "axes.embedding" has ${e.length} values, expected ${2 * n}`, { option: 'axes' });
    xs = new Float64Array(n);
    ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = e[2 * i] as number;
      ys[i] = e[2 * i + 1] as number;
    }
    names = axes.names ?? ['dim1', 'dim2'];
  }
  const maxPoints = options.maxPoints ?? 5000;
  const rows = n > maxPoints ? Array.from(new Rng(options.seed ?? 0).sample(n, maxPoints)).sort((a, b) => a - b) : Array.from({ length: n }, (_, i) => i);
  const values = rows.map((i) => ({ [names[0]]: xs[i], [names[1]]: ys[i], segment: String(labels[i]) }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    description: `Segments on ${axes === 'pca' ? 'the first two principal components of the standardised numeric columns' : 'the given embedding'}${rows.length < n ? ` (${rows.length} of ${n} rows, sampled)` : ''}`,
    data: { values },
    mark: { type: 'point', filled: true, opacity: 0.7 },
    encoding: {
      x: { field: names[0], type: 'quantitative' },
      y: { field: names[1], type: 'quantitative' },
      color: { field: 'segment', type: 'nominal' },
      tooltip: [{ field: 'segment', type: 'nominal' }],
    },
  };
}

function contrastSpec(segments: readonly SegmentProfile[], numeric: readonly string[], z: (c: string, k: number) => number | null): VegaLiteSpec {
  const values: Record<string, unknown>[] = [];
  segments.forEach((s, k) => {
    for (const c of numeric) values.push({ segment: String(s.label), feature: c, mean: s.centre[c] as number, z: z(c, k) });
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    description: 'Standardised difference of each segment mean from the overall mean (in overall standard deviations)',
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'feature', type: 'nominal' },
      y: { field: 'segment', type: 'nominal' },
      color: { field: 'z', type: 'quantitative', scale: { scheme: 'redblue', domainMid: 0, reverse: true }, title: 'sd from mean' },
      tooltip: [
        { field: 'segment', type: 'nominal' },
        { field: 'feature', type: 'nominal' },
        { field: 'mean', type: 'quantitative', format: '.4~g' },
        { field: 'z', type: 'quantitative', format: '.2f' },
      ],
    },
  };
}
