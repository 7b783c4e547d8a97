/**
 * The query plan: a small typed AST that a question becomes. It is executed in memory
 * ({@link executePlan}) or printed as SQL ({@link toSQL}); it is never a string.
 */

/**
 * A literal value in a plan. Dates are carried as `{ date: ISO string }` so that a plan stays
 * JSON-serialisable and engines bind them as timestamps.
 *
 * @example
 * ```ts
 * const v: PlanValue = { date: '2023-01-01T00:00:00.000Z' };
 * ```
 */
export type PlanValue = number | string | boolean | { readonly date: string };

/**
 * How a text cell is read as a number: `number` takes the first number written in it ("2 miles" →
 * 2, "7,000 (est.)" → 7000), `year` the first four-digit year standing alone ("5 July 2001" →
 * 2001), `span` the years between the first two years written one after the other ("1990–2000" →
 * 10), `duration` the seconds of the first "m:ss" / "h:mm:ss" written in it ("1:08.89" → 68.89,
 * "2:03:59" → 7439), `spaced` as `number` with digits grouped by single spaces joined ("98 453" → 98453;
 * the parser uses it for a column whose cells consistently group thousands that way), `date` the first
 * calendar date written "October 31, 1959" / "Oct. 31st 1959", "31 October 1959" or "1959-10-31" as the
 * number yyyymmdd (19591031; so dates compare in order). Cells without one are missing. Used on text columns that hold numbers with units or
 * dates written as text.
 *
 * @example
 * ```ts
 * const e: NumberExtract = 'number';
 * ```
 */
export type NumberExtract = 'number' | 'year' | 'span' | 'duration' | 'spaced' | 'date';

/** Comparison operators. @example `const op: CompareOp = '>=';` */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A row filter. Text equality is exact (the parser links question words to the stored value);
 * `contains` and `startsWith` are case-insensitive.
 *
 * @example
 * ```ts
 * const c: Condition = { type: 'and', conditions: [
 *   { type: 'compare', column: 'tenure', op: '>', value: 24 },
 *   { type: 'in', column: 'region', values: ['north', 'south'] },
 * ] };
 * ```
 */
export type Condition =
  | { readonly type: 'compare'; readonly column: string; readonly op: CompareOp; readonly value: PlanValue; readonly extract?: NumberExtract }
  | { readonly type: 'between'; readonly column: string; readonly low: PlanValue; readonly high: PlanValue; readonly extract?: NumberExtract }
  | { readonly type: 'in'; readonly column: string; readonly values: readonly PlanValue[] }
  /**
   * Case-insensitive substring; with `item: true` the cell is a comma-separated list and one of its items
   * (spaces around it ignored) must equal `value` ("United" matches "American, United" but not
   * "United States").
   */
  | { readonly type: 'contains'; readonly column: string; readonly value: string; readonly item?: boolean }
  | { readonly type: 'startsWith'; readonly column: string; readonly value: string }
  | { readonly type: 'isEmpty'; readonly column: string }
  /**
   * Compare a column with its own value in another row: `column op (the smallest value of column
   * among the rows matching anchor)` ("a higher density than Santiago", "the same nationality as
   * Ann"). Unknown when no anchor row has a value.
   */
  | {
      readonly type: 'compareRow';
      readonly column: string;
      readonly op: CompareOp;
      readonly anchor: Condition;
      readonly extract?: NumberExtract;
      /** Which value of the anchor rows: the smallest (default) or the largest. */
      readonly ref?: 'min' | 'max';
    }
  /**
   * The rows before (`<`) or after (`>`) the first row matching `anchor`, in row order ("how many players
   * came before Watson"). SQL needs `toSQL(…, { rowOrder })`. Unknown when no row matches the anchor.
   */
  | { readonly type: 'rowPosition'; readonly op: '<' | '>'; readonly anchor: Condition }
  /**
   * Two columns of the same row compared ("places with more Serbs than Jews"); unknown when either is missing.
   * `extract` reads both as numbers out of text.
   */
  | { readonly type: 'compareColumns'; readonly column: string; readonly op: CompareOp; readonly other: string; readonly extract?: NumberExtract }
  | { readonly type: 'not'; readonly condition: Condition }
  | { readonly type: 'and'; readonly conditions: readonly Condition[] }
  | { readonly type: 'or'; readonly conditions: readonly Condition[] };

/** Aggregate functions. @example `const f: AggregateFn = 'countDistinct';` */
export type AggregateFn = 'count' | 'countDistinct' | 'sum' | 'avg' | 'median' | 'min' | 'max';

/** Calendar units for time buckets ("by month"). @example `const u: TimeUnit = 'month';` */
export type TimeUnit = 'year' | 'quarter' | 'month' | 'day';

/**
 * One output column of a select plan: a column, an aggregate (`column: null` is `count(*)`), or a
 * time bucket of a datetime column (a number: year `2023`, quarter `20231`, month `202303`, day
 * `20230301`, the same on every engine).
 *
 * @example
 * ```ts
 * const items: OutputItem[] = [
 *   { type: 'column', column: 'contract', as: 'contract' },
 *   { type: 'aggregate', fn: 'avg', column: 'monthly charges', as: 'avg monthly charges' },
 * ];
 * ```
 */
export type OutputItem =
  | { readonly type: 'column'; readonly column: string; readonly as: string }
  | { readonly type: 'aggregate'; readonly fn: AggregateFn; readonly column: string | null; readonly as: string; readonly extract?: NumberExtract }
  /** `extract: 'year'` reads the year out of dates written as text ("18 February 1969" → 1969; unit `year` only). */
  | { readonly type: 'bucket'; readonly column: string; readonly unit: TimeUnit; readonly as: string; readonly extract?: 'year' };

/**
 * A sort key: an output column (by its `as` name), a table column, or the row order of the data.
 *
 * @example
 * ```ts
 * const k: OrderKey = { target: { type: 'output', name: 'revenue' }, direction: 'desc' };
 * ```
 */
export interface OrderKey {
  readonly target:
    | { readonly type: 'output'; readonly name: string }
    | { readonly type: 'column'; readonly column: string; readonly extract?: NumberExtract }
    | { readonly type: 'rowOrder' };
  readonly direction: 'asc' | 'desc';
}

/**
 * The main plan shape: filter, group, aggregate, having, order, limit.
 *
 * @example
 * ```ts
 * const p: SelectPlan = {
 *   type: 'select', groupBy: ['contract'],
 *   items: [{ type: 'column', column: 'contract', as: 'contract' }, { type: 'aggregate', fn: 'count', column: null, as: 'count' }],
 *   orderBy: [],
 * };
 * ```
 */
export interface SelectPlan {
  readonly type: 'select';
  /** Output columns. Group keys must appear here (as `column` or `bucket` items). */
  readonly items: readonly OutputItem[];
  readonly where?: Condition;
  /** Names (`as`) of the `column`/`bucket` items that are group keys. */
  readonly groupBy: readonly string[];
  /** A filter on an aggregate after grouping. */
  readonly having?: { readonly fn: AggregateFn; readonly column: string | null; readonly op: CompareOp; readonly value: number };
  readonly orderBy: readonly OrderKey[];
  readonly limit?: number;
  readonly offset?: number;
  /** Remove duplicate output rows (e.g. "list the regions"). */
  readonly distinct?: boolean;
}

/**
 * The difference (signed or absolute), sum or ratio of two single values, each a one-cell select plan ("how many more
 * points did A score than B", "the combined score of both teams").
 *
 * @example
 * ```ts
 * const p: ArithmeticPlan = { type: 'arithmetic', op: 'difference', left: a, right: b, as: 'difference' };
 * ```
 */
export interface ArithmeticPlan {
  readonly type: 'arithmetic';
  /** `difference` is left − right, `absDifference` its absolute value, `sum` left + right, `ratio` left / right. */
  readonly op: 'difference' | 'absDifference' | 'sum' | 'ratio';
  readonly left: SelectPlan;
  readonly right: SelectPlan;
  readonly as: string;
}

/**
 * The row just before or after the first row matching `anchor`, in row order or ordered by a
 * column (a time column, usually); returns `columns` of that row.
 *
 * @example
 * ```ts
 * const p: AdjacentPlan = { type: 'adjacent', direction: 'after', anchor: { type: 'compare', column: 'name', op: '=', value: 'Bo' }, order: { type: 'rowOrder' }, columns: ['name'] };
 * ```
 */
export interface AdjacentPlan {
  readonly type: 'adjacent';
  readonly direction: 'before' | 'after';
  readonly anchor: Condition;
  readonly order: { readonly type: 'rowOrder' } | { readonly type: 'column'; readonly column: string };
  readonly columns: readonly string[];
}

/**
 * A comparison of two single values said as a word ("was the attendance more or less than 700?" →
 * "more"; "are there at least 8 venues?" → "yes"): `left` and `right` are one-cell select plans (or
 * a number for `right`), and the answer is the label of the case that holds (`null` when a side has
 * no value).
 *
 * @example
 * ```ts
 * const p: ChoicePlan = { type: 'choice', left: a, right: 700, labels: { greater: 'more', less: 'less', equal: 'same' }, as: 'answer' };
 * ```
 */
export interface ChoicePlan {
  readonly type: 'choice';
  readonly left: SelectPlan;
  readonly right: SelectPlan | number;
  readonly labels: { readonly greater: string; readonly less: string; readonly equal: string };
  readonly as: string;
}

/**
 * The longest run of consecutive rows, in row order, that match `condition` ("how many consecutive
 * wins", "how many games in a row"): one number. A row where the condition is unknown ends a run.
 * SQL needs `toSQL(…, { rowOrder })`.
 *
 * @example
 * ```ts
 * const p: StreakPlan = { type: 'streak', condition: { type: 'compare', column: 'result', op: '=', value: 'W' }, as: 'streak' };
 * ```
 */
export interface StreakPlan {
  readonly type: 'streak';
  readonly condition: Condition;
  readonly as: string;
}

/**
 * Any query plan.
 *
 * @example
 * ```ts
 * function isSelect(p: QueryPlan): p is SelectPlan { return p.type === 'select'; }
 * ```
 */
export type QueryPlan = SelectPlan | ArithmeticPlan | AdjacentPlan | ChoicePlan | StreakPlan;

/** Column names a condition reads. @example `conditionColumns({ type: 'isEmpty', column: 'a' }) // ['a']` */
export function conditionColumns(c: Condition): string[] {
  switch (c.type) {
    case 'not':
      return conditionColumns(c.condition);
    case 'compareRow':
      return [c.column, ...conditionColumns(c.anchor)];
    case 'rowPosition':
      return conditionColumns(c.anchor);
    case 'compareColumns':
      return [c.column, c.other];
    case 'and':
    case 'or':
      return c.conditions.flatMap(conditionColumns);
    default:
      return [c.column];
  }
}

/** Column names a plan reads (for validation). @example `planColumns(plan)` */
export function planColumns(p: QueryPlan): string[] {
  const out = new Set<string>();
  if (p.type === 'arithmetic') {
    for (const c of planColumns(p.left)) out.add(c);
    for (const c of planColumns(p.right)) out.add(c);
  } else if (p.type === 'streak') {
    for (const c of conditionColumns(p.condition)) out.add(c);
  } else if (p.type === 'choice') {
    for (const c of planColumns(p.left)) out.add(c);
    if (typeof p.right !== 'number') for (const c of planColumns(p.right)) out.add(c);
  } else if (p.type === 'adjacent') {
    for (const c of conditionColumns(p.anchor)) out.add(c);
    for (const c of p.columns) out.add(c);
    if (p.order.type === 'column') out.add(p.order.column);
  } else {
    for (const it of p.items) if (it.column !== null) out.add(it.column);
    if (p.where) for (const c of conditionColumns(p.where)) out.add(c);
    if (p.having?.column) out.add(p.having.column);
    for (const k of p.orderBy) if (k.target.type === 'column') out.add(k.target.column);
  }
  return [...out];
}
