import { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import type { ColumnKind } from '../dataset/column.js';

const Severity = z.enum(['error', 'warning', 'info']);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/** A bound: a number, or an ISO date string (compared with datetime columns). */
const Bound = z.union([z.number(), z.string()]);
const base = {
  /** A name for the check (default: its type and columns). */
  name: z.string().optional(),
  /** How bad a failure is; only `error` findings make a report fail. Default `error`. */
  severity: Severity.default('error'),
  /** Free text shown with findings. */
  description: z.string().optional(),
};
/** Fields of row-level checks. */
const rowBase = {
  ...base,
  /**
   * The share of the table's rows that must pass, as Great Expectations' `mostly` (Deequ asserts
   * such a fraction too): the check fails only when more than (1 - mostly) x rows, rounded up,
   * fail (rounded up, unlike Great Expectations, so that a small batch keeps one row of
   * allowance). Failing rows within the allowance are still reported, as an `info` finding.
   * Default: every row must pass.
   */
  mostly: z.number().gt(0).max(1).optional(),
  /**
   * Failing rows allowed whatever the table's size (with `mostly`, the larger allowance counts):
   * a share of a small batch can be too small for what chance brings there. Default 0.
   */
  allowFailing: z.number().int().min(0).optional(),
};

const NotNull = z.object({ type: z.literal('notNull'), column: z.string(), ...rowBase }).strict();
/** Complete rows: a row fails when any of `columns` is missing (Deequ's `areComplete`); with `mostly`, a tolerance over all of them at once. */
const Complete = z.object({ type: z.literal('complete'), columns: z.array(z.string()).min(1), ...rowBase }).strict();
const Unique = z.object({ type: z.literal('unique'), columns: z.array(z.string()).min(1), ...rowBase }).strict();
const InSet = z.object({ type: z.literal('inSet'), column: z.string(), values: z.array(Scalar), ...rowBase }).strict();
/** Forbidden values: a row fails when its value is one of `values` (e.g. another column's categories). */
const NotInSet = z.object({ type: z.literal('notInSet'), column: z.string(), values: z.array(Scalar), ...rowBase }).strict();
const Between = z
  .object({
    type: z.literal('between'),
    column: z.string(),
    min: Bound.optional(),
    max: Bound.optional(),
    /** Exclude the bounds themselves. Default false. */
    strict: z.boolean().default(false),
    /**
     * Values must be whole multiples of this step, counted from 0 (as an HTML number input's
     * `step`): `1` for integers, `0.01` for cents (a tolerance of 1e-9 of a step absorbs binary
     * rounding). Numbers only.
     */
    step: z.number().positive().finite().optional(),
    ...rowBase,
  })
  .strict();
const MatchesPattern = z.object({ type: z.literal('matchesPattern'), column: z.string(), pattern: z.string(), ...rowBase }).strict();
const Kind = z
  .object({ type: z.literal('kind'), column: z.string(), kind: z.enum(['number', 'integer', 'boolean', 'category', 'datetime', 'text']), ...base })
  .strict();
const RowCount = z.object({ type: z.literal('rowCountBetween'), min: z.number().optional(), max: z.number().optional(), ...base }).strict();
const Stat = z.enum(['mean', 'sum', 'min', 'max', 'stddev', 'variance', 'median', 'count', 'distinctCount', 'nullFraction']);
const ColumnStat = z
  .object({ type: z.literal('columnStatBetween'), column: z.string(), stat: Stat, min: z.number().optional(), max: z.number().optional(), ...base })
  .strict();
const Relation = z
  .object({ type: z.literal('relation'), left: z.string(), op: z.enum(['<', '<=', '>', '>=', '=', '!=']), right: z.string(), ...rowBase })
  .strict();
const Linear = z
  .object({
    type: z.literal('linear'),
    /** The combination `intercept + sum(coef × column)`; rows with a missing term are skipped. */
    terms: z
      .array(z.object({ column: z.string(), coef: z.number().finite() }).strict())
      .min(1)
      .max(16),
    intercept: z.number().finite().default(0),
    min: z.number().optional(),
    max: z.number().optional(),
    ...rowBase,
  })
  .strict();
const Freshness = z
  .object({
    type: z.literal('freshness'),
    column: z.string(),
    /** The latest value must be at most this many milliseconds before `now`. */
    maxAgeMs: z.number().positive(),
    /** Reference time (ISO string or epoch ms). Default: the clock when the check runs. */
    now: z.union([z.string(), z.number()]).optional(),
    ...base,
  })
  .strict();
const Referential = z
  .object({
    type: z.literal('referential'),
    column: z.string(),
    /** The other Dataset (a name in `options.references` in memory, a table in SQL) and its column. */
    reference: z.object({ table: z.string(), column: z.string() }).strict(),
    ...rowBase,
  })
  .strict();
const Custom = z
  .object({
    type: z.literal('custom'),
    /** Name of a predicate given in `options.predicates` (in memory only; SQL reports it as skipped). */
    predicate: z.string(),
    columns: z.array(z.string()).default([]),
    ...rowBase,
  })
  .strict();

/**
 * The zod schema of one check (a discriminated union on `type`).
 *
 * @example
 * ```ts
 * CheckSchema.parse({ type: 'notNull', column: 'age' });
 * ```
 */
export const CheckSchema = z.discriminatedUnion('type', [
  NotNull,
  Complete,
  Unique,
  InSet,
  NotInSet,
  Between,
  MatchesPattern,
  Kind,
  RowCount,
  ColumnStat,
  Relation,
  Linear,
  Freshness,
  Referential,
  Custom,
]);

/**
 * The zod schema of a check suite: `{ name?, checks: [...] }`.
 *
 * @example
 * ```ts
 * SuiteSchema.parse({ checks: [{ type: 'rowCountBetween', min: 1 }] });
 * ```
 */
export const SuiteSchema = z.object({ name: z.string().optional(), checks: z.array(CheckSchema) }).strict();

/** One check, as written by a user (defaults optional). @example `const c: CheckInput = { type: 'notNull', column: 'age' };` */
export type CheckInput = z.input<typeof CheckSchema>;
/** One validated check (defaults filled). @example `const c: Check = parseSuite(s).checks[0];` */
export type Check = z.output<typeof CheckSchema>;
/** A suite as written by a user. @example `const s: SuiteInput = { checks: [{ type: 'unique', columns: ['id'] }] };` */
export type SuiteInput = z.input<typeof SuiteSchema>;
/** A validated suite. @example `const s: Suite = parseSuite(json);` */
export type Suite = z.output<typeof SuiteSchema>;
/** Severity of a check. @example `const s: Severity = 'warning';` */
export type Severity = z.output<typeof Severity>;
/** Statistics `columnStatBetween` knows. @example `const s: ColumnStat = 'mean';` */
export type ColumnStat = z.output<typeof Stat>;

/**
 * Validates a suite (a parsed JSON object) and fills defaults; throws `E_OPTION` naming the path
 * of the first bad field (e.g. `checks.2.column`) and refuses patterns that are not linear-time.
 *
 * @example
 * ```ts
 * const suite = parseSuite(JSON.parse(text));
 * ```
 */
export function parseSuite(input: unknown): Suite {
  const r = SuiteSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new TesseraError('E_OPTION', `check suite: ${path === '' ? '' : `"${path}": `}${issue?.message ?? 'invalid'}`, { option: path });
  }
  return r.data;
}

/**
 * The columns a check reads (in the checked Dataset).
 *
 * @example
 * ```ts
 * checkColumns({ type: 'relation', left: 'a', op: '<=', right: 'b', severity: 'error' }); // ['a', 'b']
 * ```
 */
export function checkColumns(c: Check): string[] {
  switch (c.type) {
    case 'unique':
    case 'complete':
      return [...c.columns];
    case 'relation':
      return [c.left, c.right];
    case 'linear':
      return c.terms.map((t) => t.column);
    case 'rowCountBetween':
      return [];
    case 'custom':
      return [...c.columns];
    default:
      return [c.column];
  }
}

/**
 * The name shown in findings: the check's `name`, else `type(columns)`.
 *
 * @example
 * ```ts
 * checkName({ type: 'notNull', column: 'age', severity: 'error' }); // 'notNull(age)'
 * ```
 */
export function checkName(c: Check): string {
  if (c.name) return c.name;
  if (c.type === 'relation') return `relation(${c.left} ${c.op} ${c.right})`;
  if (c.type === 'custom') return `custom(${c.predicate})`;
  if (c.type === 'columnStatBetween') return `columnStatBetween(${c.column}.${c.stat})`;
  return `${c.type}(${checkColumns(c).join(', ')})`;
}

/**
 * One finding, shaped like a zod issue: what failed (`code`, `check`), where (`path` = the
 * columns, `rows` = failing row ids, `sample` = a few failing rows), and why (`observed` vs
 * `expected`, `message`), with the check's severity.
 *
 * @example
 * ```ts
 * const f: Finding = report.findings[0];
 * if (f.code === 'not_null') console.log(f.column, f.rows);
 * ```
 */
export interface Finding {
  /** Stable code: `not_null`, `incomplete`, `not_unique`, `not_in_set`, `forbidden_value`, `out_of_range`, `pattern_mismatch`, `wrong_kind`, `row_count`, `stat_out_of_range`, `relation_failed`, `linear_out_of_range`, `stale`, `missing_reference`, `custom_failed`, `invalid` (validate), `skipped` (SQL cannot run it). */
  code: string;
  /** The check's name. */
  check: string;
  /** The check's type (or `schema` for {@link validate}). */
  type: string;
  /** Columns involved (empty for table-level checks). */
  path: string[];
  /** The first column involved, for convenience. */
  column?: string;
  /** Failing row ids: 0-based indices in memory, or values of the `rowId` column when given. */
  rows: Array<number | string>;
  /** Number of failing rows (for row-level checks). */
  failing: number;
  /** A few failing rows (the columns involved, plus the row id). */
  sample: Array<Record<string, unknown>>;
  message: string;
  observed?: unknown;
  expected?: unknown;
  severity: Severity;
}

/**
 * The result of running a suite: `success` is false when any finding has severity `error`.
 *
 * @example
 * ```ts
 * const report: CheckReport = runChecks(ds, suite);
 * if (!report.success) console.table(report.findings);
 * ```
 */
export interface CheckReport {
  success: boolean;
  findings: Finding[];
  /** Number of checks run. */
  checks: number;
}

/**
 * Whether a column of kind `actual` satisfies a `kind` check expecting `expected` (`number`
 * accepts integer columns, `text` accepts category columns).
 *
 * @example
 * ```ts
 * kindMatches('integer', 'number'); // true
 * ```
 */
export function kindMatches(actual: ColumnKind, expected: ColumnKind): boolean {
  if (actual === expected) return true;
  if (expected === 'number' && actual === 'integer') return true;
  if (expected === 'text' && actual === 'category') return true;
  return false;
}

/**
 * Whether `x` is off the grid of whole multiples of `step` (counted from 0), with a tolerance of
 * 1e-9 of the step plus 4e-15 of the quotient (a few units in the last place) for binary rounding (`2.79` is a multiple of `0.01`).
 * The same expression is compiled to SQL.
 *
 * @example
 * ```ts
 * offStep(2.79, 0.01); // false
 * offStep(2.5, 1); // true
 * ```
 */
export function offStep(x: number, step: number): boolean {
  const q = x / step;
  return Math.abs(q - Math.round(q)) > 1e-9 + 4e-15 * Math.abs(q);
}

/**
 * Parses a bound: numbers stay; strings are read as ISO dates (epoch ms, UTC when no zone).
 *
 * @example
 * ```ts
 * boundValue('2024-01-01'); // 1704067200000
 * ```
 */
export function boundValue(b: number | string | undefined, option = 'min'): number | undefined {
  if (b === undefined || typeof b === 'number') return b;
  let t = b.length > 10 && b[10] === ' ' ? `${b.slice(0, 10)}T${b.slice(11)}` : b;
  if (t.length > 10 && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(t)) t += 'Z';
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new TesseraError('E_OPTION', `bound "${b}" is neither a number nor an ISO date`, { option });
  return ms;
}
