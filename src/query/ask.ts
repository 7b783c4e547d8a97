import type { SqlDialect, SqlQuery } from '../core/sql.js';
import type { Dataset } from '../dataset/index.js';
import { executePlan } from './execute.js';
import { type ParseOptions, parse, type Reading } from './parse.js';
import type { QueryPlan } from './plan.js';
import { type ToSqlOptions, toSQL } from './to-sql.js';

/**
 * Options for {@link ask}: parsing options plus the SQL dialect and table name of the `sql` field.
 *
 * @example
 * ```ts
 * const o: AskOptions = { dialect: 'postgres', table: 'customers', now: new Date('2024-01-01') };
 * ```
 */
export interface AskOptions extends ParseOptions, ToSqlOptions {
  /** Dialect of the returned SQL. Default `duckdb`. */
  dialect?: SqlDialect;
  /** Table name used in the returned SQL. Default `t`. */
  table?: string;
  /**
   * When the best reading returns no rows and an alternative reading does, answer with the first
   * such alternative (its confidence is kept; the first reading moves to `alternatives`). Default true.
   */
  preferNonEmpty?: boolean;
}

/**
 * The answer to a question: the plan, its result, the plan said back in English, how sure the
 * parser is, the other readings, and the same plan as SQL.
 *
 * @example
 * ```ts
 * const a: Answer = ask(ds, 'how many rows');
 * a.result.get(0, 'count');
 * ```
 */
export interface Answer {
  readonly plan: QueryPlan;
  readonly result: Dataset;
  readonly restatement: string;
  readonly confidence: number;
  readonly alternatives: readonly Reading[];
  /** The plan as SQL (for row-order plans without `rowOrder`, `undefined`). */
  readonly sql: SqlQuery | undefined;
  readonly unknownWords: readonly string[];
}

/**
 * Answers a plain-English question from a Dataset: parses it ({@link parse}), runs the plan in
 * memory ({@link executePlan}) and prints it as SQL ({@link toSQL}).
 *
 * @example
 * ```ts
 * import { Dataset, ask } from 'tessera';
 * const ds = Dataset.from([
 *   { contract: 'monthly', tenure: 30, charges: 70 },
 *   { contract: 'yearly', tenure: 40, charges: 50 },
 *   { contract: 'monthly', tenure: 3, charges: 90 },
 * ]);
 * const a = ask(ds, 'average charges by contract for customers with tenure over 24');
 * a.restatement; // 'contract, the average charges for each contract where tenure is above 24'
 * a.result.toRows(); // [{ contract: 'monthly', 'avg charges': 70 }, { contract: 'yearly', 'avg charges': 50 }]
 * ```
 */
export function ask(ds: Dataset, question: string, options: AskOptions = {}): Answer {
  const r = parse(question, ds, options);
  let chosen: Reading = r;
  let alternatives: readonly Reading[] = r.alternatives;
  let result = executePlan(r.plan, ds);
  if (result.nrows === 0 && options.preferNonEmpty !== false) {
    for (const alt of r.alternatives) {
      const res = executePlan(alt.plan, ds);
      if (res.nrows > 0) {
        chosen = alt;
        result = res;
        alternatives = [{ plan: r.plan, restatement: r.restatement, confidence: r.confidence }, ...r.alternatives.filter((x) => x !== alt)];
        break;
      }
    }
  }
  let sql: SqlQuery | undefined;
  try {
    sql = toSQL(chosen.plan, options.dialect ?? 'duckdb', options.table ?? 't', options.rowOrder ? { rowOrder: options.rowOrder } : {});
  } catch {
    sql = undefined;
  }
  return { plan: chosen.plan, result, restatement: chosen.restatement, confidence: chosen.confidence, alternatives, sql, unknownWords: r.unknownWords };
}
