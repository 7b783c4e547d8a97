import { z } from 'zod';
import { checkAbort } from '../../core/abort.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../../core/protocol.js';
import { expectType, registerLoader } from '../../core/serialize.js';
import { type ColumnKind, cellValue, isMissing } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../../dataset/features.js';
import {
  addIndicators,
  checkFillValue,
  checkKinds,
  defaultConstant,
  type FillValue,
  fillColumn,
  type ImputeReport,
  type ImputeResult,
  makeReport,
  missingCounts,
  missingRows,
  refuseEmptyColumns,
} from './common.js';

const FillValueSchema = z.union([z.number(), z.string(), z.boolean()]);

const Options = z
  .object({
    /** Columns to impute; default: every feature column (roles id/target/time pass through). */
    columns: z.array(z.string()).optional(),
    /** Statistic for number/integer columns. Categories, booleans and text always get their mode; datetimes their median (or the constant). */
    strategy: z.enum(['mean', 'median', 'mostFrequent', 'constant']).default('mean'),
    /** Value for `strategy: 'constant'` (one for all, or per column); default per kind: 0, `'missing'`, `false`. */
    fillValue: z.union([FillValueSchema, z.record(z.string(), FillValueSchema)]).optional(),
    /** Append a boolean `<column>_missing` column for each column that had gaps when fitting. */
    addIndicator: z.boolean().default(false),
    /** A column with no observed value when fitting: `'error'` (default) or `'constant'` (fill with `fillValue` or the kind's default constant). */
    emptyColumns: z.enum(['error', 'constant']).default('error'),
    /** Round fills of integer and datetime columns to whole numbers (keeps the column's kind). Default true. */
    roundIntegers: z.boolean().default(true),
  })
  .strict();

/** Options of {@link SimpleImputer}. @example `const o: SimpleImputerOptions = { strategy: 'median', addIndicator: true };` */
export type SimpleImputerOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };
const KINDS: readonly ColumnKind[] = ['number', 'integer', 'datetime', 'boolean', 'category', 'text'];

/**
 * Fills missing cells with one value per column, learnt when fitting: the mean, median, most
 * frequent value or a constant, as scikit-learn's `SimpleImputer`, but aware of column kinds: a
 * category, boolean or text column always gets its most frequent value (ties: the smallest), never
 * a mean; a datetime column gets its median. A column with no observed value is refused
 * (`E_MISSING_VALUES`) unless `emptyColumns: 'constant'`. At transform time a category level not
 * seen when fitting is an observed value and is kept as it is; only gaps are filled.
 *
 * @example
 * ```ts
 * import { Dataset, SimpleImputer } from 'tessera';
 * const ds = Dataset.from({ age: [30, null, 50], city: ['a', null, 'a'] });
 * const fitted = await new SimpleImputer({ strategy: 'median', addIndicator: true }).fit(ds);
 * const { data, report } = fitted.transformWithReport(ds);
 * data.get(1, 'age');  // 40
 * data.get(1, 'city'); // 'a'
 * report.total;        // 2
 * ```
 */
export class SimpleImputer implements Transform<FittedSimpleImputer> {
  readonly kind = 'transform' as const;
  readonly type = 'SimpleImputer';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: SimpleImputerOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedSimpleImputer> {
    checkAbort(options?.signal);
    requireRows(ds, this.type);
    const p = this.params;
    const cols = resolveColumns(ds, p.columns, KINDS, this.type);
    const kinds = cols.map((c) => ds.column(c).kind);
    const counts = missingCounts(ds, cols);
    const empty = cols.filter((_, j) => counts[j] === ds.nrows);
    if (p.emptyColumns === 'error') refuseEmptyColumns(this.type, empty);
    const fills: FillValue[] = cols.map((name, j) => {
      const kind = kinds[j] as ColumnKind;
      const constant = (): FillValue => {
        const given = p.fillValue;
        const v = given === undefined ? undefined : typeof given === 'object' ? (Object.hasOwn(given, name) ? given[name] : undefined) : given;
        return checkFillValue(this.type, name, kind, v ?? defaultConstant(kind));
      };
      if (p.strategy === 'constant' || counts[j] === ds.nrows) return constant();
      return columnStatistic(ds, name, kind, p.strategy);
    });
    options?.onProgress?.({ stage: 'columns', step: cols.length, total: cols.length });
    const withGaps = cols.filter((_, j) => (counts[j] as number) > 0);
    return new FittedSimpleImputer(p, cols, kinds, fills, withGaps);
  }
}

function columnStatistic(ds: Dataset, name: string, kind: ColumnKind, strategy: 'mean' | 'median' | 'mostFrequent'): FillValue {
  const col = ds.column(name);
  if (kind === 'category' || kind === 'boolean' || kind === 'text' || strategy === 'mostFrequent') return mode(ds, name);
  const v = (col as { values: Float64Array }).values.filter((x) => !Number.isNaN(x));
  if (kind === 'datetime' || strategy === 'median') {
    v.sort();
    const m = v.length >> 1;
    return v.length % 2 === 1 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
  }
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s / v.length;
}

/** Most frequent observed value; ties go to the smallest (numbers ascending, strings by code unit, false before true), as scikit-learn. */
function mode(ds: Dataset, name: string): FillValue {
  const col = ds.column(name);
  const counts = new Map<number | string | boolean, number>();
  for (let i = 0; i < col.length; i++) {
    if (isMissing(col, i)) continue;
    const raw = cellValue(col, i);
    const v = raw instanceof Date ? raw.getTime() : (raw as number | string | boolean);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best: number | string | boolean | undefined;
  let bestN = -1;
  for (const [v, c] of counts) {
    if (c > bestN || (c === bestN && best !== undefined && less(v, best))) {
      best = v;
      bestN = c;
    }
  }
  return best as FillValue;
}

function less(a: number | string | boolean, b: number | string | boolean): boolean {
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  return a < b;
}

interface State {
  columns: string[];
  kinds: ColumnKind[];
  fills: FillValue[];
  indicators: string[];
}

/**
 * A fitted {@link SimpleImputer}: `statistics` holds the fill value of each column (in
 * `inputColumns` order). `transform` fills gaps; `transformWithReport` also says how many cells it
 * filled per column.
 *
 * @example
 * ```ts
 * const fitted = await new SimpleImputer().fit(ds);
 * fitted.statistics;                    // [41.5, 'north']
 * fitted.transformWithReport(ds).report; // { columns: [...], total: 3 }
 * ```
 */
export class FittedSimpleImputer implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedSimpleImputer';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Kind of each input column when fitting. */
  readonly kinds: readonly ColumnKind[];
  /** Fill value per input column (datetimes as epoch milliseconds). */
  readonly statistics: readonly FillValue[];
  /** Columns that get a missing indicator when `addIndicator` (those that had gaps when fitting). */
  readonly indicatorColumns: readonly string[];

  constructor(params: Params, columns: readonly string[], kinds: readonly ColumnKind[], fills: readonly FillValue[], indicators: readonly string[]) {
    this.params = params;
    this.inputColumns = Object.freeze([...columns]);
    this.kinds = Object.freeze([...kinds]);
    this.statistics = Object.freeze([...fills]);
    this.indicatorColumns = Object.freeze([...indicators]);
  }

  transform(ds: Dataset): Dataset {
    return this.transformWithReport(ds).data;
  }

  /** Fills gaps and reports how many cells were filled per column. */
  transformWithReport(ds: Dataset): ImputeResult {
    requireColumns(ds, this.inputColumns, this.type);
    checkKinds(ds, this.inputColumns, this.kinds, this.type);
    let out = ds;
    const counts = new Int32Array(this.inputColumns.length);
    this.inputColumns.forEach((name, j) => {
      const col = ds.column(name);
      const rows = missingRows(col);
      counts[j] = rows.length;
      if (rows.length === 0) return;
      const fill = this.statistics[j] as FillValue;
      const isLabel = col.kind === 'category' || col.kind === 'text';
      const values = new Float64Array(rows.length).fill(isLabel ? 0 : typeof fill === 'boolean' ? Number(fill) : (fill as number));
      out = out.withColumn(name, fillColumn(col, rows, values, isLabel ? [String(fill)] : undefined, this.params.roundIntegers));
    });
    if (this.params.addIndicator) out = addIndicators(out, ds, this.indicatorColumns, this.type);
    const report: ImputeReport = makeReport(
      this.inputColumns.map((name, j) => ({ name, kind: this.kinds[j] as ColumnKind })),
      counts,
    );
    return { data: out, report };
  }

  toJSON(): Serialized<Params, State> {
    return {
      type: this.type,
      version: 1,
      params: this.params,
      state: { columns: [...this.inputColumns], kinds: [...this.kinds], fills: [...this.statistics], indicators: [...this.indicatorColumns] },
    };
  }

  /** Restores from {@link FittedSimpleImputer.toJSON} output. */
  static fromJSON(json: Serialized): FittedSimpleImputer {
    const { params, state } = expectType<State, Params>(json, 'FittedSimpleImputer');
    return new FittedSimpleImputer(parseOptions(Options, params, 'SimpleImputer'), state.columns, state.kinds, state.fills, state.indicators);
  }
}

registerLoader('FittedSimpleImputer', 1, FittedSimpleImputer.fromJSON);
