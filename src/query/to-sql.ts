import { TesseraError } from '../core/errors.js';
import { quoteIdent, type SqlDialect, SqlParams, type SqlQuery } from '../core/sql.js';
import { TEXT_DATE_PATTERNS } from './execute.js';
import type { AdjacentPlan, AggregateFn, CompareOp, Condition, NumberExtract, OutputItem, PlanValue, QueryPlan, SelectPlan } from './plan.js';

/**
 * Options for {@link toSQL}.
 *
 * @example
 * ```ts
 * const o: ToSqlOptions = { rowOrder: 'row_id' };
 * ```
 */
export interface ToSqlOptions {
  /**
   * A column that holds the data's row order (SQL tables have none). Needed by plans that use the
   * row order ("the first", "the row after ..."); also used to break ties so that engines agree.
   */
  rowOrder?: string;
}

function bind(p: SqlParams, v: PlanValue): string {
  if (typeof v === 'object') {
    const ms = Date.parse(v.date);
    if (Number.isNaN(ms)) throw new TesseraError('E_QUERY', `invalid date literal ${JSON.stringify(v.date)}`);
    const iso = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    return `CAST(${p.add(iso)} AS TIMESTAMP)`;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TesseraError('E_QUERY', `non-finite number ${v} in a plan`);
    return `CAST(${p.add(v)} AS DOUBLE PRECISION)`;
  }
  if (typeof v === 'boolean') return `CAST(${p.add(v)} AS BOOLEAN)`;
  return `CAST(${p.add(v)} AS VARCHAR)`;
}

/**
 * A column read as a number the way {@link extractNumber} reads it (fixed patterns, no user text;
 * written without `?` so that ANSI placeholders are never confused).
 */
function numberExpr(column: string, how: NumberExtract, dialect: SqlDialect): string {
  const c = `CAST(${quoteIdent(column)} AS VARCHAR)`;
  if (dialect === 'ansi')
    throw new TesseraError('E_UNSUPPORTED', `reading numbers out of text ("${column}") needs regular expressions: use the duckdb or postgres dialect`, {
      column,
      option: 'dialect',
    });
  if (how === 'year') {
    const re = "'(^|[^0-9])([12][0-9][0-9][0-9])([^0-9]|$)'";
    return dialect === 'duckdb' ? `TRY_CAST(NULLIF(REGEXP_EXTRACT(${c}, ${re}, 2), '') AS DOUBLE)` : `CAST((REGEXP_MATCH(${c}, ${re}))[2] AS DOUBLE PRECISION)`;
  }
  if (how === 'duration') {
    const re = "'([0-9]+):([0-9][0-9])(:([0-9][0-9]))?([.][0-9]+)?'";
    if (dialect === 'duckdb') {
      const g = (k: number): string => `TRY_CAST(NULLIF(REGEXP_EXTRACT(${c}, ${re}, ${k}), '') AS DOUBLE)`;
      return `(CASE WHEN REGEXP_EXTRACT(${c}, ${re}, 4) = '' THEN ${g(1)} * 60 + ${g(2)} ELSE ${g(1)} * 3600 + ${g(2)} * 60 + ${g(4)} END + COALESCE(${g(5)}, 0))`;
    }
    const g = (k: number): string => `CAST((REGEXP_MATCH(${c}, ${re}))[${k}] AS DOUBLE PRECISION)`;
    return `(CASE WHEN (REGEXP_MATCH(${c}, ${re}))[4] IS NULL THEN ${g(1)} * 60 + ${g(2)} ELSE ${g(1)} * 3600 + ${g(2)} * 60 + ${g(4)} END + COALESCE(${g(5)}, 0))`;
  }
  if (how === 'span') {
    const re = "'(^|[^0-9])([12][0-9][0-9][0-9])[^0-9]+([12][0-9][0-9][0-9])([^0-9]|$)'";
    return dialect === 'duckdb'
      ? `(TRY_CAST(NULLIF(REGEXP_EXTRACT(${c}, ${re}, 3), '') AS DOUBLE) - TRY_CAST(NULLIF(REGEXP_EXTRACT(${c}, ${re}, 2), '') AS DOUBLE))`
      : `(CAST((REGEXP_MATCH(${c}, ${re}))[3] AS DOUBLE PRECISION) - CAST((REGEXP_MATCH(${c}, ${re}))[2] AS DOUBLE PRECISION))`;
  }
  if (how === 'date') {
    // the first date written as text, as yyyymmdd: month first, else day first, else ISO (as extractNumber)
    const low = `LOWER(${c})`;
    const q = (s: string): string => `'${s}'`;
    const mf = q(TEXT_DATE_PATTERNS.monthFirst);
    const df = q(TEXT_DATE_PATTERNS.dayFirst);
    const iso = q(TEXT_DATE_PATTERNS.iso);
    const g =
      dialect === 'duckdb'
        ? (re: string, k: number): string => `NULLIF(REGEXP_EXTRACT(${low}, ${re}, ${k}), '')`
        : (re: string, k: number): string => `(REGEXP_MATCH(${low}, ${re}))[${k}]`;
    const num = (e: string): string => (dialect === 'duckdb' ? `TRY_CAST(${e} AS DOUBLE)` : `CAST(${e} AS DOUBLE PRECISION)`);
    const month = (e: string): string => `((POSITION(SUBSTR(${e}, 1, 3) IN 'janfebmaraprmayjunjulaugsepoctnovdec') + 2) / 3)`;
    return `COALESCE(${num(g(mf, 5))} * 10000 + ${month(g(mf, 2))} * 100 + ${num(g(mf, 3))}, ${num(g(df, 4))} * 10000 + ${month(g(df, 3))} * 100 + ${num(g(df, 2))}, ${num(g(iso, 2))} * 10000 + ${num(g(iso, 3))} * 100 + ${num(g(iso, 4))})`;
  }
  if (how === 'spaced') {
    // as 'number', and a single space followed by three digits continues the number ("98 453")
    const sre = "'[0-9][0-9,]*(?: [0-9][0-9][0-9][0-9,]*)*[.]{0,1}[0-9]*'";
    return dialect === 'duckdb'
      ? `TRY_CAST(REPLACE(REPLACE(NULLIF(REGEXP_EXTRACT(${c}, ${sre}), ''), ',', ''), ' ', '') AS DOUBLE)`
      : `CAST(REPLACE(REPLACE((REGEXP_MATCH(${c}, ${sre}))[1], ',', ''), ' ', '') AS DOUBLE PRECISION)`;
  }
  const re = "'[0-9][0-9,]*[.]{0,1}[0-9]*'";
  return dialect === 'duckdb'
    ? `TRY_CAST(REPLACE(NULLIF(REGEXP_EXTRACT(${c}, ${re}), ''), ',', '') AS DOUBLE)`
    : `CAST(REPLACE((REGEXP_MATCH(${c}, ${re}))[1], ',', '') AS DOUBLE PRECISION)`;
}

/** A column in SQL: quoted, or read as a number out of its text when `extract` is given. */
function colExpr(column: string, extract: NumberExtract | undefined, dialect: SqlDialect): string {
  return extract ? numberExpr(column, extract, dialect) : quoteIdent(column);
}

/** A comparison operator in SQL (`!=` is written `<>`). */
function sqlOp(op: CompareOp): string {
  return op === '!=' ? '<>' : op;
}

function cond(c: Condition, p: SqlParams, table: string, o: ToSqlOptions = {}): string {
  switch (c.type) {
    case 'compare':
      return `${colExpr(c.column, c.extract, p.dialect)} ${sqlOp(c.op)} ${bind(p, c.value)}`;
    case 'between': {
      const col = colExpr(c.column, c.extract, p.dialect);
      const lo = bind(p, c.low);
      return `${col} BETWEEN ${lo} AND ${bind(p, c.high)}`;
    }
    case 'in': {
      if (c.values.length === 0) return '1 = 0';
      const col = quoteIdent(c.column);
      return `${col} IN (${c.values.map((v) => bind(p, v)).join(', ')})`;
    }
    case 'contains':
    case 'startsWith': {
      if (c.type === 'contains' && c.item) {
        if (c.value.includes(',')) return '1 = 0'; // no item holds a comma
        // one of the comma-separated items, spaces around items ignored (as executePlan)
        const low = `LOWER(CAST(${quoteIdent(c.column)} AS VARCHAR))`;
        const norm = p.dialect === 'ansi' ? `REPLACE(REPLACE(${low}, ', ', ','), ' ,', ',')` : `REGEXP_REPLACE(${low}, ' *, *', ',', 'g')`;
        return `POSITION(',' || TRIM(LOWER(${bind(p, c.value)})) || ',' IN ',' || TRIM(${norm}) || ',') > 0`;
      }
      const col = quoteIdent(c.column);
      return `POSITION(LOWER(${bind(p, c.value)}) IN LOWER(CAST(${col} AS VARCHAR))) ${c.type === 'contains' ? '> 0' : '= 1'}`;
    }
    case 'isEmpty':
      return `${quoteIdent(c.column)} IS NULL`;
    case 'compareRow': {
      const e = colExpr(c.column, c.extract, p.dialect);
      return `${e} ${sqlOp(c.op)} (SELECT ${c.ref === 'max' ? 'MAX' : 'MIN'}(${e}) FROM ${quoteIdent(table)} WHERE ${cond(c.anchor, p, table, o)})`;
    }
    case 'compareColumns':
      return `${colExpr(c.column, c.extract, p.dialect)} ${sqlOp(c.op)} ${colExpr(c.other, c.extract, p.dialect)}`;
    case 'rowPosition': {
      const r = needRowOrder(o);
      return `${r} ${c.op} (SELECT MIN(${r}) FROM ${quoteIdent(table)} WHERE ${cond(c.anchor, p, table, o)})`;
    }
    case 'not':
      return `NOT (${cond(c.condition, p, table, o)})`;
    case 'and':
    case 'or':
      if (c.conditions.length === 0) return c.type === 'and' ? '1 = 1' : '1 = 0';
      return c.conditions.map((s) => `(${cond(s, p, table, o)})`).join(c.type === 'and' ? ' AND ' : ' OR ');
    default:
      throw new TesseraError('E_QUERY', 'unknown condition type');
  }
}

function agg(fn: AggregateFn, column: string | null, dialect: SqlDialect, extract?: NumberExtract): string {
  if (column === null) return 'COUNT(*)';
  const c = colExpr(column, extract, dialect);
  switch (fn) {
    case 'count':
      return `COUNT(${c})`;
    case 'countDistinct':
      return `COUNT(DISTINCT ${c})`;
    case 'sum':
      return `CAST(SUM(${c}) AS DOUBLE PRECISION)`;
    case 'avg':
      return `CAST(AVG(${c}) AS DOUBLE PRECISION)`;
    case 'median':
      return dialect === 'duckdb' ? `CAST(MEDIAN(${c}) AS DOUBLE PRECISION)` : `CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ${c}) AS DOUBLE PRECISION)`;
    case 'min':
      return `MIN(${c})`;
    default:
      return `MAX(${c})`;
  }
}

function itemExpr(it: OutputItem, dialect: SqlDialect): string {
  if (it.type === 'column') return quoteIdent(it.column);
  if (it.type === 'aggregate') return agg(it.fn, it.column, dialect, it.extract);
  if (it.extract === 'year') {
    if (it.unit !== 'year')
      throw new TesseraError('E_QUERY', `a bucket read out of text supports the unit "year" only, got "${it.unit}"`, { column: it.column });
    return numberExpr(it.column, 'year', dialect);
  }
  const c = quoteIdent(it.column);
  const y = `EXTRACT(YEAR FROM ${c})`;
  switch (it.unit) {
    case 'year':
      return `CAST(${y} AS INTEGER)`;
    case 'quarter':
      return `CAST(${y} * 10 + EXTRACT(QUARTER FROM ${c}) AS INTEGER)`;
    case 'month':
      return `CAST(${y} * 100 + EXTRACT(MONTH FROM ${c}) AS INTEGER)`;
    default:
      return `CAST(${y} * 10000 + EXTRACT(MONTH FROM ${c}) * 100 + EXTRACT(DAY FROM ${c}) AS INTEGER)`;
  }
}

function checkCount(n: number | undefined, name: string): void {
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0))
    throw new TesseraError('E_QUERY', `${name} must be a non-negative integer, got ${n}`, { option: name });
}

function needRowOrder(o: ToSqlOptions): string {
  if (!o.rowOrder)
    throw new TesseraError(
      'E_UNSUPPORTED',
      'this plan uses the row order; SQL tables have none: pass toSQL(..., { rowOrder: "<column holding the row number>" })',
      {
        option: 'rowOrder',
      },
    );
  return quoteIdent(o.rowOrder);
}

function select(plan: SelectPlan, table: string, p: SqlParams, o: ToSqlOptions): string {
  checkCount(plan.limit, 'limit');
  checkCount(plan.offset, 'offset');
  const grouped = plan.groupBy.length > 0;
  const hasAgg = plan.items.some((it) => it.type === 'aggregate');
  const cols = plan.items.map((it) => `${itemExpr(it, p.dialect)} AS ${quoteIdent(it.as)}`).join(', ');
  let sql = `SELECT ${plan.distinct ? 'DISTINCT ' : ''}${cols} FROM ${quoteIdent(table)}`;
  if (plan.where) sql += ` WHERE ${cond(plan.where, p, table, o)}`;
  if (grouped) {
    const keys = plan.groupBy.map((g) => {
      const it = plan.items.find((x) => x.as === g && x.type !== 'aggregate');
      if (!it) throw new TesseraError('E_QUERY', `group key "${g}" is not an output column`, { column: g });
      return itemExpr(it, p.dialect);
    });
    sql += ` GROUP BY ${keys.join(', ')}`;
  }
  if (plan.having) {
    const h = plan.having;
    sql += ` HAVING ${agg(h.fn, h.column, p.dialect)} ${sqlOp(h.op)} ${bind(p, h.value)}`;
  }
  const keys: string[] = [];
  for (const k of plan.orderBy) {
    const dir = k.direction === 'desc' ? 'DESC' : 'ASC';
    let e: string;
    if (k.target.type === 'rowOrder') e = grouped || hasAgg ? `MIN(${needRowOrder(o)})` : needRowOrder(o);
    else if (k.target.type === 'output') e = quoteIdent(k.target.name);
    else e = colExpr(k.target.column, k.target.extract, p.dialect);
    keys.push(`${e} ${dir} NULLS LAST`);
  }
  if (keys.length > 0 && o.rowOrder && !plan.distinct)
    keys.push(grouped ? `MIN(${quoteIdent(o.rowOrder)}) ASC` : hasAgg ? '' : `${quoteIdent(o.rowOrder)} ASC`);
  const ks = keys.filter((k) => k !== '');
  if (ks.length > 0) sql += ` ORDER BY ${ks.join(', ')}`;
  if (plan.limit !== undefined) sql += ` LIMIT ${plan.limit}`;
  if (plan.offset !== undefined && plan.offset > 0) sql += ` OFFSET ${plan.offset}`;
  return sql;
}

function adjacent(plan: AdjacentPlan, table: string, p: SqlParams, o: ToSqlOptions): string {
  const t = quoteIdent(table);
  const ord = plan.order.type === 'rowOrder' ? needRowOrder(o) : quoteIdent(plan.order.column);
  const cols = plan.columns.map((c) => quoteIdent(c)).join(', ');
  const pick = plan.direction === 'after' ? 'MIN' : 'MAX';
  const rel = plan.direction === 'after' ? '>' : '<';
  const anchor = cond(plan.anchor, p, table, o);
  const tie = o.rowOrder ? ` ORDER BY ${quoteIdent(o.rowOrder)} ASC` : '';
  return `SELECT ${cols} FROM ${t} WHERE ${ord} = (SELECT ${pick}(${ord}) FROM ${t} WHERE ${ord} ${rel} (SELECT MIN(${ord}) FROM ${t} WHERE ${anchor}))${tie} LIMIT 1`;
}

/**
 * Prints a plan as one SQL statement for a dialect, with identifiers quoted and every value
 * bound as a parameter (`$1`... for DuckDB and PostgreSQL, `?` for ANSI). The same plan gives the
 * same answer as {@link executePlan} on DuckDB and PostgreSQL (tested).
 *
 * @example
 * ```ts
 * import { toSQL } from 'tessera';
 * const q = toSQL({ type: 'select', items: [{ type: 'aggregate', fn: 'count', column: null, as: 'count' }],
 *   where: { type: 'compare', column: 'state', op: '=', value: 'Texas' }, groupBy: [], orderBy: [] }, 'postgres', 'customers');
 * q.text;   // SELECT COUNT(*) AS "count" FROM "customers" WHERE "state" = CAST($1 AS VARCHAR)
 * q.params; // ['Texas']
 * ```
 */
export function toSQL(plan: QueryPlan, dialect: SqlDialect = 'duckdb', table = 't', options: ToSqlOptions = {}): SqlQuery {
  if (dialect !== 'duckdb' && dialect !== 'postgres' && dialect !== 'ansi')
    throw new TesseraError('E_OPTION', `option "dialect" must be duckdb, postgres or ansi, got ${String(dialect)}`, { option: 'dialect' });
  const p = new SqlParams(dialect);
  let text: string;
  if (plan.type === 'select') text = select(plan, table, p, options);
  else if (plan.type === 'adjacent') text = adjacent(plan, table, p, options);
  else if (plan.type === 'streak') {
    // gaps and islands: rows of one run share (row number) − (row number among rows with the same outcome)
    const r = needRowOrder(options);
    const c = cond(plan.condition, p, table, options);
    text =
      `SELECT CAST(COALESCE(MAX(s.n), 0) AS INTEGER) AS ${quoteIdent(plan.as)} FROM (` +
      `SELECT COUNT(*) AS n FROM (` +
      `SELECT b.ok, ROW_NUMBER() OVER (ORDER BY b.r) - ROW_NUMBER() OVER (PARTITION BY b.ok ORDER BY b.r) AS g ` +
      `FROM (SELECT ${r} AS r, CASE WHEN (${c}) THEN 1 ELSE 0 END AS ok FROM ${quoteIdent(table)}) AS b` +
      `) AS a WHERE a.ok = 1 GROUP BY a.g) AS s`;
  } else if (plan.type === 'choice') {
    // labels first: with "?" placeholders the parameters must follow the text's order
    const gt = bind(p, plan.labels.greater);
    const lt = bind(p, plan.labels.less);
    const eq = bind(p, plan.labels.equal);
    const l = select(plan.left, table, p, options);
    const r = typeof plan.right === 'number' ? bind(p, plan.right) : `CAST((${select(plan.right, table, p, options)}) AS DOUBLE PRECISION)`;
    text =
      `SELECT CASE WHEN s.a > s.b THEN ${gt} WHEN s.a < s.b THEN ${lt} WHEN s.a = s.b THEN ${eq} END AS ${quoteIdent(plan.as)} ` +
      `FROM (SELECT CAST((${l}) AS DOUBLE PRECISION) AS a, ${r} AS b) AS s`;
  } else {
    const l = select(plan.left, table, p, options);
    const r = select(plan.right, table, p, options);
    const a = `CAST((${l}) AS DOUBLE PRECISION)`;
    const b = `CAST((${r}) AS DOUBLE PRECISION)`;
    const expr =
      plan.op === 'difference'
        ? `${a} - ${b}`
        : plan.op === 'absDifference'
          ? `ABS(${a} - ${b})`
          : plan.op === 'sum'
            ? `${a} + ${b}`
            : `${a} / NULLIF(${b}, 0)`;
    text = `SELECT ${expr} AS ${quoteIdent(plan.as)}`;
  }
  return { text, params: p.values, dialect };
}
