import { z } from 'zod';
import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import { parseOptions } from '../core/options.js';
import { DEFAULT_TAGS, type FitOptions, type FittedTransform, type Serialized, type Tags, type Transform } from '../core/protocol.js';
import { expectType, registerLoader } from '../core/serialize.js';
import { type Column, makeColumn } from '../dataset/column.js';
import { Dataset } from '../dataset/dataset.js';
import { requireColumns, requireRows, resolveColumns } from '../dataset/features.js';
import type { ColumnRole } from '../dataset/schema.js';
import { categoryKey, ENCODABLE, learnCategories, unknownCategory } from './categories.js';

const Options = z
  .object({
    /** Columns to encode; default: every category column without a non-feature role. Text and boolean columns may be named. */
    columns: z.array(z.string()).optional(),
    /** `error` (default) refuses a category not seen when fitting; `ignore` encodes it as all zeros. */
    handleUnknown: z.enum(['error', 'ignore']).default('error'),
    /** `none` (default) keeps every indicator; `first` drops each column's first category; `ifBinary` drops the first only for two-category columns. */
    drop: z.enum(['none', 'first', 'ifBinary']).default('none'),
  })
  .strict();

/** Options of {@link OneHotEncoder}. @example `const o: OneHotEncoderOptions = { handleUnknown: 'ignore' };` */
export type OneHotEncoderOptions = z.input<typeof Options>;
type Params = z.output<typeof Options>;

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true };
const MISSING = '__null__';

interface State {
  columns: string[];
  /** Per column, the categories that get an indicator (after `drop`), `__null__` standing for missing. */
  categories: string[][];
  /** Per column, every category seen (so a dropped one is not "unknown"). */
  seen: string[][];
}

/**
 * One-hot encodes categorical columns, as scikit-learn's `OneHotEncoder`: each category becomes a
 * 0/1 integer column named `column_value`, placed where the original column was. Categories are
 * sorted; a missing value seen when fitting is a category of its own (`column_null`).
 *
 * @example
 * ```ts
 * import { Dataset, OneHotEncoder } from 'tessera';
 * const ds = Dataset.from({ region: ['north', 'south', 'north'], income: [1, 2, 3] });
 * const out = (await new OneHotEncoder().fit(ds)).transform(ds);
 * out.columnNames; // ['region_north', 'region_south', 'income']
 * ```
 */
export class OneHotEncoder implements Transform<FittedOneHotEncoder> {
  readonly kind = 'transform' as const;
  readonly type = 'OneHotEncoder';
  readonly tags = TAGS;
  readonly params: Params;

  constructor(options: OneHotEncoderOptions = {}) {
    this.params = parseOptions(Options, options, this.type);
  }

  async fit(ds: Dataset, options?: FitOptions): Promise<FittedOneHotEncoder> {
    checkAbort(options?.signal);
    requireRows(ds, this.type);
    const columns = this.params.columns
      ? resolveColumns(ds, this.params.columns, ENCODABLE, this.type)
      : resolveColumns(ds, undefined, ['category'], this.type);
    const learnt = learnCategories(ds, columns);
    const seen = learnt.map((l) => (l.missing ? [...l.values, MISSING] : l.values));
    const categories = seen.map((s) => {
      const dropFirst = this.params.drop === 'first' || (this.params.drop === 'ifBinary' && s.length === 2);
      return dropFirst ? s.slice(1) : s;
    });
    return new FittedOneHotEncoder(this.params, { columns, categories, seen });
  }
}

/**
 * A fitted {@link OneHotEncoder}. `categories[j]` lists the indicator columns made for input column `j`.
 *
 * @example
 * ```ts
 * const fitted = await new OneHotEncoder().fit(ds);
 * fitted.outputColumns; // ['region_north', 'region_south']
 * ```
 */
export class FittedOneHotEncoder implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly type = 'FittedOneHotEncoder';
  readonly tags = TAGS;
  readonly params: Params;
  readonly inputColumns: readonly string[];
  /** Per input column, the categories that get an indicator column. */
  readonly categories: readonly (readonly string[])[];
  private readonly state: State;

  constructor(params: Params, state: State) {
    this.params = params;
    this.state = state;
    this.inputColumns = Object.freeze([...state.columns]);
    this.categories = state.categories.map((c) => Object.freeze(c.map((v) => (v === MISSING ? 'null' : v))));
  }

  /** Names of the indicator columns, in output order. */
  get outputColumns(): string[] {
    return this.state.columns.flatMap((c, j) => (this.categories[j] ?? []).map((v) => `${c}_${v}`));
  }

  transform(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, 'OneHotEncoder');
    resolveColumns(ds, this.inputColumns, ENCODABLE, 'OneHotEncoder');
    const n = ds.nrows;
    const replaced = new Map<string, Column[]>();
    this.state.columns.forEach((name, j) => {
      const cats = this.state.categories[j] as string[];
      const index = new Map(cats.map((c, k) => [c, k]));
      const seen = new Set(this.state.seen[j]);
      const outs = cats.map(() => new Float64Array(n));
      const col = ds.column(name);
      for (let i = 0; i < n; i++) {
        const key = categoryKey(col, i) ?? MISSING;
        const k = index.get(key);
        if (k !== undefined) (outs[k] as Float64Array)[i] = 1;
        else if (!seen.has(key) && this.params.handleUnknown === 'error') unknownCategory('OneHotEncoder', name, i, key === MISSING ? null : key);
      }
      replaced.set(
        name,
        outs.map((values, k) => makeColumn(`${name}_${cats[k] === MISSING ? 'null' : cats[k]}`, 'integer', { values })),
      );
    });
    const columns: Column[] = [];
    const roles: Record<string, ColumnRole> = {};
    for (const f of ds.schema.fields) {
      const r = replaced.get(f.name);
      if (r) columns.push(...r);
      else {
        columns.push(ds.column(f.name));
        if (f.role) roles[f.name] = f.role;
      }
    }
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.name))
        throw new TesseraError('E_SCHEMA', `OneHotEncoder: output column "${c.name}" collides with an existing column; rename it first`, { column: c.name });
      names.add(c.name);
    }
    return Dataset.fromColumnList(columns, roles);
  }

  toJSON(): Serialized<Params, State> {
    return { type: this.type, version: 1, params: this.params, state: structuredClone(this.state) };
  }

  /** Restores from {@link FittedOneHotEncoder.toJSON} output. */
  static fromJSON(json: Serialized): FittedOneHotEncoder {
    const { params, state } = expectType<State, Params>(json, 'FittedOneHotEncoder');
    return new FittedOneHotEncoder(parseOptions(Options, params, 'OneHotEncoder'), structuredClone(state));
  }
}

registerLoader('FittedOneHotEncoder', 1, FittedOneHotEncoder.fromJSON);
