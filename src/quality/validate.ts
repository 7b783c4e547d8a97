import type { z } from 'zod';
import { TesseraError } from '../core/errors.js';
import type { Dataset } from '../dataset/dataset.js';
import type { CheckReport, Finding } from './checks.js';
import { plainValue } from './run-checks.js';

/**
 * Options of {@link validate}.
 *
 * @example
 * ```ts
 * validate(ds, RowSchema, { rowId: 'id', sampleSize: 3 });
 * ```
 */
export interface ValidateOptions {
  /** A column whose values identify rows in findings (default: 0-based row index). */
  rowId?: string;
  /** Failing rows copied into each finding's `sample`. Default 5. */
  sampleSize?: number;
  /** Stop after this many failing rows (bounded work on very bad data). Default: all rows. */
  maxFailingRows?: number;
}

/**
 * Validates every row of a Dataset against a zod schema (rows are plain objects: `null` for
 * missing, `Date` for datetimes) and returns findings in the same shape as {@link runChecks}:
 * zod's issues grouped by column and code, each with the failing row ids, a sample of failing
 * cells, zod's message and what was expected. Unknown-key checks follow the schema (`.strict()`).
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { Dataset, validate } from 'tessera';
 * const ds = Dataset.from([{ age: 34, email: 'a@b.io' }, { age: -1, email: 'nope' }]);
 * const report = validate(ds, z.object({ age: z.number().min(0), email: z.email() }));
 * report.findings.map((f) => [f.column, f.code, f.rows]); // [['age', 'too_small', [1]], ['email', 'invalid_format', [1]]]
 * ```
 */
export function validate(ds: Dataset, schema: z.ZodType, options: ValidateOptions = {}): CheckReport {
  if (schema === null || typeof schema !== 'object' || typeof (schema as { safeParse?: unknown }).safeParse !== 'function') {
    throw new TesseraError('E_OPTION', 'validate needs a zod schema (an object with safeParse)', { option: 'schema' });
  }
  const idCol = options.rowId === undefined ? undefined : ds.column(options.rowId);
  const k = options.sampleSize ?? 5;
  const groups = new Map<string, Finding>();
  let failingRows = 0;
  for (let i = 0; i < ds.nrows; i++) {
    const row = ds.row(i);
    const r = schema.safeParse(row);
    if (r.success) continue;
    failingRows++;
    const id = idCol ? (plainValue(ds.get(i, options.rowId as string)) as number | string) : i;
    const seen = new Set<string>();
    for (const issue of r.error.issues) {
      const path = issue.path.map(String);
      const column = path[0];
      const key = `${path.join('.')}\u0000${issue.code}`;
      let f = groups.get(key);
      if (!f) {
        const expected = (issue as { expected?: unknown }).expected ?? (issue as { minimum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum;
        f = {
          code: issue.code,
          check: `schema(${path.join('.') || '(row)'})`,
          type: 'schema',
          path,
          rows: [],
          failing: 0,
          sample: [],
          message: issue.message,
          observed: [],
          expected,
          severity: 'error',
        };
        if (column !== undefined) f.column = column;
        groups.set(key, f);
      }
      if (seen.has(key)) continue;
      seen.add(key);
      f.rows.push(id);
      f.failing++;
      if (f.sample.length < k) {
        const s: Record<string, unknown> = {};
        if (options.rowId !== undefined) Object.defineProperty(s, options.rowId, { value: id, enumerable: true, writable: true });
        if (column !== undefined && ds.has(column))
          Object.defineProperty(s, column, { value: plainValue(row[column] ?? null), enumerable: true, writable: true });
        f.sample.push(s);
        (f.observed as unknown[]).push(column !== undefined && ds.has(column) ? plainValue(row[column] ?? null) : undefined);
      }
    }
    if (options.maxFailingRows !== undefined && failingRows >= options.maxFailingRows) break;
  }
  const findings = [...groups.values()].map((f) => ({ ...f, message: `${f.message} (${f.failing} row${f.failing === 1 ? '' : 's'})` }));
  return { success: findings.length === 0, findings, checks: 1 };
}
