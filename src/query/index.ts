/**
 * Ask questions of a table in plain English: a deterministic rule-based parser that gives a typed
 * query plan, in-memory execution, and SQL compilation (DuckDB, PostgreSQL, ANSI).
 */
export { type Answer, type AskOptions, ask } from './ask.js';
export { executePlan, matchRows } from './execute.js';
export { type QueryColumn, SchemaIndex } from './link.js';
export { type ParseOptions, type ParseResult, parse, type Reading } from './parse.js';
export {
  type AdjacentPlan,
  type AggregateFn,
  type ArithmeticPlan,
  type ChoicePlan,
  type CompareOp,
  type Condition,
  conditionColumns,
  type NumberExtract,
  type OrderKey,
  type OutputItem,
  type PlanValue,
  planColumns,
  type QueryPlan,
  type SelectPlan,
  type StreakPlan,
  type TimeUnit,
} from './plan.js';
export { restate } from './restate.js';
export { type ToSqlOptions, toSQL } from './to-sql.js';
export { MAX_QUESTION_LENGTH, type Token, tokenize } from './tokenize.js';
