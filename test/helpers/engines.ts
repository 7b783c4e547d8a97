/**
 * Real SQL engines for tests (Node only: import from *.node.test.ts files).
 * - DuckDB: embedded via @duckdb/node-api, in memory.
 * - PostgreSQL: the server at TESSERA_PG_URL (started by .ci/run). `pgAvailable()` tells whether
 *   tests may use it; under CI a missing URL is an error, not a skip.
 *
 *   const db = await openDuckDB(); await db.load('t', ds); const rows = await db.query({ text, params });
 */
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import type { Dataset } from '../../src/index.js';
import { quoteIdent } from '../../src/index.js';

export type SqlRow = Record<string, unknown>;
export interface Engine {
  readonly name: 'duckdb' | 'postgres';
  /** Creates (or replaces) a table holding the Dataset. */
  load(table: string, ds: Dataset): Promise<void>;
  /** Runs a statement with positional parameters ($1, $2, ...) and returns plain rows (numbers as JS numbers, dates as Date). */
  query(q: { text: string; params?: readonly unknown[] }): Promise<SqlRow[]>;
  close(): Promise<void>;
}

function sqlType(kind: string): string {
  switch (kind) {
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE PRECISION';
    case 'boolean':
      return 'BOOLEAN';
    case 'datetime':
      return 'TIMESTAMP';
    default:
      return 'TEXT';
  }
}

function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && 'toString' in v && v.constructor?.name?.startsWith('DuckDB')) {
    const s = String(v);
    const n = Number(s);
    if (v.constructor.name.includes('Timestamp')) return new Date(`${s.replace(' ', 'T')}Z`);
    return Number.isNaN(n) ? s : n;
  }
  return v;
}

function createSql(table: string, ds: Dataset): string {
  const cols = ds.schema.fields.map((f) => `${quoteIdent(f.name)} ${sqlType(f.kind)}`).join(', ');
  return `CREATE TABLE ${quoteIdent(table)} (${cols})`;
}

function rowValues(ds: Dataset, i: number): unknown[] {
  return ds.columnNames.map((n) => {
    const v = ds.get(i, n);
    return v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v;
  });
}

export async function openDuckDB(): Promise<Engine> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const run = async (text: string, params: readonly unknown[] = []): Promise<SqlRow[]> => {
    const reader = await conn.runAndReadAll(text, params.length ? (params as never) : undefined);
    return reader.getRowObjects().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalise(v)])));
  };
  return {
    name: 'duckdb',
    async load(table, ds) {
      await run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      await run(createSql(table, ds));
      if (ds.nrows === 0) return;
      const ph = ds.columnNames.map((_, j) => `$${j + 1}`).join(', ');
      const stmt = await conn.prepare(`INSERT INTO ${quoteIdent(table)} VALUES (${ph})`);
      for (let i = 0; i < ds.nrows; i++) {
        stmt.bind(rowValues(ds, i) as never);
        await stmt.run();
      }
    },
    query: (q) => run(q.text, q.params ?? []),
    async close() {
      conn.closeSync();
    },
  };
}

export function pgUrl(): string | undefined {
  const url = process.env.TESSERA_PG_URL;
  if (!url && process.env.CI) throw new Error('TESSERA_PG_URL must be set in CI (.ci/run starts PostgreSQL)');
  return url;
}

export async function openPostgres(): Promise<Engine> {
  const url = pgUrl();
  if (!url) throw new Error('TESSERA_PG_URL is not set');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = `t_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  pg.types.setTypeParser(20, (v) => Number(v)); // int8
  pg.types.setTypeParser(1700, (v) => Number(v)); // numeric
  pg.types.setTypeParser(1114, (v) => new Date(`${v.replace(' ', 'T')}Z`)); // timestamp without tz
  return {
    name: 'postgres',
    async load(table, ds) {
      await client.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      await client.query(createSql(table, ds));
      const ph = ds.columnNames.map((_, j) => `$${j + 1}`).join(', ');
      for (let i = 0; i < ds.nrows; i++) await client.query(`INSERT INTO ${quoteIdent(table)} VALUES (${ph})`, rowValues(ds, i));
    },
    async query(q) {
      const r = await client.query(q.text, (q.params ?? []) as unknown[]);
      return r.rows as SqlRow[];
    },
    async close() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
