import { TesseraError } from '../core/errors.js';
import { quoteIdent, type SqlDialect, SqlParams, type SqlQuery } from '../core/sql.js';
import type { ColumnKind } from '../dataset/column.js';
import { boundValue, type Check, type CheckReport, checkColumns, checkName, type Finding, kindMatches, parseSuite, type SuiteInput } from './checks.js';
import { SafePattern } from './pattern.js';
import { aggregateFinding, baseFinding, rowFinding, toleranceOf } from './run-checks.js';

/**
 * One check compiled to SQL: `rows` statements return the failing rows (row id first when given,
 * then the check's columns); `value` statements return one row with the aggregate in column `v`;
 * `skipped` checks cannot run in SQL (custom predicates) and carry a `note`.
 *
 * @example
 * ```ts
 * const [compiled] = checksToSQL({ checks: [{ type: 'notNull', column: 'age' }] }, 'people', 'postgres');
 * compiled.query?.text; // SELECT "age" FROM "people" WHERE "age" IS NULL
 * ```
 */
export interface CompiledCheck {
  check: Check;
  mode: 'rows' | 'value' | 'kind' | 'skipped';
  query?: SqlQuery;
  note?: string;
}

/**
 * Options of {@link checksToSQL}.
 *
 * @example
 * ```ts
 * checksToSQL(suite, 'orders', 'duckdb', { rowId: 'order_id' });
 * ```
 */
export interface ChecksToSqlOptions {
  /** A column identifying rows: selected first and used to order failing rows. */
  rowId?: string;
}

function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function bound(p: SqlParams, b: number | string, option: string): string {
  if (typeof b === 'number') return p.add(b);
  return `CAST(${p.add(sqlTimestamp(boundValue(b, option) as number))} AS TIMESTAMP)`;
}

const OPS: Record<string, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '=': '=', '!=': '<>' };

function statExpr(stat: string, col: string, dialect: SqlDialect): string {
  const dbl = (e: string): string => `CAST(${e} AS DOUBLE PRECISION)`;
  switch (stat) {
    case 'mean':
      return dbl(`avg(${col})`);
    case 'sum':
      return dbl(`sum(${col})`);
    case 'min':
      return dbl(`min(${col})`);
    case 'max':
      return dbl(`max(${col})`);
    case 'stddev':
      return dbl(`stddev_samp(${col})`);
    case 'variance':
      return dbl(`var_samp(${col})`);
    case 'median':
      return dbl(dialect === 'duckdb' ? `quantile_cont(${col}, 0.5)` : `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col})`);
    case 'count':
      return `count(${col})`;
    case 'distinctCount':
      return `count(DISTINCT ${col})`;
    default:
      return `CASE WHEN count(*) = 0 THEN NULL ELSE avg(CASE WHEN ${col} IS NULL THEN 1.0 ELSE 0.0 END) END`;
  }
}

function compileOne(c: Check, table: string, dialect: SqlDialect, options: ChecksToSqlOptions): CompiledCheck {
  const p = new SqlParams(dialect);
  const t = quoteIdent(table);
  const q = (text: string): SqlQuery => ({ text, params: p.values, dialect });
  const cols = checkColumns(c);
  const selectNames = [...new Set([...(options.rowId !== undefined ? [options.rowId] : []), ...cols])];
  const select = selectNames.map((n) => `"__t".${quoteIdent(n)}`).join(', ');
  const order = options.rowId !== undefined ? ` ORDER BY ${quoteIdent(options.rowId)}` : '';
  const rows = (where: string): CompiledCheck => ({ check: c, mode: 'rows', query: q(`SELECT ${select} FROM ${t} AS "__t" WHERE ${where}${order}`) });
  const value = (expr: string): CompiledCheck => ({ check: c, mode: 'value', query: q(`SELECT ${expr} AS "v" FROM ${t}`) });
  const col = cols[0] !== undefined ? `"__t".${quoteIdent(cols[0])}` : '';
  switch (c.type) {
    case 'notNull':
      return rows(`${col} IS NULL`);
    case 'complete':
      return rows(c.columns.map((n) => `"__t".${quoteIdent(n)} IS NULL`).join(' OR '));
    case 'unique': {
      const keys = c.columns.map(quoteIdent);
      const inner = selectNames.map(quoteIdent).join(', ');
      const text = `SELECT ${selectNames.map((n) => `"__t".${quoteIdent(n)}`).join(', ')} FROM (SELECT ${inner}, count(*) OVER (PARTITION BY ${keys.join(', ')}) AS "__n" FROM ${t} WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}) AS "__t" WHERE "__t"."__n" > 1${order}`;
      return { check: c, mode: 'rows', query: q(text) };
    }
    case 'inSet': {
      if (c.values.length === 0) return rows(`${col} IS NOT NULL`);
      return rows(`${col} IS NOT NULL AND ${col} NOT IN (${c.values.map((v) => p.add(v)).join(', ')})`);
    }
    case 'notInSet': {
      if (c.values.length === 0) return rows('FALSE');
      return rows(`${col} IN (${c.values.map((v) => p.add(v)).join(', ')})`);
    }
    case 'between': {
      const parts: string[] = [];
      if (c.min !== undefined) parts.push(`${col} ${c.strict ? '<=' : '<'} ${bound(p, c.min, 'min')}`);
      if (c.max !== undefined) parts.push(`${col} ${c.strict ? '>=' : '>'} ${bound(p, c.max, 'max')}`);
      if (c.step !== undefined) {
        // the same test as offStep in memory: |q - round(q)| > 1e-9 + 4e-15 |q|, q = x / step
        // (the step is bound once per use: positional '?' placeholders cannot be repeated)
        const step = c.step;
        const q = (): string => `(CAST(${col} AS DOUBLE PRECISION) / CAST(${p.add(step)} AS DOUBLE PRECISION))`;
        parts.push(`ABS(${q()} - ROUND(${q()})) > 1e-9 + 4e-15 * ABS(${q()})`);
      }
      return rows(parts.length === 0 ? 'FALSE' : `${col} IS NOT NULL AND (${parts.join(' OR ')})`);
    }
    case 'matchesPattern': {
      const re = SafePattern.compile(c.pattern).toSqlRegex();
      if (dialect === 'duckdb') return rows(`${col} IS NOT NULL AND NOT regexp_full_match(${col}, ${p.add(re)})`);
      if (dialect === 'postgres') return rows(`${col} IS NOT NULL AND NOT (${col} ~ ${p.add(re)})`);
      return rows(`${col} IS NOT NULL AND NOT REGEXP_LIKE(${col}, ${p.add(re)})`);
    }
    case 'kind': {
      const text = `SELECT data_type AS "v" FROM information_schema.columns WHERE table_name = ${p.add(table)} AND column_name = ${p.add(c.column)} AND table_schema = current_schema()`;
      return { check: c, mode: 'kind', query: q(text) };
    }
    case 'rowCountBetween':
      return value('count(*)');
    case 'columnStatBetween':
      return value(statExpr(c.stat, quoteIdent(c.column), dialect));
    case 'relation': {
      const l = `"__t".${quoteIdent(c.left)}`;
      const r = `"__t".${quoteIdent(c.right)}`;
      return rows(`${l} IS NOT NULL AND ${r} IS NOT NULL AND NOT (${l} ${OPS[c.op]} ${r})`);
    }
    case 'linear': {
      // Same order of operations as in memory (sum of the terms left to right, then the intercept), in double precision.
      const dbl = (e: string): string => `CAST(${e} AS DOUBLE PRECISION)`;
      const sum = c.terms.map((t) => `${dbl(p.add(t.coef))} * ${dbl(`"__t".${quoteIdent(t.column)}`)}`).join(' + ');
      const expr = `(${sum} + ${dbl(p.add(c.intercept))})`;
      const parts: string[] = [];
      if (c.min !== undefined) parts.push(`${expr} < ${p.add(c.min)}`);
      if (c.max !== undefined) parts.push(`${expr} > ${p.add(c.max)}`);
      return rows(parts.length === 0 ? 'FALSE' : `${expr} IS NOT NULL AND (${parts.join(' OR ')})`);
    }
    case 'freshness':
      return value(`max(${quoteIdent(c.column)})`);
    case 'referential': {
      const rt = quoteIdent(c.reference.table);
      const rc = quoteIdent(c.reference.column);
      return rows(`${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${rt} AS "__r" WHERE "__r".${rc} = ${col})`);
    }
    case 'custom':
      return { check: c, mode: 'skipped', note: `custom predicate "${c.predicate}" runs in memory only (use runChecks); it was not run in SQL` };
  }
}

/**
 * Compiles a check suite to SQL statements for a dialect, one per check. Values (sets, bounds,
 * patterns, table names in `information_schema` look-ups) are bound as parameters, never spliced
 * into the text; identifiers are quoted. Patterns are the linear-time {@link SafePattern} subset,
 * printed as RE2/POSIX (DuckDB `regexp_full_match`, PostgreSQL `~`, ANSI `REGEXP_LIKE`). A
 * `custom` check compiles to `mode: 'skipped'` with a note: it runs in memory only.
 *
 * @example
 * ```ts
 * import { checksToSQL } from 'tessera';
 * const compiled = checksToSQL({ checks: [{ type: 'between', column: 'age', min: 0, max: 120 }] }, 'people', 'postgres');
 * compiled[0].query; // { text: 'SELECT "__t"."age" FROM "people" AS "__t" WHERE "__t"."age" IS NOT NULL AND ("__t"."age" < $1 OR "__t"."age" > $2)', params: [0, 120], ... }
 * ```
 */
export function checksToSQL(suite: SuiteInput, table: string, dialect: SqlDialect, options: ChecksToSqlOptions = {}): CompiledCheck[] {
  const parsed = parseSuite(suite);
  return parsed.checks.map((c) => compileOne(c, table, dialect, options));
}

/**
 * Runs a SQL statement and returns plain row objects; the caller owns the driver (pg, DuckDB...).
 *
 * @example
 * ```ts
 * const query: SqlExecutor = async (q) => (await client.query(q.text, [...q.params])).rows;
 * ```
 */
export type SqlExecutor = (q: SqlQuery) => Promise<ReadonlyArray<Record<string, unknown>>>;

/**
 * Options of {@link runChecksSQL}.
 *
 * @example
 * ```ts
 * await runChecksSQL(suite, { table: 'orders', dialect: 'postgres', query, rowId: 'order_id' });
 * ```
 */
export interface RunChecksSqlOptions extends ChecksToSqlOptions {
  table: string;
  dialect: SqlDialect;
  /** Runs one statement (the driver stays the caller's: tessera depends on none). */
  query: SqlExecutor;
  /** Number of failing rows copied into each finding's `sample`. Default 5. */
  sampleSize?: number;
  /** Reference time for `freshness` checks without their own `now` (epoch ms). */
  now?: number;
}

function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
    return boundValue(v, 'value') ?? null;
  }
  return Number(v);
}

/**
 * Maps a SQL data type name (as `information_schema.columns.data_type` spells it in DuckDB or
 * PostgreSQL) to the column kinds it can hold.
 *
 * @example
 * ```ts
 * sqlTypeKinds('double precision'); // ['number']
 * ```
 */
export function sqlTypeKinds(type: string): ColumnKind[] {
  const t = type.toLowerCase();
  if (/^(big|small|tiny|hug|u)?int|^integer|^int\d|^long|^short/.test(t)) return ['integer'];
  if (/^(double|float|real|numeric|decimal)/.test(t)) return ['number'];
  if (/^bool/.test(t)) return ['boolean'];
  if (/^(timestamp|date|time)/.test(t)) return ['datetime'];
  if (/^(text|varchar|character|char|string|enum|user-defined)/.test(t)) return ['text', 'category'];
  return [];
}

/**
 * Runs a check suite where the data lives: compiles it with {@link checksToSQL}, runs each
 * statement through the caller's executor, and returns the same findings as {@link runChecks}
 * would in memory (row ids are values of `rowId` when given; without it `rows` is empty and
 * `failing` still counts). `custom` checks yield an `info` finding with code `skipped`. `kind`
 * findings report the SQL type as `observed`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { runChecksSQL } from 'tessera';
 * const client = new pg.Client(process.env.DATABASE_URL); await client.connect();
 * const report = await runChecksSQL(suite, {
 *   table: 'orders', dialect: 'postgres', rowId: 'id',
 *   query: async (q) => (await client.query(q.text, [...q.params])).rows,
 * });
 * ```
 */
export async function runChecksSQL(suite: SuiteInput, options: RunChecksSqlOptions): Promise<CheckReport> {
  if (typeof options.query !== 'function') throw new TesseraError('E_OPTION', 'runChecksSQL needs options.query (a function running SQL)', { option: 'query' });
  const compiled = checksToSQL(suite, options.table, options.dialect, options);
  const findings: Finding[] = [];
  const k = options.sampleSize ?? 5;
  // The table's row count, for checks with `mostly` (their allowance is a share of all rows) or
  // `allowFailing` (reported with it).
  let total: number | undefined;
  const rowCount = async (): Promise<number> => {
    if (total === undefined) {
      const [count] = checksToSQL({ checks: [{ type: 'rowCountBetween' }] }, options.table, options.dialect, options);
      total = toNumber((await run(count?.query as SqlQuery, 'rowCountBetween'))[0]?.v) ?? 0;
    }
    return total;
  };
  const run = async (q: SqlQuery, name: string): Promise<ReadonlyArray<Record<string, unknown>>> => {
    try {
      return await options.query(q);
    } catch (e) {
      throw new TesseraError('E_QUERY', `check ${name} failed in SQL: ${e instanceof Error ? e.message : String(e)}`, { check: name }, { cause: e });
    }
  };
  for (const cc of compiled) {
    const c = cc.check;
    if (cc.mode === 'skipped') {
      findings.push({ ...baseFinding(c, 'skipped', cc.note ?? 'not run in SQL', {}), severity: 'info' });
      continue;
    }
    const result = await run(cc.query as SqlQuery, checkName(c));
    if (cc.mode === 'rows') {
      if (result.length === 0) continue;
      const rowId = options.rowId;
      const cols = checkColumns(c);
      const rows = rowId === undefined ? [] : result.map((r) => plain(r[rowId]) as number | string);
      const sample = result.slice(0, k).map((r) => {
        const o: Record<string, unknown> = {};
        for (const name of [...(rowId !== undefined ? [rowId] : []), ...cols])
          Object.defineProperty(o, name, { value: plain(r[name]), enumerable: true, writable: true });
        return o;
      });
      findings.push(rowFinding(c, rows, result.length, sample, toleranceOf(c) ? await rowCount() : 0));
    } else if (cc.mode === 'kind' && c.type === 'kind') {
      const type = result[0]?.v;
      if (type === undefined) throw new TesseraError('E_COLUMN', `column "${c.column}" not found in table "${options.table}"`, { column: c.column });
      const kinds = sqlTypeKinds(String(type));
      if (!kinds.some((kd) => kindMatches(kd, c.kind) || (c.kind === 'category' && kd === 'text'))) {
        findings.push(
          baseFinding(c, 'wrong_kind', `column "${c.column}" is ${String(type)}, expected ${c.kind}`, { observed: String(type), expected: c.kind }),
        );
      }
    } else {
      const f = aggregateFinding(c, toNumber(result[0]?.v), options.now);
      if (f) findings.push(f);
    }
  }
  return { success: !findings.some((f) => f.severity === 'error'), findings, checks: compiled.length };
}
